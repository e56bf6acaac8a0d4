//! The direct parser: a policy file pest would accept, read straight into
//! the AST in one pass.
//!
//! `grammar/rung.pest` defines the language, and pest with [`super::lower`]
//! is the parser of record: it reports every syntax error, parses REPL
//! input, and parses whatever this module declines. But pest's generic
//! machinery (a call per combinator, a stack and call-limit check on each,
//! a token queue lowered afterwards) costs about a thousand instructions per
//! byte, which put `rung check` of a 5,000-rule policy at ~170 ms.
//!
//! This module reads the same grammar by hand, rule by rule, in the order
//! pest tries alternatives, and builds the nodes lowering would build, spans
//! and expression depths included (the operator table is pest's Pratt
//! algorithm over the same precedences, run on the stream). It never reports
//! anything: at the first point where it is not certain to agree (an input
//! pest would reject or backtrack over, a literal lowering would refuse, a
//! tree deeper than [`MAX_EXPR_DEPTH`], a `where` lowering would refuse, a
//! `test` declaration) it returns `None`, and [`super::parse_file`] runs pest
//! and lowering, which then say what is wrong. So it may decline, but it
//! never differs: the tests in `tests.rs` compare it with pest and lowering,
//! node for node and span for span, on every policy of the repository, on
//! thousands of mutations of them, and on generated policies.

use std::sync::Arc;

use super::expr::duration_days;
use super::lex::{Kind, Lexer, is_blank, is_word_char, is_word_start, unescape};
use super::limits::MAX_EXPR_DEPTH;
use super::words;
use crate::ast::*;
use crate::source::{SourceFile, Span};

#[cfg(test)]
mod tests;

/// The declarations of `file`, or `None` where pest must parse it.
pub(super) fn parse(file: &Arc<SourceFile>) -> Option<Vec<Decl>> {
    let mut p = Parser {
        file,
        text: &file.text,
        bytes: file.text.as_bytes(),
        pos: 0,
        end: 0,
    };
    let mut decls = Vec::new();
    loop {
        p.skip();
        if p.pos >= p.bytes.len() {
            return Some(decls);
        }
        decls.push(p.decl()?);
    }
}

/// An expression with the depth of its tree, as lowering builds it.
type Built = Option<(Expr, usize)>;

/// Binding powers of pest's Pratt table in [`super::expr`]: each `.op(...)`
/// adds 10, from `or` (20) to the postfix operators (100).
mod prec {
    pub const OR: u8 = 20;
    pub const AND: u8 = 30;
    pub const NOT: u8 = 40;
    pub const COMPARE: u8 = 50;
    pub const OTHERWISE: u8 = 60;
    pub const ADD: u8 = 70;
    pub const MUL: u8 = 80;
    pub const NEG: u8 = 90;
    pub const POSTFIX: u8 = 100;
}

/// Which operators a sequence admits: the grammar's `operation` (all),
/// `body` (no `and`/`or`: a quantifier's body stops there) and `term` (a
/// quantifier's list: one operand and its `.field`s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seq {
    Operation,
    Body,
    Term,
}

/// An operator found after an operand.
#[derive(Debug, Clone, Copy)]
enum After {
    /// `.field`: the dot's offset.
    Field,
    /// `is present` (true) or `is absent`; the offset just past it.
    Is(bool, usize),
    /// An infix operator and the offset just past it.
    Infix(BinOp, usize),
}

impl After {
    fn prec(self) -> u8 {
        match self {
            After::Field | After::Is(..) => prec::POSTFIX,
            After::Infix(op, _) => match op {
                BinOp::Or => prec::OR,
                BinOp::And => prec::AND,
                BinOp::Otherwise => prec::OTHERWISE,
                BinOp::Add | BinOp::Sub => prec::ADD,
                BinOp::Mul | BinOp::Div => prec::MUL,
                // Listed rather than `_`: a new operator must be placed.
                BinOp::Eq
                | BinOp::Ne
                | BinOp::Lt
                | BinOp::Le
                | BinOp::Gt
                | BinOp::Ge
                | BinOp::In
                | BinOp::NotIn => prec::COMPARE,
            },
        }
    }
}

/// A cursor over the text of one file; copied to look ahead.
#[derive(Clone, Copy)]
struct Parser<'f> {
    file: &'f Arc<SourceFile>,
    text: &'f str,
    bytes: &'f [u8],
    /// Where the next token is looked for.
    pos: usize,
    /// Just past the last token read: where the node being built ends
    /// (lowering's spans stop at the last token, before blanks and comments).
    end: usize,
}

impl<'f> Parser<'f> {
    // ------------------------------------------------------------ tokens

    /// Skips the grammar's `WHITESPACE`: blanks, and comments to the end of
    /// their line.
    fn skip(&mut self) {
        while let Some(&c) = self.bytes.get(self.pos) {
            if is_blank(c) {
                self.pos += 1;
            } else if c == b'#' {
                let rest = self.bytes.get(self.pos..).unwrap_or_default();
                self.pos += rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
            } else {
                return;
            }
        }
    }

    /// Where the next token starts.
    fn start(&mut self) -> usize {
        self.skip();
        self.pos
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    fn text(&self, from: usize, to: usize) -> &'f str {
        self.text.get(from..to).unwrap_or("")
    }

    fn take(&mut self, to: usize) {
        self.pos = to;
        self.end = to;
    }

    fn span(&self, start: usize) -> Span {
        Span::new(self.file, start..self.end)
    }

    /// The end of the word starting at `at`, if a word starts there.
    fn word_end(&self, at: usize) -> Option<usize> {
        if !self.byte(at).is_some_and(is_word_start) {
            return None;
        }
        let rest = self.bytes.get(at..).unwrap_or_default();
        Some(
            at + rest
                .iter()
                .position(|&c| !is_word_char(c))
                .unwrap_or(rest.len()),
        )
    }

    /// The next word and where it ends, not consumed.
    fn peek_word(&mut self) -> Option<(&'f str, usize)> {
        let start = self.start();
        let end = self.word_end(start)?;
        Some((self.text(start, end), end))
    }

    /// Reads the word `w` (a grammar keyword: `w` not followed by a word
    /// character) if it comes next.
    fn eat_word(&mut self, w: &str) -> bool {
        match self.peek_word() {
            Some((found, end)) if found == w => {
                self.take(end);
                true
            }
            _ => false,
        }
    }

    fn word(&mut self, w: &str) -> Option<()> {
        self.eat_word(w).then_some(())
    }

    /// Reads the literal `lit` if it comes next (a literal matches whatever
    /// follows it: `=` matches the start of `==`, as in pest).
    fn eat(&mut self, lit: &str) -> bool {
        let start = self.start();
        let found = self
            .bytes
            .get(start..)
            .is_some_and(|rest| rest.starts_with(lit.as_bytes()));
        if found {
            self.take(start + lit.len());
        }
        found
    }

    fn punct(&mut self, lit: &str) -> Option<()> {
        self.eat(lit).then_some(())
    }

    /// `ident`: a word that is not reserved.
    fn ident(&mut self) -> Option<Ident> {
        let start = self.start();
        let (w, end) = self.peek_word()?;
        if words::is_reserved(w) {
            return None;
        }
        self.take(end);
        Some(Ident {
            name: w.to_string(),
            span: self.span(start),
        })
    }

    /// The end of the grammar's `string` starting at `start`: escapes are
    /// `\"`, `\\`, `\n` and `\t` only, and no line break comes before the
    /// closing quote. The tokenizer finds the same end for any string the
    /// grammar accepts; it also accepts others, which are checked here.
    fn string_end(&self, start: usize) -> Option<usize> {
        if self.byte(start) != Some(b'"') {
            return None;
        }
        let token = Lexer::at(self.text, start).next()?;
        if token.kind != (Kind::Str { closed: true }) {
            return None;
        }
        let inner = self.bytes.get(start + 1..token.end - 1)?;
        let mut escaped = false;
        for &c in inner {
            if escaped {
                if !matches!(c, b'"' | b'\\' | b'n' | b't') {
                    return None;
                }
                escaped = false;
            } else {
                escaped = c == b'\\';
            }
        }
        Some(token.end)
    }

    fn string_lit(&mut self) -> Option<StringLit> {
        let start = self.start();
        let end = self.string_end(start)?;
        self.take(end);
        Some(StringLit {
            value: unescape(self.text(start, end)),
            span: self.span(start),
        })
    }

    /// `signed_int`: `-`? digits, with no word boundary required.
    fn signed_int(&mut self) -> Option<i64> {
        let start = self.start();
        let digits = start + usize::from(self.byte(start) == Some(b'-'));
        let end = self.digits_end(digits);
        if end == digits {
            return None;
        }
        self.take(end);
        self.text(start, end).parse().ok()
    }

    fn digits_end(&self, at: usize) -> usize {
        let rest = self.bytes.get(at..).unwrap_or_default();
        at + rest
            .iter()
            .position(|c| !c.is_ascii_digit())
            .unwrap_or(rest.len())
    }

    /// Whether no word character stands at `at` (the literals' `!ident_char`).
    fn boundary(&self, at: usize) -> bool {
        !self.byte(at).is_some_and(is_word_char)
    }

    // ------------------------------------------------------- declarations

    fn decl(&mut self) -> Option<Decl> {
        let (w, _) = self.peek_word()?;
        Some(match w {
            "enum" => Decl::Enum(self.enum_decl()?),
            "record" => Decl::Record(self.record_decl()?),
            "facts" => Decl::Facts(self.facts_decl()?),
            "ladder" => Decl::Ladder(self.ladder_decl()?),
            "let" => Decl::Let(self.let_decl()?),
            "rules" => Decl::Rules(self.rules_decl()?),
            "warn" => Decl::Warn(self.warn_decl()?),
            // `test` declarations (inline JSON, expectations) are pest's.
            _ => return None,
        })
    }

    fn enum_decl(&mut self) -> Option<EnumDecl> {
        let start = self.start();
        self.word("enum")?;
        let name = self.ident()?;
        self.punct("{")?;
        let mut variants = vec![self.ident()?];
        while self.eat("<") {
            variants.push(self.ident()?);
        }
        self.punct("}")?;
        Some(EnumDecl {
            name,
            variants,
            span: self.span(start),
        })
    }

    /// `field_decl* ~ "}"`, the `{` already read.
    fn fields(&mut self) -> Option<Vec<FieldDecl>> {
        let mut fields = Vec::new();
        while !self.eat("}") {
            fields.push(self.field_decl()?);
        }
        Some(fields)
    }

    fn record_decl(&mut self) -> Option<RecordDecl> {
        let start = self.start();
        self.word("record")?;
        let name = self.ident()?;
        self.punct("{")?;
        let fields = self.fields()?;
        Some(RecordDecl {
            name,
            fields,
            span: self.span(start),
        })
    }

    fn facts_decl(&mut self) -> Option<FactsDecl> {
        let start = self.start();
        self.word("facts")?;
        self.punct("{")?;
        let fields = self.fields()?;
        Some(FactsDecl {
            fields,
            span: self.span(start),
        })
    }

    fn field_decl(&mut self) -> Option<FieldDecl> {
        let start = self.start();
        let name = self.ident()?;
        self.punct(":")?;
        let ty = self.type_expr()?;
        let mut field = FieldDecl {
            name,
            ty,
            range: None,
            unique: None,
            default: None,
            span: self.span(start),
        };
        // `(range_constraint | unique_constraint | default_value)*`; a later
        // constraint of a kind replaces an earlier one, as in lowering.
        loop {
            match self.peek_word() {
                Some(("in", _)) => field.range = Some(self.range_constraint()?),
                Some(("unique", end)) => {
                    let at = self.pos;
                    self.take(end);
                    field.unique = Some(self.span(at));
                }
                Some(("default", end)) => {
                    self.take(end);
                    field.default = Some(self.expr()?.0);
                }
                _ => break,
            }
        }
        field.span = self.span(start);
        Some(field)
    }

    /// `in lo..hi`, `in lo..`, `in ..hi`.
    fn range_constraint(&mut self) -> Option<(Option<i64>, Option<i64>, Span)> {
        let start = self.start();
        self.word("in")?;
        let (lo, hi) = if self.at_signed_int() {
            let lo = self.signed_int()?;
            self.punct("..")?;
            let hi = if self.at_signed_int() {
                Some(self.signed_int()?)
            } else {
                None
            };
            (Some(lo), hi)
        } else {
            self.punct("..")?;
            (None, Some(self.signed_int()?))
        };
        Some((lo, hi, self.span(start)))
    }

    /// Whether a `signed_int` comes next: `-`? then a digit.
    fn at_signed_int(&mut self) -> bool {
        let at = self.start();
        let digit = at + usize::from(self.byte(at) == Some(b'-'));
        self.byte(digit).is_some_and(|c| c.is_ascii_digit())
    }

    fn type_expr(&mut self) -> Option<TypeExpr> {
        let start = self.start();
        // Where the first alternative's keyword is not followed by the rest
        // of it (`optional` as a type name), pest would fall back to a named
        // type: declined here.
        let (w, end) = self.peek_word()?;
        Some(match w {
            "optional" => {
                self.take(end);
                let inner = self.type_expr()?;
                TypeExpr::Optional(Box::new(inner), self.span(start))
            }
            "list" => {
                self.take(end);
                self.word("of")?;
                let inner = self.type_expr()?;
                TypeExpr::List(Box::new(inner), self.span(start))
            }
            "rung" => {
                self.take(end);
                self.word("of")?;
                let ladder = self.ident()?;
                TypeExpr::Rung(ladder, self.span(start))
            }
            _ => TypeExpr::Named(self.ident()?),
        })
    }

    fn ladder_decl(&mut self) -> Option<LadderDecl> {
        let start = self.start();
        self.word("ladder")?;
        let name = self.ident()?;
        let at = self.start();
        let title = if self.byte(at) == Some(b'"') {
            Some(self.string_lit()?)
        } else {
            None
        };
        self.punct("{")?;
        let mut rungs = Vec::new();
        while !self.eat("}") {
            let name = self.ident()?;
            let description = self.string_lit()?;
            rungs.push(RungDecl { name, description });
        }
        Some(LadderDecl {
            name,
            title,
            rungs,
            span: self.span(start),
        })
    }

    fn let_decl(&mut self) -> Option<LetDecl> {
        let start = self.start();
        self.word("let")?;
        let name = self.ident()?;
        self.punct("=")?;
        let (value, _) = self.expr()?;
        Some(LetDecl {
            name,
            value,
            span: self.span(start),
        })
    }

    fn rules_decl(&mut self) -> Option<RulesDecl> {
        let start = self.start();
        self.word("rules")?;
        let ladder = self.ident()?;
        self.word("for")?;
        self.word("each")?;
        let first = self.ident()?;
        let (subject, items, source, key, keyed) = if self.eat(",") {
            let items = self.ident()?;
            self.word("in")?;
            let (source, _) = self.expr()?;
            self.word("grouped")?;
            self.word("by")?;
            let (key, _) = self.expr()?;
            (Some(first), items, source, key, false)
        } else {
            self.word("in")?;
            let (source, _) = self.expr()?;
            self.word("keyed")?;
            self.word("by")?;
            let (key, _) = self.expr()?;
            (None, first, source, key, true)
        };
        let span = self.span(start);
        self.punct("{")?;
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
        while !self.eat("}") {
            if let Some(("let", _)) = self.peek_word() {
                decl.order.push(BlockItem::Let(decl.lets.len()));
                decl.lets.push(self.let_decl()?);
            } else {
                decl.order.push(BlockItem::Rule(decl.rules.len()));
                decl.rules.push(self.rule()?);
            }
        }
        Some(decl)
    }

    fn rule(&mut self) -> Option<crate::ast::Rule> {
        let start = self.start();
        // `rule_label?`: a name followed by `:`, or nothing.
        let (pos, end) = (self.pos, self.end);
        let label = match self.ident() {
            Some(id) if self.eat(":") => Some(id),
            _ => {
                (self.pos, self.end) = (pos, end);
                None
            }
        };
        let at = self.start();
        let effect = match self.peek_word()? {
            ("recommend", end) => {
                self.take(end);
                Effect::Recommend
            }
            ("forbid", end) => {
                self.take(end);
                Effect::Forbid
            }
            _ => return None,
        };
        let effect_span = self.span(at);
        let first = self.ident()?;
        let rungs = match self.peek_word() {
            Some(("and", end)) => {
                self.take(end);
                if self.eat_word("above") {
                    RungSpec::AndAbove(first)
                } else {
                    self.word("below")?;
                    RungSpec::AndBelow(first)
                }
            }
            Some(("to", end)) => {
                self.take(end);
                RungSpec::Range(first, self.ident()?)
            }
            _ => RungSpec::One(first),
        };
        let when = if self.eat_word("when") {
            Some(self.expr()?.0)
        } else {
            None
        };
        self.word("because")?;
        let because = self.string_lit()?;
        let cites = if self.eat_word("cites") {
            Some(self.string_lit()?)
        } else {
            None
        };
        Some(crate::ast::Rule {
            label,
            effect,
            effect_span,
            rungs,
            when,
            because,
            cites,
            span: self.span(start),
        })
    }

    fn warn_decl(&mut self) -> Option<WarnDecl> {
        let start = self.start();
        self.word("warn")?;
        let (items, _) = self.expr()?;
        self.word("because")?;
        let because = self.string_lit()?;
        Some(WarnDecl {
            items,
            because,
            span: self.span(start),
        })
    }

    // -------------------------------------------------------- expressions

    fn node(kind: ExprKind, span: Span, depth: usize) -> Built {
        (depth <= MAX_EXPR_DEPTH).then_some((Expr { kind, span }, depth))
    }

    /// `expr = operation ~ (where ~ expr)?`
    fn expr(&mut self) -> Built {
        let start = self.start();
        let mut single = true;
        let (list, d1) = self.pratt(0, Seq::Operation, &mut single)?;
        if !self.eat_word("where") {
            return Some((list, d1));
        }
        // Lowering refuses a `where` whose left side is more than one
        // operand with its `.field`s.
        if !single {
            return None;
        }
        let (cond, d2) = self.expr()?;
        Self::node(
            ExprKind::Where(Box::new(list), Box::new(cond)),
            self.span(start),
            d1.max(d2) + 1,
        )
    }

    /// pest's Pratt algorithm, on the stream: an operand (after any prefix
    /// operators, each binding what follows more tightly than itself), then
    /// operators binding more tightly than `rbp`. `single` turns false when
    /// the sequence holds any operator but `.field`.
    fn pratt(&mut self, rbp: u8, seq: Seq, single: &mut bool) -> Built {
        let start = self.start();
        let prefix = match seq {
            Seq::Term => None,
            Seq::Operation | Seq::Body => match self.byte(start) {
                Some(b'-') => Some((false, start + 1)),
                Some(b'n') => match self.peek_word() {
                    Some(("not", end)) => Some((true, end)),
                    _ => None,
                },
                _ => None,
            },
        };
        let mut lhs = match prefix {
            Some((not, end)) => {
                *single = false;
                self.take(end);
                let power = if not { prec::NOT } else { prec::NEG };
                let (rhs, d) = self.pratt(power - 1, seq, single)?;
                let span = Span::new(self.file, start..rhs.span.end);
                let kind = if not {
                    ExprKind::Not(Box::new(rhs))
                } else {
                    ExprKind::Neg(Box::new(rhs))
                };
                Self::node(kind, span, d + 1)?
            }
            None => self.primary()?,
        };
        while let Some(op) = self.after(seq) {
            if op.prec() <= rbp {
                break;
            }
            let (e, d) = lhs;
            let from = e.span.start;
            lhs = match op {
                After::Field => {
                    self.take(self.pos + 1);
                    let id = self.ident()?;
                    let span = Span::new(self.file, from..id.span.end);
                    Self::node(ExprKind::Field(Box::new(e), id), span, d + 1)?
                }
                After::Is(present, end) => {
                    *single = false;
                    self.take(end);
                    Self::node(
                        ExprKind::IsPresent(Box::new(e), present),
                        self.span(from),
                        d + 1,
                    )?
                }
                After::Infix(bin, end) => {
                    *single = false;
                    self.take(end);
                    let (rhs, d2) = self.pratt(op.prec(), seq, single)?;
                    let span = Span::new(self.file, from..rhs.span.end);
                    Self::node(
                        ExprKind::Binary(bin, Box::new(e), Box::new(rhs)),
                        span,
                        d.max(d2) + 1,
                    )?
                }
            };
        }
        Some(lhs)
    }

    /// The operator after an operand, not consumed: postfix operators
    /// first, then infix ones, each only where the grammar tries it. `None`
    /// ends the sequence (as a postfix or infix pest fails to match does).
    fn after(&mut self, seq: Seq) -> Option<After> {
        let at = self.start();
        let c = self.byte(at)?;
        if c == b'.' {
            // `op_field = "." ~ ident`
            let mut probe = *self;
            probe.take(at + 1);
            return probe.ident().map(|_| After::Field);
        }
        if seq == Seq::Term {
            return None;
        }
        let two = self.bytes.get(at..at + 2).unwrap_or_default();
        let symbol = |op, len| Some(After::Infix(op, at + len));
        match c {
            b'=' if two == b"==" => symbol(BinOp::Eq, 2),
            b'!' if two == b"!=" => symbol(BinOp::Ne, 2),
            b'<' if two == b"<=" => symbol(BinOp::Le, 2),
            b'>' if two == b">=" => symbol(BinOp::Ge, 2),
            b'<' => symbol(BinOp::Lt, 1),
            b'>' => symbol(BinOp::Gt, 1),
            b'+' => symbol(BinOp::Add, 1),
            b'-' => symbol(BinOp::Sub, 1),
            b'*' => symbol(BinOp::Mul, 1),
            b'/' => symbol(BinOp::Div, 1),
            _ => {
                let end = self.word_end(at)?;
                let word = |op| Some(After::Infix(op, end));
                match self.text(at, end) {
                    "is" => {
                        let mut probe = *self;
                        probe.take(end);
                        if probe.eat_word("present") {
                            Some(After::Is(true, probe.pos))
                        } else if probe.eat_word("absent") {
                            Some(After::Is(false, probe.pos))
                        } else {
                            None
                        }
                    }
                    "or" if seq == Seq::Operation => word(BinOp::Or),
                    "and" if seq == Seq::Operation => word(BinOp::And),
                    "in" => word(BinOp::In),
                    "otherwise" => word(BinOp::Otherwise),
                    "not" => {
                        let mut probe = *self;
                        probe.take(end);
                        probe
                            .eat_word("in")
                            .then_some(After::Infix(BinOp::NotIn, probe.pos))
                    }
                    _ => None,
                }
            }
        }
    }

    /// The grammar's `primary`, tried in its order.
    fn primary(&mut self) -> Built {
        let start = self.start();
        let c = self.byte(start)?;
        let leaf = |p: &Self, kind| Self::node(kind, p.span(start), 1);
        if c.is_ascii_digit() {
            let (kind, end) = self.number(start)?;
            self.take(end);
            return leaf(self, kind);
        }
        if is_word_start(c) {
            let end = self.word_end(start)?;
            let quant = match self.text(start, end) {
                "true" | "false" => {
                    self.take(end);
                    return leaf(self, ExprKind::Bool(self.text(start, end) == "true"));
                }
                "any" => Quantifier::Any,
                "all" => Quantifier::All,
                "no" => Quantifier::No,
                _ => {
                    let name = self.ident()?;
                    if !self.eat("(") {
                        return leaf(self, ExprKind::Name(name.name));
                    }
                    let (arg, d) = self.expr()?;
                    self.punct(")")?;
                    return Self::node(
                        ExprKind::Call(name, Box::new(arg)),
                        self.span(start),
                        d + 1,
                    );
                }
            };
            self.take(end);
            let mut single = true;
            let (list, d1) = self.pratt(0, Seq::Term, &mut single)?;
            if !(self.eat_word("has") || self.eat_word("have")) {
                return None;
            }
            let (body, d2) = self.pratt(0, Seq::Body, &mut single)?;
            return Self::node(
                ExprKind::Quantified(quant, Box::new(list), Box::new(body)),
                self.span(start),
                d1.max(d2) + 1,
            );
        }
        match c {
            b'"' => {
                let s = self.string_lit()?;
                leaf(self, ExprKind::Str(s.value))
            }
            b'(' => {
                self.take(start + 1);
                let (e, d) = self.expr()?;
                self.punct(")")?;
                Self::node(ExprKind::Paren(Box::new(e)), self.span(start), d + 1)
            }
            b'[' => {
                self.take(start + 1);
                let mut items = Vec::new();
                let mut depth = 0;
                if !self.eat("]") {
                    loop {
                        let (e, d) = self.expr()?;
                        depth = depth.max(d);
                        items.push(e);
                        if !self.eat(",") {
                            self.punct("]")?;
                            break;
                        }
                        if self.eat("]") {
                            break;
                        }
                    }
                }
                Self::node(ExprKind::List(items), self.span(start), depth + 1)
            }
            _ => None,
        }
    }

    /// `date | duration | decimal | integer` at `start` (a digit), with the
    /// value lowering gives it; `None` where lowering would refuse it.
    fn number(&self, start: usize) -> Option<(ExprKind, usize)> {
        let digit = |i: usize| self.byte(i).is_some_and(|c| c.is_ascii_digit());
        // date = DIGIT{4} "-" DIGIT{2} "-" DIGIT{2} !ident_char
        let date_shape = (0..4).all(|i| digit(start + i))
            && self.byte(start + 4) == Some(b'-')
            && digit(start + 5)
            && digit(start + 6)
            && self.byte(start + 7) == Some(b'-')
            && digit(start + 8)
            && digit(start + 9)
            && self.boundary(start + 10);
        if date_shape {
            let end = start + 10;
            let days = crate::value::parse_date(self.text(start, end))?;
            return Some((ExprKind::Date(days), end));
        }
        let digits = self.digits_end(start);
        // duration = DIGIT+ ("d" | "w") !ident_char
        if matches!(self.byte(digits), Some(b'd' | b'w')) && self.boundary(digits + 1) {
            let end = digits + 1;
            let (days, unit) = duration_days(self.text(start, end))?;
            return Some((ExprKind::Duration(days, unit), end));
        }
        // decimal = DIGIT+ "." DIGIT+ !ident_char
        if self.byte(digits) == Some(b'.') && digit(digits + 1) {
            let end = self.digits_end(digits + 1);
            if self.boundary(end) {
                let d = crate::decimal::parse(self.text(start, end)).ok()?;
                return Some((ExprKind::Decimal(d), end));
            }
        }
        // integer = DIGIT+ !ident_char
        if self.boundary(digits) {
            let n = self.text(start, digits).parse().ok()?;
            return Some((ExprKind::Int(n), digits));
        }
        None
    }
}
