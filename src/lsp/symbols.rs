//! Document symbols (the outline: ladders and their rungs, rules blocks
//! with their definitions and rules, definitions, records and their fields,
//! enums, facts, tests) and workspace symbols (every declaration).

use lsp_types::{DocumentSymbol, Location, SymbolInformation, SymbolKind};

use super::analysis::Analysis;
use super::index::{Declared, Sym};

/// The outline of file `file`: declarations nested in their container.
pub fn document(a: &Analysis, file: usize) -> Vec<DocumentSymbol> {
    let Some(info) = a.files.get(file) else {
        return Vec::new();
    };
    if info.stale {
        return Vec::new();
    }
    let mut out: Vec<DocumentSymbol> = Vec::new();
    let decls: Vec<&Declared> = a.index.decls.iter().filter(|d| d.file == file).collect();
    for d in decls {
        let Some(sym) = symbol(a, d) else { continue };
        let parent = match &d.sym {
            Sym::Variant(..)
            | Sym::Field(..)
            | Sym::Rung(..)
            | Sym::BlockLet(..)
            | Sym::Rule(..) => out.iter_mut().rev().find(|p| within(a, file, p, d)),
            _ => None,
        };
        match parent {
            Some(p) => p.children.get_or_insert_with(Vec::new).push(sym),
            None => out.push(sym),
        }
    }
    out
}

fn within(a: &Analysis, file: usize, parent: &DocumentSymbol, d: &Declared) -> bool {
    let Some(info) = a.files.get(file) else {
        return false;
    };
    let start = info.lines.position(&info.source.text, d.name.0);
    parent.range.start <= start && start <= parent.range.end
}

#[allow(
    deprecated,
    reason = "`deprecated` is a required field of the protocol's type"
)]
fn symbol(a: &Analysis, d: &Declared) -> Option<DocumentSymbol> {
    let info = a.files.get(d.file)?;
    let text = &info.source.text;
    let (name, kind) = name_kind(d)?;
    let range = info
        .lines
        .range(text, d.span.0.min(d.name.0), d.span.1.max(d.name.1));
    Some(DocumentSymbol {
        name,
        detail: d.detail.lines().next().map(str::to_string),
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: info.lines.range(text, d.name.0, d.name.1),
        children: None,
    })
}

fn name_kind(d: &Declared) -> Option<(String, SymbolKind)> {
    Some(match &d.sym {
        Sym::Enum(n) => (n.clone(), SymbolKind::ENUM),
        Sym::Variant(_, v) => (v.clone(), SymbolKind::ENUM_MEMBER),
        Sym::Record(n) => (n.clone(), SymbolKind::STRUCT),
        Sym::Field(_, f) => (f.clone(), SymbolKind::FIELD),
        Sym::Fact(f) => (f.clone(), SymbolKind::CONSTANT),
        Sym::Let(n) | Sym::BlockLet(_, n) => (n.clone(), SymbolKind::VARIABLE),
        Sym::Subject(_) => (
            d.detail.lines().next().unwrap_or("rules").to_string(),
            SymbolKind::NAMESPACE,
        ),
        Sym::Items(_) => return None,
        Sym::Ladder(n) => (n.clone(), SymbolKind::MODULE),
        Sym::Rung(_, r) => (r.clone(), SymbolKind::ENUM_MEMBER),
        Sym::Rule(_, r) => (r.clone(), SymbolKind::FUNCTION),
        Sym::Test(t) => (format!("test {t:?}"), SymbolKind::METHOD),
    })
}

/// Every declaration whose name holds `query` (any case).
#[allow(
    deprecated,
    reason = "`deprecated` is a required field of the protocol's type"
)]
pub fn workspace(a: &Analysis, query: &str) -> Vec<SymbolInformation> {
    let query = query.to_lowercase();
    a.index
        .decls
        .iter()
        .filter_map(|d| {
            let (name, kind) = name_kind(d)?;
            if !name.to_lowercase().contains(&query) {
                return None;
            }
            let info = a.files.get(d.file)?;
            Some(SymbolInformation {
                name,
                kind,
                tags: None,
                deprecated: None,
                location: Location::new(
                    info.uri.clone(),
                    info.lines.range(&info.source.text, d.name.0, d.name.1),
                ),
                container_name: container(&d.sym),
            })
        })
        .collect()
}

fn container(sym: &Sym) -> Option<String> {
    match sym {
        Sym::Variant(e, _) => Some(e.clone()),
        Sym::Field(r, _) => Some(r.clone()),
        Sym::Fact(_) => Some("facts".to_string()),
        Sym::Rung(l, _) | Sym::Rule(l, _) => Some(l.clone()),
        _ => None,
    }
}
