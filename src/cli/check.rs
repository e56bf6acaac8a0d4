//! `rung check PATH...`: parse and type-check, every error at once.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use rung::diagnostic::Diag;

use super::{DiagnosticOptions, ErrorFormat};

/// Arguments of `rung check`.
#[derive(clap::Args)]
pub struct Args {
    /// Policy files or directories.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    diagnostics: DiagnosticOptions,
}

/// Runs `rung check`.
pub fn run(args: Args) -> ExitCode {
    let format = args.diagnostics.error_format;
    let policy = match super::load_as(&args.paths, format) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let warnings: Vec<Diag> = policy.warnings.into_iter().map(Diag::from).collect();
    super::emit(&warnings, format);
    if args.diagnostics.deny_warnings && !warnings.is_empty() {
        return ExitCode::from(1);
    }
    if format != ErrorFormat::Json {
        let files = policy.program.files.len();
        let _ = writeln!(
            std::io::stderr(),
            "ok: {files} file{} checked",
            if files == 1 { "" } else { "s" }
        );
    }
    // The process exits next and the system takes its memory back whole;
    // freeing a large policy's tree node by node first would cost a fifth
    // of `rung check`'s time (35 M of 250 M instructions for 5,000 rules).
    std::mem::forget(policy.program);
    ExitCode::SUCCESS
}
