//! Recovery: after a syntax error, every declaration — and every item of a
//! block — is parsed on its own, so one run reports each mistake once.
//!
//! The file is cut into chunks at lines that start (in column 0) with a
//! declaration word. A chunk that fails and holds a block (`rules`, `ladder`,
//! `record`, `facts`) is split further: its items (rules and `let`s, rungs,
//! fields) are parsed one by one, and the declaration is parsed once more with
//! the items blanked out, to catch errors in its head and braces. Offsets
//! never change, so every error points into the real text.

use std::sync::Arc;

use super::lex::{self, Kind, Token as Tok};
use super::words;
use super::{Region, Rule, SyntaxError, check_region};
use crate::source::SourceFile;

/// Every syntax error of `file`, each declaration and block item parsed on
/// its own.
pub(super) fn recover(file: &Arc<SourceFile>) -> Vec<SyntaxError> {
    let text: &str = &file.text;
    let toks = lex::code(text, 0, text.len());
    let mut bounds = declaration_starts(text, &toks);
    if bounds.first() != Some(&0) {
        bounds.insert(0, 0);
    }
    bounds.push(text.len());
    let mut errors = Vec::new();
    for w in bounds.windows(2) {
        let [a, b] = w else { continue };
        let region = Region {
            start: *a,
            end: *b,
            entry: Rule::file,
        };
        let chunk = text.get(*a..*b).unwrap_or("");
        let found = check_region(file, region, chunk);
        if found.is_empty() {
            continue;
        }
        match recover_block(file, region, &toks) {
            Some(es) if !es.is_empty() => errors.extend(es),
            _ => errors.extend(found),
        }
    }
    errors
}

/// Byte offsets of the lines that start a declaration. A `let` in column 0
/// counts only outside braces (it may be a block's own definition); the other
/// declaration words always count, so an unclosed brace cannot hide the rest
/// of the file.
fn declaration_starts(text: &str, toks: &[Tok]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    for t in toks {
        match (t.kind, t.text(text)) {
            (Kind::Punct, "{") => depth += 1,
            (Kind::Punct, "}") => depth = depth.saturating_sub(1),
            (Kind::Word, w)
                if words::DECLARATIONS.contains(&w)
                    && lex::at_column_zero(text, t.start)
                    && (w != "let" || depth == 0) =>
            {
                out.push(t.start);
                depth = 0;
            }
            _ => {}
        }
    }
    out
}

/// The kinds of block that recover item by item.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Block {
    Rules,
    Ladder,
    Fields,
}

/// Errors of a failed block declaration, item by item; `None` when the chunk
/// is not a block or has no items.
fn recover_block(file: &Arc<SourceFile>, region: Region, all: &[Tok]) -> Option<Vec<SyntaxError>> {
    let text: &str = &file.text;
    let original_end = region.end;
    let toks: Vec<Tok> = all
        .iter()
        .filter(|t| t.start >= region.start && t.end <= region.end)
        .copied()
        .collect();
    let block = match toks.first()?.text(text) {
        "rules" => Block::Rules,
        "ladder" => Block::Ladder,
        "record" | "facts" => Block::Fields,
        _ => return None,
    };
    let open = toks
        .iter()
        .position(|t| t.kind == Kind::Punct && t.text(text) == "{")?;
    let mut depth = 0usize;
    let mut close = None;
    let mut starts = Vec::new();
    // A word in column 0 inside the block: where the block most likely ends
    // when its `}` is missing.
    let mut outdent = None;
    for (i, t) in toks.iter().enumerate().skip(open) {
        // Only braces: a bracket left open inside an item is that item's error.
        match (t.kind, t.text(text)) {
            (Kind::Punct, "{") => depth += 1,
            (Kind::Punct, "}") => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    close = Some(t.start);
                    break;
                }
            }
            _ if depth == 1
                && lex::starts_line(text, t.start)
                && starts_item(block, &toks, i, text) =>
            {
                if lex::at_column_zero(text, t.start) && outdent.is_none() {
                    outdent = Some(t.start);
                }
                starts.push(t.start);
            }
            _ => {}
        }
    }
    // Without its `}`, the block ends before the first outdented line, and
    // what follows is read as declarations.
    let (close, rest) = match (close, outdent) {
        (Some(c), _) => (c, None),
        (None, Some(o)) => (o, Some(o)),
        (None, None) => (region.end, None),
    };
    starts.retain(|s| *s < close);
    let region = Region {
        start: region.start,
        end: rest.unwrap_or(region.end),
        entry: region.entry,
    };
    if starts.is_empty() {
        return None;
    }
    let entry = match block {
        Block::Rules => Rule::rules_item_input,
        Block::Ladder => Rule::ladder_item_input,
        Block::Fields => Rule::field_input,
    };
    let mut ends: Vec<usize> = starts.iter().skip(1).copied().collect();
    ends.push(close);
    // The declaration with its items blanked out: errors in its head and braces.
    let mut skeleton: Vec<u8> = text.get(region.start..region.end)?.as_bytes().to_vec();
    for (s, e) in starts.iter().zip(&ends) {
        for i in *s..*e {
            if let Some(c) = skeleton.get_mut(i - region.start)
                && *c != b'\n'
            {
                *c = b' ';
            }
        }
    }
    let skeleton = String::from_utf8_lossy(&skeleton).into_owned();
    let mut errors = check_region(file, region, &skeleton);
    for (s, e) in starts.iter().zip(&ends) {
        let item = Region {
            start: *s,
            end: *e,
            entry,
        };
        errors.extend(check_region(file, item, text.get(*s..*e).unwrap_or("")));
    }
    if let Some(r) = rest {
        let after = Region {
            start: r,
            end: original_end,
            entry: Rule::file,
        };
        errors.extend(check_region(
            file,
            after,
            text.get(r..original_end).unwrap_or(""),
        ));
    }
    Some(errors)
}

/// Whether token `i`, first on its line, starts an item of the block.
fn starts_item(block: Block, toks: &[Tok], i: usize, text: &str) -> bool {
    let Some(t) = toks.get(i) else { return false };
    if t.kind != Kind::Word {
        return false;
    }
    let word = t.text(text);
    match block {
        Block::Rules => {
            matches!(word, "recommend" | "forbid" | "let")
                || toks
                    .get(i + 1)
                    .is_some_and(|n| n.kind == Kind::Punct && n.text(text) == ":")
        }
        Block::Ladder => true,
        Block::Fields => !matches!(
            word,
            "of" | "in" | "unique" | "default" | "list" | "optional"
        ),
    }
}
