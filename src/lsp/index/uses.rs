//! Uses: every name written in an expression, a type, a rule's rungs or a
//! test, resolved in its scope.

use super::{Index, Occurrence, Scope, Sym};
use crate::ast::{self, Decl as AstDecl, Expect, ExprKind, RungSpec, TypeExpr};

impl Index {
    pub(super) fn uses(&mut self, file: usize, ast: &ast::File, block: &mut usize) {
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
