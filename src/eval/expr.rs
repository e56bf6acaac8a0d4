//! The interpreter: one checked expression → one value.

use std::cmp::Ordering;

use rust_decimal::Decimal;
use rustc_hash::FxHashSet;

use super::error::{EvalError, EvalErrorKind};
use crate::ast::Quantifier;
use crate::facts::Facts;
use crate::program::{Aggregate, ArithOp, CmpOp, Expr, ExprKind, SlotId, local};
use crate::source::Span;
use crate::value::{Key, List, ListIter, Positions, Value, date_in_range};

/// Result of evaluating an expression.
pub(crate) type EvalResult = Result<Value, EvalError>;

/// What an expression can read: facts, definitions and local slots. Private
/// to `eval`: clients go through [`super::run()`] and [`super::expression()`].
pub(super) struct Env<'a> {
    /// Top-level facts by index.
    facts: &'a [Value],
    /// Global definitions, already evaluated.
    lets: &'a [EvalResult],
    /// The current block's definitions, evaluated so far.
    block_lets: Vec<EvalResult>,
    /// Local slots.
    locals: Vec<Slot>,
}

/// Local slots allocated at once: a subject, its items and a few loops.
const MIN_SLOTS: usize = 8;

/// The local slots of an environment, kept between environments
/// ([`Env::reusing`]). Loop slots are never read before a loop binds them.
#[derive(Default)]
pub(super) struct Locals(Vec<Slot>);

/// A local slot: a value, or the item of a loop. A loop over a list shares
/// the list once and moves a cursor, so that stepping to the next item
/// costs no reference count (an atomic operation on a shared item).
#[derive(Clone)]
enum Slot {
    /// Not bound.
    Empty,
    /// A value: the subject, its items.
    Value(Value),
    /// Item `at` of a list: the item of a `where` or quantifier.
    Item(List, usize),
}

impl Slot {
    fn get(&self) -> Option<&Value> {
        match self {
            Slot::Empty => None,
            Slot::Value(v) => Some(v),
            Slot::Item(list, at) => list.get(*at),
        }
    }
}

/// The list inside a value, shared (an empty one for anything else).
pub(super) fn shared_list(v: &Value) -> List {
    match v {
        Value::List(l) => l.clone(),
        _ => List::empty(),
    }
}

/// A lookup the checker guaranteed failed: a bug, reported at `e`.
fn missing(e: &Expr, what: &'static str) -> EvalError {
    EvalError::new(EvalErrorKind::Internal(what), &e.span)
}

impl<'a> Env<'a> {
    /// An environment reading `facts` and the global definitions so far.
    pub(super) fn new(facts: &'a Facts, lets: &'a [EvalResult]) -> Self {
        Env {
            facts: facts.values(),
            lets,
            block_lets: Vec::new(),
            locals: Vec::new(),
        }
    }

    /// An environment over the same facts and global definitions, outside
    /// any subject: a global definition's body numbers its loop slots from
    /// the start, so evaluating it inside a rules block would overwrite the
    /// block's subject and items.
    pub(super) fn global(&self) -> Env<'a> {
        Env {
            facts: self.facts,
            lets: self.lets,
            block_lets: Vec::new(),
            locals: Vec::new(),
        }
    }

    /// An environment like [`Env::new`] on the local slots of an earlier
    /// one ([`Env::into_locals`]): evaluating definition after definition
    /// allocates the slots once.
    pub(super) fn reusing(facts: &'a Facts, lets: &'a [EvalResult], locals: Locals) -> Self {
        Env {
            facts: facts.values(),
            lets,
            block_lets: Vec::new(),
            locals: locals.0,
        }
    }

    /// The local slots, to be reused by the next environment.
    pub(super) fn into_locals(self) -> Locals {
        Locals(self.locals)
    }

    /// An environment that reads nothing (constant folding in lints).
    pub(super) fn constant() -> Self {
        Env {
            facts: &[],
            lets: &[],
            block_lets: Vec::new(),
            locals: Vec::new(),
        }
    }

    /// Fact `i`.
    #[inline]
    pub(super) fn fact(&self, i: usize) -> Option<&Value> {
        self.facts.get(i)
    }

    /// Global definition `i`, when it has been evaluated.
    #[inline]
    pub(super) fn global_let(&self, i: usize) -> Option<&EvalResult> {
        self.lets.get(i)
    }

    /// The current subject's definition `i`, when it has been evaluated.
    #[inline]
    pub(super) fn block_let(&self, i: usize) -> Option<&EvalResult> {
        self.block_lets.get(i)
    }

    /// The value bound to local `slot` (the subject, its items, or the
    /// item of a loop the interpreter is in).
    #[inline]
    pub(super) fn local(&self, slot: SlotId) -> Option<&Value> {
        self.locals.get(slot.index())?.get()
    }

    /// Binds a subject and its items, forgetting the previous subject's
    /// definitions.
    pub(super) fn enter(&mut self, subject: Value, items: Value) {
        // Loop slots keep their last list until a loop binds them again: they
        // are never read before that, and keeping them keeps their memory.
        self.set_local(local::SUBJECT, subject);
        self.set_local(local::ITEMS, items);
        self.block_lets.clear();
    }

    /// Makes room for a block's `n` definitions (kept from subject to
    /// subject: allocated once).
    pub(super) fn reserve_block_lets(&mut self, n: usize) {
        self.block_lets.reserve(n);
    }

    /// The value of `e` where it is stored, without a copy ([`Env::peek`]);
    /// `None` when it must be computed ([`Env::eval`]).
    pub(super) fn stored<'e>(&'e self, e: &'e Expr) -> Option<&'e Value> {
        self.peek(e)
    }

    /// Records the value of the subject's next definition.
    pub(super) fn push_block_let(&mut self, v: EvalResult) {
        self.block_lets.push(v);
    }

    pub(super) fn set_local(&mut self, slot: SlotId, v: Value) {
        self.bind(slot, Slot::Value(v));
    }

    fn bind(&mut self, slot: SlotId, s: Slot) {
        let i = slot.index();
        if i >= self.locals.len() {
            // Room for a few loops at once: the slots are allocated once.
            self.locals.resize((i + 1).max(MIN_SLOTS), Slot::Empty);
        }
        if let Some(x) = self.locals.get_mut(i) {
            *x = s;
        }
    }

    /// Starts a loop over the value of `list` with its item in `slot`, and
    /// returns its length. A stored list is shared with the slot (one
    /// reference count, none when the slot already holds it); a computed one
    /// is moved there.
    fn loop_over(&mut self, slot: SlotId, list: &Expr) -> Result<usize, EvalError> {
        if let Some(v) = self.peek(list) {
            let n = list_items(v).len();
            let held = match (self.locals.get(slot.index()), v) {
                (Some(Slot::Item(held, _)), Value::List(l)) => held.same(l),
                _ => false,
            };
            if held {
                self.step(slot, 0);
            } else {
                let shared = shared_list(v);
                self.bind(slot, Slot::Item(shared, 0));
            }
            return Ok(n);
        }
        let v = self.eval_computed(list)?;
        let n = list_items(&v).len();
        let shared = match v {
            Value::List(l) => l,
            _ => List::empty(),
        };
        self.bind(slot, Slot::Item(shared, 0));
        Ok(n)
    }

    /// The list the loop in `slot` runs over (`e` is the loop, for the
    /// report of a bug).
    fn looped(&self, slot: SlotId, e: &Expr) -> Result<&List, EvalError> {
        match self.locals.get(slot.index()) {
            Some(Slot::Item(list, _)) => Ok(list),
            _ => Err(missing(e, "a loop's slot holds no list")),
        }
    }

    /// Starts a loop over the list in `list` with its item in `slot`. A slot
    /// that already loops over that very list (a subject's `acts` is looped
    /// over by definition after definition) is rewound rather than rebound,
    /// which costs no reference count.
    pub(super) fn begin_loop(&mut self, slot: SlotId, list: &Value) {
        if let (Some(Slot::Item(held, at)), Value::List(l)) =
            (self.locals.get_mut(slot.index()), list)
            && held.same(l)
        {
            *at = 0;
            return;
        }
        self.bind(slot, Slot::Item(shared_list(list), 0));
    }

    /// Moves the loop in `slot` to item `at`.
    pub(super) fn step(&mut self, slot: SlotId, at: usize) {
        if let Some(Slot::Item(_, i)) = self.locals.get_mut(slot.index()) {
            *i = at;
        }
    }

    /// The value of `e` without cloning it, when it is stored somewhere
    /// already (a constant, a local, a fact, a definition, or a field of one).
    /// Conditions are mostly `field == constant`; this keeps them allocation-
    /// and reference-count-free.
    /// Inlined where it is used (every condition peeks twice); a field of
    /// something other than a local goes through [`Env::peek_base`].
    #[inline(always)]
    fn peek<'e>(&'e self, e: &'e Expr) -> Option<&'e Value> {
        match &e.kind {
            ExprKind::Const(v) => Some(v),
            ExprKind::Local(i) => self.locals.get(i.index())?.get(),
            ExprKind::Fact(i) => self.facts.get(i.index()),
            ExprKind::Let(i) => self.lets.get(i.index()).and_then(|r| r.as_ref().ok()),
            ExprKind::BlockLet(i) => self.block_lets.get(i.index()).and_then(|r| r.as_ref().ok()),
            ExprKind::Field(base, i) => {
                // The common case, an item's field, without a second call.
                let record = match &base.kind {
                    ExprKind::Local(l) => self.locals.get(l.index())?.get()?,
                    _ => self.peek_base(base)?,
                };
                match record {
                    Value::Record(fields) => fields.get(i.index()),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// [`Env::peek`] out of line: the record a field is read from, when it
    /// is not a local (a field of a field, of a fact, of a definition).
    #[inline(never)]
    fn peek_base<'e>(&'e self, e: &'e Expr) -> Option<&'e Value> {
        self.peek(e)
    }

    /// Whether a leaf condition holds, when it needs nothing computed: a
    /// comparison of stored values (`attribution == high`) or a stored
    /// boolean (`victim_is_ally`). These are most conditions, and testing
    /// them here, inline, spares a call to [`Env::holds`] per item.
    #[inline(always)]
    fn leaf(&self, e: &Expr) -> Option<bool> {
        match &e.kind {
            ExprKind::Cmp(op, a, b) => Some(compare(*op, self.peek(a)?, self.peek(b)?)),
            ExprKind::And(..) | ExprKind::Or(..) | ExprKind::Not(..) | ExprKind::Quantified(..) => {
                None
            }
            _ => self.peek(e).map(truthy),
        }
    }

    /// Whether condition `e` holds: [`Env::leaf`] inline, else [`Env::holds`].
    #[inline(always)]
    fn test(&mut self, e: &Expr) -> Result<bool, EvalError> {
        match self.leaf(e) {
            Some(b) => Ok(b),
            None => self.holds(e),
        }
    }

    /// Evaluates `e`, known not to be stored (its [`Env::peek`] failed).
    fn eval_computed(&mut self, e: &Expr) -> EvalResult {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.eval_at(e))
    }

    /// Whether condition `e` holds.
    pub fn holds(&mut self, e: &Expr) -> Result<bool, EvalError> {
        match &e.kind {
            ExprKind::Cmp(op, a, b) => {
                if let (Some(x), Some(y)) = (self.peek(a), self.peek(b)) {
                    return Ok(compare(*op, x, y));
                }
                self.compare_computed(*op, a, b)
            }
            ExprKind::And(..) => self.chain(e, true),
            ExprKind::Or(..) => self.chain(e, false),
            ExprKind::Not(a) => Ok(!self.test(a)?),
            // A quantifier as a condition: no boolean value built and taken
            // apart again. Its body may nest deeply: the stack may grow here.
            ExprKind::Quantified(q, list, cond, slot) => {
                stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
                    self.quantified(*q, list, cond, *slot)
                })
            }
            _ => match self.peek(e) {
                Some(v) => Ok(truthy(v)),
                None => self.eval_computed(e).map(|v| truthy(&v)),
            },
        }
    }

    /// The two sides of an `and` (`all` true) or of an `or` (false).
    fn split(e: &Expr, all: bool) -> Option<(&Expr, &Expr)> {
        match (&e.kind, all) {
            (ExprKind::And(a, b), true) | (ExprKind::Or(a, b), false) => Some((a, b)),
            _ => None,
        }
    }

    /// A chain `p and q and r` (`all` true) or `p or q or r` (false), which
    /// parses as `(p and q) and r`: its parts are tested left to right in a
    /// loop rather than by a call per `and`, stopping at the first that
    /// settles it, as nested evaluation would.
    fn chain(&mut self, e: &Expr, all: bool) -> Result<bool, EvalError> {
        const PARTS: usize = 8;
        // The right-hand parts, last first; `first` is the leftmost part (a
        // longer chain keeps its own leftmost `and`, tested by recursion).
        let mut rights: [Option<&Expr>; PARTS] = [None; PARTS];
        let mut n = 0;
        let mut first = e;
        while let Some((a, b)) = Self::split(first, all) {
            let Some(r) = rights.get_mut(n) else { break };
            *r = Some(b);
            n += 1;
            first = a;
        }
        if self.test(first)? != all {
            return Ok(!all);
        }
        for part in rights.iter().take(n).rev().flatten() {
            if self.test(part)? != all {
                return Ok(!all);
            }
        }
        Ok(all)
    }

    /// A comparison where one side at least must be computed
    /// (`count(high_acts) >= 2`). Out of line, like the other slow paths of
    /// [`Env::holds`], so that its calls stay cheap.
    #[inline(never)]
    fn compare_computed(&mut self, op: CmpOp, a: &Expr, b: &Expr) -> Result<bool, EvalError> {
        // `count(high_acts) >= 2`, `sum(allied_high.severity) >= 15`.
        if let Some(y) = self.peek(b)
            && let Some(x) = self.aggregate_stored(a)
        {
            return Ok(compare(op, &x?, y));
        }
        if let Some(x) = self.peek(a) {
            let x = x.clone();
            let y = self.eval_computed(b)?;
            return Ok(compare(op, &x, &y));
        }
        let x = self.eval_computed(a)?;
        if let Some(y) = self.peek(b) {
            return Ok(compare(op, &x, y));
        }
        let y = self.eval_computed(b)?;
        Ok(compare(op, &x, &y))
    }

    /// An aggregate over a stored list (`count(high_acts)`,
    /// `sum(acts.severity)`, `count(distinct(acts.victim))`), computed
    /// without going through [`Env::eval`]; `None` for anything else.
    #[inline]
    fn aggregate_stored(&self, e: &Expr) -> Option<EvalResult> {
        let ExprKind::Aggregate(agg, x) = &e.kind else {
            return None;
        };
        Some(match (agg, &x.kind) {
            (Aggregate::Distinct, _) => return None,
            (_, ExprKind::MapField(list, i)) => {
                let list = self.peek(list)?;
                aggregate_over(*agg, fields_of(list_items(list), i.index()), &e.span, &e.ty)
            }
            (Aggregate::Count, ExprKind::Aggregate(Aggregate::Distinct, inner)) => {
                let ExprKind::MapField(list, i) = &inner.kind else {
                    return None;
                };
                let list = self.peek(list)?;
                Ok(Value::Int(
                    distinct_count(fields_of(list_items(list), i.index())) as i64,
                ))
            }
            _ => aggregate(*agg, self.peek(x)?, &e.span, &e.ty),
        })
    }

    /// Whether `any`/`all`/`no` item of `list` satisfies `cond` (the item in
    /// `slot`), stopping at the first item that settles it.
    #[inline(never)]
    fn quantified(
        &mut self,
        q: Quantifier,
        list: &Expr,
        cond: &Expr,
        slot: SlotId,
    ) -> Result<bool, EvalError> {
        let n = self.loop_over(slot, list)?;
        for i in 0..n {
            self.step(slot, i);
            let holds = self.test(cond)?;
            match (q, holds) {
                (Quantifier::Any, true) => return Ok(true),
                (Quantifier::All, false) | (Quantifier::No, true) => return Ok(false),
                _ => {}
            }
        }
        Ok(!matches!(q, Quantifier::Any))
    }

    /// Evaluates `e`.
    pub fn eval(&mut self, e: &Expr) -> EvalResult {
        if let Some(v) = self.peek(e) {
            return Ok(v.clone());
        }
        // Depth is bounded by the parser (MAX_EXPR_DEPTH); deep trees still
        // move to a fresh stack segment rather than overflow a small thread
        // stack. Stored values (above) never get here, so the check is rare.
        self.eval_computed(e)
    }

    fn eval_at(&mut self, e: &Expr) -> EvalResult {
        match &e.kind {
            ExprKind::Const(v) => Ok(v.clone()),
            ExprKind::Fact(i) => self
                .facts
                .get(i.index())
                .cloned()
                .ok_or_else(|| missing(e, "a fact id has no value")),
            ExprKind::Let(i) => {
                self.lets.get(i.index()).cloned().unwrap_or_else(|| {
                    Err(missing(e, "a definition is read before it is evaluated"))
                })
            }
            ExprKind::BlockLet(i) => {
                self.block_lets.get(i.index()).cloned().unwrap_or_else(|| {
                    Err(missing(e, "a definition is read before it is evaluated"))
                })
            }
            ExprKind::Local(i) => self
                .locals
                .get(i.index())
                .and_then(Slot::get)
                .cloned()
                .ok_or_else(|| missing(e, "a local slot is read before it is bound")),
            ExprKind::Field(base, i) => field(&self.eval(base)?, i.index(), &e.span),
            ExprKind::MapField(base, i) => {
                let list = self.eval(base)?;
                let items = list_items(&list)
                    .map(|r| field(r, i.index(), &e.span))
                    .collect::<Result<Vec<Value>, _>>()?;
                Ok(Value::List(items.into()))
            }
            ExprKind::List(items) => {
                let vals = items
                    .iter()
                    .map(|x| self.eval(x))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Value::List(vals.into()))
            }
            ExprKind::Not(_) | ExprKind::And(..) | ExprKind::Or(..) | ExprKind::Cmp(..) => {
                Ok(Value::Bool(self.holds(e)?))
            }
            ExprKind::Neg(x) => neg(self.eval(x)?, &e.span),
            ExprKind::In(a, b, negated) => {
                let x = self.eval(a)?;
                let list = self.eval(b)?;
                let found = list_items(&list).any(|y| equal(&x, y));
                Ok(Value::Bool(found != *negated))
            }
            ExprKind::Arith(op, a, b) => arith(*op, self.eval(a)?, self.eval(b)?, &e.span),
            ExprKind::IsPresent(x, present) => {
                Ok(Value::Bool((self.eval(x)? != Value::Absent) == *present))
            }
            ExprKind::Otherwise(a, b) => match self.eval(a)? {
                Value::Absent => self.eval(b),
                v => Ok(v),
            },
            ExprKind::Filter(list, cond, slot) => {
                let n = self.loop_over(*slot, list)?;
                // The positions kept (the items are never touched): a filter
                // that keeps everything returns its input, one that keeps
                // nothing the shared empty list (`List::pick`).
                let mut kept = Positions::new();
                for i in 0..n {
                    self.step(*slot, i);
                    if self.test(cond)? {
                        if kept.is_empty() {
                            kept.reserve(n - i);
                        }
                        kept.push(List::position(i).ok_or_else(|| too_long(&e.span))?);
                    }
                }
                Ok(Value::List(self.looped(*slot, e)?.pick(kept)))
            }
            ExprKind::Quantified(q, list, cond, slot) => {
                Ok(Value::Bool(self.quantified(*q, list, cond, *slot)?))
            }
            ExprKind::Aggregate(agg, x) => {
                // `count(list where c)` counts without building the list.
                if let (Aggregate::Count, ExprKind::Filter(list, cond, slot)) = (agg, &x.kind) {
                    let len = self.loop_over(*slot, list)?;
                    let mut n: i64 = 0;
                    for i in 0..len {
                        self.step(*slot, i);
                        if self.test(cond)? {
                            n += 1;
                        }
                    }
                    return Ok(Value::Int(n));
                }
                // Over a field of each item (`sum(acts.severity)`), and
                // `count(distinct(acts.victim))`: no intermediate lists.
                match (agg, &x.kind) {
                    (Aggregate::Distinct, _) => {}
                    (_, ExprKind::MapField(list, i)) => {
                        if let Some(list) = self.peek(list) {
                            return aggregate_over(
                                *agg,
                                fields_of(list_items(list), i.index()),
                                &e.span,
                                &e.ty,
                            );
                        }
                        let list = self.eval_computed(list)?;
                        return aggregate_over(
                            *agg,
                            fields_of(list_items(&list), i.index()),
                            &e.span,
                            &e.ty,
                        );
                    }
                    (Aggregate::Count, ExprKind::Aggregate(Aggregate::Distinct, inner)) => {
                        if let ExprKind::MapField(list, i) = &inner.kind {
                            if let Some(list) = self.peek(list) {
                                return Ok(Value::Int(distinct_count(fields_of(
                                    list_items(list),
                                    i.index(),
                                )) as i64));
                            }
                            let list = self.eval_computed(list)?;
                            return Ok(Value::Int(distinct_count(fields_of(
                                list_items(&list),
                                i.index(),
                            )) as i64));
                        }
                        let list = self.eval(inner)?;
                        return Ok(Value::Int(distinct_count(list_items(&list)) as i64));
                    }
                    _ => {}
                }
                // A stored list (`count(high_acts)`) is read where it is.
                if let Some(v) = self.peek(x) {
                    return aggregate(*agg, v, &e.span, &e.ty);
                }
                let v = self.eval_computed(x)?;
                aggregate(*agg, &v, &e.span, &e.ty)
            }
            ExprKind::Days(x) => match self.eval(x)? {
                Value::Duration(d) => Ok(Value::Int(d)),
                v => Ok(v),
            },
        }
    }
}

/// The items of a list value (none for anything else).
pub fn list_items(v: &Value) -> ListIter<'_> {
    match v {
        Value::List(l) => l.iter(),
        _ => ListIter::All([].iter()),
    }
}

/// A list too long to select from by `u32` positions (over 4,294,967,295
/// items), at `e`.
pub(super) fn too_long(span: &Span) -> EvalError {
    EvalError::new(
        EvalErrorKind::Overflow("a list of more than 4,294,967,295 items"),
        span,
    )
}

/// Field `i` of a record value. An absent record (an optional field that
/// is not there) has absent fields; anything else that is not a record with
/// that field is a bug.
pub(super) fn field(v: &Value, i: usize, span: &Span) -> EvalResult {
    let missing = |what| EvalError::new(EvalErrorKind::Internal(what), span);
    match v {
        Value::Record(fields) => fields
            .get(i)
            .cloned()
            .ok_or_else(|| missing("a record value lacks a declared field")),
        Value::Absent => Ok(Value::Absent),
        _ => Err(missing("a field is read from a value that is not a record")),
    }
}

/// Whether a condition's value is `true`.
pub fn truthy(v: &Value) -> bool {
    matches!(v, Value::Bool(true))
}

pub(super) fn neg(v: Value, span: &Span) -> EvalResult {
    let overflow = || EvalError::new(EvalErrorKind::Overflow("negation"), span);
    Ok(match v {
        Value::Int(i) => Value::Int(i.checked_neg().ok_or_else(overflow)?),
        Value::Decimal(d) => Value::Decimal(-d),
        Value::Duration(d) => Value::Duration(d.checked_neg().ok_or_else(overflow)?),
        other => other,
    })
}

/// Order of two values of one type (ints and decimals mix).
pub fn order(a: &Value, b: &Value) -> Option<Ordering> {
    Some(match (a, b) {
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Decimal(x), Value::Decimal(y)) => x.cmp(y),
        (Value::Int(x), Value::Decimal(y)) => Decimal::from(*x).cmp(y),
        (Value::Decimal(x), Value::Int(y)) => x.cmp(&Decimal::from(*y)),
        (Value::Str(x), Value::Str(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Value::Date(x), Value::Date(y)) => x.cmp(y),
        (Value::Duration(x), Value::Duration(y)) => x.cmp(y),
        (Value::Enum(x), Value::Enum(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => return None,
    })
}

/// Equality as the language defines it (`1 == 1.0`).
pub fn equal(a: &Value, b: &Value) -> bool {
    // The common cases first: enum variants, interned strings (one
    // allocation for every occurrence of a victim or a sponsor), integers.
    match (a, b) {
        (Value::Enum(x), Value::Enum(y)) => return x == y,
        (Value::Str(x), Value::Str(y)) => return crate::value::same_text(x, y),
        (Value::Int(x), Value::Int(y)) => return x == y,
        (Value::Date(x), Value::Date(y)) => return x == y,
        (Value::Bool(x), Value::Bool(y)) => return x == y,
        _ => {}
    }
    match order(a, b) {
        Some(o) => o == Ordering::Equal,
        None => Key::of(a) == Key::of(b),
    }
}

/// Applies a comparison operator.
///
/// Inlined into the interpreter's condition tests: the scalars most
/// conditions compare (dates against a window's bounds, enum levels,
/// integers) are ordered here without a call; everything else (strings,
/// decimals, mixed numbers, `==` on lists) goes through [`compare_values`].
#[inline(always)]
pub fn compare(op: CmpOp, a: &Value, b: &Value) -> bool {
    let o = match (a, b) {
        (Value::Date(x), Value::Date(y)) => x.cmp(y),
        (Value::Enum(x), Value::Enum(y)) => x.cmp(y),
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        _ => return compare_values(op, a, b),
    };
    match op {
        CmpOp::Eq => o == Ordering::Equal,
        CmpOp::Ne => o != Ordering::Equal,
        CmpOp::Lt => o == Ordering::Less,
        CmpOp::Le => o != Ordering::Greater,
        CmpOp::Gt => o == Ordering::Greater,
        CmpOp::Ge => o != Ordering::Less,
    }
}

/// [`compare`] for any two values, out of line.
#[inline(never)]
fn compare_values(op: CmpOp, a: &Value, b: &Value) -> bool {
    match op {
        CmpOp::Eq => equal(a, b),
        CmpOp::Ne => !equal(a, b),
        _ => match order(a, b) {
            Some(o) => match op {
                CmpOp::Lt => o == Ordering::Less,
                CmpOp::Le => o != Ordering::Greater,
                CmpOp::Gt => o == Ordering::Greater,
                _ => o != Ordering::Less,
            },
            None => false,
        },
    }
}

fn to_decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Int(i) => Some(Decimal::from(*i)),
        Value::Decimal(d) => Some(*d),
        _ => None,
    }
}

/// Checked arithmetic over ints, decimals, dates and durations.
pub fn arith(op: ArithOp, a: Value, b: Value, span: &Span) -> EvalResult {
    let err = |k| EvalError::new(k, span);
    let overflow = |what| move || err(EvalErrorKind::Overflow(what));
    let date = |d: i64| -> EvalResult {
        if date_in_range(d) {
            Ok(Value::Date(d as i32))
        } else {
            Err(err(EvalErrorKind::DateOutOfRange))
        }
    };
    match (op, &a, &b) {
        (_, Value::Int(x), Value::Int(y)) => {
            let (x, y) = (*x, *y);
            let r = match op {
                ArithOp::Add => x.checked_add(y),
                ArithOp::Sub => x.checked_sub(y),
                ArithOp::Mul => x.checked_mul(y),
                ArithOp::Div => {
                    if y == 0 {
                        return Err(err(EvalErrorKind::DivisionByZero));
                    }
                    x.checked_div(y)
                }
            };
            r.map(Value::Int).ok_or_else(overflow("integer arithmetic"))
        }
        (ArithOp::Add, Value::Date(d), Value::Duration(n))
        | (ArithOp::Add, Value::Duration(n), Value::Date(d)) => date(
            i64::from(*d)
                .checked_add(*n)
                .ok_or_else(overflow("date arithmetic"))?,
        ),
        (ArithOp::Sub, Value::Date(d), Value::Duration(n)) => date(
            i64::from(*d)
                .checked_sub(*n)
                .ok_or_else(overflow("date arithmetic"))?,
        ),
        (ArithOp::Sub, Value::Date(x), Value::Date(y)) => {
            Ok(Value::Duration(i64::from(*x) - i64::from(*y)))
        }
        (_, Value::Duration(x), Value::Duration(y)) => {
            let r = if op == ArithOp::Add {
                x.checked_add(*y)
            } else {
                x.checked_sub(*y)
            };
            r.map(Value::Duration)
                .ok_or_else(overflow("duration arithmetic"))
        }
        (ArithOp::Mul, Value::Duration(x), Value::Int(y))
        | (ArithOp::Mul, Value::Int(y), Value::Duration(x)) => x
            .checked_mul(*y)
            .map(Value::Duration)
            .ok_or_else(overflow("duration arithmetic")),
        (ArithOp::Div, Value::Duration(x), Value::Int(y)) => {
            if *y == 0 {
                return Err(err(EvalErrorKind::DivisionByZero));
            }
            x.checked_div(*y)
                .map(Value::Duration)
                .ok_or_else(overflow("duration arithmetic"))
        }
        _ => {
            let (Some(x), Some(y)) = (to_decimal(&a), to_decimal(&b)) else {
                return Ok(Value::Absent);
            };
            use crate::decimal::{ArithError, Op};
            let op = match op {
                ArithOp::Add => Op::Add,
                ArithOp::Sub => Op::Sub,
                ArithOp::Mul => Op::Mul,
                ArithOp::Div => {
                    if y.is_zero() {
                        return Err(err(EvalErrorKind::DivisionByZero));
                    }
                    Op::Div
                }
            };
            match crate::decimal::arith(op, x, y) {
                Ok(r) => Ok(Value::Decimal(r)),
                Err(ArithError::Overflow) => Err(overflow("decimal arithmetic")()),
                Err(ArithError::Inexact) => Err(err(EvalErrorKind::Inexact)),
            }
        }
    }
}

/// `count`, `sum`, `min`, `max`, `distinct` over a list value.
pub fn aggregate(agg: Aggregate, v: &Value, span: &Span, ty: &crate::types::Type) -> EvalResult {
    aggregate_over(agg, list_items(v), span, ty)
}

/// An aggregate over any sequence of values: a list, or the field of every
/// item of a list (`sum(acts.severity)` never builds the list of severities).
pub fn aggregate_over<'v>(
    agg: Aggregate,
    items: impl Iterator<Item = &'v Value>,
    span: &Span,
    ty: &crate::types::Type,
) -> EvalResult {
    match agg {
        Aggregate::Count => Ok(Value::Int(items.count() as i64)),
        Aggregate::Sum => {
            let mut acc: Option<Value> = None;
            for x in items {
                acc = Some(match acc {
                    None => x.clone(),
                    Some(a) => arith(ArithOp::Add, a, x.clone(), span)?,
                });
            }
            Ok(acc.unwrap_or(match ty {
                crate::types::Type::Duration => Value::Duration(0),
                crate::types::Type::Decimal => Value::Decimal(Decimal::ZERO),
                _ => Value::Int(0),
            }))
        }
        Aggregate::Min | Aggregate::Max => {
            let mut best: Option<&Value> = None;
            // Absent items (a list of optional values) are skipped.
            for x in items.filter(|x| **x != Value::Absent) {
                best = match best {
                    None => Some(x),
                    Some(b) => {
                        let o = order(x, b).unwrap_or(Ordering::Equal);
                        let better = if agg == Aggregate::Min {
                            o == Ordering::Less
                        } else {
                            o == Ordering::Greater
                        };
                        Some(if better { x } else { b })
                    }
                };
            }
            Ok(best.cloned().unwrap_or(Value::Absent))
        }
        Aggregate::Distinct => Ok(Value::List(List::new(
            distinct(items).into_iter().cloned().collect(),
        ))),
    }
}

/// Up to this many distinct values, values are compared pairwise; past it,
/// hashed.
const LINEAR: usize = 16;

/// How many values [`distinct`] keeps, without listing them: the first
/// [`LINEAR`] are kept on the stack (`count(distinct(acts.victim))` runs once
/// per subject and allocates nothing unless there are many).
pub(super) fn distinct_count<'v>(items: impl Iterator<Item = &'v Value>) -> usize {
    let mut firsts: [Option<&Value>; LINEAR] = [None; LINEAR];
    let mut n = 0;
    let mut seen: FxHashSet<Key> = FxHashSet::default();
    // The same steps as `distinct`: pairwise while fewer than `LINEAR` are
    // kept, hashed after.
    for x in items {
        if n < LINEAR {
            let kept = firsts.get(..n).unwrap_or(&[]);
            if !kept.iter().flatten().any(|y| equal(x, y)) {
                if let Some(slot) = firsts.get_mut(n) {
                    *slot = Some(x);
                }
                n += 1;
            }
            continue;
        }
        if seen.is_empty() {
            seen.extend(firsts.iter().flatten().map(|y| Key::of(y)));
        }
        if seen.insert(Key::of(x)) {
            n += 1;
        }
    }
    n
}

/// The values without repeats, in first-seen order. Short sequences are
/// compared pairwise; long ones hashed.
fn distinct<'v>(items: impl Iterator<Item = &'v Value>) -> Vec<&'v Value> {
    let mut out: Vec<&Value> = Vec::new();
    let mut seen: FxHashSet<Key> = FxHashSet::default();
    for x in items {
        if out.len() < LINEAR {
            if !out.iter().any(|y| equal(x, y)) {
                out.push(x);
            }
            continue;
        }
        if seen.is_empty() {
            seen.extend(out.iter().map(|y| Key::of(y)));
        }
        if seen.insert(Key::of(x)) {
            out.push(x);
        }
    }
    out
}

/// The field `i` of every record in `items`.
pub(super) fn fields_of(items: ListIter<'_>, i: usize) -> impl Iterator<Item = &Value> {
    items.filter_map(move |r| match r {
        Value::Record(f) => f.get(i),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `count(distinct(…))` counts what `distinct` keeps, on either side of
    /// the switch from pairwise comparison to hashing, with ints and
    /// decimals that compare equal.
    #[test]
    fn distinct_count_counts_what_distinct_keeps() {
        for n in [0usize, 1, 5, 15, 16, 17, 40] {
            let mut values = Vec::new();
            for i in 0..n {
                let i = i64::try_from(i).unwrap_or(0);
                values.push(Value::Int(i % 20));
                values.push(Value::Decimal(Decimal::from(i % 7)));
                values.push(Value::Str(std::sync::Arc::from(format!("v{}", i % 11))));
            }
            assert_eq!(
                distinct_count(values.iter()),
                distinct(values.iter()).len(),
                "{n}"
            );
        }
    }
}
