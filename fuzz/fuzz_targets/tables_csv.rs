//! CSV tables (`--table NAME=FILE`) against the NATO schema. The first byte
//! picks the fact the table gives and the separator (or detection); the
//! rest is the table's bytes. `now` comes from a small JSON document, as in
//! `policies/nato/examples/tables/`. When the facts load, the doctrine is
//! evaluated over them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rung::facts::table::{Delimiter, TableInput, from_bytes};

const NOW: &str = r#"{ "now": "2022-09-30" }"#;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, bytes)) = data.split_first() else {
        return;
    };
    let fact = if mode & 1 == 0 {
        "incidents"
    } else {
        "prior_responses"
    };
    let delimiter = match (mode >> 1) % 4 {
        0 => None,
        1 => Some(Delimiter::Comma),
        2 => Some(Delimiter::Semicolon),
        _ => Some(Delimiter::Tab),
    };
    let file = match from_bytes("table.csv", bytes.to_vec()) {
        Ok(f) => f,
        Err(e) => {
            rung_fuzz::render_diags(&[rung::Diag::from(e)]);
            return;
        }
    };
    let policy = rung_fuzz::nato();
    let json = rung_fuzz::source("now.json", NOW);
    let tables = [TableInput {
        fact: fact.to_string(),
        file,
        delimiter,
    }];
    match policy.facts_with_tables(Some(&json), &tables) {
        Ok((facts, warnings)) => {
            rung_fuzz::render_diags(&warnings);
            rung_fuzz::evaluate_all(policy, &facts, 0);
        }
        Err(diags) => rung_fuzz::render_diags(&diags),
    }
});
