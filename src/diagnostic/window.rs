//! Long lines shown as a window around the span.
//!
//! miette prints every source line of a snippet in full. A minified facts
//! file is one line of megabytes, and a policy may hold a very long line (a
//! nesting-limit report on 100,000 parentheses): printed whole, one report
//! would flood the terminal. [`Windowed`] wraps a diagnostic at the edge,
//! when it is rendered, and shows only the part of a long line around each
//! label. Diagnostics themselves keep the whole text.

use std::fmt;

use miette::{
    Diagnostic, LabeledSpan, MietteError, MietteSpanContents, Severity, SourceCode, SourceSpan,
    SpanContents,
};

/// Lines longer than this (in bytes) are cut to a window.
const LONG_LINE: usize = 200;
/// Bytes shown before a label's start in a long line.
const BEFORE: usize = 60;
/// Most bytes of a label shown in a long line.
const LABEL: usize = 60;
/// Bytes shown after a label's end in a long line.
const AFTER: usize = 40;

/// A diagnostic whose long source lines are shown as windows.
pub struct Windowed<'a> {
    inner: &'a dyn Diagnostic,
    src: Option<WindowedSource<'a>>,
    related: Vec<Windowed<'a>>,
}

impl<'a> Windowed<'a> {
    /// Wraps `inner` (and its related diagnostics).
    pub fn new(inner: &'a dyn Diagnostic) -> Self {
        Windowed {
            inner,
            src: inner.source_code().map(|s| WindowedSource { inner: s }),
            related: inner
                .related()
                .map(|rs| rs.map(Windowed::new).collect())
                .unwrap_or_default(),
        }
    }
}

impl fmt::Debug for Windowed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.inner, f)
    }
}

impl fmt::Display for Windowed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.inner, f)
    }
}

impl std::error::Error for Windowed<'_> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source()
    }
}

impl Diagnostic for Windowed<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }

    fn severity(&self) -> Option<Severity> {
        self.inner.severity()
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.help()
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.url()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.src.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let labels = self.inner.labels()?;
        Some(Box::new(labels.map(|l| self.clamp(l))))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }

    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.inner.diagnostic_source()
    }
}

impl Windowed<'_> {
    /// A label on a long line, shortened to what its window can show.
    fn clamp(&self, l: LabeledSpan) -> LabeledSpan {
        let Some(src) = &self.src else { return l };
        if l.len() <= LABEL {
            return l;
        }
        // From the label's start to the end of its line.
        let rest = src.inner.read_span(l.inner(), 0, 0).map(|c| c.data().len());
        match rest {
            Ok(n) if n > LONG_LINE => LabeledSpan::new_with_span(
                l.label().map(str::to_string),
                SourceSpan::new(l.offset().into(), LABEL),
            ),
            _ => l,
        }
    }
}

/// A source whose long lines are read as windows.
struct WindowedSource<'a> {
    inner: &'a dyn SourceCode,
}

impl SourceCode for WindowedSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let c = self.inner.read_span(span, before, after)?;
        // Without context, only the position is used (the report's header).
        if (before == 0 && after == 0)
            || !c.data().split(|b| *b == b'\n').any(|l| l.len() > LONG_LINE)
        {
            return Ok(c);
        }
        let data: &'b [u8] = c.data();
        let base = c.span().offset();
        let at = span.offset().saturating_sub(base).min(data.len());
        let line_start = data
            .get(..at)
            .and_then(|d| d.iter().rposition(|b| *b == b'\n'))
            .map_or(0, |i| i + 1);
        let line_end = data
            .get(at..)
            .and_then(|d| d.iter().position(|b| *b == b'\n'))
            .map_or(data.len(), |i| at + i);
        let shown = span.len().clamp(1, LABEL);
        let text = std::str::from_utf8(data).unwrap_or("");
        let mut w0 = at.saturating_sub(BEFORE).max(line_start);
        while w0 > line_start && !text.is_char_boundary(w0) {
            w0 -= 1;
        }
        let mut w1 = (at + shown + AFTER).min(line_end);
        while w1 < line_end && !text.is_char_boundary(w1) {
            w1 += 1;
        }
        let line = c.line()
            + data
                .get(..line_start)
                .map_or(0, |d| d.iter().filter(|b| **b == b'\n').count());
        let window = data.get(w0..w1).unwrap_or_default();
        let window_span = SourceSpan::new((base + w0).into(), w1 - w0);
        let column = w0 - line_start;
        Ok(Box::new(match c.name() {
            Some(name) => MietteSpanContents::new_named(
                name.to_string(),
                window,
                window_span,
                line,
                column,
                1,
            ),
            None => MietteSpanContents::new(window, window_span, line, column, 1),
        }))
    }
}
