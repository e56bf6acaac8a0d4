//! Subcommands of the `rung` binary, one module each, and what they share:
//! colour decisions, diagnostic reporting and exit codes.

mod check;
mod eval;
mod explain;
mod fmt;
mod lsp;
mod repl;
mod replay;
mod schema;
mod serve;
mod tables;
mod test;

use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use rung::Policy;
use rung::diagnostic::{self, Diag, Style};

/// rung — evaluate cyber response doctrine against incident facts.
#[derive(Parser)]
#[command(name = "rung", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and type-check policies; report every error at once.
    Check(check::Args),
    /// Evaluate a policy against facts and print the decision.
    Eval(eval::Args),
    /// Run the policy's tests; report failures, snapshots and rule coverage.
    Test(test::Args),
    /// Rewrite policy files in the canonical layout, keeping every comment.
    Fmt(fmt::Args),
    /// Explore a policy interactively and ask "what if" of the facts.
    Repl(repl::Args),
    /// The decisions as of every day of a range: when each rung was crossed, and why.
    Replay(replay::Args),
    /// Explain a diagnostic code, with an example and its fix.
    Explain(explain::Args),
    /// Print the facts' JSON Schema, a table's header line, or an example facts document.
    Schema(schema::Args),
    /// Serve the Language Server Protocol over standard input and output, for editors.
    Lsp(lsp::Args),
    /// Serve decisions over HTTP, with an analyst's console in the browser.
    Serve(serve::Args),
}

/// Output format of a decision.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// For people.
    Human,
    /// For programs.
    Json,
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Test(args) => test::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Repl(args) => repl::run(args),
        Command::Replay(args) => replay::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::Serve(args) => serve::run(args),
    }
}

/// Whether to colour a stream: a terminal, and `NO_COLOR` unset or empty.
pub fn color_on(stream_is_tty: bool) -> bool {
    stream_is_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Prints diagnostics to standard error, with a closing count.
#[allow(
    dead_code,
    reason = "the human-only entry point other subcommands call"
)]
pub fn report(diags: &[Diag]) {
    emit(diags, ErrorFormat::Human);
}

/// How diagnostics are written to standard error.
#[derive(Clone, Copy, Debug, Default, ValueEnum, PartialEq, Eq)]
pub enum ErrorFormat {
    /// Graphical reports with the source and labels, then a count.
    #[default]
    Human,
    /// One `file:line:col: severity[code]: message` line each, then labels and help.
    Plain,
    /// One JSON object per line: code, severity, message, file, span, line,
    /// column, labels, help, related.
    Json,
}

/// Diagnostic options shared by the subcommands that report them
/// (`#[command(flatten)]` them into a subcommand's arguments).
#[derive(clap::Args, Clone, Copy, Debug, Default)]
pub struct DiagnosticOptions {
    /// How to write errors and warnings.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    pub error_format: ErrorFormat,
    /// Exit 1 when there are warnings, as if they were errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Writes diagnostics to standard error in `format` (nothing when there are
/// none). Human output ends with a count such as `2 errors, 1 warning`.
pub fn emit(diags: &[Diag], format: ErrorFormat) {
    if diags.is_empty() {
        return;
    }
    // Thousands of reports help nobody (a generated policy can warn about
    // every one of 20,000 rungs) and rendering each reads its source line.
    let all = diags;
    let diags = all.get(..MAX_REPORTS).unwrap_or(all);
    let hidden = all.len() - diags.len();
    let more = (hidden > 0).then(|| {
        let warnings = all
            .iter()
            .skip(MAX_REPORTS)
            .filter(|d| d.is_warning())
            .count();
        format!(
            "{hidden} more reports not shown ({} errors, {warnings} warnings)",
            hidden - warnings
        )
    });
    let text = match format {
        ErrorFormat::Human => {
            let style = if color_on(std::io::stderr().is_terminal()) {
                Style::Color
            } else {
                Style::NoColor
            };
            let mut text = diagnostic::render(diags, style, terminal_width());
            if let Some(more) = &more {
                text.push_str(&format!("\n{more}\n"));
            }
            let summary = diagnostic::summary(all);
            if !summary.is_empty() {
                text.push_str(&summary);
                text.push('\n');
            }
            text
        }
        ErrorFormat::Plain => {
            let mut text = diagnostic::render_plain(diags);
            if let Some(more) = &more {
                text.push_str(&format!("note: {more}\n"));
            }
            text
        }
        ErrorFormat::Json => {
            let mut text = diagnostic::render_json(diags);
            if let Some(more) = &more {
                let note = serde_json::json!({ "severity": "note", "message": more });
                text.push_str(&format!("{note}\n"));
            }
            text
        }
    };
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Most reports printed in one run; the rest are counted.
const MAX_REPORTS: usize = 200;

/// Width for rendered diagnostics: `COLUMNS`, or 100.
pub fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

/// Exit code for failed loading: 2 when only paths were unreadable (a usage
/// problem), 1 for problems in the policy.
pub fn failure(diags: &[Diag]) -> ExitCode {
    if diags.iter().all(|d| matches!(d, Diag::Io(_))) {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    }
}

/// Loads a policy, reporting problems; the error is the exit code to use.
#[allow(
    dead_code,
    reason = "the human-only entry point other subcommands call"
)]
pub fn load(paths: &[PathBuf]) -> Result<Policy, ExitCode> {
    load_as(paths, ErrorFormat::Human)
}

/// Loads a policy, reporting problems in `format`; the error is the exit code.
pub fn load_as(paths: &[PathBuf], format: ErrorFormat) -> Result<Policy, ExitCode> {
    Policy::from_paths(paths).map_err(|diags| {
        emit(&diags, format);
        failure(&diags)
    })
}
