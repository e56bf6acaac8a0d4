//! The language server's work after an edit: every file of the policy
//! parsed, the policy checked and indexed, and the edited file's
//! diagnostics converted, for the NATO doctrine (with its tests) and a
//! generated policy of 5,000 rules (`benches/support/policy.rs`).
//!
//! Run with `cargo bench --bench lsp`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(
    missing_docs,
    reason = "criterion_group! generates an undocumented function"
)]

#[path = "support/policy.rs"]
mod policy;

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use lsp_types::Url;
use rung::lsp::analysis::{Analysis, LastGood};
use rung::lsp::diagnostics::{self, ExplainDocs};

/// Re-analyses `inputs` with file `edited` changed (a threshold toggled
/// between two values), as after a keystroke.
fn bench_edit(
    c: &mut Criterion,
    name: &str,
    inputs: Vec<(Url, String)>,
    edited: usize,
    from: &str,
    to: &str,
) {
    let mut last_good = LastGood::default();
    let mut other = inputs.clone();
    other[edited].1 = other[edited].1.replacen(from, to, 1);
    assert_ne!(
        other[edited].1, inputs[edited].1,
        "the edit changes the text"
    );
    let first = Analysis::new(inputs.clone(), &mut last_good);
    assert!(first.program.is_some(), "the policy checks");
    let docs = ExplainDocs::new(None);
    let mut flip = false;
    c.bench_function(name, |b| {
        b.iter(|| {
            flip = !flip;
            let texts = if flip { &other } else { &inputs };
            let a = Analysis::new(black_box(texts.clone()), &mut last_good);
            black_box(diagnostics::for_file(&a, edited, &docs))
        })
    });
}

fn nato() -> Vec<(Url, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/nato");
    rung::policy::collect(&dir)
        .unwrap()
        .into_iter()
        .map(|p| {
            (
                Url::from_file_path(&p).unwrap(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let nato = nato();
    let response = nato
        .iter()
        .position(|(u, _)| u.path().ends_with("/response.rung"))
        .unwrap();
    bench_edit(c, "lsp_edit/nato", nato, response, ">= 6", ">= 7");

    let generated: Vec<(Url, String)> = policy::policy_files(5_000)
        .into_iter()
        .map(|(name, text)| {
            (
                Url::parse(&format!("file:///generated/{name}")).unwrap(),
                text,
            )
        })
        .collect();
    let rules = generated.len() - 1;
    let (from, to) = first_number(&generated[rules].1);
    bench_edit(c, "lsp_edit/rules_5000", generated, rules, &from, &to);
}

/// The first integer after `>= ` in `text` (a threshold), and it plus one.
fn first_number(text: &str) -> (String, String) {
    let at = text
        .match_indices(">= ")
        .map(|(i, _)| i + 3)
        .find(|i| text[*i..].starts_with(|c: char| c.is_ascii_digit()))
        .unwrap();
    let digits: String = text[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let n: u64 = digits.parse().unwrap();
    (format!(">= {n}"), format!(">= {}", n + 1))
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
