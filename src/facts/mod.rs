//! Facts: JSON → values, validated against the policy's schema.
//!
//! Every problem is reported with its JSON path (`$.incidents[3].severity`)
//! and a label on the offending value in the facts text. All problems of a
//! file are reported at once, up to a cap, with a count of the rest.

mod locate;
mod seed;
pub mod table;

use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, Severity, SourceSpan};
use serde::de::DeserializeSeed;
use thiserror::Error;

pub use seed::{MAX_PROBLEMS, parse_duration};

use crate::source::{SourceFile, Span};
use crate::types::Schema;
use crate::value::Value;

/// Largest facts file accepted, in bytes.
pub const MAX_FACTS_BYTES: usize = 1 << 30;

/// Facts that passed the schema: the top-level fields, in declaration order.
/// Only the loader makes them, so every value fits its declared type (the
/// default, no facts at all, is what an expression that reads none needs).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Values of the facts' fields.
    values: Vec<Value>,
}

impl Facts {
    /// The value of every fact, in the order the schema declares them.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// Replaces one fact's value (a replay moves `now`). The caller gives a
    /// value of the fact's type: the loader's guarantee is the caller's here.
    pub(crate) fn set(
        &mut self,
        id: crate::ids::FactId,
        v: Value,
    ) -> Result<(), crate::internal::Internal> {
        let slot = self
            .values
            .get_mut(id.index())
            .ok_or(crate::internal::Internal::new("a fact id has no value"))?;
        *slot = v;
        Ok(())
    }
}

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// `.name`
    Key(String),
    /// `[3]`
    Index(usize),
}

/// A JSON path, shown as `$.incidents[3].severity`.
pub struct Path<'a>(pub &'a [Seg]);

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "$")?;
        for s in self.0 {
            match s {
                Seg::Key(k)
                    if k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                        && !k.is_empty() =>
                {
                    write!(f, ".{k}")?
                }
                Seg::Key(k) => write!(f, "[{k:?}]")?,
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

/// What is wrong at a path (before it is located in the text).
#[derive(Debug, Clone)]
#[allow(
    missing_docs,
    reason = "fields are named for what they hold; each variant documents an input that triggers it"
)]
pub enum Problem {
    /// A value of the wrong kind; `hint` says how to write the expected one.
    Type {
        expected: String,
        found: String,
        hint: Option<String>,
    },
    /// `null` for a value that is not optional.
    Null { expected: String },
    /// A string that is not a variant of the enum.
    Enum {
        value: String,
        ty: String,
        variants: Vec<String>,
    },
    /// An int outside its declared range.
    Range {
        value: i64,
        range: crate::types::IntRange,
    },
    /// A required field that is missing.
    Missing {
        field: String,
        record: String,
        ty: String,
    },
    /// A field the schema does not declare.
    UnknownField {
        field: String,
        record: String,
        suggestion: Option<String>,
        fields: Vec<String>,
    },
    /// A repeated value of a `unique` field.
    Duplicate {
        field: String,
        value: String,
        first: Vec<Seg>,
    },
    /// A string that is not a date.
    Date { value: String },
    /// A string that is not a duration.
    Duration { value: String },
    /// A key given twice in one object.
    RepeatedKey { field: String },
}

/// A facts file that cannot be used, as a miette report.
#[derive(Debug, Error, Diagnostic)]
#[allow(
    missing_docs,
    reason = "fields are named for what they hold; each variant documents an input that triggers it"
)]
pub enum FactsError {
    /// Malformed JSON, e.g. a missing comma, or 200,000 nested arrays.
    #[error("the facts are not valid JSON: {message}")]
    #[diagnostic(
        code(rung::facts::json),
        help("fix the JSON syntax; a JSON linter shows the same position")
    )]
    Json {
        #[source_code]
        src: NamedSource<std::sync::Arc<str>>,
        #[label("here")]
        span: SourceSpan,
        message: String,
    },

    /// `"severity": "high"` where an `int` is declared.
    #[error("{path}: expected {expected}, found {found}")]
    #[diagnostic(code("rung::facts::type"))]
    Type {
        #[source_code]
        src: NamedSource<std::sync::Arc<str>>,
        #[label("expected {expected}")]
        span: SourceSpan,
        path: String,
        expected: String,
        found: String,
        #[help]
        help: Option<String>,
    },

    /// `"attribution": "certain"` where the enum has none/low/moderate/high.
    #[error("{path}: `{value}` is not a value of `{ty}`")]
    #[diagnostic(code("rung::facts::enum"))]
    Enum {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("not a value of `{ty}`")]
        span: SourceSpan,
        path: String,
        value: String,
        ty: String,
        #[help]
        help: String,
    },

    /// `"severity": 7` where the field is `int in 1..5`.
    #[error("{path}: {value} is outside the allowed range {range}")]
    #[diagnostic(code(rung::facts::range))]
    Range {
        #[source_code]
        src: NamedSource<std::sync::Arc<str>>,
        #[label("outside {range}")]
        span: SourceSpan,
        path: String,
        value: i64,
        range: crate::types::IntRange,
        #[help]
        help: String,
    },

    /// An incident without `severity`.
    #[error("{path}: missing field `{field}` of `{record}`")]
    #[diagnostic(
        code(rung::facts::missing),
        help("add `\"{field}\": ...` ({ty}); only `optional` fields may be left out")
    )]
    Missing {
        #[source_code]
        src: NamedSource<std::sync::Arc<str>>,
        #[label("this object has no `{field}`")]
        span: SourceSpan,
        path: String,
        field: String,
        record: String,
        ty: String,
    },

    /// `"severty": 3` in an incident. A warning: facts documents often carry
    /// descriptive fields of their own (a summary, a source), so an unknown
    /// field is reported, with a "did you mean", but does not reject the
    /// facts; `--deny-warnings` makes it fatal. A misspelt required field is
    /// still an error, as a missing field.
    #[error("{path}: unknown field `{field}` in `{record}`")]
    #[diagnostic(code(rung::facts::unknown_field), severity(Warning))]
    UnknownField {
        #[source_code]
        src: NamedSource<std::sync::Arc<str>>,
        #[label("not a field of `{record}`")]
        span: SourceSpan,
        path: String,
        field: String,
        record: String,
        #[help]
        help: String,
    },

    /// Two incidents with the same `id`.
    #[error("{path}: duplicate {field} {value}")]
    #[diagnostic(
        code(rung::facts::duplicate),
        help("`{field}` must be unique; the first is at {first}")
    )]
    Duplicate {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label(primary, "repeated here")]
        span: SourceSpan,
        #[label("first here")]
        first_span: SourceSpan,
        path: String,
        field: String,
        value: String,
        first: String,
    },

    /// `"date": "2023-02-30"`.
    #[error("{path}: `{value}` is not a date")]
    #[diagnostic(code(rung::facts::date))]
    Date {
        #[source_code]
        src: NamedSource<std::sync::Arc<str>>,
        #[label("{label}")]
        span: SourceSpan,
        path: String,
        value: String,
        /// Why the text names no day ("February 2023 has 28 days"), or the
        /// form expected when it is not shaped like a date at all.
        label: String,
        #[help]
        help: String,
    },

    /// `"window": "1 year"`.
    #[error("{path}: `{value}` is not a duration")]
    #[diagnostic(
        code(rung::facts::duration),
        help("write durations as a number of days or weeks: \"365d\", \"2w\"")
    )]
    Duration {
        #[source_code]
        src: NamedSource<std::sync::Arc<str>>,
        #[label("not a duration")]
        span: SourceSpan,
        path: String,
        value: String,
    },

    /// `{ "now": "2024-01-01", "now": "2024-02-01" }`: which one was meant?
    #[error("{path}: `{field}` is given more than once in this object")]
    #[diagnostic(
        code(rung::facts::repeated_key),
        help("keep one `\"{field}\"`; rung does not guess which value was meant")
    )]
    RepeatedKey {
        #[source_code]
        src: NamedSource<std::sync::Arc<str>>,
        #[label("first given here")]
        span: SourceSpan,
        path: String,
        field: String,
    },

    /// A facts file over [`MAX_FACTS_BYTES`].
    #[error("facts file `{name}` is {size} bytes; the limit is {limit}")]
    #[diagnostic(
        code(rung::facts::too_large),
        help("split the facts, or evaluate a narrower window")
    )]
    TooLarge {
        name: String,
        size: usize,
        limit: usize,
    },

    /// More problems than are shown.
    #[error("{count} more problems in the facts are not shown")]
    #[diagnostic(
        code(rung::facts::more),
        severity(Advice),
        help("fix the problems above and run again")
    )]
    More { count: usize },
}

/// Reads and validates facts JSON against `schema` (warnings are dropped;
/// see [`load_with_warnings`]).
pub fn load(schema: &Schema, file: &Arc<SourceFile>) -> Result<Facts, Vec<FactsError>> {
    load_with_warnings(schema, file).map(|(facts, _)| facts)
}

/// Reads and validates facts JSON against `schema`; on success, also the
/// warnings (fields the schema does not know).
pub fn load_with_warnings(
    schema: &Schema,
    file: &Arc<SourceFile>,
) -> Result<(Facts, Vec<FactsError>), Vec<FactsError>> {
    load_text(schema, &file.name, &file.text, || Arc::clone(file))
}

/// [`load_with_warnings`] for a text the caller owns and has not wrapped in
/// a [`SourceFile`] (the CLI's facts file): the copy of the text into an
/// `Arc<str>` that a `SourceFile` needs is made only when there is a problem
/// or a warning to show, so valid facts are read without it.
pub fn load_owned(
    schema: &Schema,
    name: &str,
    text: String,
) -> Result<(Facts, Vec<FactsError>), Vec<FactsError>> {
    load_text(schema, name, &text, || SourceFile::new(name, text.as_str()))
}

/// [`load_with_warnings`] for a borrowed text (a request body that `rung
/// serve` holds as bytes): as with [`load_owned`], the text is copied into a
/// [`SourceFile`] only when there is a problem or a warning to show.
pub fn load_str(
    schema: &Schema,
    name: &str,
    text: &str,
) -> Result<(Facts, Vec<FactsError>), Vec<FactsError>> {
    load_text(schema, name, text, || SourceFile::new(name, text))
}

/// Reads `text`; `file` gives the source file that reports point into, and
/// is called only when there is something to report.
fn load_text(
    schema: &Schema,
    name: &str,
    text: &str,
    file: impl FnOnce() -> Arc<SourceFile>,
) -> Result<(Facts, Vec<FactsError>), Vec<FactsError>> {
    if text.len() > MAX_FACTS_BYTES {
        return Err(vec![FactsError::TooLarge {
            name: name.to_string(),
            size: text.len(),
            limit: MAX_FACTS_BYTES,
        }]);
    }
    let mut ctx = seed::Ctx::new(schema);
    let mut de = serde_json::Deserializer::from_str(text);
    let read = seed::FactsSeed { ctx: &mut ctx }
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    let values = match read {
        Ok(v) => v,
        Err(e) => return Err(vec![json_error(&file(), &e)]),
    };
    if ctx.problems.is_empty() && ctx.more == 0 {
        return Ok((Facts { values }, Vec::new()));
    }
    let file = &file();
    // Which problems are only warnings is read from the diagnostics'
    // severity, declared once on `FactsError`, not from a list here.
    let (warnings, problems): (Vec<FactsError>, Vec<FactsError>) = ctx
        .problems
        .iter()
        .map(|(path, p)| located(file, path, p))
        .partition(|e| e.severity() == Some(Severity::Warning));
    if problems.is_empty() && ctx.more == 0 {
        return Ok((Facts { values }, warnings));
    }
    let mut errors: Vec<FactsError> = problems.into_iter().chain(warnings).collect();
    if ctx.more > 0 {
        errors.push(FactsError::More { count: ctx.more });
    }
    Err(errors)
}

fn json_error(file: &Arc<SourceFile>, e: &serde_json::Error) -> FactsError {
    let offset = offset_of(&file.text, e.line(), e.column());
    let message = e.to_string();
    let message = match message.find(" at line ") {
        Some(i) => message.get(..i).unwrap_or(&message).to_string(),
        None => message,
    };
    let message = if message.contains("recursion limit") {
        "nested too deeply (more than 128 levels)".to_string()
    } else {
        message
    };
    let span = Span::new(file, offset..offset);
    FactsError::Json {
        src: file.named_source(),
        span: span.source_span(),
        message,
    }
}

/// Byte offset of a 1-based line and column (serde_json's position).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return (offset + column.saturating_sub(1)).min(text.len());
        }
        offset += l.len();
    }
    text.len().saturating_sub(1)
}

fn located(file: &Arc<SourceFile>, path: &[Seg], p: &Problem) -> FactsError {
    let (s, e) = match p {
        Problem::UnknownField { .. } => locate::locate_key(&file.text, path),
        _ => locate::locate(&file.text, path),
    };
    // A large object or list is labelled at its first character: showing
    // it whole would bury the report (a small one is shown whole, so the
    // reader sees its fields).
    let lines = file.text.get(s..e).map_or(0, |t| t.matches('\n').count());
    let e = if lines > 12 || (lines == 0 && e - s > 120) {
        s + 1
    } else {
        e
    };
    let span = Span::new(file, s..e).source_span();
    let src = file.named_source();
    let path_text = Path(path).to_string();
    match p.clone() {
        Problem::Type {
            expected,
            found,
            hint,
        } => {
            let help = Some(hint.unwrap_or_else(|| format!("give {expected} here")));
            FactsError::Type {
                src,
                span,
                path: path_text,
                expected,
                found,
                help,
            }
        }
        Problem::Null { expected } => FactsError::Type {
            src,
            span,
            path: path_text,
            expected: expected.clone(),
            found: "`null`".into(),
            help: Some("this field is not optional; give a value".into()),
        },
        Problem::Enum {
            value,
            ty,
            variants,
        } => {
            let suggestion =
                crate::check::suggest::closest(&value, variants.iter().map(String::as_str));
            let list = variants
                .iter()
                .map(|v| format!("\"{v}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let help = match suggestion {
                Some(s) => format!("did you mean \"{s}\"? the values of `{ty}` are {list}"),
                None => format!("the values of `{ty}` are {list}"),
            };
            FactsError::Enum {
                src,
                span,
                path: path_text,
                value,
                ty,
                help,
            }
        }
        Problem::Range { value, range } => FactsError::Range {
            src,
            span,
            path: path_text,
            value,
            range,
            help: range.help(),
        },
        Problem::Missing { field, record, ty } => FactsError::Missing {
            src,
            span,
            path: path_text,
            field,
            record,
            ty,
        },
        Problem::UnknownField {
            field,
            record,
            suggestion,
            fields,
        } => {
            let help = match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("the fields of `{record}` are: {}", fields.join(", ")),
            };
            FactsError::UnknownField {
                src,
                span,
                path: path_text,
                field,
                record,
                help,
            }
        }
        Problem::Duplicate {
            field,
            value,
            first,
        } => {
            let (fs, fe) = locate::locate(&file.text, &first);
            FactsError::Duplicate {
                src,
                span,
                first_span: Span::new(file, fs..fe).source_span(),
                path: path_text,
                field,
                value,
                first: Path(&first).to_string(),
            }
        }
        Problem::Date { value } => {
            let format = "write dates as \"YYYY-MM-DD\", e.g. \"2023-07-11\"".to_string();
            let (label, help) = match crate::value::why_not_a_date(&value) {
                Some((why, Some(last))) => {
                    (why, format!("the last day of that month is \"{last}\""))
                }
                Some((why, None)) => (why, format),
                None => ("not a real day in YYYY-MM-DD form".to_string(), format),
            };
            FactsError::Date {
                src,
                span,
                path: path_text,
                value,
                label,
                help,
            }
        }
        Problem::Duration { value } => FactsError::Duration {
            src,
            span,
            path: path_text,
            value,
        },
        Problem::RepeatedKey { field } => FactsError::RepeatedKey {
            src,
            span,
            path: path_text,
            field,
        },
    }
}
