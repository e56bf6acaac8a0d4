//! Comment extraction: comments are not in the AST, so the formatter reads
//! them back from the source text.
//!
//! A small lexer walks the text, skipping string literals (so a `#` inside
//! `"..."` is text, not a comment) and the opaque regions the caller names
//! (inline JSON facts, whose `#` and quotes follow JSON's rules, not ours).

use std::ops::Range;

/// One `# ...` comment as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The comment text from `#` to the end of its line, trailing whitespace removed.
    pub text: String,
    /// Byte offset of the `#`.
    pub start: usize,
    /// Byte offset just after the text (before any trailing whitespace).
    pub end: usize,
    /// Whether code stands before it on its line: a trailing comment stays at
    /// the end of the line of the token it follows; an own-line comment stays
    /// on a line of its own before the token it precedes.
    pub trailing: bool,
}

/// Every comment of `text`, in source order, outside strings and outside the
/// `opaque` byte ranges (sorted or not).
pub fn extract(text: &str, opaque: &[Range<usize>]) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line_has_code = false;
    while let Some(&b) = bytes.get(i) {
        if let Some(r) = opaque.iter().find(|r| r.start == i && r.end > i) {
            i = r.end;
            line_has_code = true;
            continue;
        }
        match b {
            b'\n' => {
                line_has_code = false;
                i += 1;
            }
            b'"' => {
                i = string_end(bytes, i);
                line_has_code = true;
            }
            b'#' => {
                let end = line_end(bytes, i);
                let raw = text.get(i..end).unwrap_or("");
                let trimmed = raw.trim_end();
                out.push(Comment {
                    text: trimmed.to_string(),
                    start: i,
                    end: i + trimmed.len(),
                    trailing: line_has_code,
                });
                i = end;
            }
            b if b.is_ascii_whitespace() => i += 1,
            _ => {
                line_has_code = true;
                i += 1;
            }
        }
    }
    out
}

/// The offset just past the string literal opening at `start` (a `"`).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return i + 1,
            // Strings never span lines; an unterminated one ends at the line.
            b'\n' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The offset of the end of the line holding `from` (its `\n`, or the end).
fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes
        .iter()
        .skip(from)
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

/// The offset of the first code character at or after `from`: whitespace and
/// comments skipped. Used to find where an unspanned keyword or operator stands.
pub fn skip_trivia(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        if b == b'#' {
            i = line_end(bytes, i);
        } else if b.is_ascii_whitespace() {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// Whether the source between `a` and `b` holds a blank line (a whole line
/// of whitespace only).
pub fn has_blank_line(text: &str, a: usize, b: usize) -> bool {
    let Some(between) = text.get(a.min(b)..b) else {
        return false;
    };
    let mut lines = between.split('\n');
    lines.next();
    let inner: Vec<&str> = lines.collect();
    match inner.split_last() {
        Some((_, whole)) => whole.iter().any(|l| l.trim().is_empty()),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn finds_comments_outside_strings() {
        let src = "# head\nlet a = \"x # not\" # tail\n  # own\n";
        let cs = extract(src, &[]);
        let texts: Vec<_> = cs.iter().map(|c| (c.text.as_str(), c.trailing)).collect();
        assert_eq!(
            texts,
            vec![("# head", false), ("# tail", true), ("# own", false)]
        );
    }

    #[test]
    fn escaped_quotes_stay_in_the_string() {
        let src = r##"let a = "say \"#\" here" # real"##;
        let cs = extract(src, &[]);
        assert_eq!(cs.len(), 1);
        assert_eq!(cs[0].text, "# real");
    }

    #[test]
    fn opaque_ranges_are_skipped() {
        let src = "facts { \"a\": \"#\", # json\n } # after";
        let json = 6..src.find('}').map_or(0, |i| i + 1);
        let cs = extract(src, std::slice::from_ref(&json));
        assert_eq!(cs.len(), 1);
        assert_eq!(cs[0].text, "# after");
        assert!(cs[0].trailing);
    }

    #[test]
    fn blank_lines_are_whole_lines() {
        let t = "a\n\n  b";
        assert!(has_blank_line(t, 1, 5));
        assert!(!has_blank_line("a\n  b", 1, 4));
        assert!(has_blank_line("a \n \n b", 1, 7));
        assert!(!has_blank_line("a", 0, 1));
    }

    #[test]
    fn trivia_is_skipped() {
        let t = "a  # c\n  and b";
        assert_eq!(skip_trivia(t, 1), 9);
    }
}
