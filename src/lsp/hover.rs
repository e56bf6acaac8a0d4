//! Hover: what a name is (its declaration, type and doc comment; a rung's
//! description; a rule's `because` and `cites`), or an expression's type,
//! and the explanation of a diagnostic's code under the cursor.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::analysis::Analysis;
use super::index::Sym;
use crate::ast::{self, Decl};
use crate::check;
use crate::diagnostic::codes;
use crate::program::{self, BlockId};

/// The hover at byte `offset` of file `file`.
pub fn hover(a: &Analysis, file: usize, offset: usize) -> Option<Hover> {
    let info = a.files.get(file)?;
    let mut parts = Vec::new();
    let mut range = None;
    if let Some(o) = a.index.at(file, offset) {
        range = Some(info.lines.range(&info.source.text, o.start, o.end));
        if let Some(d) = a.index.decl(&o.sym) {
            let mut block = format!("```rung\n{}", d.detail);
            if let Some(t) = type_of_symbol(a, &o.sym) {
                block.push_str(&format!("\n: {t}"));
            }
            block.push_str("\n```");
            parts.push(block);
            if let Some(doc) = &d.doc {
                parts.push(doc.clone());
            }
        }
    }
    if parts.is_empty()
        && let Some((start, end, ty)) = expression_type(a, file, offset)
    {
        range = Some(info.lines.range(&info.source.text, start, end));
        let text = info.source.text.get(start..end).unwrap_or("");
        parts.push(format!("```rung\n{}\n```\n: `{ty}`", one_line(text)));
    }
    for (_, r, _) in a.diagnostics.iter().filter(|(f, r, _)| {
        *f == file && r.span.is_some_and(|s| s.start <= offset && offset <= s.end)
    }) {
        if let Some(e) = r.code.as_deref().and_then(codes::lookup) {
            parts.push(format!("`{}`: {}", e.code, e.title));
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range,
    })
}

/// The type of a definition, fact or field, from the checked program.
fn type_of_symbol(a: &Analysis, sym: &Sym) -> Option<String> {
    let p = a.program.as_ref()?;
    let schema = &p.schema;
    match sym {
        Sym::Let(n) => p
            .definitions()
            .iter()
            .find(|l| l.name == *n)
            .map(|l| schema.show(&l.value.ty)),
        Sym::BlockLet(b, n) => p
            .blocks
            .get(*b)?
            .lets
            .iter()
            .find(|l| l.name == *n)
            .map(|l| schema.show(&l.value.ty)),
        Sym::Subject(b) => p.blocks.get(*b).map(|bl| schema.show(&bl.key.ty)),
        Sym::Items(b) => p.blocks.get(*b).map(|bl| schema.show(&bl.source.ty)),
        _ => None,
    }
}

/// The smallest checked expression holding `offset`, with its type: the
/// enclosing definition, condition or list is checked in its scope
/// (`check::expression`), and its typed tree searched.
pub fn expression_type(a: &Analysis, file: usize, offset: usize) -> Option<(usize, usize, String)> {
    let program = a.program.as_ref()?;
    let (root, block) = enclosing(a, file, offset)?;
    let checked = check::expression(program, root, block.map(BlockId::new)).ok()?;
    let node = innermost(&checked, offset)?;
    Some((
        node.span.start,
        node.span.end,
        program.schema.show(&node.ty),
    ))
}

/// The top-level expression of the file holding `offset`, and its block.
fn enclosing(a: &Analysis, file: usize, offset: usize) -> Option<(&ast::Expr, Option<usize>)> {
    let within = |e: &ast::Expr| e.span.start <= offset && offset <= e.span.end;
    let mut block = 0usize;
    for (i, f) in a.files.iter().enumerate() {
        let Some(ast) = &f.ast else { continue };
        for d in &ast.decls {
            match d {
                Decl::Let(l) if i == file && within(&l.value) => return Some((&l.value, None)),
                Decl::Warn(w) if i == file && within(&w.items) => return Some((&w.items, None)),
                Decl::Rules(r) => {
                    if i == file {
                        if within(&r.source) {
                            return Some((&r.source, None));
                        }
                        for l in &r.lets {
                            if within(&l.value) {
                                return Some((&l.value, Some(block)));
                            }
                        }
                        for rule in &r.rules {
                            if let Some(w) = rule.when.as_ref().filter(|w| within(w)) {
                                return Some((w, Some(block)));
                            }
                        }
                    }
                    block += 1;
                }
                _ => {}
            }
        }
    }
    None
}

fn innermost(e: &program::Expr, offset: usize) -> Option<&program::Expr> {
    if !(e.span.start <= offset && offset <= e.span.end) {
        return None;
    }
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
        e.children()
            .into_iter()
            .find_map(|c| innermost(c, offset))
            .or(Some(e))
    })
}

fn one_line(s: &str) -> String {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 120 {
        format!("{}…", s.chars().take(120).collect::<String>())
    } else {
        s
    }
}
