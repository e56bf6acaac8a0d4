//! Diagnostics as data for machines and greppable text: the `plain` and `json`
//! error formats.
//!
//! Both start from [`Record`], a flat description of any miette diagnostic:
//! code, severity, message, where it points (file, byte span, line, column),
//! every label, help, and related diagnostics.
//!
//! **JSON** is one object per line (JSON Lines), one line per diagnostic, in
//! the order they were found:
//!
//! ```text
//! {"code":"rung::name::unknown","severity":"error","message":"unknown name `windw`",
//!  "file":"p.rung","span":{"start":120,"end":125},"line":7,"column":12,
//!  "labels":[{"message":"not defined","file":"p.rung","span":{"start":120,"end":125},
//!             "line":7,"column":12,"primary":true}],
//!  "help":"did you mean `window`?","related":[]}
//! ```
//!
//! `file`, `span`, `line` and `column` are `null` for a diagnostic that points
//! nowhere (an unreadable path). Lines and columns count from 1; columns count
//! characters; spans are byte offsets into the file, end exclusive.
//!
//! **Plain** is one line per diagnostic in the form compilers use, then its
//! labels and help indented below it:
//!
//! ```text
//! p.rung:7:12: error[rung::name::unknown]: unknown name `windw`
//!   p.rung:7:12: not defined
//!   help: did you mean `window`?
//! ```

use std::fmt::Write as _;

use miette::{Diagnostic, LabeledSpan, Severity, SourceCode, SourceSpan};
use serde::Serialize;

/// A byte range in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ByteSpan {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// Where a diagnostic or label points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file's name as shown to the user.
    pub file: Option<String>,
    /// The byte range.
    pub span: ByteSpan,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// One label of a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelRecord {
    /// The label's text.
    pub message: Option<String>,
    /// Where it points.
    #[serde(flatten)]
    pub at: Location,
    /// Whether this is the diagnostic's main location.
    pub primary: bool,
}

/// A diagnostic flattened into data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// `rung::name::unknown`.
    pub code: Option<String>,
    /// `error`, `warning` or `advice`.
    pub severity: &'static str,
    /// The one-line message.
    pub message: String,
    /// The file of the primary location.
    pub file: Option<String>,
    /// The primary byte range.
    pub span: Option<ByteSpan>,
    /// 1-based line of the primary location.
    pub line: Option<usize>,
    /// 1-based column of the primary location, in characters.
    pub column: Option<usize>,
    /// Every label, the primary one first.
    pub labels: Vec<LabelRecord>,
    /// How to fix it.
    pub help: Option<String>,
    /// Diagnostics attached to this one (e.g. a declaration in another file).
    pub related: Vec<Record>,
}

/// `error`, `warning` or `advice`.
pub fn severity_word(d: &dyn Diagnostic) -> &'static str {
    match d.severity() {
        Some(Severity::Warning) => "warning",
        Some(Severity::Advice) => "advice",
        Some(Severity::Error) | None => "error",
    }
}

/// Flattens a diagnostic (and its related ones) into a [`Record`].
pub fn record(d: &dyn Diagnostic) -> Record {
    let text = d.source_code().and_then(whole_text);
    let mut labels: Vec<LabelRecord> = d
        .labels()
        .map(|ls| ls.filter_map(|l| label(&l, text.as_ref())).collect())
        .unwrap_or_default();
    // The primary label first: the one marked primary, else the first.
    if let Some(i) = labels.iter().position(|l| l.primary) {
        let p = labels.remove(i);
        labels.insert(0, p);
    } else if let Some(first) = labels.first_mut() {
        first.primary = true;
    }
    let primary = labels.first().map(|l| l.at.clone());
    Record {
        code: d.code().map(|c| c.to_string()),
        severity: severity_word(d),
        message: d.to_string(),
        file: primary.as_ref().and_then(|p| p.file.clone()),
        span: primary.as_ref().map(|p| p.span),
        line: primary.as_ref().map(|p| p.line),
        column: primary.as_ref().map(|p| p.column),
        labels,
        help: d.help().map(|h| h.to_string()),
        related: d
            .related()
            .map(|rs| rs.map(record).collect())
            .unwrap_or_default(),
    }
}

/// The name and full text of a source, read through miette's interface.
struct Text {
    name: Option<String>,
    text: String,
}

/// Reads a whole source: a span at 0 with unlimited lines of context after it.
fn whole_text(src: &dyn SourceCode) -> Option<Text> {
    let contents = src
        .read_span(&SourceSpan::new(0.into(), 0), 0, usize::MAX)
        .ok()?;
    Some(Text {
        name: contents.name().map(str::to_string),
        text: String::from_utf8_lossy(contents.data()).into_owned(),
    })
}

fn label(l: &LabeledSpan, text: Option<&Text>) -> Option<LabelRecord> {
    let text = text?;
    let start = l.offset();
    let (line, column) = line_col(&text.text, start);
    Some(LabelRecord {
        message: l.label().map(str::to_string),
        at: Location {
            file: text.name.clone(),
            span: ByteSpan {
                start,
                end: start + l.len(),
            },
            line,
            column,
        },
        primary: l.primary(),
    })
}

/// 1-based line and character column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// Every diagnostic as one JSON object per line.
pub fn json<'a>(diags: impl IntoIterator<Item = &'a dyn Diagnostic>) -> String {
    let mut out = String::new();
    for d in diags {
        match serde_json::to_string(&record(d)) {
            Ok(line) => out.push_str(&line),
            Err(e) => {
                let _ = write!(out, "{{\"message\":{:?}}}", e.to_string());
            }
        }
        out.push('\n');
    }
    out
}

/// Every diagnostic as `file:line:col: severity[code]: message`, then its
/// labels and help, indented.
pub fn plain<'a>(diags: impl IntoIterator<Item = &'a dyn Diagnostic>) -> String {
    let mut out = String::new();
    for d in diags {
        plain_one(&mut out, &record(d), "");
    }
    out
}

fn plain_one(out: &mut String, r: &Record, indent: &str) {
    let place = match (&r.file, r.line, r.column) {
        (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}"),
        _ => "rung".to_string(),
    };
    let code = r
        .code
        .as_deref()
        .map(|c| format!("[{c}]"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{indent}{place}: {}{code}: {}",
        r.severity,
        one_line(&r.message)
    );
    for l in &r.labels {
        if let Some(m) = &l.message {
            let file = l.at.file.as_deref().unwrap_or("?");
            let _ = writeln!(
                out,
                "{indent}  {file}:{}:{}: {}",
                l.at.line,
                l.at.column,
                one_line(m)
            );
        }
    }
    if let Some(h) = &r.help {
        let _ = writeln!(out, "{indent}  help: {}", one_line(h));
    }
    for rel in &r.related {
        plain_one(out, rel, &format!("{indent}  "));
    }
}

/// A message on one line: newlines become spaces.
fn one_line(s: &str) -> String {
    s.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        assert_eq!(line_col("ab\né x", 6), (2, 3));
        assert_eq!(line_col("abc", 0), (1, 1));
        assert_eq!(line_col("abc", 99), (1, 4));
    }
}
