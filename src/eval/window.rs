//! Windows through time: the global definitions a replay evaluates on every
//! day, decided item by item once instead of once a day.
//!
//! A replay evaluates the same program with only `now` changed, and the
//! definitions that read `now` are mostly date windows over a list that
//! does not change: `incidents where date > now - 365d and date <= now`,
//! then `window where victim_is_ally`. Evaluated by the interpreter, each
//! day walks every item through every part of the condition. Here the
//! parts that do not read `now` are decided once per item, when the replay
//! starts; each day then evaluates the moving expressions (`now - 365d`)
//! once and compares every item's field with them directly.
//!
//! The result is the interpreter's, value for value: a definition is
//! planned only when every part that does not read `now` evaluates without
//! error on every item (so `and`'s short circuit cannot hide or reveal an
//! error), a comparison cannot fail, and a day on which a moving expression
//! fails is left to the interpreter.

use std::sync::Arc;

use super::error::{EvalError, EvalErrorKind, surface};
use super::explain::flatten;
use super::expr::{Env, EvalResult, compare};
use super::run::{Globals, WarnList};
use super::{Group, global_lets};
use crate::facts::Facts;
use crate::ids::FactId;
use crate::internal::Internal;
use crate::program::{Block, CmpOp, Expr, ExprKind, FieldId, Program, SlotId, local};
use crate::value::{Key, List, Positions, Value};
use rustc_hash::FxHashMap;

/// The windows of a program over one set of facts (all but `now`): built
/// once per replay, then [`Windows::globals`] evaluates each day's global
/// definitions and `warn` lists.
pub(crate) struct Windows<'p> {
    program: &'p Program,
    /// For each global definition: its plan, when it has one.
    lets: Vec<Option<Window<'p>>>,
    /// For each `warn` declaration: the plan of its list, when it has one.
    warns: Vec<Option<Window<'p>>>,
    /// The global definitions that do not read `now`, evaluated once.
    fixed: Vec<Option<EvalResult>>,
    /// For each rules block: how its planned list is grouped, when it is.
    groupings: Vec<Option<Grouping>>,
    /// For each global definition: whether anything the interpreter
    /// evaluates during a run reads it. A planned definition that nothing
    /// reads (a window only grouped, or only filtered by another window) is
    /// kept as positions and never listed, unless a day falls back.
    read: Vec<bool>,
}

/// A rules block grouping a planned definition by a key that reads only
/// the item: each item's key is evaluated once, and each day's groups are
/// formed from the items the window kept, in list order, as `groups` forms
/// them (items whose key is absent belong to no group).
struct Grouping {
    /// The definition grouped.
    source: usize,
    /// The block's definitions planned over the items' masks.
    plans: Arc<SubjectPlans>,
    /// For each root item, its key's position in `keys` (`None`: absent).
    key_of: Vec<Option<u32>>,
    /// The distinct keys, in root order.
    keys: Vec<Value>,
}

/// A `where` over a list that does not move with `now`.
struct Window<'p> {
    /// What is filtered: the root list itself, or the items another planned
    /// definition kept (a window within a window).
    base: Base,
    /// The list every index refers to.
    root: List,
    /// For each item of `root`: whether every part of the condition that
    /// does not read `now` holds.
    fixed: Vec<bool>,
    /// The parts that compare an item's field with a moving expression.
    moving: Vec<Moving<'p>>,
}

#[derive(Clone, Copy)]
enum Base {
    Root,
    Let(usize),
}

/// `item.field op other` (or `other op item.field`), `other` reading no item.
struct Moving<'p> {
    op: CmpOp,
    field: FieldId,
    other: &'p Expr,
    item_first: bool,
    /// Each root item's field, when every one is a date: compared as
    /// numbers with a date `other`, as `compare` would.
    dates: Option<Vec<i32>>,
}

/// The items of `root` at positions `at` (ascending), as a list value: the
/// list itself when every item is kept, a shared empty list when none is.
fn items_at(root: &List, at: &[u32]) -> Result<Value, Internal> {
    // Ascending: the last position is the largest.
    if at.last().is_some_and(|&i| i as usize >= root.len()) {
        return Err(Internal::new("a window item outside its list"));
    }
    Ok(Value::List(root.pick(Positions::from_slice(at))))
}

/// The positions whose flag is set, in order. Written without a branch per
/// position: whether a window keeps an item is as good as random, and a
/// mispredicted branch costs more than the write.
fn keep_where(flags: impl ExactSizeIterator<Item = (u32, bool)>) -> Vec<u32> {
    let mut out = vec![0u32; flags.len()];
    let mut n = 0;
    for (at, keep) in flags {
        if let Some(slot) = out.get_mut(n) {
            *slot = at;
        }
        n += usize::from(keep);
    }
    out.truncate(n);
    out
}

/// A bound of a range of dates, as a date (dates are `i32` days).
fn clamp(x: i64) -> i32 {
    x.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

/// The dates `x` for which `x op d` holds (`d op x` unless `item_first`),
/// as an inclusive range; `None` for `!=`, which is two.
fn date_range(op: CmpOp, item_first: bool, d: i64) -> Option<(i64, i64)> {
    let (min, max) = (i64::MIN, i64::MAX);
    // `d op x` is `x op' d` with the order reversed.
    let op = match (op, item_first) {
        (op, true) | (op @ (CmpOp::Eq | CmpOp::Ne), false) => op,
        (CmpOp::Lt, false) => CmpOp::Gt,
        (CmpOp::Le, false) => CmpOp::Ge,
        (CmpOp::Gt, false) => CmpOp::Lt,
        (CmpOp::Ge, false) => CmpOp::Le,
    };
    Some(match op {
        CmpOp::Eq => (d, d),
        CmpOp::Ne => return None,
        CmpOp::Lt => (min, d - 1),
        CmpOp::Le => (min, d),
        CmpOp::Gt => (d + 1, max),
        CmpOp::Ge => (d, max),
    })
}

impl<'p> Windows<'p> {
    /// Plans `program`'s global definitions and `warn` lists over `facts`,
    /// in which only fact `now` will change.
    pub(crate) fn new(program: &'p Program, facts: &Facts, now: FactId) -> Result<Self, Internal> {
        let moves = moves_with_now(program, now);
        // Parts that do not read `now` read only definitions that do not
        // either: their values today are their values every day.
        let lets = global_lets(program, facts)?;
        let fixed = lets
            .iter()
            .zip(&moves)
            .map(|(v, m)| (!m).then(|| v.clone()))
            .collect();
        let mut plans: Vec<Option<Window<'p>>> = Vec::with_capacity(program.lets.len());
        for def in &program.lets {
            let plan = plan(&def.value, facts, &lets, (now, &moves), &plans)?;
            plans.push(plan);
        }
        let mut warns = Vec::with_capacity(program.warns.len());
        for w in &program.warns {
            warns.push(plan(&w.items, facts, &lets, (now, &moves), &plans)?);
        }
        let mut groupings = Vec::with_capacity(program.blocks.len());
        for block in &program.blocks {
            groupings.push(grouping(block, facts, &lets, (now, &moves), &plans)?);
        }
        let read = read_by_runs(program, &plans, &warns, &groupings);
        Ok(Windows {
            program,
            lets: plans,
            warns,
            fixed,
            groupings,
            read,
        })
    }

    /// The global definitions and `warn` lists over `facts` (the facts the
    /// windows were planned over, `now` changed): equal to what the
    /// interpreter gives.
    pub(crate) fn globals(&self, facts: &Facts) -> Result<Globals, Internal> {
        let mut lets: Vec<EvalResult> = Vec::with_capacity(self.program.lets.len());
        let mut kept: Vec<Option<Vec<u32>>> = Vec::with_capacity(self.program.lets.len());
        for (i, def) in self.program.lets.iter().enumerate() {
            if let Some(Some(v)) = self.fixed.get(i) {
                lets.push(v.clone());
                kept.push(None);
                continue;
            }
            let day = match self.lets.get(i) {
                Some(Some(w)) => w.day(facts, &lets, &kept)?,
                _ => None,
            };
            match (day, self.lets.get(i)) {
                (Some(at), Some(Some(w))) => {
                    // Only a definition that something reads is listed;
                    // the others are known by their positions.
                    lets.push(if self.read.get(i).copied().unwrap_or(true) {
                        Ok(items_at(&w.root, &at)?)
                    } else {
                        Err(unlisted(def))
                    });
                    kept.push(Some(at));
                }
                _ => {
                    // The interpreter reads definitions as lists.
                    self.list(&mut lets, &kept)?;
                    lets.push(surface(Env::new(facts, &lets).eval(&def.value))?);
                    kept.push(None);
                }
            }
        }
        let mut warns = Vec::with_capacity(self.warns.len());
        for w in &self.warns {
            let list = match w {
                Some(w) => w.day(facts, &lets, &kept)?.map(|indices| WarnList::Kept {
                    root: w.root.clone(),
                    indices,
                }),
                None => None,
            };
            if list.is_none() {
                self.list(&mut lets, &kept)?; // Evaluated by the run.
            }
            warns.push(list);
        }
        let mut groups = Vec::with_capacity(self.groupings.len());
        for g in &self.groupings {
            let formed = match g {
                Some(g) => g.day(&self.lets, &kept)?,
                None => None,
            };
            if formed.is_none() {
                self.list(&mut lets, &kept)?; // Grouped by the run.
            }
            groups.push(formed);
        }
        Ok(Globals::new(lets, warns, groups))
    }
}

impl Grouping {
    /// The day's groups, or `None` when its window was left to the
    /// interpreter that day.
    fn day(
        &self,
        plans: &[Option<Window<'_>>],
        kept: &[Option<Vec<u32>>],
    ) -> Result<Option<PlannedGroups>, Internal> {
        let (Some(Some(window)), Some(Some(indices))) =
            (plans.get(self.source), kept.get(self.source))
        else {
            return Ok(None);
        };
        let absent = u32::MAX;
        // Today's group of each key, and each group's size, first.
        let mut group_of_key = vec![absent; self.keys.len()];
        let mut sizes: Vec<usize> = Vec::new();
        let mut firsts: Vec<u32> = Vec::new();
        for &at in indices {
            let Some(Some(k)) = self.key_of.get(at as usize) else {
                continue;
            };
            let slot = group_of_key
                .get_mut(*k as usize)
                .ok_or_else(|| Internal::new("a window key outside its table"))?;
            if *slot == absent {
                *slot = u32::try_from(sizes.len()).unwrap_or(absent);
                sizes.push(0);
                firsts.push(*k);
            }
            if let Some(n) = sizes.get_mut(*slot as usize) {
                *n += 1;
            }
        }
        let mut positions: Vec<Vec<u32>> = sizes.iter().map(|n| Vec::with_capacity(*n)).collect();
        for &at in indices {
            let Some(Some(k)) = self.key_of.get(at as usize) else {
                continue;
            };
            let g = group_of_key.get(*k as usize).copied().unwrap_or(absent);
            match positions.get_mut(g as usize) {
                Some(p) if (at as usize) < window.root.len() => p.push(at),
                _ => return Err(Internal::new("a window item outside its group")),
            }
        }
        let mut out: Vec<(Group, Vec<u32>)> = Vec::with_capacity(sizes.len());
        for (k, at) in firsts.iter().zip(positions) {
            let key = self
                .keys
                .get(*k as usize)
                .ok_or_else(|| Internal::new("a window key outside its table"))?;
            let group = Group {
                key: key.clone(),
                items: window.root.pick(Positions::from_slice(&at)),
            };
            out.push((group, at));
        }
        Ok(Some(PlannedGroups {
            groups: out,
            plans: Arc::clone(&self.plans),
        }))
    }
}

/// A subject's definition `items where cond` (or `d where cond`, `d` an
/// earlier planned definition), `cond` decided once per root item.
struct SubjectWindow {
    /// `None`: the subject's items; `Some(j)`: definition `j`'s items.
    base: Option<usize>,
    /// Whether `cond` holds for each root item.
    holds: Vec<bool>,
}

/// Binds a subject of a planned grouping and evaluates its definitions:
/// those planned from the item masks, the others by the interpreter, in
/// order, as `enter` does.
pub(super) fn enter_planned(
    env: &mut Env<'_>,
    block: &Block,
    plans: &SubjectPlans,
    group: Group,
    at: &[u32],
) -> Result<Value, Internal> {
    let items = super::group_items(block, group.items)?;
    env.enter(group.key, items.clone());
    let mut kept: Vec<Option<Vec<u32>>> = Vec::with_capacity(block.lets.len());
    for (k, def) in block.lets.iter().enumerate() {
        let plan = plans.lets.get(k).and_then(Option::as_ref);
        let base = match plan.map(|p| p.base) {
            Some(None) => Some(at),
            Some(Some(j)) => kept.get(j).and_then(|x| x.as_deref()),
            None => None,
        };
        match (plan, base) {
            (Some(p), Some(base)) => {
                let at = keep_where(
                    base.iter()
                        .map(|&i| (i, p.holds.get(i as usize).copied().unwrap_or(false))),
                );
                env.push_block_let(Ok(items_at(&plans.root, &at)?));
                kept.push(Some(at));
            }
            _ => {
                let v = surface(env.eval(&def.value))?;
                env.push_block_let(v);
                kept.push(None);
            }
        }
    }
    Ok(items)
}

/// One day's groups of a planned block, each with its items' root
/// positions, and the block's planned definitions.
pub(crate) struct PlannedGroups {
    pub(super) groups: Vec<(Group, Vec<u32>)>,
    pub(super) plans: Arc<SubjectPlans>,
}

/// The planned definitions of one block, with the root list they index.
pub(super) struct SubjectPlans {
    root: List,
    lets: Vec<Option<SubjectWindow>>,
}

/// How `block` groups its list, when the list is a planned definition and
/// the key reads only the item (and every item's key evaluates).
fn grouping(
    block: &Block,
    facts: &Facts,
    lets: &[EvalResult],
    (now, moves): (FactId, &[bool]),
    plans: &[Option<Window<'_>>],
) -> Result<Option<Grouping>, Internal> {
    let ExprKind::Let(source) = &block.source.kind else {
        return Ok(None);
    };
    let Some(Some(window)) = plans.get(source.index()) else {
        return Ok(None);
    };
    if reads_now(&block.key, now, moves) || reads_other_slots(&block.key, local::FIRST_FREE) {
        return Ok(None);
    }
    let mut env = Env::new(facts, lets);
    env.begin_loop(local::FIRST_FREE, &Value::List(window.root.clone()));
    let mut keys: Vec<Value> = Vec::new();
    let mut index: FxHashMap<Key, u32> = FxHashMap::default();
    let mut key_of = Vec::with_capacity(window.root.len());
    for at in 0..window.root.len() {
        env.step(local::FIRST_FREE, at);
        let key = match surface(env.eval(&block.key))? {
            Ok(k) => k,
            Err(_) => return Ok(None),
        };
        if key == Value::Absent {
            key_of.push(None);
            continue;
        }
        let next = u32::try_from(keys.len()).unwrap_or(u32::MAX);
        let k = *index.entry(Key::of(&key)).or_insert(next);
        if k == next {
            keys.push(key);
        }
        key_of.push(Some(k));
    }
    let mut subject_lets: Vec<Option<SubjectWindow>> = Vec::with_capacity(block.lets.len());
    if !block.keyed {
        for def in &block.lets {
            let plan = subject_window(&def.value, &window.root, facts, lets, (now, moves))?;
            // A window within a window only over a planned definition.
            let plan = plan.filter(|p| {
                p.base
                    .is_none_or(|j| matches!(subject_lets.get(j), Some(Some(_))))
            });
            subject_lets.push(plan);
        }
    }
    Ok(Some(Grouping {
        source: source.index(),
        plans: Arc::new(SubjectPlans {
            root: window.root.clone(),
            lets: subject_lets,
        }),
        key_of,
        keys,
    }))
}

/// The plan of a subject's definition, when it is `items where cond` or
/// `d where cond` (`d` an earlier definition of the block) and `cond` reads
/// only the item, not `now`, and evaluates on every root item.
fn subject_window(
    e: &Expr,
    root: &List,
    facts: &Facts,
    lets: &[EvalResult],
    (now, moves): (FactId, &[bool]),
) -> Result<Option<SubjectWindow>, Internal> {
    let ExprKind::Filter(list, cond, slot) = &e.kind else {
        return Ok(None);
    };
    let base = match &list.kind {
        ExprKind::Local(s) if *s == local::ITEMS => None,
        ExprKind::BlockLet(j) => Some(j.index()),
        _ => return Ok(None),
    };
    if reads_now(cond, now, moves) || reads_other_slots(cond, *slot) || reads_block_lets(cond) {
        return Ok(None);
    }
    let mut env = Env::new(facts, lets);
    env.begin_loop(*slot, &Value::List(root.clone()));
    let mut holds = Vec::with_capacity(root.len());
    for at in 0..root.len() {
        env.step(*slot, at);
        match surface(env.holds(cond))? {
            Ok(h) => holds.push(h),
            Err(_) => return Ok(None),
        }
    }
    Ok(Some(SubjectWindow { base, holds }))
}

fn reads_block_lets(e: &Expr) -> bool {
    e.any(&mut |x| matches!(x.kind, ExprKind::BlockLet(_)))
}

/// Whether `e` reads a local slot other than `slot` that it does not bind
/// itself (the subject, the items, an enclosing loop's item).
fn reads_other_slots(e: &Expr, slot: SlotId) -> bool {
    fn walk(e: &Expr, bound: &mut Vec<SlotId>) -> bool {
        match &e.kind {
            ExprKind::Local(s) => !bound.contains(s),
            ExprKind::Filter(list, cond, s) | ExprKind::Quantified(_, list, cond, s) => {
                if walk(list, bound) {
                    return true;
                }
                bound.push(*s);
                let r = walk(cond, bound);
                bound.pop();
                r
            }
            _ => e.children().into_iter().any(|c| walk(c, bound)),
        }
    }
    walk(e, &mut vec![slot])
}

impl Windows<'_> {
    /// Lists every planned definition left unlisted so far: the interpreter
    /// is about to evaluate something that may read them.
    fn list(&self, lets: &mut [EvalResult], kept: &[Option<Vec<u32>>]) -> Result<(), Internal> {
        for (i, (v, at)) in lets.iter_mut().zip(kept).enumerate() {
            if let (Err(e), Some(at), Some(Some(w))) = (&v, at, self.lets.get(i))
                && e.kind == EvalErrorKind::Internal(UNLISTED)
            {
                *v = Ok(items_at(&w.root, at)?);
            }
        }
        Ok(())
    }
}

/// What an unlisted definition holds ([`Windows::read`]): reading it is a
/// bug, reported as such, never a value.
const UNLISTED: &str = "a replay read a window it kept only as positions";

fn unlisted(def: &crate::program::LetDef) -> EvalError {
    EvalError::new(EvalErrorKind::Internal(UNLISTED), &def.value.span)
}

impl Window<'_> {
    /// The positions in `root` of the items kept on the day of `facts`, in
    /// order, or `None` to leave the day to the interpreter (a moving
    /// expression failed, or the base was left to it).
    fn day(
        &self,
        facts: &Facts,
        lets: &[EvalResult],
        kept: &[Option<Vec<u32>>],
    ) -> Result<Option<Vec<u32>>, Internal> {
        let mut env = Env::new(facts, lets);
        let mut others = Vec::with_capacity(self.moving.len());
        for m in &self.moving {
            match surface(env.eval(m.other))? {
                Ok(v) => others.push(v),
                Err(_) => return Ok(None),
            }
        }
        // The moving parts on this day: those comparing a date field with a
        // date become one range of dates per field; the others are compared
        // as the interpreter compares them.
        let mut ranges: Vec<(FieldId, &[i32], i64, i64)> = Vec::new();
        let mut generic: Vec<(&Moving<'_>, &Value)> = Vec::new();
        for (m, other) in self.moving.iter().zip(&others) {
            let (Value::Date(d), Some(dates)) = (other, &m.dates) else {
                generic.push((m, other));
                continue;
            };
            let Some((lo, hi)) = date_range(m.op, m.item_first, i64::from(*d)) else {
                generic.push((m, other));
                continue;
            };
            match ranges.iter_mut().find(|r| r.0 == m.field) {
                Some(r) => {
                    r.2 = r.2.max(lo);
                    r.3 = r.3.min(hi);
                }
                None => ranges.push((m.field, dates, lo, hi)),
            }
        }
        let holds = |at: usize| -> bool {
            if !self.fixed.get(at).copied().unwrap_or(false) {
                return false;
            }
            let in_range = ranges.iter().all(|(_, dates, lo, hi)| {
                dates
                    .get(at)
                    .is_some_and(|x| (*lo..=*hi).contains(&i64::from(*x)))
            });
            in_range
                && generic.iter().all(|(m, other)| {
                    let Some(Value::Record(fields)) = self.root.get(at) else {
                        return false;
                    };
                    let Some(field) = fields.get(m.field.index()) else {
                        return false;
                    };
                    if m.item_first {
                        compare(m.op, field, other)
                    } else {
                        compare(m.op, other, field)
                    }
                })
        };
        let mut indices: Vec<u32> = Vec::new();
        match (self.base, ranges.as_slice(), generic.is_empty()) {
            // The usual window: one range of dates over the whole list, in
            // one pass without a call per item.
            (Base::Root, [(_, dates, lo, hi)], true) => {
                let (lo, hi) = (clamp(*lo), clamp(*hi));
                indices = keep_where(
                    self.fixed
                        .iter()
                        .zip(dates.iter())
                        .enumerate()
                        .map(|(at, (fixed, x))| (at as u32, *fixed & (lo <= *x) & (*x <= hi))),
                );
            }
            (Base::Root, ..) => {
                for at in 0..self.root.len() {
                    if holds(at) {
                        indices.push(at as u32);
                    }
                }
            }
            (Base::Let(j), ..) => match kept.get(j) {
                Some(Some(base)) => {
                    indices.reserve(base.len());
                    for &at in base {
                        if holds(at as usize) {
                            indices.push(at);
                        }
                    }
                }
                _ => return Ok(None),
            },
        }
        Ok(Some(indices))
    }
}

/// For each global definition, whether an expression the interpreter
/// evaluates in a day's run reads it: the definitions it evaluates, the
/// moving parts of planned ones, `warn` lists not planned, blocks' lists
/// and keys not grouped by a plan, the subjects' definitions not planned,
/// and every rule's condition.
fn read_by_runs(
    program: &Program,
    plans: &[Option<Window<'_>>],
    warns: &[Option<Window<'_>>],
    groupings: &[Option<Grouping>],
) -> Vec<bool> {
    let mut read = vec![false; program.lets.len()];
    let mut mark = |e: &Expr| mark_lets(e, &mut read);
    for (def, plan) in program.lets.iter().zip(plans) {
        match plan {
            Some(w) => w.moving.iter().for_each(|m| mark(m.other)),
            None => mark(&def.value),
        }
    }
    for (w, plan) in program.warns.iter().zip(warns) {
        match plan {
            Some(p) => p.moving.iter().for_each(|m| mark(m.other)),
            None => mark(&w.items),
        }
    }
    for (block, grouping) in program.blocks.iter().zip(groupings) {
        if grouping.is_none() {
            mark(&block.source);
            mark(&block.key);
        }
        for (k, def) in block.lets.iter().enumerate() {
            let planned = grouping
                .as_ref()
                .is_some_and(|g| matches!(g.plans.lets.get(k), Some(Some(_))));
            if !planned {
                mark(&def.value);
            }
        }
        for rule in &block.rules {
            if let Some(w) = &rule.when {
                mark(w);
            }
        }
    }
    read
}

fn mark_lets(e: &Expr, read: &mut [bool]) {
    e.any(&mut |x| {
        if let ExprKind::Let(i) = &x.kind
            && let Some(r) = read.get_mut(i.index())
        {
            *r = true;
        }
        false // Every node is visited.
    });
}

/// The plan of `e`, when it is a window: `list where cond`, `list` a list
/// that does not read `now` (or a planned definition), `cond` parts joined
/// by `and`, each either not reading `now` (and evaluating without error on
/// every item) or comparing a field of the item with an expression that
/// reads no item.
fn plan<'p>(
    e: &'p Expr,
    facts: &Facts,
    lets: &[EvalResult],
    (now, moves): (FactId, &[bool]),
    plans: &[Option<Window<'p>>],
) -> Result<Option<Window<'p>>, Internal> {
    let ExprKind::Filter(list, cond, slot) = &e.kind else {
        return Ok(None);
    };
    if !reads_now(e, now, moves) {
        return Ok(None); // Does not move: evaluated once ([`Windows::fixed`]).
    }
    let (base, root) = match &list.kind {
        ExprKind::Let(j) => match plans.get(j.index()) {
            Some(Some(w)) => (Base::Let(j.index()), Some(w.root.clone())),
            _ if !reads_now(list, now, moves) => (Base::Root, root_list(list, facts, lets)?),
            _ => return Ok(None),
        },
        _ if !reads_now(list, now, moves) => (Base::Root, root_list(list, facts, lets)?),
        _ => return Ok(None),
    };
    // Items are numbered in `u32`.
    let Some(root) = root.filter(|r| u32::try_from(r.len()).is_ok()) else {
        return Ok(None);
    };
    let mut fixed_parts = Vec::new();
    let mut moving = Vec::new();
    for part in flatten(cond, true) {
        if !reads_now(part, now, moves) {
            fixed_parts.push(part);
        } else if let Some(m) = moving_part(part, *slot) {
            moving.push(m);
        } else {
            return Ok(None);
        }
    }
    // Every item a record with the fields compared, as the checker promised.
    let fields_ok = root.iter().all(|item| match item {
        Value::Record(f) => moving.iter().all(|m| f.get(m.field.index()).is_some()),
        _ => false,
    });
    if !fields_ok {
        return Ok(None);
    }
    for m in &mut moving {
        m.dates = root
            .iter()
            .map(|item| match item {
                Value::Record(f) => match f.get(m.field.index()) {
                    Some(Value::Date(d)) => Some(*d),
                    _ => None,
                },
                _ => None,
            })
            .collect();
    }
    let mut env = Env::new(facts, lets);
    let list_value = Value::List(root.clone());
    env.begin_loop(*slot, &list_value);
    let mut fixed = Vec::with_capacity(root.len());
    for at in 0..root.len() {
        env.step(*slot, at);
        let mut all = true;
        for part in &fixed_parts {
            match surface(env.holds(part))? {
                Ok(h) => all &= h,
                Err(_) => return Ok(None),
            }
        }
        fixed.push(all);
    }
    Ok(Some(Window {
        base,
        root,
        fixed,
        moving,
    }))
}

/// The list a window's root expression evaluates to (it does not read
/// `now`), or `None` when it fails or is not a list.
fn root_list(list: &Expr, facts: &Facts, lets: &[EvalResult]) -> Result<Option<List>, Internal> {
    Ok(match surface(Env::new(facts, lets).eval(list))? {
        Ok(Value::List(l)) => Some(l),
        _ => None,
    })
}

/// `item.field op other` or `other op item.field`, `other` reading no item
/// of loop `slot`.
fn moving_part(part: &Expr, slot: SlotId) -> Option<Moving<'_>> {
    let ExprKind::Cmp(op, a, b) = &part.kind else {
        return None;
    };
    let field_of_item = |e: &Expr| match &e.kind {
        ExprKind::Field(base, f) if matches!(base.kind, ExprKind::Local(s) if s == slot) => {
            Some(*f)
        }
        _ => None,
    };
    match (field_of_item(a), field_of_item(b)) {
        (Some(field), None) if !reads_slot(b, slot) => Some(Moving {
            op: *op,
            field,
            other: b,
            item_first: true,
            dates: None,
        }),
        (None, Some(field)) if !reads_slot(a, slot) => Some(Moving {
            op: *op,
            field,
            other: a,
            item_first: false,
            dates: None,
        }),
        _ => None,
    }
}

/// For each global definition, whether its value can change with fact
/// `now` (it reads `now`, or a definition that does).
fn moves_with_now(program: &Program, now: FactId) -> Vec<bool> {
    let mut moves: Vec<bool> = Vec::with_capacity(program.lets.len());
    for def in &program.lets {
        let m = reads_now(&def.value, now, &moves);
        moves.push(m);
    }
    moves
}

/// Whether `e` can change with `now`: it reads `now`, or a definition that
/// does. A definition read before its own is evaluated is the checker's
/// business; counting it as moving is the safe side.
fn reads_now(e: &Expr, now: FactId, moves: &[bool]) -> bool {
    e.any(&mut |x| match &x.kind {
        ExprKind::Fact(f) => *f == now,
        ExprKind::Let(i) => moves.get(i.index()).copied().unwrap_or(true),
        _ => false,
    })
}

fn reads_slot(e: &Expr, slot: SlotId) -> bool {
    e.any(&mut |x| matches!(x.kind, ExprKind::Local(s) if s == slot))
}

#[cfg(test)]
mod tests {
    //! Planned days against the interpreter: the same runs, record for
    //! record, and the same warned items, on every day of generated facts,
    //! for a policy that takes every planned path and every way out of one
    //! (`tests/replay_windows/windows.rung`), the NATO doctrine and the
    //! Pledge.
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::Windows;
    use crate::eval::EvalErrorKind;
    use crate::eval::run::{Detail, Keep, WarnHit, globals, run_from};
    use crate::facts::Facts;
    use crate::ids::FactId;
    use crate::policy::Policy;
    use crate::program::Program;
    use crate::source::SourceFile;
    use crate::value::{Value, format_date, parse_date};

    fn policy(dir: &str) -> Policy {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut paths: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "rung"))
            .collect();
        paths.sort();
        let sources = paths
            .iter()
            .map(|p| SourceFile::new(p.display().to_string(), std::fs::read_to_string(p).unwrap()))
            .collect();
        Policy::from_sources(sources).unwrap()
    }

    /// The items each `warn` declaration matched, in order, as (declaration,
    /// position, item).
    fn warned(hits: &[WarnHit], globals: &super::Globals) -> Vec<(usize, usize, Value)> {
        let mut out = Vec::new();
        for h in hits {
            match h {
                WarnHit::Item { warn, index, item } => out.push((*warn, *index, item.clone())),
                WarnHit::Kept { warn } => {
                    let (root, indices) = globals.kept_warn(*warn).unwrap();
                    for (index, at) in indices.iter().enumerate() {
                        out.push((*warn, index, root.get(*at as usize).unwrap().clone()));
                    }
                }
                WarnHit::Failed(f) => out.push((usize::MAX, 0, Value::Str(f.line().into()))),
            }
        }
        out
    }

    /// Every day from `from` to `to`: planned and interpreted runs agree.
    fn agree(program: &Program, facts: &Facts, now: FactId, from: i32, to: i32) -> usize {
        let mut day_facts = facts.clone();
        day_facts.set(now, Value::Date(from)).unwrap();
        let windows = Windows::new(program, &day_facts, now).unwrap();
        let planned = windows.lets.iter().flatten().count()
            + windows.warns.iter().flatten().count()
            + windows.groupings.iter().flatten().count();
        for day in from..=to {
            day_facts.set(now, Value::Date(day)).unwrap();
            let mut fast = windows.globals(&day_facts).unwrap();
            let mut slow = globals(program, &day_facts).unwrap();
            // Definitions kept only as positions are never read by the run.
            for (i, (a, b)) in fast.lets.iter().zip(&slow.lets).enumerate() {
                match a {
                    Err(e) if e.kind == EvalErrorKind::Internal(super::UNLISTED) => {
                        assert!(!windows.read[i] && windows.lets[i].is_some());
                    }
                    _ => assert_eq!(a, b, "definition {i} on {}", format_date(day)),
                }
            }
            for detail in [Detail::Outcomes, Detail::Traces] {
                let mut fast_day = windows.globals(&day_facts).unwrap();
                let (a, ha) =
                    run_from(program, &day_facts, &mut fast_day, detail, Keep::Inputs).unwrap();
                let (b, hb) =
                    run_from(program, &day_facts, &mut slow, detail, Keep::Inputs).unwrap();
                assert_eq!(a, b, "runs on {}", format_date(day));
                assert_eq!(
                    warned(&ha, &fast_day),
                    warned(&hb, &slow),
                    "warnings on {}",
                    format_date(day)
                );
                slow = globals(program, &day_facts).unwrap();
            }
            let _ = &mut fast;
        }
        planned
    }

    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    fn events(seed: u64, n: usize, limit: i64) -> String {
        let mut rng = Rng(seed);
        let base = parse_date("2024-01-01").unwrap();
        let events: Vec<String> = (0..n)
            .map(|i| {
                let date = base + rng.below(120) as i32;
                let end = match rng.below(3) {
                    0 => "null".to_string(),
                    _ => format!("\"{}\"", format_date(date + rng.below(40) as i32)),
                };
                let who = ["\"A\"", "\"B\"", "\"C\"", "null"][rng.below(4) as usize];
                format!(
                    r#"{{"id":"E{i}","date":"{}","end":{end},"who":{who},"size":{},"flag":{}}}"#,
                    format_date(date),
                    rng.below(6),
                    rng.below(2) == 0
                )
            })
            .collect();
        format!(
            r#"{{"now":"2024-03-01","limit":{limit},"events":[{}]}}"#,
            events.join(",")
        )
    }

    #[test]
    fn planned_days_are_the_interpreters_days() {
        let p = policy("tests/replay_windows");
        let now = crate::replay::now_fact(&p).unwrap();
        let base = parse_date("2024-01-01").unwrap();
        for (seed, limit) in [(1, 0), (2, 2), (3, 1)] {
            let facts = p
                .facts_from_text("f.json", &events(seed, 60, limit))
                .unwrap();
            let planned = agree(&p.program, &facts, now, base - 5, base + 170);
            // `recent`, `big_recent`, `open`, `not_today`, `reversed`,
            // `earlier`, `same_day`, `late`, the warning, and both blocks'
            // groups; `ratio` only when no item divides by zero; never
            // `today` (`or` is not a window). With `limit` 0, `late`'s bound
            // fails every day and `recent`, read by no run, is listed for
            // the interpreter.
            assert_eq!(planned, if limit == 0 { 11 } else { 12 }, "seed {seed}");
        }
    }

    #[test]
    fn shipped_doctrines_plan_their_windows_and_agree() {
        for (dir, example) in [
            ("policies/nato", "policies/nato/examples/campaign-2022.json"),
            (
                "policies/pledge",
                "policies/pledge/examples/allies-2024.json",
            ),
        ] {
            let p = policy(dir);
            let now = crate::replay::now_fact(&p).unwrap();
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(example);
            let facts = p
                .facts_from_text("f.json", &std::fs::read_to_string(path).unwrap())
                .unwrap();
            let to = match facts.values()[now.index()] {
                Value::Date(d) => d,
                _ => unreachable!(),
            };
            agree(&p.program, &facts, now, to - 400, to);
        }
    }
}
