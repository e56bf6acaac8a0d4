//! Re-parsing after an edit inside one item of a rules block: only that
//! item (a rule or a `let`) is parsed again, and the rest of the file's
//! tree is moved onto the new text (spans after the edit shift by its
//! length). An editor re-checks a policy at every pause in the typing, and
//! parsing a large block whole is most of that work.
//!
//! It is a shortcut, never a second grammar: the item is parsed by the
//! grammar's own `rules_item_input` rule and lowered by the same code as in
//! a whole file, and whenever the edit is not inside one item, or the
//! item does not parse alone as the same kind of item, the caller parses
//! the whole file (which also gives the syntax errors with recovery).

use std::sync::Arc;

use super::grammar::Rule;
use super::{limits, lower, pest_parse};
use crate::ast::{self, Decl, Expect, ExprKind, RungSpec, TestFacts, TypeExpr};
use crate::source::{SourceFile, Span};

/// An item of a rules block.
#[derive(Debug)]
#[allow(
    clippy::large_enum_variant,
    reason = "one item at a time, moved straight into the tree"
)]
pub(super) enum Item {
    /// `let name = ...`
    Let(ast::LetDecl),
    /// `label: recommend ...`
    Rule(ast::Rule),
}

/// The tree of `new`, from the tree of `old` (which parsed) when the edit
/// between them lies inside one item of a rules block; `None` when the
/// shortcut does not apply, and the whole file must be parsed.
pub fn reparse(old: &SourceFile, tree: &ast::File, new: &Arc<SourceFile>) -> Option<ast::File> {
    let (a, b) = (old.text.as_bytes(), new.text.as_bytes());
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    let old_end = a.len() - suffix;
    let delta = b.len() as isize - a.len() as isize;
    // The item holding the edit: (declaration, is a let, index).
    let (d, is_let, i, start, end) = tree.decls.iter().enumerate().find_map(|(d, decl)| {
        let Decl::Rules(r) = decl else { return None };
        let inside = |s: &Span| s.start <= prefix && old_end <= s.end;
        r.rules
            .iter()
            .position(|x| inside(&x.span))
            .map(|i| (d, false, i, r.rules.get(i).map(|x| &x.span)))
            .or_else(|| {
                r.lets
                    .iter()
                    .position(|x| inside(&x.span))
                    .map(|i| (d, true, i, r.lets.get(i).map(|x| &x.span)))
            })
            .and_then(|(d, l, i, s)| s.map(|s| (d, l, i, s.start, s.end)))
    })?;
    limits::check(new).ok()?;
    let new_end = end.checked_add_signed(delta)?;
    let text = new.text.get(start..new_end)?;
    let mut pairs = pest_parse(Rule::rules_item_input, text).ok()?;
    let item = lower::Lowerer::new(new, start)
        .block_item(pairs.next()?)
        .ok()?;
    let map = Map {
        file: Arc::clone(new),
        edit: prefix,
        old_end,
        delta,
    };
    let mut out = tree.clone();
    out.remap(&map);
    let Some(Decl::Rules(r)) = out.decls.get_mut(d) else {
        return None;
    };
    match (item, is_let) {
        (Item::Let(l), true) => *r.lets.get_mut(i)? = l,
        (Item::Rule(x), false) => *r.rules.get_mut(i)? = x,
        _ => return None,
    }
    Some(out)
}

/// Where the old spans go: onto the new file, shifted after the edit.
struct Map {
    file: Arc<SourceFile>,
    edit: usize,
    old_end: usize,
    delta: isize,
}

impl Map {
    fn offset(&self, o: usize) -> usize {
        if o <= self.edit || o < self.old_end {
            o
        } else {
            o.saturating_add_signed(self.delta)
        }
    }

    fn span(&self, s: &mut Span) {
        *s = Span {
            file: Arc::clone(&self.file),
            start: self.offset(s.start),
            end: self.offset(s.end),
        };
    }
}

/// Moving every span of a tree onto the new text.
trait Remap {
    fn remap(&mut self, m: &Map);
}

impl<T: Remap> Remap for Vec<T> {
    fn remap(&mut self, m: &Map) {
        self.iter_mut().for_each(|x| x.remap(m));
    }
}

impl<T: Remap> Remap for Option<T> {
    fn remap(&mut self, m: &Map) {
        if let Some(x) = self {
            x.remap(m);
        }
    }
}

impl<T: Remap> Remap for Box<T> {
    fn remap(&mut self, m: &Map) {
        (**self).remap(m);
    }
}

impl Remap for Span {
    fn remap(&mut self, m: &Map) {
        m.span(self);
    }
}

impl Remap for ast::Ident {
    fn remap(&mut self, m: &Map) {
        m.span(&mut self.span);
    }
}

impl Remap for ast::StringLit {
    fn remap(&mut self, m: &Map) {
        m.span(&mut self.span);
    }
}

impl Remap for ast::File {
    fn remap(&mut self, m: &Map) {
        self.decls.remap(m);
    }
}

impl Remap for Decl {
    fn remap(&mut self, m: &Map) {
        match self {
            Decl::Enum(e) => {
                e.name.remap(m);
                e.variants.remap(m);
                e.span.remap(m);
            }
            Decl::Record(r) => {
                r.name.remap(m);
                r.fields.remap(m);
                r.span.remap(m);
            }
            Decl::Facts(f) => {
                f.fields.remap(m);
                f.span.remap(m);
            }
            Decl::Ladder(l) => {
                l.name.remap(m);
                l.title.remap(m);
                for r in &mut l.rungs {
                    r.name.remap(m);
                    r.description.remap(m);
                }
                l.span.remap(m);
            }
            Decl::Let(l) => l.remap(m),
            Decl::Rules(r) => {
                r.ladder.remap(m);
                r.subject.remap(m);
                r.items.remap(m);
                r.source.remap(m);
                r.key.remap(m);
                r.lets.remap(m);
                r.rules.remap(m);
                r.span.remap(m);
            }
            Decl::Warn(w) => {
                w.items.remap(m);
                w.because.remap(m);
                w.span.remap(m);
            }
            Decl::Test(t) => {
                t.name.remap(m);
                match &mut t.facts {
                    TestFacts::File(s) => s.remap(m),
                    TestFacts::Inline(_, s) => s.remap(m),
                }
                for tb in &mut t.tables {
                    tb.fact.remap(m);
                    tb.path.remap(m);
                    tb.span.remap(m);
                }
                for e in &mut t.expectations {
                    e.ladder.remap(m);
                    e.subject.remap(m);
                    match &mut e.what {
                        Expect::Top(id) => id.remap(m),
                        Expect::Recommends(id)
                        | Expect::NotRecommends(id)
                        | Expect::Forbids(id)
                        | Expect::NotForbids(id)
                        | Expect::Status(id)
                        | Expect::Fires(id)
                        | Expect::NotFires(id)
                        | Expect::NeverReaches(id) => id.remap(m),
                        Expect::Reaches(id, date) => {
                            id.remap(m);
                            date.span.remap(m);
                        }
                        Expect::NoDecision => {}
                    }
                    e.span.remap(m);
                }
                t.snapshot.remap(m);
                t.span.remap(m);
            }
        }
    }
}

impl Remap for ast::FieldDecl {
    fn remap(&mut self, m: &Map) {
        self.name.remap(m);
        self.ty.remap(m);
        if let Some((_, _, s)) = &mut self.range {
            s.remap(m);
        }
        self.unique.remap(m);
        self.default.remap(m);
        self.span.remap(m);
    }
}

impl Remap for TypeExpr {
    fn remap(&mut self, m: &Map) {
        match self {
            TypeExpr::Named(id) => id.remap(m),
            TypeExpr::List(t, s) | TypeExpr::Optional(t, s) => {
                t.remap(m);
                s.remap(m);
            }
            TypeExpr::Rung(id, s) => {
                id.remap(m);
                s.remap(m);
            }
        }
    }
}

impl Remap for ast::LetDecl {
    fn remap(&mut self, m: &Map) {
        self.name.remap(m);
        self.value.remap(m);
        self.span.remap(m);
    }
}

impl Remap for ast::Rule {
    fn remap(&mut self, m: &Map) {
        self.label.remap(m);
        self.effect_span.remap(m);
        match &mut self.rungs {
            RungSpec::One(a) | RungSpec::AndAbove(a) | RungSpec::AndBelow(a) => a.remap(m),
            RungSpec::Range(a, b) => {
                a.remap(m);
                b.remap(m);
            }
        }
        self.when.remap(m);
        self.because.remap(m);
        self.cites.remap(m);
        self.span.remap(m);
    }
}

impl Remap for ast::Expr {
    fn remap(&mut self, m: &Map) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            match &mut self.kind {
                ExprKind::Bool(_)
                | ExprKind::Int(_)
                | ExprKind::Decimal(_)
                | ExprKind::Str(_)
                | ExprKind::Date(_)
                | ExprKind::Duration(..)
                | ExprKind::Name(_) => {}
                ExprKind::List(xs) => xs.remap(m),
                ExprKind::Field(x, id) => {
                    x.remap(m);
                    id.remap(m);
                }
                ExprKind::Call(id, x) => {
                    id.remap(m);
                    x.remap(m);
                }
                ExprKind::Not(x)
                | ExprKind::Neg(x)
                | ExprKind::IsPresent(x, _)
                | ExprKind::Paren(x) => x.remap(m),
                ExprKind::Binary(_, a, b)
                | ExprKind::Where(a, b)
                | ExprKind::Quantified(_, a, b) => {
                    a.remap(m);
                    b.remap(m);
                }
            }
            self.span.remap(m);
        });
    }
}
