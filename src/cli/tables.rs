//! `--table NAME=FILE` and `--table-delimiter`: facts from spreadsheet
//! tables, shared by the subcommands that read facts.

use std::path::Path;
use std::sync::Arc;

use rung::diagnostic::Diag;
use rung::facts::Facts;
use rung::facts::table::{self, Delimiter, TableInput};
use rung::{Policy, SourceFile};

/// Tables giving `list of RECORD` facts (`#[command(flatten)]` them).
#[derive(clap::Args, Clone, Debug, Default)]
pub struct TableArgs {
    /// A fact read from a CSV or TSV table: `--table incidents=incidents.csv`
    /// (repeatable; the other facts come from `--facts`).
    #[arg(long = "table", value_name = "NAME=FILE", value_parser = parse_binding)]
    pub tables: Vec<(String, String)>,
    /// The cell separator of every table (detected from the header by default).
    #[arg(long, value_enum, value_name = "SEPARATOR")]
    pub table_delimiter: Option<DelimiterArg>,
}

/// A cell separator on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DelimiterArg {
    /// `,`
    Comma,
    /// `;`
    Semicolon,
    /// A tab.
    Tab,
}

/// `NAME=FILE`, as `--table` takes it.
pub fn parse_binding(arg: &str) -> Result<(String, String), String> {
    match arg.split_once('=') {
        Some((name, file)) if !name.trim().is_empty() && !file.is_empty() => {
            Ok((name.trim().to_string(), file.to_string()))
        }
        _ => Err(format!(
            "expected NAME=FILE, e.g. `incidents=incidents.csv`, found `{arg}`"
        )),
    }
}

impl TableArgs {
    /// Whether any table is given.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }

    /// Reads every table file; an unreadable one is a usage error (exit 2).
    pub fn inputs(&self) -> Result<Vec<TableInput>, Vec<Diag>> {
        let delimiter = self.table_delimiter.map(|d| match d {
            DelimiterArg::Comma => Delimiter::Comma,
            DelimiterArg::Semicolon => Delimiter::Semicolon,
            DelimiterArg::Tab => Delimiter::Tab,
        });
        let mut inputs = Vec::new();
        let mut errors = Vec::new();
        for (fact, path) in &self.tables {
            match table::read_file(Path::new(path)) {
                Ok(file) => inputs.push(TableInput {
                    fact: fact.clone(),
                    file,
                    delimiter,
                }),
                Err(d) => errors.push(d),
            }
        }
        if errors.is_empty() {
            Ok(inputs)
        } else {
            Err(errors)
        }
    }
}

/// Facts from `--facts` (when given) and the tables, with their warnings;
/// on failure, the reports and the exit code (2 for unreadable files).
pub fn load_facts(
    policy: &Policy,
    facts: Option<&str>,
    tables: &TableArgs,
) -> Result<(Facts, Vec<Diag>), (Vec<Diag>, u8)> {
    if tables.is_empty() {
        // The common case: one JSON file, read without copying its text
        // unless there is something to report.
        let Some(arg) = facts else {
            return Err((Vec::new(), 2));
        };
        let (name, text) = super::eval::read_facts_text(arg).map_err(|d| (vec![d], 2))?;
        return rung::facts::load_owned(&policy.program.schema, name, text)
            .map(|(f, ws)| (f, ws.into_iter().map(Diag::from).collect()))
            .map_err(|es| (es.into_iter().map(Diag::from).collect(), 1));
    }
    let json: Option<Arc<SourceFile>> = match facts {
        Some(arg) => {
            let (name, text) = super::eval::read_facts_text(arg).map_err(|d| (vec![d], 2))?;
            Some(SourceFile::new(name, text))
        }
        None => None,
    };
    let inputs = tables.inputs().map_err(|d| {
        let code = if d.iter().all(|d| matches!(d, Diag::Io(_))) {
            2
        } else {
            1
        };
        (d, code)
    })?;
    policy
        .facts_with_tables(json.as_ref(), &inputs)
        .map_err(|d| (d, 1))
}
