//! Every diagnostic rung can emit, and how they are rendered.
//!
//! Errors are data in the core (one enum per pipeline stage); this module
//! gathers them under one type and renders them at the edge: graphical with
//! or without colour (miette), as greppable plain text, or as JSON
//! ([`format`](mod@format)). [`codes`] explains every code a diagnostic can carry.

pub mod codes;
pub mod fix;
pub mod format;
mod window;

use std::fmt::Write as _;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, Severity};
use thiserror::Error;

use crate::check::{CheckError, CheckWarning};
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
    /// The policy does not check.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Check(#[from] CheckError),
    /// The policy checks, but something in it is likely wrong.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Lint(#[from] CheckWarning),
    /// The facts do not fit the schema.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Facts(#[from] FactsError),
    /// A table does not fit its fact.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Table(#[from] crate::facts::table::TableError),
    /// A rule failed at run time.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Eval(#[from] EvalReport),
    /// A file `rung fmt` could not format.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Fmt(#[from] FmtError),
    /// The command line asked for something that does not exist.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Usage(#[from] UsageError),
    /// A replay that cannot run.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Replay(#[from] crate::replay::ReplayError),
    /// A request `rung serve` cannot serve, or a service that cannot start.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Serve(#[from] crate::serve::ServeError),
    /// A bug in rung: no decision is made.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Internal(#[from] crate::internal::Internal),
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

/// A command-line request that cannot be served.
#[derive(Debug, Error, Diagnostic)]
pub enum UsageError {
    /// `rung explain rung::name::unknwon`
    #[error("no diagnostic has the code `{code}`")]
    #[diagnostic(code(rung::usage::code))]
    UnknownCode {
        /// The code as given.
        code: String,
        /// A close code, or the list of codes.
        #[help]
        help: String,
    },
    /// `rung replay --from 2023-02-30`
    #[error("`{what}` is not a valid argument")]
    #[diagnostic(code(rung::usage::argument))]
    Invalid {
        /// The argument as given.
        what: String,
        /// How to write it.
        #[help]
        help: String,
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
        .with_links(false)
        .with_show_related_as_nested(true);
    let mut out = String::new();
    for d in diags {
        let mut s = String::new();
        if handler
            .render_report(&mut s, &window::Windowed::new(d))
            .is_err()
        {
            let _ = writeln!(s, "{d}");
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(s.trim_end_matches('\n'));
        out.push('\n');
    }
    out
}

/// Renders diagnostics as `file:line:col: severity[code]: message` lines
/// (see [`format`](mod@format)).
pub fn render_plain(diags: &[Diag]) -> String {
    format::plain(diags.iter().map(|d| d as &dyn Diagnostic))
}

/// Renders diagnostics as JSON, one object per line (see [`format`](mod@format)).
pub fn render_json(diags: &[Diag]) -> String {
    format::json(diags.iter().map(|d| d as &dyn Diagnostic))
}

/// `2 errors, 1 warning` (empty when there are none).
pub fn summary(diags: &[Diag]) -> String {
    let warnings = diags
        .iter()
        .filter(|d| d.severity() == Some(Severity::Warning))
        .count();
    let errors = diags.iter().filter(|d| !d.is_warning()).count();
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => String::new(),
        (e, 0) => plural(e, "error"),
        (0, w) => plural(w, "warning"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}
