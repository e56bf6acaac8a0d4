//! Tab completion: commands, names in scope, rung names, fields after `.`,
//! JSON paths after `:set`, ladders and subjects after `:why` and
//! `:subject`, and file paths after `:load` and `:facts`.
//!
//! The logic is plain functions over a [`Session`], so it is tested without
//! a terminal; [`super::helper`] plugs it into rustyline.

use serde_json::Value as Json;

use super::command::{self, COMMANDS};
use super::edit;
use super::probe;
use super::session::Session;
use crate::source::SourceFile;
use crate::syntax;
use crate::syntax::{lex, words};
use crate::types::Type;

/// What to complete at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completion {
    /// Replace from byte `start` to the cursor with one of these.
    Words(usize, Vec<String>),
    /// A file path (the front end completes it).
    Path,
}

/// Completion candidates for `line` with the cursor at byte `pos`.
pub fn complete(session: &Session, line: &str, pos: usize) -> Completion {
    let before = line.get(..pos).unwrap_or(line);
    let trimmed = before.trim_start();
    if !trimmed.starts_with(':') {
        return expression(session, before, 0);
    }
    let colon = before.len() - trimmed.len();
    let words = command::words(before, colon);
    let ends_in_space = before.ends_with(char::is_whitespace);
    if words.len() <= 1 && !ends_in_space {
        let typed = words.first().map_or(":", |w| w.text.as_str());
        let names = COMMANDS
            .iter()
            .map(|c| format!(":{}", c.name))
            .filter(|n| n.starts_with(typed))
            .collect();
        return Completion::Words(colon, names);
    }
    let Some(name) = words.first() else {
        return Completion::Words(pos, Vec::new());
    };
    let Some(info) = command::lookup(name.text.trim_start_matches(':')) else {
        return Completion::Words(pos, Vec::new());
    };
    let args = words.get(1..).unwrap_or(&[]);
    // The argument under the cursor and how many come before it.
    let (index, start) = if ends_in_space {
        (args.len(), pos)
    } else {
        (
            args.len().saturating_sub(1),
            args.last().map_or(pos, |a| a.start),
        )
    };
    let prefix = before.get(start..).unwrap_or("");
    let pick = |all: Vec<String>| {
        let mut v: Vec<String> = all.into_iter().filter(|c| c.starts_with(prefix)).collect();
        v.sort();
        v.dedup();
        Completion::Words(start, v)
    };
    let program = &session.policy.policy.program;
    let ladders = || -> Vec<String> {
        program
            .schema
            .ladders
            .iter()
            .map(|l| l.name.clone())
            .collect()
    };
    match (info.name, index) {
        ("load" | "facts", _) | ("table", 1) => Completion::Path,
        ("why", 0) => pick(rung_names(session)),
        ("why", 1) => {
            let rung = args.first().map_or("", |a| a.text.as_str());
            let subjects = program
                .schema
                .ladders
                .iter()
                .filter(|l| l.rungs.iter().any(|r| r.name == rung))
                .flat_map(|l| session.subjects_of(&l.name))
                .collect();
            pick(subjects)
        }
        ("subject" | "rules", 0) => pick(ladders()),
        ("subject", 1) => {
            let ladder = args.first().map_or("", |a| a.text.as_str());
            pick(session.subjects_of(ladder))
        }
        ("set" | "unset" | "show", _) if !before.get(name.end..).unwrap_or("").contains('=') => {
            json_path(session, before, name.end)
        }
        ("type", _) => expression(session, before, name.end),
        _ => Completion::Words(pos, Vec::new()),
    }
}

fn rung_names(session: &Session) -> Vec<String> {
    session
        .policy
        .policy
        .program
        .schema
        .ladders
        .iter()
        .flat_map(|l| l.rungs.iter().map(|r| r.name.clone()))
        .collect()
}

fn is_ident(c: char) -> bool {
    u8::try_from(c).is_ok_and(lex::is_word_char)
}

/// Names (or, after `.`, fields) for the word ending at the end of `before`;
/// the expression starts at byte `from`.
fn expression(session: &Session, before: &str, from: usize) -> Completion {
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_ident(*c))
        .last()
        .map_or(before.len(), |(i, _)| i);
    let prefix = before.get(start..).unwrap_or("");
    let candidates = if start > from && before.get(..start).is_some_and(|b| b.ends_with('.')) {
        let base = before.get(from..start - 1).unwrap_or("");
        fields_of(session, base)
    } else {
        names(session)
    };
    let mut v: Vec<String> = candidates
        .into_iter()
        .filter(|c| c.starts_with(prefix))
        .collect();
    v.sort();
    v.dedup();
    Completion::Words(start, v)
}

/// Every name that may be in scope at the prompt.
pub fn names(session: &Session) -> Vec<String> {
    let program = &session.policy.policy.program;
    let schema = &program.schema;
    let mut out: Vec<String> = Vec::new();
    out.extend(words::language().map(str::to_string));
    out.extend(words::FUNCTIONS.iter().map(|s| s.to_string()));
    out.extend(schema.facts.fields.iter().map(|f| f.name.clone()));
    out.extend(program.definitions().iter().map(|l| l.name.clone()));
    for e in &schema.enums {
        out.extend(e.variants.iter().cloned());
    }
    out.extend(rung_names(session));
    // Fields are names inside `where` and quantifier conditions.
    for r in &schema.records {
        out.extend(r.fields.iter().map(|f| f.name.clone()));
    }
    if let Some(scope) = &session.scope
        && let Some(b) = program.blocks.get(scope.block)
    {
        // A keyed block names no subject.
        if !b.subject.is_empty() {
            out.push(b.subject.clone());
        }
        out.push(b.items.clone());
        out.extend(b.lets.iter().map(|l| l.name.clone()));
    }
    out
}

/// Fields of the record (or list of records) that `base` ends with.
fn fields_of(session: &Session, base: &str) -> Vec<String> {
    let program = &session.policy.policy.program;
    let Some(ty) = type_of_tail(session, base) else {
        return Vec::new();
    };
    let mut t = &ty;
    while let Type::List(inner) | Type::Optional(inner) = t {
        t = inner;
    }
    match t {
        Type::Record(r) => program
            .schema
            .records
            .get(r.index())
            .map(|r| r.fields.iter().map(|f| f.name.clone()).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The type of the shortest expression that `text` ends with.
fn type_of_tail(session: &Session, text: &str) -> Option<Type> {
    let boundaries: Vec<usize> = text
        .char_indices()
        .filter(|(i, _)| {
            *i == 0
                || text
                    .get(..*i)
                    .and_then(|b| b.chars().last())
                    .is_some_and(|c| c.is_whitespace() || matches!(c, '(' | '[' | ','))
        })
        .map(|(i, _)| i)
        .collect();
    for &i in boundaries.iter().rev().take(12) {
        let tail = text.get(i..)?;
        if tail.trim().is_empty() {
            continue;
        }
        let file = SourceFile::new("<complete>", tail);
        let Ok(expr) = syntax::parse_expr(&file) else {
            continue;
        };
        if let Ok(p) = probe::check(&session.policy, &expr, session.scope.as_ref()) {
            return Some(p.expr.ty);
        }
    }
    None
}

/// Keys of the facts at the path being typed after `:set`, `:unset`, `:show`.
fn json_path(session: &Session, before: &str, from: usize) -> Completion {
    let pos = before.len();
    let Some(facts) = &session.facts else {
        return Completion::Words(pos, Vec::new());
    };
    let typed = before.get(from..).unwrap_or("").trim_start();
    let typed_start = pos - typed.len();
    let (base, start) = match typed.rfind(['.', ']']) {
        Some(i) => (typed.get(..i + 1).unwrap_or(""), typed_start + i + 1),
        None => ("", typed_start),
    };
    let prefix = before.get(start..).unwrap_or("");
    let base = base.trim_end_matches('.');
    let value = if base.is_empty() || base == "$" {
        Some(&facts.current)
    } else {
        let file = SourceFile::new("<complete>", base);
        let arg = command::Arg {
            text: base.to_string(),
            start: 0,
            end: base.len(),
        };
        edit::parse_path(&file, &arg)
            .ok()
            .and_then(|p| edit::get(&facts.current, &p.segs).ok())
    };
    // Right after `]` the key needs its dot.
    let dot = if base.ends_with(']') && prefix.is_empty() {
        "."
    } else {
        ""
    };
    let keys: Vec<String> = match value {
        Some(Json::Object(m)) => m
            .keys()
            .filter(|k| k.starts_with(prefix))
            .map(|k| format!("{dot}{k}"))
            .collect(),
        _ => Vec::new(),
    };
    Completion::Words(start, keys)
}
