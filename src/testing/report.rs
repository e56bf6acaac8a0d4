//! Rendering a test run: for people, in the shape `cargo test` made familiar
//! (`test NAME ... ok`, the failures, a closing `N passed, N failed`), and
//! for programs, as one JSON document.

use std::fmt::Write as _;

use super::coverage::Coverage;
use super::diff::Line;
use super::expect::Mismatch;
use super::snapshot::{self, Status};
use super::{Report, TestResult, Verdict};
use crate::diagnostic::{self, Style};
use crate::eval::explain::RuleExplanation;
use crate::render::Paint;

/// The run for people; the last line is exactly `N passed, N failed`.
pub fn human(report: &Report, paint: Paint, width: usize) -> String {
    let p = paint;
    let mut out = String::new();
    let n = report.tests.len();
    let _ = write!(out, "running {n} test{}", plural(n));
    if report.filtered_out > 0 {
        let _ = write!(out, " ({} filtered out)", report.filtered_out);
    }
    out.push('\n');
    for t in &report.tests {
        let verdict = match t.verdict {
            Verdict::Passed => p.green("ok"),
            Verdict::Failed => p.red("FAILED"),
        };
        let _ = write!(out, "test {} ... {verdict}", t.name);
        for s in t.snapshot.iter().chain(&t.replay_snapshot) {
            match s.status {
                Status::Created => {
                    let _ = write!(
                        out,
                        " {}",
                        p.dim(&format!("(snapshot written: {})", s.path))
                    );
                }
                Status::Updated => {
                    let _ = write!(
                        out,
                        " {}",
                        p.dim(&format!("(snapshot updated: {})", s.path))
                    );
                }
                _ => {}
            }
        }
        out.push('\n');
    }
    let failed: Vec<&TestResult> = report
        .tests
        .iter()
        .filter(|t| t.verdict == Verdict::Failed)
        .collect();
    if !failed.is_empty() {
        let _ = writeln!(out, "\nfailures:");
        for t in &failed {
            failure(&mut out, t, p, width);
        }
        let _ = writeln!(out, "\nfailures:");
        for t in &failed {
            let _ = writeln!(out, "    {}", t.name);
        }
    }
    out.push('\n');
    coverage(&mut out, &report.coverage, report.filtered_out > 0, p);
    let _ = writeln!(out, "{} passed, {} failed", report.passed, report.failed);
    out
}

/// The run as one pretty JSON document, ending with a newline.
pub fn json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    s.push('\n');
    s
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn failure(out: &mut String, t: &TestResult, p: Paint, width: usize) {
    let _ = writeln!(out, "\n---- {} ----", p.bold(&t.name));
    let _ = writeln!(
        out,
        "{}",
        p.dim(&format!("{}, facts {}", t.location, t.facts))
    );
    if !t.facts_errors.is_empty() {
        let _ = writeln!(out, "the facts cannot be used:");
        let style = if p.enabled {
            Style::Color
        } else {
            Style::NoColor
        };
        out.push_str(&diagnostic::render(&t.facts_errors, style, width));
    }
    for m in &t.failures {
        mismatch(out, m, p);
    }
    if let Some(s) = &t.snapshot {
        snapshot_failure(out, s, "decision", p);
    }
    if let Some(s) = &t.replay_snapshot {
        snapshot_failure(out, s, "replay", p);
    }
}

fn mismatch(out: &mut String, m: &Mismatch, p: Paint) {
    let _ = writeln!(out, "{}  {}", p.bold(&m.expectation), p.dim(&m.location));
    let _ = writeln!(out, "  expected: {}", p.green(&m.expected));
    let _ = writeln!(out, "  actual:   {}", p.red(&m.actual));
    if !m.explanation.is_empty() {
        let _ = writeln!(out, "  {} · {}:", p.cyan(&m.ladder), p.bold(&m.subject));
        for r in &m.explanation {
            rule(out, r, p);
        }
    }
}

/// One rule and its condition, as `rung eval --explain` shows it.
fn rule(out: &mut String, r: &RuleExplanation, p: Paint) {
    crate::render::rule_lines(out, r, p, "    ");
}

/// Why a snapshot failed; `what` is what it holds (`decision`, `replay`).
fn snapshot_failure(out: &mut String, s: &snapshot::Outcome, what: &str, p: Paint) {
    match s.status {
        Status::Changed => {
            let _ = writeln!(
                out,
                "snapshot {} changed ({} stored, {} {what} now):",
                s.path,
                p.red("-"),
                p.green("+")
            );
            for line in &s.diff {
                let text = line.text();
                let shown = match line {
                    Line::Hunk(_) => p.cyan(&text),
                    Line::Same(_) => text,
                    Line::Removed(_) => p.red(&text),
                    Line::Added(_) => p.green(&text),
                };
                let _ = writeln!(out, "  {shown}");
            }
            let _ = writeln!(
                out,
                "  review the change, then run `rung test --update` to accept it"
            );
        }
        Status::Missing => {
            let _ = writeln!(
                out,
                "snapshot {} is missing ({}); run `rung test` without `CI`, or with `--update`, review it and commit it",
                s.path,
                s.message.as_deref().unwrap_or("not written")
            );
        }
        Status::Error => {
            let _ = writeln!(
                out,
                "snapshot {}: {}",
                s.path,
                s.message.as_deref().unwrap_or("unknown error")
            );
        }
        Status::Matched | Status::Created | Status::Updated => {}
    }
}

fn coverage(out: &mut String, c: &Coverage, filtered: bool, p: Paint) {
    let _ = write!(
        out,
        "coverage: {} of {} rules fired in some test",
        c.exercised, c.rules
    );
    if c.forbids > 0 {
        let _ = write!(out, " ({} of {} forbids)", c.forbids_exercised, c.forbids);
    }
    if filtered {
        let _ = writeln!(out, "; a filtered run, so rules left out are not listed");
        return;
    }
    if c.unexercised.is_empty() {
        out.push('\n');
        return;
    }
    let _ = writeln!(out, "; {}", p.yellow("never fired:"));
    let width = c
        .unexercised
        .iter()
        .map(|r| r.rule.chars().count())
        .max()
        .unwrap_or(0);
    for r in &c.unexercised {
        let _ = writeln!(
            out,
            "    {:<9} {:<width$}  {}",
            r.effect,
            r.rule,
            p.dim(&format!("({}, {})", r.ladder, r.location)),
        );
    }
}
