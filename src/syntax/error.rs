//! Syntax errors: what the parser reports, in words a policy author knows.

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

use crate::source::Span;

/// A problem found while reading policy text.
#[derive(Debug, Error, Diagnostic)]
pub enum SyntaxError {
    /// The text does not follow the grammar, e.g. `let = 3`.
    #[error("unexpected {found}; expected {expected}")]
    #[diagnostic(code(rung::parse::unexpected))]
    Unexpected {
        /// The file.
        #[source_code]
        src: NamedSource<crate::source::SourceText>,
        /// Where reading stopped.
        #[label("expected {expected} here")]
        span: SourceSpan,
        /// What was found, in words.
        found: String,
        /// What would have been accepted, in words.
        expected: String,
        /// How to fix it.
        #[help]
        help: Option<String>,
    },

    /// Brackets or `where`/`has` nested beyond the limit, e.g. 100,000 `(`.
    #[error("expression nested too deeply (more than {limit} levels)")]
    #[diagnostic(
        code(rung::parse::too_deep),
        help("split the expression into named `let` definitions")
    )]
    TooDeep {
        /// The file.
        #[source_code]
        src: NamedSource<crate::source::SourceText>,
        /// Where the limit was passed.
        #[label("nesting passes the limit here")]
        span: SourceSpan,
        /// The limit.
        limit: usize,
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
        src: NamedSource<crate::source::SourceText>,
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

    /// A construct in the wrong place, e.g. `a and b where c`.
    #[error("{message}")]
    #[diagnostic(code(rung::parse::misplaced))]
    Misplaced {
        /// The file.
        #[source_code]
        src: NamedSource<crate::source::SourceText>,
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
}
