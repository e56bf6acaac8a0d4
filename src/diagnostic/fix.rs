//! Fixes a diagnostic proposes: text to put in place of a byte range of the
//! file it points into. An editor offers them as quick fixes.
//!
//! A fix is only proposed where the repair is certain: a name with one
//! close spelling ("did you mean `window`?"), another language's operator
//! (`&&` → `and`, `=` → `==`), a duration written with its unit apart
//! (`365 days` → `365d`).

use miette::{Diagnostic, SourceSpan};

use super::Diag;
use crate::check::CheckError;
use crate::syntax::SyntaxError;

/// One repair: replace bytes `start..end` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// First byte replaced.
    pub start: usize,
    /// One past the last byte replaced.
    pub end: usize,
    /// The new text.
    pub replacement: String,
}

/// A repair, in words and as edits of the diagnostic's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What it does, e.g. "replace `incidnets` with `incidents`".
    pub title: String,
    /// The edits, which never overlap.
    pub edits: Vec<Edit>,
}

/// The fixes of a diagnostic; `text` is the text of the file it points into.
pub fn fixes(d: &Diag, text: &str) -> Vec<Fix> {
    match d {
        Diag::Check(e) => did_you_mean(e, text).into_iter().collect(),
        Diag::Syntax(SyntaxError::Operator {
            span, found, write, ..
        }) => vec![Fix {
            title: format!("replace `{found}` with `{write}`"),
            edits: vec![edit(span, write)],
        }],
        Diag::Syntax(SyntaxError::Unexpected { span, .. }) => {
            duration(span, text).into_iter().collect()
        }
        _ => Vec::new(),
    }
}

fn edit(span: &SourceSpan, replacement: &str) -> Edit {
    Edit {
        start: span.offset(),
        end: span.offset() + span.len(),
        replacement: replacement.to_string(),
    }
}

/// An unknown name whose help names one close spelling: every use of it
/// the diagnostic labels becomes that name.
fn did_you_mean(e: &CheckError, text: &str) -> Option<Fix> {
    let (span, name) = match e {
        CheckError::UnknownName { span, name, .. }
        | CheckError::UnknownField {
            span, field: name, ..
        }
        | CheckError::UnknownType { span, name, .. }
        | CheckError::UnknownLadder { span, name, .. }
        | CheckError::UnknownRung { span, name, .. }
        | CheckError::UnknownFunction { span, name, .. } => (span, name),
        _ => return None,
    };
    let help = e.help()?.to_string();
    let suggestion = help
        .strip_prefix("did you mean `")?
        .split_once("`?")?
        .0
        .to_string();
    let mut edits = vec![edit(span, &suggestion)];
    if let Some(labels) = e.labels() {
        for l in labels {
            let at = text.get(l.offset()..l.offset() + l.len());
            if l.offset() != span.offset() && at == Some(name.as_str()) {
                edits.push(edit(l.inner(), &suggestion));
            }
        }
    }
    edits.sort_by_key(|e| e.start);
    edits.dedup_by_key(|e| e.start);
    Some(Fix {
        title: format!("replace `{name}` with `{suggestion}`"),
        edits,
    })
}

/// `365 days` (a number, then a unit as a word): `365d`; weeks become `w`.
fn duration(span: &SourceSpan, text: &str) -> Option<Fix> {
    let start = span.offset();
    let rest = text.get(start..)?;
    let unit: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let suffix = match unit.as_str() {
        "day" | "days" | "d" => 'd',
        "week" | "weeks" | "w" => 'w',
        _ => return None,
    };
    let before = text.get(..start)?;
    let spaces = before.len() - before.trim_end_matches([' ', '\t']).len();
    let trimmed = before.get(..before.len() - spaces)?;
    let digits = trimmed.len() - trimmed.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || spaces == 0 {
        return None;
    }
    let number_start = trimmed.len() - digits;
    let number = trimmed.get(number_start..)?;
    let written = text.get(number_start..start + unit.len())?;
    let replacement = format!("{number}{suffix}");
    Some(Fix {
        title: format!("write `{written}` as `{replacement}`"),
        edits: vec![Edit {
            start: number_start,
            end: start + unit.len(),
            replacement,
        }],
    })
}
