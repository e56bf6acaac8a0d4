//! Everything that can be wrong with a table, as miette reports.
//!
//! A report about a cell names the file, the line, the row and the column
//! (`incidents.csv:14: row 13, column severity`), labels the cell on its
//! line, and says which type the column holds and which values it allows.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// A table that cannot be used.
#[derive(Debug, Error, Diagnostic)]
#[allow(
    missing_docs,
    reason = "fields are named for what they hold; each variant documents an input that triggers it"
)]
pub enum TableError {
    /// `--table incidnets=incidents.csv`.
    #[error("`{fact}` is not a fact of this policy")]
    #[diagnostic(code(rung::table::fact))]
    UnknownFact {
        fact: String,
        #[help]
        help: String,
    },

    /// `--table now=now.csv` (a date, not a list of records), or a table for
    /// records with a list field.
    #[error("`{fact}` cannot come from a table: {why}")]
    #[diagnostic(code(rung::table::shape))]
    Shape {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("{label}")]
        span: SourceSpan,
        fact: String,
        why: String,
        label: String,
        #[help]
        help: String,
    },

    /// `--table incidents=a.csv --table incidents=b.csv`.
    #[error("`{fact}` is given by more than one table")]
    #[diagnostic(
        code(rung::table::repeated),
        help(
            "give one table per fact (join the files first): rung does not guess how to combine them"
        )
    )]
    Repeated { fact: String },

    /// `--facts albania.json --table incidents=incidents.csv` when the JSON
    /// also holds `incidents`.
    #[error("`{fact}` is given both in the JSON facts and by the table {table}")]
    #[diagnostic(
        code(rung::table::both),
        help(
            "remove `\"{fact}\"` from the JSON, or drop the table: rung does not guess which was meant"
        )
    )]
    Both {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("also given here")]
        span: SourceSpan,
        fact: String,
        table: String,
    },

    /// A table saved as Windows-1252 (Excel's plain "CSV") with an `é` in it.
    #[error("{name}: the table is not UTF-8 text (invalid byte 0x{byte:02X} on line {line})")]
    #[diagnostic(code(rung::table::encoding))]
    Encoding {
        name: String,
        byte: u8,
        line: usize,
        #[help]
        help: String,
    },

    /// A table over the facts size limit.
    #[error("table `{name}` is {size} bytes; the limit is {limit}")]
    #[diagnostic(
        code(rung::table::too_large),
        help("split the table, or evaluate a narrower window")
    )]
    TooLarge {
        name: String,
        size: u64,
        limit: usize,
    },

    /// An empty file: not even a header row.
    #[error("{name}: the table is empty; it needs a header row naming its columns")]
    #[diagnostic(
        code(rung::table::empty),
        help("the first row names the fields of `{record}`: {columns}")
    )]
    Empty {
        name: String,
        record: String,
        columns: String,
    },

    /// A header without a column for a required field.
    #[error("{name}: no column `{column}`, which `{record}` requires")]
    #[diagnostic(code(rung::table::missing_column))]
    MissingColumn {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("the header has no `{column}`")]
        span: SourceSpan,
        name: String,
        column: String,
        record: String,
        #[help]
        help: String,
    },

    /// A column the record does not declare. A warning, like an unknown JSON
    /// field: tables often carry columns of their own (notes, a source).
    #[error("{name}: unknown column `{column}` (not a field of `{record}`)")]
    #[diagnostic(code(rung::table::unknown_column), severity(Warning))]
    UnknownColumn {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("not a field of `{record}`")]
        span: SourceSpan,
        name: String,
        column: String,
        record: String,
        #[help]
        help: String,
    },

    /// More unknown columns than are shown (a header of junk).
    #[error("{name}: {count} more unknown columns are not shown")]
    #[diagnostic(
        code(rung::table::unknown_column),
        severity(Warning),
        help("the header is the first row of the table; check that it names the record's fields")
    )]
    MoreColumns { name: String, count: usize },

    /// Two columns with the same name.
    #[error("{name}: column `{column}` appears more than once in the header")]
    #[diagnostic(
        code(rung::table::repeated_column),
        help("keep one `{column}` column: rung does not guess which was meant")
    )]
    RepeatedColumn {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label(primary, "again here")]
        span: SourceSpan,
        #[label("first here")]
        first: SourceSpan,
        name: String,
        column: String,
    },

    /// A row with more or fewer cells than the header.
    #[error("{at}: {found} cells, but the header has {expected}")]
    #[diagnostic(code(rung::table::ragged))]
    Ragged {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("{found} cells")]
        span: SourceSpan,
        at: String,
        row: usize,
        found: usize,
        expected: usize,
        #[help]
        help: String,
    },

    /// `high` in an `int` column, `0,5` in a `decimal` one, `yes` for a `bool`.
    #[error("{at}: expected {expected}, found {found}")]
    #[diagnostic(code(rung::table::cell))]
    Cell {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("expected {expected}")]
        span: SourceSpan,
        at: String,
        expected: String,
        found: String,
        #[help]
        help: String,
    },

    /// `certain` in an `Attribution` column.
    #[error("{at}: `{value}` is not a value of `{ty}`")]
    #[diagnostic(code("rung::table::enum"))]
    Enum {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("not a value of `{ty}`")]
        span: SourceSpan,
        at: String,
        value: String,
        ty: String,
        #[help]
        help: String,
    },

    /// `7` in a column of `int in 1..5`.
    #[error("{at}: {value} is outside the allowed range {range}")]
    #[diagnostic(code(rung::table::range))]
    Range {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("outside {range}")]
        span: SourceSpan,
        at: String,
        value: i64,
        range: crate::types::IntRange,
        #[help]
        help: String,
    },

    /// Two rows with the same `id`.
    #[error("{at}: duplicate {column} {value}")]
    #[diagnostic(
        code(rung::table::duplicate),
        help("`{column}` must be unique; the first is in row {first_row}")
    )]
    Duplicate {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label(primary, "repeated here")]
        span: SourceSpan,
        #[label("first here")]
        first: SourceSpan,
        at: String,
        column: String,
        value: String,
        first_row: usize,
    },

    /// More problems than are shown.
    #[error("{count} more problems in {name} are not shown")]
    #[diagnostic(
        code(rung::table::more),
        severity(Advice),
        help("fix the problems above and run again")
    )]
    More { name: String, count: usize },
}
