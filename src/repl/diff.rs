//! `:diff`: how the decisions changed between two evaluations — per ladder
//! and subject, the top rung before → after, rungs that joined or left the
//! recommended and forbidden lists, and status changes.

use std::fmt::Write as _;

use crate::decision::{Decision, Evaluation, Status};
use crate::render::{Paint, heading};

/// The change of one decision.
#[derive(Debug, Clone, PartialEq)]
pub enum Change<'a> {
    /// A subject that appeared.
    Added(&'a Decision<'a>),
    /// A subject that is no longer decided.
    Removed(&'a Decision<'a>),
    /// A subject whose decision changed.
    Changed(&'a Decision<'a>, &'a Decision<'a>),
}

/// Every decision that differs, by ladder order then subject.
pub fn changes<'a>(before: &'a Evaluation, after: &'a Evaluation) -> Vec<Change<'a>> {
    let key = |d: &'a Decision| (&*d.ladder, &*d.subject);
    let mut out = Vec::new();
    for a in &after.decisions {
        match before.decisions.iter().find(|b| key(b) == key(a)) {
            None => out.push(Change::Added(a)),
            Some(b) if differs(b, a) => out.push(Change::Changed(b, a)),
            Some(_) => {}
        }
    }
    for b in &before.decisions {
        if !after.decisions.iter().any(|a| key(a) == key(b)) {
            out.push(Change::Removed(b));
        }
    }
    // Keep the order of decisions: ladders as declared (taken from `after`,
    // then `before`), subjects in byte order.
    let ladder_pos = |l: &str| {
        after
            .decisions
            .iter()
            .chain(&before.decisions)
            .position(|d| &*d.ladder == l)
            .unwrap_or(usize::MAX)
    };
    out.sort_by(|x, y| {
        let (dx, dy) = (decision_of(x), decision_of(y));
        (ladder_pos(&dx.ladder), &dx.subject).cmp(&(ladder_pos(&dy.ladder), &dy.subject))
    });
    out
}

fn decision_of<'a>(c: &Change<'a>) -> &'a Decision<'a> {
    match c {
        Change::Added(d) | Change::Removed(d) | Change::Changed(_, d) => d,
    }
}

fn differs(a: &Decision, b: &Decision) -> bool {
    a.top != b.top
        || a.status != b.status
        || a.recommended != b.recommended
        || a.forbidden != b.forbidden
        || a.reasons != b.reasons
        || a.errors != b.errors
}

/// A status in words.
pub fn status(s: Status) -> &'static str {
    match s {
        Status::Complete => "complete",
        Status::Indeterminate => "indeterminate",
    }
}

/// `recommended + sanctions`, `recommended - monitor`: one entry per list
/// that changed (rung names joined), without colour.
pub fn moves<T: AsRef<str> + PartialEq>(what: &str, before: &[T], after: &[T]) -> Vec<String> {
    let added: Vec<&str> = after
        .iter()
        .filter(|x| !before.contains(x))
        .map(AsRef::as_ref)
        .collect();
    let removed: Vec<&str> = before
        .iter()
        .filter(|x| !after.contains(x))
        .map(AsRef::as_ref)
        .collect();
    let mut out = Vec::new();
    if !added.is_empty() {
        out.push(format!("{what} + {}", added.join(", ")));
    }
    if !removed.is_empty() {
        out.push(format!("{what} - {}", removed.join(", ")));
    }
    out
}

fn top<'a>(d: &'a Decision<'_>) -> &'a str {
    d.top.as_deref().unwrap_or("none")
}

/// Renders the changes, or a line saying there are none.
pub fn render(before: &Evaluation, after: &Evaluation, p: Paint) -> String {
    let changes = changes(before, after);
    let mut out = String::new();
    if changes.is_empty() {
        out.push_str("no decision changed\n");
        return out;
    }
    for c in changes {
        match c {
            Change::Added(d) => {
                let _ = writeln!(out, "{}  {}", heading(d, p), p.green("(new subject)"));
                let _ = writeln!(out, "  top:         {}", top(d));
                list_line(&mut out, "recommended", &[], &d.recommended, p);
                list_line(&mut out, "forbidden", &[], &d.forbidden, p);
            }
            Change::Removed(d) => {
                let _ = writeln!(out, "{}  {}", heading(d, p), p.red("(no longer a subject)"));
                let _ = writeln!(out, "  top was:     {}", top(d));
            }
            Change::Changed(b, a) => changed(&mut out, b, a, p),
        }
    }
    out
}

fn changed(out: &mut String, b: &Decision, a: &Decision, p: Paint) {
    let _ = writeln!(out, "{}", heading(a, p));
    if b.top == a.top {
        let _ = writeln!(out, "  top:         {} (unchanged)", top(a));
    } else {
        let _ = writeln!(out, "  top:         {} → {}", top(b), p.bold(top(a)));
    }
    list_line(out, "recommended", &b.recommended, &a.recommended, p);
    list_line(out, "forbidden", &b.forbidden, &a.forbidden, p);
    if b.status != a.status {
        let _ = writeln!(
            out,
            "  status:      {} → {}",
            status(b.status),
            status(a.status)
        );
    }
    let fired = |d: &Decision| -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for r in &d.reasons {
            if !v.iter().any(|x| **x == *r.rule) {
                v.push(r.rule.to_string());
            }
        }
        v
    };
    list_line(out, "rules fired", &fired(b), &fired(a), p);
    let errors = |d: &Decision| d.errors.iter().map(|e| e.rule.clone()).collect::<Vec<_>>();
    list_line(out, "rules failed", &errors(b), &errors(a), p);
}

/// `  recommended: + sanctions, - monitor` (nothing when the lists agree).
fn list_line<T: PartialEq + std::fmt::Display>(
    out: &mut String,
    what: &str,
    before: &[T],
    after: &[T],
    p: Paint,
) {
    let mut parts: Vec<String> = Vec::new();
    for x in after {
        if !before.contains(x) {
            parts.push(p.green(&format!("+ {x}")));
        }
    }
    for x in before {
        if !after.contains(x) {
            parts.push(p.red(&format!("- {x}")));
        }
    }
    if !parts.is_empty() {
        let label = format!("{what}:");
        let _ = writeln!(out, "  {label:<13}{}", parts.join(", "));
    }
}
