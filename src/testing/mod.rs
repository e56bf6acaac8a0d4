//! Policy tests: what `rung test` runs.
//!
//! A policy carries its own tests (`test "name" { facts ... expect ... }`),
//! checked with the rest of the policy so a typo in a ladder, rung or rule
//! name is a `check` error. This module runs them: it loads each test's
//! facts, evaluates the policy, checks every expectation against the
//! decision, compares the decision with the test's snapshot, and records
//! which rules fired for the coverage report. Tests are independent: bad
//! facts fail their own test and the others still run.
//!
//! ```
//! use rung::Policy;
//! use rung::testing::{self, Options};
//!
//! let policy = Policy::from_text("doc.rung", r#"
//!     record Incident { id: string unique  sponsor: string  severity: int in 1..5 }
//!     facts { incidents: list of Incident }
//!     ladder response { monitor "Monitor"  sanctions "Sanctions" }
//!     rules response for each state, acts in incidents grouped by sponsor {
//!       always: recommend monitor because "Always watch"
//!       serious: recommend sanctions when sum(acts.severity) >= 6 because "Serious"
//!     }
//!     test "two serious acts" {
//!       facts { "incidents": [ { "id": "a", "sponsor": "XX", "severity": 3 },
//!                              { "id": "b", "sponsor": "XX", "severity": 3 } ] }
//!       expect response "XX" top sanctions
//!       expect response "XX" fires serious
//!     }
//! "#).map_err(|e| format!("{e:?}"))?;
//! let report = testing::run(&policy, &Options::default());
//! assert_eq!((report.passed, report.failed), (1, 0));
//! assert!(report.coverage.unexercised.is_empty());
//! # Ok::<(), String>(())
//! ```

pub mod coverage;
pub mod diff;
pub mod expect;
pub mod facts;
pub mod report;
pub mod snapshot;

use std::sync::Arc;

use serde::Serialize;

use crate::Policy;
use crate::ast::TestDecl;
use crate::check::test_decls::resolve;
use crate::diagnostic::{self, Diag, Style};
use crate::eval::Detail;
use crate::render;
use crate::replay::{self, Timeline};
use crate::source::SourceFile;

pub use coverage::Coverage;
pub use expect::Mismatch;

/// How to run the tests.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Run only tests whose name contains one of these (all when empty).
    pub filters: Vec<String>,
    /// What to do with snapshots.
    pub snapshots: snapshot::Mode,
}

/// The result of a run: every test that ran, the counts and the coverage.
#[derive(Debug, Serialize)]
pub struct Report {
    /// Tests that ran, in policy order (files by path, then declaration order).
    pub tests: Vec<TestResult>,
    /// How many passed.
    pub passed: usize,
    /// How many failed.
    pub failed: usize,
    /// How many the filters left out.
    pub filtered_out: usize,
    /// Rules exercised by the tests that ran.
    pub coverage: Coverage,
}

impl Report {
    /// Whether every test that ran passed.
    pub fn ok(&self) -> bool {
        self.failed == 0
    }
}

/// Whether a test passed.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every expectation held, and the snapshot (if any) matched or was written.
    Passed,
    /// Something did not hold.
    Failed,
}

/// The result of one test.
#[derive(Debug, Serialize)]
pub struct TestResult {
    /// The test's name.
    pub name: String,
    /// Where it is declared (`file:line:col`).
    pub location: String,
    /// Where its facts come from: a path, or `inline at file:line:col`.
    pub facts: String,
    /// Passed or failed.
    pub verdict: Verdict,
    /// Why the facts could not be used (the test then checks nothing else).
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "diags")]
    pub facts_errors: Vec<Diag>,
    /// Expectations that did not hold.
    pub failures: Vec<Mismatch>,
    /// The snapshot comparison, when the test has a snapshot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<snapshot::Outcome>,
    /// The replay snapshot comparison, when the test has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replay_snapshot: Option<snapshot::Outcome>,
}

/// Runs the tests of `policy` that `options` select.
pub fn run(policy: &Policy, options: &Options) -> Report {
    let mut tracker = coverage::Tracker::default();
    let mut tests = Vec::new();
    let mut filtered_out = 0;
    for (decl, file) in &policy.program.tests {
        if selected(&decl.name.value, &options.filters) {
            tests.push(run_one(policy, decl, file, options, &mut tracker));
        } else {
            filtered_out += 1;
        }
    }
    let failed = tests
        .iter()
        .filter(|t| t.verdict == Verdict::Failed)
        .count();
    Report {
        passed: tests.len() - failed,
        failed,
        filtered_out,
        coverage: tracker.finish(&policy.program),
        tests,
    }
}

/// Whether a test named `name` runs: no filters, or one is part of the name.
pub fn selected(name: &str, filters: &[String]) -> bool {
    filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()))
}

fn run_one(
    policy: &Policy,
    decl: &TestDecl,
    file: &Arc<SourceFile>,
    options: &Options,
    tracker: &mut coverage::Tracker,
) -> TestResult {
    let mut result = TestResult {
        name: decl.name.value.clone(),
        location: decl.span.location(),
        facts: facts::origin(file, &decl.facts, &decl.tables),
        verdict: Verdict::Failed,
        facts_errors: Vec::new(),
        failures: Vec::new(),
        snapshot: None,
        replay_snapshot: None,
    };
    let loaded = match facts::load(policy, file, &decl.facts, &decl.tables) {
        Ok(f) => f,
        Err(diags) => {
            result.facts_errors = diags;
            return result;
        }
    };
    // One run: verdicts, coverage, failure explanations and the snapshot
    // are all read off the same outcomes.
    let run = match policy.run(&loaded, Detail::Traces) {
        Ok(r) => r,
        Err(e) => {
            result.facts_errors = vec![Diag::from(e)];
            return result;
        }
    };
    let explanations = match run.explanations(&policy.program) {
        Ok(x) => x,
        Err(e) => {
            result.facts_errors = vec![Diag::from(e)];
            return result;
        }
    };
    let evaluation = &run.evaluation;
    tracker.record(&explanations);
    // The replay, only for a test that asks about time.
    let timeline = (decl.replay_snapshot.is_some()
        || decl.expectations.iter().any(|e| e.what.is_through_time()))
    .then(|| through_time(policy, &loaded));
    result.failures = decl
        .expectations
        .iter()
        .filter_map(|e| match &timeline {
            Some(t) if e.what.is_through_time() => {
                expect::check_through_time(e, t.as_ref().map_err(String::as_str))
            }
            _ => expect::check(e, evaluation, &explanations),
        })
        .collect();
    result.snapshot = decl.snapshot.as_ref().map(|s| {
        let path = resolve(file, &s.value);
        snapshot::compare(
            &path,
            &render::json(evaluation, None, None),
            options.snapshots,
        )
    });
    result.replay_snapshot = decl.replay_snapshot.as_ref().map(|s| {
        let path = resolve(file, &s.value);
        match &timeline {
            Some(Ok(t)) => {
                snapshot::compare(&path, &render::timeline_json(t, None), options.snapshots)
            }
            Some(Err(why)) => snapshot::Outcome {
                path: path.display().to_string(),
                status: snapshot::Status::Error,
                diff: Vec::new(),
                message: Some(format!("cannot replay: {why}")),
            },
            None => snapshot::Outcome {
                path: path.display().to_string(),
                status: snapshot::Status::Error,
                diff: Vec::new(),
                message: Some("the replay was not run".to_string()),
            },
        }
    });
    let snapshot_fails = result
        .snapshot
        .iter()
        .chain(&result.replay_snapshot)
        .any(|s| s.status.fails());
    if result.failures.is_empty() && !snapshot_fails {
        result.verdict = Verdict::Passed;
    }
    result
}

/// The replay of a test's facts over their default range (the earliest
/// date in them through their `now`), or why there is none.
fn through_time(policy: &Policy, facts: &crate::facts::Facts) -> Result<Timeline, String> {
    let now = replay::now_fact(policy).map_err(|e| e.to_string())?;
    let (from, to) = replay::default_range(facts, now)
        .ok_or_else(|| "the facts hold no `now` date".to_string())?;
    replay::replay(policy, facts, from, to).map_err(|e| e.to_string())
}

/// Diagnostics in JSON: code, message and the rendered report (no colour).
fn diags<S: serde::Serializer>(diags: &[Diag], s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Shown {
        code: Option<String>,
        message: String,
        report: String,
    }
    let shown: Vec<Shown> = diags
        .iter()
        .map(|d| Shown {
            code: miette::Diagnostic::code(d).map(|c| c.to_string()),
            message: d.to_string(),
            report: diagnostic::render(std::slice::from_ref(d), Style::NoColor, 100),
        })
        .collect();
    shown.serialize(s)
}
