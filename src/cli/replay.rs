//! `rung replay PATH... --facts FILE [--from DATE] [--to DATE]`: the
//! decisions as of every day of a range, their segments and crossings.

use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use rung::diagnostic::{Diag, UsageError};
use rung::render::{self, Paint, Provenance};
use rung::replay::{self, ReplayError};
use rung::value::parse_date;

use super::DiagnosticOptions;

/// Output format of a replay.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReplayFormat {
    /// A timeline per subject, and its crossings with their reasons.
    Human,
    /// The stable JSON document.
    Json,
    /// One row per segment.
    Csv,
    /// A step chart per ladder: a self-contained SVG picture.
    Svg,
    /// The chart and the tables in one self-contained HTML page.
    Html,
}

/// Arguments of `rung replay`.
#[derive(clap::Args)]
pub struct Args {
    /// Policy files or directories.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Facts file (JSON), or `-` for standard input.
    #[arg(long, required_unless_present = "tables")]
    facts: Option<String>,
    /// Facts from tables.
    #[command(flatten)]
    tables: super::tables::TableArgs,
    /// The first day (YYYY-MM-DD); by default the earliest date in the facts.
    #[arg(long)]
    from: Option<String>,
    /// The last day (YYYY-MM-DD); by default the facts' `now`.
    #[arg(long)]
    to: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReplayFormat::Human)]
    format: ReplayFormat,
    /// Write the output to this file instead of standard output.
    #[arg(long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    diagnostics: DiagnosticOptions,
}

/// A `--from`/`--to` argument as a day, or a usage error.
fn day(flag: &str, text: &str) -> Result<i32, Diag> {
    parse_date(text).ok_or_else(|| {
        Diag::from(UsageError::Invalid {
            what: format!("{flag} {text}"),
            help: format!("give a real day as YYYY-MM-DD, e.g. {flag} 2022-07-15"),
        })
    })
}

/// Writes `--output`: atomically over a file that exists (a reader never
/// sees half a chart), plainly when it is new, since `write_atomic` (made
/// for `rung fmt`) rewrites existing files only.
fn write_output(path: &std::path::Path, text: &str) -> Result<(), rung::fmt::FmtError> {
    if path.exists() {
        return rung::fmt::write_atomic(path, text);
    }
    std::fs::write(path, text).map_err(|e| rung::fmt::FmtError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

/// Runs `rung replay`.
pub fn run(args: Args) -> ExitCode {
    let format = args.diagnostics.error_format;
    // Usage first: a bad date or range needs no policy.
    let from = match args.from.as_deref().map(|t| day("--from", t)).transpose() {
        Ok(d) => d,
        Err(d) => {
            super::emit(&[d], format);
            return ExitCode::from(2);
        }
    };
    let to = match args.to.as_deref().map(|t| day("--to", t)).transpose() {
        Ok(d) => d,
        Err(d) => {
            super::emit(&[d], format);
            return ExitCode::from(2);
        }
    };
    if let (Some(a), Some(b)) = (from, to)
        && let Err(e) = replay::check_range(a, b)
    {
        super::emit(&[Diag::from(e)], format);
        return ExitCode::from(2);
    }
    let policy = match super::load_as(&args.paths, format) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let now = match replay::now_fact(&policy) {
        Ok(n) => n,
        Err(e) => {
            super::emit(&[Diag::from(e)], format);
            return ExitCode::from(1);
        }
    };
    let facts = match super::tables::load_facts(&policy, args.facts.as_deref(), &args.tables) {
        Ok((f, warnings)) => {
            super::emit(&warnings, format);
            f
        }
        Err((diags, code)) => {
            super::emit(&diags, format);
            return ExitCode::from(code);
        }
    };
    let (first, last) = replay::default_range(&facts, now).unwrap_or((0, 0));
    let (from, to) = (from.unwrap_or(first), to.unwrap_or(last));
    if let Err(e) = replay::check_range(from, to) {
        super::emit(&[Diag::from(e)], format);
        return ExitCode::from(2);
    }
    // People read the closest approach to each next rung; programs and
    // charts do without its traced runs.
    let replayed = if matches!(args.format, ReplayFormat::Human) {
        replay::replay_explained(&policy, &facts, from, to)
    } else {
        replay::replay(&policy, &facts, from, to)
    };
    let timeline = match replayed {
        Ok(t) => t,
        Err(ReplayError::Internal(e)) => {
            super::emit(&[Diag::from(e)], format);
            return ExitCode::from(1);
        }
        Err(e) => {
            super::emit(&[Diag::from(e)], format);
            return ExitCode::from(1);
        }
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let text = match args.format {
        ReplayFormat::Json => Ok(render::timeline_json(
            &timeline,
            Some(Provenance::of(&policy)),
        )),
        ReplayFormat::Csv => Ok(render::timeline_csv(&timeline)),
        ReplayFormat::Human => Ok(render::timeline_human(
            &timeline,
            Paint {
                enabled: super::color_on(to_terminal),
            },
            Some(policy.digest.short()),
        )),
        ReplayFormat::Svg => {
            render::timeline_svg(&timeline, &policy.program.schema, policy.digest.short())
        }
        ReplayFormat::Html => {
            render::timeline_html(&timeline, &policy.program.schema, Provenance::of(&policy))
        }
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            super::emit(&[Diag::from(e)], format);
            return ExitCode::from(1);
        }
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = write_output(path, &text) {
                super::emit(&[Diag::from(e)], format);
                return ExitCode::from(2);
            }
        }
        None => {
            let _ = std::io::stdout().write_all(text.as_bytes());
        }
    }
    if timeline.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
