//! Completion: fields after `.` (of the record the expression before it
//! holds), rungs after `recommend`/`forbid` and in tests, rule labels after
//! `fires`, ladders after `rules` and `expect`, the values of an enum after
//! a comparison with an enum, and otherwise the names in scope, the
//! built-in functions and the keywords.
//!
//! The buffer being typed rarely parses, so the context is read from the
//! tokens before the cursor (the one tokenizer), and the names from the
//! index, which keeps a broken file's last declarations.

use lsp_types::{CompletionItem, CompletionItemKind};

use super::analysis::Analysis;
use super::index::{Index, Sym};
use crate::source::SourceFile;
use crate::syntax::{self, lex, words};

/// Completion items at byte `offset` of file `file`.
pub fn complete(a: &Analysis, file: usize, offset: usize) -> Vec<CompletionItem> {
    let Some(info) = a.files.get(file) else {
        return Vec::new();
    };
    let text = &info.source.text;
    let offset = offset.min(text.len());
    let mut start = offset;
    while start > 0
        && text
            .as_bytes()
            .get(start - 1)
            .is_some_and(|b| lex::is_word_char(*b))
    {
        start -= 1;
    }
    let prefix = text.get(start..offset).unwrap_or("");
    // Code tokens of the current declaration, up to the word being typed.
    let decl_start = declaration_start(text, start);
    let before: Vec<lex::Token> = lex::code(text, decl_start, start);
    let word = |t: Option<&lex::Token>| t.map_or("", |t| t.text(text));
    let last = before.last();
    let ix = &a.index;
    let block = ix.block_at(file, offset);
    let items = match word(last) {
        "." => fields_after(ix, text, &before, block),
        "recommend" | "forbid" | "top" | "recommends" | "forbids" | "reaches" | "to" => {
            rungs(ix, ladder_here(ix, text, &before, block))
        }
        "fires" => rule_labels(ix, ladder_here(ix, text, &before, block)),
        "rules" | "expect" => ix
            .ladders()
            .iter()
            .map(|(l, _)| item(l, CompletionItemKind::MODULE, "ladder"))
            .collect(),
        "==" | "!=" | "<" | "<=" | ">" | ">=" => {
            let mut v = enum_values(ix, text, &before);
            if v.is_empty() {
                v = names(ix, text, &before, block, decl_start);
            }
            v
        }
        _ => names(ix, text, &before, block, decl_start),
    };
    let mut items: Vec<CompletionItem> = items
        .into_iter()
        .filter(|i| i.label.starts_with(prefix))
        .collect();
    items.sort_by(|a, b| a.label.cmp(&b.label));
    items.dedup_by(|a, b| a.label == b.label);
    items
}

fn item(label: &str, kind: CompletionItemKind, detail: &str) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: (!detail.is_empty()).then(|| detail.to_string()),
        ..CompletionItem::default()
    }
}

/// The start of the declaration holding `offset`: the last declaration word
/// at the start of a line before it.
fn declaration_start(text: &str, offset: usize) -> usize {
    let mut found = 0;
    for t in lex::code(text, 0, offset) {
        if t.kind == lex::Kind::Word
            && words::DECLARATIONS.contains(&t.text(text))
            && lex::at_column_zero(text, t.start)
        {
            found = t.start;
        }
    }
    found
}

/// The expression ending just before the last token (`acts` in `acts.`,
/// `a.b` in `a.b.`): names joined by dots.
fn chain_before(text: &str, tokens: &[lex::Token]) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let mut rest = tokens;
    while let Some((last, init)) = rest.split_last() {
        let w = last.text(text);
        let expect_name = parts.len().is_multiple_of(2);
        let ok = if expect_name {
            last.kind == lex::Kind::Word && !words::is_reserved(w)
        } else {
            w == "."
        };
        if !ok {
            break;
        }
        parts.push(w);
        rest = init;
    }
    if parts.first() == Some(&".") {
        parts.remove(0);
    }
    if parts.len().is_multiple_of(2) {
        parts.pop();
    }
    if parts.is_empty() {
        return None;
    }
    parts.reverse();
    Some(parts.concat())
}

/// The record of the expression written as `chain`, in `block`'s scope.
fn record_of_chain(ix: &Index, chain: &str, block: Option<usize>) -> Option<String> {
    let src = SourceFile::new("<completion>", chain.to_string());
    let expr = syntax::parse_expr(&src).ok()?;
    ix.record_of_expr(&expr, block)
}

fn fields_after(
    ix: &Index,
    text: &str,
    before: &[lex::Token],
    block: Option<usize>,
) -> Vec<CompletionItem> {
    let init = before.get(..before.len().saturating_sub(1)).unwrap_or(&[]);
    let Some(chain) = chain_before(text, init) else {
        return Vec::new();
    };
    // Inside `where`/`has`, the chain may start with a field of the items.
    let record = record_of_chain(ix, &chain, block).or_else(|| {
        let outer = item_record(ix, text, init, block)?;
        let first = chain.split('.').next().unwrap_or("");
        let (_, ty) = ix.fields(&outer).into_iter().find(|(n, _)| n == first)?;
        let ty = ty
            .trim_start_matches("list of ")
            .trim_start_matches("optional ");
        let rest: Vec<&str> = chain.split('.').skip(1).collect();
        let mut rec = ty.to_string();
        for f in rest {
            let (_, t) = ix.fields(&rec).into_iter().find(|(n, _)| n == f)?;
            rec = t
                .trim_start_matches("list of ")
                .trim_start_matches("optional ")
                .to_string();
        }
        Some(rec)
    });
    let Some(record) = record else {
        return Vec::new();
    };
    ix.fields(&record)
        .into_iter()
        .map(|(n, t)| item(&n, CompletionItemKind::FIELD, &t))
        .collect()
}

/// The record of the items of the innermost `where`/`has`/`have` before the
/// cursor, in this declaration.
fn item_record(
    ix: &Index,
    text: &str,
    before: &[lex::Token],
    block: Option<usize>,
) -> Option<String> {
    let at = before
        .iter()
        .rposition(|t| matches!(t.text(text), "where" | "has" | "have"))?;
    let chain = chain_before(text, before.get(..at)?)?;
    record_of_chain(ix, &chain, block)
}

/// The ladder the cursor is about: of the rules block, or of the `expect`
/// before it in a test.
fn ladder_here(
    ix: &Index,
    text: &str,
    before: &[lex::Token],
    block: Option<usize>,
) -> Option<String> {
    if let Some(at) = before.iter().rposition(|t| t.is_word(text, "expect")) {
        return before.get(at + 1).map(|t| t.text(text).to_string());
    }
    block
        .and_then(|b| ix.blocks.get(b))
        .map(|b| b.ladder.clone())
}

fn rungs(ix: &Index, ladder: Option<String>) -> Vec<CompletionItem> {
    ix.ladders()
        .iter()
        .filter(|(l, _)| ladder.as_ref().is_none_or(|x| x == l))
        .flat_map(|(l, rs)| {
            rs.iter().map(move |r| {
                let mut it = item(r, CompletionItemKind::ENUM_MEMBER, &format!("rung of {l}"));
                if let Some(d) = ix.decl(&Sym::Rung(l.clone(), r.clone())) {
                    it.documentation = d
                        .detail
                        .lines()
                        .nth(1)
                        .map(|s| lsp_types::Documentation::String(s.to_string()));
                }
                it
            })
        })
        .collect()
}

fn rule_labels(ix: &Index, ladder: Option<String>) -> Vec<CompletionItem> {
    ix.decls
        .iter()
        .filter_map(|d| match &d.sym {
            Sym::Rule(l, r) if ladder.as_ref().is_none_or(|x| x == l) => Some(item(
                r,
                CompletionItemKind::FUNCTION,
                &format!("rule of {l}"),
            )),
            _ => None,
        })
        .collect()
}

/// The values of the enum compared with: `attribution == ` offers `high`.
fn enum_values(ix: &Index, text: &str, before: &[lex::Token]) -> Vec<CompletionItem> {
    let init = before.get(..before.len().saturating_sub(1)).unwrap_or(&[]);
    let Some(name) = init.last().map(|t| t.text(text)) else {
        return Vec::new();
    };
    let mut types: Vec<String> = ix
        .decls
        .iter()
        .filter_map(|d| match &d.sym {
            Sym::Field(r, f) if f == name => ix
                .fields(r)
                .into_iter()
                .find(|(n, _)| n == f)
                .map(|(_, t)| t),
            Sym::Fact(f) if f == name => ix
                .fields("facts")
                .into_iter()
                .find(|(n, _)| n == f)
                .map(|(_, t)| t),
            _ => None,
        })
        .map(|t| t.trim_start_matches("optional ").to_string())
        .collect();
    types.dedup();
    ix.enums()
        .iter()
        .filter(|(e, _)| types.contains(e))
        .flat_map(|(e, vs)| {
            vs.iter()
                .map(move |v| item(v, CompletionItemKind::ENUM_MEMBER, &format!("value of {e}")))
        })
        .collect()
}

fn names(
    ix: &Index,
    text: &str,
    before: &[lex::Token],
    block: Option<usize>,
    decl_start: usize,
) -> Vec<CompletionItem> {
    let mut out = Vec::new();
    if let Some(rec) = item_record(ix, text, before, block) {
        out.extend(
            ix.fields(&rec)
                .into_iter()
                .map(|(n, t)| item(&n, CompletionItemKind::FIELD, &t)),
        );
    }
    if let Some(b) = block.and_then(|b| ix.blocks.get(b)) {
        out.push(item(
            &b.subject,
            CompletionItemKind::VARIABLE,
            "the subject",
        ));
        out.push(item(
            &b.items,
            CompletionItemKind::VARIABLE,
            "the subject's items",
        ));
        out.extend(
            b.lets
                .iter()
                .map(|l| item(l, CompletionItemKind::VARIABLE, "definition")),
        );
    }
    out.extend(
        ix.global_lets()
            .iter()
            .map(|l| item(l, CompletionItemKind::VARIABLE, "definition")),
    );
    out.extend(
        ix.fields("facts")
            .into_iter()
            .map(|(n, t)| item(&n, CompletionItemKind::CONSTANT, &format!("fact: {t}"))),
    );
    for (e, vs) in ix.enums() {
        out.extend(
            vs.iter()
                .map(|v| item(v, CompletionItemKind::ENUM_MEMBER, &format!("value of {e}"))),
        );
    }
    out.extend(
        words::FUNCTIONS
            .iter()
            .map(|f| item(f, CompletionItemKind::FUNCTION, "built-in function")),
    );
    let in_test = text
        .get(decl_start..)
        .is_some_and(|s| s.starts_with("test"));
    let keywords: Vec<&str> = if in_test {
        words::grammar_words().collect()
    } else {
        words::language().collect()
    };
    out.extend(
        keywords
            .into_iter()
            .map(|k| item(k, CompletionItemKind::KEYWORD, "")),
    );
    out
}
