//! Formatting with `rung fmt`'s printer: the same text as the command line,
//! as one edit over the whole file; refused for a file that does not parse.

use lsp_types::{Position, Range, TextEdit};
use miette::Diagnostic as _;

use super::analysis::FileInfo;
use crate::fmt;

/// The edits formatting a file, or why it cannot be formatted.
pub fn format(info: &FileInfo) -> Result<Vec<TextEdit>, String> {
    let formatted = fmt::format_source(&info.source).map_err(|e| match e.code() {
        Some(code) => format!("{code}: {e}"),
        None => e.to_string(),
    })?;
    if *formatted == *info.source.text {
        return Ok(Vec::new());
    }
    let end = info
        .lines
        .position(&info.source.text, info.source.text.len());
    Ok(vec![TextEdit::new(
        Range::new(Position::new(0, 0), end),
        formatted,
    )])
}
