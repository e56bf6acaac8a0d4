//! Errors of the REPL itself (commands, paths, edits), as miette reports.
//!
//! Errors of the policy, the facts and evaluation keep their own types
//! ([`crate::Diag`]); these cover what only the REPL can get wrong. Each
//! variant points into the line that was typed (`<repl:3>`) when it can.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

use crate::source::{SourceFile, Span};

/// A problem with what was typed at the prompt.
#[derive(Debug, Error, Diagnostic)]
#[allow(
    missing_docs,
    reason = "fields are named for what they hold; each variant documents an input that triggers it"
)]
pub enum ReplError {
    /// `:sett now = "2023-01-01"`
    #[error("unknown command `{name}`")]
    #[diagnostic(code(rung::repl::command))]
    UnknownCommand {
        #[source_code]
        src: NamedSource<std::sync::Arc<str>>,
        #[label("not a command")]
        span: SourceSpan,
        name: String,
        #[help]
        help: String,
    },

    /// `:set now` (no `= VALUE`), `:why` without a rung.
    #[error("{message}")]
    #[diagnostic(code(rung::repl::usage))]
    Usage {
        #[source_code]
        src: NamedSource<std::sync::Arc<str>>,
        #[label("{label}")]
        span: SourceSpan,
        message: String,
        label: String,
        #[help]
        help: String,
    },

    /// `:set incidents[2].attribution = high"` (the value is not JSON).
    #[error("the value is not valid JSON: {message}")]
    #[diagnostic(
        code(rung::repl::json),
        help("write a JSON value: `\"high\"`, `4`, `true`, `null`, `{{\"id\": ...}}`")
    )]
    Json {
        #[source_code]
        src: NamedSource<std::sync::Arc<str>>,
        #[label("here")]
        span: SourceSpan,
        message: String,
    },

    /// `:set incidents[9].severity = 3` with three incidents.
    #[error("{message}")]
    #[diagnostic(code(rung::repl::path))]
    Path {
        #[source_code]
        src: NamedSource<std::sync::Arc<str>>,
        #[label("{label}")]
        span: SourceSpan,
        message: String,
        label: String,
        #[help]
        help: Option<String>,
    },

    /// `count(window)` before any facts are loaded.
    #[error("no facts are loaded")]
    #[diagnostic(
        code(rung::repl::no_facts),
        help("load them with `:facts FILE`; expressions that read no facts work without them")
    )]
    NoFacts {
        #[source_code]
        src: NamedSource<std::sync::Arc<str>>,
        #[label("this reads the facts")]
        span: SourceSpan,
    },

    /// `9223372036854775807 + 1`
    #[error("{message}")]
    #[diagnostic(code(rung::repl::eval))]
    Eval {
        #[source_code]
        src: NamedSource<std::sync::Arc<str>>,
        #[label("fails here")]
        span: SourceSpan,
        message: String,
        /// Why such arithmetic fails, for the kind of failure.
        #[help]
        help: &'static str,
    },

    /// `:why sanctions XX` when `XX` is not a subject.
    #[error("{message}")]
    #[diagnostic(code(rung::repl::lookup))]
    Lookup {
        #[source_code]
        src: NamedSource<std::sync::Arc<str>>,
        #[label("{label}")]
        span: SourceSpan,
        message: String,
        label: String,
        #[help]
        help: Option<String>,
    },

    /// Anything else that went wrong, without a place to point at
    /// (e.g. the facts no longer fit a reloaded policy).
    #[error("{message}")]
    #[diagnostic(code(rung::repl::note))]
    Plain {
        message: String,
        #[help]
        help: Option<String>,
    },
}

/// The miette source and span of `span`.
pub fn at(span: &Span) -> (NamedSource<std::sync::Arc<str>>, SourceSpan) {
    (span.named_source(), span.source_span())
}

/// The span of `range` in what was typed.
pub fn typed(file: &Arc<SourceFile>, start: usize, end: usize) -> Span {
    let len = file.text.len();
    Span::new(file, start.min(len)..end.min(len).max(start.min(len)))
}
