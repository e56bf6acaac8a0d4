//! The decision for people: per ladder and subject, the top rung, what is
//! recommended and forbidden and why, how far the next rung is, and (with
//! `--explain`) every rule's condition part by part.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::Paint;
use crate::decision::{Decision, Evaluation, Status};
use crate::eval::explain::{Outcome, RuleExplanation, SubjectExplanation, Trace, is_recommend};
use crate::program::Program;

/// What to include.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// Show every rule's condition, part by part.
    pub explain: bool,
    /// Colour.
    pub paint: Paint,
    /// The short policy digest, shown last so a printed decision names the
    /// doctrine that made it (`None` where the context already says).
    pub digest: Option<&'a str>,
}

/// Renders an evaluation; `explanations` (from [`crate::eval::explain::explain`])
/// feed the "next rung" lines and `--explain`.
pub fn human(
    program: &Program,
    evaluation: &Evaluation,
    explanations: &[SubjectExplanation],
    opts: Options<'_>,
) -> String {
    let p = opts.paint;
    let mut out = String::new();
    for w in &evaluation.warnings {
        let _ = writeln!(out, "{} {} ({})", p.yellow("warning:"), w.message, w.item);
    }
    for e in &evaluation.errors {
        let _ = writeln!(
            out,
            "{} `{}` could not be decided: {} at {}",
            p.red("error:"),
            e.rule,
            e.message,
            e.location
        );
    }
    if !evaluation.warnings.is_empty() || !evaluation.errors.is_empty() {
        out.push('\n');
    }
    if evaluation.decisions.is_empty() {
        let why = if evaluation.errors.is_empty() {
            "no subject in the facts matches any rules block"
        } else {
            "the rules above could not be grouped, so their subjects are unknown"
        };
        let _ = writeln!(out, "no decisions: {why}");
    }
    let by_subject: HashMap<(&str, &str), &SubjectExplanation> = explanations
        .iter()
        .map(|s| ((s.ladder.as_str(), s.subject.as_str()), s))
        .collect();
    for (i, d) in evaluation.decisions.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let explanation = by_subject.get(&(&*d.ladder, &*d.subject)).copied();
        decision(&mut out, program, d, explanation, opts);
    }
    if let Some(digest) = opts.digest {
        let _ = writeln!(
            out,
            "\n{}",
            p.dim(&format!(
                "policy {digest} · rung {}",
                crate::policy::RUNG_VERSION
            ))
        );
    }
    out
}

fn decision(
    out: &mut String,
    program: &Program,
    d: &Decision,
    ex: Option<&SubjectExplanation>,
    opts: Options,
) {
    let p = opts.paint;
    let ladder = program.schema.ladders.iter().find(|l| *l.name == *d.ladder);
    let describe = |rung: &str| {
        ladder
            .and_then(|l| l.rungs.iter().find(|r| r.name == rung))
            .map_or(String::new(), |r| r.description.clone())
    };
    let status = match d.status {
        Status::Complete => p.green("complete"),
        Status::Indeterminate => p.yellow("INDETERMINATE"),
    };
    let top = match &d.top {
        Some(t) => format!("{} — {}", p.bold(t), describe(t)),
        None => p.dim("no rung recommended"),
    };
    let _ = writeln!(out, "{}  [{status}]", heading(d, p));
    let _ = writeln!(out, "  top:         {top}");
    let none = p.dim("none");
    let list = |v: &[crate::decision::Name]| {
        if v.is_empty() {
            none.clone()
        } else {
            v.join(", ")
        }
    };
    let _ = writeln!(out, "  recommended: {}", list(&d.recommended));
    let _ = writeln!(
        out,
        "  forbidden:   {}",
        if d.forbidden.is_empty() {
            none.clone()
        } else {
            p.red(&d.forbidden.join(", "))
        }
    );
    if !d.reasons.is_empty() {
        let _ = writeln!(out, "  why:");
        for r in &d.reasons {
            // A recommendation a forbid overrides is shown, but marked as such.
            let overridden = r.effect != "forbid" && d.forbidden.contains(&r.rung);
            let mark = if r.effect == "forbid" {
                p.red("✗ forbid   ")
            } else if overridden {
                p.dim("· recommend")
            } else {
                p.green("✓ recommend")
            };
            let cites = r
                .cites
                .as_ref()
                .map_or(String::new(), |c| format!(" {}", p.dim(&format!("[{c}]"))));
            let note = if overridden {
                p.dim(" (overridden: forbidden)")
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "    {mark} {} ({}){note}: {}{cites}",
                r.rung,
                p.dim(&r.rule),
                r.because
            );
        }
    }
    if !d.errors.is_empty() {
        let _ = writeln!(out, "  {}", p.red("errors:"));
        for e in &d.errors {
            let _ = writeln!(
                out,
                "    {} {} ({} {}): {} at {}",
                p.red("!"),
                e.rule,
                e.effect,
                e.rungs.join(", "),
                e.message,
                e.location
            );
        }
    }
    if let (Some(ex), Some(l)) = (ex, ladder) {
        next_rung(out, d, ex, l, opts);
        if opts.explain {
            let _ = writeln!(out, "  rules:");
            for r in &ex.rules {
                rule_lines(out, r, opts.paint, "    ");
            }
        }
    }
}

/// "How far from the next rung": the rung above `top` and what it lacks.
fn next_rung(
    out: &mut String,
    d: &Decision,
    ex: &SubjectExplanation,
    ladder: &crate::types::Ladder,
    opts: Options,
) {
    let p = opts.paint;
    let next = match &d.top {
        None => 0,
        Some(t) => ladder
            .rungs
            .iter()
            .position(|r| *r.name == **t)
            .map_or(usize::MAX, |i| i + 1),
    };
    let Some(rung) = ladder.rungs.get(next) else {
        return;
    };
    let _ = write!(out, "  next rung:   {} — ", p.bold(&rung.name));
    if d.forbidden.iter().any(|f| **f == *rung.name) {
        let by: Vec<&str> = d
            .reasons
            .iter()
            .filter(|r| *r.rung == *rung.name && r.effect == "forbid")
            .map(|r| &*r.rule)
            .collect();
        let _ = writeln!(out, "{} by {}", p.red("forbidden"), by.join(", "));
        return;
    }
    let rules: Vec<&RuleExplanation> = ex
        .rules
        .iter()
        .filter(|r| is_recommend(r) && r.range.0.index() <= next && next <= r.range.1.index())
        .collect();
    if rules.is_empty() {
        let _ = writeln!(out, "no rule recommends it");
        return;
    }
    let _ = writeln!(out, "not reached; it needs one of:");
    for r in rules {
        let _ = writeln!(out, "    {}:", r.rule);
        match &r.condition {
            Some(t) => {
                for line in unmet_lines(t, p) {
                    let _ = writeln!(out, "      {line}");
                }
            }
            None => {
                let _ = writeln!(out, "      {}", r.error.as_deref().unwrap_or("(always)"));
            }
        }
    }
}

/// The parts of a condition that did not hold (all of them, for `or`): the
/// "next rung" lines, and a replay's closest approach.
pub fn unmet_lines(t: &Trace, p: Paint) -> Vec<String> {
    match t {
        Trace::All { parts, .. } => {
            let unmet: Vec<String> = parts
                .iter()
                .filter(|x| x.holds() != Some(true))
                .flat_map(|x| unmet_lines(x, p))
                .collect();
            if unmet.is_empty() {
                trace_lines(t, p)
            } else {
                unmet
            }
        }
        // Only the parts of the definition that did not hold, under its name.
        Trace::Named { holds, name, part } if *holds != Some(true) => {
            let mut v = vec![named_heading(*holds, name, p)];
            v.extend(unmet_lines(part, p).into_iter().map(|l| format!("    {l}")));
            v
        }
        _ => trace_lines(t, p),
    }
}

/// One rule's outcome and its condition part by part, as `--explain` shows
/// it (shared by `rung test` failures and the REPL's `:why`).
pub fn rule_lines(out: &mut String, r: &RuleExplanation, p: Paint, indent: &str) {
    let mark = match r.outcome {
        Outcome::Fired => p.green("✓ fired  "),
        Outcome::NotMet => p.dim("✗ not met"),
        Outcome::Failed => p.red("! failed "),
    };
    let rungs = match r.rungs.as_slice() {
        [one] => one.clone(),
        [first, .., last] => format!("{first} to {last}"),
        [] => String::new(),
    };
    let _ = writeln!(
        out,
        "{indent}{mark} {} — {} {rungs}",
        p.bold(&r.rule),
        r.effect
    );
    if let Some(e) = &r.error {
        let _ = writeln!(out, "{indent}    {}", p.red(e));
    }
    match &r.condition {
        Some(t) => {
            for line in trace_lines(t, p) {
                let _ = writeln!(out, "{indent}    {line}");
            }
        }
        None => {
            let _ = writeln!(
                out,
                "{indent}    {}",
                p.dim("(no condition: always applies)")
            );
        }
    }
}

/// Lines of a part nested under `one of:` or `not:`; a conjunction there
/// gets its own `all of:` heading so the grouping stays visible.
fn nested_lines(t: &Trace, p: Paint) -> Vec<String> {
    match t {
        Trace::All { holds, parts } if parts.len() > 1 => {
            let mark = match holds {
                Some(true) => p.green("✓"),
                Some(false) => p.red("✗"),
                None => p.red("!"),
            };
            let mut v = vec![format!("{mark} all of:")];
            for part in parts {
                v.extend(
                    nested_lines(part, p)
                        .into_iter()
                        .map(|l| format!("    {l}")),
                );
            }
            v
        }
        _ => trace_lines(t, p),
    }
}

/// `response · IR`: how every view names a decision.
pub fn heading(d: &Decision, p: Paint) -> String {
    format!(
        "{} {} {}",
        p.cyan(&d.ladder),
        p.dim("·"),
        p.bold(&d.subject)
    )
}

/// A condition trace as indented lines: `✓ count(high_acts) = 2, needs >= 2`.
pub fn trace_lines(t: &Trace, p: Paint) -> Vec<String> {
    let mark = |h: Option<bool>| match h {
        Some(true) => p.green("✓"),
        Some(false) => p.red("✗"),
        None => p.red("!"),
    };
    match t {
        Trace::Leaf { holds, summary, .. } => vec![format!("{} {summary}", mark(*holds))],
        Trace::All { parts, .. } => parts.iter().flat_map(|x| trace_lines(x, p)).collect(),
        Trace::Any { holds, parts } => {
            let mut v = vec![format!("{} one of:", mark(*holds))];
            for part in parts {
                v.extend(
                    nested_lines(part, p)
                        .into_iter()
                        .map(|l| format!("    {l}")),
                );
            }
            v
        }
        Trace::Not { holds, part } => {
            let mut v = vec![format!("{} not:", mark(*holds))];
            v.extend(
                nested_lines(part, p)
                    .into_iter()
                    .map(|l| format!("    {l}")),
            );
            v
        }
        // The heading stands for the definition: its parts go right below.
        Trace::Named { holds, name, part } => {
            let mut v = vec![named_heading(*holds, name, p)];
            v.extend(trace_lines(part, p).into_iter().map(|l| format!("    {l}")));
            v
        }
    }
}

/// `✗ meets_pledge is false:`, above the parts of its definition.
fn named_heading(holds: Option<bool>, name: &str, p: Paint) -> String {
    match holds {
        Some(true) => format!("{} {name} is true:", p.green("✓")),
        Some(false) => format!("{} {name} is false:", p.red("✗")),
        None => format!("{} {name} failed:", p.red("!")),
    }
}
