//! A replay for programs (JSON, CSV) and for people (a compact timeline per
//! subject, and its crossings with their reasons).

use std::fmt::Write as _;

use serde::Serialize;

use super::{Paint, Provenance};
use crate::replay::{Crossing, Reported, Segment, SubjectTimeline, Timeline, status_word};
use crate::value::format_date;

#[derive(Serialize)]
struct Document<'a> {
    from: String,
    to: String,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    provenance: Option<Provenance<'a>>,
    subjects: Vec<SubjectDoc<'a>>,
    warnings: Vec<ReportedDoc<'a>>,
    errors: Vec<ReportedDoc<'a>>,
}

#[derive(Serialize)]
struct SubjectDoc<'a> {
    ladder: &'a str,
    subject: &'a str,
    segments: Vec<SegmentDoc<'a>>,
    crossings: Vec<CrossingDoc<'a>>,
}

#[derive(Serialize)]
struct SegmentDoc<'a> {
    from: String,
    to: String,
    status: &'static str,
    top: Option<&'a str>,
    recommended: &'a [String],
    forbidden: &'a [String],
}

#[derive(Serialize)]
struct CrossingDoc<'a> {
    date: String,
    rung: Option<&'a str>,
    change: &'static str,
    rules: &'a [String],
    why: &'a [String],
}

#[derive(Serialize)]
struct ReportedDoc<'a> {
    message: &'a str,
    days: Vec<DaysDoc>,
}

#[derive(Serialize)]
struct DaysDoc {
    from: String,
    to: String,
}

fn segment(s: &Segment) -> SegmentDoc<'_> {
    SegmentDoc {
        from: format_date(s.from),
        to: format_date(s.to),
        status: status_word(s.status),
        top: s.top.as_deref(),
        recommended: &s.recommended,
        forbidden: &s.forbidden,
    }
}

fn crossing(c: &Crossing) -> CrossingDoc<'_> {
    CrossingDoc {
        date: format_date(c.date),
        rung: c.rung.as_deref(),
        change: c.change.as_str(),
        rules: &c.rules,
        why: &c.why,
    }
}

fn reported(r: &Reported) -> ReportedDoc<'_> {
    ReportedDoc {
        message: &r.message,
        days: r
            .days
            .iter()
            .map(|(a, b)| DaysDoc {
                from: format_date(*a),
                to: format_date(*b),
            })
            .collect(),
    }
}

/// The replay as pretty JSON (stable keys, deterministic), ending with a
/// newline. Without provenance (a `rung test` replay snapshot), the document
/// does not change when an edit of the policy changes no decision.
pub fn timeline_json(t: &Timeline, provenance: Option<Provenance<'_>>) -> String {
    let doc = Document {
        from: format_date(t.from),
        to: format_date(t.to),
        provenance,
        subjects: t
            .subjects
            .iter()
            .map(|s| SubjectDoc {
                ladder: &s.ladder,
                subject: &s.subject,
                segments: s.segments.iter().map(segment).collect(),
                crossings: s.crossings.iter().map(crossing).collect(),
            })
            .collect(),
        warnings: t.warnings.iter().map(reported).collect(),
        errors: t.errors.iter().map(reported).collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    s.push('\n');
    s
}

/// One row per segment: ladder, subject, from, to, status, top, and the
/// recommended and forbidden rungs separated by `;`.
pub fn timeline_csv(t: &Timeline) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "ladder",
        "subject",
        "from",
        "to",
        "status",
        "top",
        "recommended",
        "forbidden",
    ]);
    for s in &t.subjects {
        for g in &s.segments {
            let _ = w.write_record([
                s.ladder.as_str(),
                s.subject.as_str(),
                &format_date(g.from),
                &format_date(g.to),
                status_word(g.status),
                g.top.as_deref().unwrap_or(""),
                &g.recommended.join(";"),
                &g.forbidden.join(";"),
            ]);
        }
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// Per subject, its segments as a table and its crossings with their
/// reasons; warnings and errors once, with their days. The short policy
/// digest closes it, when given (the REPL's policy has none of its own).
pub fn timeline_human(t: &Timeline, paint: Paint, digest: Option<&str>) -> String {
    let p = paint;
    let mut out = String::new();
    let length = i64::from(t.to) - i64::from(t.from) + 1;
    let _ = writeln!(
        out,
        "replay from {} to {} ({length} day{})",
        format_date(t.from),
        format_date(t.to),
        if length == 1 { "" } else { "s" }
    );
    for (label, list) in [("warning:", &t.warnings), ("error:", &t.errors)] {
        for r in list.iter() {
            let mark = if label == "error:" {
                p.red(label)
            } else {
                p.yellow(label)
            };
            let _ = writeln!(out, "{mark} {} [{}]", r.message, days(&r.days));
        }
    }
    if t.subjects.is_empty() {
        let _ = writeln!(out, "\nno decisions on any day of the range");
    }
    for s in &t.subjects {
        out.push('\n');
        subject(&mut out, s, p);
    }
    if let Some(digest) = digest {
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

/// Day ranges for people: `2022-07-15 – 2022-07-17, 2022-09-01`.
pub(super) fn days(ranges: &[(i32, i32)]) -> String {
    ranges
        .iter()
        .map(|(a, b)| {
            if a == b {
                format_date(*a)
            } else {
                format!("{} – {}", format_date(*a), format_date(*b))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn subject(out: &mut String, s: &SubjectTimeline, p: Paint) {
    let _ = writeln!(
        out,
        "{} {} {}",
        p.cyan(&s.ladder),
        p.dim("·"),
        p.bold(&s.subject)
    );
    let width = s
        .segments
        .iter()
        .map(|g| g.top.as_deref().unwrap_or("(none)").chars().count())
        .max()
        .unwrap_or(0);
    for g in &s.segments {
        let top = g.top.as_deref().unwrap_or("(none)");
        let pad = " ".repeat(width.saturating_sub(top.chars().count()));
        let status = match g.status {
            crate::decision::Status::Complete => String::new(),
            crate::decision::Status::Indeterminate => format!("  {}", p.yellow("INDETERMINATE")),
        };
        let forbidden = if g.forbidden.is_empty() {
            String::new()
        } else {
            format!("  {} {}", p.red("forbidden:"), g.forbidden.join(", "))
        };
        let below: Vec<&str> = g
            .recommended
            .iter()
            .map(String::as_str)
            .filter(|r| Some(*r) != g.top.as_deref())
            .collect();
        let below = if below.is_empty() {
            String::new()
        } else {
            format!("  {}", p.dim(&format!("also {}", below.join(", "))))
        };
        let _ = writeln!(
            out,
            "  {} – {}  {}{pad}{status}{forbidden}{below}",
            format_date(g.from),
            format_date(g.to),
            p.bold(top),
        );
    }
    if let Some(c) = &s.closest {
        let _ = writeln!(
            out,
            "  closest to {}: {} ({}), still lacking:",
            p.bold(&c.rung),
            format_date(c.date),
            c.rule
        );
        for line in &c.unmet {
            let _ = writeln!(out, "      {line}");
        }
    }
    if s.crossings.is_empty() {
        return;
    }
    let _ = writeln!(out, "  crossings:");
    for c in &s.crossings {
        let rung = c.rung.as_deref().unwrap_or("(no rung)");
        let what = match c.change {
            crate::replay::Change::Recommended => p.green(&format!("+ {rung}")),
            crate::replay::Change::Withdrawn => p.yellow(&format!("- {rung}")),
            crate::replay::Change::Forbidden => p.red(&format!("✗ {rung} forbidden")),
            crate::replay::Change::Unforbidden => p.green(&format!("{rung} no longer forbidden")),
            crate::replay::Change::Appeared => format!("appeared, top {rung}"),
            crate::replay::Change::Disappeared => p.dim(&format!("disappeared (top was {rung})")),
        };
        let rules = if c.rules.is_empty() {
            String::new()
        } else {
            format!(" {}", p.dim(&format!("({})", c.rules.join(", "))))
        };
        let _ = writeln!(out, "    {}  {what}{rules}", format_date(c.date));
        for w in &c.why {
            let _ = writeln!(out, "        {w}");
        }
    }
}
