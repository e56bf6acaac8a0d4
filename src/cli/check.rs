//! `rung check PATH...`: parse and type-check, every error at once.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use rung::diagnostic::Diag;

/// Arguments of `rung check`.
#[derive(clap::Args)]
pub struct Args {
    /// Policy files or directories.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Exit 1 when there are warnings.
    #[arg(long)]
    deny_warnings: bool,
}

/// Runs `rung check`.
pub fn run(args: Args) -> ExitCode {
    let policy = match super::load(&args.paths) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let warnings: Vec<Diag> = policy.warnings.into_iter().map(Diag::from).collect();
    if !warnings.is_empty() {
        super::report(&warnings);
    }
    if args.deny_warnings && !warnings.is_empty() {
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
