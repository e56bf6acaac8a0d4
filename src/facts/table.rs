//! Tables as facts: `--table incidents=incidents.csv` reads a fact of type
//! `list of RECORD` from a CSV or TSV file, as spreadsheets export them.
//!
//! The header row names the record's fields (in any order); each further
//! row is one record, each cell converted by its field's type. The other
//! facts (`now`, say) still come from JSON: a fact bound to a table is left
//! out of the JSON schema's requirements, and giving it in both is an error.
//! The facts that come out are the same [`Facts`] the JSON loader makes, so
//! evaluation cannot tell where they were read from.

mod cell;
mod error;
mod read;

use std::path::Path;
use std::sync::Arc;

use miette::Severity;

pub use error::TableError;

use super::{Facts, MAX_FACTS_BYTES, Seg, locate};
use crate::check::suggest::closest;
use crate::diagnostic::{Diag, IoError};
use crate::source::{SourceFile, Span};
use crate::types::{FieldType, RecordType, Schema, Type};

/// What separates the cells of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    /// `,` (CSV).
    Comma,
    /// `;` (CSV as spreadsheets write it where the decimal separator is a comma).
    Semicolon,
    /// A tab (TSV).
    Tab,
}

impl Delimiter {
    /// The separator's byte.
    pub fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Semicolon => b';',
            Delimiter::Tab => b'\t',
        }
    }

    /// The separator a table's header line uses most: spreadsheets write
    /// `;` where a comma is the decimal separator, and TSV files use tabs.
    /// A header of one column has none, and any will do.
    pub fn detect(text: &str) -> Delimiter {
        let header = text.split(['\n', '\r']).next().unwrap_or("");
        let count = |c: char| header.matches(c).count();
        [Delimiter::Comma, Delimiter::Semicolon, Delimiter::Tab]
            .into_iter()
            .max_by_key(|d| (count(char::from(d.byte())), *d == Delimiter::Comma))
            .unwrap_or(Delimiter::Comma)
    }
}

/// One table bound to a fact.
#[derive(Debug, Clone)]
pub struct TableInput {
    /// The fact it gives (`incidents`).
    pub fact: String,
    /// Its text (see [`read_file`] and [`from_bytes`]).
    pub file: Arc<SourceFile>,
    /// The separator, or `None` to detect it from the header.
    pub delimiter: Option<Delimiter>,
}

/// Reads a table file: refused over the facts size limit before it is read,
/// and refused when it is not UTF-8 (see [`from_bytes`]).
pub fn read_file(path: &Path) -> Result<Arc<SourceFile>, Diag> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| {
        Diag::from(IoError::Read {
            path: name.clone(),
            message: e.to_string(),
        })
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.len() > MAX_FACTS_BYTES as u64 {
        return Err(Diag::from(TableError::TooLarge {
            name,
            size: meta.len(),
            limit: MAX_FACTS_BYTES,
        }));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    from_bytes(&name, bytes).map_err(Diag::from)
}

/// A table's text from its bytes, without a byte order mark. Bytes that are
/// not UTF-8 are one error naming the likely encoding: spreadsheets that
/// save "CSV" without saying UTF-8 write Windows-1252 (or UTF-16, when they
/// say "Unicode text").
pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<Arc<SourceFile>, TableError> {
    if bytes.len() > MAX_FACTS_BYTES {
        return Err(TableError::TooLarge {
            name: name.to_string(),
            size: bytes.len() as u64,
            limit: MAX_FACTS_BYTES,
        });
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            let text = match text.strip_prefix('\u{feff}') {
                Some(rest) => rest.to_string(),
                None => text,
            };
            Ok(SourceFile::new(name, text))
        }
        Err(e) => {
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let byte = bytes.get(at).copied().unwrap_or(0);
            let line = bytes
                .get(..at)
                .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
                + 1;
            let utf16 = bytes.starts_with(&[0xff, 0xfe])
                || bytes.starts_with(&[0xfe, 0xff])
                || bytes.iter().take(64).filter(|&&b| b == 0).count() > 8;
            let help = if utf16 {
                "the file looks like UTF-16 (\"Unicode text\"); save it as \"CSV UTF-8\" and run again"
            } else {
                "the file is likely Windows-1252 or Latin-1 (the plain \"CSV\" of many spreadsheets); save it as \"CSV UTF-8\", or convert it: `iconv -f WINDOWS-1252 -t UTF-8`"
            };
            Err(TableError::Encoding {
                name: name.to_string(),
                byte,
                line,
                help: help.to_string(),
            })
        }
    }
}

/// Why a fact cannot come from a table, pointing at the policy.
#[derive(Debug, Clone)]
pub struct ShapeProblem {
    /// The reason, for the message.
    pub why: String,
    /// The declaration at fault.
    pub span: Span,
    /// The label on it.
    pub label: String,
    /// How to fix it.
    pub help: String,
}

/// The record a table for `fact` holds: the fact must be a `list of RECORD`
/// whose fields are all single values (a cell holds one value, so a list
/// or a record field cannot come from a table).
pub fn table_record<'s>(
    schema: &'s Schema,
    fact: &FieldType,
) -> Result<&'s RecordType, ShapeProblem> {
    let list = match &fact.ty {
        Type::Optional(t) => t.as_ref(),
        t => t,
    };
    let Some(Type::Record(r)) = list.element() else {
        return Err(ShapeProblem {
            why: format!("it is `{}`, not a list of records", schema.show(&fact.ty)),
            span: fact.span.clone(),
            label: "a table holds a list of records".into(),
            help: "give this fact in the JSON facts; tables are for `list of RECORD` facts".into(),
        });
    };
    let record = schema.records.get(r.index()).ok_or_else(|| ShapeProblem {
        why: "its record type is unknown".into(),
        span: fact.span.clone(),
        label: "here".into(),
        help: "this is a bug in rung".into(),
    })?;
    for f in &record.fields {
        let inner = match &f.ty {
            Type::Optional(t) => t.as_ref(),
            t => t,
        };
        if matches!(inner, Type::List(_) | Type::Record(_) | Type::EmptyList) {
            return Err(ShapeProblem {
                why: format!(
                    "field `{}` of `{}` is `{}`, which a table cell cannot hold",
                    f.name,
                    record.name,
                    schema.show(&f.ty)
                ),
                span: f.span.clone(),
                label: "a cell holds one value, not a list or a record".into(),
                help: format!(
                    "give `{}` in the JSON facts, or declare the nested values as a list fact of their own",
                    fact.name
                ),
            });
        }
    }
    Ok(record)
}

/// Facts from a JSON document (when given) and tables. The JSON gives every
/// fact no table gives; every problem of every file is reported at once.
/// On success, the warnings (unknown fields and columns).
pub fn load(
    schema: &Schema,
    json: Option<&Arc<SourceFile>>,
    tables: &[TableInput],
) -> Result<(Facts, Vec<Diag>), Vec<Diag>> {
    let bound =
        bind(schema, tables).map_err(|es| es.into_iter().map(Diag::from).collect::<Vec<_>>())?;
    let mut errors: Vec<Diag> = Vec::new();
    let mut warnings: Vec<Diag> = Vec::new();

    // The JSON must not require the facts the tables give.
    let mut json_schema = schema.clone();
    for (index, _, _) in &bound {
        if let Some(f) = json_schema.facts.fields.get_mut(*index) {
            if !matches!(f.ty, Type::Optional(_)) {
                f.ty = Type::Optional(Box::new(f.ty.clone()));
            }
            f.default = None;
        }
    }
    let no_json = SourceFile::new("(no --facts given)", "{}");
    let json = json.unwrap_or(&no_json);
    let mut values = match super::load_with_warnings(&json_schema, json) {
        Ok((facts, ws)) => {
            warnings.extend(ws.into_iter().map(Diag::from));
            Some(facts.values)
        }
        Err(es) => {
            errors.extend(es.into_iter().map(Diag::from));
            None
        }
    };
    for (index, record, input) in &bound {
        let Some(fact) = schema.facts.fields.get(*index) else {
            continue;
        };
        if let Some(span) = json_key(json, &fact.name) {
            errors.push(Diag::from(TableError::Both {
                src: json.named_source(),
                span,
                fact: fact.name.clone(),
                table: input.file.name.clone(),
            }));
        }
        let delimiter = input
            .delimiter
            .unwrap_or_else(|| Delimiter::detect(&input.file.text));
        let outcome = read::read(schema, record, &input.file, delimiter.byte());
        for e in outcome.errors {
            // `More` is advice, but it stands for errors.
            if miette::Diagnostic::severity(&e) == Some(Severity::Warning) {
                warnings.push(Diag::from(e));
            } else {
                errors.push(Diag::from(e));
            }
        }
        warnings.extend(outcome.warnings.into_iter().map(Diag::from));
        match (
            outcome.value,
            values.as_mut().and_then(|v| v.get_mut(*index)),
        ) {
            (Some(v), Some(slot)) => *slot = v,
            _ => values = None,
        }
    }
    match values {
        Some(values) if errors.is_empty() => Ok((Facts { values }, warnings)),
        _ => {
            errors.extend(warnings);
            Err(errors)
        }
    }
}

/// Which fact each table gives, and its record; every binding problem.
fn bind<'s, 't>(
    schema: &'s Schema,
    tables: &'t [TableInput],
) -> Result<Vec<(usize, &'s RecordType, &'t TableInput)>, Vec<TableError>> {
    let mut bound: Vec<(usize, &RecordType, &TableInput)> = Vec::new();
    let mut errors = Vec::new();
    for input in tables {
        let Some(index) = schema.facts.field(&input.fact) else {
            let names = schema.facts.fields.iter().map(|f| f.name.as_str());
            let help = match closest(&input.fact, names) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "the facts are: {}",
                    schema
                        .facts
                        .fields
                        .iter()
                        .map(|f| f.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            errors.push(TableError::UnknownFact {
                fact: input.fact.clone(),
                help,
            });
            continue;
        };
        if bound.iter().any(|(i, _, _)| *i == index) {
            if !errors
                .iter()
                .any(|e| matches!(e, TableError::Repeated { fact } if *fact == input.fact))
            {
                errors.push(TableError::Repeated {
                    fact: input.fact.clone(),
                });
            }
            continue;
        }
        let Some(fact) = schema.facts.fields.get(index) else {
            continue;
        };
        match table_record(schema, fact) {
            Ok(record) => bound.push((index, record, input)),
            Err(p) => errors.push(TableError::Shape {
                src: p.span.named_source(),
                span: p.span.source_span(),
                fact: input.fact.clone(),
                why: p.why,
                label: p.label,
                help: p.help,
            }),
        }
    }
    if errors.is_empty() {
        Ok(bound)
    } else {
        Err(errors)
    }
}

/// The span of the top-level key `name` in a JSON document, if it has one.
fn json_key(json: &Arc<SourceFile>, name: &str) -> Option<miette::SourceSpan> {
    let (s, e) = locate::locate_key(&json.text, &[Seg::Key(name.to_string())]);
    let raw = json.text.get(s..e)?;
    let key: String = serde_json::from_str(raw).ok()?;
    (key == name).then(|| Span::new(json, s..e).source_span())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn the_separator_is_read_from_the_header() {
        assert_eq!(Delimiter::detect("a,b,c\n1;2"), Delimiter::Comma);
        assert_eq!(Delimiter::detect("a;b;c\r\n1,5;2;3"), Delimiter::Semicolon);
        assert_eq!(Delimiter::detect("a\tb\n"), Delimiter::Tab);
        assert_eq!(Delimiter::detect("a\n"), Delimiter::Comma);
        assert_eq!(Delimiter::detect(""), Delimiter::Comma);
    }

    #[test]
    fn bytes_that_are_not_utf8_name_the_encoding() {
        let e = from_bytes("t.csv", b"id\ncaf\xe9\n".to_vec()).unwrap_err();
        assert!(matches!(
            e,
            TableError::Encoding {
                byte: 0xe9,
                line: 2,
                ..
            }
        ));
        assert!(format!("{:?}", e).contains("Windows-1252"));
        let e = from_bytes("t.csv", vec![0xff, 0xfe, b'i', 0, b'd', 0]).unwrap_err();
        assert!(format!("{:?}", e).contains("UTF-16"));
        let ok = from_bytes("t.csv", b"\xef\xbb\xbfid\n".to_vec()).unwrap();
        assert_eq!(&*ok.text, "id\n");
    }
}
