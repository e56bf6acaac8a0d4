//! Prints what an `eval` fuzz input means: the generated policy, then the
//! generated facts, so that a finding can become a readable regression case
//! (`tests/fuzz_regressions/eval/NAME.rung` and `NAME.json`).
//!
//!     cargo run --example decode -- artifacts/eval/crash-...
//!     cargo run --example decode -- artifacts/eval/crash-... tests/fuzz_regressions/eval/NAME

use arbitrary::{Arbitrary, Unstructured};
use rung_fuzz::facts_gen::GeneratedFacts;
use rung_fuzz::policy_gen::GeneratedPolicy;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: decode INPUT [OUT_STEM]");
        std::process::exit(2);
    };
    let data = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let mut u = Unstructured::new(&data);
    let (Ok(policy), Ok(facts), Ok(days)) = (
        GeneratedPolicy::arbitrary(&mut u),
        GeneratedFacts::arbitrary(&mut u),
        u8::arbitrary(&mut u),
    ) else {
        eprintln!("{path}: not enough bytes for an input");
        std::process::exit(1);
    };
    match args.next() {
        Some(stem) => {
            let write = |ext: &str, text: &str| {
                let out = format!("{stem}.{ext}");
                if let Err(e) = std::fs::write(&out, text) {
                    eprintln!("{out}: {e}");
                    std::process::exit(1);
                }
            };
            write("rung", &policy.text);
            write("json", &format!("{}\n", facts.text));
            eprintln!("replay days: {}", days % 8);
        }
        None => {
            println!("{}", policy.text);
            println!("# --- facts (replay {} days)", days % 8);
            println!("{}", facts.text);
        }
    }
}
