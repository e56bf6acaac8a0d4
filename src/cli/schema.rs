//! `rung schema PATH... [--format json-schema|csv-header NAME|template]`:
//! the facts' schema for the tools that keep the facts.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use rung::diagnostic::Diag;
use rung::export::{self, HeaderError};
use rung::facts::table::TableError;

/// Arguments of `rung schema`.
#[derive(clap::Args)]
pub struct Args {
    /// Policy files or directories.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// What to print: `json-schema` (the default), `template` (an example
    /// facts document), or `csv-header NAME` (the header line of a table
    /// for the fact or record NAME).
    #[arg(long, num_args = 1..=2, value_names = ["FORMAT", "NAME"])]
    format: Vec<String>,
}

/// Runs `rung schema`.
pub fn run(args: Args) -> ExitCode {
    let format = args.format.first().map_or("json-schema", String::as_str);
    let name = args.format.get(1);
    let usage = |message: &str| {
        let _ = writeln!(std::io::stderr(), "error: {message}");
        ExitCode::from(2)
    };
    match (format, name) {
        ("json-schema" | "template", Some(n)) => {
            return usage(&format!("`--format {format}` takes no name (found `{n}`)"));
        }
        ("csv-header", None) => {
            return usage(
                "`--format csv-header` needs the fact or record whose table it heads, e.g. `--format csv-header incidents`",
            );
        }
        ("json-schema" | "template" | "csv-header", _) => {}
        (other, _) => {
            return usage(&format!(
                "unknown format `{other}`: use `json-schema`, `template` or `csv-header NAME`"
            ));
        }
    }
    let policy = match super::load(&args.paths) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let schema = &policy.program.schema;
    let text = match (format, name) {
        ("csv-header", Some(name)) => match export::csv_header(schema, name) {
            Ok(line) => line,
            Err(HeaderError::Unknown { suggestion }) => {
                let help = match suggestion {
                    Some(s) => format!(" (did you mean `{s}`?)"),
                    None => String::new(),
                };
                return usage(&format!("no fact or record is named `{name}`{help}"));
            }
            Err(HeaderError::Shape(p)) => {
                super::report(&[Diag::from(TableError::Shape {
                    src: p.span.named_source(),
                    span: p.span.source_span(),
                    fact: name.clone(),
                    why: p.why,
                    label: p.label,
                    help: p.help,
                })]);
                return ExitCode::from(1);
            }
        },
        _ => {
            let doc = if format == "template" {
                export::template(schema)
            } else {
                export::json_schema(schema)
            };
            match doc {
                Ok(doc) => doc.to_pretty(),
                Err(e) => {
                    super::report(&[Diag::from(e)]);
                    return ExitCode::from(1);
                }
            }
        }
    };
    let _ = writeln!(std::io::stdout(), "{text}");
    ExitCode::SUCCESS
}
