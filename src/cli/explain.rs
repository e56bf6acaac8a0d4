//! `rung explain [CODE]`: what a diagnostic code means, with an example and
//! its fix; without a code, the list of codes.

use std::io::Write as _;
use std::process::ExitCode;

use rung::diagnostic::codes::{self, EXPLANATIONS};
use rung::diagnostic::{Diag, UsageError};

use super::ErrorFormat;

/// Arguments of `rung explain`.
#[derive(clap::Args)]
pub struct Args {
    /// A code such as `rung::name::unknown` (the `rung::` prefix may be left out).
    code: Option<String>,
    /// How to write the error for an unknown code.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    error_format: ErrorFormat,
}

/// Runs `rung explain`.
pub fn run(args: Args) -> ExitCode {
    let text = match args.code.as_deref() {
        None => list(),
        Some(code) => match codes::lookup(code) {
            Some(e) => codes::render(e),
            None => {
                let help = match codes::closest(code) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => "run `rung explain` without a code to list them all".to_string(),
                };
                let d = Diag::from(UsageError::UnknownCode {
                    code: code.to_string(),
                    help,
                });
                super::emit(std::slice::from_ref(&d), args.error_format);
                return ExitCode::from(2);
            }
        },
    };
    let _ = std::io::stdout().write_all(text.as_bytes());
    ExitCode::SUCCESS
}

/// Every code with its title, then the schema the examples assume.
fn list() -> String {
    let width = EXPLANATIONS.iter().map(|e| e.code.len()).max().unwrap_or(0);
    let mut out = String::from("Diagnostic codes (`rung explain CODE` for details):\n\n");
    for e in EXPLANATIONS {
        out.push_str(&format!("  {:width$}  {}\n", e.code, e.title));
    }
    out.push_str("\nThe examples assume this schema and ladder:\n\n");
    for line in codes::PRELUDE_SCHEMA
        .lines()
        .chain(codes::PRELUDE_LADDER.lines())
    {
        out.push_str(&format!("    {line}\n"));
    }
    out
}
