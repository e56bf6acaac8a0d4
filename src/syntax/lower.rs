//! pest pairs → AST declarations, one method per grammar rule.
//!
//! Children are matched by shape; a shape the grammar cannot produce becomes a
//! spanned internal error instead of a panic.

use std::sync::Arc;

use pest::iterators::Pair;

use super::error::SyntaxError;
use super::lex::{Lexer, Token, unescape};
use super::{ReplInput, Rule};
use crate::ast::*;
use crate::source::{SourceFile, Span};

pub(super) type Result<T> = std::result::Result<T, Vec<SyntaxError>>;

/// Lowers the pairs of one parse of `file`, whose text started at `base`.
pub(super) struct Lowerer {
    pub(super) file: Arc<SourceFile>,
    pub(super) base: usize,
}

impl Lowerer {
    pub(super) fn new(file: &Arc<SourceFile>, base: usize) -> Self {
        Self {
            file: Arc::clone(file),
            base,
        }
    }

    /// The span of a pair, without the trailing whitespace and comments pest
    /// includes when a rule ends in a repetition.
    pub(super) fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        let end = s.start() + content_len(s.as_str());
        Span::new(&self.file, self.base + s.start()..self.base + end)
    }

    pub(super) fn internal(&self, pair: &Pair<'_, Rule>, what: &str) -> Vec<SyntaxError> {
        vec![SyntaxError::internal(&self.span(pair), what)]
    }

    pub(super) fn internal_at(&self, at: usize, what: &str) -> SyntaxError {
        SyntaxError::internal(&Span::new(&self.file, at..at), what)
    }

    /// Next child, which must exist.
    pub(super) fn next<'i>(
        &self,
        parent: &Pair<'i, Rule>,
        it: &mut impl Iterator<Item = Pair<'i, Rule>>,
    ) -> Result<Pair<'i, Rule>> {
        it.next()
            .ok_or_else(|| self.internal(parent, "missing child"))
    }

    /// Next child, which must have rule `rule`.
    fn expect<'i>(
        &self,
        parent: &Pair<'i, Rule>,
        it: &mut impl Iterator<Item = Pair<'i, Rule>>,
        want: Rule,
    ) -> Result<Pair<'i, Rule>> {
        let p = self.next(parent, it)?;
        if p.as_rule() == want {
            Ok(p)
        } else {
            Err(self.internal(&p, &format!("expected {want:?}")))
        }
    }

    pub(super) fn file(&self, root: Pair<'_, Rule>) -> Result<Vec<Decl>> {
        let mut decls = Vec::new();
        let mut errors = Vec::new();
        for p in root.into_inner() {
            if p.as_rule() == Rule::EOI {
                continue;
            }
            match self.decl(p) {
                Ok(d) => decls.push(d),
                Err(mut es) => errors.append(&mut es),
            }
        }
        if errors.is_empty() {
            Ok(decls)
        } else {
            Err(errors)
        }
    }

    pub(super) fn repl_input(&self, root: Pair<'_, Rule>) -> Result<ReplInput> {
        let mut decls = Vec::new();
        for p in root.into_inner() {
            match p.as_rule() {
                Rule::EOI => {}
                Rule::expr => return Ok(ReplInput::Expr(self.expr(p)?)),
                _ => decls.push(self.decl(p)?),
            }
        }
        Ok(ReplInput::Decls(decls))
    }

    /// One block item parsed alone while recovering from an error: only the
    /// errors of lowering it matter.
    pub(super) fn item_input(&self, root: Pair<'_, Rule>) -> Result<()> {
        for p in root.into_inner() {
            match p.as_rule() {
                Rule::let_decl => drop(self.let_decl(p)?),
                Rule::rule_item => drop(self.rule(p)?),
                Rule::field_decl => drop(self.field_decl(p)?),
                _ => {}
            }
        }
        Ok(())
    }

    /// One item of a rules block parsed alone (`rules_item_input`): a
    /// `let` or a rule, for the incremental re-parse of an edited item.
    pub(super) fn block_item(&self, root: Pair<'_, Rule>) -> Result<super::splice::Item> {
        use super::splice::Item;
        for p in root.into_inner() {
            match p.as_rule() {
                Rule::let_decl => return Ok(Item::Let(self.let_decl(p)?)),
                Rule::rule_item => return Ok(Item::Rule(self.rule(p)?)),
                _ => {}
            }
        }
        Err(vec![self.internal_at(
            self.base,
            "a rules item without a let or a rule",
        )])
    }

    pub(super) fn expr_input(&self, root: Pair<'_, Rule>) -> Result<Expr> {
        let mut it = root.clone().into_inner();
        let e = self.expect(&root, &mut it, Rule::expr)?;
        self.expr(e)
    }

    fn decl(&self, p: Pair<'_, Rule>) -> Result<Decl> {
        Ok(match p.as_rule() {
            Rule::enum_decl => Decl::Enum(self.enum_decl(p)?),
            Rule::record_decl => Decl::Record(self.record_decl(p)?),
            Rule::facts_decl => Decl::Facts(self.facts_decl(p)?),
            Rule::ladder_decl => Decl::Ladder(self.ladder_decl(p)?),
            Rule::let_decl => Decl::Let(self.let_decl(p)?),
            Rule::rules_decl => Decl::Rules(self.rules_decl(p)?),
            Rule::warn_decl => Decl::Warn(self.warn_decl(p)?),
            Rule::test_decl => Decl::Test(self.test_decl(p)?),
            _ => return Err(self.internal(&p, "unknown declaration")),
        })
    }

    pub(super) fn ident(&self, p: &Pair<'_, Rule>) -> Ident {
        Ident {
            name: p.as_str().to_string(),
            span: self.span(p),
        }
    }

    fn idents(&self, p: &Pair<'_, Rule>) -> Vec<Ident> {
        p.clone()
            .into_inner()
            .filter(|c| c.as_rule() == Rule::ident)
            .map(|c| self.ident(&c))
            .collect()
    }

    fn enum_decl(&self, p: Pair<'_, Rule>) -> Result<EnumDecl> {
        let span = self.span(&p);
        let mut ids = self.idents(&p).into_iter();
        let name = ids
            .next()
            .ok_or_else(|| self.internal(&p, "enum without name"))?;
        Ok(EnumDecl {
            name,
            variants: ids.collect(),
            span,
        })
    }

    fn record_decl(&self, p: Pair<'_, Rule>) -> Result<RecordDecl> {
        let span = self.span(&p);
        let mut name = None;
        let mut fields = Vec::new();
        for c in p.clone().into_inner() {
            match c.as_rule() {
                Rule::ident => name = Some(self.ident(&c)),
                Rule::field_decl => fields.push(self.field_decl(c)?),
                _ => {}
            }
        }
        let name = name.ok_or_else(|| self.internal(&p, "record without name"))?;
        Ok(RecordDecl { name, fields, span })
    }

    fn facts_decl(&self, p: Pair<'_, Rule>) -> Result<FactsDecl> {
        let span = self.span(&p);
        let fields = p
            .into_inner()
            .filter(|c| c.as_rule() == Rule::field_decl)
            .map(|c| self.field_decl(c))
            .collect::<Result<Vec<_>>>()?;
        Ok(FactsDecl { fields, span })
    }

    fn field_decl(&self, p: Pair<'_, Rule>) -> Result<FieldDecl> {
        let span = self.span(&p);
        let mut it = p.clone().into_inner();
        let name = self.ident(&self.expect(&p, &mut it, Rule::ident)?);
        let ty = self.type_expr(self.expect(&p, &mut it, Rule::type_expr)?)?;
        let mut field = FieldDecl {
            name,
            ty,
            range: None,
            unique: None,
            default: None,
            span,
        };
        for c in it {
            match c.as_rule() {
                Rule::range_constraint => field.range = Some(self.range_constraint(c)?),
                Rule::unique_constraint => field.unique = Some(self.span(&c)),
                Rule::default_value => {
                    let mut inner = c
                        .clone()
                        .into_inner()
                        .skip_while(|x| x.as_rule() != Rule::expr);
                    let e = inner
                        .next()
                        .ok_or_else(|| self.internal(&c, "default without value"))?;
                    field.default = Some(self.expr(e)?);
                }
                _ => return Err(self.internal(&c, "unknown field constraint")),
            }
        }
        Ok(field)
    }

    fn range_constraint(&self, p: Pair<'_, Rule>) -> Result<(Option<i64>, Option<i64>, Span)> {
        let span = self.span(&p);
        let (mut lo, mut hi) = (None, None);
        for c in p.into_inner() {
            let bound = match c.as_rule() {
                Rule::range_lo => &mut lo,
                Rule::range_hi => &mut hi,
                _ => continue,
            };
            let digits = c
                .into_inner()
                .next()
                .ok_or_else(|| vec![self.internal_at(span.start, "a bound without digits")])?;
            *bound = Some(self.int_text(&digits)?);
        }
        Ok((lo, hi, span))
    }

    pub(super) fn int_text(&self, p: &Pair<'_, Rule>) -> Result<i64> {
        p.as_str().parse::<i64>().map_err(|_| {
            vec![SyntaxError::literal(
                &self.span(p),
                "integer",
                "does not fit in 64 bits",
                Some(format!("integers range from {} to {}", i64::MIN, i64::MAX)),
            )]
        })
    }

    fn type_expr(&self, p: Pair<'_, Rule>) -> Result<TypeExpr> {
        let span = self.span(&p);
        let mut it = p.clone().into_inner();
        let inner = self.next(&p, &mut it)?;
        let mut parts = inner
            .clone()
            .into_inner()
            .filter(|c| !is_keyword(c.as_rule()));
        let first = parts
            .next()
            .ok_or_else(|| self.internal(&inner, "empty type"))?;
        Ok(match inner.as_rule() {
            Rule::named_type => TypeExpr::Named(self.ident(&first)),
            Rule::optional_type => TypeExpr::Optional(Box::new(self.type_expr(first)?), span),
            Rule::list_type => TypeExpr::List(Box::new(self.type_expr(first)?), span),
            Rule::rung_type => TypeExpr::Rung(self.ident(&first), span),
            _ => return Err(self.internal(&inner, "unknown type form")),
        })
    }

    fn string_lit(&self, p: &Pair<'_, Rule>) -> StringLit {
        StringLit {
            value: unescape(p.as_str()),
            span: self.span(p),
        }
    }

    fn ladder_decl(&self, p: Pair<'_, Rule>) -> Result<LadderDecl> {
        let span = self.span(&p);
        let mut name = None;
        let mut title = None;
        let mut rungs = Vec::new();
        for c in p.clone().into_inner() {
            match c.as_rule() {
                Rule::ident => name = Some(self.ident(&c)),
                Rule::string => title = Some(self.string_lit(&c)),
                Rule::rung_decl => {
                    let mut it = c.clone().into_inner();
                    let n = self.ident(&self.expect(&c, &mut it, Rule::ident)?);
                    let d = self.string_lit(&self.expect(&c, &mut it, Rule::string)?);
                    rungs.push(RungDecl {
                        name: n,
                        description: d,
                    });
                }
                _ => {}
            }
        }
        let name = name.ok_or_else(|| self.internal(&p, "ladder without name"))?;
        Ok(LadderDecl {
            name,
            title,
            rungs,
            span,
        })
    }

    fn let_decl(&self, p: Pair<'_, Rule>) -> Result<LetDecl> {
        let span = self.span(&p);
        let mut it = p.clone().into_inner().filter(|c| !is_keyword(c.as_rule()));
        let name = it
            .next()
            .ok_or_else(|| self.internal(&p, "let without name"))?;
        let value = it
            .next()
            .ok_or_else(|| self.internal(&p, "let without value"))?;
        Ok(LetDecl {
            name: self.ident(&name),
            value: self.expr(value)?,
            span,
        })
    }

    fn rules_decl(&self, p: Pair<'_, Rule>) -> Result<RulesDecl> {
        let keyed = p
            .clone()
            .into_inner()
            .any(|c| c.as_rule() == Rule::kw_keyed);
        let mut it = p
            .clone()
            .into_inner()
            .filter(|c| !is_keyword(c.as_rule()))
            .peekable();
        let mut take = |what: &str| it.next().ok_or_else(|| self.internal(&p, what));
        let ladder = self.ident(&take("ladder")?);
        let first = self.ident(&take("subject")?);
        let (subject, items) = if keyed {
            (None, first)
        } else {
            (Some(first), self.ident(&take("items")?))
        };
        let source = self.expr(take("source")?)?;
        let key_pair = take("key")?;
        let key = self.expr(key_pair.clone())?;
        let head = self.span(&p);
        let span = Span::new(&self.file, head.start..self.span(&key_pair).end);
        let mut decl = RulesDecl {
            ladder,
            subject,
            items,
            keyed,
            source,
            key,
            lets: vec![],
            rules: vec![],
            order: vec![],
            span,
        };
        let mut errors = Vec::new();
        for c in it {
            match c.as_rule() {
                Rule::let_decl => match self.let_decl(c) {
                    Ok(l) => {
                        decl.order.push(BlockItem::Let(decl.lets.len()));
                        decl.lets.push(l);
                    }
                    Err(mut e) => errors.append(&mut e),
                },
                Rule::rule_item => match self.rule(c) {
                    Ok(r) => {
                        decl.order.push(BlockItem::Rule(decl.rules.len()));
                        decl.rules.push(r);
                    }
                    Err(mut e) => errors.append(&mut e),
                },
                _ => errors.append(&mut self.internal(&c, "unknown item in rules block")),
            }
        }
        if errors.is_empty() {
            Ok(decl)
        } else {
            Err(errors)
        }
    }

    fn rule(&self, p: Pair<'_, Rule>) -> Result<crate::ast::Rule> {
        let span = self.span(&p);
        let mut label = None;
        let mut effect = None;
        let mut rungs = None;
        let mut when = None;
        let mut because = None;
        let mut cites = None;
        for c in p.clone().into_inner() {
            match c.as_rule() {
                Rule::rule_label => {
                    let id = c
                        .clone()
                        .into_inner()
                        .next()
                        .ok_or_else(|| self.internal(&c, "empty label"))?;
                    label = Some(self.ident(&id));
                }
                Rule::effect => {
                    let e = if c.as_str().starts_with("forbid") {
                        Effect::Forbid
                    } else {
                        Effect::Recommend
                    };
                    effect = Some((e, self.span(&c)));
                }
                Rule::rung_spec => rungs = Some(self.rung_spec(c)?),
                Rule::when_clause => when = Some(self.clause_expr(c)?),
                Rule::because => because = Some(self.clause_string(c)?),
                Rule::cites => cites = Some(self.clause_string(c)?),
                _ => return Err(self.internal(&c, "unknown rule part")),
            }
        }
        let (effect, effect_span) =
            effect.ok_or_else(|| self.internal(&p, "rule without effect"))?;
        Ok(crate::ast::Rule {
            label,
            effect,
            effect_span,
            rungs: rungs.ok_or_else(|| self.internal(&p, "rule without rung"))?,
            when,
            because: because.ok_or_else(|| self.internal(&p, "rule without because"))?,
            cites,
            span,
        })
    }

    fn clause_expr(&self, c: Pair<'_, Rule>) -> Result<Expr> {
        let e = c
            .clone()
            .into_inner()
            .find(|x| x.as_rule() == Rule::expr)
            .ok_or_else(|| self.internal(&c, "clause"))?;
        self.expr(e)
    }

    fn clause_string(&self, c: Pair<'_, Rule>) -> Result<StringLit> {
        let s = c
            .clone()
            .into_inner()
            .find(|x| x.as_rule() == Rule::string)
            .ok_or_else(|| self.internal(&c, "clause"))?;
        Ok(self.string_lit(&s))
    }

    fn rung_spec(&self, p: Pair<'_, Rule>) -> Result<RungSpec> {
        let mut it = p.clone().into_inner();
        let first = self.ident(&self.expect(&p, &mut it, Rule::ident)?);
        Ok(match it.next() {
            None => RungSpec::One(first),
            Some(m) => match m.as_rule() {
                Rule::and_above => RungSpec::AndAbove(first),
                Rule::and_below => RungSpec::AndBelow(first),
                Rule::to_rung => {
                    let to = m.clone().into_inner().find(|x| x.as_rule() == Rule::ident);
                    let to = to.ok_or_else(|| self.internal(&m, "range without end"))?;
                    RungSpec::Range(first, self.ident(&to))
                }
                _ => return Err(self.internal(&m, "unknown rung range")),
            },
        })
    }

    fn warn_decl(&self, p: Pair<'_, Rule>) -> Result<WarnDecl> {
        let span = self.span(&p);
        let mut items = None;
        let mut because = None;
        for c in p.clone().into_inner() {
            match c.as_rule() {
                Rule::expr => items = Some(self.expr(c)?),
                Rule::because => because = Some(self.clause_string(c)?),
                _ => {}
            }
        }
        Ok(WarnDecl {
            items: items.ok_or_else(|| self.internal(&p, "warn without list"))?,
            because: because.ok_or_else(|| self.internal(&p, "warn without because"))?,
            span,
        })
    }

    fn test_decl(&self, p: Pair<'_, Rule>) -> Result<TestDecl> {
        let span = self.span(&p);
        let mut name = None;
        let mut facts = None;
        let mut tables = Vec::new();
        let mut expectations = Vec::new();
        let mut snapshot = None;
        let mut replay_snapshot = None;
        for c in p.clone().into_inner() {
            match c.as_rule() {
                Rule::string => name = Some(self.string_lit(&c)),
                Rule::test_facts => {
                    let v = c.clone().into_inner().find(|x| !is_keyword(x.as_rule()));
                    let v = v.ok_or_else(|| self.internal(&c, "facts without value"))?;
                    facts = Some(match v.as_rule() {
                        Rule::string => TestFacts::File(self.string_lit(&v)),
                        _ => TestFacts::Inline(v.as_str().to_string(), self.span(&v)),
                    });
                }
                Rule::test_table => {
                    let mut it = c.clone().into_inner().filter(|x| !is_keyword(x.as_rule()));
                    let fact = it
                        .next()
                        .ok_or_else(|| self.internal(&c, "table without fact"))?;
                    let path = it
                        .next()
                        .ok_or_else(|| self.internal(&c, "table without path"))?;
                    tables.push(TestTable {
                        fact: self.ident(&fact),
                        path: self.string_lit(&path),
                        span: self.span(&c),
                    });
                }
                Rule::expectation => expectations.push(self.expectation(c)?),
                Rule::snapshot if snapshot.is_some() => {
                    return Err(vec![SyntaxError::misplaced(
                        &self.span(&c),
                        "a test has at most one snapshot",
                        "second snapshot",
                        "a snapshot holds the whole decision; keep one `snapshot \"file.json\"` per test",
                    )]);
                }
                Rule::snapshot => snapshot = Some(self.clause_string(c)?),
                Rule::replay_snapshot if replay_snapshot.is_some() => {
                    return Err(vec![SyntaxError::misplaced(
                        &self.span(&c),
                        "a test has at most one replay snapshot",
                        "second replay snapshot",
                        "a replay snapshot holds the whole timeline; keep one `snapshot replay \"file.json\"` per test",
                    )]);
                }
                Rule::replay_snapshot => replay_snapshot = Some(self.clause_string(c)?),
                _ => {}
            }
        }
        Ok(TestDecl {
            name: name.ok_or_else(|| self.internal(&p, "test without name"))?,
            facts: facts.ok_or_else(|| self.internal(&p, "test without facts"))?,
            tables,
            expectations,
            snapshot,
            replay_snapshot,
            span,
        })
    }

    fn expectation(&self, p: Pair<'_, Rule>) -> Result<Expectation> {
        let span = self.span(&p);
        let mut it = p.clone().into_inner().filter(|c| !is_keyword(c.as_rule()));
        let mut take = |what: &str| it.next().ok_or_else(|| self.internal(&p, what));
        let ladder = self.ident(&take("ladder")?);
        let subject = self.string_lit(&take("subject")?);
        let what = take("expectation")?;
        let kind = what
            .clone()
            .into_inner()
            .next()
            .ok_or_else(|| self.internal(&what, "empty expectation"))?;
        let arg = kind
            .clone()
            .into_inner()
            .find(|a| a.as_rule() == Rule::ident)
            .map(|a| self.ident(&a));
        let need = |a: Option<Ident>| {
            a.ok_or_else(|| self.internal(&kind, "expectation without argument"))
        };
        let what = match kind.as_rule() {
            Rule::expect_top => Expect::Top(arg.filter(|a| a.name != "none")),
            Rule::expect_recommended => Expect::Recommends(need(arg)?),
            Rule::expect_not_recommended => Expect::NotRecommends(need(arg)?),
            Rule::expect_not_forbidden => Expect::NotForbids(need(arg)?),
            Rule::expect_forbidden => Expect::Forbids(need(arg)?),
            Rule::expect_status => Expect::Status(need(arg)?),
            Rule::expect_fired => Expect::Fires(need(arg)?),
            Rule::expect_not_fired => Expect::NotFires(need(arg)?),
            Rule::expect_no_decision => Expect::NoDecision,
            Rule::expect_never_reaches => Expect::NeverReaches(need(arg)?),
            Rule::expect_reaches => {
                let day = kind
                    .clone()
                    .into_inner()
                    .find(|a| a.as_rule() == Rule::date)
                    .ok_or_else(|| self.internal(&kind, "reaches without a date"))?;
                Expect::Reaches(
                    need(arg)?,
                    DateLit {
                        days: self.date(&day)?,
                        span: self.span(&day),
                    },
                )
            }
            _ => return Err(self.internal(&kind, "unknown expectation")),
        };
        Ok(Expectation {
            ladder,
            subject,
            what,
            span,
        })
    }
}

/// Whether a rule is a keyword token (skipped when reading children).
pub(super) fn is_keyword(r: Rule) -> bool {
    use Rule::*;
    matches!(
        r,
        kw_and
            | kw_or
            | kw_not
            | kw_in
            | kw_where
            | kw_has
            | kw_is
            | kw_present
            | kw_absent
            | kw_otherwise
            | kw_enum
            | kw_record
            | kw_facts
            | kw_list
            | kw_of
            | kw_optional
            | kw_rung
            | kw_unique
            | kw_default
            | kw_ladder
            | kw_let
            | kw_rules
            | kw_for
            | kw_each
            | kw_grouped
            | kw_keyed
            | kw_by
            | kw_when
            | kw_because
            | kw_cites
            | kw_above
            | kw_below
            | kw_to
            | kw_warn
            | kw_test
            | kw_expect
            | kw_snapshot
            | kw_replay
            | kw_table
    )
}

/// Length of `text` up to the end of its last token that is not a comment.
///
/// Spans are taken of every pair, nested ones included, so this must not lex
/// the whole text each time. No token runs over a line break (strings and
/// comments stop there), so the lines are lexed alone, from the last one up
/// to the first that holds code.
fn content_len(text: &str) -> usize {
    // The common case, without lexing: the last line holds no comment and no
    // string, so its last character ends its last token.
    let trimmed = text.trim_end_matches([' ', '\t', '\r', '\n']);
    let last_line = trimmed
        .rfind('\n')
        .map_or(trimmed, |i| trimmed.get(i..).unwrap_or(""));
    if !trimmed.is_empty() && !last_line.contains(['#', '"']) {
        return trimmed.len();
    }
    let mut end = text.len();
    loop {
        let before = text.get(..end).unwrap_or("");
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = text.get(line_start..end).unwrap_or("");
        if let Some(t) = Lexer::new(line).filter(Token::is_code).last() {
            return line_start + t.end;
        }
        match line_start.checked_sub(1) {
            Some(newline) => end = newline,
            None => return 0,
        }
    }
}
