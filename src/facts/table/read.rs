//! Reading one table: the header, then every row, cell by cell.
//!
//! The `csv` crate splits the text; each cell is converted straight to a
//! [`Value`] by its field's type, with no intermediate document. A problem
//! is recorded as (row, column, where the row starts) and read on: one run
//! reports every problem. Only then, and only on error, is each problem
//! located in the text (`csv-core` walks the one row again to find the
//! cell's bytes), so a clean table never pays for locating.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use miette::SourceSpan;

use super::cell::{self, CellProblem};
use super::error::TableError;
use crate::check::suggest::closest;
use crate::source::{SourceFile, Span};
use crate::types::{RecordType, Schema, Type};
use crate::value::{Key, List, Value};

use super::super::MAX_PROBLEMS;

/// Where a row starts in the text.
#[derive(Debug, Clone, Copy)]
struct At {
    /// 1-based row number, counting the rows below the header.
    row: usize,
    /// Byte offset of the row's first character.
    byte: usize,
    /// 1-based line of the row's first character.
    line: usize,
}

/// A problem found while reading, located only when reported.
enum Found {
    Cell {
        at: At,
        column: usize,
        problem: CellProblem,
    },
    Ragged {
        at: At,
        found: usize,
    },
    Duplicate {
        at: At,
        column: usize,
        value: String,
        first: At,
    },
    Csv {
        at: At,
        message: String,
    },
}

/// What reading a table gives: the list, or every problem; and warnings.
pub struct Outcome {
    /// The fact's value, when the table has no errors.
    pub value: Option<Value>,
    /// Errors, at most [`MAX_PROBLEMS`] then a count.
    pub errors: Vec<TableError>,
    /// Warnings (unknown columns).
    pub warnings: Vec<TableError>,
}

/// Reads `file` as a list of `record`, cells separated by `delimiter`.
pub fn read(
    schema: &Schema,
    record: &RecordType,
    file: &Arc<SourceFile>,
    delimiter: u8,
) -> Outcome {
    let mut reader = Reader {
        schema,
        record,
        file,
        delimiter,
        found: Vec::new(),
        more: 0,
        columns: Vec::new(),
        header_spans: std::cell::OnceCell::new(),
    };
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let value = reader.rows(&mut errors, &mut warnings);
    let located: Vec<TableError> = std::mem::take(&mut reader.found)
        .into_iter()
        .map(|f| reader.locate(f))
        .collect();
    errors.extend(located);
    if reader.more > 0 {
        errors.push(TableError::More {
            name: file.name.clone(),
            count: reader.more,
        });
    }
    Outcome {
        value: value.filter(|_| errors.is_empty()),
        errors,
        warnings,
    }
}

struct Reader<'a> {
    schema: &'a Schema,
    record: &'a RecordType,
    file: &'a Arc<SourceFile>,
    delimiter: u8,
    found: Vec<Found>,
    more: usize,
    /// The header's column names.
    columns: Vec<String>,
    /// Where the header's cells stand, found on the first report about one.
    header_spans: std::cell::OnceCell<Vec<Range<usize>>>,
}

impl Reader<'_> {
    fn problem(&mut self, f: Found) {
        if self.found.len() >= MAX_PROBLEMS {
            self.more += 1;
        } else {
            self.found.push(f);
        }
    }

    /// Reads the header and the rows; `None` when a row could not be used.
    fn rows(
        &mut self,
        errors: &mut Vec<TableError>,
        warnings: &mut Vec<TableError>,
    ) -> Option<Value> {
        let text = Arc::clone(&self.file.text);
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rec = csv::ByteRecord::new();
        match csv.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => {
                errors.push(TableError::Empty {
                    name: self.file.name.clone(),
                    record: self.record.name.clone(),
                    columns: self.record_columns(),
                });
                return None;
            }
            Err(e) => {
                self.problem(Found::Csv {
                    at: At {
                        row: 0,
                        byte: 0,
                        line: 1,
                    },
                    message: e.to_string(),
                });
                return None;
            }
        }
        self.columns = rec
            .iter()
            .map(|c| String::from_utf8_lossy(c).trim().to_string())
            .collect();
        let width = self.columns.len();
        // For each field, the column that holds it.
        let mut field_col: Vec<Option<usize>> = vec![None; self.record.fields.len()];
        let mut ok = self.header(&mut field_col, errors, warnings);
        let unnamed: Vec<usize> = (0..width)
            .filter(|&c| self.columns.get(c).is_some_and(String::is_empty))
            .collect();
        let mut unnamed_data = vec![false; width];
        let mut items: Vec<Value> = Vec::new();
        let mut row = 0usize;
        loop {
            match csv.read_byte_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let at = self.at(row + 1, rec.position());
                    self.problem(Found::Csv {
                        at,
                        message: e.to_string(),
                    });
                    ok = false;
                    break;
                }
            }
            row += 1;
            // Spreadsheets end their exports with rows of empty cells.
            if rec.iter().all(|c| c.trim_ascii().is_empty()) {
                continue;
            }
            if rec.len() != width
                && (rec.len() < width || rec.iter().skip(width).any(|c| !c.is_empty()))
            {
                let at = self.at(row, rec.position());
                self.problem(Found::Ragged {
                    at,
                    found: rec.len(),
                });
                ok = false;
                // A placeholder keeps one item per kept row (see `unique`).
                items.push(Value::Absent);
                continue;
            }
            for &c in &unnamed {
                if rec.get(c).is_some_and(|t| !t.is_empty())
                    && let Some(seen) = unnamed_data.get_mut(c)
                {
                    *seen = true;
                }
            }
            let mut values = Vec::with_capacity(field_col.len());
            for (field, col) in self.record.fields.iter().zip(&field_col) {
                let converted = match col {
                    Some(c) => {
                        // The text is UTF-8 and separators are ASCII, so a
                        // cell always is; the fallback is never taken.
                        let text = rec.get(*c).and_then(|b| std::str::from_utf8(b).ok());
                        cell::convert(self.schema, field, text.unwrap_or(""))
                    }
                    // No column: as a field missing from a JSON object,
                    // its default, else absent (a required one was
                    // reported at the header).
                    None => Ok(field.default.clone().unwrap_or(Value::Absent)),
                };
                match converted {
                    Ok(v) => values.push(v),
                    Err(problem) => {
                        // A missing column is reported once, at the header.
                        if let Some(c) = col {
                            let at = self.at(row, rec.position());
                            self.problem(Found::Cell {
                                at,
                                column: *c,
                                problem,
                            });
                        }
                        ok = false;
                        values.push(Value::Absent);
                    }
                }
            }
            items.push(Value::Record(Arc::from(values)));
        }
        for c in unnamed {
            if unnamed_data.get(c).copied().unwrap_or(false) {
                warnings.push(self.unknown_column(c));
            }
        }
        self.unique(&items, &field_col);
        ok.then(|| Value::List(List::new(items)))
    }

    /// Matches the header's columns to the record's fields; false when a
    /// required one is missing or one is repeated.
    fn header(
        &mut self,
        field_col: &mut [Option<usize>],
        errors: &mut Vec<TableError>,
        warnings: &mut Vec<TableError>,
    ) -> bool {
        let mut ok = true;
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut repeated: Vec<&str> = Vec::new();
        let mut unknown = 0usize;
        for (c, name) in self.columns.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            if let Some(&first) = seen.get(name.as_str()) {
                ok = false;
                // Each repeated name once, and no more than a report can hold.
                if repeated.contains(&name.as_str()) || repeated.len() >= MAX_PROBLEMS {
                    continue;
                }
                repeated.push(name);
                errors.push(TableError::RepeatedColumn {
                    src: self.file.named_source(),
                    span: self.header_span(c),
                    first: self.header_span(first),
                    name: self.file.name.clone(),
                    column: name.clone(),
                });
                continue;
            }
            seen.insert(name, c);
            match self.record.field(name) {
                Some(f) => {
                    if let Some(slot) = field_col.get_mut(f) {
                        *slot = Some(c);
                    }
                }
                None if unknown < MAX_PROBLEMS => {
                    unknown += 1;
                    warnings.push(self.unknown_column(c));
                }
                None => unknown += 1,
            }
        }
        if unknown > MAX_PROBLEMS {
            warnings.push(TableError::MoreColumns {
                name: self.file.name.clone(),
                count: unknown - MAX_PROBLEMS,
            });
        }
        for (field, col) in self.record.fields.iter().zip(field_col.iter()) {
            let required = field.default.is_none() && !matches!(field.ty, Type::Optional(_));
            if col.is_none() && required {
                let ty = self.schema.show(&field.ty);
                let suggestion = closest(
                    &field.name,
                    self.columns
                        .iter()
                        .filter(|c| self.record.field(c).is_none())
                        .map(String::as_str),
                );
                let help = match suggestion {
                    Some(s) => format!(
                        "is column `{s}` meant to be `{}`? rename it in the header ({ty})",
                        field.name
                    ),
                    None => format!(
                        "add a column `{}` ({ty}); only `optional` fields and fields with a `default` may be left out",
                        field.name
                    ),
                };
                errors.push(TableError::MissingColumn {
                    src: self.file.named_source(),
                    span: self.line_span(0),
                    name: self.file.name.clone(),
                    column: field.name.clone(),
                    record: self.record.name.clone(),
                    help,
                });
                ok = false;
            }
        }
        ok
    }

    fn unknown_column(&self, c: usize) -> TableError {
        let column = self.columns.get(c).cloned().unwrap_or_default();
        let suggestion = closest(
            &column,
            self.record
                .fields
                .iter()
                .map(|f| f.name.as_str())
                .filter(|f| !self.columns.iter().any(|c| c == f)),
        );
        let help = match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "the column is not read; the fields of `{}` are: {}",
                self.record.name,
                self.record_columns()
            ),
        };
        TableError::UnknownColumn {
            src: self.file.named_source(),
            span: self.header_span(c),
            name: self.file.name.clone(),
            column: if column.is_empty() {
                format!("(unnamed, number {})", c + 1)
            } else {
                column
            },
            record: self.record.name.clone(),
            help,
        }
    }

    fn record_columns(&self) -> String {
        self.record
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Reports repeated values of `unique` fields (`items` holds one
    /// item per row kept, in order).
    fn unique(&mut self, items: &[Value], field_col: &[Option<usize>]) {
        // (row index, first row index, column, value shown)
        let mut repeats: Vec<(usize, usize, usize, String)> = Vec::new();
        for (fi, field) in self.record.fields.iter().enumerate() {
            let (true, Some(Some(column))) = (field.unique, field_col.get(fi)) else {
                continue;
            };
            let mut seen: HashMap<Key, usize> = HashMap::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let Value::Record(fields) = item else {
                    continue;
                };
                let Some(v) = fields.get(fi).filter(|v| **v != Value::Absent) else {
                    continue;
                };
                match seen.get(&Key::of(v)) {
                    Some(&first) if self.found.len() + repeats.len() < MAX_PROBLEMS => {
                        let value = crate::value::show(v, &field.ty, self.schema)
                            .unwrap_or_else(|e| e.to_string());
                        repeats.push((i, first, *column, value));
                    }
                    Some(_) => self.more += 1,
                    None => {
                        seen.insert(Key::of(v), i);
                    }
                }
            }
        }
        if repeats.is_empty() {
            return;
        }
        // Rows are located by reading the text once more: only on error.
        let wanted: Vec<usize> = repeats.iter().flat_map(|r| [r.0, r.1]).collect();
        let places = self.rows_at(&wanted);
        let place = |i: usize| {
            places.get(&i).copied().unwrap_or(At {
                row: i + 1,
                byte: 0,
                line: 1,
            })
        };
        for (i, first, column, value) in repeats {
            self.problem(Found::Duplicate {
                at: place(i),
                column,
                value,
                first: place(first),
            });
        }
    }

    /// Where the rows kept (0-based, empty rows skipped) of `wanted` start.
    fn rows_at(&self, wanted: &[usize]) -> HashMap<usize, At> {
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(self.file.text.as_bytes());
        let mut rec = csv::ByteRecord::new();
        let mut out = HashMap::new();
        let Some(&last) = wanted.iter().max() else {
            return out;
        };
        let (mut kept, mut row) = (0usize, 0usize);
        let _ = csv.read_byte_record(&mut rec);
        while let Ok(true) = csv.read_byte_record(&mut rec) {
            row += 1;
            if rec.iter().all(|c| c.trim_ascii().is_empty()) {
                continue;
            }
            if wanted.contains(&kept) {
                out.insert(kept, self.at(row, rec.position()));
            }
            if kept == last {
                break;
            }
            kept += 1;
        }
        out
    }

    /// Where a row starts. The reader's position is where the previous
    /// row ended, before its line end (and any blank lines): step over them.
    fn at(&self, row: usize, pos: Option<&csv::Position>) -> At {
        let mut byte = pos.map_or(0, |p| usize::try_from(p.byte()).unwrap_or(0));
        let mut line = pos.map_or(1, |p| usize::try_from(p.line()).unwrap_or(1));
        let bytes = self.file.text.as_bytes();
        while let Some(&b) = bytes.get(byte) {
            match b {
                b'\n' => line += 1,
                b'\r' => {}
                _ => break,
            }
            byte += 1;
        }
        At { row, byte, line }
    }

    /// `incidents.csv:14: row 13, column severity`.
    fn place(&self, at: At, column: Option<usize>) -> String {
        let mut s = format!("{}:{}: row {}", self.file.name, at.line, at.row);
        if let Some(c) = column {
            let name = self.columns.get(c).map_or("?", String::as_str);
            s.push_str(&format!(", column {name}"));
        }
        s
    }

    fn locate(&self, f: Found) -> TableError {
        let src = self.file.named_source();
        match f {
            Found::Cell {
                at,
                column,
                problem,
            } => {
                let span = self.cell_span(at.byte, column);
                let place = self.place(at, Some(column));
                match problem {
                    CellProblem::Type {
                        expected,
                        found,
                        hint,
                    } => TableError::Cell {
                        src,
                        span,
                        at: place,
                        expected,
                        found,
                        help: hint,
                    },
                    CellProblem::Enum {
                        value,
                        ty,
                        variants,
                    } => {
                        let list = variants
                            .iter()
                            .map(|v| format!("`{v}`"))
                            .collect::<Vec<_>>()
                            .join(", ");
                        let help = match closest(&value, variants.iter().map(String::as_str)) {
                            Some(s) => {
                                format!("did you mean `{s}`? the values of `{ty}` are {list}")
                            }
                            None => format!("the values of `{ty}` are {list}"),
                        };
                        TableError::Enum {
                            src,
                            span,
                            at: place,
                            value: cell::found(&value).trim_matches('`').to_string(),
                            ty,
                            help,
                        }
                    }
                    CellProblem::Range { value, range } => TableError::Range {
                        src,
                        span,
                        at: place,
                        value,
                        range,
                        help: range.help(),
                    },
                }
            }
            Found::Ragged { at, found } => {
                let sep = match self.delimiter {
                    b'\t' => "tab".to_string(),
                    d => format!("`{}`", char::from(d)),
                };
                TableError::Ragged {
                    src,
                    span: self.line_span(at.byte),
                    at: self.place(at, None),
                    row: at.row,
                    found,
                    expected: self.columns.len(),
                    help: format!(
                        "cells are separated by {sep}; quote a cell that contains the separator (\"a{}b\"), and give every row one cell per column",
                        char::from(self.delimiter)
                    ),
                }
            }
            Found::Duplicate {
                at,
                column,
                value,
                first,
            } => TableError::Duplicate {
                src,
                span: self.cell_span(at.byte, column),
                first: self.cell_span(first.byte, column),
                at: self.place(at, Some(column)),
                column: self.columns.get(column).cloned().unwrap_or_default(),
                value,
                first_row: first.row,
            },
            Found::Csv { at, message } => TableError::Cell {
                src,
                span: self.line_span(at.byte),
                at: self.place(at, None),
                expected: "a row of cells".into(),
                found: "text the CSV reader cannot split".into(),
                help: message,
            },
        }
    }

    /// The header's cell `c` (the header is split once, on the first call).
    fn header_span(&self, c: usize) -> SourceSpan {
        let spans = self.header_spans.get_or_init(|| self.cell_ranges(0));
        match spans.get(c) {
            Some(r) => self.span(r.clone()),
            None => self.line_span(0),
        }
    }

    /// The ranges of every cell of the row starting at `start`.
    fn cell_ranges(&self, start: usize) -> Vec<Range<usize>> {
        let input = self.file.text.as_bytes().get(start..).unwrap_or_default();
        let mut rdr = csv_core::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .build();
        let mut out = [0u8; 4096];
        let mut ranges = Vec::new();
        let (mut pos, mut field_start) = (0usize, 0usize);
        loop {
            let (result, nin, _) = rdr.read_field(input.get(pos..).unwrap_or_default(), &mut out);
            pos += nin;
            match result {
                csv_core::ReadFieldResult::OutputFull => {}
                csv_core::ReadFieldResult::InputEmpty if pos < input.len() => {}
                csv_core::ReadFieldResult::InputEmpty | csv_core::ReadFieldResult::End => {
                    if pos > field_start {
                        ranges.push(self.trimmed(start, input, field_start, pos));
                    }
                    break;
                }
                csv_core::ReadFieldResult::Field { record_end } => {
                    ranges.push(self.trimmed(start, input, field_start, pos));
                    field_start = pos;
                    if record_end {
                        break;
                    }
                }
            }
        }
        ranges
    }

    /// The first line of the row starting at `start`.
    fn line_span(&self, start: usize) -> SourceSpan {
        let text = &self.file.text;
        let rest = text.get(start..).unwrap_or("");
        let end = start + rest.find(['\r', '\n']).unwrap_or(rest.len());
        self.span(start..end)
    }

    /// The bytes of cell `column` of the row starting at `start` (quotes
    /// included), found by splitting that one row again.
    fn cell_span(&self, start: usize, column: usize) -> SourceSpan {
        let input = self.file.text.as_bytes().get(start..).unwrap_or_default();
        let mut rdr = csv_core::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .build();
        let mut out = [0u8; 4096];
        let (mut pos, mut field, mut field_start) = (0usize, 0usize, 0usize);
        loop {
            let (result, nin, _) = rdr.read_field(input.get(pos..).unwrap_or_default(), &mut out);
            pos += nin;
            match result {
                csv_core::ReadFieldResult::OutputFull => {}
                csv_core::ReadFieldResult::InputEmpty if pos < input.len() => {}
                csv_core::ReadFieldResult::InputEmpty | csv_core::ReadFieldResult::End => {
                    if field == column {
                        return self.cell_range(start, input, field_start, pos);
                    }
                    break;
                }
                csv_core::ReadFieldResult::Field { record_end } => {
                    if field == column {
                        return self.cell_range(start, input, field_start, pos);
                    }
                    field += 1;
                    field_start = pos;
                    if record_end {
                        break;
                    }
                }
            }
        }
        self.line_span(start)
    }

    /// A cell's span without the separator or line end that closed it.
    fn cell_range(&self, start: usize, input: &[u8], from: usize, to: usize) -> SourceSpan {
        self.span(self.trimmed(start, input, from, to))
    }

    /// A cell's range without the separator or line end that closed it.
    fn trimmed(&self, start: usize, input: &[u8], from: usize, to: usize) -> Range<usize> {
        let mut end = to;
        if end > from && input.get(end - 1) == Some(&self.delimiter) {
            end -= 1;
        }
        while end > from && matches!(input.get(end - 1), Some(b'\r' | b'\n')) {
            end -= 1;
        }
        start + from..start + end
    }

    /// A span, cut to its first character when it is too long to show.
    fn span(&self, range: Range<usize>) -> SourceSpan {
        let shown = self.file.text.get(range.clone()).unwrap_or("");
        let range = if shown.len() > 120 || shown.contains('\n') {
            range.start..range.start + shown.chars().next().map_or(0, char::len_utf8)
        } else {
            range
        };
        Span::new(self.file, range).source_span()
    }
}
