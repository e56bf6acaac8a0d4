//! Type-checking and resolving expressions.

use super::error::{CheckError, did_you_mean};
use super::{Checker, DefState};
use crate::ast::{self, BinOp, ExprKind as A, Quantifier};
use crate::ids::{BlockLetId, EnumId, FactId, FieldId, LadderId, LetId, SlotId};
use crate::program::{Aggregate, ArithOp, CmpOp, Expr, ExprKind as P};
use crate::source::Span;
use crate::syntax::MAX_DEFINITION_DEPTH;
use crate::types::Type;
use crate::value::Value;

/// Stack left below which a recursive step moves to a fresh segment.
const STACK_RED_ZONE: usize = 64 * 1024;
/// Size of each fresh stack segment.
const STACK_GROWTH: usize = 1024 * 1024;

/// Built-in functions, for "did you mean": kept in the table of words.
pub use crate::syntax::words::FUNCTIONS;

impl Checker<'_> {
    /// Checks `e`; `hint` is the type the context expects (used to read bare
    /// names as enum variants: `attribution == high`).
    pub(super) fn expr(&mut self, e: &ast::Expr, hint: Option<&Type>) -> Expr {
        // The parser bounds expression depth (MAX_EXPR_DEPTH); this keeps the
        // recursion off the end of a small thread stack all the same.
        stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, || self.expr_at(e, hint))
    }

    fn expr_at(&mut self, e: &ast::Expr, hint: Option<&Type>) -> Expr {
        let span = e.span.clone();
        let (kind, ty) = match &e.kind {
            A::Bool(b) => (P::Const(Value::Bool(*b)), Type::Bool),
            A::Int(i) => (P::Const(Value::Int(*i)), Type::Int),
            A::Decimal(d) => (P::Const(Value::Decimal(*d)), Type::Decimal),
            A::Str(s) => (P::Const(Value::Str(s.as_str().into())), Type::Str),
            A::Date(d) => (P::Const(Value::Date(*d)), Type::Date),
            A::Duration(d, _) => (P::Const(Value::Duration(*d)), Type::Duration),
            A::Name(n) => {
                let x = self.name(n, &span, hint);
                return self.narrow(e, x);
            }
            A::Paren(inner) => return self.expr(inner, hint),
            A::List(items) => return self.list(items, &span, hint),
            A::Field(base, field) => {
                let x = self.field(base, field, &span);
                return self.narrow(e, x);
            }
            A::Not(inner) => {
                let x = self.expr(inner, Some(&Type::Bool));
                self.expect_type(&x, &Type::Bool, "`not` applies to a condition");
                (P::Not(Box::new(x)), Type::Bool)
            }
            A::Neg(inner) => {
                let x = self.expr(inner, None);
                let ty = x.ty.clone();
                if !matches!(ty, Type::Int | Type::Decimal | Type::Duration | Type::Error) {
                    self.bad_operands(
                        &span,
                        "-",
                        &Type::Int,
                        &ty,
                        Some("`-` negates an int, decimal or duration".into()),
                    );
                }
                (P::Neg(Box::new(x)), ty)
            }
            A::IsPresent(inner, present) => {
                let x = self.expr(inner, None);
                if !matches!(x.ty, Type::Optional(_) | Type::Error) {
                    let found = self.schema.show(&x.ty);
                    self.errors.push(CheckError::mismatch(
                        &inner.span,
                        "an optional value",
                        format!("`{found}`, which is always present"),
                        Some("`is present` and `is absent` apply to `optional` values only".into()),
                    ));
                }
                (P::IsPresent(Box::new(x), *present), Type::Bool)
            }
            A::Binary(op, l, r) => return self.binary(*op, l, r, &span, hint),
            A::Where(list, cond) => {
                let list = self.expr(list, hint);
                let elem = self.element_of(&list, "`where` filters a list");
                let slot = self.push_item(elem);
                // The item's fields may hide names known present outside.
                let outer = std::mem::take(&mut self.narrowed);
                let c = self.expr(cond, Some(&Type::Bool));
                self.narrowed = outer;
                self.expect_type(
                    &c,
                    &Type::Bool,
                    "the condition after `where` must be true or false",
                );
                self.pop_item();
                // A `where` over something that is not a list has no type:
                // its uses must not be reported again.
                let ty = match list.ty {
                    Type::List(_) | Type::EmptyList => list.ty.clone(),
                    _ => Type::Error,
                };
                (P::Filter(Box::new(list), Box::new(c), SlotId::of(slot)), ty)
            }
            A::Quantified(q, list, body) => {
                let list = self.expr(list, None);
                let what = match q {
                    Quantifier::Any => "`any ... has` ranges over a list",
                    Quantifier::All => "`all ... have` ranges over a list",
                    Quantifier::No => "`no ... has` ranges over a list",
                };
                let elem = self.element_of(&list, what);
                let slot = self.push_item(elem);
                let outer = std::mem::take(&mut self.narrowed);
                let c = self.expr(body, Some(&Type::Bool));
                self.narrowed = outer;
                self.expect_type(
                    &c,
                    &Type::Bool,
                    "the condition after `has` must be true or false",
                );
                self.pop_item();
                (
                    P::Quantified(*q, Box::new(list), Box::new(c), SlotId::of(slot)),
                    Type::Bool,
                )
            }
            A::Call(f, arg) => {
                let x = self.call(f, arg, &span);
                return self.narrow(e, x);
            }
        };
        Expr { kind, ty, span }
    }

    /// A name or field known present (`x is present and ...`) has the
    /// type inside its `optional`.
    fn narrow(&self, e: &ast::Expr, mut x: Expr) -> Expr {
        if let Type::Optional(inner) = &x.ty
            && !self.narrowed.is_empty()
            && self.narrowed.contains(&presence_key(e))
        {
            x.ty = (**inner).clone();
        }
        x
    }

    fn push_item(&mut self, ty: Type) -> u32 {
        let slot = self.next_slot;
        self.items.push(super::ItemScope { slot, ty });
        self.next_slot += 1;
        slot
    }

    fn pop_item(&mut self) {
        self.items.pop();
        self.next_slot = self.next_slot.saturating_sub(1);
    }

    fn element_of(&mut self, list: &Expr, what: &str) -> Type {
        match &list.ty {
            Type::List(t) => (**t).clone(),
            Type::EmptyList | Type::Error => Type::Error,
            other => {
                let other = other.clone();
                self.not_a_list(&list.span, &other, what);
                Type::Error
            }
        }
    }

    pub(super) fn not_a_list(&mut self, span: &Span, ty: &Type, help: &str) {
        let help = match ty {
            Type::Optional(_) => {
                format!("{help}; this value may be absent: handle it with `otherwise []`")
            }
            _ => help.to_string(),
        };
        let found = format!("`{}`", self.schema.show(ty));
        self.errors
            .push(CheckError::not_a_list(span, found, Some(help)));
    }

    /// Reports a mismatch unless `e` has type `want` (or already failed).
    pub(super) fn expect_type(&mut self, e: &Expr, want: &Type, help: &str) {
        if e.ty == *want || e.ty == Type::Error {
            return;
        }
        if let Type::Optional(inner) = &e.ty
            && **inner == *want
        {
            self.optional_error(e, help);
            return;
        }
        let help = match (want, &e.ty) {
            (Type::Bool, Type::Int | Type::Decimal) => format!(
                "{help}; `{0}` is a number: say what it must be, e.g. `{0} >= 1`",
                e.span.text()
            ),
            (Type::Bool, Type::List(_) | Type::EmptyList) => format!(
                "{help}; `{0}` is a list: ask whether it has items, `count({0}) >= 1`, or test them, `any {0} has ...`",
                e.span.text()
            ),
            _ => help.to_string(),
        };
        self.mismatch(e, want, None, Some(help));
    }

    fn optional_error(&mut self, e: &Expr, context: &str) {
        let inner = match &e.ty {
            Type::Optional(t) => self.schema.show(t),
            t => self.schema.show(t),
        };
        let example = match &e.ty {
            Type::Optional(t) if **t == Type::Bool => "false".to_string(),
            Type::Optional(t) if matches!(**t, Type::Int) => "0".to_string(),
            _ => "...".to_string(),
        };
        let ty = format!("`{}`", self.schema.show(&e.ty));
        let help = format!(
            "{context}; say what an absent value means: `{} otherwise {example}` gives a `{inner}`, or test it with `{} is present`",
            e.span.text(),
            e.span.text()
        );
        self.errors
            .push(CheckError::optional(&e.span, ty, Some(help)));
    }

    fn mismatch(&mut self, e: &Expr, want: &Type, because: Option<&Span>, help: Option<String>) {
        self.mismatch_with(e, want, because, None, help);
    }

    /// A mismatch of `e` against `want`, labelling the declaration that fixed
    /// `want` (`because`) and the operand that has it (`other`).
    fn mismatch_with(
        &mut self,
        e: &Expr,
        want: &Type,
        because: Option<&Span>,
        other: Option<&Span>,
        help: Option<String>,
    ) {
        let expected = format!("`{}`", self.schema.show(want));
        let found = format!("`{}`", self.schema.show(&e.ty));
        self.errors.push(CheckError::mismatch_because(
            &e.span, expected, found, because, other, help,
        ));
    }

    fn bad_operands(&mut self, span: &Span, op: &str, l: &Type, r: &Type, help: Option<String>) {
        let left = format!("`{}`", self.schema.show(l));
        let right = format!("`{}`", self.schema.show(r));
        self.errors
            .push(CheckError::bad_operands(span, op, left, right, help));
    }

    /// `attribution == "high"`: an enum value written as text.
    fn enum_text_help(&self, fixed: &Expr, wrong: &Expr) -> Option<String> {
        let P::Const(Value::Str(text)) = &wrong.kind else {
            return None;
        };
        let variants = self.schema.variants(&fixed.ty);
        let ty = self.schema.show(&fixed.ty);
        if variants.iter().any(|v| **v == **text) {
            return Some(format!(
                "`{text}` is a value of `{ty}`: write it without quotes, `{text}`"
            ));
        }
        let close = crate::check::suggest::closest(text, variants.iter().map(|v| v.as_ref()))?;
        Some(format!(
            "the values of `{ty}` are written without quotes; did you mean `{close}`?"
        ))
    }

    /// Where the type of `e` was declared, if it comes from a declaration.
    fn declared_at(&self, e: &Expr) -> Option<Span> {
        match &e.kind {
            P::Field(base, i) | P::MapField(base, i) => {
                let rec = match &base.ty {
                    Type::Record(r) => *r,
                    Type::List(t) => match **t {
                        Type::Record(r) => r,
                        _ => return None,
                    },
                    _ => return None,
                };
                self.schema
                    .records
                    .get(rec.index())?
                    .fields
                    .get(i.index())
                    .map(|f| f.span.clone())
            }
            P::Fact(i) => self
                .schema
                .facts
                .fields
                .get(i.index())
                .map(|f| f.span.clone()),
            P::Let(slot) => {
                let name = &self.globals.out.get(slot.index())?.name;
                let i = *self.globals.index.get(name.as_str())?;
                self.globals.decls.get(i).map(|d| d.name.span.clone())
            }
            P::BlockLet(slot) => {
                let defs = &self.block.as_ref()?.defs;
                let name = &defs.out.get(slot.index())?.name;
                let i = *defs.index.get(name.as_str())?;
                defs.decls.get(i).map(|d| d.name.span.clone())
            }
            _ => None,
        }
    }

    fn name(&mut self, n: &str, span: &Span, hint: Option<&Type>) -> Expr {
        let make = |kind, ty| Expr {
            kind,
            ty,
            span: span.clone(),
        };
        // A variant of the enum the context expects wins: `attribution == high`.
        if let Some(h) = hint.map(strip_optional)
            && let Some(i) = self.schema.variants(h).iter().position(|v| *v == n)
        {
            return make(P::Const(Value::Enum(i as u32)), h.clone());
        }
        if n == "it"
            && let Some(item) = self.items.last()
        {
            return make(P::Local(SlotId::of(item.slot)), item.ty.clone());
        }
        // Fields of the items in scope, innermost first.
        let mut found = None;
        for item in self.items.iter().rev() {
            if let Type::Record(r) = &item.ty
                && let Some(rec) = self.schema.records.get(r.index())
                && let Some(fi) = rec.field(n)
            {
                let fty = rec
                    .fields
                    .get(fi)
                    .map(|f| f.ty.clone())
                    .unwrap_or(Type::Error);
                let base = Expr {
                    kind: P::Local(SlotId::of(item.slot)),
                    ty: item.ty.clone(),
                    span: span.clone(),
                };
                found = Some(make(P::Field(Box::new(base), FieldId::new(fi)), fty));
                break;
            }
        }
        if let Some(e) = found {
            self.check_field_shadows(n, span);
            return e;
        }
        // Inside a `where` over a list that failed to check, any name may be
        // one of its fields: stay quiet rather than cascade.
        if self
            .items
            .iter()
            .any(|i| i.ty == Type::Error || self.is_doubtful(&i.ty))
            && self.lookup_outer(n).is_none()
        {
            return make(P::Const(Value::Bool(false)), Type::Error);
        }
        if let Some(b) = &self.block {
            if b.subject.0 == n {
                return make(
                    P::Local(crate::program::local::SUBJECT),
                    b.subject.1.clone(),
                );
            }
            if b.items.0 == n {
                return make(P::Local(crate::program::local::ITEMS), b.items.1.clone());
            }
            if let Some(&i) = b.defs.index.get(n) {
                let pending = matches!(b.defs.state.get(i), Some(DefState::Pending));
                if let Some(u) = self.block.as_mut().and_then(|b| b.defs.used.get_mut(i)) {
                    *u = true;
                }
                if let Some(e) = self.too_deep(pending, n, span) {
                    return e;
                }
                self.next_use = Some(span.clone());
                return match self.block_let(i) {
                    Some((slot, ty)) => make(P::BlockLet(BlockLetId::of(slot)), ty),
                    None => self.cycle(n, span),
                };
            }
        }
        if let Some(&i) = self.globals.index.get(n) {
            if let Some(u) = self.globals.used.get_mut(i) {
                *u = true;
            }
            let pending = matches!(self.globals.state.get(i), Some(DefState::Pending));
            if let Some(e) = self.too_deep(pending, n, span) {
                return e;
            }
            self.next_use = Some(span.clone());
            return match self.global_let(i) {
                Some((slot, ty)) => make(P::Let(LetId::of(slot)), ty),
                None => self.cycle(n, span),
            };
        }
        if let Some(i) = self.schema.facts.field(n) {
            let ty = self
                .schema
                .facts
                .fields
                .get(i)
                .map(|f| f.ty.clone())
                .unwrap_or(Type::Error);
            return make(P::Fact(FactId::new(i)), ty);
        }
        // A variant of exactly one enum or ladder: `[low, high]`, `high == attribution`.
        let mut owners = Vec::new();
        for (i, e) in self.schema.enums.iter().enumerate() {
            if let Some(v) = e.variants.iter().position(|v| v == n) {
                owners.push((Type::Enum(EnumId::new(i)), v));
            }
        }
        for (i, l) in self.schema.ladders.iter().enumerate() {
            if let Some(v) = l.rungs.iter().position(|r| r.name == n) {
                owners.push((Type::Rung(LadderId::new(i)), v));
            }
        }
        if let [(ty, v)] = owners.as_slice() {
            return make(P::Const(Value::Enum(*v as u32)), ty.clone());
        }
        {
            let help = if owners.len() > 1 {
                let types: Vec<String> = owners
                    .iter()
                    .map(|(t, _)| format!("`{}`", self.schema.show(t)))
                    .collect();
                Some(format!(
                    "`{n}` is a value of several types ({}); compare it with a field of the type you mean",
                    types.join(", ")
                ))
            } else {
                let scope = self.names_in_scope();
                let text_wanted = hint.map(strip_optional) == Some(&Type::Str);
                did_you_mean(n, scope.iter().map(String::as_str))
                    .or_else(|| self.unknown_name_help(n))
                    .or_else(|| self.bindings_help(n, hint, text_wanted))
                    .or_else(|| {
                        text_wanted.then(|| {
                            format!("to mean the text `{n}`, write it in double quotes: `\"{n}\"`")
                        })
                    })
                    .or_else(|| Some(format!("define it before use: `let {n} = ...`")))
            };
            self.errors.push(CheckError::unknown_name(span, n, help));
        }
        make(P::Const(Value::Bool(false)), Type::Error)
    }

    /// Help for an unknown name that is no typo of a name in scope: a field
    /// used without its item, or `it` outside a condition over items.
    fn unknown_name_help(&self, n: &str) -> Option<String> {
        match n.to_lowercase().as_str() {
            "true" | "false" if n != n.to_lowercase() => {
                return Some(format!("write `{}` in lowercase", n.to_lowercase()));
            }
            "null" | "nil" | "none" | "undefined" => {
                return Some(
                    "rung has no null: an optional value is tested with `is present` or `is absent`, and given a default with `otherwise`"
                        .into(),
                );
            }
            _ => {}
        }
        if n == "it" {
            return Some(
                "`it` means the current item, inside `where` or `any … has`: `acts where it.severity > 3`"
                    .into(),
            );
        }
        let owner = self.schema.records.iter().find(|r| r.field(n).is_some())?;
        let list = self
            .block
            .as_ref()
            .map_or("incidents".to_string(), |b| b.items.0.clone());
        Some(format!(
            "`{n}` is a field of `{}`; a field is read from an item, e.g. `any {list} has {n} ...` or `{list} where {n} ...`; \
             the condition after `has` stops before `and` and `or`, so a longer one needs parentheses: \
             `any {list} has (... and {n})`",
            owner.name
        ))
    }

    /// In a rules block, the names the block binds: an unknown name there is
    /// most often one of them under an old name (the subject renamed from
    /// `state` to `sponsor`, a use of `state` left behind).
    ///
    /// Said only where a value of the subject's or the items' type is
    /// expected (`state != "XX"`); elsewhere the name is more likely a
    /// definition not written yet.
    fn bindings_help(&self, n: &str, hint: Option<&Type>, text_wanted: bool) -> Option<String> {
        let b = self.block.as_ref()?;
        let want = hint.map(strip_optional)?;
        if *want != b.subject.1 && *want != b.items.1 {
            return None;
        }
        let mut help = if b.subject.0.is_empty() {
            format!(
                "`{n}` is not bound here; this rules block names each item `{}`",
                b.items.0
            )
        } else {
            format!(
                "`{n}` is not bound here; this rules block names each subject `{}` and its items `{}`",
                b.subject.0, b.items.0
            )
        };
        let defs: Vec<String> = b
            .defs
            .decls
            .iter()
            .map(|d| format!("`{}`", d.name.name))
            .collect();
        if !defs.is_empty() {
            help.push_str(&format!(", and defines {}", defs.join(", ")));
        }
        if text_wanted {
            help.push_str(&format!("; to mean the text `{n}`, write `\"{n}\"`"));
        }
        Some(help)
    }

    /// Whether `ty` is a record declared more than once.
    fn is_doubtful(&self, ty: &Type) -> bool {
        match ty {
            Type::Record(r) => self
                .schema
                .records
                .get(r.index())
                .is_some_and(|rec| self.doubtful_records.contains(&rec.name)),
            _ => false,
        }
    }

    /// Whether `n` names something outside item scopes (without resolving it).
    pub(super) fn lookup_outer(&self, n: &str) -> Option<()> {
        let in_block = self
            .block
            .as_ref()
            .is_some_and(|b| b.subject.0 == n || b.items.0 == n || b.defs.index.contains_key(n));
        (in_block || self.globals.index.contains_key(n) || self.schema.facts.field(n).is_some())
            .then_some(())
    }

    fn check_field_shadows(&mut self, n: &str, span: &Span) {
        let hidden = if let Some(&i) = self.globals.index.get(n) {
            self.globals
                .decls
                .get(i)
                .map(|d| format!("the definition at {}", d.name.span.location()))
        } else if self.schema.facts.field(n).is_some() {
            Some("the fact of the same name".to_string())
        } else {
            None
        };
        if let Some(hidden) = hidden {
            self.warn_shadow(span, n, "the field of the current item", &hidden);
        }
    }

    /// An error when checking definition `n` (not checked yet) would go
    /// deeper than [`MAX_DEFINITION_DEPTH`] definitions; reported once.
    fn too_deep(&mut self, pending: bool, n: &str, span: &Span) -> Option<Expr> {
        if !pending || self.in_progress.len() < MAX_DEFINITION_DEPTH {
            return None;
        }
        if !self.too_deep_reported {
            self.too_deep_reported = true;
            self.errors
                .push(CheckError::let_too_deep(span, n, MAX_DEFINITION_DEPTH));
        }
        Some(Expr {
            kind: P::Const(Value::Bool(false)),
            ty: Type::Error,
            span: span.clone(),
        })
    }

    fn cycle(&mut self, n: &str, span: &Span) -> Expr {
        let start = self.in_progress.iter().position(|x| x == n).unwrap_or(0);
        let mut path: Vec<String> = self
            .in_progress
            .iter()
            .skip(start)
            .map(|x| format!("`{x}`"))
            .collect();
        path.push(format!("`{n}`"));
        // Each definition of the cycle uses the next: the uses that
        // started checking the later ones, then this one, which closes it.
        let names: Vec<&String> = self.in_progress.iter().skip(start).collect();
        let mut edges: Vec<(Span, String)> = Vec::new();
        for (k, by) in self.entered_by.iter().skip(start + 1).enumerate() {
            if let (Some(by), Some(from), Some(to)) = (by, names.get(k), names.get(k + 1)) {
                edges.push((by.clone(), format!("`{from}` uses `{to}`")));
            }
        }
        let last = names.last().map_or(n, |s| s.as_str());
        self.errors.push(CheckError::let_cycle(
            span,
            n,
            last,
            path.join(" → "),
            &edges,
        ));
        Expr {
            kind: P::Const(Value::Bool(false)),
            ty: Type::Error,
            span: span.clone(),
        }
    }

    /// Every name a user could mean at this point.
    fn names_in_scope(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for item in &self.items {
            if let Type::Record(r) = &item.ty
                && let Some(rec) = self.schema.records.get(r.index())
            {
                out.extend(rec.fields.iter().map(|f| f.name.clone()));
            }
        }
        if let Some(b) = &self.block {
            out.push(b.subject.0.clone());
            out.push(b.items.0.clone());
            out.extend(b.defs.decls.iter().map(|d| d.name.name.clone()));
        }
        out.extend(self.globals.decls.iter().map(|d| d.name.name.clone()));
        out.extend(self.schema.facts.fields.iter().map(|f| f.name.clone()));
        for e in &self.schema.enums {
            out.extend(e.variants.iter().cloned());
        }
        out
    }

    fn list(&mut self, items: &[ast::Expr], span: &Span, hint: Option<&Type>) -> Expr {
        let mut elem_hint = hint.and_then(|h| h.element()).cloned();
        let mut out = Vec::new();
        for item in items {
            let e = self.expr(item, elem_hint.as_ref());
            match &elem_hint {
                None => {
                    if e.ty != Type::Error {
                        elem_hint = Some(e.ty.clone());
                    }
                }
                Some(want) => {
                    if !compatible(want, &e.ty) {
                        let want = want.clone();
                        self.mismatch(
                            &e,
                            &want,
                            None,
                            Some("all items of a list have one type".into()),
                        );
                    }
                }
            }
            out.push(e);
        }
        let ty = match elem_hint {
            Some(t) => Type::List(Box::new(t)),
            None if items.is_empty() => Type::EmptyList,
            None => Type::Error,
        };
        Expr {
            kind: P::List(out),
            ty,
            span: span.clone(),
        }
    }

    fn field(&mut self, base: &ast::Expr, field: &ast::Ident, span: &Span) -> Expr {
        let b = self.expr(base, None);
        let (rec, on_list) = match &b.ty {
            Type::Record(r) => (*r, false),
            Type::List(t) => match **t {
                Type::Record(r) => (r, true),
                Type::Error => return error_expr(span),
                _ => return self.no_fields(b, field, span),
            },
            Type::Error => {
                return Expr {
                    kind: P::Const(Value::Bool(false)),
                    ty: Type::Error,
                    span: span.clone(),
                };
            }
            Type::Optional(t) if matches!(**t, Type::Record(_)) => {
                self.optional_error(&b, "a field of an optional record");
                return Expr {
                    kind: P::Const(Value::Bool(false)),
                    ty: Type::Error,
                    span: span.clone(),
                };
            }
            _ => return self.no_fields(b, field, span),
        };
        let Some(record) = self.schema.records.get(rec.index()) else {
            return Expr {
                kind: P::Const(Value::Bool(false)),
                ty: Type::Error,
                span: span.clone(),
            };
        };
        match record.field(&field.name) {
            Some(i) => {
                let fty = record
                    .fields
                    .get(i)
                    .map(|f| f.ty.clone())
                    .unwrap_or(Type::Error);
                if on_list {
                    Expr {
                        kind: P::MapField(Box::new(b), FieldId::new(i)),
                        ty: Type::List(Box::new(fty)),
                        span: span.clone(),
                    }
                } else {
                    Expr {
                        kind: P::Field(Box::new(b), FieldId::new(i)),
                        ty: fty,
                        span: span.clone(),
                    }
                }
            }
            None if self.doubtful_records.contains(&record.name) => Expr {
                kind: P::Const(Value::Bool(false)),
                ty: Type::Error,
                span: span.clone(),
            },
            None => {
                let help = did_you_mean(&field.name, record.fields.iter().map(|f| f.name.as_str()))
                    .or_else(|| {
                        let all: Vec<String> = record
                            .fields
                            .iter()
                            .map(|f| format!("`{}`", f.name))
                            .collect();
                        Some(format!(
                            "the fields of `{}` are: {}",
                            record.name,
                            all.join(", ")
                        ))
                    });
                self.errors.push(CheckError::unknown_field(
                    &field.span,
                    &field.name,
                    record.name.as_str(),
                    help,
                ));
                Expr {
                    kind: P::Const(Value::Bool(false)),
                    ty: Type::Error,
                    span: span.clone(),
                }
            }
        }
    }

    fn no_fields(&mut self, b: Expr, field: &ast::Ident, span: &Span) -> Expr {
        self.errors.push(CheckError::unknown_field(
            &field.span,
            &field.name,
            self.schema.show(&b.ty),
            Some("only records (and lists of records) have fields".into()),
        ));
        Expr {
            kind: P::Const(Value::Bool(false)),
            ty: Type::Error,
            span: span.clone(),
        }
    }

    fn call(&mut self, f: &ast::Ident, arg: &ast::Expr, span: &Span) -> Expr {
        let a = self.expr(arg, None);
        let err = |c: &mut Self, help: &str| {
            if a.ty != Type::Error {
                let found = c.schema.show(&a.ty);
                c.errors.push(CheckError::mismatch(
                    &a.span,
                    help,
                    format!("`{found}`"),
                    Some(format!("`{}` takes {help}", f.name)),
                ));
            }
        };
        let elem = match &a.ty {
            Type::List(t) => Some((**t).clone()),
            Type::EmptyList => Some(Type::Error),
            _ => None,
        };
        let (agg, ty) = match f.name.as_str() {
            "count" => match elem {
                Some(_) => (Aggregate::Count, Type::Int),
                None => {
                    err(self, "a list");
                    (Aggregate::Count, Type::Int)
                }
            },
            "sum" => match elem {
                Some(t) if t.is_summable() || t == Type::Error => (Aggregate::Sum, t),
                _ => {
                    err(self, "a list of int, decimal or duration");
                    (Aggregate::Sum, Type::Error)
                }
            },
            "min" | "max" => {
                let agg = if f.name == "min" {
                    Aggregate::Min
                } else {
                    Aggregate::Max
                };
                match elem {
                    Some(t) if t.is_ordered() => (agg, Type::Optional(Box::new(t))),
                    // Absent items are skipped: `max(allies.plan_adopted)`.
                    Some(Type::Optional(t)) if t.is_ordered() => (agg, Type::Optional(t)),
                    Some(Type::Error) => (agg, Type::Error),
                    _ => {
                        err(
                            self,
                            "a list of ordered values (numbers, dates, durations, enums, strings)",
                        );
                        (agg, Type::Error)
                    }
                }
            }
            "distinct" => match elem {
                Some(_) => (Aggregate::Distinct, a.ty.clone()),
                None => {
                    err(self, "a list");
                    (Aggregate::Distinct, Type::Error)
                }
            },
            "days" => {
                if !matches!(a.ty, Type::Duration | Type::Error) {
                    err(self, "a duration");
                }
                return Expr {
                    kind: P::Days(Box::new(a)),
                    ty: Type::Int,
                    span: span.clone(),
                };
            }
            other => {
                let help = did_you_mean(other, FUNCTIONS.iter().copied())
                    .or_else(|| function_alias(other))
                    .or_else(|| {
                        let all: Vec<String> = FUNCTIONS.iter().map(|f| format!("`{f}`")).collect();
                        Some(format!("the functions are {}", all.join(", ")))
                    });
                self.errors
                    .push(CheckError::unknown_function(&f.span, other, help));
                return Expr {
                    kind: P::Const(Value::Bool(false)),
                    ty: Type::Error,
                    span: span.clone(),
                };
            }
        };
        Expr {
            kind: P::Aggregate(agg, Box::new(a)),
            ty,
            span: span.clone(),
        }
    }

    fn binary(
        &mut self,
        op: BinOp,
        l: &ast::Expr,
        r: &ast::Expr,
        span: &Span,
        hint: Option<&Type>,
    ) -> Expr {
        let make = |kind, ty| Expr {
            kind,
            ty,
            span: span.clone(),
        };
        match op {
            BinOp::And | BinOp::Or => {
                let a = self.expr(l, Some(&Type::Bool));
                // After `x is present and`, the rest of the chain reads `x` as present.
                let depth = self.narrowed.len();
                if op == BinOp::And {
                    present_paths(l, &mut self.narrowed);
                }
                let b = self.expr(r, Some(&Type::Bool));
                self.narrowed.truncate(depth);
                let help = format!("both sides of `{}` must be true or false", op.as_str());
                self.expect_type(&a, &Type::Bool, &help);
                self.expect_type(&b, &Type::Bool, &help);
                let kind = if op == BinOp::And {
                    P::And(Box::new(a), Box::new(b))
                } else {
                    P::Or(Box::new(a), Box::new(b))
                };
                make(kind, Type::Bool)
            }
            BinOp::In | BinOp::NotIn => {
                let a = self.expr(l, None);
                let want = Type::List(Box::new(strip_optional(&a.ty).clone()));
                let b = self.expr(r, Some(&want));
                match &b.ty {
                    Type::List(t) => {
                        if !compatible(t, &a.ty) && !compatible(&a.ty, t) {
                            let t = (**t).clone();
                            let decl = self.declared_at(&b);
                            self.mismatch(
                                &a,
                                &t,
                                decl.as_ref(),
                                Some("`in` looks for a value among items of the same type".into()),
                            );
                        }
                    }
                    Type::EmptyList | Type::Error => {}
                    other => {
                        let other = other.clone();
                        self.not_a_list(&b.span, &other, "the right side of `in` must be a list");
                    }
                }
                make(
                    P::In(Box::new(a), Box::new(b), op == BinOp::NotIn),
                    Type::Bool,
                )
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                self.compare(op, l, r, span)
            }
            BinOp::Otherwise => {
                let a = self.expr(
                    l,
                    hint.map(|h| Type::Optional(Box::new(h.clone()))).as_ref(),
                );
                let inner = match &a.ty {
                    Type::Optional(t) => (**t).clone(),
                    Type::Error => Type::Error,
                    other => {
                        let found = self.schema.show(other);
                        self.errors.push(CheckError::mismatch(
                            &a.span,
                            "an optional value",
                            format!("`{found}`, which is always present"),
                            Some(
                                "`otherwise` gives a value for an absent optional; remove it here"
                                    .into(),
                            ),
                        ));
                        other.clone()
                    }
                };
                let b = self.expr(r, Some(&inner));
                if !compatible(&inner, &b.ty) {
                    self.mismatch(
                        &b,
                        &inner,
                        None,
                        Some("the value after `otherwise` stands in for the absent one".into()),
                    );
                }
                make(P::Otherwise(Box::new(a), Box::new(b)), inner)
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => self.arith(op, l, r, span),
        }
    }

    fn compare(&mut self, op: BinOp, l: &ast::Expr, r: &ast::Expr, span: &Span) -> Expr {
        let cmp = match op {
            BinOp::Eq => CmpOp::Eq,
            BinOp::Ne => CmpOp::Ne,
            BinOp::Lt => CmpOp::Lt,
            BinOp::Le => CmpOp::Le,
            BinOp::Gt => CmpOp::Gt,
            _ => CmpOp::Ge,
        };
        // Check the side that is not a bare name first, so the name can be
        // read as a variant of the other side's enum.
        let (a, b) = if matches!(l.kind, A::Name(_)) && !matches!(r.kind, A::Name(_)) {
            let b = self.expr(r, None);
            let a = self.expr(l, Some(&b.ty));
            (a, b)
        } else {
            let a = self.expr(l, None);
            let b = self.expr(r, Some(&a.ty));
            (a, b)
        };
        let make = |a, b| Expr {
            kind: P::Cmp(cmp, Box::new(a), Box::new(b)),
            ty: Type::Bool,
            span: span.clone(),
        };
        if a.ty == Type::Error || b.ty == Type::Error {
            return make(a, b);
        }
        let optional_side = [&a, &b]
            .into_iter()
            .find(|s| matches!(s.ty, Type::Optional(_)))
            .cloned();
        if let Some(side) = optional_side {
            self.optional_error(
                &side,
                &format!("`{}` compares present values", cmp.as_str()),
            );
            return make(a, b);
        }
        if !compatible(&a.ty, &b.ty) && !compatible(&b.ty, &a.ty) {
            // The side whose type was declared fixes what is expected; the
            // other one is reported.
            let (fixed, wrong) = if self.declared_at(&a).is_none() && self.declared_at(&b).is_some()
            {
                (&b, &a)
            } else {
                (&a, &b)
            };
            let decl = self.declared_at(fixed);
            let help = self
                .enum_text_help(fixed, wrong)
                .or_else(|| date_int_help(cmp, &a, &b))
                .unwrap_or_else(|| {
                    format!("both sides of `{}` must have the same type", cmp.as_str())
                });
            self.mismatch_with(
                wrong,
                &fixed.ty.clone(),
                decl.as_ref(),
                Some(&fixed.span),
                Some(help),
            );
            return make(a, b);
        }
        let ordered = !matches!(cmp, CmpOp::Eq | CmpOp::Ne);
        if ordered && !a.ty.is_ordered() {
            let help = if a.ty == Type::Bool {
                Some("`<` and `>` do not apply to true/false; did you mean `and` between two comparisons?".to_string())
            } else {
                Some(
                    "`<`, `<=`, `>`, `>=` compare numbers, dates, durations, enums and strings"
                        .to_string(),
                )
            };
            let (at_, bt) = (a.ty.clone(), b.ty.clone());
            self.bad_operands(span, cmp.as_str(), &at_, &bt, help);
        }
        make(a, b)
    }

    fn arith(&mut self, op: BinOp, l: &ast::Expr, r: &ast::Expr, span: &Span) -> Expr {
        let a = self.expr(l, None);
        let b = self.expr(r, None);
        let aop = match op {
            BinOp::Add => ArithOp::Add,
            BinOp::Sub => ArithOp::Sub,
            BinOp::Mul => ArithOp::Mul,
            _ => ArithOp::Div,
        };
        use Type::*;
        let ty = match (aop, &a.ty, &b.ty) {
            (_, Error, _) | (_, _, Error) => Error,
            (_, Int, Int) => Int,
            (_, Int | Decimal, Int | Decimal) => Decimal,
            (ArithOp::Add, Date, Duration)
            | (ArithOp::Add, Duration, Date)
            | (ArithOp::Sub, Date, Duration) => Date,
            (ArithOp::Sub, Date, Date) => Duration,
            (ArithOp::Add | ArithOp::Sub, Duration, Duration) => Duration,
            (ArithOp::Mul, Duration, Int)
            | (ArithOp::Mul, Int, Duration)
            | (ArithOp::Div, Duration, Int) => Duration,
            (_, at_, bt) => {
                let (at_, bt) = (at_.clone(), bt.clone());
                let help = match (&at_, &bt) {
                    (Optional(_), _) | (_, Optional(_)) => {
                        "one side may be absent; give it a value with `otherwise`".to_string()
                    }
                    (Date, Int) | (Int, Date) => date_arith_help(aop, &a, &b),
                    _ => "arithmetic applies to ints, decimals, dates and durations".to_string(),
                };
                self.bad_operands(span, aop.as_str(), &at_, &bt, Some(help));
                Error
            }
        };
        Expr {
            kind: P::Arith(aop, Box::new(a), Box::new(b)),
            ty,
            span: span.clone(),
        }
    }
}

/// The placeholder for an expression that failed to check.
fn error_expr(span: &Span) -> Expr {
    Expr {
        kind: P::Const(Value::Bool(false)),
        ty: Type::Error,
        span: span.clone(),
    }
}

/// Help for arithmetic between a date and an int: the int is most likely a
/// number of days, so say to write it as a duration, with the operator the
/// code used (`now - 365` → `now - 365d`).
fn date_arith_help(op: ArithOp, a: &Expr, b: &Expr) -> String {
    let days = |e: &Expr| match &e.kind {
        P::Const(Value::Int(n)) => format!("{n}d"),
        _ => "365d".to_string(),
    };
    match (op, &a.ty) {
        (ArithOp::Sub, Type::Date) => format!(
            "subtract a duration from a date: `{} - {}` (`d` for days, `w` for weeks)",
            a.span.text(),
            days(b)
        ),
        (ArithOp::Add, Type::Date) => format!(
            "add a duration to a date: `{} + {}` (`d` for days, `w` for weeks)",
            a.span.text(),
            days(b)
        ),
        (ArithOp::Add, _) => format!(
            "add a duration to a date: `{} + {}` (`d` for days, `w` for weeks)",
            b.span.text(),
            days(a)
        ),
        _ => "a date takes a duration added or subtracted (`now - 365d`); `date - date` is a duration".to_string(),
    }
}

/// Help for a date compared with an int, which is most likely a number of
/// days: compare with a date literal, or a date counted back from `now`.
fn date_int_help(cmp: CmpOp, a: &Expr, b: &Expr) -> Option<String> {
    let (date, int, date_left) = match (&a.ty, &b.ty) {
        (Type::Date, Type::Int) => (a, b, true),
        (Type::Int, Type::Date) => (b, a, false),
        _ => return None,
    };
    let days = match &int.kind {
        P::Const(Value::Int(n)) => format!("{n}d"),
        _ => "365d".to_string(),
    };
    let op = cmp.as_str();
    let back = if date_left {
        format!("{} {op} now - {days}", date.span.text())
    } else {
        format!("now - {days} {op} {}", date.span.text())
    };
    Some(format!(
        "a date compares with a date: count back from `now` with a duration, `{back}`, or write a day, e.g. `2023-07-11`"
    ))
}

/// Help for a function another language has under another name.
fn function_alias(name: &str) -> Option<String> {
    let same = |f: &str| Some(format!("rung calls this function `{f}`"));
    match name.to_lowercase().as_str() {
        "total" => same("sum"),
        "len" | "length" | "size" | "cardinality" => same("count"),
        "unique" | "uniq" | "dedup" | "set" => same("distinct"),
        "minimum" | "least" => same("min"),
        "maximum" | "greatest" => same("max"),
        "avg" | "average" | "mean" => {
            Some("rung has no average: divide a sum by a count, `sum(xs) / count(xs)`".into())
        }
        "exists" | "some" => Some("write `any LIST has CONDITION`".into()),
        _ => None,
    }
}

/// `optional T` → `T`.
/// `plan`, `ally.plan`, `max(xs.score)`: an expression in canonical form,
/// the key of narrowing (two spellings of one expression are one key).
fn presence_key(e: &ast::Expr) -> String {
    match &e.kind {
        A::Paren(inner) => presence_key(inner),
        _ => crate::fmt::one_line(e.span.text()),
    }
}

/// The paths an `and` chain's left side proves present: its `x is present`
/// parts, through nested `and`s and parentheses.
fn present_paths(e: &ast::Expr, out: &mut Vec<String>) {
    match &e.kind {
        A::IsPresent(x, true) => out.push(presence_key(x)),
        A::Binary(BinOp::And, a, b) => {
            present_paths(a, out);
            present_paths(b, out);
        }
        A::Paren(inner) => present_paths(inner, out),
        _ => {}
    }
}

fn strip_optional(t: &Type) -> &Type {
    match t {
        Type::Optional(inner) => inner,
        t => t,
    }
}

/// Whether a value of type `found` can stand where `want` is expected.
fn compatible(want: &Type, found: &Type) -> bool {
    match (want, found) {
        (Type::Error, _) | (_, Type::Error) => true,
        (Type::List(_), Type::EmptyList) | (Type::EmptyList, Type::List(_)) => true,
        (Type::Decimal, Type::Int) | (Type::Int, Type::Decimal) => true,
        (Type::List(a), Type::List(b)) => compatible(a, b),
        (Type::Optional(a), b) => compatible(a, b),
        (a, b) => a == b,
    }
}
