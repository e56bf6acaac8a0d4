//! Hoisting: subexpressions of loop bodies that do not depend on the item.
//!
//! `incidents where date > now - 365d` would compute `now - 365d` once per
//! incident. Any subexpression inside a `where` or quantifier condition that
//! reads only constants and facts is the same for every item, so it becomes
//! a hidden global definition, evaluated once per evaluation, placed before
//! every other definition. Semantics are unchanged: a definition's value (or
//! error) is only observed where the expression stood.

use crate::program::{Expr, ExprKind, LetDef, LetId, Program};

/// Hoists invariant subexpressions of loop bodies into leading definitions.
pub fn hoist(program: &mut Program) {
    let mut hoisted: Vec<LetDef> = Vec::new();
    for def in &mut program.lets {
        walk(&mut def.value, false, &mut hoisted);
    }
    for block in &mut program.blocks {
        walk(&mut block.source, false, &mut hoisted);
        walk(&mut block.key, false, &mut hoisted);
        for def in &mut block.lets {
            walk(&mut def.value, false, &mut hoisted);
        }
        for rule in &mut block.rules {
            if let Some(w) = &mut rule.when {
                walk(w, false, &mut hoisted);
            }
        }
    }
    for w in &mut program.warns {
        walk(&mut w.items, false, &mut hoisted);
    }
    let n = hoisted.len() as u32;
    if n == 0 {
        return;
    }
    // Hoisted definitions come first: renumber references to the others.
    let shift = |e: &mut Expr| renumber(e, n);
    for def in &mut program.lets {
        shift(&mut def.value);
    }
    for block in &mut program.blocks {
        shift(&mut block.source);
        shift(&mut block.key);
        for def in &mut block.lets {
            shift(&mut def.value);
        }
        for rule in &mut block.rules {
            if let Some(w) = &mut rule.when {
                shift(w);
            }
        }
    }
    for w in &mut program.warns {
        shift(&mut w.items);
    }
    // Hoisted expressions read only facts and constants: no renumbering needed.
    hoisted.append(&mut program.lets);
    program.lets = hoisted;
    program.hoisted = n as usize;
}

/// Whether `e` reads only constants and facts.
fn invariant(e: &Expr) -> bool {
    use ExprKind::*;
    match &e.kind {
        Let(_) | BlockLet(_) | Local(_) | Filter(..) | Quantified(..) => false,
        _ => e.children().into_iter().all(invariant),
    }
}

/// Whether evaluating `e` is already free (a stored value).
fn trivial(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Const(_) | ExprKind::Fact(_) | ExprKind::Let(_) => true,
        ExprKind::Field(x, _) => trivial(x),
        _ => false,
    }
}

/// Replaces invariant subtrees inside loop bodies (`in_loop`) by `Let` references.
fn walk(e: &mut Expr, in_loop: bool, hoisted: &mut Vec<LetDef>) {
    if in_loop && !trivial(e) && invariant(e) {
        // A placeholder counted down from `u32::MAX`, resolved by `renumber`.
        let index = u32::MAX - hoisted.len() as u32;
        let value = std::mem::replace(
            e,
            Expr {
                kind: ExprKind::Let(LetId::of(index)),
                ty: e.ty.clone(),
                span: e.span.clone(),
            },
        );
        hoisted.push(LetDef {
            name: value.span.text().to_string(),
            span: value.span.clone(),
            value,
        });
        return;
    }
    match &mut e.kind {
        ExprKind::Filter(list, cond, _) | ExprKind::Quantified(_, list, cond, _) => {
            walk(list, in_loop, hoisted);
            walk(cond, true, hoisted);
        }
        _ => e.children_mut().for_each(|c| walk(c, in_loop, hoisted)),
    }
}

/// Points placeholders at the hoisted definitions and shifts every other
/// definition reference past them.
fn renumber(e: &mut Expr, n: u32) {
    match &mut e.kind {
        ExprKind::Let(i) if i.index() > (u32::MAX - n) as usize => {
            *i = LetId::new(u32::MAX as usize - i.index());
        }
        ExprKind::Let(i) => *i = LetId::new(i.index() + n as usize),
        _ => e.children_mut().for_each(|c| renumber(c, n)),
    }
}
