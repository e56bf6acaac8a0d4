//! The canonical layout of each declaration.
//!
//! One blank line between declarations; two spaces of indentation per block;
//! ladder descriptions aligned; a rule's `label: recommend rung` on one line
//! and its `when`, `because`, `cites` on the lines below, indented; lets of a
//! rules block together, rules apart; long conditions broken before their
//! top-level `and`/`or` (and long `let`s before `where`).

use crate::ast::{
    BlockItem, Decl, EnumDecl, Expect, Expectation, FactsDecl, FieldDecl, File, LadderDecl,
    LetDecl, RecordDecl, Rule, RulesDecl, RungSpec, StringLit, TestDecl, TestFacts, WarnDecl,
};

use super::printer::Printer;
use super::tokens::Toks;

/// Indentation of one block level.
const STEP: usize = 2;

/// Walks a file's declarations, feeding tokens to the printer.
pub(super) struct Layout<'s> {
    toks: Toks<'s>,
    p: Printer<'s>,
}

impl<'s> Layout<'s> {
    /// A layout over `src` printing through `p`.
    pub fn new(src: &'s str, p: Printer<'s>) -> Self {
        Self {
            toks: Toks::new(src),
            p,
        }
    }

    /// The whole file, formatted.
    pub fn file(mut self, file: &File) -> String {
        for (i, d) in file.decls.iter().enumerate() {
            let start = self.toks.next_start();
            self.p.item(start, 0, true, i == 0);
            self.decl(d);
        }
        self.p.finish()
    }

    fn line(&mut self, indent: usize) {
        let toks = self.toks.take();
        self.p.line(&toks, indent, indent + STEP);
    }

    fn decl(&mut self, d: &Decl) {
        match d {
            Decl::Enum(e) => self.enum_decl(e),
            Decl::Record(r) => self.record(r),
            Decl::Facts(f) => self.facts(f),
            Decl::Ladder(l) => self.ladder(l),
            Decl::Let(l) => self.let_decl(l, 0),
            Decl::Rules(r) => self.rules(r),
            Decl::Warn(w) => self.warn(w),
            Decl::Test(t) => self.test(t),
        }
    }

    /// `enum Name { a < b < c }` on one line.
    fn enum_decl(&mut self, e: &EnumDecl) {
        self.toks.kw("enum");
        self.toks.ident(&e.name);
        self.toks.kw("{");
        for (i, v) in e.variants.iter().enumerate() {
            if i > 0 {
                self.toks.kw("<");
            }
            self.toks.ident(v);
        }
        self.toks.kw("}");
        self.line(0);
    }

    fn record(&mut self, r: &RecordDecl) {
        self.toks.kw("record");
        self.toks.ident(&r.name);
        self.fields(&r.fields);
    }

    fn facts(&mut self, f: &FactsDecl) {
        self.toks.kw("facts");
        self.fields(&f.fields);
    }

    /// `{`, one field per line, `}`.
    fn fields(&mut self, fields: &[FieldDecl]) {
        self.open_block();
        for (i, f) in fields.iter().enumerate() {
            self.p.item(f.span.start, STEP, false, i == 0);
            self.field(f);
        }
        self.close_block(0, fields.is_empty());
    }

    /// `name: type` and its constraints, in the order written.
    fn field(&mut self, f: &FieldDecl) {
        self.toks.ident(&f.name);
        self.toks.tight(":");
        self.toks.ty(&f.ty);
        let mut parts: Vec<(usize, Constraint<'_>)> = Vec::new();
        if let Some((lo, hi, span)) = &f.range {
            parts.push((span.start, Constraint::Range(*lo, *hi)));
        }
        if let Some(span) = &f.unique {
            parts.push((span.start, Constraint::Unique));
        }
        if let Some(e) = &f.default {
            parts.push((e.span.start, Constraint::Default(e)));
        }
        parts.sort_by_key(|(at, _)| *at);
        for (_, c) in parts {
            match c {
                Constraint::Range(lo, hi) => {
                    // `in 1..5`, `in 0..`, `in ..5`: the bounds stick to the dots.
                    self.toks.kw("in");
                    match lo {
                        Some(lo) => {
                            self.toks.number(lo, 1);
                            self.toks.tight("..");
                        }
                        None => self.toks.kw(".."),
                    }
                    if let Some(hi) = hi {
                        self.toks.number(hi, 0);
                    }
                }
                Constraint::Unique => self.toks.kw("unique"),
                Constraint::Default(e) => {
                    self.toks.kw("default");
                    self.toks.expr(e, 0);
                }
            }
        }
        self.line(STEP);
    }

    /// `ladder name "title" {`, aligned rungs, `}`.
    fn ladder(&mut self, l: &LadderDecl) {
        self.toks.kw("ladder");
        self.toks.ident(&l.name);
        if let Some(t) = &l.title {
            self.toks.string(t);
        }
        self.open_block();
        let width = l
            .rungs
            .iter()
            .map(|r| r.name.name.chars().count())
            .max()
            .unwrap_or(0);
        for (i, r) in l.rungs.iter().enumerate() {
            self.p.item(r.name.span.start, STEP, false, i == 0);
            self.toks.ident(&r.name);
            let pad = width.saturating_sub(r.name.name.chars().count()) + 1;
            self.toks.string_padded(&r.description, pad);
            self.line(STEP);
        }
        self.close_block(0, l.rungs.is_empty());
    }

    /// `let name = value`, broken before `where` and then before `and`/`or`
    /// when too long.
    fn let_decl(&mut self, l: &LetDecl, indent: usize) {
        self.toks.kw("let");
        self.toks.ident(&l.name);
        self.toks.kw("=");
        self.toks.expr(&l.value, 1);
        self.line(indent);
    }

    fn rules(&mut self, r: &RulesDecl) {
        self.toks.kw("rules");
        self.toks.ident(&r.ladder);
        self.toks.kw("for");
        self.toks.kw("each");
        if let Some(subject) = &r.subject {
            self.toks.ident(subject);
            self.toks.tight(",");
        }
        self.toks.ident(&r.items);
        self.toks.kw("in");
        self.toks.expr(&r.source, 0);
        self.toks.kw(if r.keyed { "keyed" } else { "grouped" });
        self.toks.kw("by");
        self.toks.expr(&r.key, 0);
        self.open_block();
        let mut prev: Option<BlockItem> = None;
        for item in &r.order {
            let start = self.toks.next_start();
            let sep = prev.is_some_and(|p| is_rule(p) || is_rule(*item));
            match item {
                BlockItem::Let(i) => {
                    if let Some(l) = r.lets.get(*i) {
                        self.p.item(start, STEP, sep, prev.is_none());
                        self.let_decl(l, STEP);
                    }
                }
                BlockItem::Rule(i) => {
                    if let Some(rule) = r.rules.get(*i) {
                        self.p.item(start, STEP, sep, prev.is_none());
                        self.rule(rule);
                    }
                }
            }
            prev = Some(*item);
        }
        self.close_block(0, r.order.is_empty());
    }

    /// `label: effect rungs` then `when`, `because`, `cites` below.
    fn rule(&mut self, r: &Rule) {
        if let Some(label) = &r.label {
            self.toks.ident(label);
            self.toks.tight(":");
        }
        self.toks.kw(r.effect.as_str());
        match &r.rungs {
            RungSpec::One(x) => self.toks.ident(x),
            RungSpec::AndAbove(x) => {
                self.toks.ident(x);
                self.toks.kw("and");
                self.toks.kw("above");
            }
            RungSpec::AndBelow(x) => {
                self.toks.ident(x);
                self.toks.kw("and");
                self.toks.kw("below");
            }
            RungSpec::Range(a, b) => {
                self.toks.ident(a);
                self.toks.kw("to");
                self.toks.ident(b);
            }
        }
        self.line(STEP);
        let clause = STEP * 2;
        if let Some(w) = &r.when {
            self.toks.kw("when");
            self.toks.expr(w, 1);
            self.line(clause);
        }
        self.clause("because", &r.because, clause);
        if let Some(c) = &r.cites {
            self.clause("cites", c, clause);
        }
    }

    fn clause(&mut self, word: &str, s: &StringLit, indent: usize) {
        self.toks.kw(word);
        self.toks.string(s);
        self.line(indent);
    }

    /// `warn list` then `because` below.
    fn warn(&mut self, w: &WarnDecl) {
        self.toks.kw("warn");
        self.toks.expr(&w.items, 1);
        self.line(0);
        self.clause("because", &w.because, STEP);
    }

    /// `test "name" {`, facts, expectations and snapshot in the order written, `}`.
    fn test(&mut self, t: &TestDecl) {
        self.toks.kw("test");
        self.toks.string(&t.name);
        self.open_block();
        let start = self.toks.next_start();
        self.p.item(start, STEP, false, true);
        self.toks.kw("facts");
        match &t.facts {
            TestFacts::File(s) => self.toks.string(s),
            TestFacts::Inline(text, span) => self.toks.verbatim(text, span),
        }
        self.line(STEP);
        for table in &t.tables {
            let start = self.toks.next_start();
            self.p.item(start, STEP, false, false);
            self.toks.kw("table");
            self.toks.ident(&table.fact);
            self.toks.string(&table.path);
            self.line(STEP);
        }
        let mut items: Vec<(usize, TestItem<'_>)> = t
            .expectations
            .iter()
            .map(|e| (e.span.start, TestItem::Expect(e)))
            .collect();
        if let Some(s) = &t.snapshot {
            items.push((s.span.start, TestItem::Snapshot(s)));
        }
        if let Some(s) = &t.replay_snapshot {
            items.push((s.span.start, TestItem::Replay(s)));
        }
        items.sort_by_key(|(at, _)| *at);
        for (_, item) in items {
            let start = self.toks.next_start();
            self.p.item(start, STEP, false, false);
            match item {
                TestItem::Expect(e) => self.expectation(e),
                TestItem::Snapshot(s) => self.clause("snapshot", s, STEP),
                TestItem::Replay(s) => {
                    self.toks.kw("snapshot");
                    self.clause("replay", s, STEP);
                }
            }
        }
        self.close_block(0, false);
    }

    fn expectation(&mut self, e: &Expectation) {
        self.toks.kw("expect");
        self.toks.ident(&e.ladder);
        self.toks.string(&e.subject);
        match &e.what {
            Expect::Top(Some(r)) => {
                self.toks.kw("top");
                self.toks.ident(r);
            }
            Expect::Top(None) => {
                self.toks.kw("top");
                self.toks.kw("none");
            }
            Expect::Recommends(r) => {
                self.toks.kw("recommends");
                self.toks.ident(r);
            }
            Expect::NotRecommends(r) => {
                self.toks.kw("not");
                self.toks.kw("recommends");
                self.toks.ident(r);
            }
            Expect::Forbids(r) => {
                self.toks.kw("forbids");
                self.toks.ident(r);
            }
            Expect::NotForbids(r) => {
                self.toks.kw("not");
                self.toks.kw("forbids");
                self.toks.ident(r);
            }
            Expect::Status(s) => {
                self.toks.kw("status");
                self.toks.ident(s);
            }
            Expect::Fires(r) => {
                self.toks.kw("fires");
                self.toks.ident(r);
            }
            Expect::NotFires(r) => {
                self.toks.kw("not");
                self.toks.kw("fires");
                self.toks.ident(r);
            }
            Expect::NoDecision => {
                self.toks.kw("no");
                self.toks.kw("decision");
            }
            Expect::Reaches(r, day) => {
                self.toks.kw("reaches");
                self.toks.ident(r);
                self.toks.kw("on");
                self.toks.verbatim(day.span.text(), &day.span);
            }
            Expect::NeverReaches(r) => {
                self.toks.kw("never");
                self.toks.kw("reaches");
                self.toks.ident(r);
            }
        }
        self.line(STEP);
    }

    /// Ends the header line with `{`.
    fn open_block(&mut self) {
        self.toks.kw("{");
        self.line(0);
    }

    /// Prints the comments left in the block and its `}`; an empty block
    /// without comments closes on the header line: `{}`.
    fn close_block(&mut self, indent: usize, empty: bool) {
        let close = self.toks.next_start();
        if empty && !self.p.comment_before(close) {
            self.toks.tight("}");
            let toks = self.toks.take();
            self.p.append(&toks);
            return;
        }
        self.p.end_block(close, indent + STEP, empty);
        self.toks.kw("}");
        self.line(indent);
    }
}

/// A field constraint, to print in source order.
enum Constraint<'a> {
    Range(Option<i64>, Option<i64>),
    Unique,
    Default(&'a crate::ast::Expr),
}

fn is_rule(item: BlockItem) -> bool {
    matches!(item, BlockItem::Rule(_))
}

/// One line of a test after its facts, kept in the order written.
enum TestItem<'a> {
    /// `expect ...`
    Expect(&'a Expectation),
    /// `snapshot "file"`
    Snapshot(&'a StringLit),
    /// `snapshot replay "file"`
    Replay(&'a StringLit),
}
