//! Limits checked before pest runs.
//!
//! pest recurses once per nested rule, and a few hundred nested parentheses
//! overflow a thread's stack. This scan estimates nesting in one linear pass
//! over the tokens (so brackets in strings and comments do not count),
//! without recursion, and refuses texts that would nest too deeply.

use std::sync::Arc;

use crate::source::{SourceFile, Span};

use super::error::SyntaxError;
use super::lex::{Kind, Lexer, Token};
use super::words;

/// Largest policy file accepted, in bytes.
pub const MAX_SOURCE_BYTES: usize = 4 * 1024 * 1024;

/// Deepest nesting of brackets, `where`, quantifiers and `not` accepted.
pub const MAX_NESTING: usize = 64;

/// Deepest expression tree the parser builds (long operator chains).
pub const MAX_EXPR_DEPTH: usize = 200;

/// Longest chain of definitions, each using the next, that the checker
/// follows (it checks a definition where it is first used, recursively).
pub const MAX_DEFINITION_DEPTH: usize = 1000;

/// Words that open a level of nesting that no bracket closes.
const OPENING_WORDS: &[&str] = &["where", "has", "have", "not"];

/// Checks size and nesting; returns the first violation.
pub fn check(file: &Arc<SourceFile>) -> Result<(), SyntaxError> {
    let text: &str = &file.text;
    if text.len() > MAX_SOURCE_BYTES {
        return Err(SyntaxError::TooLarge {
            name: file.name.clone(),
            size: text.len(),
            limit: MAX_SOURCE_BYTES,
        });
    }
    // `open[d]`: word-opened levels at bracket depth d.
    let mut open: Vec<usize> = vec![0];
    let mut words = 0usize;
    let mut minus_run = 0usize;
    // `list of optional list of ...`: each `of` or `optional` nests a type.
    let mut type_run = 0usize;
    for t in Lexer::new(text).filter(Token::is_code) {
        let start = t.start;
        match (t.kind, t.text(text)) {
            (Kind::Punct, "(" | "[" | "{") => {
                open.push(0);
                minus_run = 0;
            }
            (Kind::Punct, ")" | "]" | "}") => {
                if open.len() > 1
                    && let Some(n) = open.pop()
                {
                    words -= n;
                }
                minus_run = 0;
            }
            (Kind::Punct, "-") => {
                minus_run += 1;
                if minus_run > MAX_NESTING {
                    return Err(too_deep(file, start));
                }
            }
            (Kind::Word, word) => {
                minus_run = 0;
                if matches!(word, "of" | "optional") {
                    type_run += 1;
                    if type_run > MAX_NESTING {
                        return Err(type_too_deep(file, start));
                    }
                } else if word != "list" {
                    type_run = 0;
                }
                if OPENING_WORDS.contains(&word) {
                    if let Some(n) = open.last_mut() {
                        *n += 1;
                        words += 1;
                    }
                } else if words::ends_expression(word)
                    && let Some(n) = open.last_mut()
                {
                    words -= *n;
                    *n = 0;
                }
            }
            _ => minus_run = 0,
        }
        if open.len() - 1 + words > MAX_NESTING {
            return Err(too_deep(file, start));
        }
    }
    Ok(())
}

fn too_deep(file: &Arc<SourceFile>, at: usize) -> SyntaxError {
    let span = Span::new(file, at..at + 1);
    SyntaxError::TooDeep {
        src: span.named_source(),
        span: span.source_span(),
        what: "expression",
        limit: MAX_NESTING,
        help: super::error::SPLIT_EXPRESSION,
    }
}

fn type_too_deep(file: &Arc<SourceFile>, at: usize) -> SyntaxError {
    let span = Span::new(file, at..at + 1);
    SyntaxError::TooDeep {
        src: span.named_source(),
        span: span.source_span(),
        what: "type",
        limit: MAX_NESTING,
        help: "declare a record for the inner part: `record Item { ... }` then `list of Item`",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_words_are_reserved_words() {
        for w in OPENING_WORDS {
            assert!(words::is_reserved(w), "`{w}` is not in the table");
        }
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_nest() {
        let deep = "(".repeat(MAX_NESTING + 1);
        let hidden = format!("let a = 1 # {deep}\nlet b = \"{deep}\"\n");
        assert!(check(&SourceFile::new("t", hidden)).is_ok());
        // A string ends at its line, even after a backslash: what follows is code.
        let after = format!("let b = \"x\\\n{deep}\n");
        assert!(check(&SourceFile::new("t", after)).is_err());
    }
}
