//! A test's facts: a JSON file beside the test, or a JSON object written in
//! the test itself, and any tables (`table incidents "facts/campaign.csv"`).
//!
//! Inline facts are loaded from a copy of the policy file in which every byte
//! outside the JSON object is blanked (newlines kept). Offsets, lines and
//! columns are then those of the policy file, so a facts error points at the
//! right place in the test, and the facts loader needs no special case.

use std::path::Path;
use std::sync::Arc;

use crate::Policy;
use crate::ast::{TestFacts, TestTable};
use crate::check::test_decls::resolve;
use crate::diagnostic::{Diag, IoError};
use crate::facts::table::{self, TableInput};
use crate::facts::{Facts, FactsError, MAX_FACTS_BYTES};
use crate::source::{SourceFile, Span};

/// Loads and validates a test's facts; `file` is the test's policy file.
/// The error holds every problem found, ready to report.
pub fn load(
    policy: &Policy,
    file: &SourceFile,
    facts: &TestFacts,
    tables: &[TestTable],
) -> Result<Facts, Vec<Diag>> {
    let source = match facts {
        TestFacts::File(rel) => read(&resolve(file, &rel.value))?,
        TestFacts::Inline(_, span) => inline(span),
    };
    if tables.is_empty() {
        return policy.facts(&source);
    }
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for t in tables {
        match table::read_file(&resolve(file, &t.path.value)) {
            Ok(f) => inputs.push(TableInput {
                fact: t.fact.name.clone(),
                file: f,
                delimiter: None,
            }),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    policy
        .facts_with_tables(Some(&source), &inputs)
        .map(|(facts, _warnings)| facts)
}

/// Where a test's facts come from, for messages: a path or `inline`.
pub fn origin(file: &SourceFile, facts: &TestFacts, tables: &[TestTable]) -> String {
    let mut out = match facts {
        TestFacts::File(rel) => resolve(file, &rel.value).display().to_string(),
        TestFacts::Inline(_, span) => format!("inline at {}", span.location()),
    };
    for t in tables {
        out.push_str(&format!(
            ", table {} {}",
            t.fact.name,
            resolve(file, &t.path.value).display()
        ));
    }
    out
}

/// Reads a facts file as UTF-8, refusing anything over the facts size limit.
fn read(path: &Path) -> Result<Arc<SourceFile>, Vec<Diag>> {
    let name = path.display().to_string();
    let err = |message: String| {
        vec![Diag::from(IoError::Read {
            path: name.clone(),
            message,
        })]
    };
    let meta = std::fs::metadata(path).map_err(|e| err(e.to_string()))?;
    if meta.len() > MAX_FACTS_BYTES as u64 {
        return Err(vec![Diag::from(FactsError::TooLarge {
            name,
            size: usize::try_from(meta.len()).unwrap_or(usize::MAX),
            limit: MAX_FACTS_BYTES,
        })]);
    }
    let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        err(format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(SourceFile::new(name, text))
}

/// The policy file with everything but the inline JSON blanked.
fn inline(span: &Span) -> Arc<SourceFile> {
    let text: String = span
        .file
        .text
        .char_indices()
        .map(|(i, c)| {
            if (span.start..span.end).contains(&i) || c == '\n' {
                c.to_string()
            } else {
                // Keep byte offsets: one space per byte of the character.
                " ".repeat(c.len_utf8())
            }
        })
        .collect();
    SourceFile::new(span.file.name.clone(), text)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn inline_json_keeps_offsets_and_lines() {
        let file = SourceFile::new("t.rung", "test \"é\" {\n  facts { \"now\": 1 }\n}\n");
        let start = file.text.find('{').map(|i| i + 1).unwrap();
        let start = start + file.text[start..].find('{').unwrap();
        let end = start + "{ \"now\": 1 }".len();
        let blanked = inline(&Span::new(&file, start..end));
        assert_eq!(blanked.text.len(), file.text.len());
        assert_eq!(&blanked.text[start..end], "{ \"now\": 1 }");
        assert_eq!(blanked.text.trim(), "{ \"now\": 1 }");
        assert_eq!(blanked.text.matches('\n').count(), 3);
        assert_eq!(blanked.name, "t.rung");
    }
}
