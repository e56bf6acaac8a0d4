//! Syntax errors: what the parser reports, in words a policy author knows.
//!
//! Variants are built through the constructors in `new`, which take the
//! [`Span`](crate::source::Span) they point at.

mod new;

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// A problem found while reading policy text. Every one stops the file from
/// being read, so the severity is declared once, for the whole enum.
#[derive(Debug, Error, Diagnostic)]
#[diagnostic(severity(Error))]
pub enum SyntaxError {
    /// The text does not follow the grammar, e.g. `let = 3`.
    #[error("unexpected {found}; expected {expected}")]
    #[diagnostic(code(rung::parse::unexpected))]
    Unexpected {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// Where reading stopped (or the token it stopped after).
        #[label("{label}")]
        span: SourceSpan,
        /// What was found, in words.
        found: String,
        /// What would have been accepted, in words.
        expected: String,
        /// The label's text.
        label: String,
        /// How to fix it.
        #[help]
        help: Option<String>,
    },

    /// A string without its closing quote, e.g. `because "no reason`.
    #[error("unclosed string")]
    #[diagnostic(
        code(rung::parse::unclosed_string),
        help("a string ends on the line it starts: add the closing `\"`")
    )]
    UnclosedString {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The string, from its opening quote to the end of the line.
        #[label("this string has no closing quote")]
        span: SourceSpan,
    },

    /// A bracket that is never closed, e.g. `count(acts > 2`.
    #[error("unclosed `{open}`")]
    #[diagnostic(code(rung::parse::unclosed))]
    Unclosed {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The opening bracket.
        #[label("opened here")]
        span: SourceSpan,
        /// Where the closing bracket was expected.
        #[label("{end_label}")]
        end: SourceSpan,
        /// Text of the second label.
        end_label: String,
        /// The opening bracket.
        open: String,
        /// The closing bracket it needs.
        close: String,
        /// How to fix it.
        #[help]
        help: String,
    },

    /// A closing bracket without an opening one, e.g. `count(acts))`.
    #[error("`{close}` closes nothing")]
    #[diagnostic(
        code(rung::parse::unmatched),
        help("remove it, or add the `{open}` it belongs to")
    )]
    Unmatched {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The closing bracket.
        #[label("no `{open}` is open here")]
        span: SourceSpan,
        /// The closing bracket.
        close: String,
        /// The opening bracket it would match.
        open: String,
    },

    /// Another language's operator, e.g. `a && b` or `severity = 3`.
    #[error("`{found}` is not an operator in rung; write `{write}`")]
    #[diagnostic(code(rung::parse::operator))]
    Operator {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The operator.
        #[label("write `{write}` here")]
        span: SourceSpan,
        /// The operator as written.
        found: String,
        /// The rung operator.
        write: String,
        /// About the kind of operator mistaken: logic words, the `=` of a
        /// definition, or comparisons.
        #[help]
        help: String,
    },

    /// A rule without its justification, e.g. `recommend monitor when x`.
    #[error("{message}")]
    #[diagnostic(code(rung::parse::because))]
    MissingBecause {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The rule's first word.
        #[label("this rule")]
        span: SourceSpan,
        /// Where `because` was expected.
        #[label("{label}")]
        end: SourceSpan,
        /// What is wrong.
        message: String,
        /// Text of the second label.
        label: String,
        /// How to fix it.
        #[help]
        help: String,
    },

    /// A rung without a description, e.g. `monitor` alone on its line.
    #[error("rung `{name}` has no description")]
    #[diagnostic(
        code(rung::parse::description),
        help(
            "give every rung a description in double quotes: `{name} \"What this response means\"`"
        )
    )]
    MissingDescription {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The rung's name.
        #[label("expected a description after this name")]
        span: SourceSpan,
        /// The rung's name.
        name: String,
    },

    /// `recommend` or `forbid` outside a `rules` block.
    #[error("`{word}` outside a `rules` block")]
    #[diagnostic(code(rung::parse::rule_outside))]
    RuleOutside {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The rule's first word.
        #[label("a rule can only stand inside a `rules` block")]
        span: SourceSpan,
        /// `recommend` or `forbid`.
        word: String,
        /// How to fix it.
        #[help]
        help: String,
    },

    /// A keyword where a name is expected, e.g. `let in = 3`.
    #[error("`{word}` is a keyword and cannot be used as a name")]
    #[diagnostic(
        code(rung::parse::keyword),
        help(
            "choose another name; the keywords are `and`, `or`, `not`, `in`, `where`, `has`, `have`, `is`, `present`, `absent`, `otherwise`, `true`, `false`, `any`, `all`, `no`"
        )
    )]
    Keyword {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The keyword.
        #[label(primary, "a keyword, not a name")]
        span: SourceSpan,
        /// Uses of the would-be name elsewhere in the file, which fail to
        /// parse for the same reason: labels here, not errors of their own.
        #[label(collection)]
        uses: Vec<miette::LabeledSpan>,
        /// The keyword.
        word: String,
    },

    /// Brackets, `where`, `not`, quantifiers or types nested beyond the
    /// limit, e.g. 100,000 `(`, or an operator chain deeper than the limit.
    #[error("{what} nested too deeply (more than {limit} levels)")]
    #[diagnostic(code(rung::parse::too_deep))]
    TooDeep {
        /// The file.
        #[source_code]
        src: NamedSource<std::sync::Arc<str>>,
        /// Where the limit was passed.
        #[label("nesting passes the limit here")]
        span: SourceSpan,
        /// `expression` or `type`.
        what: &'static str,
        /// The limit.
        limit: usize,
        /// How to fix it.
        #[help]
        help: &'static str,
    },

    /// A policy file that is not UTF-8 text, e.g. saved as Latin-1
    /// (`é` as the single byte 0xE9). The source shown has each byte that
    /// is not UTF-8 as `?`, so its offsets are the file's.
    #[error("policy file `{name}` is not UTF-8 text: byte 0x{byte:02X} at offset {offset}")]
    #[diagnostic(code(rung::parse::encoding))]
    NotUtf8 {
        /// The file, each byte that is not UTF-8 shown as `?`.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// The first byte that is not UTF-8.
        #[label("not UTF-8")]
        span: SourceSpan,
        /// The file's name.
        name: String,
        /// The first byte that is not UTF-8.
        byte: u8,
        /// Its offset in the file, in bytes.
        offset: usize,
        /// How to re-save the file, and what the byte likely was.
        #[help]
        help: String,
    },

    /// A policy file larger than the limit.
    #[error("policy file `{name}` is {size} bytes; the limit is {limit}")]
    #[diagnostic(
        code(rung::parse::too_large),
        help("split the policy into several files in one directory")
    )]
    TooLarge {
        /// File name.
        name: String,
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },

    /// A literal that reads well but means nothing, e.g. `2023-02-30` or `99999999999999999999`.
    #[error("invalid {what} `{text}`")]
    #[diagnostic(code(rung::parse::literal))]
    BadLiteral {
        /// The file.
        #[source_code]
        src: NamedSource<std::sync::Arc<str>>,
        /// The literal.
        #[label("{reason}")]
        span: SourceSpan,
        /// Kind of literal.
        what: &'static str,
        /// The literal text.
        text: String,
        /// Why it is invalid.
        reason: String,
        /// How to fix it.
        #[help]
        help: Option<String>,
    },

    /// A shape of parse tree the lowering does not expect: a bug in rung.
    #[error("internal parser error: {what}")]
    #[diagnostic(
        code(rung::parse::internal),
        help("this is a bug in rung; please report it with the policy text")
    )]
    Internal {
        /// The file.
        #[source_code]
        src: NamedSource<Arc<str>>,
        /// What was being read.
        #[label("while reading this")]
        span: SourceSpan,
        /// What went wrong.
        what: String,
    },

    /// A construct in the wrong place, e.g. `a and b where c`.
    #[error("{message}")]
    #[diagnostic(code(rung::parse::misplaced))]
    Misplaced {
        /// The file.
        #[source_code]
        src: NamedSource<std::sync::Arc<str>>,
        /// The construct.
        #[label("{label}")]
        span: SourceSpan,
        /// What is wrong.
        message: String,
        /// Label text.
        label: String,
        /// How to fix it.
        #[help]
        help: String,
    },
}

/// Help for an expression nested too deeply.
impl SyntaxError {
    /// Where the report points first (its first label), if anywhere.
    fn offset(&self) -> Option<usize> {
        self.labels()?.next().map(|l| l.offset())
    }

    /// Folds the generic reports caused by a keyword declared as a name
    /// into that declaration's report: `let all = ...` is one mistake, and
    /// `count(all)` failing to parse is its echo. A report is an echo when
    /// it points at the keyword or just after it; it becomes a "used here"
    /// label of the declaration's report. Other reports are kept.
    pub(crate) fn fold_keyword_uses(text: &str, errors: Vec<SyntaxError>) -> Vec<SyntaxError> {
        let words: Vec<String> = errors
            .iter()
            .filter_map(|e| match e {
                SyntaxError::Keyword { word, .. } => Some(word.clone()),
                _ => None,
            })
            .collect();
        if words.is_empty() {
            return errors;
        }
        let toks = super::lex::code(text, 0, text.len());
        // The keyword a report points at, or just after, with its place.
        let echo = |e: &SyntaxError| -> Option<(String, usize, usize)> {
            if !matches!(e, SyntaxError::Unexpected { .. }) {
                return None;
            }
            let at = e.offset()?;
            let i = toks.iter().position(|t| t.end > at)?;
            let here = toks.get(i).filter(|t| t.start <= at);
            let before = i.checked_sub(1).and_then(|j| toks.get(j));
            [here, before].into_iter().flatten().find_map(|t| {
                let w = t.text(text);
                words
                    .iter()
                    .any(|k| k == w)
                    .then(|| (w.to_string(), t.start, t.end))
            })
        };
        let mut kept = Vec::with_capacity(errors.len());
        let mut uses: Vec<(String, usize, usize)> = Vec::new();
        for e in errors {
            match echo(&e) {
                Some(u) => uses.push(u),
                None => kept.push(e),
            }
        }
        for e in &mut kept {
            if let SyntaxError::Keyword {
                word, uses: labels, ..
            } = e
            {
                for (_, start, end) in uses.iter().filter(|(w, ..)| w == word) {
                    labels.push(miette::LabeledSpan::new(
                        Some(format!("`{word}` is used here as a name")),
                        *start,
                        end.saturating_sub(*start),
                    ));
                }
            }
        }
        kept
    }
}

pub(crate) const SPLIT_EXPRESSION: &str = "split the expression into named `let` definitions, e.g. `let serious = acts where severity >= 4`";
