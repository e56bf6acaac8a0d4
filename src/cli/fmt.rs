//! `rung fmt PATH... [--check]`: rewrite policy files in the canonical layout,
//! or (with `--check`) show what would change.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rung::diagnostic::{Diag, IoError};
use rung::{SourceFile, fmt, policy};

/// Arguments of `rung fmt`.
#[derive(clap::Args)]
pub struct Args {
    /// Policy files, or directories whose `.rung` files (at any depth) are
    /// formatted; `-` reads a policy on standard input and writes it,
    /// formatted, to standard output (for editors).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Change nothing: print a diff for each file that would change and exit 1
    /// if there is any.
    #[arg(long)]
    check: bool,
}

/// What happened to one file.
enum Outcome {
    Unchanged,
    Changed,
    Failed(Box<Diag>),
}

/// Runs `rung fmt`.
pub fn run(args: Args) -> ExitCode {
    if args.paths.len() == 1 && args.paths.first().is_some_and(|p| p.as_os_str() == "-") {
        return stdin(args.check);
    }
    let (files, mut diags) = files(&args.paths);
    let mut changed = 0usize;
    let mut stdout = std::io::stdout().lock();
    for path in &files {
        match format_one(path, args.check, &mut stdout) {
            Outcome::Unchanged => {}
            Outcome::Changed => changed += 1,
            Outcome::Failed(d) => diags.push(*d),
        }
    }
    let _ = stdout.flush();
    if !diags.is_empty() {
        super::report(&diags);
        return super::failure(&diags);
    }
    if args.check {
        if changed > 0 {
            let _ = writeln!(
                std::io::stderr(),
                "{changed} of {} file{} would be reformatted",
                files.len(),
                if files.len() == 1 { "" } else { "s" }
            );
            return ExitCode::from(1);
        }
        return ExitCode::SUCCESS;
    }
    let _ = writeln!(
        std::io::stderr(),
        "ok: {changed} of {} file{} reformatted",
        files.len(),
        if files.len() == 1 { "" } else { "s" }
    );
    ExitCode::SUCCESS
}

/// The files named by `paths` (directories searched), and the paths that
/// could not be read.
fn files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Diag>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for p in paths {
        match policy::collect(p) {
            Ok(found) if found.is_empty() => diags.push(Diag::from(IoError::NoPolicyFiles {
                path: p.display().to_string(),
            })),
            Ok(found) => files.extend(found),
            Err(e) => diags.push(Diag::from(e)),
        }
    }
    files.dedup();
    (files, diags)
}

/// Formats one file: rewrites it, or prints its diff when checking.
fn format_one(path: &Path, check: bool, out: &mut impl std::io::Write) -> Outcome {
    let text = match policy::read_text(path) {
        Ok(t) => t,
        Err(e) => return Outcome::Failed(Box::new(e)),
    };
    let name = path.display().to_string();
    let source = SourceFile::new(name.clone(), text.as_str());
    let formatted = match fmt::format_source(&source) {
        Ok(f) => f,
        Err(e) => return Outcome::Failed(Box::new(Diag::from(e))),
    };
    if formatted == text {
        return Outcome::Unchanged;
    }
    if check {
        let _ = out.write_all(fmt::unified_diff(&name, &text, &formatted).as_bytes());
        return Outcome::Changed;
    }
    match fmt::write_atomic(path, &formatted) {
        Ok(()) => Outcome::Changed,
        Err(e) => Outcome::Failed(Box::new(Diag::from(e))),
    }
}

/// `rung fmt -`: standard input to standard output; with `--check`, exit 1
/// (printing nothing) when the input is not formatted.
fn stdin(check: bool) -> ExitCode {
    let mut text = String::new();
    if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut text) {
        super::report(&[Diag::from(IoError::Read {
            path: "<stdin>".into(),
            message: e.to_string(),
        })]);
        return ExitCode::from(2);
    }
    let file = SourceFile::new("<stdin>", text);
    match fmt::format_source(&file) {
        Ok(out) if check => {
            if out == *file.text {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Ok(out) => {
            let _ = std::io::stdout().write_all(out.as_bytes());
            ExitCode::SUCCESS
        }
        Err(e) => {
            super::report(&[Diag::from(e)]);
            ExitCode::from(1)
        }
    }
}
