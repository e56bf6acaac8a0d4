//! The incremental re-parse (`syntax::splice`) gives exactly the tree a
//! whole parse gives, spans included: random edits (tokens deleted,
//! duplicated, replaced) of every file of the NATO doctrine and of a
//! generated policy, compared through the trees' `Debug` text, which shows
//! every span.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../benches/support/policy.rs"]
#[allow(dead_code)]
mod policy;

use rung::SourceFile;
use rung::syntax::{lex, parse_file, splice};

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

fn check_edits(name: &str, text: &str, rng: &mut Rng, edits: usize) -> usize {
    let old = SourceFile::new(name, text.to_string());
    let Ok(tree) = parse_file(&old) else {
        return 0;
    };
    let tokens = lex::tokens(text);
    let mut spliced = 0;
    for _ in 0..edits {
        let t = tokens[rng.below(tokens.len())];
        let other = tokens[rng.below(tokens.len())];
        let mut new = text.to_string();
        match rng.below(4) {
            0 => new.replace_range(t.start..t.end, ""),
            1 => new.insert_str(t.end, &format!(" {}", &text[t.start..t.end])),
            2 => new.replace_range(t.start..t.end, &text[other.start..other.end]),
            _ => new.insert(t.end, 'x'),
        }
        let new = SourceFile::new(name, new);
        if let Some(fast) = splice::reparse(&old, &tree, &new) {
            spliced += 1;
            let whole = parse_file(&new).unwrap_or_else(|e| {
                panic!(
                    "splice accepted a text the parser refuses: {e:?}\n{}",
                    new.text
                )
            });
            assert_eq!(format!("{fast:?}"), format!("{whole:?}"), "{}", new.text);
        }
    }
    spliced
}

#[test]
fn spliced_trees_equal_whole_parses() {
    let mut rng = Rng(0x0dd_ba11_cafe_f00d);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/nato");
    let mut spliced = 0;
    for path in rung::policy::collect(&dir).unwrap() {
        let text = std::fs::read_to_string(&path).unwrap();
        spliced += check_edits(&path.display().to_string(), &text, &mut rng, 300);
    }
    for (name, text) in policy::policy_files(200) {
        spliced += check_edits(&name, &text, &mut rng, 300);
    }
    // Most random edits break the syntax or fall between items; enough
    // must take the shortcut for the comparison to mean something.
    assert!(spliced > 100, "the shortcut applied {spliced} times");
}
