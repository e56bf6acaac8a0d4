//! The one table of rung's words: which words the language reserves, which
//! start a declaration or a clause, which only shape one, which belong to
//! tests, and the built-in functions and types.
//!
//! Hints, recovery, the nesting limits, the checker, REPL completion and
//! highlighting all ask this table, so a word added to the grammar is added
//! here once. The tests below hold the table to `grammar/rung.pest`: every
//! keyword of the grammar is in the table, every word of the table is in
//! the grammar, and exactly the reserved words are refused as names.

/// Words the grammar reserves (its `keyword` rule): they can never be names.
pub const RESERVED: &[&str] = &[
    "and",
    "or",
    "not",
    "in",
    "where",
    "has",
    "have",
    "is",
    "present",
    "absent",
    "otherwise",
    "true",
    "false",
    "any",
    "all",
    "no",
];

/// Words that start a declaration: recovery cuts a broken file before each
/// one found in column 0.
pub const DECLARATIONS: &[&str] = &[
    "enum", "record", "facts", "ladder", "let", "rules", "warn", "test",
];

/// Words that start a clause of a rule or of a rules block: an expression
/// ends before them, so a bracket still open there was never closed.
pub const CLAUSES: &[&str] = &[
    "recommend",
    "forbid",
    "when",
    "because",
    "cites",
    "grouped",
    "keyed",
    "by",
];

/// Words that shape a declaration without starting anything: types,
/// constraints, the head of a rules block and rung ranges. Not reserved:
/// `to` or `list` may also be names.
pub const SHAPES: &[&str] = &[
    "list", "of", "optional", "rung", "unique", "default", "for", "each", "above", "below", "to",
];

/// Words only `test` declarations use. Common names (`status`, `top`), so
/// the REPL neither completes nor highlights them.
pub const TEST_WORDS: &[&str] = &[
    "expect",
    "table",
    "snapshot",
    "replay",
    "top",
    "recommends",
    "forbids",
    "status",
    "fires",
    "decision",
    "reaches",
    "never",
    "on",
];

/// The built-in functions, called `name(expression)`.
pub const FUNCTIONS: &[&str] = &["count", "sum", "min", "max", "distinct", "days"];

/// The built-in types of fields.
pub const TYPES: &[&str] = &["bool", "int", "decimal", "string", "date", "duration"];

/// Whether `word` is reserved: a name written this way is refused.
pub fn is_reserved(word: &str) -> bool {
    RESERVED.contains(&word)
}

/// Whether `word` starts a declaration or a clause: where an expression
/// (and a nesting level opened by a word) ends.
pub fn ends_expression(word: &str) -> bool {
    DECLARATIONS.contains(&word) || CLAUSES.contains(&word)
}

/// The words of the language an author types at the REPL: reserved words,
/// then declaration, clause and shape words. Completed and highlighted.
pub fn language() -> impl Iterator<Item = &'static str> {
    RESERVED
        .iter()
        .chain(DECLARATIONS)
        .chain(CLAUSES)
        .chain(SHAPES)
        .copied()
}

/// Every word of the grammar, test words included.
pub fn grammar_words() -> impl Iterator<Item = &'static str> {
    language().chain(TEST_WORDS.iter().copied())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::source::SourceFile;

    const GRAMMAR: &str = include_str!("../../grammar/rung.pest");

    /// The rules of the grammar as (name, body) pairs; a body runs to the
    /// next rule, comment or blank line.
    fn rules() -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut current: Option<(String, String)> = None;
        for line in GRAMMAR.lines() {
            let trimmed = line.trim();
            let head = line.split_once('=').filter(|(name, _)| {
                !name.is_empty()
                    && name
                        .trim()
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
                    && !line.starts_with(' ')
            });
            if let Some((name, body)) = head {
                out.extend(current.take());
                current = Some((name.trim().to_string(), body.to_string()));
            } else if trimmed.is_empty() || trimmed.starts_with("//") {
                out.extend(current.take());
            } else if let Some((_, body)) = current.as_mut() {
                body.push_str(line);
            }
        }
        out.extend(current);
        out
    }

    /// The quoted alphabetic literals of a rule body.
    fn literals(body: &str) -> Vec<String> {
        body.split('"')
            .skip(1)
            .step_by(2)
            .filter(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphabetic()))
            .map(str::to_string)
            .collect()
    }

    /// Words the grammar matches whole (`"word" ~ !ident_char`), from the
    /// rules made of word literals only (not `duration`'s `d` and `w`).
    fn grammar_keywords() -> BTreeSet<String> {
        rules()
            .iter()
            .filter(|(_, body)| body.contains("!ident_char") && !body.contains("ASCII_"))
            .flat_map(|(_, body)| literals(body))
            .collect()
    }

    #[test]
    fn the_grammar_keywords_are_the_table() {
        let grammar = grammar_keywords();
        assert!(grammar.len() > 40, "the grammar was read: {grammar:?}");
        let table: BTreeSet<String> = grammar_words().map(str::to_string).collect();
        let missing: Vec<_> = grammar.difference(&table).collect();
        assert!(
            missing.is_empty(),
            "grammar words not in the table: {missing:?}"
        );
        let stale: Vec<_> = table.difference(&grammar).collect();
        assert!(
            stale.is_empty(),
            "table words not in the grammar: {stale:?}"
        );
        assert_eq!(table.len(), grammar_words().count(), "no word twice");
    }

    #[test]
    fn reserved_words_are_the_keyword_rule() {
        let keyword = rules()
            .into_iter()
            .find(|(name, _)| name == "keyword")
            .map(|(_, body)| literals(&body))
            .unwrap_or_default();
        let keyword: BTreeSet<String> = keyword.into_iter().collect();
        let table: BTreeSet<String> = RESERVED.iter().map(|w| w.to_string()).collect();
        assert_eq!(keyword, table);
    }

    fn parses_as_name(word: &str) -> bool {
        let file = SourceFile::new("t.rung", format!("let {word} = 1\n"));
        crate::syntax::parse_file(&file).is_ok()
    }

    #[test]
    fn the_parser_refuses_exactly_the_reserved_words_as_names() {
        for w in RESERVED {
            assert!(!parses_as_name(w), "`{w}` is reserved but parses as a name");
        }
        let others = DECLARATIONS
            .iter()
            .chain(CLAUSES)
            .chain(SHAPES)
            .chain(TEST_WORDS)
            .chain(FUNCTIONS)
            .chain(TYPES);
        for w in others {
            assert!(
                parses_as_name(w),
                "`{w}` is not reserved but is refused as a name"
            );
        }
    }

    #[test]
    fn lists_are_disjoint() {
        let all: Vec<&str> = grammar_words()
            .chain(FUNCTIONS.iter().copied())
            .chain(TYPES.iter().copied())
            .collect();
        let set: BTreeSet<&str> = all.iter().copied().collect();
        assert_eq!(set.len(), all.len());
    }
}
