//! AST → tokens in canonical spelling, each with the source range it came from.
//!
//! The printer places comments by source position, so every token carries one:
//! names, literals and strings take theirs from the AST; keywords and
//! operators, which the AST does not span, are found by skipping whitespace
//! and comments from the end of the previous token. Tokens come out in source
//! order, so re-reading the printed text yields the same tree: only
//! whitespace, comments' surroundings and a few spellings that do not change
//! the tree (`has`/`have`, a trailing comma, string escapes) differ.

use crate::ast::{BinOp, Expr, ExprKind, Ident, Quantifier, StringLit, TypeExpr};
use crate::source::Span;
use crate::value::format_date;

use super::comments::skip_trivia;
use crate::syntax::lex::{self, Kind, Lexer, quote};

/// One printed token.
#[derive(Debug, Clone)]
pub(super) struct Tok {
    /// The text printed.
    pub text: String,
    /// Where it starts in the source (comments before it print before it).
    pub start: usize,
    /// Where it ends in the source (a trailing comment after it stays after it).
    pub end: usize,
    /// Spaces before it when it does not start a line.
    pub space: usize,
    /// Break level: 0 never breaks; level `n` breaks (before the token) when the
    /// line is too long at levels below `n`.
    pub level: u8,
}

/// Builds tokens while tracking the source cursor.
pub(super) struct Toks<'s> {
    src: &'s str,
    /// End of the last token taken from the source.
    pub cur: usize,
    out: Vec<Tok>,
    /// The next token sticks to the previous one (after `(`, `[`, `.`, unary `-`).
    glue: bool,
}

impl<'s> Toks<'s> {
    /// A builder over `src`, starting at its beginning.
    pub fn new(src: &'s str) -> Self {
        Self {
            src,
            cur: 0,
            out: Vec::new(),
            glue: false,
        }
    }

    /// The tokens built since the last call.
    pub fn take(&mut self) -> Vec<Tok> {
        std::mem::take(&mut self.out)
    }

    /// Where the next unspanned token starts in the source.
    pub fn next_start(&self) -> usize {
        skip_trivia(self.src, self.cur)
    }

    fn push(&mut self, text: String, start: usize, end: usize, space: usize, level: u8) {
        let space = if self.glue { 0 } else { space };
        self.glue = false;
        self.cur = end.max(self.cur);
        self.out.push(Tok {
            text,
            start,
            end,
            space,
            level,
        });
    }

    /// A keyword or symbol found in the source after the cursor.
    pub fn kw(&mut self, text: &str) {
        self.kw_at_level(text, 1, 0);
    }

    /// A symbol that sticks to what precedes it (`,`, `:`, `)`, `.`).
    pub fn tight(&mut self, text: &str) {
        self.kw_at_level(text, 0, 0);
    }

    fn kw_at_level(&mut self, text: &str, space: usize, level: u8) {
        let start = self.next_start();
        // A keyword spans the word written there (`have` for `has`).
        let end = lex::token_at(self.src, start)
            .filter(|t| {
                t.kind == Kind::Word
                    && t.start == start
                    && text.bytes().next().is_some_and(lex::is_word_start)
            })
            .map_or(start + text.len(), |t| t.end);
        self.push(text.to_string(), start, end, space, level);
    }

    /// A token printed at a known source range.
    fn at(&mut self, text: impl Into<String>, start: usize, end: usize, space: usize) {
        self.push(text.into(), start, end, space, 0);
    }

    /// The next token sticks to this one.
    fn glue_next(&mut self) {
        self.glue = true;
    }

    /// A name.
    pub fn ident(&mut self, id: &Ident) {
        self.at(id.name.clone(), id.span.start, id.span.end, 1);
    }

    /// A string literal, re-escaped.
    pub fn string(&mut self, s: &StringLit) {
        self.string_padded(s, 1);
    }

    /// A string literal after `pad` spaces (aligned rung descriptions).
    pub fn string_padded(&mut self, s: &StringLit, pad: usize) {
        self.at(quote(&s.value), s.span.start, s.span.end, pad);
    }

    /// Text printed exactly as written (inline JSON facts).
    pub fn verbatim(&mut self, text: &str, span: &Span) {
        self.at(text, span.start, span.end, 1);
    }

    /// A whole number found in the source after the cursor (range bounds),
    /// `space` spaces after what precedes it.
    pub fn number(&mut self, n: i64, space: usize) {
        let start = self.next_start();
        let mut lexer = Lexer::at(self.src, start);
        let mut first = lexer.next().filter(|t| t.start == start);
        // A negative bound is `-` then the digits, written together.
        if let Some(minus) = first.filter(|t| t.is_punct(self.src, "-")) {
            first = lexer
                .next()
                .filter(|t| t.start == minus.end)
                .map(|t| lex::Token { start, ..t });
        }
        let end = first
            .filter(|t| t.kind == Kind::Number)
            .map_or(start, |t| t.end);
        self.at(n.to_string(), start, end, space);
    }

    /// A type.
    pub fn ty(&mut self, t: &TypeExpr) {
        match t {
            TypeExpr::Named(id) => self.ident(id),
            TypeExpr::List(inner, span) => {
                self.word_at("list", span);
                self.kw("of");
                self.ty(inner);
            }
            TypeExpr::Optional(inner, span) => {
                self.word_at("optional", span);
                self.ty(inner);
            }
            TypeExpr::Rung(ladder, span) => {
                self.word_at("rung", span);
                self.kw("of");
                self.ident(ladder);
            }
        }
    }

    /// A keyword that starts `span`.
    fn word_at(&mut self, word: &str, span: &Span) {
        self.at(word, span.start, span.start + word.len(), 1);
    }

    /// A closing bracket that ends `span`.
    fn close_at(&mut self, text: &str, span: &Span) {
        let start = span.end.saturating_sub(1);
        self.at(text, start, span.end, 0);
    }

    /// An expression; `level > 0` marks its top-level `where` and `and`/`or`
    /// as places to break a long line.
    pub fn expr(&mut self, e: &Expr, level: u8) {
        // Nesting is bounded by the parser; the guard keeps small stacks safe.
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.expr_inner(e, level));
    }

    fn expr_inner(&mut self, e: &Expr, level: u8) {
        let deeper = if level > 0 {
            level.saturating_add(1)
        } else {
            0
        };
        match &e.kind {
            ExprKind::Where(list, cond) => {
                self.expr(list, 0);
                self.kw_at_level("where", 1, level);
                self.expr(cond, deeper);
            }
            ExprKind::Binary(op @ (BinOp::And | BinOp::Or), _, _) if level > 0 => {
                self.chain(e, *op, level);
            }
            _ => self.plain(e),
        }
    }

    /// The operands of a run of one logical operator, breakable before each
    /// operator; operands that are runs of the other operator break one level deeper.
    fn chain(&mut self, e: &Expr, op: BinOp, level: u8) {
        match &e.kind {
            ExprKind::Binary(o, l, r) if *o == op => {
                self.chain(l, op, level);
                self.kw_at_level(op.as_str(), 1, level);
                self.chain(r, op, level);
            }
            _ => self.expr(e, level.saturating_add(1)),
        }
    }

    /// An expression on one line (no break points).
    fn plain(&mut self, e: &Expr) {
        let s = &e.span;
        match &e.kind {
            ExprKind::Bool(b) => self.at(b.to_string(), s.start, s.end, 1),
            ExprKind::Int(n) => self.at(n.to_string(), s.start, s.end, 1),
            ExprKind::Decimal(d) => self.at(d.to_string(), s.start, s.end, 1),
            ExprKind::Str(v) => self.at(quote(v), s.start, s.end, 1),
            ExprKind::Date(d) => self.at(format_date(*d), s.start, s.end, 1),
            ExprKind::Duration(days, unit) => {
                self.at(duration_text(*days, *unit), s.start, s.end, 1);
            }
            ExprKind::Name(n) => self.at(n.clone(), s.start, s.end, 1),
            ExprKind::List(items) => {
                self.word_at("[", s);
                self.glue_next();
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.tight(",");
                    }
                    self.expr(item, 0);
                }
                self.glue = false;
                self.close_at("]", s);
            }
            ExprKind::Field(inner, name) => {
                self.expr(inner, 0);
                self.tight(".");
                self.glue_next();
                self.ident(name);
            }
            ExprKind::Not(inner) => {
                self.word_at("not", s);
                self.expr(inner, 0);
            }
            ExprKind::Neg(inner) => {
                self.word_at("-", s);
                self.glue_next();
                self.expr(inner, 0);
            }
            ExprKind::IsPresent(inner, present) => {
                self.expr(inner, 0);
                self.kw("is");
                self.kw(if *present { "present" } else { "absent" });
            }
            ExprKind::Binary(op, l, r) => {
                self.expr(l, 0);
                if *op == BinOp::NotIn {
                    self.kw("not");
                    self.kw("in");
                } else {
                    self.kw(op.as_str());
                }
                self.expr(r, 0);
            }
            ExprKind::Where(list, cond) => {
                self.expr(list, 0);
                self.kw("where");
                self.expr(cond, 0);
            }
            ExprKind::Quantified(q, list, body) => {
                self.word_at(q.as_str(), s);
                self.expr(list, 0);
                self.kw(if *q == Quantifier::All { "have" } else { "has" });
                self.expr(body, 0);
            }
            ExprKind::Call(name, arg) => {
                self.ident(name);
                self.tight("(");
                self.glue_next();
                self.expr(arg, 0);
                self.close_at(")", s);
            }
            ExprKind::Paren(inner) => {
                self.word_at("(", s);
                self.glue_next();
                self.expr(inner, 0);
                self.close_at(")", s);
            }
        }
    }
}

/// `365d`, `2w`: the unit as written.
fn duration_text(days: i64, unit: char) -> String {
    if unit == 'w' {
        format!("{}w", days / 7)
    } else {
        format!("{days}d")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_keep_their_unit() {
        assert_eq!(duration_text(14, 'w'), "2w");
        assert_eq!(duration_text(365, 'd'), "365d");
    }
}
