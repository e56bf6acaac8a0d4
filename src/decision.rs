//! The decision: what rung evaluation concludes, in the stable JSON shape of
//! `docs/design.md`. Field order here is the JSON key order.

use std::sync::Arc;

use serde::Serialize;

use crate::eval::EvalError;

/// A rung, ladder, rule or subject name, or a justification, shared between
/// the program and every decision that mentions it: copying it into a
/// decision is a reference-count increment, not an allocation.
pub type Name = Arc<str>;

/// Everything an evaluation concludes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Evaluation {
    /// One decision per ladder and subject, by ladder (declaration order) then subject (byte order).
    pub decisions: Vec<Decision>,
    /// Warnings from `warn` declarations about the facts.
    pub warnings: Vec<FactWarning>,
    /// Failures that prevented deciding a whole ladder (the grouped list could not be computed).
    pub errors: Vec<RuleError>,
}

/// Whether a decision can be relied on.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Every rule that could change the outcome was evaluated.
    Complete,
    /// A failing rule could have changed the outcome.
    Indeterminate,
}

/// The decision for one subject on one ladder.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Decision {
    /// Ladder name.
    pub ladder: Name,
    /// Subject (the group key).
    pub subject: Name,
    /// `complete` or `indeterminate`.
    pub status: Status,
    /// Highest recommended rung.
    pub top: Option<Name>,
    /// Recommended rungs, in ladder order, never forbidden ones.
    pub recommended: Vec<Name>,
    /// Every rung a forbid rule hit, in ladder order.
    pub forbidden: Vec<Name>,
    /// Rules that fired, by rung then effect then declaration order.
    pub reasons: Vec<Reason>,
    /// Rules that failed for this subject.
    pub errors: Vec<RuleError>,
}

/// A rule that fired, for one rung.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Reason {
    /// The rung concerned.
    pub rung: Name,
    /// `recommend` or `forbid`.
    pub effect: &'static str,
    /// The rule's name.
    pub rule: Name,
    /// Its justification.
    pub because: Name,
    /// Its citation, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cites: Option<Name>,
}

/// A rule (or a grouping) that failed at run time.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RuleError {
    /// The diagnostic code (`rung explain` explains it).
    pub code: &'static str,
    /// The rule's name (or `rules <ladder>` for a grouping).
    pub rule: String,
    /// `recommend`, `forbid` or `group`.
    pub effect: String,
    /// Rungs the rule concerns.
    pub rungs: Vec<String>,
    /// What failed.
    pub message: String,
    /// `file:line:col` of the failing expression.
    pub location: String,
    /// The failure with its span, for a miette report (not in the JSON).
    #[serde(skip)]
    pub cause: Option<EvalError>,
}

/// A `warn` declaration that matched an item of the facts.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FactWarning {
    /// The warning text.
    pub message: String,
    /// The item, e.g. `id "ALB-5"` or `item 3`.
    pub item: String,
}
