//! Comment extraction: comments are not in the AST, so the formatter reads
//! them back from the source text.
//!
//! The tokenizer ([`crate::syntax::lex`]) says where comments are, so a `#`
//! inside `"..."` is text, not a comment; the opaque regions the caller names
//! (inline JSON facts, whose `#` and quotes follow JSON's rules, not ours)
//! are jumped over.

use std::ops::Range;

use crate::syntax::lex::{self, Kind, Lexer};

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
    let mut out = Vec::new();
    let mut lexer = Lexer::new(text);
    // End of the last code (token or opaque range) seen.
    let mut code_end: Option<usize> = None;
    loop {
        let at = lexer.position();
        let next_opaque = opaque
            .iter()
            .filter(|r| r.start >= at && r.end > r.start)
            .min_by_key(|r| r.start);
        let Some(t) = lexer.next() else { break };
        if let Some(r) = next_opaque.filter(|r| r.start <= t.start) {
            lexer = Lexer::at(text, r.end);
            code_end = Some(r.end);
            continue;
        }
        if t.kind != Kind::Comment {
            code_end = Some(t.end);
            continue;
        }
        let trimmed = t.text(text).trim_end();
        out.push(Comment {
            text: trimmed.to_string(),
            start: t.start,
            end: t.start + trimmed.len(),
            trailing: code_end
                .is_some_and(|e| text.get(e..t.start).is_some_and(|s| !s.contains('\n'))),
        });
    }
    out
}

/// The offset of the first code character at or after `from`: whitespace and
/// comments skipped. Used to find where an unspanned keyword or operator stands.
pub fn skip_trivia(text: &str, from: usize) -> usize {
    lex::code_at(text, from).map_or(text.len().max(from), |t| t.start)
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
    fn trailing_means_code_before_it_on_its_line() {
        let src = "facts {\n \"a\": \"#\"\n} # after json\n# own\nx # t";
        let json = 6..src.find('}').map_or(0, |i| i + 1);
        let cs = extract(src, std::slice::from_ref(&json));
        let got: Vec<_> = cs.iter().map(|c| (c.text.as_str(), c.trailing)).collect();
        assert_eq!(
            got,
            vec![("# after json", true), ("# own", false), ("# t", true)]
        );
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
