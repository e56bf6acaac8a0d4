//! Policy text → parse and check. Any bytes that are UTF-8 are a policy
//! file; the checked policy's warnings and the errors are rendered as the
//! CLI renders them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rung::{Diag, Policy};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Policy::from_text("fuzz.rung", text) {
        Ok(policy) => {
            let warnings: Vec<Diag> = policy.warnings.into_iter().map(Diag::from).collect();
            rung_fuzz::render_diags(&warnings);
        }
        Err(diags) => rung_fuzz::render_diags(&diags),
    }
});
