//! Explanations: for every rule and subject, whether it fired and the value
//! of each part of its condition, so a reader sees which part was not met
//! and by how much (`sum(high_acts.severity) = 14, needs >= 15`).

use serde::Serialize;

use super::error::surface;
use super::expr::{Env, compare, list_items, truthy};
use crate::ast::{Effect, Quantifier};
use crate::internal::Internal;
use crate::program::{Block, CmpOp, Expr, ExprKind, LetDef, Program, RungId};
use crate::types::Type;
use crate::value::Value;

/// The explanation of one subject on one ladder.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SubjectExplanation {
    /// Ladder name.
    pub ladder: String,
    /// Subject.
    pub subject: String,
    /// Every rule of the ladder, in declaration order.
    pub rules: Vec<RuleExplanation>,
}

/// How one rule went for one subject.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RuleExplanation {
    /// The rule's name.
    pub rule: String,
    /// `recommend` or `forbid`.
    pub effect: String,
    /// Rungs concerned (lowest, highest).
    #[serde(skip)]
    pub range: (RungId, RungId),
    /// Rung names concerned.
    pub rungs: Vec<String>,
    /// `fired`, `not met` or `failed`.
    pub outcome: Outcome,
    /// The error, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The condition, part by part (`None` when the rule has no condition).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Trace>,
}

/// A rule's outcome for a subject.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The condition held.
    Fired,
    /// The condition did not hold.
    NotMet,
    /// The condition could not be evaluated.
    Failed,
}

/// A condition broken into the parts a reader checks one by one.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Trace {
    /// `a and b and ...`: holds when every part holds.
    All {
        /// Whether it held (`None`: failed).
        holds: Option<bool>,
        /// The parts.
        parts: Vec<Trace>,
    },
    /// `a or b or ...`: holds when some part holds.
    Any {
        /// Whether it held.
        holds: Option<bool>,
        /// The parts.
        parts: Vec<Trace>,
    },
    /// `not a`.
    Not {
        /// Whether it held.
        holds: Option<bool>,
        /// The negated part.
        part: Box<Trace>,
    },
    /// A named boolean definition (`meets_pledge`), expanded into the
    /// parts of its value, recursively, so naming a condition never hides
    /// why it held.
    Named {
        /// Whether it held.
        holds: Option<bool>,
        /// The definition's name.
        name: String,
        /// Its value, part by part.
        part: Box<Trace>,
    },
    /// A comparison or other condition, with values.
    Leaf {
        /// Whether it held.
        holds: Option<bool>,
        /// The condition as written.
        text: String,
        /// Its values: `sum(acts.severity) = 14, needs >= 15`.
        summary: String,
        /// For an ordering comparison of numbers, dates or durations that
        /// did not hold, how far apart its sides are (`1` above); `0` when
        /// it held. A replay ranks days by it to find the closest approach
        /// to a rung.
        #[serde(skip)]
        shortfall: Option<f64>,
    },
}

impl Trace {
    /// Whether the part held (`None`: it failed).
    pub fn holds(&self) -> Option<bool> {
        match self {
            Trace::All { holds, .. }
            | Trace::Any { holds, .. }
            | Trace::Not { holds, .. }
            | Trace::Named { holds, .. }
            | Trace::Leaf { holds, .. } => *holds,
        }
    }
}

/// Whether `effect` is a recommend.
pub fn is_recommend(r: &RuleExplanation) -> bool {
    r.effect == Effect::Recommend.as_str()
}

/// Breaks a condition into parts and evaluates each (no short-circuit, so
/// every part shows). A part that fails shows its error; a bug stops.
pub(super) fn trace(
    env: &mut Env<'_>,
    program: &Program,
    block: &Block,
    e: &Expr,
) -> Result<Trace, Internal> {
    Ok(match &e.kind {
        ExprKind::And(..) => {
            let parts = flatten(e, true)
                .into_iter()
                .map(|p| trace(env, program, block, p))
                .collect::<Result<Vec<Trace>, _>>()?;
            let holds = combine(&parts, true);
            Trace::All { holds, parts }
        }
        ExprKind::Or(..) => {
            let parts = flatten(e, false)
                .into_iter()
                .map(|p| trace(env, program, block, p))
                .collect::<Result<Vec<Trace>, _>>()?;
            let holds = combine(&parts, false);
            Trace::Any { holds, parts }
        }
        ExprKind::Not(x) => {
            let part = trace(env, program, block, x)?;
            Trace::Not {
                holds: part.holds().map(|h| !h),
                part: Box::new(part),
            }
        }
        _ => match definition(program, block, e) {
            Some(def) => {
                // A global definition is traced outside the subject (see
                // `Env::global`); a block's own, inside it.
                let part = if matches!(e.kind, ExprKind::Let(_)) {
                    trace(&mut env.global(), program, block, &def.value)?
                } else {
                    trace(env, program, block, &def.value)?
                };
                Trace::Named {
                    holds: part.holds(),
                    name: def.name.clone(),
                    part: Box::new(part),
                }
            }
            None => leaf(env, program, e)?,
        },
    })
}

/// The boolean definition `e` names, when it is one the user wrote (the
/// checker's hoisted definitions are never shown).
fn definition<'p>(program: &'p Program, block: &'p Block, e: &Expr) -> Option<&'p LetDef> {
    if e.ty != Type::Bool {
        return None;
    }
    match &e.kind {
        ExprKind::Let(id) if id.index() >= program.hoisted => program.lets.get(id.index()),
        ExprKind::BlockLet(id) => block.lets.get(id.index()),
        _ => None,
    }
}

/// The parts of a condition joined by `and` (or by `or`), left to right.
pub(super) fn flatten(e: &Expr, and: bool) -> Vec<&Expr> {
    match (&e.kind, and) {
        (ExprKind::And(a, b), true) | (ExprKind::Or(a, b), false) => {
            let mut v = flatten(a, and);
            v.extend(flatten(b, and));
            v
        }
        _ => vec![e],
    }
}

fn combine(parts: &[Trace], and: bool) -> Option<bool> {
    let mut result = and;
    for p in parts {
        match p.holds() {
            None => return None,
            Some(h) if and && !h => result = false,
            Some(h) if !and && h => result = true,
            _ => {}
        }
    }
    Some(result)
}

fn show(program: &Program, e: &Expr, v: &Value) -> Result<String, Internal> {
    crate::value::show(v, &e.ty, &program.schema)
}

/// A leaf: its value and, for comparisons, both sides.
fn leaf(env: &mut Env<'_>, program: &Program, e: &Expr) -> Result<Trace, Internal> {
    let text = crate::fmt::one_line(e.span.text());
    let summary;
    let holds;
    let mut shortfall = None;
    match &e.kind {
        ExprKind::Cmp(op, a, b) => match (surface(env.eval(a))?, surface(env.eval(b))?) {
            (Ok(x), Ok(y)) => {
                holds = Some(compare(*op, &x, &y));
                shortfall =
                    distance(*op, &x, &y).map(|d| if holds == Some(true) { 0.0 } else { d });
                let left = describe(program, a, &x)?;
                let right = match (&b.kind, &y) {
                    // A decimal literal at its written scale (`2.0`, not `2`).
                    (ExprKind::Const(_), Value::Decimal(d)) => d.to_string(),
                    (ExprKind::Const(_), _) => show(program, b, &y)?,
                    _ => format!(
                        "{} ({})",
                        crate::fmt::one_line(b.span.text()),
                        show(program, b, &y)?
                    ),
                };
                let mut s = format!("{left}, needs {} {right}", op.as_str());
                for side in [a.as_ref(), b.as_ref()] {
                    if let Some(filtered) = filter_summary(env, program, side)? {
                        s.push_str("; ");
                        s.push_str(&filtered);
                    }
                }
                summary = s;
            }
            (Err(err), _) | (_, Err(err)) => {
                holds = None;
                summary = format!("{text}: {err}");
            }
        },
        ExprKind::Quantified(q, list, cond, slot) => match surface(env.eval(list))? {
            Ok(items) => {
                let items = list_items(&items);
                let mut matched = 0usize;
                let mut failed = None;
                // The items that matched (for `all`: that did not), by name.
                let mut named = Named::default();
                for (i, item) in items.clone().enumerate() {
                    env.set_local(*slot, item.clone());
                    match surface(env.eval(cond))? {
                        Ok(v) => {
                            let hit = truthy(&v);
                            if hit {
                                matched += 1;
                            }
                            if hit != (*q == Quantifier::All) {
                                named.push(|| item_label(program, &list.ty, item, i))?;
                            }
                        }
                        Err(err) => failed = Some(err),
                    }
                }
                let n = items.len();
                holds = match failed {
                    Some(_) => None,
                    None => Some(match q {
                        Quantifier::Any => matched > 0,
                        Quantifier::All => matched == n,
                        Quantifier::No => matched == 0,
                    }),
                };
                summary = match failed {
                    Some(err) => format!("{text}: {err}"),
                    None if named.total == 0 => format!("{text}: {matched} of {n} match"),
                    None if *q == Quantifier::All => {
                        format!("{text}: {matched} of {n} match; not: {}", named.text())
                    }
                    None => format!("{text}: {matched} of {n} match: {}", named.text()),
                };
            }
            Err(err) => {
                holds = None;
                summary = format!("{text}: {err}");
            }
        },
        // `plan is present` reads as what the value is: `plan is absent`.
        ExprKind::IsPresent(x, present) => match surface(env.eval(e))? {
            Ok(v) => {
                holds = Some(truthy(&v));
                let is_present = truthy(&v) == *present;
                let word = if is_present { "present" } else { "absent" };
                summary = format!("{} is {word}", crate::fmt::one_line(x.span.text()));
            }
            Err(err) => {
                holds = None;
                summary = format!("{text}: {err}");
            }
        },
        _ => match surface(env.eval(e))? {
            Ok(v) => {
                holds = Some(truthy(&v));
                summary = format!("{text} is {}", show(program, e, &v)?);
            }
            Err(err) => {
                holds = None;
                summary = format!("{text}: {err}");
            }
        },
    }
    Ok(Trace::Leaf {
        holds,
        text,
        summary,
        shortfall,
    })
}

/// How far apart the sides of an ordering comparison are, for numbers,
/// dates and durations; `None` for `==`, `!=` and other values.
fn distance(op: CmpOp, x: &Value, y: &Value) -> Option<f64> {
    use rust_decimal::prelude::ToPrimitive as _;
    if matches!(op, CmpOp::Eq | CmpOp::Ne) {
        return None;
    }
    let number = |v: &Value| match v {
        Value::Int(i) => i.to_f64(),
        Value::Decimal(d) => d.to_f64(),
        Value::Date(d) => Some(f64::from(*d)),
        Value::Duration(d) => d.to_f64(),
        _ => None,
    };
    Some((number(x)? - number(y)?).abs())
}

/// At most this many items are named in a summary; the rest are counted.
const NAMED_ITEMS: usize = 5;

/// Items named in a summary: the first few by name, the rest counted (a
/// name is only made for an item that is shown).
#[derive(Default)]
struct Named {
    shown: Vec<String>,
    total: usize,
}

impl Named {
    fn push(&mut self, label: impl FnOnce() -> Result<String, Internal>) -> Result<(), Internal> {
        if self.shown.len() < NAMED_ITEMS {
            self.shown.push(label()?);
        }
        self.total += 1;
        Ok(())
    }

    /// `EE, LV, LT and 4 more`.
    fn text(&self) -> String {
        let mut s = self.shown.join(", ");
        if self.total > self.shown.len() {
            s.push_str(&format!(" and {} more", self.total - self.shown.len()));
        }
        s
    }
}

/// An item of a list as explanations name it: its `unique` field's value,
/// or its position (`#3`).
fn item_label(
    program: &Program,
    list_ty: &Type,
    item: &Value,
    i: usize,
) -> Result<String, Internal> {
    Ok(match program.schema.unique_key(list_ty, item)? {
        Some((_, Value::Str(s))) => s.to_string(),
        Some((f, v)) => crate::value::show(v, &f.ty, &program.schema)?,
        None => format!("#{}", i + 1),
    })
}

/// For an aggregate over a `where` (`count(acts where severity >= 4)`):
/// how many items passed, and which were excluded by which part of the
/// condition (the first part, in order, that did not hold for them).
fn filter_summary(
    env: &mut Env<'_>,
    program: &Program,
    e: &Expr,
) -> Result<Option<String>, Internal> {
    let ExprKind::Aggregate(_, arg) = &e.kind else {
        return Ok(None);
    };
    let filter = match &arg.kind {
        ExprKind::MapField(inner, _) => inner.as_ref(),
        _ => arg.as_ref(),
    };
    let ExprKind::Filter(list, cond, slot) = &filter.kind else {
        return Ok(None);
    };
    let Ok(items) = surface(env.eval(list))? else {
        return Ok(None);
    };
    let items = list_items(&items);
    let parts = flatten(cond, true);
    let mut passed = 0usize;
    // Per part, in order: the items it excluded.
    let mut excluded: Vec<Named> = parts.iter().map(|_| Named::default()).collect();
    for (i, item) in items.clone().enumerate() {
        env.set_local(*slot, item.clone());
        let mut first_failing = None;
        for (k, part) in parts.iter().enumerate() {
            match surface(env.eval(part))? {
                Ok(v) if truthy(&v) => {}
                // A part that fails to evaluate excludes the item too (the
                // whole expression reports the error).
                _ => {
                    first_failing = Some(k);
                    break;
                }
            }
        }
        match first_failing.and_then(|k| excluded.get_mut(k)) {
            Some(names) => names.push(|| item_label(program, &list.ty, item, i))?,
            None => passed += 1,
        }
    }
    let mut s = format!(
        "where {}: {passed} of {} pass",
        crate::fmt::one_line(cond.span.text()),
        items.len()
    );
    for (part, names) in parts.iter().zip(&excluded) {
        if names.total > 0 {
            s.push_str(&format!(
                "; excluded by {}: {}",
                crate::fmt::one_line(part.span.text()),
                names.text()
            ));
        }
    }
    Ok(Some(s))
}

/// `expr = value`, or just the value for a literal.
fn describe(program: &Program, e: &Expr, v: &Value) -> Result<String, Internal> {
    let shown = show(program, e, v)?;
    Ok(if matches!(e.kind, ExprKind::Const(_)) {
        shown
    } else {
        format!("{} = {shown}", crate::fmt::one_line(e.span.text()))
    })
}
