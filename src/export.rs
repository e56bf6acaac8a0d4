//! The facts' schema for other tools: a JSON Schema (draft 2020-12) of the
//! facts document, the header line of a table, and an example document.
//!
//! The people who keep the facts work in editors, spreadsheets and forms
//! that know JSON Schema, not rung: `rung schema` lets them validate and
//! fill in facts before rung reads them. The JSON Schema says what it can
//! of rung's rules (types, enums, ranges, required fields); what it cannot
//! (a `unique` field across a list, a real calendar day) is still checked
//! by rung, and said in the field's description.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value as Json, json};

use crate::facts::table::{ShapeProblem, table_record};
use crate::fmt::comments;
use crate::internal::Internal;
use crate::source::{SourceFile, Span};
use crate::types::{FieldType, RecordType, Schema, Type};
use crate::value::{Value, format_date};

/// A JSON document whose objects keep their keys in the order built:
/// declaration order, as a reader of the policy expects (`serde_json`'s own
/// maps sort their keys).
#[derive(Debug, Clone, PartialEq)]
pub enum Doc {
    /// A value without objects inside.
    Leaf(Json),
    /// An object, keys in order.
    Object(Vec<(String, Doc)>),
    /// An array.
    Array(Vec<Doc>),
}

impl Doc {
    fn object(pairs: Vec<(&str, Doc)>) -> Doc {
        Doc::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    fn insert(&mut self, key: &str, value: Doc) {
        if let Doc::Object(pairs) = self {
            pairs.push((key.to_string(), value));
        }
    }

    /// Pretty JSON text.
    pub fn to_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

impl serde::Serialize for Doc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap as _, SerializeSeq as _};
        match self {
            Doc::Leaf(j) => j.serialize(s),
            Doc::Object(pairs) => {
                let mut m = s.serialize_map(Some(pairs.len()))?;
                for (k, v) in pairs {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
            Doc::Array(items) => {
                let mut q = s.serialize_seq(Some(items.len()))?;
                for i in items {
                    q.serialize_element(i)?;
                }
                q.end()
            }
        }
    }
}

fn leaf(j: Json) -> Doc {
    Doc::Leaf(j)
}

/// The JSON Schema dialect written.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The JSON Schema of the facts document. Unknown fields are allowed, as
/// rung allows them (with a warning).
pub fn json_schema(schema: &Schema) -> Result<Doc, Internal> {
    let mut docs = Docs::default();
    let mut defs = Vec::new();
    for e in &schema.enums {
        let mut d = Doc::object(vec![]);
        if let Some(text) = docs.of(&e.span) {
            d.insert("description", leaf(json!(text)));
        }
        d.insert("type", leaf(json!("string")));
        d.insert("enum", leaf(json!(e.variants)));
        defs.push((e.name.clone(), d));
    }
    for r in &schema.records {
        defs.push((r.name.clone(), record(schema, r, &mut docs)?));
    }
    let mut out = Doc::object(vec![
        ("$schema", leaf(json!(DIALECT))),
        ("title", leaf(json!("rung facts"))),
    ]);
    if let Doc::Object(root) = record(schema, &schema.facts, &mut docs)? {
        for (k, v) in root {
            out.insert(&k, v);
        }
    }
    if !defs.is_empty() {
        out.insert("$defs", Doc::Object(defs));
    }
    Ok(out)
}

/// A record (or the facts document) as an object schema.
fn record(schema: &Schema, r: &RecordType, docs: &mut Docs) -> Result<Doc, Internal> {
    let mut properties = Vec::new();
    let mut required = Vec::new();
    for f in &r.fields {
        let mut description: Vec<String> = docs.of(&f.span).into_iter().collect();
        if f.unique {
            description.push(format!("Unique across any list of `{}`.", r.name));
        }
        let mut p = Doc::object(vec![]);
        if !description.is_empty() {
            p.insert("description", leaf(json!(description.join(" "))));
        }
        if let Doc::Object(pairs) = ty(schema, &f.ty) {
            for (k, v) in pairs {
                p.insert(&k, v);
            }
        }
        if let Some(crate::types::IntRange { lo, hi }) = f.range {
            // On the integer itself, inside `anyOf` when optional.
            let target = match &mut p {
                Doc::Object(pairs) => match pairs.iter_mut().find(|(k, _)| k == "anyOf") {
                    Some((_, Doc::Array(items))) => items.first_mut(),
                    _ => None,
                },
                _ => None,
            };
            match target {
                Some(t) => {
                    if let Some(lo) = lo {
                        t.insert("minimum", leaf(json!(lo)));
                    }
                    if let Some(hi) = hi {
                        t.insert("maximum", leaf(json!(hi)));
                    }
                }
                None => {
                    if let Some(lo) = lo {
                        p.insert("minimum", leaf(json!(lo)));
                    }
                    if let Some(hi) = hi {
                        p.insert("maximum", leaf(json!(hi)));
                    }
                }
            }
        }
        if let Some(d) = &f.default {
            p.insert("default", leaf(value(schema, d, &f.ty)?));
        }
        if f.default.is_none() && !matches!(f.ty, Type::Optional(_)) {
            required.push(f.name.clone());
        }
        properties.push((f.name.clone(), p));
    }
    let mut out = Doc::object(vec![]);
    if r.name != "facts"
        && let Some(text) = docs.of(&r.span)
    {
        out.insert("description", leaf(json!(text)));
    }
    out.insert("type", leaf(json!("object")));
    out.insert("properties", Doc::Object(properties));
    out.insert("required", leaf(json!(required)));
    out.insert("additionalProperties", leaf(json!(true)));
    Ok(out)
}

/// The schema of a value of type `t`.
fn ty(schema: &Schema, t: &Type) -> Doc {
    let s = |v: &str| leaf(json!(v));
    match t {
        Type::Bool => Doc::object(vec![("type", s("boolean"))]),
        Type::Int => Doc::object(vec![("type", s("integer"))]),
        Type::Decimal => Doc::object(vec![(
            "anyOf",
            Doc::Array(vec![
                Doc::object(vec![("type", s("number"))]),
                Doc::object(vec![
                    ("type", s("string")),
                    ("pattern", s("^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$")),
                ]),
            ]),
        )]),
        Type::Str => Doc::object(vec![("type", s("string"))]),
        Type::Date => Doc::object(vec![
            ("type", s("string")),
            ("format", s("date")),
            ("pattern", s("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")),
        ]),
        Type::Duration => Doc::object(vec![("type", s("string")), ("pattern", s("^[0-9]+[dw]$"))]),
        Type::Enum(e) => match schema.enums.get(e.index()) {
            Some(e) => Doc::object(vec![("$ref", leaf(json!(format!("#/$defs/{}", e.name))))]),
            None => Doc::object(vec![]),
        },
        Type::Rung(l) => match schema.ladders.get(l.index()) {
            Some(l) => Doc::object(vec![
                ("type", s("string")),
                (
                    "enum",
                    leaf(json!(
                        l.rungs.iter().map(|r| r.name.as_str()).collect::<Vec<_>>()
                    )),
                ),
            ]),
            None => Doc::object(vec![]),
        },
        Type::Record(r) => match schema.records.get(r.index()) {
            Some(r) => Doc::object(vec![("$ref", leaf(json!(format!("#/$defs/{}", r.name))))]),
            None => Doc::object(vec![]),
        },
        Type::List(e) => Doc::object(vec![("type", s("array")), ("items", ty(schema, e))]),
        Type::Optional(inner) => Doc::object(vec![(
            "anyOf",
            Doc::Array(vec![
                ty(schema, inner),
                Doc::object(vec![("type", s("null"))]),
            ]),
        )]),
        Type::EmptyList | Type::Error => Doc::object(vec![]),
    }
}

/// A value as the JSON facts write it (a decimal as a string, which keeps
/// every digit).
pub fn to_json(schema: &Schema, v: &Value, t: &Type) -> Result<Json, Internal> {
    value(schema, v, t)
}

/// A value as the facts write it.
fn value(schema: &Schema, v: &Value, t: &Type) -> Result<Json, Internal> {
    let inner = match t {
        Type::Optional(i) => i.as_ref(),
        t => t,
    };
    Ok(match v {
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Decimal(d) => json!(d.normalize().to_string()),
        Value::Str(s) => json!(s.as_ref()),
        Value::Date(d) => json!(format_date(*d)),
        Value::Duration(d) => json!(format!("{d}d")),
        Value::Enum(i) => json!(schema.variant_name(inner, *i)?),
        Value::Absent => Json::Null,
        Value::List(items) => {
            let elem = inner.element().unwrap_or(&Type::Error);
            Json::Array(
                items
                    .iter()
                    .map(|i| value(schema, i, elem))
                    .collect::<Result<_, _>>()?,
            )
        }
        Value::Record(fields) => {
            let Type::Record(r) = inner else {
                return Err(Internal::new(
                    "a record value has a type that is not a record",
                ));
            };
            let rec = schema.record(*r)?;
            let mut m = Map::new();
            for (f, v) in rec.fields.iter().zip(fields.iter()) {
                m.insert(f.name.clone(), value(schema, v, &f.ty)?);
            }
            Json::Object(m)
        }
    })
}

/// The header line of a table for `name`: a fact (`incidents`) or a record
/// (`Incident`). The error says why there is none.
pub fn csv_header(schema: &Schema, name: &str) -> Result<String, HeaderError> {
    let record = if let Some(fact) = schema.facts.fields.iter().find(|f| f.name == name) {
        table_record(schema, fact).map_err(HeaderError::Shape)?
    } else if let Some((i, r)) = schema
        .records
        .iter()
        .enumerate()
        .find(|(_, r)| r.name == name)
    {
        // A record is checked as if a fact were a list of it.
        let fact = FieldType {
            name: name.to_string(),
            ty: Type::List(Box::new(Type::Record(crate::ids::RecordId::new(i)))),
            range: None,
            unique: false,
            default: None,
            span: r.span.clone(),
        };
        table_record(schema, &fact).map_err(HeaderError::Shape)?
    } else {
        let names = schema
            .facts
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .chain(schema.records.iter().map(|r| r.name.as_str()));
        return Err(HeaderError::Unknown {
            suggestion: crate::check::suggest::closest(name, names).map(str::to_string),
        });
    };
    Ok(record
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join(","))
}

/// Why there is no header line.
#[derive(Debug)]
pub enum HeaderError {
    /// No fact or record has the name.
    Unknown {
        /// A close name.
        suggestion: Option<String>,
    },
    /// The fact or record cannot come from a table.
    Shape(ShapeProblem),
}

/// An example facts document: every fact, one item per list, and a
/// placeholder for each field that rung accepts (`"<victim>"` for a string,
/// the lowest value of a range, the first value of an enum, `null` for an
/// optional value, the default where there is one), so that it can be
/// filled in and evaluated at once.
pub fn template(schema: &Schema) -> Result<Doc, Internal> {
    let mut out = Vec::new();
    for f in &schema.facts.fields {
        out.push((f.name.clone(), placeholder(schema, f, 0)?));
    }
    Ok(Doc::Object(out))
}

/// The placeholder of a field: its default, unless that is an empty list.
fn placeholder(schema: &Schema, f: &FieldType, depth: usize) -> Result<Doc, Internal> {
    match &f.default {
        Some(Value::List(l)) if l.is_empty() => placeholder_of(schema, f, &f.ty, depth),
        Some(d) => Ok(leaf(value(schema, d, &f.ty)?)),
        None => placeholder_of(schema, f, &f.ty, depth),
    }
}

fn placeholder_of(schema: &Schema, f: &FieldType, t: &Type, depth: usize) -> Result<Doc, Internal> {
    Ok(match t {
        Type::Bool => leaf(json!(false)),
        Type::Int => leaf(json!(f.range.map_or(0, |r| r.lo.or(r.hi).unwrap_or(0)))),
        Type::Decimal => leaf(json!(0)),
        Type::Str => leaf(json!(format!("<{}>", f.name))),
        Type::Date => leaf(json!("2024-01-01")),
        Type::Duration => leaf(json!("0d")),
        Type::Enum(_) | Type::Rung(_) => leaf(json!(schema.variant_name(t, 0)?)),
        Type::Optional(_) => leaf(Json::Null),
        // Records may hold lists of each other: deep down, a list is empty.
        Type::List(_) if depth > 8 => Doc::Array(Vec::new()),
        Type::List(e) => Doc::Array(vec![placeholder_of(schema, f, e, depth + 1)?]),
        Type::Record(r) => {
            let rec = schema.record(*r)?;
            let mut m = Vec::new();
            for field in &rec.fields {
                m.push((field.name.clone(), placeholder(schema, field, depth + 1)?));
            }
            Doc::Object(m)
        }
        Type::EmptyList | Type::Error => leaf(Json::Null),
    })
}

/// Descriptions from the policy's comments: the `#` lines just above a
/// declaration (no blank line between), as the formatter keeps them.
#[derive(Default)]
struct Docs {
    /// Own-line comments of each file, by file name.
    files: HashMap<String, Vec<comments::Comment>>,
}

impl Docs {
    fn of(&mut self, span: &Span) -> Option<String> {
        let file: &Arc<SourceFile> = &span.file;
        let list = self
            .files
            .entry(file.name.clone())
            .or_insert_with(|| comments::extract(&file.text, &[]));
        let text = &file.text;
        // Walk up from the declaration's line while the line above is a
        // comment of its own.
        let mut line_start = text.get(..span.start)?.rfind('\n').map_or(0, |i| i + 1);
        let mut lines = Vec::new();
        while line_start > 0 {
            let above_end = line_start - 1;
            let above_start = text.get(..above_end)?.rfind('\n').map_or(0, |i| i + 1);
            let Some(c) = list
                .iter()
                .find(|c| !c.trailing && c.start >= above_start && c.start < above_end)
            else {
                break;
            };
            lines.push(c.text.trim_start_matches('#').trim().to_string());
            line_start = above_start;
        }
        if lines.is_empty() {
            return None;
        }
        lines.reverse();
        Some(lines.join(" "))
    }
}
