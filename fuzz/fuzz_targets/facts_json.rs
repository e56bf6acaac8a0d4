//! Facts bytes → load against the NATO schema; when they load, evaluate the
//! doctrine over them (cheaply: no replay).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let policy = rung_fuzz::nato();
    match policy.facts_with_warnings(&rung_fuzz::source("facts.json", text)) {
        Ok((facts, warnings)) => {
            rung_fuzz::render_diags(&warnings);
            rung_fuzz::evaluate_all(policy, &facts, 0);
        }
        Err(diags) => rung_fuzz::render_diags(&diags),
    }
});
