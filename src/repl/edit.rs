//! What-if edits of the facts: JSON paths such as `incidents[2].attribution`,
//! and setting or removing the value they name in a `serde_json::Value`.
//!
//! The edited document is then re-validated by the facts loader, so an edit
//! is held to the same schema, with the same errors, as a facts file.

use std::sync::Arc;

use serde_json::Value as Json;

use super::command::Arg;
use super::error::{ReplError, at, typed};
use crate::facts::{Path, Seg};
use crate::source::SourceFile;

/// A parsed path: each step with its byte range in the typed text.
#[derive(Debug, Clone)]
pub struct JsonPath {
    /// The steps.
    pub segs: Vec<Seg>,
    /// Byte range of each step in the typed text.
    pub spans: Vec<(usize, usize)>,
}

impl JsonPath {
    /// `$.incidents[2].attribution`
    pub fn show(&self) -> String {
        Path(&self.segs).to_string()
    }
}

/// Parses `incidents[2].attribution` (a leading `$` or `$.` is allowed).
pub fn parse_path(file: &Arc<SourceFile>, arg: &Arg) -> Result<JsonPath, ReplError> {
    let text = arg.text.as_str();
    let b = text.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'$') {
        i = 1;
    }
    let mut out = JsonPath {
        segs: Vec::new(),
        spans: Vec::new(),
    };
    let bad = |at_byte: usize, message: &str| {
        let start = arg.start + at_byte;
        let (src, span) = at(&typed(file, start, (start + 1).min(arg.end)));
        ReplError::Path {
            src,
            span,
            message: message.to_string(),
            label: "here".into(),
            help: Some(
                "a path names a fact: `now`, `incidents[2].attribution`, `prior_responses[0]`"
                    .into(),
            ),
        }
    };
    while i < b.len() {
        let start = i;
        match b.get(i) {
            Some(b'[') => {
                let close = text
                    .get(i..)
                    .and_then(|t| t.find(']'))
                    .map(|j| i + j)
                    .ok_or_else(|| bad(i, "unclosed `[` in the path"))?;
                let inner = text.get(i + 1..close).unwrap_or("").trim();
                let seg =
                    if let Some(key) = inner.strip_prefix('"').and_then(|k| k.strip_suffix('"')) {
                        Seg::Key(key.to_string())
                    } else {
                        let n: usize = inner.parse().map_err(|_| {
                            bad(i + 1, "a list index is a whole number: `[0]`, `[2]`")
                        })?;
                        Seg::Index(n)
                    };
                out.segs.push(seg);
                i = close + 1;
            }
            Some(b'.') if !out.segs.is_empty() || start == 1 || start == 0 => {
                i += 1;
                let end = ident_end(b, i);
                if end == i {
                    return Err(bad(
                        i.min(b.len().saturating_sub(1)),
                        "expected a field name after `.`",
                    ));
                }
                out.segs
                    .push(Seg::Key(text.get(i..end).unwrap_or("").to_string()));
                i = end;
            }
            Some(_) if out.segs.is_empty() => {
                let end = ident_end(b, i);
                if end == i {
                    return Err(bad(i, "expected a field name"));
                }
                out.segs
                    .push(Seg::Key(text.get(i..end).unwrap_or("").to_string()));
                i = end;
            }
            _ => return Err(bad(i, "expected `.field` or `[index]`")),
        }
        out.spans.push((arg.start + start, arg.start + i));
    }
    Ok(out)
}

fn ident_end(b: &[u8], mut i: usize) -> usize {
    while b
        .get(i)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
    {
        i += 1;
    }
    i
}

/// Parses the value of a `:set`: JSON, or a bare word (`high`,
/// `2023-01-01`) taken as a string.
pub fn parse_value(file: &Arc<SourceFile>, arg: &Arg) -> Result<Json, ReplError> {
    match serde_json::from_str::<Json>(&arg.text) {
        Ok(v) => Ok(v),
        Err(_) if is_bare_word(&arg.text) => Ok(Json::String(arg.text.clone())),
        Err(e) => {
            let offset = offset_of(&arg.text, e.line(), e.column());
            let start = arg.start + offset.min(arg.text.len().saturating_sub(1));
            let (src, span) = at(&typed(file, start, start + 1));
            Err(ReplError::Json {
                src,
                span,
                message: strip_position(&e.to_string()),
            })
        }
    }
}

fn is_bare_word(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
}

/// Byte offset of a 1-based line and column (serde_json's error position).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (n, l) in text.split_inclusive('\n').enumerate() {
        if n + 1 == line {
            return offset + column.saturating_sub(1).min(l.len());
        }
        offset += l.len();
    }
    text.len()
}

/// serde_json's message without its ` at line 1 column 5` suffix.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_string(),
        None => message.to_string(),
    }
}

/// Why a path does not lead anywhere: the step that failed and the reason.
#[derive(Debug)]
pub struct Miss {
    /// Index of the step that failed.
    pub step: usize,
    /// What was wrong.
    pub message: String,
    /// A hint (the keys or the length that exist).
    pub help: Option<String>,
}

fn describe(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

fn step<'a>(v: &'a Json, seg: &Seg, n: usize, segs: &[Seg]) -> Result<&'a Json, Miss> {
    let here = Path(segs.get(..n).unwrap_or(&[])).to_string();
    match (v, seg) {
        (Json::Object(m), Seg::Key(k)) => m.get(k).ok_or_else(|| Miss {
            step: n,
            message: format!("{here} has no field `{k}`"),
            help: Some(format!(
                "its fields are: {}",
                m.keys()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }),
        (Json::Array(a), Seg::Index(i)) => a.get(*i).ok_or_else(|| Miss {
            step: n,
            message: format!("{here} has {} items; there is no [{i}]", a.len()),
            help: Some(format!(
                "indexes start at 0; `:set {}[{}] = {{...}}` appends an item",
                here.trim_start_matches("$.").trim_start_matches('$'),
                a.len()
            )),
        }),
        (other, Seg::Key(k)) => Err(Miss {
            step: n,
            message: format!("{here} is {}, which has no field `{k}`", describe(other)),
            help: None,
        }),
        (other, Seg::Index(_)) => Err(Miss {
            step: n,
            message: format!("{here} is {}, not a list", describe(other)),
            help: None,
        }),
    }
}

/// The value at `segs`.
pub fn get<'a>(root: &'a Json, segs: &[Seg]) -> Result<&'a Json, Miss> {
    let mut v = root;
    for (n, seg) in segs.iter().enumerate() {
        v = step(v, seg, n, segs)?;
    }
    Ok(v)
}

fn get_mut<'a>(root: &'a mut Json, segs: &[Seg]) -> Result<&'a mut Json, Miss> {
    // Walk once immutably for a good error, then again mutably.
    get(root, segs)?;
    let mut v = root;
    for seg in segs {
        v = match (v, seg) {
            (Json::Object(m), Seg::Key(k)) => m.get_mut(k),
            (Json::Array(a), Seg::Index(i)) => a.get_mut(*i),
            _ => None,
        }
        .ok_or_else(|| Miss {
            step: 0,
            message: "the path changed while editing".into(),
            help: None,
        })?;
    }
    Ok(v)
}

/// Sets the value at `segs` (a new field of an object, or one past the end
/// of a list, is added). Returns the previous value, if any.
pub fn set(root: &mut Json, segs: &[Seg], new: Json) -> Result<Option<Json>, Miss> {
    let Some((last, parent)) = segs.split_last() else {
        return Ok(Some(std::mem::replace(root, new)));
    };
    let n = parent.len();
    let here = Path(parent).to_string();
    match (get_mut(root, parent)?, last) {
        (Json::Object(m), Seg::Key(k)) => Ok(m.insert(k.clone(), new)),
        (Json::Array(a), Seg::Index(i)) if *i < a.len() => {
            Ok(a.get_mut(*i).map(|slot| std::mem::replace(slot, new)))
        }
        (Json::Array(a), Seg::Index(i)) if *i == a.len() => {
            a.push(new);
            Ok(None)
        }
        (Json::Array(a), Seg::Index(i)) => Err(Miss {
            step: n,
            message: format!("{here} has {} items; there is no [{i}]", a.len()),
            help: Some(format!("`[{}]` appends an item", a.len())),
        }),
        (other, Seg::Key(k)) => Err(Miss {
            step: n,
            message: format!("{here} is {}, which has no field `{k}`", describe(other)),
            help: None,
        }),
        (other, Seg::Index(_)) => Err(Miss {
            step: n,
            message: format!("{here} is {}, not a list", describe(other)),
            help: None,
        }),
    }
}

/// Removes the value at `segs` and returns it.
pub fn unset(root: &mut Json, segs: &[Seg]) -> Result<Json, Miss> {
    get(root, segs)?;
    let Some((last, parent)) = segs.split_last() else {
        return Err(Miss {
            step: 0,
            message: "the whole facts document cannot be removed".into(),
            help: Some("name a part of it: `:unset incidents[0]`".into()),
        });
    };
    let removed = match (get_mut(root, parent)?, last) {
        (Json::Object(m), Seg::Key(k)) => m.remove(k),
        (Json::Array(a), Seg::Index(i)) if *i < a.len() => Some(a.remove(*i)),
        _ => None,
    };
    removed.ok_or_else(|| Miss {
        step: parent.len(),
        message: "nothing to remove there".into(),
        help: None,
    })
}

/// Turns a miss into a report on the step of the path that failed.
pub fn miss_report(file: &Arc<SourceFile>, path: &JsonPath, miss: Miss) -> ReplError {
    let (start, end) = path
        .spans
        .get(miss.step)
        .or(path.spans.last())
        .copied()
        .unwrap_or((0, file.text.len()));
    let (src, span) = at(&typed(file, start, end));
    ReplError::Path {
        src,
        span,
        message: miss.message,
        label: "not found".into(),
        help: miss.help,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn path(s: &str) -> JsonPath {
        let file = SourceFile::new("<t>", s);
        parse_path(
            &file,
            &Arg {
                text: s.into(),
                start: 0,
                end: s.len(),
            },
        )
        .unwrap()
    }

    #[test]
    fn paths_parse() {
        assert_eq!(
            path("incidents[2].attribution").show(),
            "$.incidents[2].attribution"
        );
        assert_eq!(path("$.now").show(), "$.now");
        assert_eq!(path("now").segs, vec![Seg::Key("now".into())]);
        assert_eq!(path("a[\"b c\"]").show(), "$.a[\"b c\"]");
    }

    #[test]
    fn set_replaces_appends_and_misses() {
        let mut v: Json = serde_json::from_str(r#"{"xs": [1, 2], "now": "a"}"#).unwrap();
        set(&mut v, &path("xs[2]").segs, Json::from(3)).unwrap();
        set(&mut v, &path("now").segs, Json::from("b")).unwrap();
        assert_eq!(v.to_string(), r#"{"now":"b","xs":[1,2,3]}"#);
        let miss = set(&mut v, &path("xs[9]").segs, Json::Null).unwrap_err();
        assert!(miss.message.contains("3 items"), "{}", miss.message);
        let miss = set(&mut v, &path("nope.x").segs, Json::Null).unwrap_err();
        assert_eq!(miss.step, 0);
        unset(&mut v, &path("xs[0]").segs).unwrap();
        assert_eq!(v.to_string(), r#"{"now":"b","xs":[2,3]}"#);
    }
}
