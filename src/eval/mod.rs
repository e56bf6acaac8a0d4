//! Evaluation: a checked [`Program`] and loaded [`Facts`] → a [`Run`].
//!
//! [`run()`] is the one driver: global definitions are evaluated once, in
//! dependency order; each rules block groups its list by its key, evaluates
//! its definitions once per subject, then every rule's condition, recording
//! each outcome. Decisions, explanations, test verdicts and the REPL's views
//! are all read off that record. A rule that fails is recorded, never
//! dropped: the decision becomes `indeterminate` when the failure could
//! change its outcome. A state the checker rules out stops the run with an
//! [`Internal`] error instead.

#[cfg(test)]
mod agreement;
mod code;
mod error;
pub mod explain;
mod expr;
mod run;
mod window;

use rustc_hash::FxHashMap;

pub(crate) use code::CompiledCell;
pub use error::{EvalError, EvalErrorKind, EvalReport};
pub use run::{Detail, RuleRecord, Run, SubjectRecord, run};
pub(crate) use run::{Globals, Keep, WarnHit, WarnKey, retrace, run_from};
pub(crate) use window::Windows;

use code::{BlockCode, Ctx};
use error::surface;
use expr::{Env, EvalResult, list_items};

use crate::decision::{Evaluation, Name};
use crate::facts::Facts;
use crate::internal::Internal;
use crate::program::{Block, BlockId, Expr, Program, local};
use crate::types::Type;
use crate::value::{Key, List, Positions, Value};

/// The decisions for every ladder and subject (a [`run()`] without traces).
pub fn evaluate<'p>(program: &'p Program, facts: &Facts) -> Result<Evaluation<'p>, Internal> {
    run::decisions(program, facts)
}

/// Where an expression checked against a program is evaluated.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// The top level: facts and global definitions.
    Global,
    /// One subject of a rules block: also its subject, items and definitions.
    Subject {
        /// The block.
        block: BlockId,
        /// The subject, as decisions name it.
        subject: &'a str,
    },
}

/// Evaluates `expr` (checked in `scope` of `program`) against `facts`.
/// `Ok(None)` when the scope's subject is not among the block's subjects.
///
/// Without facts, only an expression that reads none (directly or through
/// definitions) may be evaluated: definitions that read facts are then left
/// unevaluated, and reading one is an internal error.
pub fn expression(
    program: &Program,
    facts: Option<&Facts>,
    expr: &Expr,
    scope: Scope<'_>,
) -> Result<Option<Result<Value, EvalError>>, Internal> {
    let none = Facts::default();
    let lets = match facts {
        Some(f) => global_lets(program, f)?,
        // Definitions that read no facts evaluate as usual; the others fail
        // (a fact that is not there), and the expression reads none of them.
        None => {
            let mut lets: Vec<EvalResult> = Vec::with_capacity(program.lets.len());
            for def in &program.lets {
                let v = Env::new(&none, &lets).eval(&def.value);
                lets.push(v);
            }
            lets
        }
    };
    let facts = facts.unwrap_or(&none);
    let mut env = Env::new(facts, &lets);
    if let Scope::Subject { block, subject } = scope {
        let block_id = block;
        let block = program.block(block)?;
        let groups = match surface(groups(&mut env, block))? {
            Ok(g) => g,
            Err(e) => return Ok(Some(Err(e))),
        };
        let mut found = None;
        for g in groups {
            if subject_name(program, block, &g.key)? == subject {
                found = Some(g);
                break;
            }
        }
        let Some(group) = found else {
            return Ok(None);
        };
        let code = block_code(program, block_id);
        enter(&mut env, block, code, group.key, group.items)?;
    }
    Ok(Some(surface(env.eval(expr))?))
}

/// The subjects of rules block `block` for these facts, in list order (or
/// why the block's list could not be grouped).
pub fn subjects(
    program: &Program,
    facts: &Facts,
    block: BlockId,
) -> Result<Result<Vec<String>, EvalError>, Internal> {
    let lets = global_lets(program, facts)?;
    let block = program.block(block)?;
    let mut env = Env::new(facts, &lets);
    match surface(groups(&mut env, block))? {
        Ok(gs) => Ok(Ok(gs
            .iter()
            .map(|g| subject_name(program, block, &g.key))
            .collect::<Result<_, _>>()?)),
        Err(e) => Ok(Err(e)),
    }
}

/// Evaluates every global definition, in order. A definition that fails
/// keeps its error (the rules that read it fail with it); a bug stops.
fn global_lets(program: &Program, facts: &Facts) -> Result<Vec<EvalResult>, Internal> {
    let mut lets: Vec<EvalResult> = Vec::with_capacity(program.lets.len());
    // One set of local slots for every definition, allocated once.
    let mut locals = expr::Locals::default();
    let code = code::code_of(program);
    for (i, def) in program.lets.iter().enumerate() {
        let v = match code.and_then(|c| c.global_let(i)) {
            Some(c) => {
                let env = Env::new(facts, &lets);
                match c.define(Ctx::new(&env)) {
                    Ok(v) => Ok(v),
                    Err(f) => f.surface()?,
                }
            }
            None => {
                let mut env = Env::reusing(facts, &lets, locals);
                let v = surface(env.eval(&def.value))?;
                locals = env.into_locals();
                v
            }
        };
        lets.push(v);
    }
    Ok(lets)
}

/// One group of a rules block.
struct Group {
    /// The key (the subject).
    key: Value,
    /// Its items, in list order: a selection of the block's list.
    items: List,
}

/// A group as it is formed: its key, its size, then its items' positions.
struct Forming {
    key: Value,
    size: usize,
    at: Positions,
}

/// Up to this many items, the group of each item is kept on the stack.
const SMALL_LIST: usize = 64;

/// The group of an item whose key is absent (no group has this index).
const NO_GROUP: usize = usize::MAX;

/// Up to this many groups, keys are compared directly rather than hashed.
const LINEAR_GROUPS: usize = 16;

/// Groups a block's list by its key, skipping items whose key is absent.
fn groups(env: &mut Env<'_>, block: &Block) -> Result<Vec<Group>, EvalError> {
    let source = env.eval(&block.source)?;
    let items = list_items(&source);
    let mut index: FxHashMap<Key, usize> = FxHashMap::default();
    // A short list has at most as many groups as items: one allocation.
    let mut out: Vec<Forming> = Vec::with_capacity(items.len().min(LINEAR_GROUPS));
    // First pass: the group of each item and the size of each group, so that
    // each group's positions are allocated once, at their size. A short list
    // keeps the group of each item on the stack.
    let mut small = [NO_GROUP; SMALL_LIST];
    let mut large = Vec::new();
    let group_of: &mut [usize] = match small.get_mut(..items.len()) {
        Some(g) => g,
        None => {
            large.resize(items.len(), NO_GROUP);
            &mut large
        }
    };
    env.begin_loop(local::FIRST_FREE, &source);
    for (at, slot) in group_of.iter_mut().enumerate() {
        env.step(local::FIRST_FREE, at);
        // A key stored in the item (`state_sponsor`) is read where it is:
        // copied once per group, not once per item.
        let i = match env.stored(&block.key) {
            Some(Value::Absent) => continue,
            Some(key) => group_of_key(&mut out, &mut index, key),
            None => match env.eval(&block.key)? {
                Value::Absent => continue,
                key => group_of_key(&mut out, &mut index, &key),
            },
        };
        if let Some(g) = out.get_mut(i) {
            g.size += 1;
        }
        *slot = i;
    }
    for g in &mut out {
        g.at.reserve_exact(g.size);
    }
    // Second pass: positions only; the items themselves are not touched.
    for (at, g) in group_of.iter().enumerate() {
        if let Some(group) = out.get_mut(*g) {
            group
                .at
                .push(List::position(at).ok_or_else(|| expr::too_long(&block.source.span))?);
        }
    }
    let list = expr::shared_list(&source);
    Ok(out
        .into_iter()
        .map(|g| Group {
            key: g.key,
            items: list.pick(g.at),
        })
        .collect())
}

/// The index in `out` of the group of `key`, a new group when it has none.
fn group_of_key(out: &mut Vec<Forming>, index: &mut FxHashMap<Key, usize>, key: &Value) -> usize {
    // A few groups are found faster by comparing keys than by hashing; the
    // hash index is built once there are many.
    let found = if out.len() <= LINEAR_GROUPS {
        out.iter().position(|g| g.key == *key)
    } else {
        if index.is_empty() {
            index.extend(out.iter().enumerate().map(|(i, g)| (Key::of(&g.key), i)));
        }
        index.get(&Key::of(key)).copied()
    };
    match found {
        Some(i) => i,
        None => {
            if out.len() > LINEAR_GROUPS {
                index.insert(Key::of(key), out.len());
            }
            out.push(Forming {
                key: key.clone(),
                size: 0,
                at: Positions::new(),
            });
            out.len() - 1
        }
    }
}

/// The value a group's items are bound to: the list, or for a `keyed by`
/// block the one item.
fn group_items(block: &Block, items: List) -> Result<Value, Internal> {
    Ok(if block.keyed {
        // The key is `unique`, checked when the facts load: one item per group.
        match (items.get(0), items.len()) {
            (Some(item), 1) => item.clone(),
            _ => return Err(Internal::new("a keyed group without exactly one item")),
        }
    } else {
        Value::List(items)
    })
}

/// Binds a group to the block's locals and evaluates its definitions
/// (with the block's `code`, when compiled).
fn enter(
    env: &mut Env<'_>,
    block: &Block,
    code: Option<&BlockCode>,
    key: Value,
    items: List,
) -> Result<(), Internal> {
    let items = group_items(block, items)?;
    enter_bound(env, block, code, key, items)
}

/// [`enter`], with the items already bound ([`group_items`]).
fn enter_bound(
    env: &mut Env<'_>,
    block: &Block,
    code: Option<&BlockCode>,
    key: Value,
    items: Value,
) -> Result<(), Internal> {
    env.enter(key, items);
    env.reserve_block_lets(block.lets.len());
    for (i, def) in block.lets.iter().enumerate() {
        let code = code.and_then(|c| c.block_let(i));
        // A narrowed list (most subject definitions) is stored as it comes
        // back, in registers: a value assembled and then pushed is copied
        // before its parts have landed (a store-forwarding stall).
        match code.and_then(|c| c.narrowed(Ctx::new(env))) {
            Some(Ok(list)) => {
                env.push_block_let(Ok(Value::List(list)));
                continue;
            }
            Some(Err(f)) => {
                env.push_block_let(f.surface()?);
                continue;
            }
            None => {}
        }
        let v = match code {
            Some(c) => match c.define(Ctx::new(env)) {
                Ok(v) => Ok(v),
                Err(f) => f.surface()?,
            },
            None => surface(env.eval(&def.value))?,
        };
        env.push_block_let(v);
    }
    Ok(())
}

/// The compiled code of block `b` of `program` (`None`: interpret it).
fn block_code(program: &Program, b: BlockId) -> Option<&BlockCode> {
    code::code_of(program)?.blocks.get(b.index())
}

/// Whether a rule's condition holds (`None` means always).
fn condition(env: &mut Env<'_>, when: Option<&Expr>) -> Result<bool, EvalError> {
    match when {
        None => Ok(true),
        Some(e) => env.holds(e),
    }
}

/// The subject's name: the key as text.
fn subject_name(program: &Program, block: &Block, key: &Value) -> Result<String, Internal> {
    let ty = match &block.key.ty {
        Type::Optional(t) => t.as_ref(),
        t => t,
    };
    match key {
        // Not `to_string`: through `Display`, it formats the text.
        Value::Str(s) => Ok(String::from(&**s)),
        other => crate::value::show(other, ty, &program.schema),
    }
}

/// The value of an expression that reads nothing (for lints): `None` when
/// it reads something or fails.
pub fn eval_constant(e: &Expr) -> Option<Value> {
    Env::constant().eval(e).ok()
}

/// The subject of a decision, shared with its name in the records.
fn subject_of(program: &Program, block: &Block, key: &Value) -> Result<Name<'static>, Internal> {
    Ok(Name::Owned(match key {
        Value::Str(s) => String::from(&**s),
        key => subject_name(program, block, key)?,
    }))
}
