//! Expressions: pest pairs → [`Expr`], through one Pratt table.

use std::sync::LazyLock;

use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};

use super::Rule;
use super::error::SyntaxError;
use super::lex::unescape;
use super::limits::MAX_EXPR_DEPTH;
use super::lower::{Lowerer, Result, is_keyword};
use crate::ast::*;
use crate::source::Span;

/// Every operator of the language, loosest first.
static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    use Assoc::Left;
    PrattParser::new()
        .op(Op::infix(Rule::op_or, Left))
        .op(Op::infix(Rule::op_and, Left))
        .op(Op::prefix(Rule::op_not))
        .op(Op::infix(Rule::op_eq, Left)
            | Op::infix(Rule::op_ne, Left)
            | Op::infix(Rule::op_lt, Left)
            | Op::infix(Rule::op_le, Left)
            | Op::infix(Rule::op_gt, Left)
            | Op::infix(Rule::op_ge, Left)
            | Op::infix(Rule::op_in, Left)
            | Op::infix(Rule::op_not_in, Left))
        .op(Op::infix(Rule::op_otherwise, Left))
        .op(Op::infix(Rule::op_add, Left) | Op::infix(Rule::op_sub, Left))
        .op(Op::infix(Rule::op_mul, Left) | Op::infix(Rule::op_div, Left))
        .op(Op::prefix(Rule::op_neg))
        .op(Op::postfix(Rule::op_field)
            | Op::postfix(Rule::op_is_present)
            | Op::postfix(Rule::op_is_absent))
});

/// An expression under construction, with the depth of its tree.
type Built = Result<(Expr, usize)>;

impl Lowerer {
    /// `expr = operation ~ (where ~ expr)?`
    pub(super) fn expr(&self, p: Pair<'_, Rule>) -> Result<Expr> {
        self.expr_depth(p).map(|(e, _)| e)
    }

    fn expr_depth(&self, p: Pair<'_, Rule>) -> Built {
        let span = self.span(&p);
        let mut it = p
            .clone()
            .into_inner()
            .filter(|c| c.as_rule() != Rule::kw_where);
        let op = self.next(&p, &mut it)?;
        let is_term = op.clone().into_inner().all(|c| {
            !matches!(
                c.as_rule(),
                Rule::op_not | Rule::op_neg | Rule::op_is_present | Rule::op_is_absent
            ) && !is_infix(c.as_rule())
        });
        let (list, d1) = self.operation(op.clone())?;
        let Some(cond) = it.next() else {
            return Ok((list, d1));
        };
        if !is_term {
            return Err(vec![SyntaxError::misplaced(
                &self.span(&op),
                "`where` filters one list, but its left side is a larger expression",
                "this is not a single list",
                format!(
                    "put the list in parentheses: `({}) where ...`",
                    op.as_str().trim()
                ),
            )]);
        }
        let (cond, d2) = self.expr_depth(cond)?;
        self.node(
            ExprKind::Where(Box::new(list), Box::new(cond)),
            span,
            d1.max(d2) + 1,
        )
    }

    /// `operation`, `body` and `term`: a sequence for the Pratt table.
    fn operation(&self, p: Pair<'_, Rule>) -> Built {
        PRATT
            .map_primary(|prim| self.primary(prim))
            .map_prefix(|op, rhs| {
                let (rhs, d) = rhs?;
                let span = self.span(&op).to(&rhs.span);
                let kind = match op.as_rule() {
                    Rule::op_not => ExprKind::Not(Box::new(rhs)),
                    _ => ExprKind::Neg(Box::new(rhs)),
                };
                self.node(kind, span, d + 1)
            })
            .map_postfix(|lhs, op| {
                let (lhs, d) = lhs?;
                let span = lhs.span.to(&self.span(&op));
                let kind = match op.as_rule() {
                    Rule::op_field => {
                        let id = op
                            .clone()
                            .into_inner()
                            .next()
                            .ok_or_else(|| self.internal(&op, "field"))?;
                        ExprKind::Field(Box::new(lhs), self.ident(&id))
                    }
                    Rule::op_is_present => ExprKind::IsPresent(Box::new(lhs), true),
                    _ => ExprKind::IsPresent(Box::new(lhs), false),
                };
                self.node(kind, span, d + 1)
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, d1) = lhs?;
                let (rhs, d2) = rhs?;
                let span = lhs.span.to(&rhs.span);
                let bin =
                    binop(op.as_rule()).ok_or_else(|| self.internal(&op, "unknown operator"))?;
                self.node(
                    ExprKind::Binary(bin, Box::new(lhs), Box::new(rhs)),
                    span,
                    d1.max(d2) + 1,
                )
            })
            .parse(p.into_inner())
    }

    fn node(&self, kind: ExprKind, span: Span, depth: usize) -> Built {
        if depth > MAX_EXPR_DEPTH {
            return Err(vec![SyntaxError::too_deep(
                &span,
                "expression",
                MAX_EXPR_DEPTH,
                super::error::SPLIT_EXPRESSION,
            )]);
        }
        Ok((Expr { kind, span }, depth))
    }

    fn primary(&self, p: Pair<'_, Rule>) -> Built {
        let span = self.span(&p);
        let leaf = |kind| self.node(kind, span.clone(), 1);
        match p.as_rule() {
            Rule::boolean => leaf(ExprKind::Bool(p.as_str() == "true")),
            Rule::integer => leaf(ExprKind::Int(self.int_text(&p)?)),
            Rule::decimal => match crate::decimal::parse(p.as_str()) {
                Ok(d) => leaf(ExprKind::Decimal(d)),
                Err(why) => Err(vec![SyntaxError::literal(
                    &span,
                    "decimal",
                    why.reason(),
                    Some(why.help().to_string()),
                )]),
            },
            Rule::string => leaf(ExprKind::Str(unescape(p.as_str()))),
            Rule::date => leaf(ExprKind::Date(self.date(&p)?)),
            Rule::duration => {
                let (days, unit) = self.duration(&p)?;
                leaf(ExprKind::Duration(days, unit))
            }
            Rule::ident => leaf(ExprKind::Name(p.as_str().to_string())),
            Rule::paren => {
                let inner = p
                    .clone()
                    .into_inner()
                    .next()
                    .ok_or_else(|| self.internal(&p, "empty parentheses"))?;
                let (e, d) = self.expr_depth(inner)?;
                self.node(ExprKind::Paren(Box::new(e)), span, d + 1)
            }
            Rule::list => {
                let mut items = Vec::new();
                let mut depth = 0;
                for c in p.into_inner() {
                    let (e, d) = self.expr_depth(c)?;
                    depth = depth.max(d);
                    items.push(e);
                }
                self.node(ExprKind::List(items), span, depth + 1)
            }
            Rule::call => {
                let mut it = p.clone().into_inner();
                let name = self.ident(&self.next(&p, &mut it)?);
                let (arg, d) = self.expr_depth(self.next(&p, &mut it)?)?;
                self.node(ExprKind::Call(name, Box::new(arg)), span, d + 1)
            }
            Rule::quantifier => self.quantifier(p),
            Rule::term | Rule::body => self.operation(p),
            _ => Err(self.internal(&p, "unknown expression form")),
        }
    }

    fn quantifier(&self, p: Pair<'_, Rule>) -> Built {
        let span = self.span(&p);
        let mut it = p.clone().into_inner().filter(|c| !is_keyword(c.as_rule()));
        let q = self.next(&p, &mut it)?;
        let quant = match q.as_str() {
            "any" => Quantifier::Any,
            "all" => Quantifier::All,
            _ => Quantifier::No,
        };
        let (list, d1) = self.operation(self.next(&p, &mut it)?)?;
        let (body, d2) = self.operation(self.next(&p, &mut it)?)?;
        self.node(
            ExprKind::Quantified(quant, Box::new(list), Box::new(body)),
            span,
            d1.max(d2) + 1,
        )
    }

    pub(super) fn date(&self, p: &Pair<'_, Rule>) -> Result<i32> {
        let span = self.span(p);
        crate::value::parse_date(p.as_str()).ok_or_else(|| {
            let format = "dates are written year-month-day, e.g. `2023-07-11`".to_string();
            let (reason, help) = match crate::value::why_not_a_date(p.as_str()) {
                Some((why, Some(last))) => (why, format!("the last day of that month is `{last}`")),
                Some((why, None)) => (why, format),
                None => ("no such day".to_string(), format),
            };
            vec![SyntaxError::literal(&span, "date", reason, Some(help))]
        })
    }

    fn duration(&self, p: &Pair<'_, Rule>) -> Result<(i64, char)> {
        duration_days(p.as_str()).ok_or_else(|| {
            vec![SyntaxError::literal(
                &self.span(p),
                "duration",
                "too long",
                Some(format!(
                    "durations are at most {} days",
                    crate::value::MAX_DURATION_DAYS
                )),
            )]
        })
    }
}

/// The days and unit of a duration literal (`365d`, `2w`); `None` when it
/// is longer than a duration may be. Shared with the direct parser.
pub(super) fn duration_days(text: &str) -> Option<(i64, char)> {
    let unit = if text.ends_with('w') { 'w' } else { 'd' };
    let digits = text.get(..text.len().saturating_sub(1)).unwrap_or("");
    let n = digits.parse::<i64>().ok().and_then(|n| {
        if unit == 'w' {
            n.checked_mul(7)
        } else {
            Some(n)
        }
    });
    let days = n.filter(|d| *d <= crate::value::MAX_DURATION_DAYS);
    days.map(|d| (d, unit))
}

fn is_infix(r: Rule) -> bool {
    binop(r).is_some()
}

fn binop(r: Rule) -> Option<BinOp> {
    Some(match r {
        Rule::op_or => BinOp::Or,
        Rule::op_and => BinOp::And,
        Rule::op_eq => BinOp::Eq,
        Rule::op_ne => BinOp::Ne,
        Rule::op_lt => BinOp::Lt,
        Rule::op_le => BinOp::Le,
        Rule::op_gt => BinOp::Gt,
        Rule::op_ge => BinOp::Ge,
        Rule::op_in => BinOp::In,
        Rule::op_not_in => BinOp::NotIn,
        Rule::op_otherwise => BinOp::Otherwise,
        Rule::op_add => BinOp::Add,
        Rule::op_sub => BinOp::Sub,
        Rule::op_mul => BinOp::Mul,
        Rule::op_div => BinOp::Div,
        _ => return None,
    })
}
