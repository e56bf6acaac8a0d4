//! The decision: what rung evaluation concludes, in the stable JSON shape of
//! `docs/design.md`. Field order here is the JSON key order.

use std::borrow::Cow;

use serde::Serialize;

use crate::eval::EvalError;

/// A rung, ladder, rule or subject name, or a justification. A decision
/// borrows it from the program that made it: naming a rung costs a pointer,
/// neither an allocation nor a reference count, which threads deciding at
/// once would contend on. [`Evaluation::into_owned`] detaches a decision
/// that must outlive its program (the REPL's `:diff` baseline).
pub type Name<'a> = Cow<'a, str>;

/// Everything an evaluation concludes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Evaluation<'a> {
    /// One decision per ladder and subject, by ladder (declaration order) then subject (byte order).
    pub decisions: Vec<Decision<'a>>,
    /// Warnings from `warn` declarations about the facts.
    pub warnings: Vec<FactWarning>,
    /// Failures that prevented deciding a whole ladder (the grouped list could not be computed).
    pub errors: Vec<RuleError>,
}

impl Evaluation<'_> {
    /// The same evaluation, owning its names.
    pub fn into_owned(self) -> Evaluation<'static> {
        Evaluation {
            decisions: self
                .decisions
                .into_iter()
                .map(Decision::into_owned)
                .collect(),
            warnings: self.warnings,
            errors: self.errors,
        }
    }
}

impl Decision<'_> {
    /// The same decision, owning its names.
    pub fn into_owned(self) -> Decision<'static> {
        let own = |n: Name<'_>| -> Name<'static> { Cow::Owned(n.into_owned()) };
        Decision {
            ladder: own(self.ladder),
            subject: own(self.subject),
            status: self.status,
            top: self.top.map(own),
            recommended: self.recommended.into_iter().map(own).collect(),
            forbidden: self.forbidden.into_iter().map(own).collect(),
            reasons: self
                .reasons
                .into_iter()
                .map(|r| Reason {
                    rung: own(r.rung),
                    effect: r.effect,
                    rule: own(r.rule),
                    because: own(r.because),
                    cites: r.cites.map(own),
                })
                .collect(),
            errors: self.errors,
        }
    }
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
pub struct Decision<'a> {
    /// Ladder name.
    pub ladder: Name<'a>,
    /// Subject (the group key).
    pub subject: Name<'a>,
    /// `complete` or `indeterminate`.
    pub status: Status,
    /// Highest recommended rung.
    pub top: Option<Name<'a>>,
    /// Recommended rungs, in ladder order, never forbidden ones.
    pub recommended: Vec<Name<'a>>,
    /// Every rung a forbid rule hit, in ladder order.
    pub forbidden: Vec<Name<'a>>,
    /// Rules that fired, by rung then effect then declaration order.
    pub reasons: Vec<Reason<'a>>,
    /// Rules that failed for this subject.
    pub errors: Vec<RuleError>,
}

/// A rule that fired, for one rung.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Reason<'a> {
    /// The rung concerned.
    pub rung: Name<'a>,
    /// `recommend` or `forbid`.
    pub effect: &'static str,
    /// The rule's name.
    pub rule: Name<'a>,
    /// Its justification.
    pub because: Name<'a>,
    /// Its citation, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cites: Option<Name<'a>>,
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

impl FactWarning {
    /// The warning on one line, as a replay lists it: `text (item)`.
    pub fn line(&self) -> String {
        format!("{} ({})", self.message, self.item)
    }
}
