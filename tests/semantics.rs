//! Language semantics, one small case per file in `tests/semantics/`: a
//! policy and its facts, and the JSON decision as a snapshot.
//!
//! A case file reads
//!
//! ```text
//! # what the case shows
//! --- policy
//! ...rung text...
//! --- facts
//! { ...JSON... }
//! ```
//!
//! The snapshot holds the check warnings (if any) and then the JSON decision
//! document; or the rendered diagnostics when the policy or facts are
//! rejected.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::section;
use rung::Policy;
use rung::diagnostic::{self, Diag, Style};

fn render(diags: &[Diag]) -> String {
    diagnostic::render(diags, Style::NoColor, 100)
}

fn run_case(name: &str, text: &str) -> String {
    let mut policy = match Policy::from_text(&format!("{name}.rung"), section(text, "policy")) {
        Ok(p) => p,
        Err(diags) => return format!("policy rejected:\n{}", render(&diags)),
    };
    let warnings: Vec<Diag> = std::mem::take(&mut policy.warnings)
        .into_iter()
        .map(Diag::from)
        .collect();
    let mut out = String::new();
    if !warnings.is_empty() {
        out.push_str("check warnings:\n");
        out.push_str(&render(&warnings));
        out.push('\n');
    }
    out + &decide(&policy, text)
}

fn decide(policy: &Policy, text: &str) -> String {
    match policy.facts_from_text("facts.json", section(text, "facts")) {
        Ok(facts) => {
            let first = rung::render::json(&policy.evaluate(&facts).unwrap(), None, None);
            let second = rung::render::json(&policy.evaluate(&facts).unwrap(), None, None);
            assert_eq!(first, second, "evaluation is deterministic");
            first
        }
        Err(diags) => format!("facts rejected:\n{}", render(&diags)),
    }
}

#[test]
fn semantics() {
    insta::glob!("semantics/*.case", |path| {
        let name = path.file_stem().unwrap().to_str().unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        insta::assert_snapshot!(run_case(name, &text));
    });
}
