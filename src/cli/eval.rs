//! `rung eval PATH... --facts FILE|-`: the decision.

use std::io::{IsTerminal, Read as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use rung::Status;
use rung::decision::{Decision, RuleError};
use rung::diagnostic::{Diag, IoError};
use rung::eval::{Detail, EvalReport};
use rung::policy::without_bom;
use rung::render::{self, Paint, Provenance};

use super::{DiagnosticOptions, Format};

/// Arguments of `rung eval`.
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
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Show every rule's condition, part by part, with values.
    #[arg(long)]
    explain: bool,
    /// Exit 1 when a decision is indeterminate.
    #[arg(long)]
    strict: bool,
    /// With `--deny-warnings`, warnings of the policy and of the facts (such
    /// as an incident dated after `now`) make the exit code 1.
    #[command(flatten)]
    diagnostics: DiagnosticOptions,
}

/// The display name and text of the facts at a path, or on standard input
/// for `-`: read once into a buffer of the file's size, validated as UTF-8
/// once, and not copied (see [`rung::facts::load_owned`]).
pub(super) fn read_facts_text(arg: &str) -> Result<(&str, String), Diag> {
    let unreadable = |message: String| {
        Diag::from(IoError::Read {
            path: arg.to_string(),
            message,
        })
    };
    if arg == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| unreadable(e.to_string()))?;
        return Ok(("<stdin>", without_bom(text)));
    }
    let bytes = std::fs::read(arg).map_err(|e| unreadable(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        unreadable(format!(
            "not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok((arg, without_bom(text)))
}

/// Runs `rung eval`.
pub fn run(args: Args) -> ExitCode {
    let format = args.diagnostics.error_format;
    let mut policy = match super::load_as(&args.paths, format) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut warnings: Vec<Diag> = std::mem::take(&mut policy.warnings)
        .into_iter()
        .map(Diag::from)
        .collect();
    super::emit(&warnings, format);
    let facts = match super::tables::load_facts(&policy, args.facts.as_deref(), &args.tables) {
        Ok((f, facts_warnings)) => {
            super::emit(&facts_warnings, format);
            warnings.extend(facts_warnings);
            f
        }
        Err((diags, code)) => {
            super::emit(&diags, format);
            return ExitCode::from(code);
        }
    };
    // One run. Human output always needs the traces (the "next rung"
    // lines); JSON only with --explain.
    let detail = if args.explain || args.format == Format::Human {
        Detail::Traces
    } else {
        Detail::Outcomes
    };
    let run = match policy.run(&facts, detail) {
        Ok(r) => r,
        Err(e) => {
            super::emit(&[Diag::from(e)], format);
            return ExitCode::from(1);
        }
    };
    let explanations = match detail {
        Detail::Traces => match run.explanations(&policy.program) {
            Ok(x) => Some(x),
            Err(e) => {
                super::emit(&[Diag::from(e)], format);
                return ExitCode::from(1);
            }
        },
        Detail::Outcomes => None,
    };
    let evaluation = &run.evaluation;
    let text = match args.format {
        Format::Json => render::json(
            evaluation,
            explanations.as_deref().filter(|_| args.explain),
            Some(Provenance::of(&policy)),
        ),
        Format::Human => {
            let paint = Paint {
                enabled: super::color_on(std::io::stdout().is_terminal()),
            };
            render::human(
                &policy.program,
                evaluation,
                explanations.as_deref().unwrap_or_default(),
                render::Options {
                    explain: args.explain,
                    paint,
                    digest: Some(policy.digest.short()),
                },
            )
        }
    };
    let _ = std::io::stdout().write_all(text.as_bytes());
    // The process ends here: freeing every record of a large facts file one
    // by one would only touch memory again (4% of a 100,000-incident run).
    std::mem::forget(facts);
    let indeterminate: Vec<&Decision> = evaluation
        .decisions
        .iter()
        .filter(|d| d.status == Status::Indeterminate)
        .collect();
    let strict_failure = args.strict && !indeterminate.is_empty();
    let denied =
        args.diagnostics.deny_warnings && (!warnings.is_empty() || !evaluation.warnings.is_empty());
    if evaluation.errors.is_empty() && !strict_failure {
        return if denied {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        };
    }
    // Exit 1 is explained on stderr too, whatever the output format.
    let mut failed: Vec<&RuleError> = evaluation.errors.iter().collect();
    if strict_failure {
        failed.extend(indeterminate.iter().flat_map(|d| &d.errors));
    }
    super::emit(&failure_reports(&failed), format);
    if strict_failure {
        let n = indeterminate.len();
        let _ = writeln!(
            std::io::stderr(),
            "error: {n} decision{} indeterminate (--strict)",
            if n == 1 { " is" } else { "s are" }
        );
    }
    ExitCode::from(1)
}

/// One report per distinct failure (a failing definition fails every rule
/// and subject that reads it).
fn failure_reports(errors: &[&RuleError]) -> Vec<Diag> {
    let mut seen = std::collections::BTreeSet::new();
    errors
        .iter()
        .filter_map(|e| e.cause.as_ref())
        .filter(|c| {
            seen.insert((
                c.span.start,
                c.span.end,
                c.span.file.name.clone(),
                c.to_string(),
            ))
        })
        .map(|c| Diag::from(EvalReport::from(c)))
        .collect()
}
