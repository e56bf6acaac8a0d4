//! The line printer: lays tokens out in lines and puts every comment back
//! between the same two tokens it stood between in the source.
//!
//! A trailing comment is printed after the token it followed, and the line
//! ends there; an own-line comment is printed on a line of its own before the
//! token it preceded. Between items of a block (declarations, fields, rungs,
//! rules, lets) blank lines are normalised: some separations are required, and
//! a single blank line the author left is kept.

use super::comments::{Comment, has_blank_line};
use super::tokens::Tok;

/// Lines longer than this are broken at their break points, when they have some.
pub const WIDTH: usize = 100;

/// Text under construction, with the comments still to place.
pub(super) struct Printer<'s> {
    src: &'s str,
    comments: Vec<Comment>,
    next: usize,
    out: String,
    /// The open line (`None` between lines) and its indentation.
    line: Option<(usize, String)>,
    /// Indentation of the next line opened.
    indent: usize,
    /// A blank line goes before the next line opened.
    blank: bool,
    /// Source end of the last token or comment printed.
    last: usize,
}

impl<'s> Printer<'s> {
    /// A printer for `src` whose comments are `comments` (in source order).
    pub fn new(src: &'s str, comments: Vec<Comment>) -> Self {
        Self {
            src,
            comments,
            next: 0,
            out: String::new(),
            line: None,
            indent: 0,
            blank: false,
            last: 0,
        }
    }

    /// Prints one logical line at `indent`, breaking it at its break points
    /// when it is too long; continuation lines are indented by `cont` (plus two
    /// per deeper break level).
    pub fn line(&mut self, toks: &[Tok], indent: usize, cont: usize) {
        self.close_line();
        self.indent = indent;
        let k = break_level(toks, indent, cont);
        for (i, t) in toks.iter().enumerate() {
            if i > 0 && t.level > 0 && t.level <= k {
                self.close_line();
                self.indent = cont + 2 * usize::from(t.level - 1);
            }
            self.tok(t);
            if i == 0 {
                self.indent = cont;
            }
        }
    }

    /// Continues the open line with `toks` (no breaks), e.g. a closing `}` of
    /// an empty block.
    pub fn append(&mut self, toks: &[Tok]) {
        for t in toks {
            self.tok(t);
        }
    }

    fn tok(&mut self, t: &Tok) {
        self.flush_before(t.start);
        match &mut self.line {
            Some((_, text)) => {
                text.extend(std::iter::repeat_n(' ', t.space));
                text.push_str(&t.text);
            }
            None => self.open_line(&t.text),
        }
        self.last = self.last.max(t.end);
        self.flush_trailing(t.end);
    }

    fn open_line(&mut self, text: &str) {
        if self.blank && !self.out.is_empty() {
            self.out.push('\n');
        }
        self.blank = false;
        self.line = Some((self.indent, text.to_string()));
    }

    fn close_line(&mut self) {
        if let Some((indent, text)) = self.line.take() {
            self.out.extend(std::iter::repeat_n(' ', indent));
            self.out.push_str(text.trim_end());
            self.out.push('\n');
        }
    }

    /// Prints the comments that stand before source offset `pos`.
    fn flush_before(&mut self, pos: usize) {
        while let Some(c) = self.comments.get(self.next).filter(|c| c.start < pos) {
            let c = c.clone();
            self.next += 1;
            self.comment(&c);
        }
    }

    /// Prints the comment that ends the source line of a token ending at `end`.
    fn flush_trailing(&mut self, end: usize) {
        while let Some(c) = self.comments.get(self.next) {
            let same_line = c.trailing
                && c.start >= end
                && self
                    .src
                    .get(end..c.start)
                    .is_some_and(|gap| gap.chars().all(|ch| ch == ' ' || ch == '\t'));
            if !same_line {
                break;
            }
            let c = c.clone();
            self.next += 1;
            self.comment(&c);
        }
    }

    fn comment(&mut self, c: &Comment) {
        match &mut self.line {
            Some((_, text)) if c.trailing => {
                text.push(' ');
                text.push_str(&c.text);
            }
            _ => {
                self.close_line();
                self.open_line(&c.text);
            }
        }
        self.close_line();
        self.last = self.last.max(c.end);
    }

    /// Starts an item (a declaration, field, rung, rule, ...) whose first
    /// token stands at `start`: prints the comments before it on their own
    /// lines at `indent`, with the blank lines the layout requires
    /// (`sep`) or the author left, and no blank line when it is `first` in
    /// its block.
    pub fn item(&mut self, start: usize, indent: usize, sep: bool, first: bool) {
        self.close_line();
        self.indent = indent;
        let mut leading = true;
        while let Some(c) = self.comments.get(self.next).filter(|c| c.start < start) {
            let c = c.clone();
            self.next += 1;
            self.blank = self.separation(c.start, leading, sep, first);
            self.open_line(&c.text);
            self.close_line();
            self.last = self.last.max(c.end);
            leading = false;
        }
        self.blank = self.separation(start, leading, sep, first);
    }

    /// Whether a blank line goes before what starts at `pos`.
    fn separation(&self, pos: usize, leading: bool, sep: bool, first: bool) -> bool {
        if leading {
            !first && (sep || has_blank_line(self.src, self.last, pos))
        } else {
            has_blank_line(self.src, self.last, pos)
        }
    }

    /// Ends a block whose `}` stands at `close`: the comments before it, then
    /// no blank line before the brace.
    pub fn end_block(&mut self, close: usize, indent: usize, empty: bool) {
        self.item(close, indent, false, empty);
        self.blank = false;
    }

    /// Whether a comment stands before source offset `pos` (an empty block
    /// holding only comments is still printed over several lines).
    pub fn comment_before(&self, pos: usize) -> bool {
        self.comments.get(self.next).is_some_and(|c| c.start < pos)
    }

    /// The text, with the comments left at the end of the file.
    pub fn finish(mut self) -> String {
        let end = self.src.len() + 1;
        self.item(end, 0, false, self.out.is_empty() && self.line.is_none());
        self.close_line();
        self.out
    }
}

/// The lowest break level at which every line fits in [`WIDTH`], or the
/// deepest level when none does.
fn break_level(toks: &[Tok], indent: usize, cont: usize) -> u8 {
    let deepest = toks.iter().map(|t| t.level).max().unwrap_or(0);
    (0..=deepest)
        .find(|&k| widest(toks, indent, cont, k) <= WIDTH)
        .unwrap_or(deepest)
}

/// The widest line when breaking at levels up to `k`.
fn widest(toks: &[Tok], indent: usize, cont: usize, k: u8) -> usize {
    let mut col = indent;
    let mut max = 0;
    for (i, t) in toks.iter().enumerate() {
        let len = t.text.chars().count();
        if i > 0 && t.level > 0 && t.level <= k {
            max = max.max(col);
            col = cont + 2 * usize::from(t.level - 1) + len;
        } else if i == 0 {
            col += len;
        } else {
            col += t.space + len;
        }
    }
    max.max(col)
}
