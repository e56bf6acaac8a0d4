//! Syntax highlighting of what is being typed: keywords, strings, numbers
//! (dates, durations), comments and `:commands`, as ANSI colours that keep
//! the text's display width.

use crate::syntax::lex::{self, Lexer};
use crate::syntax::words;

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

/// The coloured tokens of `line`: byte ranges and kinds. The tokens are the
/// tokenizer's, so a string or comment is coloured exactly where the parser
/// will see one.
pub fn tokens(line: &str) -> Vec<(usize, usize, Kind)> {
    let mut out = Vec::new();
    let lead = line.len() - line.trim_start().len();
    let mut from = 0;
    if line.as_bytes().get(lead) == Some(&b':') {
        let end = line
            .get(lead..)
            .and_then(|r| r.find(|c: char| c.is_ascii_whitespace()))
            .map_or(line.len(), |i| lead + i);
        out.push((lead, end, Kind::Command));
        from = end;
    }
    for t in Lexer::at(line, from) {
        let kind = match t.kind {
            lex::Kind::Comment => Kind::Comment,
            lex::Kind::Str { .. } => Kind::String,
            lex::Kind::Number => Kind::Number,
            lex::Kind::Word if words::language().any(|k| k == t.text(line)) => Kind::Keyword,
            lex::Kind::Word | lex::Kind::Punct => continue,
        };
        out.push((t.start, t.end, kind));
    }
    out
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
    fn tokens_are_the_tokenizers() {
        // A range is two numbers around `..`, not one number.
        let t = tokens("severity in 1..5");
        assert_eq!(
            t,
            vec![
                (9, 11, Kind::Keyword),
                (12, 13, Kind::Number),
                (15, 16, Kind::Number)
            ]
        );
        // `#` in a string is text; an escaped quote does not end the string.
        let t = tokens(r##"x == "a \"#\" b" # c"##);
        assert_eq!(
            t.iter().map(|t| t.2).collect::<Vec<_>>(),
            [Kind::String, Kind::Comment]
        );
        // Test words are common names: not highlighted.
        assert!(tokens("status top").is_empty());
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
