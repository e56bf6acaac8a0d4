//! The direct parser against pest and lowering: wherever it accepts a text,
//! it must build the same declarations, spans included (`Span`'s `Debug`
//! prints its range, so the `Debug` texts are compared).
//!
//! Three sources of text: every policy in the repository (all of which it
//! must accept, or `rung check` would not be fast on real policies), seeded
//! mutations of their declarations (tokens deleted, doubled, swapped or
//! replaced by any word or symbol of the language), and the formatter
//! tests' generated policies (every declaration and expression form, odd
//! layout, comments in every gap, CRLF line ends).

#![allow(clippy::panic, reason = "a test reports a disagreement by failing")]

use std::path::{Path, PathBuf};
use std::sync::Arc;

#[path = "../../../tests/support/policy_gen.rs"]
#[allow(
    clippy::indexing_slicing,
    reason = "the generator is the integration tests' own, written for them"
)]
mod policy_gen;

use policy_gen::Rng;

use super::super::grammar::Rule;
use super::super::lex::{self, Kind};
use super::super::{limits, lower, pest_parse, words};
use crate::ast::Decl;
use crate::source::SourceFile;

/// What pest and lowering make of a whole file.
fn by_pest(file: &Arc<SourceFile>) -> Option<Vec<Decl>> {
    let mut pairs = pest_parse(Rule::file, &file.text).ok()?;
    lower::Lowerer::new(file, 0).file(pairs.next()?).ok()
}

#[derive(Debug, Default)]
struct Tally {
    accepted: usize,
    declined: usize,
    /// Texts pest accepts that the direct parser declined.
    declined_valid: usize,
}

impl Tally {
    /// Parses `text` both ways; panics where the direct parser accepts a
    /// text and disagrees with pest, or accepts one pest refuses.
    fn compare(&mut self, name: &str, text: &str) {
        let file = SourceFile::new(name, text);
        if limits::check(&file).is_err() {
            return;
        }
        let direct = super::parse(&file);
        let pest = by_pest(&file);
        match (direct, pest) {
            (Some(d), Some(p)) => {
                let (d, p) = (format!("{d:#?}"), format!("{p:#?}"));
                assert!(
                    d == p,
                    "{name}: the direct parser and pest disagree on\n{text}\n\
                     --- direct\n{d}\n--- pest\n{p}"
                );
                self.accepted += 1;
            }
            (Some(d), None) => {
                panic!("{name}: the direct parser accepts what pest refuses:\n{text}\n{d:#?}")
            }
            (None, Some(p)) => {
                self.declined += 1;
                if !p.iter().any(|d| matches!(d, Decl::Test(_))) {
                    self.declined_valid += 1;
                }
            }
            (None, None) => self.declined += 1,
        }
    }
}

fn rung_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rung_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rung") {
            out.push(path);
        }
    }
}

/// Every policy file of the repository, with its name.
fn corpus() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for dir in ["policies", "tests", "examples", "docs"] {
        rung_files(&root.join(dir), &mut paths);
    }
    assert!(paths.len() > 100, "the corpus went missing: {paths:?}");
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            (p.display().to_string(), text)
        })
        .collect()
}

#[test]
fn agrees_with_pest_on_every_policy_of_the_repository() {
    let mut tally = Tally::default();
    for (name, text) in corpus() {
        tally.compare(&name, &text);
    }
    // Files with `test` declarations are pest's by design; every other
    // file pest accepts must take the direct path.
    assert_eq!(tally.declined_valid, 0, "{tally:?}");
    assert!(tally.accepted >= 10, "{tally:?}");
}

/// Symbols and literals a mutation may put anywhere, the awkward ones
/// included: literals lowering refuses, strings the grammar refuses.
const PIECES: &[&str] = &[
    "==",
    "!=",
    "<=",
    ">=",
    "<",
    ">",
    "=",
    "+",
    "-",
    "*",
    "/",
    ".",
    ",",
    ":",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "..",
    "&&",
    "1",
    "-1",
    "0",
    "42",
    "1..5",
    "2023-07-11",
    "2023-02-30",
    "2023-7-11",
    "365d",
    "2w",
    "0.5",
    "1.",
    "99999999999999999999",
    "999999999999d",
    "\"s\"",
    "\"a\\\"b\"",
    "\"a\\x\"",
    "\"open",
    "# note\n",
    "\n",
    "x",
    "acts",
    "a.b",
    "is present",
    "is absent",
    "not in",
    "any",
    "has",
    "where",
    "recommend",
    "forbid",
    "because \"b\"",
    "when",
    "let",
    "optional",
    "list of",
    "rung of",
    "unique",
    "default",
    "to",
    "and above",
    "label:",
    "é",
];

/// Declarations of the corpus's files that pest accepts, as texts: what
/// the mutations start from (small texts keep debug-build pest quick).
fn declarations() -> Vec<String> {
    corpus()
        .iter()
        .flat_map(|(name, text)| declarations_of(name, text))
        .collect()
}

/// The declarations of `text`, but its tests, each as a text of its own
/// (none if pest refuses the text).
fn declarations_of(name: &str, text: &str) -> Vec<String> {
    let file = SourceFile::new(name, text);
    let Some(decls) = by_pest(&file) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for d in decls {
        let span = match &d {
            Decl::Enum(e) => &e.span,
            Decl::Record(r) => &r.span,
            Decl::Facts(f) => &f.span,
            Decl::Ladder(l) => &l.span,
            Decl::Let(l) => &l.span,
            Decl::Warn(w) => &w.span,
            Decl::Test(_) => continue,
            // A rules block's span is its head: take it to its `}`.
            Decl::Rules(r) => {
                let end = text
                    .get(r.span.start..)
                    .and_then(find_block_end)
                    .map(|e| r.span.start + e);
                if let Some(block) = end.and_then(|e| text.get(r.span.start..e)) {
                    out.push(block.to_string());
                }
                continue;
            }
        };
        if let Some(t) = text.get(span.start..span.end) {
            out.push(t.to_string());
        }
    }
    out
}

/// The end of the first balanced `{ ... }` in `text`, by its tokens.
fn find_block_end(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for t in lex::tokens(text) {
        match (t.kind, t.text(text)) {
            (Kind::Punct, "{") => depth += 1,
            (Kind::Punct, "}") => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(t.end);
                }
            }
            _ => {}
        }
    }
    None
}

/// One random change to `text`'s tokens.
fn mutate(text: &str, rng: &mut Rng) -> String {
    let tokens = lex::tokens(text);
    if tokens.is_empty() {
        return text.to_string();
    }
    let Some(t) = tokens.get(rng.below(tokens.len())).copied() else {
        return text.to_string();
    };
    let (before, this, after) = (
        text.get(..t.start).unwrap_or(""),
        t.text(text),
        text.get(t.end..).unwrap_or(""),
    );
    let words: Vec<&str> = words::grammar_words().collect();
    let piece = if rng.below(3) == 0 {
        rng.pick(&words)
    } else {
        rng.pick(PIECES)
    };
    let space = if rng.below(2) == 0 { " " } else { "" };
    match rng.below(8) {
        // A token of the same kind: texts that stay valid more often.
        6 | 7 => {
            let like: &[&str] = match t.kind {
                Kind::Word => &[
                    "x",
                    "acts",
                    "and",
                    "or",
                    "not",
                    "in",
                    "otherwise",
                    "where",
                    "true",
                    "any",
                    "has",
                    "is",
                    "present",
                    "absent",
                    "above",
                    "below",
                    "to",
                    "unique",
                    "default",
                ],
                Kind::Number => &[
                    "0",
                    "7",
                    "1.5",
                    "30d",
                    "2w",
                    "2024-02-29",
                    "2023-02-29",
                    "1..2",
                ],
                Kind::Punct => &[
                    "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", ",", ".", "(",
                ],
                Kind::Str { .. } | Kind::Comment => &["\"t\"", "\"\\n\"", "# c\n"],
            };
            format!("{before}{}{after}", rng.pick(like))
        }
        0 => format!("{before}{after}"),
        1 => format!("{before}{this} {this}{after}"),
        2 => format!("{before}{piece}{after}"),
        3 => format!("{before}{piece}{space}{this}{after}"),
        4 => format!("{before}{this}{space}{piece}{after}"),
        _ => {
            // Swap with the next token.
            let Some(n) = tokens.iter().find(|n| n.start >= t.end) else {
                return format!("{before}{after}");
            };
            let between = text.get(t.end..n.start).unwrap_or(" ");
            let rest = text.get(n.end..).unwrap_or("");
            format!("{before}{}{between}{this}{rest}", n.text(text))
        }
    }
}

#[test]
fn agrees_with_pest_on_mutated_declarations() {
    let decls = declarations();
    assert!(decls.len() > 50, "{}", decls.len());
    let mut rng = Rng::new(0x5EED_0001);
    let mut tally = Tally::default();
    for case in 0..10_000 {
        let start = decls
            .get(rng.below(decls.len()))
            .cloned()
            .unwrap_or_default();
        let mut text = start;
        for _ in 0..=rng.below(3) {
            text = mutate(&text, &mut rng);
        }
        tally.compare(&format!("mutation {case}"), &text);
    }
    // Many mutations keep the text valid; those are compared in full.
    assert!(tally.accepted > 400, "{tally:?}");
}

#[test]
fn agrees_with_pest_on_generated_policies() {
    let mut tally = Tally::default();
    for seed in 0..200 {
        let name = format!("generated policy {seed}");
        let text = policy_gen::Gen::new(seed).policy(seed % 4 == 3);
        tally.compare(&name, &text);
        // Whole files hold a `test` now and then, which the direct parser
        // leaves to pest: each declaration is compared on its own too.
        for (i, decl) in declarations_of(&name, &text).iter().enumerate() {
            tally.compare(&format!("{name}, declaration {i}"), decl);
        }
    }
    assert!(tally.accepted > 600, "{tally:?}");
}
