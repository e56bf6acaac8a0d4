//! `rung test PATH...`: run the policy's tests, report coverage.

use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use rung::render::Paint;
use rung::testing::{self, Options, report, snapshot};

use super::Format;

/// Arguments of `rung test`.
#[derive(clap::Args)]
pub struct Args {
    /// Policy files or directories (tests are part of the policy).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Run only tests whose name contains this text (repeatable: any matches).
    #[arg(long, value_name = "TEXT")]
    filter: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Rewrite snapshots that are missing or changed (after review).
    #[arg(long)]
    update: bool,
    /// Exit 1 when some rule fired in no test.
    #[arg(long)]
    deny_uncovered: bool,
}

/// Runs `rung test`.
pub fn run(args: Args) -> ExitCode {
    let policy = match super::load(&args.paths) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let options = Options {
        filters: args.filter,
        snapshots: snapshot::Mode {
            update: args.update,
            ci: in_ci(),
        },
    };
    let report = testing::run(&policy, &options);
    let text = match args.format {
        Format::Json => report::json(&report),
        Format::Human => {
            let paint = Paint {
                enabled: super::color_on(std::io::stdout().is_terminal()),
            };
            report::human(&report, paint, super::terminal_width())
        }
    };
    let _ = std::io::stdout().write_all(text.as_bytes());
    let uncovered = !report.coverage.unexercised.is_empty() && report.filtered_out == 0;
    if !report.ok() || (args.deny_uncovered && uncovered) {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// Whether this is a CI run (`CI` set, and not empty, `0` or `false`), where
/// missing snapshots fail instead of being written (cargo insta's convention).
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}
