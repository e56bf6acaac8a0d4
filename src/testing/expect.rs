//! Checking one expectation against an evaluation.
//!
//! A failed expectation says what was expected, what the decision holds
//! instead, and carries the explanation of the rules concerned (those naming
//! the rung in question, or the rule named), so the author sees which part
//! of which condition made the difference without rerunning `rung eval`.

use serde::Serialize;

use crate::ast::{Expect, Expectation};
use crate::decision::{Decision, Evaluation, Status};
use crate::eval::explain::{Outcome, RuleExplanation, SubjectExplanation};

/// An expectation that did not hold.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Mismatch {
    /// The expectation as written in the test.
    pub expectation: String,
    /// Where it is written (`file:line:col`).
    pub location: String,
    /// The ladder it is about.
    pub ladder: String,
    /// The subject it is about.
    pub subject: String,
    /// What the test expected, in words.
    pub expected: String,
    /// What the decision holds instead, in words.
    pub actual: String,
    /// The rules concerned, part by part, as `rung eval --explain` shows them.
    pub explanation: Vec<RuleExplanation>,
}

/// Which rules explain a mismatch.
enum About {
    /// Rules that recommend or forbid any of these rungs.
    Rungs(Vec<String>),
    /// One rule.
    Rule(String),
    /// Rules that failed.
    Failed,
    /// None.
    Nothing,
}

/// Checks `e`; `None` when it holds.
pub fn check(
    e: &Expectation,
    evaluation: &Evaluation,
    explanations: &[SubjectExplanation],
) -> Option<Mismatch> {
    let ladder = e.ladder.name.as_str();
    let subject = e.subject.value.as_str();
    let explained = explanations
        .iter()
        .find(|s| s.ladder == ladder && s.subject == subject)
        .map_or(&[][..], |s| s.rules.as_slice());
    let decision = evaluation
        .decisions
        .iter()
        .find(|d| d.ladder == ladder && d.subject == subject);
    let (holds, actual, about) = match decision {
        None if matches!(e.what, Expect::NoDecision) => return None,
        None => (
            false,
            undecided(evaluation, ladder, subject),
            About::Nothing,
        ),
        Some(d) => judge(&e.what, d, explained),
    };
    if holds {
        return None;
    }
    let explanation = explained
        .iter()
        .filter(|r| match &about {
            About::Rungs(rungs) => r.rungs.iter().any(|x| rungs.contains(x)),
            About::Rule(name) => r.rule == *name,
            About::Failed => r.outcome == Outcome::Failed,
            About::Nothing => false,
        })
        .cloned()
        .collect();
    Some(Mismatch {
        expectation: e.span.text().to_string(),
        location: e.span.location(),
        ladder: ladder.to_string(),
        subject: subject.to_string(),
        expected: expected(&e.what),
        actual,
        explanation,
    })
}

/// What an expectation asks for, in words.
pub fn expected(what: &Expect) -> String {
    match what {
        Expect::Top(Some(r)) => format!("top `{}`", r.name),
        Expect::Top(None) => "no rung recommended".into(),
        Expect::Recommends(r) => format!("`{}` recommended", r.name),
        Expect::NotRecommends(r) => format!("`{}` not recommended", r.name),
        Expect::Forbids(r) => format!("`{}` forbidden", r.name),
        Expect::Status(s) => format!("status `{}`", s.name),
        Expect::Fires(r) => format!("rule `{}` fires", r.name),
        Expect::NotFires(r) => format!("rule `{}` does not fire", r.name),
        Expect::NoDecision => "no decision".into(),
    }
}

/// Whether `what` holds for `d`, what `d` holds instead, and which rules explain it.
fn judge(what: &Expect, d: &Decision, rules: &[RuleExplanation]) -> (bool, String, About) {
    match what {
        Expect::Top(want) => {
            let want = want.as_ref().map(|r| r.name.clone());
            let mut rungs: Vec<String> = want.iter().chain(&d.top).cloned().collect();
            rungs.dedup();
            (d.top == want, top(d), About::Rungs(rungs))
        }
        Expect::Recommends(r) => {
            let holds = d.recommended.contains(&r.name);
            (
                holds,
                rung_state(d, &r.name),
                About::Rungs(vec![r.name.clone()]),
            )
        }
        Expect::NotRecommends(r) => {
            let holds = !d.recommended.contains(&r.name);
            (
                holds,
                rung_state(d, &r.name),
                About::Rungs(vec![r.name.clone()]),
            )
        }
        Expect::Forbids(r) => {
            let holds = d.forbidden.contains(&r.name);
            (
                holds,
                rung_state(d, &r.name),
                About::Rungs(vec![r.name.clone()]),
            )
        }
        Expect::Status(s) => {
            let actual = status_name(d.status);
            let mut text = format!("status `{actual}`");
            if !d.errors.is_empty() {
                let n = d.errors.len();
                text.push_str(&format!(
                    " ({n} rule{} failed)",
                    if n == 1 { "" } else { "s" }
                ));
            }
            (actual == s.name, text, About::Failed)
        }
        Expect::Fires(r) | Expect::NotFires(r) => {
            let found = rules.iter().find(|x| x.rule == r.name);
            let outcome = found.map(|x| x.outcome);
            let want = if matches!(what, Expect::Fires(_)) {
                Outcome::Fired
            } else {
                Outcome::NotMet
            };
            let actual = match found {
                Some(x) if x.outcome == Outcome::Fired => format!("rule `{}` fired", r.name),
                Some(x) if x.outcome == Outcome::NotMet => {
                    format!("rule `{}` did not fire: its condition was not met", r.name)
                }
                Some(x) => format!(
                    "rule `{}` failed: {}",
                    r.name,
                    x.error.as_deref().unwrap_or("unknown error")
                ),
                None => format!("rule `{}` does not decide this subject", r.name),
            };
            (outcome == Some(want), actual, About::Rule(r.name.clone()))
        }
        Expect::NoDecision => (false, format!("decided, {}", top(d)), About::Nothing),
    }
}

/// `top `x`` or `no rung recommended`.
fn top(d: &Decision) -> String {
    match &d.top {
        Some(t) => format!("top `{t}`"),
        None => "no rung recommended".into(),
    }
}

/// Where `rung` stands in `d`: recommended, forbidden (and by what), or neither.
fn rung_state(d: &Decision, rung: &str) -> String {
    let by = |effect: &str| {
        let names: Vec<String> = d
            .reasons
            .iter()
            .filter(|r| r.rung == rung && r.effect == effect)
            .map(|r| format!("`{}`", r.rule))
            .collect();
        names.join(", ")
    };
    if d.forbidden.iter().any(|r| r == rung) {
        let recommended = by("recommend");
        let mut s = format!("`{rung}` forbidden by {}", by("forbid"));
        if !recommended.is_empty() {
            s.push_str(&format!(" (recommended by {recommended}, overridden)"));
        }
        s
    } else if d.recommended.iter().any(|r| r == rung) {
        format!("`{rung}` recommended by {}", by("recommend"))
    } else {
        let list = if d.recommended.is_empty() {
            "none".to_string()
        } else {
            d.recommended.join(", ")
        };
        format!("`{rung}` neither recommended nor forbidden (recommended: {list})")
    }
}

/// Why a subject has no decision: the subjects there are, and ladder errors.
fn undecided(evaluation: &Evaluation, ladder: &str, subject: &str) -> String {
    let subjects: Vec<String> = evaluation
        .decisions
        .iter()
        .filter(|d| d.ladder == ladder)
        .map(|d| format!("`{}`", d.subject))
        .collect();
    let mut s = if subjects.is_empty() {
        format!("no decision for `{subject}`: `{ladder}` decided no subject")
    } else {
        format!(
            "no decision for `{subject}`; `{ladder}` decided {}",
            subjects.join(", ")
        )
    };
    let group = format!("rules {ladder}");
    for e in evaluation.errors.iter().filter(|e| e.rule == group) {
        s.push_str(&format!(
            "; the ladder could not be decided: {} at {}",
            e.message, e.location
        ));
    }
    s
}

/// The status as tests spell it.
pub fn status_name(s: Status) -> &'static str {
    match s {
        Status::Complete => "complete",
        Status::Indeterminate => "indeterminate",
    }
}
