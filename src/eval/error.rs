//! Run-time errors: on facts that pass the schema, a checked policy can only
//! fail on arithmetic.

use std::fmt;

use crate::internal::Internal;
use crate::source::Span;

/// What went wrong while evaluating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalErrorKind {
    /// `i64` overflow, e.g. `9223372036854775807 + 1`.
    Overflow(&'static str),
    /// `x / 0`.
    DivisionByZero,
    /// A decimal result that has no exact decimal (`1 / 3`, or more than
    /// 28 digits after the point): rung never rounds silently.
    Inexact,
    /// A date before year 1 or after 9999, e.g. `now + 1000000000d`.
    DateOutOfRange,
    /// A state the checker rules out (a bug in rung): never a rule's
    /// failure, it stops the whole run (see [`crate::internal`]).
    Internal(&'static str),
}

/// A run-time error with the expression that raised it.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalError {
    /// What went wrong.
    pub kind: EvalErrorKind,
    /// The failing expression (boxed: errors are rare, and a small error
    /// keeps every evaluation result small).
    pub span: Box<Span>,
}

impl EvalError {
    pub(crate) fn new(kind: EvalErrorKind, span: &Span) -> Self {
        EvalError {
            kind,
            span: Box::new(span.clone()),
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = crate::fmt::one_line(self.span.text());
        match &self.kind {
            EvalErrorKind::Overflow(what) => write!(f, "{what} overflows in `{text}`"),
            EvalErrorKind::DivisionByZero => write!(f, "division by zero in `{text}`"),
            EvalErrorKind::Inexact => write!(
                f,
                "the decimal result of `{text}` cannot be held exactly (a decimal keeps at most 28 significant digits), and rung does not round"
            ),
            EvalErrorKind::DateOutOfRange => write!(f, "date out of range in `{text}`"),
            EvalErrorKind::Internal(what) => write!(f, "internal error in `{text}`: {what}"),
        }
    }
}

impl std::error::Error for EvalError {}

/// `Err` when `e` is a bug rather than a failure of the policy on the facts.
pub(crate) fn not_a_bug(e: &EvalError) -> Result<(), Internal> {
    match e.kind {
        EvalErrorKind::Internal(what) => Err(Internal::new(what)),
        _ => Ok(()),
    }
}

/// Separates a bug from a rule's failure: an internal error stops the run,
/// any other failure stays the rule's outcome.
pub(crate) fn surface<T>(r: Result<T, EvalError>) -> Result<Result<T, EvalError>, Internal> {
    match r {
        Err(EvalError {
            kind: EvalErrorKind::Internal(what),
            ..
        }) => Err(Internal::new(what)),
        other => Ok(other),
    }
}

/// A run-time error as a miette report, pointing into the policy.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
#[diagnostic(
    code(rung::eval::arithmetic),
    help("the rule's result is unknown for this subject; guard the arithmetic or fix the facts")
)]
pub struct EvalReport {
    #[source_code]
    src: miette::NamedSource<std::sync::Arc<str>>,
    #[label("fails here")]
    span: miette::SourceSpan,
    message: String,
}

impl From<&EvalError> for EvalReport {
    fn from(e: &EvalError) -> Self {
        EvalReport {
            src: e.span.named_source(),
            span: e.span.source_span(),
            message: e.to_string(),
        }
    }
}
