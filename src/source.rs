//! Source files and spans.
//!
//! Every span carries the file it points into, so any error built from a span
//! renders on its own, without a side table (Cedar's `Loc` does the same).

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use miette::{NamedSource, SourceSpan};

/// One policy (or facts, or REPL) text with the name it is shown under.
#[derive(Debug)]
pub struct SourceFile {
    /// Name shown in diagnostics: a path as the user typed it, or `<repl>`.
    pub name: String,
    /// The whole text.
    pub text: Arc<str>,
}

impl SourceFile {
    /// Wraps a text under a display name.
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Arc<Self> {
        Arc::new(Self {
            name: name.into(),
            text: text.into(),
        })
    }

    /// The miette source for reports pointing into this file.
    pub fn named_source(&self) -> NamedSource<Arc<str>> {
        NamedSource::new(self.name.clone(), Arc::clone(&self.text)).with_language("rung")
    }

    /// 1-based line and column of a byte offset (columns count characters).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = self.text.get(..offset).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        (line, col)
    }
}

/// A byte range in a source file.
///
/// Spans compare equal whatever they point at, so that AST equality (used by
/// the formatter's round-trip tests) ignores where text stands.
#[derive(Clone)]
pub struct Span {
    /// The file the range points into.
    pub file: Arc<SourceFile>,
    /// Start byte offset.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
}

impl Span {
    /// A span over `range` of `file`.
    pub fn new(file: &Arc<SourceFile>, range: Range<usize>) -> Self {
        Self {
            file: Arc::clone(file),
            start: range.start,
            end: range.end,
        }
    }

    /// The smallest span covering both (used for infix nodes: lhs ∪ rhs).
    pub fn to(&self, other: &Span) -> Span {
        Span {
            file: Arc::clone(&self.file),
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The text under the span.
    pub fn text(&self) -> &str {
        self.file.text.get(self.start..self.end).unwrap_or("")
    }

    /// The miette span; never empty, so the label always shows.
    pub fn source_span(&self) -> SourceSpan {
        let len = self.end.saturating_sub(self.start);
        let len = if len == 0 && self.start < self.file.text.len() {
            1
        } else {
            len
        };
        SourceSpan::new(self.start.into(), len)
    }

    /// The miette source of the span's file.
    pub fn named_source(&self) -> NamedSource<Arc<str>> {
        self.file.named_source()
    }

    /// `file:line:col`, for JSON output and traces.
    pub fn location(&self) -> String {
        let (line, col) = self.file.line_col(self.start);
        format!("{}:{}:{}", self.file.name, line, col)
    }
}

impl PartialEq for Span {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Span {}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}
