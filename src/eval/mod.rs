//! Evaluation: a checked [`Program`] and loaded [`Facts`] → [`Evaluation`].
//!
//! Global definitions are evaluated once, in dependency order; each rules
//! block groups its list by hashing the key, then evaluates its definitions
//! once per subject and every rule's condition. A rule that fails is recorded
//! in the decision, never dropped: the decision becomes `indeterminate` when
//! the failure could change its outcome.

mod error;
pub mod explain;
mod expr;

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use std::sync::Arc;

pub use error::{EvalError, EvalErrorKind, EvalReport};
pub use expr::{Env, EvalResult, list_items, truthy};

use crate::ast::Effect;
use crate::decision::{Decision, Evaluation, FactWarning, Name, Reason, RuleError, Status};
use crate::facts::Facts;
use crate::program::{Block, Expr, Program, RuleDef, local};
use crate::types::Type;
use crate::value::{Key, Value};

/// Each rule of a subject with its outcome.
type Outcomes<'p> = Vec<(&'p RuleDef, Result<bool, EvalError>)>;

/// The code of every run-time failure (the same as [`EvalReport`]'s).
const EVAL_CODE: &str = "rung::eval::arithmetic";

/// Evaluates every ladder of `program` against `facts`.
pub fn evaluate(program: &Program, facts: &Facts) -> Evaluation {
    let lets = global_lets(program, facts);
    let mut out = Evaluation {
        decisions: Vec::new(),
        warnings: warnings(program, facts, &lets),
        errors: Vec::new(),
    };
    // A ladder decided by one rules block (the usual case) is decided subject
    // by subject as its groups are evaluated; several blocks on one ladder
    // pool their rules per subject first.
    let mut acc: BTreeMap<(u32, Name), Outcomes<'_>> = BTreeMap::new();
    let mut scratch: Outcomes<'_> = Vec::new();
    for block in &program.blocks {
        let pooled = program
            .blocks
            .iter()
            .filter(|b| b.ladder == block.ladder)
            .count()
            > 1;
        let mut env = Env {
            facts: &facts.values,
            lets: &lets,
            block_lets: Vec::new(),
            locals: Vec::new(),
        };
        let groups = match groups(&mut env, block) {
            Ok(g) => g,
            Err(e) => {
                out.errors.push(group_error(program, block, &e));
                continue;
            }
        };
        for group in groups {
            let subject: Name = match &group.key {
                Value::Str(s) => Name::from(&**s),
                key => Name::from(subject_name(program, block, key)),
            };
            enter(&mut env, block, group.key, group.items);
            let outcomes = if pooled {
                acc.entry((block.ladder, subject.clone())).or_default()
            } else {
                &mut scratch
            };
            outcomes.reserve(block.rules.len());
            for rule in &block.rules {
                outcomes.push((rule, condition(&mut env, rule.when.as_ref())));
            }
            if !pooled {
                out.decisions
                    .push(decide(program, block.ladder, subject, &scratch));
                scratch.clear();
            }
        }
    }
    for ((ladder, subject), outcomes) in acc {
        out.decisions
            .push(decide(program, ladder, subject, &outcomes));
    }
    // Ladder declaration order, then subject byte order.
    let rank = |d: &Decision| {
        program
            .ladder_names
            .iter()
            .position(|l| *l == d.ladder)
            .unwrap_or(usize::MAX)
    };
    out.decisions.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then_with(|| a.subject.as_bytes().cmp(b.subject.as_bytes()))
    });
    out
}

/// Evaluates every global definition, in order.
pub fn global_lets(program: &Program, facts: &Facts) -> Vec<EvalResult> {
    let mut lets: Vec<EvalResult> = Vec::with_capacity(program.lets.len());
    for def in &program.lets {
        let mut env = Env {
            facts: &facts.values,
            lets: &lets,
            block_lets: Vec::new(),
            locals: Vec::new(),
        };
        let v = env.eval(&def.value);
        lets.push(v);
    }
    lets
}

/// One group of a rules block.
pub struct Group {
    /// The key (the subject).
    pub key: Value,
    /// Its items, in list order.
    pub items: Vec<Value>,
}

/// Up to this many groups, keys are compared directly rather than hashed.
const LINEAR_GROUPS: usize = 16;

/// Groups a block's list by its key, skipping items whose key is absent.
pub fn groups(env: &mut Env<'_>, block: &Block) -> Result<Vec<Group>, EvalError> {
    let source = env.eval(&block.source)?;
    let items = list_items(&source);
    let mut index: FxHashMap<Key, usize> = FxHashMap::default();
    let mut out: Vec<Group> = Vec::new();
    // First pass: the group of each item and the size of each group, so that
    // each group's list is allocated once, at its size.
    let mut group_of: Vec<Option<usize>> = Vec::with_capacity(items.len());
    let mut sizes: Vec<usize> = Vec::new();
    env.locals
        .resize(local::FIRST_FREE as usize + 1, Value::Absent);
    for item in items {
        if let Some(slot) = env.locals.get_mut(local::FIRST_FREE as usize) {
            *slot = item.clone();
        }
        let key = env.eval(&block.key)?;
        if key == Value::Absent {
            group_of.push(None);
            continue;
        }
        // A few groups are found faster by comparing keys than by hashing;
        // the hash index is built once there are many.
        let found = if out.len() <= LINEAR_GROUPS {
            out.iter().position(|g| g.key == key)
        } else {
            if index.is_empty() {
                index.extend(out.iter().enumerate().map(|(i, g)| (Key::of(&g.key), i)));
            }
            index.get(&Key::of(&key)).copied()
        };
        let i = match found {
            Some(i) => i,
            None => {
                if out.len() > LINEAR_GROUPS {
                    index.insert(Key::of(&key), out.len());
                }
                out.push(Group {
                    key,
                    items: Vec::new(),
                });
                sizes.push(0);
                out.len() - 1
            }
        };
        if let Some(n) = sizes.get_mut(i) {
            *n += 1;
        }
        group_of.push(Some(i));
    }
    for (g, n) in out.iter_mut().zip(&sizes) {
        g.items.reserve_exact(*n);
    }
    for (item, g) in items.iter().zip(group_of) {
        if let Some(group) = g.and_then(|g| out.get_mut(g)) {
            group.items.push(item.clone());
        }
    }
    Ok(out)
}

/// Binds a group to the block's locals and evaluates its definitions.
pub fn enter(env: &mut Env<'_>, block: &Block, key: Value, items: Vec<Value>) {
    env.locals.clear();
    env.locals.push(key);
    env.locals.push(Value::List(Arc::new(items)));
    env.block_lets.clear();
    for def in &block.lets {
        let v = env.eval(&def.value);
        env.block_lets.push(v);
    }
}

/// Whether a rule's condition holds (`None` means always).
pub fn condition(env: &mut Env<'_>, when: Option<&Expr>) -> Result<bool, EvalError> {
    match when {
        None => Ok(true),
        Some(e) => env.holds(e),
    }
}

/// The subject's name: the key as text.
pub fn subject_name(program: &Program, block: &Block, key: &Value) -> String {
    let ty = match &block.key.ty {
        Type::Optional(t) => t.as_ref(),
        t => t,
    };
    match key {
        Value::Str(s) => s.to_string(),
        Value::Enum(i) => program.schema.variant_name(ty, *i).to_string(),
        other => crate::value::Display {
            value: other,
            ty,
            schema: &program.schema,
        }
        .to_string(),
    }
}

fn rung_name(program: &Program, ladder: u32, rung: u32) -> Name {
    program
        .rung_names
        .get(ladder as usize)
        .and_then(|l| l.get(rung as usize))
        .cloned()
        .unwrap_or_else(|| Name::from("?"))
}

fn group_error(program: &Program, block: &Block, e: &EvalError) -> RuleError {
    let ladder = program
        .schema
        .ladders
        .get(block.ladder as usize)
        .map_or("?", |l| l.name.as_str());
    RuleError {
        code: EVAL_CODE,
        rule: format!("rules {ladder}"),
        effect: "group".into(),
        rungs: Vec::new(),
        message: e.to_string(),
        location: e.span.location(),
        cause: Some(e.clone()),
    }
}

/// Combines rule outcomes into a decision: forbid overrides recommend.
fn decide(
    program: &Program,
    ladder: u32,
    subject: Name,
    outcomes: &[(&RuleDef, Result<bool, EvalError>)],
) -> Decision {
    let n = program
        .schema
        .ladders
        .get(ladder as usize)
        .map_or(0, |l| l.rungs.len());
    // One byte per rung: bit 0 recommended, bit 1 forbidden.
    const REC: u8 = 1;
    const FORBID: u8 = 2;
    // Ladders are short: marks live on the stack unless one is not.
    let mut small = [0u8; 32];
    let mut large = Vec::new();
    let marks: &mut [u8] = match small.get_mut(..n) {
        Some(m) => m,
        None => {
            large.resize(n, 0);
            &mut large
        }
    };
    let mut fired = 0usize;
    for (rule, outcome) in outcomes {
        if let Ok(true) = outcome {
            let bit = if rule.effect == Effect::Forbid {
                FORBID
            } else {
                REC
            };
            for r in rule.lo..=rule.hi {
                if let Some(m) = marks.get_mut(r as usize) {
                    *m |= bit;
                    fired += 1;
                }
            }
        }
    }
    let top = marks.iter().rposition(|m| *m == REC);
    let mut status = Status::Complete;
    let mut errors = Vec::new();
    for (rule, outcome) in outcomes {
        let Err(e) = outcome else { continue };
        let matters = match rule.effect {
            Effect::Recommend => top.is_none_or(|t| rule.hi as usize > t),
            Effect::Forbid => top.is_some_and(|t| rule.lo as usize <= t),
        };
        if matters {
            status = Status::Indeterminate;
        }
        errors.push(RuleError {
            code: EVAL_CODE,
            rule: rule.name.to_string(),
            effect: rule.effect.as_str().into(),
            rungs: (rule.lo..=rule.hi)
                .map(|r| rung_name(program, ladder, r).to_string())
                .collect(),
            message: e.to_string(),
            location: e.span.location(),
            cause: Some(e.clone()),
        });
    }
    // By rung, then recommend before forbid, then declaration order.
    let mut keys: Vec<(u32, Effect, usize)> = Vec::with_capacity(fired);
    for (order, (rule, outcome)) in outcomes.iter().enumerate() {
        if let Ok(true) = outcome {
            keys.extend(
                (rule.lo..=rule.hi.min(n.saturating_sub(1) as u32))
                    .map(|r| (r, rule.effect, order)),
            );
        }
    }
    keys.sort_unstable();
    let reasons: Vec<Reason> = keys
        .iter()
        .filter_map(|&(r, _, order)| {
            let (rule, _) = outcomes.get(order)?;
            Some(Reason {
                rung: rung_name(program, ladder, r),
                effect: rule.effect.as_str(),
                rule: Name::clone(&rule.name),
                because: Name::clone(&rule.because),
                cites: rule.cites.clone(),
            })
        })
        .collect();
    Decision {
        ladder: program
            .ladder_names
            .get(ladder as usize)
            .cloned()
            .unwrap_or_else(|| Name::from("?")),
        subject,
        status,
        top: top.map(|t| rung_name(program, ladder, t as u32)),
        recommended: named(program, ladder, marks, |m| m == REC),
        forbidden: named(program, ladder, marks, |m| m & FORBID != 0),
        reasons,
        errors,
    }
}

/// Names of the rungs whose mark satisfies `keep`, in ladder order.
fn named(program: &Program, ladder: u32, marks: &[u8], keep: impl Fn(u8) -> bool) -> Vec<Name> {
    let mut out = Vec::with_capacity(marks.iter().filter(|m| keep(**m)).count());
    for (r, m) in marks.iter().enumerate() {
        if keep(*m) {
            out.push(rung_name(program, ladder, r as u32));
        }
    }
    out
}

/// Items matched by `warn` declarations.
fn warnings(program: &Program, facts: &Facts, lets: &[EvalResult]) -> Vec<FactWarning> {
    let mut out = Vec::new();
    for w in &program.warns {
        let mut env = Env {
            facts: &facts.values,
            lets,
            block_lets: Vec::new(),
            locals: Vec::new(),
        };
        match env.eval(&w.items) {
            Ok(list) => {
                for (i, item) in list_items(&list).iter().enumerate() {
                    out.push(FactWarning {
                        message: w.because.clone(),
                        item: item_name(program, &w.items.ty, item, i),
                    });
                }
            }
            Err(e) => out.push(FactWarning {
                message: format!("could not evaluate: {e}"),
                item: e.span.location(),
            }),
        }
    }
    out
}

/// Names an item by its unique field when its record has one.
fn item_name(program: &Program, list_ty: &Type, item: &Value, i: usize) -> String {
    if let (Some(Type::Record(r)), Value::Record(fields)) = (list_ty.element(), item)
        && let Some(rec) = program.schema.records.get(*r as usize)
        && let Some((fi, f)) = rec.fields.iter().enumerate().find(|(_, f)| f.unique)
        && let Some(v) = fields.get(fi)
    {
        let shown = crate::value::Display {
            value: v,
            ty: &f.ty,
            schema: &program.schema,
        };
        return format!("{} {}", f.name, shown);
    }
    format!("item {}", i + 1)
}

/// The value of an expression that reads nothing (for lints).
pub fn eval_constant(e: &Expr) -> Option<Value> {
    let mut env = Env {
        facts: &[],
        lets: &[],
        block_lets: Vec::new(),
        locals: Vec::new(),
    };
    env.eval(e).ok()
}
