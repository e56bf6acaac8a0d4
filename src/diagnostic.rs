//! Every diagnostic rung can emit, and how they are rendered.
//!
//! Errors are data in the core (one enum per pipeline stage); this module
//! gathers them under one type and renders them at the edge: graphical with
//! or without colour (miette), or plain text.

use std::fmt::Write as _;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, Severity};
use thiserror::Error;

use crate::check::CheckError;
use crate::eval::EvalReport;
use crate::facts::FactsError;
use crate::fmt::FmtError;
use crate::syntax::SyntaxError;

/// A diagnostic from any stage.
#[derive(Debug, Error, Diagnostic)]
pub enum Diag {
    /// Reading a file failed.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Io(#[from] IoError),
    /// The text does not parse.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(#[from] SyntaxError),
    /// The policy does not check (or a warning).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Check(#[from] CheckError),
    /// The facts do not fit the schema.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Facts(#[from] FactsError),
    /// A rule failed at run time.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Eval(#[from] EvalReport),
    /// A file `rung fmt` could not format.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Fmt(#[from] FmtError),
}

impl Diag {
    /// Whether this is only a warning (or advice).
    pub fn is_warning(&self) -> bool {
        matches!(self.severity(), Some(Severity::Warning | Severity::Advice))
    }
}

/// A file or directory that could not be read.
#[derive(Debug, Error, Diagnostic)]
pub enum IoError {
    /// `rung check missing.rung`
    #[error("cannot read `{path}`: {message}")]
    #[diagnostic(code(rung::io::read), help("check the path and its permissions"))]
    Read {
        /// The path as given.
        path: String,
        /// The system's reason.
        message: String,
    },
    /// `rung check empty-dir/`
    #[error("no `.rung` files in `{path}`")]
    #[diagnostic(
        code(rung::io::empty),
        help("a policy directory holds one or more `.rung` files")
    )]
    NoPolicyFiles {
        /// The directory.
        path: String,
    },
}

/// How diagnostics are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Graphical, with colour.
    Color,
    /// Graphical, without colour (pipes, `NO_COLOR`, snapshots).
    NoColor,
}

/// Renders diagnostics, one after another, ending with a summary count.
pub fn render(diags: &[Diag], style: Style, width: usize) -> String {
    let theme = match style {
        Style::Color => GraphicalTheme::unicode(),
        Style::NoColor => GraphicalTheme::unicode_nocolor(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false);
    let mut out = String::new();
    for d in diags {
        let mut s = String::new();
        let rendered = match Unsourced::for_long_lines(d) {
            Some(plain) => handler.render_report(&mut s, &plain),
            None => handler.render_report(&mut s, d),
        };
        if rendered.is_err() {
            let _ = writeln!(s, "{d}");
        }
        out.push_str(&s);
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// Longest source line a report shows. miette prints whole lines, and panics
/// on a label past column 65,535 (a format width over `u16::MAX`), which one
/// line of minified JSON reaches easily.
pub const MAX_SHOWN_LINE: usize = 1000;

/// A diagnostic whose labelled lines are too long to show: the same report
/// without the snippet, its labels given as `file:line:col: label` instead.
struct Unsourced<'a> {
    inner: &'a Diag,
    help: String,
}

impl<'a> Unsourced<'a> {
    fn for_long_lines(d: &'a Diag) -> Option<Self> {
        let src = d.source_code()?;
        let mut long = false;
        let mut notes = Vec::new();
        for label in d.labels()? {
            // The lines miette would show: the label's, one before, one after.
            let Ok(lines) = src.read_span(label.inner(), 1, 1) else {
                continue;
            };
            let data = lines.data();
            long |= data
                .split(|&b| b == b'\n')
                .any(|line| line.len() > MAX_SHOWN_LINE);
            let before = label.offset().saturating_sub(lines.span().offset());
            let before = data.get(..before).unwrap_or(data);
            let line = lines.line() + before.iter().filter(|&&b| b == b'\n').count();
            let line_start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default())
                .chars()
                .count();
            let mut note = format!(
                "at {}:{}:{}",
                lines.name().unwrap_or("<input>"),
                line + 1,
                column + 1
            );
            if let Some(text) = label.label() {
                let _ = write!(note, ": {text}");
            }
            notes.push(note);
        }
        if !long {
            return None;
        }
        notes.push("(the line is too long to show)".into());
        if let Some(help) = d.help() {
            notes.push(help.to_string());
        }
        Some(Unsourced {
            inner: d,
            help: notes.join("\n"),
        })
    }
}

impl std::fmt::Display for Unsourced<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self.inner, f)
    }
}

impl std::fmt::Debug for Unsourced<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.inner, f)
    }
}

impl std::error::Error for Unsourced<'_> {}

impl Diagnostic for Unsourced<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.inner.code()
    }

    fn severity(&self) -> Option<Severity> {
        self.inner.severity()
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        Some(Box::new(&self.help))
    }
}

/// `2 errors, 1 warning` (empty when there are none).
pub fn summary(diags: &[Diag]) -> String {
    let warnings = diags.iter().filter(|d| d.is_warning()).count();
    let errors = diags.len() - warnings;
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => String::new(),
        (e, 0) => plural(e, "error"),
        (0, w) => plural(w, "warning"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}
