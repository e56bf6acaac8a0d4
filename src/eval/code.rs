//! Checked expressions compiled once for the run: what decides outcomes.
//!
//! The interpreter ([`super::expr`]) walks the checked tree and binds each
//! loop's item in a mutable slot; it is what traces use, because a trace
//! needs every part's value. A run needs only each definition's value and
//! each condition's outcome, so the program's definitions, `warn` lists and
//! conditions are compiled once ([`Compiled::of`]) into [`Code`]:
//!
//! - its forms are the interpreter's, plus the shapes it special-cases
//!   looked up once instead of on every evaluation (an item's field,
//!   `count(l where c)`, `sum(l.f)`, `count(distinct(l.f))`, a chain of
//!   `and`s or `or`s as one list of parts);
//! - evaluating it reads the environment without changing it: a loop's item
//!   is a reference on the stack ([`Ctx`]), so a loop neither shares its
//!   list (an atomic reference count) nor writes a slot per item;
//! - a value stored somewhere (a fact, a definition, an item's field) is
//!   borrowed, never copied.
//!
//! Both evaluators share every operation on values (`compare`, `arith`,
//! `aggregate`…), and they must agree on every result and every error: a
//! unit test runs every policy and facts file of the repository both ways.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::error::{EvalError, EvalErrorKind, surface};
use super::expr::{
    Env, EvalResult, aggregate, aggregate_over, arith, compare, distinct_count, equal, field,
    fields_of, list_items, neg, too_long, truthy,
};
use crate::ast::Quantifier;
use crate::internal::Internal;
use crate::program::{Aggregate, ArithOp, CmpOp, Expr, ExprKind, Program, SlotId};
use crate::source::Span;
use crate::types::Type;
use crate::value::{List, Positions, Value};

/// How deeply an expression may nest and still be compiled. Compiled code
/// recurses on the thread's stack without checking its headroom; a deeper
/// expression (the parser allows 200 levels) is left to the interpreter,
/// which moves to a fresh stack segment when it must.
const MAX_DEPTH: usize = 64;

/// A value: borrowed where it is stored, owned when it is computed.
type Val<'e> = Result<Cow<'e, Value>, EvalError>;

/// A run-time error, boxed: conditions are tested once per item, and a
/// result of two words comes back in registers, where a larger one is
/// written to memory by the callee and read back by the caller, often
/// before the write has landed (a store-forwarding stall).
#[derive(Debug)]
pub(super) struct Fail(Box<EvalError>);

impl From<EvalError> for Fail {
    #[cold]
    fn from(e: EvalError) -> Self {
        Fail(Box::new(e))
    }
}

impl From<Fail> for EvalError {
    #[cold]
    fn from(f: Fail) -> Self {
        *f.0
    }
}

impl Fail {
    /// The failure as a run records it, or the internal error it reveals
    /// (see [`surface`]).
    #[cold]
    pub(super) fn surface<T>(self) -> Result<Result<T, EvalError>, Internal> {
        surface(Err(EvalError::from(self)))
    }
}

/// Whether a condition holds, or why it could not be told.
pub(super) type Outcome = Result<bool, Fail>;

/// The program's definitions, `warn` lists and conditions, compiled.
#[derive(Debug)]
pub(crate) struct Compiled {
    /// Each global definition's value, in [`Program::lets`] order (`None`:
    /// too deep, interpreted).
    pub(super) lets: Vec<Option<Code>>,
    /// Each `warn` declaration's list.
    pub(super) warns: Vec<Option<Code>>,
    /// Each rules block's definitions and conditions.
    pub(super) blocks: Vec<BlockCode>,
}

/// A rules block's definitions and rule conditions, compiled.
#[derive(Debug)]
pub(crate) struct BlockCode {
    /// Each definition's value, in [`crate::program::Block::lets`] order.
    pub(super) lets: Vec<Option<Code>>,
    /// Each rule's condition, in declaration order.
    pub(super) rules: Vec<Condition>,
}

/// A rule's condition, compiled.
#[derive(Debug)]
pub(crate) enum Condition {
    /// No `when`: the rule always fires.
    Always,
    /// The condition's code.
    Code(Code),
    /// Too deep to compile: interpreted.
    Interpreted,
}

impl Compiled {
    /// The compiled form of `program`, built on first use and kept with it
    /// (checking a policy, which an editor does on every keystroke, never
    /// pays for it).
    pub(crate) fn of(program: &Program) -> &Compiled {
        program.compiled.get_or_init(|| Compiled::new(program))
    }

    fn new(program: &Program) -> Compiled {
        Compiled {
            lets: program.lets.iter().map(|d| compile(&d.value)).collect(),
            warns: program.warns.iter().map(|w| compile(&w.items)).collect(),
            blocks: program
                .blocks
                .iter()
                .map(|b| BlockCode {
                    lets: b.lets.iter().map(|d| compile(&d.value)).collect(),
                    rules: b
                        .rules
                        .iter()
                        .map(|r| match &r.when {
                            None => Condition::Always,
                            Some(w) => compile(w).map_or(Condition::Interpreted, Condition::Code),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The program's compiled code; `None` to interpret everything instead
/// (the unit test that holds the two evaluators to one another).
pub(super) fn code_of(program: &Program) -> Option<&Compiled> {
    #[cfg(test)]
    if INTERPRET.with(std::cell::Cell::get) {
        return None;
    }
    Some(Compiled::of(program))
}

#[cfg(test)]
thread_local! {
    /// Whether runs on this thread interpret every expression.
    pub(super) static INTERPRET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

impl Compiled {
    /// The code of global definition `i`, when it was compiled.
    pub(super) fn global_let(&self, i: usize) -> Option<&Code> {
        self.lets.get(i)?.as_ref()
    }

    /// The code of `warn` declaration `i`'s list, when it was compiled.
    pub(super) fn warn(&self, i: usize) -> Option<&Code> {
        self.warns.get(i)?.as_ref()
    }
}

impl BlockCode {
    /// The code of the block's definition `i`, when it was compiled.
    pub(super) fn block_let(&self, i: usize) -> Option<&Code> {
        self.lets.get(i)?.as_ref()
    }
}

/// Where [`Compiled`] is kept in a [`Program`]: empty until its first run.
pub(crate) type CompiledCell = OnceLock<Compiled>;

/// One compiled expression: what it does, and where it was written (for
/// its errors, which name it as the interpreter's do).
#[derive(Debug)]
pub(crate) struct Code {
    op: Op,
    span: Span,
}

/// What a piece of code does. The forms mirror [`ExprKind`]'s; those below
/// `Days` are shapes the interpreter special-cases, resolved at compile time.
#[derive(Debug)]
enum Op {
    Const(Value),
    Fact(usize),
    Let(usize),
    BlockLet(usize),
    Local(SlotId),
    Field(Box<Code>, usize),
    MapField(Box<Code>, usize),
    List(Vec<Code>),
    Not(Box<Code>),
    Neg(Box<Code>),
    /// `a and b and …`, parts left to right.
    All(Vec<Code>),
    /// `a or b or …`, parts left to right.
    AnyOf(Vec<Code>),
    Cmp(CmpOp, Box<Code>, Box<Code>),
    In(Box<Code>, Box<Code>, bool),
    Arith(ArithOp, Box<Code>, Box<Code>),
    IsPresent(Box<Code>, bool),
    Otherwise(Box<Code>, Box<Code>),
    Filter(Box<Code>, Box<Code>, SlotId),
    Quantified(Quantifier, Box<Code>, Box<Code>, SlotId),
    Aggregate(Aggregate, Box<Code>, Type),
    Days(Box<Code>),
    /// A field of a local (`attribution`, the item's): no record copied.
    LocalField(SlotId, usize),
    /// `count(list where cond)`: counted without building the list.
    CountWhere(Box<Code>, Box<Code>, SlotId),
    /// `sum(list.f)`, `min(list.f)`…: no list of fields built.
    OverField(Aggregate, Box<Code>, usize, Type),
    /// `count(distinct(list.f))`: nothing listed.
    CountDistinctField(Box<Code>, usize),
    /// `count(distinct(e))`.
    CountDistinct(Box<Code>),
}

/// Compiles `e`; `None` when it nests too deeply ([`MAX_DEPTH`]).
pub(super) fn compile(e: &Expr) -> Option<Code> {
    compile_at(e, 0)
}

fn compile_at(e: &Expr, depth: usize) -> Option<Code> {
    if depth > MAX_DEPTH {
        return None;
    }
    let sub = |x: &Expr| compile_at(x, depth + 1).map(Box::new);
    let op = match &e.kind {
        ExprKind::Const(v) => Op::Const(v.clone()),
        ExprKind::Fact(i) => Op::Fact(i.index()),
        ExprKind::Let(i) => Op::Let(i.index()),
        ExprKind::BlockLet(i) => Op::BlockLet(i.index()),
        ExprKind::Local(s) => Op::Local(*s),
        ExprKind::Field(base, f) => match &base.kind {
            ExprKind::Local(s) => Op::LocalField(*s, f.index()),
            _ => Op::Field(sub(base)?, f.index()),
        },
        ExprKind::MapField(base, f) => Op::MapField(sub(base)?, f.index()),
        ExprKind::List(xs) => Op::List(
            xs.iter()
                .map(|x| compile_at(x, depth + 1))
                .collect::<Option<_>>()?,
        ),
        ExprKind::Not(x) => Op::Not(sub(x)?),
        ExprKind::Neg(x) => Op::Neg(sub(x)?),
        ExprKind::And(..) => Op::All(chain(e, true, depth)?),
        ExprKind::Or(..) => Op::AnyOf(chain(e, false, depth)?),
        ExprKind::Cmp(op, a, b) => Op::Cmp(*op, sub(a)?, sub(b)?),
        ExprKind::In(a, b, negated) => Op::In(sub(a)?, sub(b)?, *negated),
        ExprKind::Arith(op, a, b) => Op::Arith(*op, sub(a)?, sub(b)?),
        ExprKind::IsPresent(x, present) => Op::IsPresent(sub(x)?, *present),
        ExprKind::Otherwise(a, b) => Op::Otherwise(sub(a)?, sub(b)?),
        ExprKind::Filter(list, cond, slot) => Op::Filter(sub(list)?, sub(cond)?, *slot),
        ExprKind::Quantified(q, list, cond, slot) => {
            Op::Quantified(*q, sub(list)?, sub(cond)?, *slot)
        }
        ExprKind::Days(x) => Op::Days(sub(x)?),
        ExprKind::Aggregate(agg, x) => match (agg, &x.kind) {
            (Aggregate::Count, ExprKind::Filter(list, cond, slot)) => {
                Op::CountWhere(sub(list)?, sub(cond)?, *slot)
            }
            (Aggregate::Distinct, _) => Op::Aggregate(*agg, sub(x)?, e.ty.clone()),
            (_, ExprKind::MapField(list, f)) => {
                Op::OverField(*agg, sub(list)?, f.index(), e.ty.clone())
            }
            (Aggregate::Count, ExprKind::Aggregate(Aggregate::Distinct, inner)) => {
                match &inner.kind {
                    ExprKind::MapField(list, f) => Op::CountDistinctField(sub(list)?, f.index()),
                    _ => Op::CountDistinct(sub(inner)?),
                }
            }
            _ => Op::Aggregate(*agg, sub(x)?, e.ty.clone()),
        },
    };
    Some(Code {
        op,
        span: e.span.clone(),
    })
}

/// The parts of a chain `p and q and r` (`all` true) or `p or q or r`,
/// left to right, whichever way it nests.
fn chain(e: &Expr, all: bool, depth: usize) -> Option<Vec<Code>> {
    let mut parts = Vec::new();
    let mut todo = vec![e];
    while let Some(x) = todo.pop() {
        match (&x.kind, all) {
            (ExprKind::And(a, b), true) | (ExprKind::Or(a, b), false) => {
                todo.push(b);
                todo.push(a);
            }
            _ => parts.push(compile_at(x, depth + 1)?),
        }
    }
    Some(parts)
}

/// What compiled code reads: the environment (facts, definitions, the
/// subject and its items), and the items of the loops it is inside.
#[derive(Clone, Copy)]
pub(super) struct Ctx<'e> {
    env: &'e Env<'e>,
    items: Option<&'e Item<'e>>,
}

/// The item of a loop, and the loops around it.
struct Item<'e> {
    slot: SlotId,
    value: &'e Value,
    outer: Option<&'e Item<'e>>,
}

impl<'e> Ctx<'e> {
    /// Outside any loop.
    pub(super) fn new(env: &'e Env<'e>) -> Self {
        Ctx { env, items: None }
    }

    /// The value in local `slot`: the innermost loop's item that binds it,
    /// or the environment's (the subject, its items).
    #[inline]
    fn local(self, slot: SlotId) -> Option<&'e Value> {
        let mut at = self.items;
        while let Some(item) = at {
            if item.slot == slot {
                return Some(item.value);
            }
            at = item.outer;
        }
        self.env.local(slot)
    }
}

/// A lookup the checker guaranteed failed: a bug, reported at `c`.
fn missing(c: &Code, what: &'static str) -> EvalError {
    EvalError::new(EvalErrorKind::Internal(what), &c.span)
}

/// The items of a list value (none for anything else), as a list.
fn as_list(v: &Value) -> Option<&List> {
    match v {
        Value::List(l) => Some(l),
        _ => None,
    }
}

impl Code {
    /// The value of this code, borrowed where it is stored.
    #[inline]
    pub(super) fn value<'e>(&'e self, cx: Ctx<'e>) -> Val<'e> {
        match self.peek(cx) {
            Some(v) => Ok(Cow::Borrowed(v)),
            None => self.compute(cx),
        }
    }

    /// The value of a definition: a narrowed list (most subject
    /// definitions) is built without passing through a borrowed value.
    pub(super) fn define<'e>(&'e self, cx: Ctx<'e>) -> Result<Value, Fail> {
        match self.narrowed(cx) {
            Some(list) => Ok(Value::List(list?)),
            None => Ok(self.value(cx)?.into_owned()),
        }
    }

    /// The list this code narrows to when it is a `where` (most subject
    /// definitions), `None` when it is not: two words, returned in
    /// registers, which the caller stores where the value is kept.
    #[inline]
    pub(super) fn narrowed<'e>(&'e self, cx: Ctx<'e>) -> Option<Result<List, Fail>> {
        match &self.op {
            Op::Filter(list, cond, slot) => Some(filter(self, list, cond, *slot, cx)),
            _ => None,
        }
    }

    /// Whether this code is an aggregate (`count`, `sum`, `min`, `max`,
    /// `distinct` in any of their forms), computed by [`with_aggregate`].
    fn is_aggregate(&self) -> bool {
        matches!(
            self.op,
            Op::CountWhere(..)
                | Op::OverField(..)
                | Op::CountDistinctField(..)
                | Op::CountDistinct(_)
                | Op::Aggregate(..)
        )
    }

    /// The value of this code when it is stored somewhere (a constant, a
    /// fact, a definition, a local or a local's field): the common operands,
    /// read without a call, a copy or a result to unwrap. `None` when it
    /// must be computed, or cannot be read (an error: [`Code::compute`]
    /// reports it).
    #[inline(always)]
    fn peek<'e>(&'e self, cx: Ctx<'e>) -> Option<&'e Value> {
        match &self.op {
            Op::Const(v) => Some(v),
            Op::Fact(i) => cx.env.fact(*i),
            Op::Let(i) => cx.env.global_let(*i)?.as_ref().ok(),
            Op::BlockLet(i) => cx.env.block_let(*i)?.as_ref().ok(),
            Op::Local(s) => cx.local(*s),
            Op::LocalField(s, f) => match cx.local(*s)? {
                Value::Record(fields) => fields.get(*f),
                _ => None,
            },
            _ => None,
        }
    }

    /// The value of this code, computed ([`Code::peek`] found it stored
    /// nowhere).
    #[inline(never)]
    fn compute<'e>(&'e self, cx: Ctx<'e>) -> Val<'e> {
        let owned = |v| Ok(Cow::Owned(v));
        match &self.op {
            Op::Const(v) => Ok(Cow::Borrowed(v)),
            Op::Fact(i) => cx
                .env
                .fact(*i)
                .map(Cow::Borrowed)
                .ok_or_else(|| missing(self, "a fact id has no value")),
            Op::Let(i) => stored(self, cx.env.global_let(*i)),
            Op::BlockLet(i) => stored(self, cx.env.block_let(*i)),
            Op::Local(s) => cx
                .local(*s)
                .map(Cow::Borrowed)
                .ok_or_else(|| missing(self, "a local slot is read before it is bound")),
            Op::LocalField(s, f) => {
                let record = cx
                    .local(*s)
                    .ok_or_else(|| missing(self, "a local slot is read before it is bound"))?;
                field_of(self, record, *f)
            }
            Op::Field(base, f) => match base.value(cx)? {
                Cow::Borrowed(record) => field_of(self, record, *f),
                Cow::Owned(record) => field_of(self, &record, *f).map(|v| owned(v.into_owned()))?,
            },
            Op::MapField(base, f) => {
                let list = base.value(cx)?;
                let items = list_items(&list)
                    .map(|r| field(r, *f, &self.span))
                    .collect::<Result<Vec<Value>, _>>()?;
                owned(Value::List(items.into()))
            }
            Op::List(xs) => {
                let vals = xs
                    .iter()
                    .map(|x| x.value(cx).map(Cow::into_owned))
                    .collect::<Result<Vec<_>, _>>()?;
                owned(Value::List(vals.into()))
            }
            Op::Not(_) | Op::All(_) | Op::AnyOf(_) | Op::Cmp(..) | Op::Quantified(..) => {
                owned(Value::Bool(self.holds(cx)?))
            }
            Op::Neg(x) => owned(neg(x.value(cx)?.into_owned(), &self.span)?),
            Op::In(a, b, negated) => {
                let x = a.value(cx)?;
                let list = b.value(cx)?;
                let found = list_items(&list).any(|y| equal(&x, y));
                owned(Value::Bool(found != *negated))
            }
            Op::Arith(op, a, b) => {
                let x = a.value(cx)?.into_owned();
                let y = b.value(cx)?.into_owned();
                owned(arith(*op, x, y, &self.span)?)
            }
            Op::IsPresent(x, present) => {
                owned(Value::Bool((*x.value(cx)? != Value::Absent) == *present))
            }
            Op::Otherwise(a, b) => match a.value(cx)? {
                v if *v == Value::Absent => b.value(cx),
                v => Ok(v),
            },
            Op::Filter(list, cond, slot) => {
                owned(Value::List(filter(self, list, cond, *slot, cx)?))
            }
            Op::CountWhere(..)
            | Op::OverField(..)
            | Op::CountDistinctField(..)
            | Op::CountDistinct(_)
            | Op::Aggregate(..) => Ok(with_aggregate(self, cx, |v| Ok(Cow::Owned(v.clone())))?),
            Op::Days(x) => match x.value(cx)? {
                v if matches!(*v, Value::Duration(_)) => match v.into_owned() {
                    Value::Duration(d) => owned(Value::Int(d)),
                    other => owned(other),
                },
                v => Ok(v),
            },
        }
    }

    /// Whether this code, as a condition, holds: a leaf condition on stored
    /// values (`attribution == high`, `victim_is_ally`) is tested inline,
    /// anything else in [`Code::holds`]. Most conditions tested are leaves
    /// tested once per item, and a call per item would cost more than the
    /// test.
    #[inline(always)]
    pub(super) fn test<'e>(&'e self, cx: Ctx<'e>) -> Outcome {
        match &self.op {
            Op::Cmp(op, a, b) => {
                if let (Some(x), Some(y)) = (a.peek(cx), b.peek(cx)) {
                    return Ok(compare(*op, x, y));
                }
            }
            // Straight to the loop: one call, not two.
            Op::All(parts) => return all(parts, cx),
            Op::AnyOf(parts) => return any_of(parts, cx),
            Op::Not(_) | Op::Quantified(..) => {}
            _ => {
                if let Some(v) = self.peek(cx) {
                    return Ok(truthy(v));
                }
            }
        }
        self.holds(cx)
    }

    /// Whether this code, as a condition, holds. Each form that loops is
    /// out of line, so that this stays a small function, cheap to call.
    #[inline(never)]
    pub(super) fn holds<'e>(&'e self, cx: Ctx<'e>) -> Outcome {
        match &self.op {
            Op::Cmp(op, a, b) => match (a.peek(cx), b.peek(cx)) {
                (Some(x), Some(y)) => Ok(compare(*op, x, y)),
                _ => self.compare_computed(*op, a, b, cx),
            },
            Op::All(parts) => all(parts, cx),
            Op::AnyOf(parts) => any_of(parts, cx),
            Op::Not(x) => Ok(!x.test(cx)?),
            Op::Quantified(q, list, cond, slot) => quantified(*q, list, cond, *slot, cx),
            _ => match self.peek(cx) {
                Some(v) => Ok(truthy(v)),
                None => Ok(truthy(&*self.compute(cx)?)),
            },
        }
    }

    /// A comparison where one side at least is computed
    /// (`count(high_acts) >= 2`), out of line: most comparisons read stored values.
    #[inline(never)]
    fn compare_computed<'e>(&'e self, op: CmpOp, a: &'e Code, b: &'e Code, cx: Ctx<'e>) -> Outcome {
        with_operand(a, cx, |x| with_operand(b, cx, |y| Ok(compare(op, x, y))))
    }
}

impl<'e> Ctx<'e> {
    /// This context inside a loop whose item, in `slot`, is `value`: the
    /// item lives on the caller's stack while `f` runs.
    #[inline(always)]
    fn inside<R>(self, slot: SlotId, value: &Value, f: impl FnOnce(Ctx<'_>) -> R) -> R {
        let item = Item {
            slot,
            value,
            outer: self.items,
        };
        f(Ctx {
            env: self.env,
            items: Some(&item),
        })
    }
}

/// `list where cond` (the item in `slot`), the code `c`: the positions kept
/// (the items are never copied). A filter that keeps everything returns its
/// input, one that keeps nothing the shared empty list (`List::pick`).
#[inline(never)]
fn filter<'e>(
    c: &Code,
    list: &'e Code,
    cond: &'e Code,
    slot: SlotId,
    cx: Ctx<'e>,
) -> Result<List, Fail> {
    with_value(list, cx, |list| {
        let Some(l) = as_list(list) else {
            return Ok(List::empty());
        };
        let mut kept = Positions::new();
        let n = l.len();
        for (i, item) in l.iter().enumerate() {
            if cx.inside(slot, item, |cx| cond.test(cx))? {
                if kept.is_empty() {
                    kept.reserve(n - i);
                }
                kept.push(List::position(i).ok_or_else(|| too_long(&c.span))?);
            }
        }
        Ok(l.pick(kept))
    })
}

/// `count(list where cond)` (the item in `slot`), without building the list.
#[inline(never)]
fn count_where<'e>(list: &'e Code, cond: &'e Code, slot: SlotId, cx: Ctx<'e>) -> Result<i64, Fail> {
    with_value(list, cx, |list| {
        let mut n: i64 = 0;
        for item in list_items(list) {
            if cx.inside(slot, item, |cx| cond.test(cx))? {
                n += 1;
            }
        }
        Ok(n)
    })
}

/// `f` of the value of `c`: read where it is stored when it is (the usual
/// case: a subject's items, a definition), so that no result is returned
/// through memory and read back.
#[inline(always)]
fn with_value<'e, R>(
    c: &'e Code,
    cx: Ctx<'e>,
    f: impl FnOnce(&Value) -> Result<R, Fail>,
) -> Result<R, Fail> {
    match c.peek(cx) {
        Some(v) => f(v),
        None => f(&*c.compute(cx)?),
    }
}

/// [`with_value`] for a side of a comparison: an aggregate
/// (`count(high_acts) >= 2`, `sum(allied_high.severity) >= 15`) is computed
/// here, where its value is read, rather than returned from
/// [`Code::compute`] through memory and read back at once.
#[inline(always)]
fn with_operand<'e, R>(
    c: &'e Code,
    cx: Ctx<'e>,
    f: impl FnOnce(&Value) -> Result<R, Fail>,
) -> Result<R, Fail> {
    if c.is_aggregate() {
        with_aggregate(c, cx, f)
    } else {
        with_value(c, cx, f)
    }
}

/// `f` of the value of aggregate `c` ([`Code::is_aggregate`]): the one
/// place that computes each aggregate form, for a comparison
/// ([`with_operand`]) as for a value ([`Code::compute`]).
#[inline(always)]
fn with_aggregate<'e, R>(
    c: &'e Code,
    cx: Ctx<'e>,
    f: impl FnOnce(&Value) -> Result<R, Fail>,
) -> Result<R, Fail> {
    let int = |n: usize| Value::Int(n as i64);
    match &c.op {
        Op::Aggregate(Aggregate::Count, x, _) => {
            with_value(x, cx, |l| f(&int(list_items(l).len())))
        }
        Op::Aggregate(agg, x, ty) => with_value(x, cx, |l| f(&aggregate(*agg, l, &c.span, ty)?)),
        Op::OverField(agg, list, field, ty) => with_value(list, cx, |l| {
            f(&aggregate_over(
                *agg,
                fields_of(list_items(l), *field),
                &c.span,
                ty,
            )?)
        }),
        Op::CountDistinctField(list, field) => with_value(list, cx, |l| {
            f(&int(distinct_count(fields_of(list_items(l), *field))))
        }),
        Op::CountDistinct(x) => with_value(x, cx, |l| f(&int(distinct_count(list_items(l))))),
        Op::CountWhere(list, cond, slot) => f(&Value::Int(count_where(list, cond, *slot, cx)?)),
        _ => Err(Fail::from(missing(c, "an aggregate that is not one"))),
    }
}

/// Whether every part holds, tested left to right until one does not.
#[inline(never)]
fn all<'e>(parts: &'e [Code], cx: Ctx<'e>) -> Outcome {
    for p in parts {
        if !p.test(cx)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether any part holds, tested left to right until one does.
#[inline(never)]
fn any_of<'e>(parts: &'e [Code], cx: Ctx<'e>) -> Outcome {
    for p in parts {
        if p.test(cx)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether `any`/`all`/`no` item of `list` satisfies `cond` (the item in
/// `slot`), stopping at the first item that settles it.
#[inline(never)]
fn quantified<'e>(
    q: Quantifier,
    list: &'e Code,
    cond: &'e Code,
    slot: SlotId,
    cx: Ctx<'e>,
) -> Outcome {
    with_value(list, cx, |list| {
        for item in list_items(list) {
            let holds = cx.inside(slot, item, |cx| cond.test(cx))?;
            match (q, holds) {
                (Quantifier::Any, true) => return Ok(true),
                (Quantifier::All, false) | (Quantifier::No, true) => return Ok(false),
                _ => {}
            }
        }
        Ok(!matches!(q, Quantifier::Any))
    })
}

/// Field `f` of `record` (an absent record has absent fields).
#[inline]
fn field_of<'e>(c: &Code, record: &'e Value, f: usize) -> Val<'e> {
    match record {
        Value::Record(fields) => fields
            .get(f)
            .map(Cow::Borrowed)
            .ok_or_else(|| missing(c, "a record value lacks a declared field")),
        Value::Absent => Ok(Cow::Owned(Value::Absent)),
        _ => Err(missing(
            c,
            "a field is read from a value that is not a record",
        )),
    }
}

/// A definition's value, or its error.
fn stored<'e>(c: &Code, v: Option<&'e EvalResult>) -> Val<'e> {
    match v {
        Some(Ok(v)) => Ok(Cow::Borrowed(v)),
        Some(Err(e)) => Err(e.clone()),
        None => Err(missing(c, "a definition is read before it is evaluated")),
    }
}
