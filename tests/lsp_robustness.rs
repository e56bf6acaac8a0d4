//! The language server under abuse: 1,000 random edits of the NATO doctrine
//! (tokens deleted, duplicated, inserted), binary junk and a 10 MB buffer.
//! After each edit the server must answer; it never exits or panics.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "lsp/client.rs"]
mod client;

use client::{Client, nato, uri};
use lsp_types::Position;
use serde_json::json;

/// A small deterministic generator (xorshift), so a failure replays.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

#[test]
fn a_thousand_random_edits_of_the_doctrine_keep_the_server_answering() {
    let file = nato().join("response.rung");
    let original = std::fs::read_to_string(&file).unwrap();
    let u = uri(&file);
    let mut c = Client::start();
    c.open(&u, &original);
    let mut rng = Rng(0x5eed_1234_abcd_0042);
    let mut text = original.clone();
    let vocabulary: Vec<String> = rung::syntax::lex::tokens(&original)
        .iter()
        .map(|t| t.text(&original).to_string())
        .collect();
    let methods = [
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/definition",
        "textDocument/references",
        "textDocument/semanticTokens/full",
        "textDocument/documentSymbol",
        "textDocument/codeAction",
        "textDocument/formatting",
    ];
    for version in 0..1000 {
        let tokens = rung::syntax::lex::tokens(&text);
        if tokens.is_empty() || text.len() > 200_000 {
            text = original.clone();
            continue;
        }
        let t = tokens[rng.below(tokens.len())];
        let piece = text[t.start..t.end].to_string();
        match rng.below(3) {
            0 => text.replace_range(t.start..t.end, ""),
            1 => text.insert_str(t.end, &format!(" {piece}")),
            _ => {
                let w = &vocabulary[rng.below(vocabulary.len())];
                text.insert_str(t.start, &format!("{w} "));
            }
        }
        c.change(&u, version + 2, &text);
        let line = rng.below(text.lines().count()) as u32;
        let position = Position::new(line, rng.below(40) as u32);
        let method = methods[rng.below(methods.len())];
        let params = json!({
            "textDocument": { "uri": u },
            "position": position,
            "range": { "start": position, "end": position },
            "context": { "includeDeclaration": true, "diagnostics": [], "triggerKind": 1 },
            "options": { "tabSize": 2, "insertSpaces": true },
        });
        let id = c.send(method, params);
        let r = c.response(&id);
        if let Some(e) = &r.error {
            // Formatting a broken file is refused; nothing else may fail.
            assert!(
                method == "textDocument/formatting",
                "{method} after edit {version}: {e:?}\n{text}"
            );
        }
    }
    c.shutdown();
}

#[test]
fn junk_and_a_ten_megabyte_buffer_get_answers() {
    let dir = client::policy_dir("junk", &[]);
    let u = uri(&dir.join("junk.rung"));
    let mut c = Client::start();
    let junk: String = (0u32..4000)
        .filter_map(|i| char::from_u32((i * 7919) % 0x3000))
        .collect();
    let big = "let x = 1 + (2 * 3) # comment\n".repeat(10 * 1024 * 1024 / 30);
    for text in [
        junk.as_str(),
        "\u{0}\u{1}((((((((",
        big.as_str(),
        "rules r for each s, a in",
        "",
    ] {
        c.open(&u, text);
        let _ = c.diagnostics(&u);
        for method in [
            "textDocument/hover",
            "textDocument/completion",
            "textDocument/semanticTokens/full",
        ] {
            let id = c.send(
                method,
                json!({ "textDocument": { "uri": u }, "position": { "line": 0, "character": 3 } }),
            );
            let r = c.response(&id);
            assert!(r.error.is_none(), "{method}: {:?}", r.error);
        }
    }
    c.shutdown();
}
