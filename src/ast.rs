//! The typed syntax tree: what the parser produces and the checker consumes.
//!
//! Every node carries a [`Span`]; no pest type appears here. Spans compare
//! equal whatever they cover, so two trees are equal when they say the same
//! thing (the formatter's round-trip property relies on it).

use rust_decimal::Decimal;

use crate::source::Span;

/// A name as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it stands.
    pub span: Span,
}

/// One parsed file: its declarations in order.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    /// Declarations in source order.
    pub decls: Vec<Decl>,
}

/// A top-level declaration.
#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "a policy has few declarations; boxing would only add noise"
)]
pub enum Decl {
    /// `enum Name { a < b < c }`
    Enum(EnumDecl),
    /// `record Name { field: type ... }`
    Record(RecordDecl),
    /// `facts { field: type ... }`
    Facts(FactsDecl),
    /// `ladder name "title" { rung "description" ... }`
    Ladder(LadderDecl),
    /// `let name = expr`
    Let(LetDecl),
    /// `rules ladder for each subject, items in list grouped by key { ... }`
    Rules(RulesDecl),
    /// `warn list because "..."`
    Warn(WarnDecl),
    /// `test "name" { facts ... expect ... }`
    Test(TestDecl),
}

/// An ordered enumeration; variants are listed lowest first.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDecl {
    /// The type name.
    pub name: Ident,
    /// Variants, lowest first.
    pub variants: Vec<Ident>,
    /// The whole declaration.
    pub span: Span,
}

/// A named record type.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordDecl {
    /// The type name.
    pub name: Ident,
    /// Fields in declaration order.
    pub fields: Vec<FieldDecl>,
    /// The whole declaration.
    pub span: Span,
}

/// The shape of the facts document: its top-level fields.
#[derive(Debug, Clone, PartialEq)]
pub struct FactsDecl {
    /// Top-level fields.
    pub fields: Vec<FieldDecl>,
    /// The whole declaration.
    pub span: Span,
}

/// `name: type constraints...`
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDecl {
    /// Field name.
    pub name: Ident,
    /// Declared type.
    pub ty: TypeExpr,
    /// `in LO..HI` (either bound may be left open): an inclusive integer
    /// range checked when facts load.
    pub range: Option<(Option<i64>, Option<i64>, Span)>,
    /// `unique`: the value is unique across any list of this record.
    pub unique: Option<Span>,
    /// `default EXPR`: the value used when the field is absent from the facts.
    pub default: Option<Expr>,
    /// The whole field.
    pub span: Span,
}

/// A type as written.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeExpr {
    /// `bool`, `int`, a record or enum name, ...
    Named(Ident),
    /// `list of T`
    List(Box<TypeExpr>, Span),
    /// `optional T`
    Optional(Box<TypeExpr>, Span),
    /// `rung of ladder`
    Rung(Ident, Span),
}

impl TypeExpr {
    /// Where the type is written.
    pub fn span(&self) -> &Span {
        match self {
            TypeExpr::Named(id) => &id.span,
            TypeExpr::List(_, s) | TypeExpr::Optional(_, s) | TypeExpr::Rung(_, s) => s,
        }
    }
}

/// An ordered list of response options.
#[derive(Debug, Clone, PartialEq)]
pub struct LadderDecl {
    /// Ladder name.
    pub name: Ident,
    /// Optional title.
    pub title: Option<StringLit>,
    /// Rungs, lowest first.
    pub rungs: Vec<RungDecl>,
    /// The whole declaration.
    pub span: Span,
}

/// One response option.
#[derive(Debug, Clone, PartialEq)]
pub struct RungDecl {
    /// Rung name.
    pub name: Ident,
    /// What the option is, in words.
    pub description: StringLit,
}

/// A string literal, unescaped, with its span (quotes included).
#[derive(Debug, Clone, PartialEq)]
pub struct StringLit {
    /// The text without quotes or escapes.
    pub value: String,
    /// Where it stands, quotes included.
    pub span: Span,
}

/// `let name = expr`
#[derive(Debug, Clone, PartialEq)]
pub struct LetDecl {
    /// The defined name.
    pub name: Ident,
    /// Its definition.
    pub value: Expr,
    /// The whole declaration.
    pub span: Span,
}

/// A block of rules deciding one ladder for each subject of a grouping.
#[derive(Debug, Clone, PartialEq)]
pub struct RulesDecl {
    /// The ladder decided.
    pub ladder: Ident,
    /// Name bound to each group's key (the subject); `None` in the keyed
    /// form, where the subject is the item's key and has no name of its own.
    pub subject: Option<Ident>,
    /// Name bound to each group's items; in the keyed form (`for each ally
    /// in allies keyed by code`), to the one item itself.
    pub items: Ident,
    /// `keyed by`: one subject per item, the key a `unique` field.
    pub keyed: bool,
    /// The list grouped.
    pub source: Expr,
    /// The grouping key, evaluated with each item's fields in scope.
    pub key: Expr,
    /// Per-subject definitions.
    pub lets: Vec<LetDecl>,
    /// Rules in order.
    pub rules: Vec<Rule>,
    /// Lets and rules in source order (for the formatter).
    pub order: Vec<BlockItem>,
    /// The header (`rules ... by key`).
    pub span: Span,
}

/// Position of an item inside a rules block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockItem {
    /// The n-th `let`.
    Let(usize),
    /// The n-th rule.
    Rule(usize),
}

/// Whether a rule recommends or forbids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Effect {
    /// `recommend`
    Recommend,
    /// `forbid`
    Forbid,
}

impl Effect {
    /// The keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Recommend => "recommend",
            Effect::Forbid => "forbid",
        }
    }
}

/// Which rungs a rule names.
#[derive(Debug, Clone, PartialEq)]
pub enum RungSpec {
    /// One rung.
    One(Ident),
    /// `x and above`
    AndAbove(Ident),
    /// `x and below`
    AndBelow(Ident),
    /// `x to y`
    Range(Ident, Ident),
}

/// `label: recommend rung when cond because "..." cites "..."`
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Optional name; defaults to `<effect> <rung>`.
    pub label: Option<Ident>,
    /// Recommend or forbid.
    pub effect: Effect,
    /// Span of the effect keyword.
    pub effect_span: Span,
    /// The rungs concerned.
    pub rungs: RungSpec,
    /// The condition; `None` means always.
    pub when: Option<Expr>,
    /// Human justification.
    pub because: StringLit,
    /// Citation of the doctrine text.
    pub cites: Option<StringLit>,
    /// The whole rule.
    pub span: Span,
}

/// `warn list because "..."`: one warning per item of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct WarnDecl {
    /// The list whose items are warned about.
    pub items: Expr,
    /// The warning text.
    pub because: StringLit,
    /// The whole declaration.
    pub span: Span,
}

/// A policy test.
#[derive(Debug, Clone, PartialEq)]
pub struct TestDecl {
    /// Test name.
    pub name: StringLit,
    /// Facts: a file path relative to the test's file, or inline JSON.
    pub facts: TestFacts,
    /// `table incidents "file.csv"`: facts read from tables, in order.
    pub tables: Vec<TestTable>,
    /// Expectations in order.
    pub expectations: Vec<Expectation>,
    /// `snapshot "file"`: the whole decision is compared with this file.
    pub snapshot: Option<StringLit>,
    /// `snapshot replay "file"`: the replay of the facts over their default
    /// range (the earliest date in them through their `now`) is compared
    /// with this file, in the JSON of `rung replay --format json`.
    pub replay_snapshot: Option<StringLit>,
    /// The whole declaration.
    pub span: Span,
}

/// `table NAME "file.csv"`: the fact NAME read from a table, relative to
/// the test's file.
#[derive(Debug, Clone, PartialEq)]
pub struct TestTable {
    /// The fact the table gives.
    pub fact: Ident,
    /// The table's path, relative to the test's file.
    pub path: StringLit,
    /// The whole statement.
    pub span: Span,
}

/// Where a test's facts come from.
#[derive(Debug, Clone, PartialEq)]
pub enum TestFacts {
    /// A JSON file, relative to the test's file.
    File(StringLit),
    /// Inline JSON text, with its span in the policy file.
    Inline(String, Span),
}

/// `expect ladder "subject" ...`
#[derive(Debug, Clone, PartialEq)]
pub struct Expectation {
    /// Ladder.
    pub ladder: Ident,
    /// Subject.
    pub subject: StringLit,
    /// What is expected.
    pub what: Expect,
    /// The whole expectation.
    pub span: Span,
}

/// One expectation about a decision.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// `top RUNG` or `top none`.
    Top(Option<Ident>),
    /// `recommends RUNG`
    Recommends(Ident),
    /// `not recommends RUNG`
    NotRecommends(Ident),
    /// `forbids RUNG`
    Forbids(Ident),
    /// `not forbids RUNG`
    NotForbids(Ident),
    /// `status complete|indeterminate`
    Status(Ident),
    /// `fires RULE`
    Fires(Ident),
    /// `not fires RULE`
    NotFires(Ident),
    /// `no decision`: the subject is not decided on the ladder at all (say,
    /// its only incident is outside the window).
    NoDecision,
    /// `reaches RUNG on DATE`: over the replay of the test's facts, the
    /// first day RUNG is recommended for the subject.
    Reaches(Ident, DateLit),
    /// `never reaches RUNG`: no day of the replay recommends RUNG.
    NeverReaches(Ident),
}

impl Expect {
    /// Whether it is about the replay of the facts rather than one decision.
    pub fn is_through_time(&self) -> bool {
        matches!(self, Expect::Reaches(..) | Expect::NeverReaches(_))
    }
}

/// A date written in a test, as days since 1970-01-01.
#[derive(Debug, Clone, PartialEq)]
pub struct DateLit {
    /// The day.
    pub days: i32,
    /// Where it is written.
    pub span: Span,
}

/// An expression with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it stands.
    pub span: Span,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `or`
    Or,
    /// `and`
    And,
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
    /// `in`
    In,
    /// `not in`
    NotIn,
    /// `otherwise`
    Otherwise,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl BinOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
            BinOp::NotIn => "not in",
            BinOp::Otherwise => "otherwise",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }

    /// Whether the operator compares (`==`, `<`, ... `in`, `not in`).
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Eq
                | BinOp::Ne
                | BinOp::Lt
                | BinOp::Le
                | BinOp::Gt
                | BinOp::Ge
                | BinOp::In
                | BinOp::NotIn
        )
    }
}

/// Quantifiers over a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    /// `any xs has c`
    Any,
    /// `all xs have c`
    All,
    /// `no xs has c`
    No,
}

impl Quantifier {
    /// The keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            Quantifier::Any => "any",
            Quantifier::All => "all",
            Quantifier::No => "no",
        }
    }
}

/// Expression forms.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// `true` / `false`
    Bool(bool),
    /// `42`
    Int(i64),
    /// `0.25`
    Decimal(Decimal),
    /// `"text"`
    Str(String),
    /// `2023-07-11`, as days since 1970-01-01
    Date(i32),
    /// `365d`, `2w`, as days; the unit is kept for the formatter
    Duration(i64, char),
    /// A name: a fact, a `let`, a field of the current item, an enum variant.
    Name(String),
    /// `[a, b]`
    List(Vec<Expr>),
    /// `e.field` (on a list: the field of every item)
    Field(Box<Expr>, Ident),
    /// `not e`
    Not(Box<Expr>),
    /// `-e`
    Neg(Box<Expr>),
    /// `e is present` / `e is absent`
    IsPresent(Box<Expr>, bool),
    /// `l op r`
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `list where cond`
    Where(Box<Expr>, Box<Expr>),
    /// `any list has cond`
    Quantified(Quantifier, Box<Expr>, Box<Expr>),
    /// `f(e)`: `count`, `sum`, `min`, `max`, `distinct`, `days`
    Call(Ident, Box<Expr>),
    /// `(e)`, kept so the formatter and explanations show what was written
    Paren(Box<Expr>),
}
