//! Byte offsets ↔ LSP positions.
//!
//! rung's spans are byte offsets; the protocol counts lines and UTF-16 code
//! units. A [`Lines`] table is built once per text and converts both ways,
//! clamping anything out of range instead of failing: an editor's position
//! may be stale by one keystroke.

use lsp_types::{Position, Range};

/// Where each line of a text starts.
#[derive(Debug, Clone)]
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    /// The line table of `text`.
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { starts }
    }

    /// The protocol position of byte `offset` of `text`.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0).min(offset);
        let col: usize = text
            .get(start..offset)
            .map_or(0, |s| s.chars().map(char::len_utf16).sum());
        Position::new(to_u32(line), to_u32(col))
    }

    /// The protocol range of bytes `start..end` of `text`.
    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range::new(
            self.position(text, start),
            self.position(text, end.max(start)),
        )
    }

    /// The byte offset of a protocol position in `text` (clamped to the
    /// line's end and to the text).
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .map_or(text.len(), |n| n.saturating_sub(1));
        let line = text.get(start..end).unwrap_or("");
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            if units >= pos.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_utf16() {
        let text = "ab\n\u{e9}\u{1f600}x\n";
        let lines = Lines::new(text);
        let x = text.find('x').unwrap_or(0);
        let p = lines.position(text, x);
        assert_eq!(p, Position::new(1, 3));
        assert_eq!(lines.offset(text, p), x);
        assert_eq!(lines.offset(text, Position::new(9, 9)), text.len());
        assert_eq!(lines.offset(text, Position::new(0, 99)), 2);
    }
}
