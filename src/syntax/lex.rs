//! The one tokenizer of rung's lexical rules, outside the grammar.
//!
//! The grammar (`grammar/rung.pest`) decides what a policy means; several
//! components must also know where strings, comments and words are in text
//! the grammar rejected or never sees whole: hints and recovery after a
//! syntax error, the nesting limits checked before pest runs, the formatter's
//! comments, the REPL's highlighting and views. They all read text through
//! this module, so they agree with each other and with the grammar:
//!
//! - a comment runs from `#` to the end of its line (the `\n` is not part of it);
//! - a string runs from `"` to the next `"` not escaped by `\`; it never runs
//!   past a line break, not even after a `\` (the grammar accepts neither): a
//!   string still open at the end of its line is unclosed and ends there;
//! - a word is an ASCII letter or `_`, then ASCII letters, digits and `_`;
//! - a number starts with a digit and holds letters, digits, `_`, and `-` or
//!   `.` followed by a digit: `42`, `0.5`, `2023-07-11`, `365d` (`1..5` is a
//!   number, `..`, a number);
//! - blanks are the grammar's: space, tab, carriage return, line feed;
//! - anything else is punctuation: one of [`PAIRS`], or one character.
//!
//! The tokenizer never fails and never panics: every byte of the text is a
//! blank or part of exactly one token.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A name or keyword: which one is for [`super::words`] to say.
    Word,
    /// A number, date or duration: told apart by the grammar, one kind here.
    Number,
    /// A string literal with its quotes; `closed` is false when the line (or
    /// the text) ended first, so hints can say "this string is not closed".
    Str {
        /// Whether the closing quote was found.
        closed: bool,
    },
    /// `#` to the end of the line: kept as a token because the formatter and
    /// the highlighter need comments; parsers-after-the-fact skip them.
    Comment,
    /// Brackets, operators and stray characters.
    Punct,
}

/// A token: its kind and byte range in the text it was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: Kind,
    /// Byte offset of its first byte.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
}

impl Token {
    /// The token's text in `text` (empty if `text` is not the text it came
    /// from), so callers never index.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// Whether the token is the word `w`: a string or comment holding `w` is not.
    pub fn is_word(&self, text: &str, w: &str) -> bool {
        self.kind == Kind::Word && self.text(text) == w
    }

    /// Whether the token is the punctuation `p`: a `(` inside a string is not.
    pub fn is_punct(&self, text: &str, p: &str) -> bool {
        self.kind == Kind::Punct && self.text(text) == p
    }

    /// Whether the token is code rather than a comment: what recovery,
    /// hints and limits look at.
    pub fn is_code(&self) -> bool {
        self.kind != Kind::Comment
    }
}

/// Operators of two characters, read as one token. Besides rung's own
/// (`==`, `!=`, `<=`, `>=`, `..`) it knows other languages' spellings
/// (`&&`, `||`, `=>`, `=<`, `<>`), so that hints can name them whole.
pub const PAIRS: &[&str] = &["==", "!=", "<=", ">=", "&&", "||", "..", "=>", "=<", "<>"];

/// Whether `c` separates tokens: exactly the blanks of the grammar's
/// `WHITESPACE` (which skips comments too).
pub fn is_blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// Whether `c` may start a word (the grammar's `ASCII_ALPHA | "_"`).
pub fn is_word_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

/// Whether `c` may continue a word (the grammar's `ident_char`): also what
/// makes `topp` one word and not `top p`.
pub fn is_word_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Tokens of a text, in order, comments included. An iterator, so that the
/// limits scan of a large file need not hold every token at once.
#[derive(Debug, Clone)]
pub struct Lexer<'t> {
    text: &'t str,
    pos: usize,
    end: usize,
}

impl<'t> Lexer<'t> {
    /// Tokens of the whole of `text`.
    pub fn new(text: &'t str) -> Self {
        Self::at(text, 0)
    }

    /// Tokens of `text` from byte `from` on; offsets stay offsets into
    /// `text`, so spans need no shifting.
    pub fn at(text: &'t str, from: usize) -> Self {
        Self {
            text,
            pos: from,
            end: text.len(),
        }
    }

    /// Stops at byte `end`: a token running past it is cut there (hints
    /// read only up to where pest failed).
    pub fn until(mut self, end: usize) -> Self {
        self.end = end.min(self.text.len());
        self
    }

    /// Resumes reading at `pos` (the formatter jumps over inline JSON, whose
    /// `#` and quotes follow JSON's rules).
    pub fn skip_to(&mut self, pos: usize) {
        self.pos = self.pos.max(pos);
    }

    /// Where the next token is looked for.
    pub fn position(&self) -> usize {
        self.pos
    }

    fn byte(&self, i: usize) -> Option<u8> {
        self.text.as_bytes().get(i).copied()
    }

    /// The end of the string literal whose opening quote is at `start`, and
    /// whether it closed.
    fn string_end(&self, start: usize) -> (usize, bool) {
        let mut i = start + 1;
        while i < self.end {
            match self.byte(i) {
                Some(b'"') => return (i + 1, true),
                Some(b'\n') | None => return (i, false),
                // An escape takes the next character, but never a line break.
                Some(b'\\') if self.byte(i + 1).is_some_and(|c| c != b'\n') => i += 2,
                Some(_) => i += 1,
            }
        }
        (self.end, false)
    }

    fn run_end(&self, mut i: usize, keep: impl Fn(usize, u8) -> bool) -> usize {
        while let Some(c) = self.byte(i) {
            if !keep(i, c) {
                break;
            }
            i += 1;
        }
        i
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let start = self.run_end(self.pos, |_, c| is_blank(c));
        if start >= self.end {
            self.pos = self.end.max(self.pos);
            return None;
        }
        let c = self.byte(start)?;
        let (kind, end) = match c {
            b'#' => (Kind::Comment, self.run_end(start, |_, c| c != b'\n')),
            b'"' => {
                let (end, closed) = self.string_end(start);
                (Kind::Str { closed }, end)
            }
            c if is_word_start(c) => (Kind::Word, self.run_end(start, |_, c| is_word_char(c))),
            c if c.is_ascii_digit() => {
                let digit_at = |i: usize| self.byte(i).is_some_and(|c| c.is_ascii_digit());
                let end = self.run_end(start, |i, c| {
                    is_word_char(c) || (matches!(c, b'-' | b'.') && digit_at(i + 1))
                });
                (Kind::Number, end)
            }
            _ => {
                let rest = self.text.get(start..).unwrap_or("");
                let len = match rest.get(..2).filter(|p| PAIRS.contains(p)) {
                    Some(_) => 2,
                    None => rest.chars().next().map_or(1, char::len_utf8),
                };
                (Kind::Punct, start + len)
            }
        };
        let end = end.min(self.end).max(start + 1).min(self.text.len());
        self.pos = end;
        Some(Token { kind, start, end })
    }
}

/// Every token of `text`, comments included.
pub fn tokens(text: &str) -> Vec<Token> {
    Lexer::new(text).collect()
}

/// The code tokens (comments left out) of `text[start..end]`, with offsets
/// into the whole `text`: what hints and recovery reason about.
pub fn code(text: &str, start: usize, end: usize) -> Vec<Token> {
    Lexer::at(text, start)
        .until(end)
        .filter(Token::is_code)
        .collect()
}

/// The first token at or after `offset`, blanks skipped: where the
/// formatter finds a keyword the AST does not span.
pub fn token_at(text: &str, offset: usize) -> Option<Token> {
    Lexer::at(text, offset).next()
}

/// The first code token at or after `offset`, blanks and comments skipped.
pub fn code_at(text: &str, offset: usize) -> Option<Token> {
    Lexer::at(text, offset).find(Token::is_code)
}

/// The matching closer of an opening bracket: how hints pair brackets.
pub fn closer(open: &str) -> Option<&'static str> {
    match open {
        "(" => Some(")"),
        "[" => Some("]"),
        "{" => Some("}"),
        _ => None,
    }
}

/// Whether a token text closes a bracket.
pub fn is_closer(t: &str) -> bool {
    matches!(t, ")" | "]" | "}")
}

/// Whether only blanks stand between the start of the line and `offset`:
/// a token first on its line may start a block item.
pub fn starts_line(text: &str, offset: usize) -> bool {
    let before = text.get(..offset).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    before
        .get(line_start..)
        .is_some_and(|s| s.bytes().all(|c| c == b' ' || c == b'\t'))
}

/// Whether `offset` is at column 0: where recovery looks for declarations.
pub fn at_column_zero(text: &str, offset: usize) -> bool {
    offset == 0 || text.as_bytes().get(offset.wrapping_sub(1)) == Some(&b'\n')
}

/// The value of a string literal (quotes included) with its escapes
/// resolved: `\n`, `\t`, and `\` before any other character stands for it.
pub fn unescape(quoted: &str) -> String {
    let inner = quoted
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(quoted);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A string literal holding `value`, written with the escapes the grammar
/// knows (`\"`, `\\`, `\n`, `\t`): the inverse of [`unescape`], so printed
/// strings read back to the same value and never span lines.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` as `kind:text` items, one per token: a compact expected value.
    fn show(text: &str) -> Vec<String> {
        tokens(text)
            .iter()
            .map(|t| {
                let k = match t.kind {
                    Kind::Word => "w",
                    Kind::Number => "n",
                    Kind::Str { closed: true } => "s",
                    Kind::Str { closed: false } => "s!",
                    Kind::Comment => "c",
                    Kind::Punct => "p",
                };
                format!("{k}:{}", t.text(text))
            })
            .collect()
    }

    /// Each case: the text, then its tokens as `kind:text`.
    const CASES: &[(&str, &[&str])] = &[
        // Words, keywords and names alike.
        ("let x_1 = _y", &["w:let", "w:x_1", "p:=", "w:_y"]),
        ("topp", &["w:topp"]),
        // Numbers, decimals, dates, durations, ranges.
        (
            "42 0.5 2023-07-11 365d 2w",
            &["n:42", "n:0.5", "n:2023-07-11", "n:365d", "n:2w"],
        ),
        ("1..5", &["n:1", "p:..", "n:5"]),
        ("-3", &["p:-", "n:3"]),
        ("now-365d", &["w:now", "p:-", "n:365d"]),
        ("3.x", &["n:3", "p:.", "w:x"]),
        ("2023-07-", &["n:2023-07", "p:-"]),
        // Operators of two characters, and other languages' spellings.
        ("a>=b&&c", &["w:a", "p:>=", "w:b", "p:&&", "w:c"]),
        ("=>=<<>", &["p:=>", "p:=<", "p:<>"]),
        ("!x", &["p:!", "w:x"]),
        // Comments: to the end of the line, not past it.
        ("a # b \"c\"\nd", &["w:a", "c:# b \"c\"", "w:d"]),
        ("#\n#x", &["c:#", "c:#x"]),
        ("a#b", &["w:a", "c:#b"]),
        // Strings: `#` and escaped quotes inside, unclosed at the line's end.
        ("\"a # b\" c", &["s:\"a # b\"", "w:c"]),
        (r#""say \"hi\"" x"#, &[r#"s:"say \"hi\"""#, "w:x"]),
        (r#""a\\" b"#, &[r#"s:"a\\""#, "w:b"]),
        ("\"ab\ncd\"", &["s!:\"ab", "w:cd", "s!:\""]),
        // A backslash does not carry a string past the line break.
        ("\"ab\\\ncd", &["s!:\"ab\\", "w:cd"]),
        ("\"ab\\", &["s!:\"ab\\"]),
        ("\"", &["s!:\""]),
        ("\"a\r\nb", &["s!:\"a\r", "w:b"]),
        // Unicode: inside strings and comments as text; elsewhere, one
        // punctuation token per character, never split.
        ("\"é # ü\" # ß", &["s:\"é # ü\"", "c:# ß"]),
        ("≥ é1", &["p:≥", "p:é", "n:1"]),
        // Blanks are the grammar's: a form feed is not one.
        ("a\x0cb", &["w:a", "p:\x0c", "w:b"]),
        ("", &[]),
        ("  \n\t ", &[]),
    ];

    #[test]
    fn tokens_follow_the_lexical_rules() {
        for (text, want) in CASES {
            assert_eq!(show(text), *want, "tokens of {text:?}");
        }
    }

    #[test]
    fn every_byte_is_a_blank_or_in_one_token() {
        for (text, _) in CASES {
            let mut at = 0;
            for t in tokens(text) {
                let gap = text.get(at..t.start).unwrap_or("x");
                assert!(gap.bytes().all(is_blank), "gap {gap:?} in {text:?}");
                assert!(t.start < t.end, "empty token in {text:?}");
                at = t.end;
            }
            let tail = text.get(at..).unwrap_or("x");
            assert!(tail.bytes().all(is_blank), "tail {tail:?} in {text:?}");
        }
    }

    #[test]
    fn a_bound_cuts_tokens_and_offsets_stay_in_the_text() {
        let text = "ab \"cd ef\" gh";
        let toks = code(text, 1, 6);
        let shown: Vec<&str> = toks.iter().map(|t| t.text(text)).collect();
        assert_eq!(shown, ["b", "\"cd"]);
        assert_eq!(
            toks.last().map(|t| t.kind),
            Some(Kind::Str { closed: false })
        );
        assert_eq!(code(text, 0, 99).len(), 3);
    }

    #[test]
    fn comments_are_skipped_for_code() {
        let text = "a # b\n  c";
        assert_eq!(code_at(text, 1).map(|t| t.start), Some(8));
        assert_eq!(token_at(text, 1).map(|t| t.kind), Some(Kind::Comment));
        assert_eq!(code_at(text, 9), None);
    }

    #[test]
    fn skipping_resumes_after_opaque_text() {
        let text = "x {\"#\": 1} # c";
        let mut lx = Lexer::new(text);
        assert_eq!(lx.next().map(|t| t.text(text)), Some("x"));
        lx.skip_to(10);
        assert_eq!(lx.next().map(|t| t.kind), Some(Kind::Comment));
        assert_eq!(lx.next(), None);
    }

    #[test]
    fn never_panics_on_odd_input() {
        let odd = [
            "\"\\",
            "\\",
            "#",
            "\u{0}\u{ffff}",
            "1-",
            "1.",
            "\"\u{e9}\\\u{e9}\"",
            "é\"",
        ];
        for text in odd {
            let toks = tokens(text);
            assert!(toks.iter().all(|t| t.end <= text.len()));
            for from in 0..=text.len() + 1 {
                let _ = Lexer::at(text, from).until(from + 1).count();
            }
        }
    }

    /// Whether the parser reads `text` as one expression.
    fn parses(text: &str) -> bool {
        let file = crate::source::SourceFile::new("t", text);
        super::super::parse_expr(&file).is_ok()
    }

    #[test]
    fn strings_end_where_the_grammar_ends_them() {
        // Each text is a `"` and more: the tokenizer reads one closed string
        // over all of it exactly when the grammar reads one string literal.
        // (The tokenizer forgives unknown escapes such as `\d`; the cases
        // use the grammar's own escapes.)
        let cases = [
            r#""plain""#,
            r#""a \"quoted\" word""#,
            r#""ends in a backslash \\""#,
            r#""tab\tnew\nline""#,
            r##""# not a comment""##,
            "\"é ü ß\"",
            "\"a\r\"",
            "\"two\nlines\"",
            "\"backslash \\\nnewline\"",
            r#""no end"#,
            r#""escaped end\""#,
        ];
        for text in cases {
            let toks = tokens(text);
            let one_string = matches!(
                toks.as_slice(),
                [Token { kind: Kind::Str { closed: true }, start: 0, end }] if *end == text.len()
            );
            assert_eq!(one_string, parses(text), "{text:?}: {toks:?}");
        }
    }

    #[test]
    fn comments_end_where_the_grammar_ends_them() {
        // Each text parses; the code tokens are those the parser reads.
        for (text, code) in [
            ("1 # two\n", 1),
            ("1 # two\n+ 2", 3),
            ("1 # two + 2", 1),
            ("\"#\" # \"", 1),
        ] {
            assert!(parses(text), "{text:?}");
            let n = Lexer::new(text).filter(Token::is_code).count();
            assert_eq!(n, code, "{text:?}");
        }
    }

    #[test]
    fn real_policies_tokenize_cleanly() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = 0;
        for dir in ["policies", "tests/diagnostics", "tests/fmt", "examples"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            for path in entries.flatten().map(|e| e.path()) {
                if path.extension().is_none_or(|e| e != "rung") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                files += 1;
                let mut at = 0;
                for t in tokens(&text) {
                    let gap = text.get(at..t.start).unwrap_or("x");
                    assert!(gap.bytes().all(is_blank), "{}: gap at {at}", path.display());
                    if !matches!(t.kind, Kind::Punct) {
                        assert!(!t.text(&text).contains('\n'), "{}: {t:?}", path.display());
                    }
                    at = t.end;
                }
            }
        }
        assert!(files > 10, "found {files} policy files");
    }

    #[test]
    fn quoting_and_unescaping_round_trip() {
        for v in ["", "plain", "a \"b\" \\ c\n\td", "é # ü"] {
            assert_eq!(unescape(&quote(v)), v);
            let q = quote(v);
            assert_eq!(show(&q), [format!("s:{q}")], "one string token");
        }
        assert_eq!(quote("a \"b\" \\ c\n\td"), r#""a \"b\" \\ c\n\td""#);
    }
}
