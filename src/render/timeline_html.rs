//! A replay as one HTML page: the chart and every table, for reading in a
//! browser or on paper without a network, a server or a script.
//!
//! The page is a single file: inline CSS, the SVG inline, no scripts, no
//! links. All text from the policy or the facts is escaped, since names,
//! messages and ids are arbitrary text.

use std::fmt::Write as _;

use super::timeline::days;

use super::{Provenance, timeline_svg};
use crate::internal::Internal;
use crate::replay::{Reported, SubjectTimeline, Timeline, status_word};
use crate::types::Schema;
use crate::value::format_date;

/// Text as HTML: safe both as element content and inside quoted attributes.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "\
body { font-family: sans-serif; color: #111; background: #fff; margin: 1.5rem; line-height: 1.35; }
h1 { font-size: 1.4rem; margin: 0 0 .3rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .4rem; border-bottom: 1px solid #bbb; }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
.provenance { color: #444; font-size: .9rem; margin: 0 0 1rem; }
code { font-family: monospace; font-size: .9em; overflow-wrap: anywhere; }
figure { margin: 0; }
figure svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
table { border-collapse: collapse; margin: .3rem 0 .8rem; font-size: .9rem; }
th, td { border: 1px solid #bbb; padding: .2rem .5rem; text-align: left; vertical-align: top; }
th { background: #eee; }
td.date { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.why { font-family: monospace; font-size: .85em; }
.indeterminate { font-weight: bold; }
.none { color: #555; font-style: italic; }
@media print {
  body { margin: 0; }
  figure svg { border: none; }
  tr, li { break-inside: avoid; }
  section { break-before: auto; }
}
";

/// The replay as a self-contained HTML page: heading and provenance, the
/// chart of [`timeline_svg`], warnings and errors with their days, then
/// per subject its segments and its crossings with their reasons.
pub fn timeline_html(
    t: &Timeline,
    schema: &Schema,
    provenance: Provenance<'_>,
) -> Result<String, Internal> {
    let short = provenance
        .policy_digest
        .get(..12)
        .unwrap_or(provenance.policy_digest);
    let svg = timeline_svg(t, schema, short)?;
    let (from, to) = (format_date(t.from), format_date(t.to));
    let days = i64::from(t.to) - i64::from(t.from) + 1;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>rung replay {from} to {to}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n\
         <h1>rung replay · {from} to {to} ({days} days)</h1>\n\
         <p class=\"provenance\">policy digest <code>{}</code> · rung {}</p>\n\
         <figure>\n{svg}</figure>\n",
        esc(provenance.policy_digest),
        esc(provenance.rung_version),
    );
    reported(&mut out, "Warnings", &t.warnings);
    reported(&mut out, "Errors", &t.errors);
    if t.subjects.is_empty() {
        out.push_str("<p class=\"none\">no decisions on any day of the range</p>\n");
    }
    for s in &t.subjects {
        subject(&mut out, s);
    }
    out.push_str("</body>\n</html>\n");
    Ok(out)
}

fn reported(out: &mut String, title: &str, list: &[Reported]) {
    let _ = writeln!(out, "<h2>{title}</h2>");
    if list.is_empty() {
        out.push_str("<p class=\"none\">none</p>\n");
        return;
    }
    out.push_str("<table>\n<thead><tr><th>message</th><th>days</th></tr></thead>\n<tbody>\n");
    for r in list {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"date\">{}</td></tr>",
            esc(&r.message),
            esc(&days(&r.days))
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

/// A list of names, or a dash for none.
fn names(list: &[String]) -> String {
    if list.is_empty() {
        "–".to_string()
    } else {
        esc(&list.join(", "))
    }
}

fn subject(out: &mut String, s: &SubjectTimeline) {
    let _ = writeln!(
        out,
        "<section>\n<h2>{} · {}</h2>\n<h3>Segments</h3>\n<table>\n<thead><tr><th>from</th>\
         <th>to</th><th>status</th><th>top</th><th>recommended</th><th>forbidden</th></tr></thead>\n<tbody>",
        esc(&s.ladder),
        esc(&s.subject)
    );
    for g in &s.segments {
        let status = status_word(g.status);
        let class = match g.status {
            crate::decision::Status::Complete => "",
            crate::decision::Status::Indeterminate => " class=\"indeterminate\"",
        };
        let _ = writeln!(
            out,
            "<tr><td class=\"date\">{}</td><td class=\"date\">{}</td><td{class}>{status}</td>\
             <td>{}</td><td>{}</td><td>{}</td></tr>",
            format_date(g.from),
            format_date(g.to),
            g.top.as_deref().map_or_else(|| "(none)".to_string(), esc),
            names(&g.recommended),
            names(&g.forbidden),
        );
    }
    out.push_str("</tbody>\n</table>\n<h3>Crossings</h3>\n");
    if s.crossings.is_empty() {
        out.push_str("<p class=\"none\">none</p>\n</section>\n");
        return;
    }
    out.push_str(
        "<table>\n<thead><tr><th>date</th><th>rung</th><th>change</th><th>rules</th>\
         <th>why</th></tr></thead>\n<tbody>\n",
    );
    for c in &s.crossings {
        let why = c
            .why
            .iter()
            .map(|w| esc(w))
            .collect::<Vec<_>>()
            .join("<br>");
        let _ = writeln!(
            out,
            "<tr><td class=\"date\">{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td class=\"why\">{why}</td></tr>",
            format_date(c.date),
            c.rung.as_deref().map_or_else(|| "(none)".to_string(), esc),
            c.change.as_str(),
            names(&c.rules),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}
