//! A forgiving tokenizer for error recovery and hints.
//!
//! pest reports where it stopped; to say *why* in words, and to find where
//! to resume, the text around that point is read again with this scanner. It
//! never fails: anything it does not know is a one-character punctuation
//! token. Comments are skipped; a string without its closing quote ends at
//! the end of its line.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A name or keyword.
    Word,
    /// A number, date or duration.
    Number,
    /// A string literal; `closed` is false when the line ended first.
    Str { closed: bool },
    /// Anything else: brackets, operators, stray characters.
    Punct,
}

/// A token: its kind and byte range in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tok {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

impl Tok {
    /// The token's text.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// Whether the token is the word `w`.
    pub fn is_word(&self, text: &str, w: &str) -> bool {
        self.kind == Kind::Word && self.text(text) == w
    }
}

/// Operators of two characters, recognised as one token (including the
/// symbols of other languages, so that hints can name them).
const PAIRS: &[&str] = &["==", "!=", "<=", ">=", "&&", "||", "..", "=>", "=<", "<>"];

/// Tokens of `text[start..end]` (offsets are into the whole `text`).
pub(super) fn lex(text: &str, start: usize, end: usize) -> Vec<Tok> {
    let end = end.min(text.len());
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = start;
    while i < end {
        let Some(&c) = b.get(i) else { break };
        let s = i;
        let kind = match c {
            b'#' => {
                while i < end && b.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
                continue;
            }
            c if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'"' => {
                i += 1;
                let mut closed = false;
                while i < end {
                    match b.get(i) {
                        Some(b'\\') => i += 2,
                        Some(b'"') => {
                            i += 1;
                            closed = true;
                            break;
                        }
                        Some(b'\n') | None => break,
                        Some(_) => i += 1,
                    }
                }
                i = i.min(end);
                Kind::Str { closed }
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while b
                    .get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    i += 1;
                }
                Kind::Word
            }
            c if c.is_ascii_digit() => {
                i += 1;
                while let Some(&c) = b.get(i) {
                    let digit_after = b.get(i + 1).is_some_and(u8::is_ascii_digit);
                    if c.is_ascii_alphanumeric()
                        || c == b'_'
                        || (matches!(c, b'-' | b'.') && digit_after)
                    {
                        i += 1;
                    } else {
                        break;
                    }
                }
                Kind::Number
            }
            _ => {
                let pair = text.get(i..i + 2).filter(|p| PAIRS.contains(p));
                i += match pair {
                    Some(_) => 2,
                    None => text
                        .get(i..)
                        .and_then(|r| r.chars().next())
                        .map_or(1, char::len_utf8),
                };
                Kind::Punct
            }
        };
        out.push(Tok {
            kind,
            start: s,
            end: i.min(end),
        });
    }
    out
}

/// Tokens of `parsed`, a text that stands at byte `base` of the file, up to
/// file offset `end` (offsets are into the file). Parts of the file may have
/// been blanked out in `parsed`: they give no tokens.
pub(super) fn lex_at(parsed: &str, base: usize, end: usize) -> Vec<Tok> {
    lex(parsed, 0, end.saturating_sub(base))
        .into_iter()
        .map(|t| Tok {
            kind: t.kind,
            start: t.start + base,
            end: t.end + base,
        })
        .collect()
}

/// Whether only blanks stand between the start of the line and `offset`.
pub(super) fn starts_line(text: &str, offset: usize) -> bool {
    let before = text.get(..offset).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    before
        .get(line_start..)
        .is_some_and(|s| s.chars().all(|c| c == ' ' || c == '\t'))
}

/// Whether `offset` is at column 0.
pub(super) fn at_column_zero(text: &str, offset: usize) -> bool {
    offset == 0 || text.as_bytes().get(offset.wrapping_sub(1)) == Some(&b'\n')
}

/// The matching closer of an opening bracket.
pub(super) fn closer(open: &str) -> Option<&'static str> {
    match open {
        "(" => Some(")"),
        "[" => Some("]"),
        "{" => Some("}"),
        _ => None,
    }
}

/// Whether a token text closes a bracket.
pub(super) fn is_closer(t: &str) -> bool {
    matches!(t, ")" | "]" | "}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexes_the_shapes_hints_need() {
        let text = "let x = count(acts) && \"ab\n# c\n2023-07-11 365d 1..5";
        let toks: Vec<&str> = lex(text, 0, text.len())
            .iter()
            .map(|t| t.text(text))
            .collect();
        assert_eq!(
            toks,
            [
                "let",
                "x",
                "=",
                "count",
                "(",
                "acts",
                ")",
                "&&",
                "\"ab",
                "2023-07-11",
                "365d",
                "1",
                "..",
                "5"
            ]
        );
        let strs = lex(text, 0, text.len());
        assert!(strs.iter().any(|t| t.kind == Kind::Str { closed: false }));
    }
}
