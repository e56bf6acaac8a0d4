//! Resolution: what a name means in a scope (as the checker resolves it)
//! and which record an expression holds, followed through definitions.

use super::{Index, MAX_DEPTH, Sym};
use crate::ast::{self, ExprKind, TypeExpr};

impl Index {
    pub(super) fn has_field(&self, record: &str, field: &str) -> bool {
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

    pub(super) fn record_of(&self, e: &ast::Expr, scope: &Scope, depth: usize) -> Option<String> {
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

    pub(super) fn type_record(&self, t: &TypeExpr) -> Option<String> {
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
