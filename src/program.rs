//! The checked, resolved program: the only thing the evaluator accepts.
//!
//! Names are bound to slots (facts, lets, locals), fields to indices, enum
//! variants to numbers and every expression has its type. Only the checker
//! can build a [`Program`]: its fields are public to read, and it has no
//! public constructor.

use std::sync::Arc;

use crate::ast::{self, Effect, Quantifier};
pub use crate::ids::{
    BlockId, BlockLetId, FactId, FieldId, LadderId, LetId, RuleId, RungId, SlotId,
};
use crate::internal::Internal;
use crate::source::{SourceFile, Span};
use crate::types::{Schema, Type};
use crate::value::Value;

/// A policy that has passed the checker.
#[derive(Debug)]
#[non_exhaustive]
pub struct Program {
    /// Types, ladders and the shape of the facts.
    pub schema: Schema,
    /// Global definitions, in an order where each comes after what it uses.
    /// The first `hoisted` are not written by the user: they are
    /// loop-invariant subexpressions lifted out of `where` and quantifier
    /// conditions (see `check::hoist`). They are the checker's business:
    /// clients read [`Program::definitions`].
    pub(crate) lets: Vec<LetDef>,
    /// How many leading definitions of `lets` were hoisted.
    pub(crate) hoisted: usize,
    /// Rules blocks in declaration order.
    pub blocks: Vec<Block>,
    /// `warn` declarations.
    pub warns: Vec<Warn>,
    /// Tests, with the file they were declared in.
    pub tests: Vec<(ast::TestDecl, Arc<SourceFile>)>,
    /// The source files, in load order.
    pub files: Vec<Arc<SourceFile>>,
    /// The AST, kept for the formatter and the REPL.
    pub ast: Vec<ast::File>,
    /// The definitions and conditions compiled for evaluation, on the
    /// program's first run (see `eval::code`).
    pub(crate) compiled: crate::eval::CompiledCell,
}

impl Program {
    /// The definitions the user wrote, in dependency order (the checker's
    /// hoisted subexpressions are its own business and never shown).
    pub fn definitions(&self) -> &[LetDef] {
        self.lets.get(self.hoisted..).unwrap_or(&[])
    }

    /// A ladder of the schema.
    pub fn ladder(&self, id: LadderId) -> Result<&crate::types::Ladder, Internal> {
        self.schema.ladder(id)
    }

    /// A ladder's name (decisions borrow it).
    pub fn ladder_name(&self, id: LadderId) -> Result<&str, Internal> {
        Ok(&self.ladder(id)?.name)
    }

    /// A rung's name (decisions borrow it).
    pub fn rung_name(&self, ladder: LadderId, rung: RungId) -> Result<&str, Internal> {
        self.ladder(ladder)?
            .rungs
            .get(rung.index())
            .map(|r| r.name.as_str())
            .ok_or(Internal::new("a rung is outside its ladder"))
    }

    /// A rules block.
    pub fn block(&self, id: BlockId) -> Result<&Block, Internal> {
        self.blocks
            .get(id.index())
            .ok_or(Internal::new("a block id has no rules block"))
    }

    /// A rule.
    pub fn rule(&self, id: RuleId) -> Result<&RuleDef, Internal> {
        self.block(id.block)?
            .rules
            .get(id.index())
            .ok_or(Internal::new("a rule id has no rule"))
    }
}

impl RuleDef {
    /// The rungs it concerns, lowest first.
    pub fn rungs(&self) -> impl Iterator<Item = RungId> + use<> {
        RungId::range(self.lo, self.hi)
    }
}

/// A definition: `let name = value`.
#[derive(Debug, Clone)]
pub struct LetDef {
    /// The name.
    pub name: String,
    /// Its value.
    pub value: Expr,
    /// The declaration.
    pub span: Span,
}

/// A rules block: for each group of `source` by `key`, decide `ladder`.
#[derive(Debug, Clone)]
pub struct Block {
    /// The ladder it decides.
    pub ladder: LadderId,
    /// Name bound to the subject (local 0).
    pub subject: String,
    /// Name bound to the group's items (local 1); in the keyed form, to the
    /// one item itself.
    pub items: String,
    /// `keyed by`: one subject per item, local 1 is the item, not a list.
    pub keyed: bool,
    /// The list grouped.
    pub source: Expr,
    /// The key, evaluated with the item as local 2.
    pub key: Expr,
    /// Per-subject definitions, each after what it uses.
    pub lets: Vec<LetDef>,
    /// Rules in declaration order.
    pub rules: Vec<RuleDef>,
    /// The block header.
    pub span: Span,
}

impl Block {
    /// The type of local 1: the group's list, or the item when keyed.
    pub fn items_ty(&self) -> Type {
        match (&self.source.ty, self.keyed) {
            (Type::List(elem), true) => (**elem).clone(),
            (ty, _) => ty.clone(),
        }
    }
}

/// Local slots of a rules block.
pub mod local {
    use super::SlotId;
    /// The subject (group key).
    pub const SUBJECT: SlotId = SlotId::of(0);
    /// The group's items.
    pub const ITEMS: SlotId = SlotId::of(1);
    /// First slot free for `where` and quantifier items.
    pub const FIRST_FREE: SlotId = SlotId::of(2);
}

/// A recommend or forbid rule, resolved.
#[derive(Debug, Clone)]
pub struct RuleDef {
    /// Name: the label, or `<effect> <rung>`.
    pub name: String,
    /// Recommend or forbid.
    pub effect: Effect,
    /// Lowest rung concerned.
    pub lo: RungId,
    /// Highest rung concerned.
    pub hi: RungId,
    /// Condition; `None` means always.
    pub when: Option<Expr>,
    /// Justification.
    pub because: String,
    /// Citation.
    pub cites: Option<String>,
    /// The rule.
    pub span: Span,
}

/// `warn items because "..."`
#[derive(Debug, Clone)]
pub struct Warn {
    /// The list warned about.
    pub items: Expr,
    /// The message.
    pub because: String,
    /// The declaration.
    pub span: Span,
}

/// A typed, resolved expression.
#[derive(Debug, Clone)]
pub struct Expr {
    /// What it computes.
    pub kind: ExprKind,
    /// Its type.
    pub ty: Type,
    /// Where it was written.
    pub span: Span,
}

impl Expr {
    /// Whether `found` holds for this expression or any below it, looked
    /// at parent first: the questions passes ask of a tree ("does it read
    /// `now`?", "does it read a subject's definition?") without each
    /// writing its own walk.
    pub fn any(&self, found: &mut impl FnMut(&Expr) -> bool) -> bool {
        found(self) || self.children().into_iter().any(|c| c.any(found))
    }

    /// The direct subexpressions, in evaluation order: the one place that
    /// knows the shape of every form, so passes over the tree (lints,
    /// hoisting) need only say what is special to them. An iterator that
    /// allocates nothing: the checker's lints walk every node of a policy.
    pub fn children(&self) -> impl Iterator<Item = &Expr> {
        use ExprKind::*;
        let (pair, list): ([Option<&Expr>; 2], &[Expr]) = match &self.kind {
            Const(_) | Fact(_) | Let(_) | BlockLet(_) | Local(_) => ([None, None], &[]),
            Field(x, _)
            | MapField(x, _)
            | Not(x)
            | Neg(x)
            | IsPresent(x, _)
            | Aggregate(_, x)
            | Days(x) => ([Some(x), None], &[]),
            List(xs) => ([None, None], xs),
            And(a, b)
            | Or(a, b)
            | Cmp(_, a, b)
            | In(a, b, _)
            | Arith(_, a, b)
            | Otherwise(a, b) => ([Some(a), Some(b)], &[]),
            Filter(a, b, _) | Quantified(_, a, b, _) => ([Some(a), Some(b)], &[]),
        };
        pair.into_iter().flatten().chain(list)
    }

    /// The direct subexpressions, mutably (hoisting rewrites them), in the
    /// same order as [`Expr::children`] and, like it, without allocating.
    pub fn children_mut(&mut self) -> impl Iterator<Item = &mut Expr> {
        use ExprKind::*;
        let (pair, list): ([Option<&mut Expr>; 2], &mut [Expr]) = match &mut self.kind {
            Const(_) | Fact(_) | Let(_) | BlockLet(_) | Local(_) => ([None, None], &mut []),
            Field(x, _)
            | MapField(x, _)
            | Not(x)
            | Neg(x)
            | IsPresent(x, _)
            | Aggregate(_, x)
            | Days(x) => ([Some(x), None], &mut []),
            List(xs) => ([None, None], xs),
            And(a, b)
            | Or(a, b)
            | Cmp(_, a, b)
            | In(a, b, _)
            | Arith(_, a, b)
            | Otherwise(a, b) => ([Some(a), Some(b)], &mut []),
            Filter(a, b, _) | Quantified(_, a, b, _) => ([Some(a), Some(b)], &mut []),
        };
        pair.into_iter().flatten().chain(list.iter_mut())
    }
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// Arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl ArithOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
        }
    }
}

/// Aggregates over a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    /// Number of items.
    Count,
    /// Sum (0 for an empty list).
    Sum,
    /// Smallest item (absent for an empty list).
    Min,
    /// Largest item (absent for an empty list).
    Max,
    /// The list without repeats, in first-seen order.
    Distinct,
}

impl Aggregate {
    /// The function name.
    pub fn as_str(self) -> &'static str {
        match self {
            Aggregate::Count => "count",
            Aggregate::Sum => "sum",
            Aggregate::Min => "min",
            Aggregate::Max => "max",
            Aggregate::Distinct => "distinct",
        }
    }
}

/// Resolved expression forms.
#[derive(Debug, Clone)]
pub enum ExprKind {
    /// A literal or enum variant.
    Const(Value),
    /// A top-level fact, by index.
    Fact(FactId),
    /// A global `let`, by index into [`Program::lets`].
    Let(LetId),
    /// A per-subject `let`, by index into [`Block::lets`].
    BlockLet(BlockLetId),
    /// A local slot (subject, items, or the item of a `where`/quantifier).
    Local(SlotId),
    /// A field of a record.
    Field(Box<Expr>, FieldId),
    /// A field of every record of a list.
    MapField(Box<Expr>, FieldId),
    /// `[a, b]`
    List(Vec<Expr>),
    /// `not e`
    Not(Box<Expr>),
    /// `-e`
    Neg(Box<Expr>),
    /// `a and b` (short-circuit)
    And(Box<Expr>, Box<Expr>),
    /// `a or b` (short-circuit)
    Or(Box<Expr>, Box<Expr>),
    /// Comparison of two values of one type.
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    /// `a in list` (negated for `not in`).
    In(Box<Expr>, Box<Expr>, bool),
    /// Checked arithmetic.
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    /// `e is present` (true) / `e is absent` (false).
    IsPresent(Box<Expr>, bool),
    /// `e otherwise default`
    Otherwise(Box<Expr>, Box<Expr>),
    /// `list where cond`, the item in local `slot`.
    Filter(Box<Expr>, Box<Expr>, SlotId),
    /// `any list has cond`, the item in local `slot`.
    Quantified(Quantifier, Box<Expr>, Box<Expr>, SlotId),
    /// `count(l)`, `sum(l)`, ...
    Aggregate(Aggregate, Box<Expr>),
    /// `days(d)`: a duration as a whole number of days.
    Days(Box<Expr>),
}
