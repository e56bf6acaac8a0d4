//! Policy and facts → evaluate. Both come from the grammar-aware generators
//! (a well-typed policy over the NATO schema, facts shaped like the NATO
//! examples), so most inputs check and load and the evaluator, the
//! explanations, both renderers and a replay of a few days all run.
//! Evaluation must terminate (libFuzzer's `-timeout`) and never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rung::Policy;
use rung_fuzz::facts_gen::GeneratedFacts;
use rung_fuzz::policy_gen::GeneratedPolicy;

#[derive(Debug, arbitrary::Arbitrary)]
struct Input {
    policy: GeneratedPolicy,
    facts: GeneratedFacts,
    days: u8,
}

fuzz_target!(|input: Input| {
    let policy = match Policy::from_text("gen.rung", &input.policy.text) {
        Ok(p) => p,
        Err(diags) => {
            rung_fuzz::render_diags(&diags);
            return;
        }
    };
    match policy.facts_with_warnings(&rung_fuzz::source("facts.json", &input.facts.text)) {
        Ok((facts, _)) => rung_fuzz::evaluate_all(&policy, &facts, i32::from(input.days % 8)),
        Err(diags) => rung_fuzz::render_diags(&diags),
    }
});
