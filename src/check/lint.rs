//! Warnings over a checked program: things that are legal but likely wrong.

use super::CheckWarning;
use crate::ast::Effect;
use crate::program::{Expr, ExprKind, LadderId, Program, RungId};
use crate::value::Value;

/// Warnings about rungs, conditions and forbids.
pub fn lint(program: &Program) -> Vec<CheckWarning> {
    let mut out = Vec::new();
    for (li, ladder) in program.schema.ladders.iter().enumerate() {
        let li = LadderId::new(li);
        if !program.blocks.iter().any(|b| b.ladder == li) {
            continue;
        }
        for (ri, rung) in ladder.rungs.iter().enumerate() {
            if !super::recommends(program, li, RungId::new(ri)) {
                out.push(CheckWarning::unreachable_rung(
                    &rung.span,
                    &rung.name,
                    &ladder.name,
                ));
            }
        }
    }
    for block in &program.blocks {
        for rule in &block.rules {
            let Some(when) = &rule.when else { continue };
            let constant = if is_constant(when) {
                const_bool(when)
            } else {
                None
            };
            // A forbid that is always false is reported as a dead forbid below.
            let dead = rule.effect == Effect::Forbid && constant == Some(false);
            if let Some(value) = constant.filter(|_| !dead) {
                out.push(CheckWarning::constant_condition(&when.span, value));
            }
            if rule.effect == Effect::Forbid {
                let reason = if constant == Some(false) {
                    Some("its condition is always false".to_string())
                } else if !rule
                    .rungs()
                    .any(|r| super::recommends(program, block.ladder, r))
                {
                    Some("no rule recommends the rungs it forbids".to_string())
                } else {
                    None
                };
                if let Some(reason) = reason {
                    out.push(CheckWarning::dead_forbid(&rule.span, reason));
                }
            }
        }
    }
    out
}

/// Whether an expression reads nothing from the facts or the subject.
fn is_constant(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Fact(_) | ExprKind::Let(_) | ExprKind::BlockLet(_) | ExprKind::Local(_) => false,
        _ => e.children().into_iter().all(is_constant),
    }
}

/// The value of a constant condition, if it can be computed without facts.
fn const_bool(e: &Expr) -> Option<bool> {
    match crate::eval::eval_constant(e) {
        Some(Value::Bool(b)) => Some(b),
        _ => None,
    }
}
