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

use std::collections::HashMap;

use super::analysis::FileInfo;
use crate::ast::{self, Decl as AstDecl, Expect, ExprKind, RungSpec, TypeExpr};
use crate::syntax::lex;

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

    fn add_decl(&mut self, d: Declared) {
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

    fn declare(&mut self, file: usize, text: &str, ast: &ast::File) {
        let mut blocks_seen = self.blocks.len();
        for d in &ast.decls {
            let decl = |sym: Sym,
                        name: &crate::source::Span,
                        span: &crate::source::Span,
                        detail: String| Declared {
                sym,
                file,
                name: (name.start, name.end),
                span: (span.start, span.end),
                detail,
                doc: doc_above(text, span.start),
            };
            match d {
                AstDecl::Enum(e) => {
                    let values: Vec<String> = e.variants.iter().map(|v| v.name.clone()).collect();
                    let shown = format!("enum {} {{ {} }}", e.name.name, values.join(" < "));
                    self.add_decl(decl(
                        Sym::Enum(e.name.name.clone()),
                        &e.name.span,
                        &e.span,
                        shown.clone(),
                    ));
                    for (i, v) in e.variants.iter().enumerate() {
                        let detail = format!(
                            "{} (value {} of {} in {shown})",
                            v.name,
                            i + 1,
                            values.len()
                        );
                        let mut dd = decl(
                            Sym::Variant(e.name.name.clone(), v.name.clone()),
                            &v.span,
                            &v.span,
                            detail,
                        );
                        dd.doc = None;
                        self.add_decl(dd);
                    }
                    self.enums.push((e.name.name.clone(), values));
                }
                AstDecl::Record(r) => {
                    let names: Vec<&str> = r.fields.iter().map(|f| f.name.name.as_str()).collect();
                    let detail = format!("record {} {{ {} }}", r.name.name, names.join(", "));
                    self.add_decl(decl(
                        Sym::Record(r.name.name.clone()),
                        &r.name.span,
                        &r.span,
                        detail,
                    ));
                    for f in &r.fields {
                        let detail = format!("record {}\n  {}", r.name.name, f.span.text());
                        self.add_decl(decl(
                            Sym::Field(r.name.name.clone(), f.name.name.clone()),
                            &f.name.span,
                            &f.span,
                            detail,
                        ));
                    }
                    self.records.insert(
                        r.name.name.clone(),
                        r.fields
                            .iter()
                            .map(|f| (f.name.name.clone(), f.ty.clone()))
                            .collect(),
                    );
                }
                AstDecl::Facts(fd) => {
                    for f in &fd.fields {
                        let detail = format!("facts\n  {}", f.span.text());
                        self.add_decl(decl(
                            Sym::Fact(f.name.name.clone()),
                            &f.name.span,
                            &f.span,
                            detail,
                        ));
                        self.facts.push((f.name.name.clone(), f.ty.clone()));
                    }
                }
                AstDecl::Ladder(l) => {
                    let title = l
                        .title
                        .as_ref()
                        .map(|t| format!(" {}", lex::quote(&t.value)))
                        .unwrap_or_default();
                    let rungs: Vec<String> = l.rungs.iter().map(|r| r.name.name.clone()).collect();
                    let detail = format!("ladder {}{title}\n  {}", l.name.name, rungs.join(" < "));
                    self.add_decl(decl(
                        Sym::Ladder(l.name.name.clone()),
                        &l.name.span,
                        &l.span,
                        detail,
                    ));
                    for (i, r) in l.rungs.iter().enumerate() {
                        let span = r.name.span.to(&r.description.span);
                        let detail = format!(
                            "rung {} of ladder {} (rung {} of {})\n{}",
                            r.name.name,
                            l.name.name,
                            i + 1,
                            rungs.len(),
                            r.description.value
                        );
                        self.add_decl(decl(
                            Sym::Rung(l.name.name.clone(), r.name.name.clone()),
                            &r.name.span,
                            &span,
                            detail,
                        ));
                    }
                    self.ladders.push((l.name.name.clone(), rungs));
                }
                AstDecl::Let(l) => {
                    let detail = format!("let {}", l.name.name);
                    self.add_decl(decl(
                        Sym::Let(l.name.name.clone()),
                        &l.name.span,
                        &l.span,
                        detail,
                    ));
                    self.lets.insert(l.name.name.clone(), l.value.clone());
                }
                AstDecl::Rules(r) => {
                    let b = blocks_seen;
                    blocks_seen += 1;
                    let header = r.span.text().to_string();
                    self.add_decl(decl(
                        Sym::Subject(b),
                        &r.subject.span,
                        &r.span,
                        header.clone(),
                    ));
                    self.add_decl(decl(Sym::Items(b), &r.items.span, &r.span, header));
                    for l in &r.lets {
                        let detail = format!("let {} (for each {})", l.name.name, r.subject.name);
                        self.add_decl(decl(
                            Sym::BlockLet(b, l.name.name.clone()),
                            &l.name.span,
                            &l.span,
                            detail,
                        ));
                        self.block_lets
                            .insert((b, l.name.name.clone()), l.value.clone());
                    }
                    for rule in &r.rules {
                        let Some(label) = &rule.label else { continue };
                        let mut detail = format!(
                            "{}: {} {}",
                            label.name,
                            rule.effect.as_str(),
                            rung_spec_text(&rule.rungs)
                        );
                        detail.push_str(&format!("\nbecause {}", lex::quote(&rule.because.value)));
                        if let Some(c) = &rule.cites {
                            detail.push_str(&format!("\ncites {}", lex::quote(&c.value)));
                        }
                        self.add_decl(decl(
                            Sym::Rule(r.ladder.name.clone(), label.name.clone()),
                            &label.span,
                            &rule.span,
                            detail,
                        ));
                    }
                    let end = r
                        .rules
                        .iter()
                        .map(|x| x.span.end)
                        .chain(r.lets.iter().map(|l| l.span.end))
                        .max()
                        .unwrap_or(r.span.end)
                        .max(r.span.end);
                    self.blocks.push(BlockScope {
                        file,
                        extent: (r.span.start, block_end(text, end)),
                        ladder: r.ladder.name.clone(),
                        subject: r.subject.name.clone(),
                        items: r.items.name.clone(),
                        record: None,
                        lets: r.lets.iter().map(|l| l.name.name.clone()).collect(),
                    });
                }
                AstDecl::Warn(_) => {}
                AstDecl::Test(t) => {
                    let detail = format!("test {}", lex::quote(&t.name.value));
                    self.add_decl(decl(
                        Sym::Test(t.name.value.clone()),
                        &t.name.span,
                        &t.span,
                        detail,
                    ));
                }
            }
        }
    }

    fn uses(&mut self, file: usize, ast: &ast::File, block: &mut usize) {
        let mut found = Vec::new();
        let top = Scope {
            block: None,
            items: Vec::new(),
        };
        for d in &ast.decls {
            match d {
                AstDecl::Enum(_) => {}
                AstDecl::Record(r) => {
                    for f in &r.fields {
                        self.type_uses(&f.ty, &mut found);
                        if let Some(e) = &f.default {
                            self.expr(e, &top, &mut found);
                        }
                    }
                }
                AstDecl::Facts(fd) => {
                    for f in &fd.fields {
                        self.type_uses(&f.ty, &mut found);
                        if let Some(e) = &f.default {
                            self.expr(e, &top, &mut found);
                        }
                    }
                }
                AstDecl::Ladder(_) => {}
                AstDecl::Let(l) => self.expr(&l.value, &top, &mut found),
                AstDecl::Warn(w) => self.expr(&w.items, &top, &mut found),
                AstDecl::Rules(r) => {
                    let b = *block;
                    *block += 1;
                    let ladder = r.ladder.name.clone();
                    found.push(occ(Sym::Ladder(ladder.clone()), &r.ladder.span));
                    self.expr(&r.source, &top, &mut found);
                    let record = self.record_of(&r.source, &top, 0);
                    if let Some(bs) = self.blocks.get_mut(b) {
                        bs.record = record.clone();
                    }
                    let item_scope = Scope {
                        block: None,
                        items: vec![record],
                    };
                    self.expr(&r.key, &item_scope, &mut found);
                    let inner = Scope {
                        block: Some(b),
                        items: Vec::new(),
                    };
                    for l in &r.lets {
                        self.expr(&l.value, &inner, &mut found);
                    }
                    for rule in &r.rules {
                        for id in rung_idents(&rule.rungs) {
                            found.push(occ(Sym::Rung(ladder.clone(), id.name.clone()), &id.span));
                        }
                        if let Some(w) = &rule.when {
                            self.expr(w, &inner, &mut found);
                        }
                    }
                }
                AstDecl::Test(t) => {
                    for tb in &t.tables {
                        found.push(occ(Sym::Fact(tb.fact.name.clone()), &tb.fact.span));
                    }
                    for e in &t.expectations {
                        let ladder = e.ladder.name.clone();
                        found.push(occ(Sym::Ladder(ladder.clone()), &e.ladder.span));
                        match &e.what {
                            Expect::Top(Some(id))
                            | Expect::Recommends(id)
                            | Expect::NotRecommends(id)
                            | Expect::Forbids(id)
                            | Expect::NotForbids(id)
                            | Expect::Reaches(id, _)
                            | Expect::NeverReaches(id) => {
                                found.push(occ(Sym::Rung(ladder, id.name.clone()), &id.span));
                            }
                            Expect::Fires(id) | Expect::NotFires(id) => {
                                found.push(occ(Sym::Rule(ladder, id.name.clone()), &id.span));
                            }
                            Expect::Top(None) | Expect::Status(_) | Expect::NoDecision => {}
                        }
                    }
                }
            }
        }
        if let Some(o) = self.occurrences.get_mut(file) {
            o.extend(found);
        }
    }

    fn type_uses(&self, t: &TypeExpr, found: &mut Vec<Occurrence>) {
        match t {
            TypeExpr::Named(id) => {
                if self.records.contains_key(&id.name) {
                    found.push(occ(Sym::Record(id.name.clone()), &id.span));
                } else if self.enums.iter().any(|(e, _)| *e == id.name) {
                    found.push(occ(Sym::Enum(id.name.clone()), &id.span));
                }
            }
            TypeExpr::List(t, _) | TypeExpr::Optional(t, _) => self.type_uses(t, found),
            TypeExpr::Rung(l, _) => found.push(occ(Sym::Ladder(l.name.clone()), &l.span)),
        }
    }

    fn expr(&self, e: &ast::Expr, scope: &Scope, found: &mut Vec<Occurrence>) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.expr_inner(e, scope, found));
    }

    fn expr_inner(&self, e: &ast::Expr, scope: &Scope, found: &mut Vec<Occurrence>) {
        match &e.kind {
            ExprKind::Name(n) => {
                if let Some(sym) = self.resolve(n, scope) {
                    found.push(occ(sym, &e.span));
                }
            }
            ExprKind::Field(x, f) => {
                self.expr(x, scope, found);
                let rec = self
                    .record_of(x, scope, 0)
                    .filter(|r| self.has_field(r, &f.name));
                let rec = rec.or_else(|| {
                    let mut owners = self
                        .records
                        .iter()
                        .filter(|(_, fs)| fs.iter().any(|(n, _)| *n == f.name))
                        .map(|(r, _)| r.clone())
                        .collect::<Vec<_>>();
                    owners.sort();
                    owners.into_iter().next()
                });
                if let Some(r) = rec {
                    found.push(occ(Sym::Field(r, f.name.clone()), &f.span));
                }
            }
            ExprKind::Where(l, c) | ExprKind::Quantified(_, l, c) => {
                self.expr(l, scope, found);
                let mut inner = scope.clone();
                inner.items.push(self.record_of(l, scope, 0));
                self.expr(c, &inner, found);
            }
            ExprKind::List(xs) => xs.iter().for_each(|x| self.expr(x, scope, found)),
            ExprKind::Not(x)
            | ExprKind::Neg(x)
            | ExprKind::IsPresent(x, _)
            | ExprKind::Call(_, x)
            | ExprKind::Paren(x) => self.expr(x, scope, found),
            ExprKind::Binary(_, a, b) => {
                self.expr(a, scope, found);
                self.expr(b, scope, found);
            }
            ExprKind::Bool(_)
            | ExprKind::Int(_)
            | ExprKind::Decimal(_)
            | ExprKind::Str(_)
            | ExprKind::Date(_)
            | ExprKind::Duration(..) => {}
        }
    }

    fn has_field(&self, record: &str, field: &str) -> bool {
        self.records
            .get(record)
            .is_some_and(|fs| fs.iter().any(|(n, _)| n == field))
    }

    /// What `name` means in `scope`, as the checker resolves it.
    pub(crate) fn resolve(&self, name: &str, scope: &Scope) -> Option<Sym> {
        for rec in scope.items.iter().rev().flatten() {
            if self.has_field(rec, name) {
                return Some(Sym::Field(rec.clone(), name.to_string()));
            }
        }
        if let Some(b) = scope.block.and_then(|b| self.blocks.get(b).map(|s| (b, s))) {
            let (i, bs) = b;
            if bs.subject == name {
                return Some(Sym::Subject(i));
            }
            if bs.items == name {
                return Some(Sym::Items(i));
            }
            if bs.lets.iter().any(|l| l == name) {
                return Some(Sym::BlockLet(i, name.to_string()));
            }
        }
        if self.lets.contains_key(name) {
            return Some(Sym::Let(name.to_string()));
        }
        if self.facts.iter().any(|(n, _)| n == name) {
            return Some(Sym::Fact(name.to_string()));
        }
        self.enums
            .iter()
            .find(|(_, vs)| vs.iter().any(|v| v == name))
            .map(|(e, _)| Sym::Variant(e.clone(), name.to_string()))
    }

    fn record_of(&self, e: &ast::Expr, scope: &Scope, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        match &e.kind {
            ExprKind::Paren(x)
            | ExprKind::Where(x, _)
            | ExprKind::Binary(ast::BinOp::Otherwise, x, _) => self.record_of(x, scope, depth + 1),
            ExprKind::List(xs) => xs.first().and_then(|x| self.record_of(x, scope, depth + 1)),
            ExprKind::Field(x, f) => {
                let rec = self.record_of(x, scope, depth + 1)?;
                let ty = self
                    .records
                    .get(&rec)?
                    .iter()
                    .find(|(n, _)| *n == f.name)?
                    .1
                    .clone();
                self.type_record(&ty)
            }
            ExprKind::Name(n) if n == "it" => scope.items.last().cloned().flatten(),
            ExprKind::Name(n) => match self.resolve(n, scope)? {
                Sym::Field(r, f) => {
                    let ty = self
                        .records
                        .get(&r)?
                        .iter()
                        .find(|(x, _)| *x == f)?
                        .1
                        .clone();
                    self.type_record(&ty)
                }
                Sym::Fact(f) => {
                    let ty = self.facts.iter().find(|(x, _)| *x == f)?.1.clone();
                    self.type_record(&ty)
                }
                Sym::Items(b) => self.blocks.get(b)?.record.clone(),
                Sym::Let(l) => {
                    let v = self.lets.get(&l)?;
                    self.record_of(
                        v,
                        &Scope {
                            block: None,
                            items: Vec::new(),
                        },
                        depth + 1,
                    )
                }
                Sym::BlockLet(b, l) => {
                    let v = self.block_lets.get(&(b, l))?;
                    self.record_of(
                        v,
                        &Scope {
                            block: Some(b),
                            items: Vec::new(),
                        },
                        depth + 1,
                    )
                }
                _ => None,
            },
            _ => None,
        }
    }

    fn type_record(&self, t: &TypeExpr) -> Option<String> {
        match t {
            TypeExpr::Named(id) if self.records.contains_key(&id.name) => Some(id.name.clone()),
            TypeExpr::List(t, _) | TypeExpr::Optional(t, _) => self.type_record(t),
            _ => None,
        }
    }
}

/// Names in scope while walking an expression.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    /// The rules block, if inside one.
    pub block: Option<usize>,
    /// The record of each enclosing `where`/quantifier item, innermost last.
    pub items: Vec<Option<String>>,
}

fn occ(sym: Sym, span: &crate::source::Span) -> Occurrence {
    Occurrence {
        sym,
        start: span.start,
        end: span.end,
    }
}

fn rung_idents(spec: &RungSpec) -> Vec<&ast::Ident> {
    match spec {
        RungSpec::One(a) | RungSpec::AndAbove(a) | RungSpec::AndBelow(a) => vec![a],
        RungSpec::Range(a, b) => vec![a, b],
    }
}

fn rung_spec_text(spec: &RungSpec) -> String {
    match spec {
        RungSpec::One(a) => a.name.clone(),
        RungSpec::AndAbove(a) => format!("{} and above", a.name),
        RungSpec::AndBelow(a) => format!("{} and below", a.name),
        RungSpec::Range(a, b) => format!("{} to {}", a.name, b.name),
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

/// The end of a rules block: its closing `}` after `end`, or `end`.
fn block_end(text: &str, end: usize) -> usize {
    lex::Lexer::at(text, end)
        .find(|t| t.is_punct(text, "}"))
        .map_or(end, |t| t.end)
}

/// The `#` lines just above the line holding `start` (no blank line
/// between), joined: a declaration's documentation, as `rung schema` reads it.
pub fn doc_above(text: &str, start: usize) -> Option<String> {
    let before = text.get(..start)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    if !before.get(line_start..)?.trim().is_empty() {
        return None;
    }
    let mut lines: Vec<&str> = Vec::new();
    let above = text.get(..line_start)?;
    for line in above.lines().rev() {
        match line.trim().strip_prefix('#') {
            Some(c) => lines.push(c.trim()),
            None => break,
        }
    }
    if lines.is_empty() {
        return None;
    }
    lines.reverse();
    Some(lines.join(" "))
}
