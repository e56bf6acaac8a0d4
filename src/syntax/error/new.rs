//! Constructors of [`SyntaxError`]: one per variant that points into a
//! file, each taking the [`Span`] it points at, so the miette plumbing is
//! written once, here.

use super::SyntaxError;
use crate::source::Span;

impl SyntaxError {
    /// A literal error at `span`.
    pub(crate) fn literal(
        span: &Span,
        what: &'static str,
        reason: impl Into<String>,
        help: Option<String>,
    ) -> Self {
        SyntaxError::BadLiteral {
            src: span.named_source(),
            span: span.source_span(),
            what,
            text: span.text().to_string(),
            reason: reason.into(),
            help,
        }
    }

    /// A misplaced-construct error at `span`.
    pub(crate) fn misplaced(
        span: &Span,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        SyntaxError::Misplaced {
            src: span.named_source(),
            span: span.source_span(),
            message: message.into(),
            label: label.into(),
            help: help.into(),
        }
    }

    /// A string at `span` without its closing quote.
    pub(crate) fn unclosed_string(span: &Span) -> Self {
        SyntaxError::UnclosedString {
            src: span.named_source(),
            span: span.source_span(),
        }
    }

    /// Bracket `open` at `span` is never closed; `close` was expected at
    /// `end` (which `end_label` describes).
    pub(crate) fn unclosed(
        span: &Span,
        end: &Span,
        end_label: String,
        open: String,
        close: String,
        help: String,
    ) -> Self {
        SyntaxError::Unclosed {
            src: span.named_source(),
            span: span.source_span(),
            end: end.source_span(),
            end_label,
            open,
            close,
            help,
        }
    }

    /// Closing bracket `close` at `span` matches no `open`.
    pub(crate) fn unmatched(span: &Span, close: &str, open: &str) -> Self {
        SyntaxError::Unmatched {
            src: span.named_source(),
            span: span.source_span(),
            close: close.to_string(),
            open: open.to_string(),
        }
    }

    /// Operator `found` at `span` is another language's; rung writes `write`.
    pub(crate) fn operator(span: &Span, found: &str, write: &str) -> Self {
        SyntaxError::Operator {
            src: span.named_source(),
            span: span.source_span(),
            found: found.to_string(),
            write: write.to_string(),
            help: operator_help(write),
        }
    }

    /// The rule starting at `span` lacks its `because`, expected at `end`.
    pub(crate) fn missing_because(
        span: &Span,
        end: &Span,
        message: String,
        label: String,
        help: String,
    ) -> Self {
        SyntaxError::MissingBecause {
            src: span.named_source(),
            span: span.source_span(),
            end: end.source_span(),
            message,
            label,
            help,
        }
    }

    /// Rung `name` at `span` has no description.
    pub(crate) fn missing_description(span: &Span, name: &str) -> Self {
        SyntaxError::MissingDescription {
            src: span.named_source(),
            span: span.source_span(),
            name: name.to_string(),
        }
    }

    /// Rule word `word` at `span` stands outside a `rules` block.
    pub(crate) fn rule_outside(span: &Span, word: &str, help: String) -> Self {
        SyntaxError::RuleOutside {
            src: span.named_source(),
            span: span.source_span(),
            word: word.to_string(),
            help,
        }
    }

    /// Keyword `word` at `span` is used as a name.
    pub(crate) fn keyword(span: &Span, word: &str) -> Self {
        SyntaxError::Keyword {
            src: span.named_source(),
            span: span.source_span(),
            uses: Vec::new(),
            word: word.to_string(),
        }
    }

    /// `what` nests past `limit` at `span`.
    pub(crate) fn too_deep(
        span: &Span,
        what: &'static str,
        limit: usize,
        help: &'static str,
    ) -> Self {
        SyntaxError::TooDeep {
            src: span.named_source(),
            span: span.source_span(),
            what,
            limit,
            help,
        }
    }

    /// The parse tree at `span` has a shape the lowering does not expect.
    pub(crate) fn internal(span: &Span, what: &str) -> Self {
        SyntaxError::Internal {
            src: span.named_source(),
            span: span.source_span(),
            what: what.to_string(),
        }
    }

    /// Text at `span` does not follow the grammar: `found` where `expected`.
    pub(crate) fn unexpected(
        span: &Span,
        found: String,
        expected: String,
        label: String,
        help: Option<String>,
    ) -> Self {
        SyntaxError::Unexpected {
            src: span.named_source(),
            span: span.source_span(),
            found,
            expected,
            label,
            help,
        }
    }
}

/// Help for another language's operator: about logic words, the `=` of a
/// definition, or comparisons, whichever was mistaken.
fn operator_help(write: &str) -> String {
    match write {
        "and" | "or" | "not" => "rung spells logic in words: `and`, `or`, `not`".to_string(),
        "==" => "`=` only names a definition (`let recent = ...`); a comparison is written `==`, as in `attribution == high`".to_string(),
        _ => "rung compares with `==`, `!=`, `<`, `<=`, `>`, `>=`".to_string(),
    }
}

impl SyntaxError {
    /// Policy file `name` is not UTF-8: the first bad byte is at `offset`
    /// of `bytes`. The report shows the file with each such byte as `?`,
    /// pointing at the first.
    pub(crate) fn not_utf8(name: &str, bytes: &[u8], offset: usize) -> Self {
        let byte = bytes.get(offset).copied().unwrap_or(0);
        // Each byte that is not UTF-8 shown as one `?`, so that offsets in
        // the report (and in JSON diagnostics) are the file's own.
        let mut text = String::with_capacity(bytes.len());
        for chunk in bytes.utf8_chunks() {
            text.push_str(chunk.valid());
            text.extend(chunk.invalid().iter().map(|_| '?'));
        }
        let file = crate::source::SourceFile::new(name, text);
        let width = usize::from(offset < file.text.len());
        let span = Span::new(&file, offset..offset + width);
        // A byte from 0xA0 up is a letter in Latin-1 / Windows-1252, the
        // usual other encoding of policy text.
        let guess = if byte >= 0xA0 {
            format!(
                " (0x{byte:02X} is `{}` in Latin-1, a common other encoding)",
                char::from(byte)
            )
        } else {
            String::new()
        };
        SyntaxError::NotUtf8 {
            src: span.named_source(),
            span: span.source_span(),
            name: name.to_string(),
            byte,
            offset,
            help: format!(
                "rung reads policy files as UTF-8{guess}; save the file as UTF-8, e.g. `iconv -f latin1 -t utf-8`"
            ),
        }
    }
}
