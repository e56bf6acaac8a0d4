//! Warnings found by the checker: things that are legal but likely wrong.
//!
//! A warning never stops a policy from checking, and that is decided by its
//! type: the checker returns [`CheckWarning`]s apart from
//! [`CheckError`](super::CheckError)s, and the severity is declared once, on
//! the enum, so a new lint is a warning by being a variant here.

use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceSpan};
use thiserror::Error;

use crate::source::Span;

/// Something legal but likely wrong in a policy (`rung::lint::*`).
///
/// `severity(Warning)` is set for the whole enum; the derive rejects a
/// variant that sets it again, so no lint can be an error.
#[derive(Debug, Error, Diagnostic)]
#[diagnostic(severity(Warning))]
#[allow(
    missing_docs,
    reason = "fields are named for what they hold; each variant documents an input that triggers it"
)]
pub enum CheckWarning {
    /// `let unused = 3` never referred to.
    #[error("definition `{name}` is never used")]
    #[diagnostic(code(rung::lint::unused), help("remove it, or use it in a rule"))]
    UnusedLet {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("defined here")]
        span: SourceSpan,
        name: String,
    },

    /// A rung that no `recommend` rule names.
    #[error("no rule can recommend rung `{rung}` of `{ladder}`")]
    #[diagnostic(
        code(rung::lint::unreachable_rung),
        help("add a `recommend {rung} when ...` rule, or remove the rung")
    )]
    UnreachableRung {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("never recommended")]
        span: SourceSpan,
        rung: String,
        ladder: String,
    },

    /// `when 1 < 2`: a condition that does not depend on the facts.
    #[error("condition is always {value}")]
    #[diagnostic(
        code(rung::lint::constant),
        help("a condition should depend on the facts; remove `when` if the rule always applies")
    )]
    ConstantCondition {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("does not depend on the facts")]
        span: SourceSpan,
        value: bool,
    },

    /// `sponsor == sponsor` (a rename left one side behind), `count(xs) >= 0`,
    /// `a and not a`: a condition that reads the facts but whose value is
    /// fixed by its form.
    #[error("`{text}` is always {value}: {reason}")]
    #[diagnostic(code(rung::lint::tautology))]
    Tautology {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("always {value}")]
        span: SourceSpan,
        text: String,
        value: bool,
        reason: String,
        #[help]
        help: String,
    },

    /// `forbid sanctions when false`, or a forbid of rungs that nothing recommends.
    #[error("this forbid can never apply: {reason}")]
    #[diagnostic(
        code(rung::lint::dead_forbid),
        help("remove the rule or correct its rungs or condition")
    )]
    DeadForbid {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("never changes a decision")]
        span: SourceSpan,
        reason: String,
    },

    /// `let date = ...` when items also have a `date` field.
    #[error("`{name}` here means {meaning}, hiding {hidden}")]
    #[diagnostic(
        code(rung::lint::shadowed),
        help("rename one of them so each name means one thing")
    )]
    Shadowed {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label(primary, "this `{name}` is {meaning}")]
        span: SourceSpan,
        /// Later places in the same file where the name means the same.
        #[label(collection)]
        others: Vec<LabeledSpan>,
        name: String,
        meaning: String,
        hidden: String,
    },
}

/// Source and span of a [`Span`], as miette wants them.
fn at(span: &Span) -> (NamedSource<Arc<str>>, SourceSpan) {
    (span.named_source(), span.source_span())
}

impl CheckWarning {
    /// Definition `name`, declared at `span`, is never used.
    pub(crate) fn unused_let(span: &Span, name: &str) -> Self {
        let (src, span) = at(span);
        CheckWarning::UnusedLet {
            src,
            span,
            name: name.to_string(),
        }
    }

    /// No rule can recommend rung `rung` (declared at `span`) of `ladder`.
    pub(crate) fn unreachable_rung(span: &Span, rung: &str, ladder: &str) -> Self {
        let (src, span) = at(span);
        CheckWarning::UnreachableRung {
            src,
            span,
            rung: rung.to_string(),
            ladder: ladder.to_string(),
        }
    }

    /// The condition at `span` is always `value`.
    pub(crate) fn constant_condition(span: &Span, value: bool) -> Self {
        let (src, span) = at(span);
        CheckWarning::ConstantCondition { src, span, value }
    }

    /// The condition at `span` is always `value` by its form, for `reason`;
    /// `help` says what was likely meant.
    pub(crate) fn tautology(
        span: &Span,
        value: bool,
        reason: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        let text = span.text().to_string();
        let (src, span) = at(span);
        CheckWarning::Tautology {
            src,
            span,
            text,
            value,
            reason: reason.into(),
            help: help.into(),
        }
    }

    /// The forbid at `span` never applies, for `reason`.
    pub(crate) fn dead_forbid(span: &Span, reason: impl Into<String>) -> Self {
        let (src, span) = at(span);
        CheckWarning::DeadForbid {
            src,
            span,
            reason: reason.into(),
        }
    }

    /// `name` at `span` means `meaning` and hides `hidden`.
    pub(crate) fn shadowed(span: &Span, name: &str, meaning: &str, hidden: &str) -> Self {
        let (src, span) = at(span);
        CheckWarning::Shadowed {
            src,
            span,
            others: Vec::new(),
            name: name.to_string(),
            meaning: meaning.to_string(),
            hidden: hidden.to_string(),
        }
    }

    /// When this warns that `name` means `meaning` and hides `hidden` in the
    /// file of `span`, adds `span` to it as another place ("and here") and
    /// says so; one warning per meaning per file, however often it recurs.
    pub(crate) fn also_shadowed_at(
        &mut self,
        span: &Span,
        name: &str,
        meaning: &str,
        hidden: &str,
    ) -> bool {
        match self {
            CheckWarning::Shadowed {
                src,
                others,
                name: n,
                meaning: m,
                hidden: h,
                ..
            } if n == name && m == meaning && h == hidden && src.name() == span.file.name => {
                others.push(LabeledSpan::new(
                    Some("and here".to_string()),
                    span.start,
                    span.end.saturating_sub(span.start),
                ));
                true
            }
            _ => false,
        }
    }
}
