//! Explanations, one case per file in `tests/explanations/`: a policy and
//! its facts, and the `--explain` rendering as a snapshot. They pin how
//! named conditions expand into their parts, which items a quantifier
//! matched (or, for `all`, which did not), and which items a `where` inside
//! an aggregate excluded, by which part.
//!
//! A case file reads `# what it shows`, `--- policy`, then `--- facts`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::section;
use rung::Policy;
use rung::eval::Detail;
use rung::render::{self, Paint};

fn explained(policy: &Policy, facts: &str) -> String {
    let facts = policy
        .facts_from_text("facts.json", facts)
        .unwrap_or_else(|d| panic!("{d:?}"));
    let run = policy.run(&facts, Detail::Traces).unwrap();
    let explanations = run.explanations(&policy.program).unwrap();
    let out = render::human(
        &policy.program,
        &run.evaluation,
        &explanations,
        render::Options {
            paint: Paint { enabled: false },
            explain: true,
            digest: None,
        },
    );
    assert!(
        !serde_json::to_string(&explanations)
            .unwrap()
            .contains("\\n"),
        "an explanation holds a newline"
    );
    out
}

#[test]
fn explanations() {
    insta::glob!("explanations/*.case", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_stem().unwrap().to_str().unwrap();
        let policy = Policy::from_text(&format!("{name}.rung"), section(&text, "policy"))
            .unwrap_or_else(|d| panic!("{d:?}"));
        insta::assert_snapshot!(explained(&policy, section(&text, "facts")));
    });
}

/// The Pledge doctrine explains itself through its named goals.
#[test]
fn the_pledge_example_explained() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let policy = Policy::from_paths(&[root.join("policies/pledge")]).unwrap();
    let facts =
        std::fs::read_to_string(root.join("policies/pledge/examples/allies-2024.json")).unwrap();
    insta::assert_snapshot!(explained(&policy, &facts));
}
