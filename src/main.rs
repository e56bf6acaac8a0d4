//! The `rung` command line: a thin layer over the library.

use std::io::{IsTerminal, Read as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use rung::diagnostic::{self, Diag, IoError, Style};
use rung::render::{self, Paint};
use rung::{Policy, SourceFile, Status};

/// rung — evaluate cyber response doctrine against incident facts.
#[derive(Parser)]
#[command(name = "rung", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and type-check policies; report every error at once.
    Check {
        /// Policy files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Evaluate a policy against facts and print the decision.
    Eval {
        /// Policy files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Facts file (JSON), or `-` for standard input.
        #[arg(long)]
        facts: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Show every rule's condition, part by part, with values.
        #[arg(long)]
        explain: bool,
        /// Exit 1 when a decision is indeterminate.
        #[arg(long)]
        strict: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Check {
            paths,
            deny_warnings,
        } => check(&paths, deny_warnings),
        Command::Eval {
            paths,
            facts,
            format,
            explain,
            strict,
        } => eval(&paths, &facts, format, explain, strict),
    }
}

fn color_on(stream_is_tty: bool) -> bool {
    stream_is_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn report(diags: &[Diag]) {
    let style = if color_on(std::io::stderr().is_terminal()) {
        Style::Color
    } else {
        Style::NoColor
    };
    let width = terminal_width();
    let mut text = diagnostic::render(diags, style, width);
    let summary = diagnostic::summary(diags);
    if !summary.is_empty() {
        text.push_str(&summary);
        text.push('\n');
    }
    let _ = std::io::stderr().write_all(text.as_bytes());
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

/// Exit code 2 for unreadable paths (a usage problem), 1 for the rest.
fn failure(diags: &[Diag]) -> ExitCode {
    if diags.iter().all(|d| matches!(d, Diag::Io(_))) {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    }
}

fn load(paths: &[PathBuf]) -> Result<Policy, ExitCode> {
    Policy::from_paths(paths).map_err(|diags| {
        report(&diags);
        failure(&diags)
    })
}

fn check(paths: &[PathBuf], deny_warnings: bool) -> ExitCode {
    let policy = match load(paths) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let warnings: Vec<Diag> = policy.warnings.into_iter().map(Diag::from).collect();
    if !warnings.is_empty() {
        report(&warnings);
    }
    if deny_warnings && !warnings.is_empty() {
        return ExitCode::from(1);
    }
    let files = policy.program.files.len();
    let _ = writeln!(
        std::io::stderr(),
        "ok: {files} file{} checked",
        if files == 1 { "" } else { "s" }
    );
    ExitCode::SUCCESS
}

fn read_facts(arg: &str) -> Result<std::sync::Arc<SourceFile>, Diag> {
    if arg == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| {
            Diag::from(IoError::Read {
                path: "<stdin>".into(),
                message: e.to_string(),
            })
        })?;
        return Ok(SourceFile::new("<stdin>", text));
    }
    let path = PathBuf::from(arg);
    let bytes = std::fs::read(&path).map_err(|e| {
        Diag::from(IoError::Read {
            path: arg.into(),
            message: e.to_string(),
        })
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Diag::from(IoError::Read {
            path: arg.into(),
            message: format!(
                "not UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        })
    })?;
    Ok(SourceFile::new(arg, text))
}

fn eval(
    paths: &[PathBuf],
    facts_arg: &str,
    format: Format,
    explain: bool,
    strict: bool,
) -> ExitCode {
    let policy = match load(paths) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let file = match read_facts(facts_arg) {
        Ok(f) => f,
        Err(d) => {
            report(std::slice::from_ref(&d));
            return ExitCode::from(2);
        }
    };
    let facts = match policy.facts(&file) {
        Ok(f) => f,
        Err(diags) => {
            report(&diags);
            return ExitCode::from(1);
        }
    };
    let evaluation = policy.evaluate(&facts);
    let text = match format {
        Format::Json => {
            let ex = explain.then(|| policy.explain(&facts));
            render::json(&evaluation, ex.as_deref())
        }
        Format::Human => {
            let explanations = policy.explain(&facts);
            let paint = Paint {
                enabled: color_on(std::io::stdout().is_terminal()),
            };
            render::human(
                &policy.program,
                &evaluation,
                &explanations,
                render::Options { explain, paint },
            )
        }
    };
    let _ = std::io::stdout().write_all(text.as_bytes());
    let indeterminate = evaluation
        .decisions
        .iter()
        .any(|d| d.status == Status::Indeterminate);
    if !evaluation.errors.is_empty() || (strict && indeterminate) {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
