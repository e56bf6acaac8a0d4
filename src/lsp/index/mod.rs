//! Where every name is declared and used, across the policy's files: what
//! hover, go to definition, find references, rename, symbols, completion
//! and semantic tokens read.
//!
//! Built from the syntax trees of the files that parse, not from the checked
//! program, so that navigation keeps working in a policy that does not check
//! (the usual state of a file being edited). Names resolve as the checker
//! resolves them, innermost first: fields of the items of an enclosing
//! `where` or quantifier, the block's subject, items and definitions, global
//! definitions, facts, then enum values. A field after `.` belongs to the
//! record of the expression before it, followed through definitions.
//!
//! `declare` records declarations, `uses` the names written in
//! expressions, types, rules and tests, and `resolve` what a name means
//! in a scope and which record an expression holds.

mod declare;
mod resolve;
mod uses;

use std::collections::HashMap;

use super::analysis::FileInfo;
use crate::ast::{self, TypeExpr};
pub use declare::doc_above;
pub(crate) use resolve::Scope;

/// A named thing of a policy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sym {
    /// An enum type.
    Enum(String),
    /// A value of an enum: (enum, value).
    Variant(String, String),
    /// A record type.
    Record(String),
    /// A field: (record, field).
    Field(String, String),
    /// A fact (a field of `facts`).
    Fact(String),
    /// A global definition.
    Let(String),
    /// A definition of a rules block: (block, name).
    BlockLet(usize, String),
    /// The subject of a rules block.
    Subject(usize),
    /// The items of a rules block.
    Items(usize),
    /// A ladder.
    Ladder(String),
    /// A rung: (ladder, rung).
    Rung(String, String),
    /// A labelled rule: (ladder, label).
    Rule(String, String),
    /// A test, by name.
    Test(String),
}

/// A declaration.
#[derive(Debug, Clone)]
pub struct Declared {
    /// What it declares.
    pub sym: Sym,
    /// The file (index into the analysis' files).
    pub file: usize,
    /// The declared name's byte range.
    pub name: (usize, usize),
    /// The whole declaration's byte range.
    pub span: (usize, usize),
    /// How it is written, for hovers (rung source).
    pub detail: String,
    /// The `#` comment lines just above it.
    pub doc: Option<String>,
}

/// A name written somewhere: a declaration's name or a use.
#[derive(Debug, Clone)]
pub struct Occurrence {
    /// What it names.
    pub sym: Sym,
    /// Byte range in its file.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
}

/// What a rules block puts in scope, for completion.
#[derive(Debug, Clone)]
pub struct BlockScope {
    /// The file of the block.
    pub file: usize,
    /// From the header to the end of its last rule.
    pub extent: (usize, usize),
    /// The ladder it decides.
    pub ladder: String,
    /// The subject's name.
    pub subject: String,
    /// The items' name.
    pub items: String,
    /// The record of the items, when known.
    pub record: Option<String>,
    /// Its definitions.
    pub lets: Vec<String>,
}

/// Declarations and uses of every name of a policy.
#[derive(Debug, Default)]
pub struct Index {
    /// Declarations in load order.
    pub decls: Vec<Declared>,
    /// Names written in each file, by start offset.
    pub occurrences: Vec<Vec<Occurrence>>,
    /// Rules blocks in load order.
    pub blocks: Vec<BlockScope>,
    by_sym: HashMap<Sym, usize>,
    records: HashMap<String, Vec<(String, TypeExpr)>>,
    facts: Vec<(String, TypeExpr)>,
    enums: Vec<(String, Vec<String>)>,
    ladders: Vec<(String, Vec<String>)>,
    lets: HashMap<String, ast::Expr>,
    block_lets: HashMap<(usize, String), ast::Expr>,
}

/// How far record inference follows definitions (they form a DAG, but a
/// broken policy may hold a cycle).
const MAX_DEPTH: usize = 32;

impl Index {
    /// Indexes the files' trees. A stale tree (of a file that no longer
    /// parses) declares its names, but none of its offsets is recorded as
    /// a use: they may no longer point at the names.
    pub fn build(files: &[FileInfo]) -> Index {
        let mut ix = Index {
            occurrences: vec![Vec::new(); files.len()],
            ..Index::default()
        };
        for (i, f) in files.iter().enumerate() {
            if let Some(ast) = &f.ast {
                let text = if f.stale { "" } else { &*f.source.text };
                ix.declare(i, text, ast);
            }
        }
        let mut block = 0;
        for (i, f) in files.iter().enumerate() {
            if let Some(ast) = &f.ast {
                ix.uses(i, ast, &mut block);
            }
        }
        for (f, occ) in files.iter().zip(&mut ix.occurrences) {
            if f.stale {
                occ.clear();
            }
            occ.sort_by_key(|o| (o.start, o.end));
        }
        ix
    }

    /// The declaration of a name.
    pub fn decl(&self, sym: &Sym) -> Option<&Declared> {
        self.by_sym.get(sym).and_then(|i| self.decls.get(*i))
    }

    /// The name written at byte `offset` of `file` (or just before it, so
    /// that a cursor at the end of a word still finds it).
    pub fn at(&self, file: usize, offset: usize) -> Option<&Occurrence> {
        let occ = self.occurrences.get(file)?;
        occ.iter()
            .find(|o| o.start <= offset && offset < o.end)
            .or_else(|| occ.iter().find(|o| o.start < offset && offset == o.end))
    }

    /// Every place `sym` is written: (file, start, end).
    pub fn references(&self, sym: &Sym) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        for (f, occ) in self.occurrences.iter().enumerate() {
            out.extend(
                occ.iter()
                    .filter(|o| o.sym == *sym)
                    .map(|o| (f, o.start, o.end)),
            );
        }
        out
    }

    /// The fields of a record (or of the facts, for `facts`).
    pub fn fields(&self, record: &str) -> Vec<(String, String)> {
        let list = match record {
            "facts" => Some(&self.facts),
            r => self.records.get(r),
        };
        list.map(|fs| fs.iter().map(|(n, t)| (n.clone(), type_text(t))).collect())
            .unwrap_or_default()
    }

    /// Enums and their values.
    pub fn enums(&self) -> &[(String, Vec<String>)] {
        &self.enums
    }

    /// Ladders and their rungs.
    pub fn ladders(&self) -> &[(String, Vec<String>)] {
        &self.ladders
    }

    /// Names of the global definitions, sorted.
    pub fn global_lets(&self) -> Vec<String> {
        let mut v: Vec<String> = self.lets.keys().cloned().collect();
        v.sort();
        v
    }

    /// Names of the facts.
    pub fn fact_names(&self) -> Vec<String> {
        self.facts.iter().map(|(n, _)| n.clone()).collect()
    }

    /// The rules block whose extent holds `offset` of `file`.
    pub fn block_at(&self, file: usize, offset: usize) -> Option<usize> {
        self.blocks
            .iter()
            .position(|b| b.file == file && b.extent.0 <= offset && offset <= b.extent.1)
    }

    /// The record of the values of `expr` (a record, or a list of them),
    /// written in rules block `block` (or at the top level).
    pub fn record_of_expr(&self, expr: &ast::Expr, block: Option<usize>) -> Option<String> {
        let scope = Scope {
            block,
            items: Vec::new(),
        };
        self.record_of(expr, &scope, 0)
    }

    pub(super) fn add_decl(&mut self, d: Declared) {
        self.occurrences.get_mut(d.file).into_iter().for_each(|o| {
            o.push(Occurrence {
                sym: d.sym.clone(),
                start: d.name.0,
                end: d.name.1,
            })
        });
        self.by_sym.entry(d.sym.clone()).or_insert(self.decls.len());
        self.decls.push(d);
    }
}

/// A type as written, in one line.
pub fn type_text(t: &TypeExpr) -> String {
    match t {
        TypeExpr::Named(id) => id.name.clone(),
        TypeExpr::List(t, _) => format!("list of {}", type_text(t)),
        TypeExpr::Optional(t, _) => format!("optional {}", type_text(t)),
        TypeExpr::Rung(l, _) => format!("rung of {}", l.name),
    }
}
