//! Explanations: for every rule and subject, whether it fired and the value
//! of each part of its condition, so a reader sees which part was not met
//! and by how much (`sum(high_acts.severity) = 14, needs >= 15`).

use std::collections::HashMap;

use serde::Serialize;

use super::expr::{Env, list_items, truthy};
use super::{condition, enter, global_lets, groups, subject_name};
use crate::ast::{Effect, Quantifier};
use crate::facts::Facts;
use crate::program::{Expr, ExprKind, Program};
use crate::value::{Display, Value};

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
    /// Rung indices concerned (lowest, highest).
    #[serde(skip)]
    pub range: (u32, u32),
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
    /// A comparison or other condition, with values.
    Leaf {
        /// Whether it held.
        holds: Option<bool>,
        /// The condition as written.
        text: String,
        /// Its values: `sum(acts.severity) = 14, needs >= 15`.
        summary: String,
    },
}

impl Trace {
    /// Whether the part held (`None`: it failed).
    pub fn holds(&self) -> Option<bool> {
        match self {
            Trace::All { holds, .. }
            | Trace::Any { holds, .. }
            | Trace::Not { holds, .. }
            | Trace::Leaf { holds, .. } => *holds,
        }
    }
}

/// Explains every rule for every subject of every ladder.
pub fn explain(program: &Program, facts: &Facts) -> Vec<SubjectExplanation> {
    let lets = global_lets(program, facts);
    let mut out: Vec<SubjectExplanation> = Vec::new();
    // Where each (ladder, subject) is in `out`: several blocks may add to one.
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    for block in &program.blocks {
        let mut env = Env {
            facts: &facts.values,
            lets: &lets,
            block_lets: Vec::new(),
            locals: Vec::new(),
        };
        let Ok(groups) = groups(&mut env, block) else {
            continue;
        };
        let ladder = program
            .schema
            .ladders
            .get(block.ladder as usize)
            .map_or_else(String::new, |l| l.name.clone());
        for group in groups {
            let subject = subject_name(program, block, &group.key);
            enter(&mut env, block, group.key, group.items);
            let rules: Vec<RuleExplanation> = block
                .rules
                .iter()
                .map(|rule| {
                    let result = condition(&mut env, rule.when.as_ref());
                    let (outcome, error) = match &result {
                        Ok(true) => (Outcome::Fired, None),
                        Ok(false) => (Outcome::NotMet, None),
                        Err(e) => (Outcome::Failed, Some(e.to_string())),
                    };
                    RuleExplanation {
                        rule: rule.name.to_string(),
                        effect: rule.effect.as_str().into(),
                        range: (rule.lo, rule.hi),
                        rungs: (rule.lo..=rule.hi)
                            .map(|r| {
                                program
                                    .schema
                                    .ladders
                                    .get(block.ladder as usize)
                                    .and_then(|l| l.rungs.get(r as usize))
                                    .map_or_else(String::new, |r| r.name.clone())
                            })
                            .collect(),
                        outcome,
                        error,
                        condition: rule.when.as_ref().map(|w| trace(&mut env, program, w)),
                    }
                })
                .collect();
            match index
                .get(&(ladder.clone(), subject.clone()))
                .and_then(|&i| out.get_mut(i))
            {
                Some(s) => s.rules.extend(rules),
                None => {
                    index.insert((ladder.clone(), subject.clone()), out.len());
                    out.push(SubjectExplanation {
                        ladder: ladder.clone(),
                        subject,
                        rules,
                    });
                }
            }
        }
    }
    let order = |s: &SubjectExplanation| {
        (
            program
                .schema
                .ladders
                .iter()
                .position(|l| l.name == s.ladder)
                .unwrap_or(usize::MAX),
            s.subject.clone(),
        )
    };
    out.sort_by_key(order);
    out
}

/// Whether `effect` is a recommend.
pub fn is_recommend(r: &RuleExplanation) -> bool {
    r.effect == Effect::Recommend.as_str()
}

/// Breaks a condition into parts and evaluates each (no short-circuit, so
/// every part shows).
pub fn trace(env: &mut Env<'_>, program: &Program, e: &Expr) -> Trace {
    match &e.kind {
        ExprKind::And(..) => {
            let parts: Vec<Trace> = flatten(e, true)
                .into_iter()
                .map(|p| trace(env, program, p))
                .collect();
            let holds = combine(&parts, true);
            Trace::All { holds, parts }
        }
        ExprKind::Or(..) => {
            let parts: Vec<Trace> = flatten(e, false)
                .into_iter()
                .map(|p| trace(env, program, p))
                .collect();
            let holds = combine(&parts, false);
            Trace::Any { holds, parts }
        }
        ExprKind::Not(x) => {
            let part = trace(env, program, x);
            Trace::Not {
                holds: part.holds().map(|h| !h),
                part: Box::new(part),
            }
        }
        _ => leaf(env, program, e),
    }
}

fn flatten(e: &Expr, and: bool) -> Vec<&Expr> {
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

fn show(program: &Program, e: &Expr, v: &Value) -> String {
    Display {
        value: v,
        ty: &e.ty,
        schema: &program.schema,
    }
    .to_string()
}

/// A leaf: its value and, for comparisons, both sides.
fn leaf(env: &mut Env<'_>, program: &Program, e: &Expr) -> Trace {
    let text = e.span.text().to_string();
    let summary;
    let holds;
    match &e.kind {
        ExprKind::Cmp(op, a, b) => match (env.eval(a), env.eval(b)) {
            (Ok(x), Ok(y)) => {
                holds = Some(crate::eval::expr::compare(*op, &x, &y));
                let left = describe(program, a, &x);
                let right = if matches!(b.kind, ExprKind::Const(_)) {
                    show(program, b, &y)
                } else {
                    format!("{} ({})", b.span.text(), show(program, b, &y))
                };
                summary = format!("{left}, needs {} {right}", op.as_str());
            }
            (Err(err), _) | (_, Err(err)) => {
                holds = None;
                summary = format!("{text}: {err}");
            }
        },
        ExprKind::Quantified(q, list, cond, slot) => match env.eval(list) {
            Ok(items) => {
                let items = list_items(&items).to_vec();
                let mut matched = 0usize;
                let mut failed = None;
                for item in &items {
                    if let Some(s) = env.locals.get_mut(*slot as usize) {
                        *s = item.clone();
                    } else {
                        env.locals.resize(*slot as usize, Value::Absent);
                        env.locals.push(item.clone());
                    }
                    match env.eval(cond) {
                        Ok(v) if truthy(&v) => matched += 1,
                        Ok(_) => {}
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
                    None => format!("{text}: {matched} of {n} match"),
                };
            }
            Err(err) => {
                holds = None;
                summary = format!("{text}: {err}");
            }
        },
        _ => match env.eval(e) {
            Ok(v) => {
                holds = Some(truthy(&v));
                summary = format!("{text} is {}", show(program, e, &v));
            }
            Err(err) => {
                holds = None;
                summary = format!("{text}: {err}");
            }
        },
    }
    Trace::Leaf {
        holds,
        text,
        summary,
    }
}

/// `expr = value`, or just the value for a literal.
fn describe(program: &Program, e: &Expr, v: &Value) -> String {
    let shown = show(program, e, v);
    if matches!(e.kind, ExprKind::Const(_)) {
        shown
    } else {
        format!("{} = {shown}", e.span.text())
    }
}
