//! Syntax highlighting of what is being typed: keywords, strings, numbers
//! (dates, durations), comments and `:commands`, as ANSI colours that keep
//! the text's display width.

use super::complete::keywords;

/// A kind of token worth a colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `and`, `where`, `recommend`, ...
    Keyword,
    /// `"text"` (also unterminated).
    String,
    /// `42`, `0.5`, `2023-07-11`, `365d`.
    Number,
    /// `# ...`
    Comment,
    /// `:set` at the start of the line.
    Command,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Kind::Keyword => "1;35",
            Kind::String => "32",
            Kind::Number => "36",
            Kind::Comment => "2",
            Kind::Command => "1;34",
        }
    }
}

/// The coloured tokens of `line`: byte ranges and kinds.
pub fn tokens(line: &str) -> Vec<(usize, usize, Kind)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let lead = line.len() - line.trim_start().len();
    if b.get(lead) == Some(&b':') {
        let end = scan(b, lead + 1, |c| !c.is_ascii_whitespace());
        out.push((lead, end, Kind::Command));
        i = end;
    }
    while let Some(&c) = b.get(i) {
        let start = i;
        if c == b'#' {
            let end = scan(b, i, |c| c != b'\n');
            out.push((start, end, Kind::Comment));
            i = end;
        } else if c == b'"' {
            let mut j = i + 1;
            while let Some(&d) = b.get(j) {
                j += 1;
                if d == b'\\' {
                    j += 1;
                } else if d == b'"' || d == b'\n' {
                    break;
                }
            }
            let end = j.min(b.len());
            out.push((start, end, Kind::String));
            i = end;
        } else if c.is_ascii_digit() {
            let end = scan(b, i, |c| {
                c.is_ascii_alphanumeric() || c == b'.' || c == b'-'
            });
            out.push((start, end, Kind::Number));
            i = end;
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let end = scan(b, i, |c| c.is_ascii_alphanumeric() || c == b'_');
            let word = line.get(start..end).unwrap_or("");
            if keywords().any(|k| k == word) {
                out.push((start, end, Kind::Keyword));
            }
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

fn scan(b: &[u8], mut i: usize, keep: impl Fn(u8) -> bool) -> usize {
    while b.get(i).is_some_and(|&c| keep(c)) {
        i += 1;
    }
    i
}

/// `line` with ANSI colours around its tokens.
pub fn highlight(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 16);
    let mut at = 0;
    for (start, end, kind) in tokens(line) {
        out.push_str(line.get(at..start).unwrap_or(""));
        out.push_str("\x1b[");
        out.push_str(kind.code());
        out.push('m');
        out.push_str(line.get(start..end).unwrap_or(""));
        out.push_str("\x1b[0m");
        at = end;
    }
    out.push_str(line.get(at..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_found() {
        let kinds: Vec<Kind> = tokens(r#"count(window where severity >= 4) # high"#)
            .into_iter()
            .map(|t| t.2)
            .collect();
        assert_eq!(kinds, vec![Kind::Keyword, Kind::Number, Kind::Comment]);
        let t = tokens(r#":set now = "2023-01-01""#);
        assert_eq!(t.first(), Some(&(0, 4, Kind::Command)));
        assert_eq!(t.get(1).map(|x| x.2), Some(Kind::String));
    }

    #[test]
    fn highlighting_keeps_the_text() {
        let line = "any acts has \"é\" 365d";
        let plain: String = {
            let h = highlight(line);
            let mut s = String::new();
            let mut skip = false;
            for c in h.chars() {
                match (skip, c) {
                    (_, '\x1b') => skip = true,
                    (true, 'm') => skip = false,
                    (true, _) => {}
                    (false, c) => s.push(c),
                }
            }
            s
        };
        assert_eq!(plain, line);
    }
}
