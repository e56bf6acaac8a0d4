//! Warnings over a checked program: things that are legal but likely wrong.

use super::CheckWarning;
use crate::ast::Effect;
use crate::program::{Aggregate, CmpOp, Expr, ExprKind, LadderId, Program, RungId};
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
    // Each expression, with the subject's name where one is in scope.
    let mut roots: Vec<(&Expr, Option<&str>)> =
        program.lets.iter().map(|l| (&l.value, None)).collect();
    for block in &program.blocks {
        let subject = Some(block.subject.as_str());
        roots.push((&block.source, None));
        roots.push((&block.key, None));
        roots.extend(block.lets.iter().map(|l| (&l.value, subject)));
        roots.extend(
            block
                .rules
                .iter()
                .filter_map(|r| r.when.as_ref())
                .map(|w| (w, subject)),
        );
    }
    roots.extend(program.warns.iter().map(|w| (&w.items, None)));
    for (root, subject) in roots {
        tautologies(root, subject, &mut out);
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

/// Warns about every part of `e` whose value its form fixes although it
/// reads the facts (a part that reads nothing is the constant lint's).
fn tautologies(e: &Expr, subject: Option<&str>, out: &mut Vec<CheckWarning>) {
    if is_constant(e) {
        return;
    }
    if let Some((value, reason, help)) = tautology(e, subject) {
        out.push(CheckWarning::tautology(&e.span, value, reason, help));
        return;
    }
    for c in e.children() {
        tautologies(c, subject, out);
    }
}

/// The value a comparison or connective has whatever the facts, why, and
/// what was likely meant. `subject` is the name of the rules block's
/// subject, when in one.
fn tautology(e: &Expr, subject: Option<&str>) -> Option<(bool, String, String)> {
    match &e.kind {
        ExprKind::Cmp(op, a, b) if same(a, b) => {
            let value = matches!(op, CmpOp::Eq | CmpOp::Le | CmpOp::Ge);
            let text = a.span.text();
            // `sponsor == sponsor` where the subject is also `sponsor`: the
            // item's field hides the subject, so both sides are the field.
            let hidden = subject == Some(text) && matches!(a.kind, ExprKind::Field(..));
            let help = if hidden {
                format!(
                    "here `{text}` is the current item's field, which hides the subject `{text}`; \
                     to compare the two, name the subject otherwise (`for each state, ...`) and compare with that name"
                )
            } else {
                format!(
                    "one side was likely left behind by a rename: compare `{text}` with what was meant"
                )
            };
            Some((value, "it compares a value with itself".to_string(), help))
        }
        ExprKind::Cmp(op, a, b)
            if is_count(a) && is_zero(b) && matches!(op, CmpOp::Ge | CmpOp::Lt) =>
        {
            let value = *op == CmpOp::Ge;
            Some((
                value,
                "a count is never negative".to_string(),
                format!(
                    "to ask whether there is any, write `{} >= 1`",
                    a.span.text()
                ),
            ))
        }
        ExprKind::And(a, b) | ExprKind::Or(a, b) if negates(a, b) || negates(b, a) => {
            let value = matches!(e.kind, ExprKind::Or(..));
            Some((
                value,
                "it joins a condition with its negation".to_string(),
                "one side was likely meant to test something else".to_string(),
            ))
        }
        _ => None,
    }
}

fn is_count(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Aggregate(Aggregate::Count, _))
}

fn is_zero(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Const(Value::Int(0)))
}

/// Whether `b` is `not a`.
fn negates(a: &Expr, b: &Expr) -> bool {
    matches!(&b.kind, ExprKind::Not(inner) if same(a, inner))
}

/// Whether two expressions compute the same thing from the same places
/// (their spans aside): the same facts, definitions, slots and fields.
fn same(a: &Expr, b: &Expr) -> bool {
    use ExprKind as K;
    let head = match (&a.kind, &b.kind) {
        (K::Const(x), K::Const(y)) => x == y,
        (K::Fact(x), K::Fact(y)) => x == y,
        (K::Let(x), K::Let(y)) => x == y,
        (K::BlockLet(x), K::BlockLet(y)) => x == y,
        (K::Local(x), K::Local(y)) => x == y,
        (K::Field(_, f), K::Field(_, g)) | (K::MapField(_, f), K::MapField(_, g)) => f == g,
        (K::List(x), K::List(y)) => x.len() == y.len(),
        (K::Not(_), K::Not(_))
        | (K::Neg(_), K::Neg(_))
        | (K::And(..), K::And(..))
        | (K::Or(..), K::Or(..))
        | (K::Otherwise(..), K::Otherwise(..))
        | (K::Days(_), K::Days(_)) => true,
        (K::Cmp(o, ..), K::Cmp(p, ..)) => o == p,
        (K::Arith(o, ..), K::Arith(p, ..)) => o == p,
        (K::In(.., m), K::In(.., n)) | (K::IsPresent(_, m), K::IsPresent(_, n)) => m == n,
        (K::Filter(.., s), K::Filter(.., t)) => s == t,
        (K::Quantified(q, .., s), K::Quantified(r, .., t)) => q == r && s == t,
        (K::Aggregate(x, _), K::Aggregate(y, _)) => x == y,
        _ => false,
    };
    let (mut ca, mut cb) = (a.children(), b.children());
    head && loop {
        match (ca.next(), cb.next()) {
            (None, None) => break true,
            (Some(x), Some(y)) if same(x, y) => {}
            _ => break false,
        }
    }
}

/// Whether an expression reads nothing from the facts or the subject.
fn is_constant(e: &Expr) -> bool {
    // Asked at every node by `tautologies`: the walk stops at the first
    // part that reads something, which in a real condition comes early.
    !e.any(&mut |part| {
        matches!(
            part.kind,
            ExprKind::Fact(_) | ExprKind::Let(_) | ExprKind::BlockLet(_) | ExprKind::Local(_)
        )
    })
}

/// The value of a constant condition, if it can be computed without facts.
fn const_bool(e: &Expr) -> Option<bool> {
    match crate::eval::eval_constant(e) {
        Some(Value::Bool(b)) => Some(b),
        _ => None,
    }
}
