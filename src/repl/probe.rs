//! Expressions typed at the prompt: checked in the session's policy, in the
//! global scope or in one subject's scope, then evaluated against the facts.
//!
//! The checker only checks whole policies, so an expression is checked as a
//! definition added to the policy: `let (repl) = EXPR` at the top level, or,
//! in a subject's scope, inside a copy of that subject's rules block (its
//! lets, subject and items in scope, its rules left out). The name `(repl)`
//! cannot be written in a policy, so it never clashes. The expression keeps
//! its spans into what was typed, so errors point there.

use std::sync::Arc;

use crate::ast::{self, BlockItem, Decl};
use crate::diagnostic::Diag;
use crate::eval::{self, Env, EvalReport};
use crate::facts::Facts;
use crate::policy::Policy;
use crate::program::{Expr, ExprKind, Program};
use crate::source::SourceFile;
use crate::types::Type;
use crate::value::{Display, Value};

use super::error::ReplError;
use super::policy::{Parsed, SessionPolicy, check_sources};
use miette::Report;

/// The name the probed expression is defined under.
pub const PROBE: &str = "(repl)";

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

/// A checked expression: the policy it was checked in and where it sits.
pub struct Probe {
    /// The policy with the expression added.
    pub program: Program,
    /// The block holding it, in a subject's scope.
    block: Option<usize>,
}

impl Probe {
    /// The checked expression.
    pub fn expr(&self) -> Option<&Expr> {
        let lets = match self.block {
            None => &self.program.lets,
            Some(b) => &self.program.blocks.get(b)?.lets,
        };
        lets.iter().find(|l| l.name == PROBE).map(|l| &l.value)
    }

    /// The expression's type, written for people.
    pub fn type_name(&self) -> String {
        self.expr()
            .map_or_else(|| "unknown".into(), |e| self.program.schema.show(&e.ty))
    }

    /// Whether evaluating it needs the facts.
    pub fn needs_facts(&self) -> bool {
        self.block.is_some()
            || self
                .expr()
                .is_some_and(|e| reads_facts(&self.program, e, 0))
    }
}

/// Checks `expr` (typed in `file`) in the session's policy and scope.
pub fn check(
    session: &SessionPolicy,
    file: &Arc<SourceFile>,
    expr: ast::Expr,
    scope: Option<&SubjectScope>,
) -> Result<Probe, Vec<Diag>> {
    let mut sources = session.sources();
    let def = ast::LetDecl {
        name: ast::Ident {
            name: PROBE.into(),
            span: expr.span.clone(),
        },
        span: expr.span.clone(),
        value: expr,
    };
    let (decl, block) = match scope.and_then(|s| rules_decl(&sources, s.block)) {
        Some(mut rules) => {
            rules.lets.push(def);
            rules.rules.clear();
            rules.order = (0..rules.lets.len()).map(BlockItem::Let).collect();
            let index = count_rules(&sources);
            (Decl::Rules(rules), Some(index))
        }
        None => (Decl::Let(def), None),
    };
    sources.push((Arc::clone(file), ast::File { decls: vec![decl] }));
    let Policy { program, .. } = check_sources(sources)?;
    Ok(Probe { program, block })
}

/// The `index`-th rules block of the sources.
fn rules_decl(sources: &[Parsed], index: usize) -> Option<ast::RulesDecl> {
    sources
        .iter()
        .flat_map(|(_, f)| &f.decls)
        .filter_map(|d| match d {
            Decl::Rules(r) => Some(r),
            _ => None,
        })
        .nth(index)
        .cloned()
}

fn count_rules(sources: &[Parsed]) -> usize {
    sources
        .iter()
        .flat_map(|(_, f)| &f.decls)
        .filter(|d| matches!(d, Decl::Rules(_)))
        .count()
}

/// Evaluates a checked expression; `subject` names the group in a subject's scope.
pub fn evaluate(probe: &Probe, facts: &Facts, subject: Option<&str>) -> Result<Value, Report> {
    let program = &probe.program;
    let lets = eval::global_lets(program, facts);
    let result = match probe.block {
        None => program
            .lets
            .iter()
            .position(|l| l.name == PROBE)
            .and_then(|i| lets.get(i).cloned()),
        Some(b) => {
            let block = program.blocks.get(b);
            let mut env = Env {
                facts: &facts.values,
                lets: &lets,
                block_lets: Vec::new(),
                locals: Vec::new(),
            };
            match block {
                Some(block) => in_block(program, &mut env, block, subject),
                None => None,
            }
        }
    };
    match result {
        Some(Ok(v)) => Ok(v),
        Some(Err(e)) if e.span.file.name.starts_with("<repl") => {
            let (src, span) = super::error::at(&e.span);
            Err(Report::new(ReplError::Eval {
                src,
                span,
                message: e.to_string(),
            }))
        }
        Some(Err(e)) => Err(Report::new(Diag::from(EvalReport::from(&e)))),
        None => Ok(Value::Absent),
    }
}

fn in_block(
    program: &Program,
    env: &mut Env<'_>,
    block: &crate::program::Block,
    subject: Option<&str>,
) -> Option<eval::EvalResult> {
    let groups = match eval::groups(env, block) {
        Ok(g) => g,
        Err(e) => return Some(Err(e)),
    };
    let group = groups
        .into_iter()
        .find(|g| Some(eval::subject_name(program, block, &g.key).as_str()) == subject)?;
    eval::enter(env, block, group.key, group.items);
    let i = block.lets.iter().position(|l| l.name == PROBE)?;
    env.block_lets.get(i).cloned()
}

/// Items of a long list shown one per line.
const MAX_LINES: usize = 50;

/// `value : type`; a list too long for one line gets one item per line.
pub fn show(program: &Program, ty: &Type, v: &Value) -> String {
    let schema = &program.schema;
    let one = |value: &Value, ty: &Type| Display { value, ty, schema }.to_string();
    let line = one(v, ty);
    let (Value::List(items), Some(elem)) = (v, ty.element()) else {
        return format!("{line} : {}", schema.show(ty));
    };
    if line.chars().count() <= 100 {
        return format!("{line} : {}", schema.show(ty));
    }
    let mut out = String::from("[\n");
    for item in items.iter().take(MAX_LINES) {
        out.push_str("  ");
        out.push_str(&one(item, elem));
        out.push_str(",\n");
    }
    if items.len() > MAX_LINES {
        out.push_str(&format!("  … {} more\n", items.len() - MAX_LINES));
    }
    format!("{out}] : {} ({} items)", schema.show(ty), items.len())
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
            .get(*i as usize)
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
        let ladder = program
            .schema
            .ladders
            .get(b.ladder as usize)
            .map_or_else(String::new, |l| l.name.clone());
        out.push((b.subject.clone(), ladder.clone()));
        out.push((b.items.clone(), ladder.clone()));
        for l in &b.lets {
            out.push((l.name.clone(), ladder.clone()));
        }
    }
    out
}

/// The subjects of rules block `block` for these facts, in list order.
pub fn block_subjects(program: &Program, facts: &Facts, block: usize) -> Vec<String> {
    let Some(b) = program.blocks.get(block) else {
        return Vec::new();
    };
    let lets = eval::global_lets(program, facts);
    let mut env = Env {
        facts: &facts.values,
        lets: &lets,
        block_lets: Vec::new(),
        locals: Vec::new(),
    };
    eval::groups(&mut env, b)
        .map(|gs| {
            gs.iter()
                .map(|g| eval::subject_name(program, b, &g.key))
                .collect()
        })
        .unwrap_or_default()
}
