//! Expressions typed at the prompt: checked in the scope of the session's
//! checked policy, at the top level or in one subject's scope, then
//! evaluated against the facts.
//!
//! The policy is not checked again: [`check::expression`] resolves the
//! expression's names to the program's own facts, definitions and slots,
//! and [`eval::expression`] evaluates it with the program's values. The
//! expression keeps its spans into what was typed, so errors point there.

use crate::ast;
use crate::check;
use crate::diagnostic::Diag;
use crate::eval::{self, EvalErrorKind, EvalReport, Scope};
use crate::facts::Facts;
use crate::internal::Internal;
use crate::program::{BlockId, Expr, ExprKind, Program};
use crate::types::Type;
use crate::value::{self, Value};

use super::error::ReplError;
use super::policy::SessionPolicy;
use miette::Report;

/// Where expressions are evaluated: a subject of a rules block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectScope {
    /// The ladder the block decides.
    pub ladder: String,
    /// The subject (as decisions name it).
    pub subject: String,
    /// Index of the rules block among the policy's blocks.
    pub block: usize,
}

/// A checked expression and the block whose subject scope it was checked in.
pub struct Probe {
    /// The expression, resolved against the session's program.
    pub expr: Expr,
    /// The block, in a subject's scope.
    block: Option<BlockId>,
}

impl Probe {
    /// The expression's type, written for people.
    pub fn type_name(&self, program: &Program) -> String {
        program.schema.show(&self.expr.ty)
    }

    /// Whether evaluating it needs the facts.
    pub fn needs_facts(&self, program: &Program) -> bool {
        self.block.is_some() || reads_facts(program, &self.expr, 0)
    }
}

/// Checks `expr` in the session's policy and scope.
pub fn check(
    session: &SessionPolicy,
    expr: &ast::Expr,
    scope: Option<&SubjectScope>,
) -> Result<Probe, Vec<Diag>> {
    let block = scope.map(|s| BlockId::new(s.block));
    let expr = check::expression(&session.policy.program, expr, block)?;
    Ok(Probe { expr, block })
}

/// Evaluates a checked expression; `subject` names the group in a subject's
/// scope. Without facts, only an expression that reads none is evaluated.
pub fn evaluate(
    program: &Program,
    probe: &Probe,
    facts: Option<&Facts>,
    subject: Option<&str>,
) -> Result<Value, Report> {
    let scope = match (probe.block, subject) {
        (Some(block), Some(subject)) => Scope::Subject { block, subject },
        _ => Scope::Global,
    };
    let result = eval::expression(program, facts, &probe.expr, scope)
        .map_err(|e| Report::new(Diag::from(e)))?;
    match result {
        Some(Ok(v)) => Ok(v),
        Some(Err(e)) if e.span.file.name.starts_with("<repl") => {
            let (src, span) = super::error::at(&e.span);
            let help = match e.kind {
                EvalErrorKind::DateOutOfRange => {
                    "dates run from 0001-01-01 to 9999-12-31: a duration that large leaves the calendar"
                }
                EvalErrorKind::DivisionByZero => {
                    "division by zero fails: guard it with a condition"
                }
                EvalErrorKind::Inexact => {
                    "decimals are exact: a result with no exact decimal (`1 / 3.0`) fails rather than rounds"
                }
                _ => "arithmetic is checked: ints overflow past ±9223372036854775807",
            };
            Err(Report::new(ReplError::Eval {
                src,
                span,
                message: e.to_string(),
                help,
            }))
        }
        Some(Err(e)) => Err(Report::new(Diag::from(EvalReport::from(&e)))),
        None => Err(Report::new(ReplError::Plain {
            message: format!(
                "`{}` is no longer a subject under these facts",
                subject.unwrap_or_default()
            ),
            help: Some("leave the scope with `:subject`, or choose another subject".into()),
        })),
    }
}

/// Items of a long list shown one per line.
const MAX_LINES: usize = 50;

/// `value : type`; a list too long for one line gets one item per line.
pub fn show(program: &Program, ty: &Type, v: &Value) -> Result<String, Internal> {
    let schema = &program.schema;
    let line = value::show(v, ty, schema)?;
    let (Value::List(items), Some(elem)) = (v, ty.element()) else {
        return Ok(format!("{line} : {}", schema.show(ty)));
    };
    if line.chars().count() <= 100 {
        return Ok(format!("{line} : {}", schema.show(ty)));
    }
    let mut out = String::from("[\n");
    for item in items.iter().take(MAX_LINES) {
        out.push_str("  ");
        out.push_str(&value::show(item, elem, schema)?);
        out.push_str(",\n");
    }
    if items.len() > MAX_LINES {
        out.push_str(&format!("  … {} more\n", items.len() - MAX_LINES));
    }
    Ok(format!(
        "{out}] : {} ({} items)",
        schema.show(ty),
        items.len()
    ))
}

/// Whether `e` reads the facts, directly or through definitions.
fn reads_facts(program: &Program, e: &Expr, depth: usize) -> bool {
    if depth > 256 {
        return true;
    }
    let r = |x: &Expr| reads_facts(program, x, depth + 1);
    match &e.kind {
        ExprKind::Const(_) => false,
        ExprKind::Fact(_) | ExprKind::BlockLet(_) => true,
        ExprKind::Local(_) => false,
        ExprKind::Let(i) => program
            .lets
            .get(i.index())
            .is_none_or(|l| reads_facts(program, &l.value, depth + 1)),
        ExprKind::Field(x, _)
        | ExprKind::MapField(x, _)
        | ExprKind::Not(x)
        | ExprKind::Neg(x)
        | ExprKind::IsPresent(x, _)
        | ExprKind::Aggregate(_, x)
        | ExprKind::Days(x) => r(x),
        ExprKind::List(xs) => xs.iter().any(r),
        ExprKind::And(a, b)
        | ExprKind::Or(a, b)
        | ExprKind::Cmp(_, a, b)
        | ExprKind::In(a, b, _)
        | ExprKind::Arith(_, a, b)
        | ExprKind::Otherwise(a, b)
        | ExprKind::Filter(a, b, _)
        | ExprKind::Quantified(_, a, b, _) => r(a) || r(b),
    }
}

/// Names defined only inside rules blocks (subject, items, block lets), with
/// the ladder of their block: used to suggest `:subject` when one is used at
/// the top level.
pub fn block_names(program: &Program) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for b in &program.blocks {
        let Ok(ladder) = program.ladder(b.ladder).map(|l| l.name.clone()) else {
            continue;
        };
        // A keyed block names no subject.
        if !b.subject.is_empty() {
            out.push((b.subject.clone(), ladder.clone()));
        }
        out.push((b.items.clone(), ladder.clone()));
        for l in &b.lets {
            out.push((l.name.clone(), ladder.clone()));
        }
    }
    out
}

/// The subjects of rules block `block` for these facts, in list order.
/// None when the block's list cannot be grouped under these facts (the
/// decisions report why).
pub fn block_subjects(program: &Program, facts: &Facts, block: usize) -> Vec<String> {
    match eval::subjects(program, facts, BlockId::new(block)) {
        Ok(Ok(subjects)) => subjects,
        Ok(Err(_)) | Err(_) => Vec::new(),
    }
}
