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
use crate::replay::Timeline;

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
        .find(|d| &*d.ladder == ladder && &*d.subject == subject);
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

/// Checks an expectation about the replay of the test's facts; `None`
/// when it holds. `timeline` is `Err` with the reason when the facts could
/// not be replayed (a policy without `now: date`).
pub fn check_through_time(e: &Expectation, timeline: Result<&Timeline, &str>) -> Option<Mismatch> {
    let ladder = e.ladder.name.as_str();
    let subject = e.subject.value.as_str();
    let mismatch = |actual: String| Mismatch {
        expectation: e.span.text().to_string(),
        location: e.span.location(),
        ladder: ladder.to_string(),
        subject: subject.to_string(),
        expected: expected(&e.what),
        actual,
        explanation: Vec::new(),
    };
    let t = match timeline {
        Ok(t) => t,
        Err(why) => return Some(mismatch(format!("no replay: {why}"))),
    };
    let rung = match &e.what {
        Expect::Reaches(r, _) | Expect::NeverReaches(r) => r.name.as_str(),
        _ => return None,
    };
    // The first day the rung is recommended, and the crossing that tells why.
    let first = t
        .subjects
        .iter()
        .find(|s| s.ladder == ladder && s.subject == subject)
        .and_then(|s| {
            s.segments
                .iter()
                .find(|g| g.recommended.iter().any(|r| r == rung))
                .map(|g| (g.from, s))
        });
    let range = format!(
        "from {} to {}",
        crate::value::format_date(t.from),
        crate::value::format_date(t.to)
    );
    match (&e.what, first) {
        (Expect::Reaches(_, day), Some((d, _))) if d == day.days => None,
        (Expect::Reaches(..), Some((d, s))) => {
            let rules: Vec<&str> = s
                .crossings
                .iter()
                .filter(|c| c.date == d && c.rung.as_deref() == Some(rung))
                .flat_map(|c| c.rules.iter().map(String::as_str))
                .collect();
            let by = if rules.is_empty() {
                String::new()
            } else {
                format!(" (by {})", rules.join(", "))
            };
            Some(mismatch(format!(
                "first recommended on {}{by}",
                crate::value::format_date(d)
            )))
        }
        (Expect::Reaches(..), None) => Some(mismatch(format!("never recommended {range}"))),
        (Expect::NeverReaches(_), Some((d, _))) => Some(mismatch(format!(
            "recommended from {}",
            crate::value::format_date(d)
        ))),
        (Expect::NeverReaches(_), None) => None,
        _ => None,
    }
}

/// What an expectation asks for, in words.
pub fn expected(what: &Expect) -> String {
    match what {
        Expect::Top(Some(r)) => format!("top `{}`", r.name),
        Expect::Top(None) => "no rung recommended".into(),
        Expect::Recommends(r) => format!("`{}` recommended", r.name),
        Expect::NotRecommends(r) => format!("`{}` not recommended", r.name),
        Expect::NotForbids(r) => format!("`{}` not forbidden", r.name),
        Expect::Forbids(r) => format!("`{}` forbidden", r.name),
        Expect::Status(s) => format!("status `{}`", s.name),
        Expect::Fires(r) => format!("rule `{}` fires", r.name),
        Expect::NotFires(r) => format!("rule `{}` does not fire", r.name),
        Expect::NoDecision => "no decision".into(),
        Expect::Reaches(r, day) => format!(
            "`{}` first recommended on {}",
            r.name,
            crate::value::format_date(day.days)
        ),
        Expect::NeverReaches(r) => format!("`{}` never recommended", r.name),
    }
}

/// Whether `what` holds for `d`, what `d` holds instead, and which rules explain it.
fn judge(what: &Expect, d: &Decision, rules: &[RuleExplanation]) -> (bool, String, About) {
    match what {
        Expect::Top(want) => {
            let want = want.as_ref().map(|r| r.name.clone());
            let mut rungs: Vec<String> = want
                .iter()
                .cloned()
                .chain(d.top.as_deref().map(str::to_string))
                .collect();
            rungs.dedup();
            (
                d.top.as_deref() == want.as_deref(),
                top(d),
                About::Rungs(rungs),
            )
        }
        Expect::Recommends(r) => {
            let holds = d.recommended.iter().any(|x| **x == *r.name);
            (
                holds,
                rung_state(d, &r.name),
                About::Rungs(vec![r.name.clone()]),
            )
        }
        Expect::NotRecommends(r) => {
            let holds = !d.recommended.iter().any(|x| **x == *r.name);
            (
                holds,
                rung_state(d, &r.name),
                About::Rungs(vec![r.name.clone()]),
            )
        }
        Expect::NotForbids(r) => {
            let holds = !d.forbidden.iter().any(|x| **x == *r.name);
            (
                holds,
                rung_state(d, &r.name),
                About::Rungs(vec![r.name.clone()]),
            )
        }
        Expect::Forbids(r) => {
            let holds = d.forbidden.iter().any(|x| **x == *r.name);
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
        // Judged on the replay (see `check_through_time`), never here.
        Expect::Reaches(..) | Expect::NeverReaches(_) => (
            false,
            "a timeline expectation judged on one decision".into(),
            About::Nothing,
        ),
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
            .filter(|r| &*r.rung == rung && r.effect == effect)
            .map(|r| format!("`{}`", r.rule))
            .collect();
        names.join(", ")
    };
    if d.forbidden.iter().any(|r| &**r == rung) {
        let recommended = by("recommend");
        let mut s = format!("`{rung}` forbidden by {}", by("forbid"));
        if !recommended.is_empty() {
            s.push_str(&format!(" (recommended by {recommended}, overridden)"));
        }
        s
    } else if d.recommended.iter().any(|r| &**r == rung) {
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
        .filter(|d| &*d.ladder == ladder)
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use crate::Policy;
    use crate::testing::{self, Options, Verdict};

    /// `name` fails at run time (division by zero) for a sponsor with one act;
    /// `quiet` forbids everything for sponsor `XQ`.
    const POLICY: &str = r#"
        record Incident { id: string unique  sponsor: string  severity: int }
        facts { incidents: list of Incident }
        ladder response { monitor "Monitor"  name "Name"  sanctions "Sanctions" }
        rules response for each state, acts in incidents grouped by sponsor {
          always: recommend monitor because "Always"
          risky: recommend name when 10 / (count(acts) - 1) > 1 because "Risky"
          heavy: recommend sanctions when sum(acts.severity) >= 6 because "Heavy"
          quiet: forbid monitor and above when state == "XQ" because "Quiet"
        }
    "#;

    /// Runs `tests` (test declarations) against [`POLICY`]; the failed
    /// expectations' `expected` → `actual` of each test, in order.
    fn run(tests: &str) -> Vec<(Verdict, Vec<(String, String)>)> {
        let policy = Policy::from_text("t.rung", &format!("{POLICY}\n{tests}"))
            .map_err(|d| format!("{d:?}"))
            .unwrap();
        let report = testing::run(&policy, &Options::default());
        report
            .tests
            .iter()
            .map(|t| {
                assert!(t.facts_errors.is_empty(), "{:?}", t.facts_errors);
                let f = t
                    .failures
                    .iter()
                    .map(|m| (m.expected.clone(), m.actual.clone()))
                    .collect();
                (t.verdict, f)
            })
            .collect()
    }

    const ONE_ACT: &str = r#"{ "incidents": [ { "id": "a", "sponsor": "XA", "severity": 1 } ] }"#;

    #[test]
    fn a_rule_that_fails_neither_fires_nor_does_not_fire() {
        let out = run(&format!(
            r#"test "failing rule" {{
                 facts {ONE_ACT}
                 expect response "XA" fires risky
                 expect response "XA" not fires risky
                 expect response "XA" status complete
                 expect response "XA" status indeterminate
                 expect response "XA" top monitor
               }}"#
        ));
        let (verdict, failures) = &out[0];
        assert_eq!(*verdict, Verdict::Failed);
        assert_eq!(failures.len(), 3, "{failures:?}");
        assert_eq!(failures[0].0, "rule `risky` fires");
        assert!(
            failures[0].1.starts_with("rule `risky` failed: "),
            "{}",
            failures[0].1
        );
        assert_eq!(failures[1].0, "rule `risky` does not fire");
        assert_eq!(failures[2].1, "status `indeterminate` (1 rule failed)");
    }

    #[test]
    fn top_none_and_forbidden_rungs() {
        let out = run(r#"test "quiet" {
                 facts { "incidents": [ { "id": "q", "sponsor": "XQ", "severity": 6 },
                                        { "id": "r", "sponsor": "XQ", "severity": 1 } ] }
                 expect response "XQ" top none
                 expect response "XQ" not recommends sanctions
                 expect response "XQ" forbids monitor
                 expect response "XQ" fires heavy
                 expect response "XQ" recommends sanctions
                 expect response "XQ" top sanctions
                 expect response "XQ" no decision
               }"#);
        let (verdict, failures) = &out[0];
        assert_eq!(*verdict, Verdict::Failed);
        let actual: Vec<&str> = failures.iter().map(|f| f.1.as_str()).collect();
        assert_eq!(
            actual,
            [
                "`sanctions` forbidden by `quiet` (recommended by `heavy`, overridden)",
                "no rung recommended",
                "decided, no rung recommended",
            ]
        );
    }

    #[test]
    fn a_missing_subject_fails_every_expectation_but_no_decision() {
        let out = run(&format!(
            r#"test "typo in the subject" {{
                 facts {ONE_ACT}
                 expect response "XB" not recommends sanctions
                 expect response "XB" not fires heavy
                 expect response "XB" no decision
               }}"#
        ));
        let (_, failures) = &out[0];
        assert_eq!(failures.len(), 2);
        assert_eq!(
            failures[0].1,
            "no decision for `XB`; `response` decided `XA`"
        );
    }
}
