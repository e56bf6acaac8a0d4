//! How far the grammar-aware generator gets: over N pseudo-random inputs
//! (or every file of a corpus directory), the fraction of generated
//! policies that check, and of those, the fraction whose generated facts
//! load (so that evaluation runs), and how many evaluations decide
//! something or report a rule that failed at run time.
//!
//!     cargo run --release --example gen_stats -- 10000
//!     cargo run --release --example gen_stats -- corpus/eval

use arbitrary::{Arbitrary, Unstructured};
use rung::Policy;
use rung_fuzz::facts_gen::GeneratedFacts;
use rung_fuzz::policy_gen::GeneratedPolicy;

/// splitmix64: deterministic input bytes.
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed;
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        out.extend_from_slice(&z.to_le_bytes());
    }
    out
}

fn main() {
    let arg = std::env::args().nth(1).unwrap_or_else(|| "10000".into());
    let inputs: Vec<Vec<u8>> = match arg.parse::<u64>() {
        Ok(n) => (0..n)
            .map(|s| bytes(s, 64 + (s as usize % 8) * 256))
            .collect(),
        Err(_) => std::fs::read_dir(&arg)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter_map(|e| std::fs::read(e.path()).ok())
                    .collect()
            })
            .unwrap_or_default(),
    };
    let (mut total, mut sloppy, mut checked, mut checked_sloppy, mut loaded) = (0, 0, 0, 0, 0);
    let (mut decided, mut rule_errors) = (0, 0);
    let mut first_errors: std::collections::BTreeMap<String, usize> = Default::default();
    for data in &inputs {
        let mut u = Unstructured::new(data);
        let Ok(policy) = GeneratedPolicy::arbitrary(&mut u) else {
            continue;
        };
        let Ok(facts) = GeneratedFacts::arbitrary(&mut u) else {
            continue;
        };
        total += 1;
        sloppy += usize::from(policy.sloppy);
        match Policy::from_text("gen.rung", &policy.text) {
            Ok(p) => {
                checked += 1;
                checked_sloppy += usize::from(policy.sloppy);
                if let Ok(f) = p.facts_from_text("facts.json", &facts.text) {
                    loaded += 1;
                    if let Ok(e) = p.evaluate(&f) {
                        decided += usize::from(!e.decisions.is_empty());
                        rule_errors += usize::from(!e.errors.is_empty());
                    }
                }
            }
            Err(diags) => {
                if let Some(d) = diags.first() {
                    let code = miette::Diagnostic::code(d)
                        .map(|c| c.to_string())
                        .unwrap_or_default();
                    *first_errors.entry(code).or_default() += 1;
                    if std::env::var_os("SHOW").is_some() {
                        eprintln!("{}\n{:?}\n", policy.text, d);
                    }
                }
            }
        }
    }
    let pct = |a: usize, b: usize| {
        if b == 0 {
            0.0
        } else {
            100.0 * a as f64 / b as f64
        }
    };
    println!("generated policies:        {total} ({sloppy} sloppy on purpose)");
    println!(
        "check successfully:        {checked} ({:.1}%; {:.1}% of the non-sloppy ones)",
        pct(checked, total),
        pct(checked - checked_sloppy, total - sloppy)
    );
    println!(
        "facts load too (eval runs): {loaded} ({:.1}%)",
        pct(loaded, total)
    );
    println!(
        "at least one decision:      {decided} ({:.1}%)",
        pct(decided, total)
    );
    println!(
        "a rule failed at run time:  {rule_errors} ({:.1}%)",
        pct(rule_errors, total)
    );
    println!("first error of the rest, by code:");
    for (code, n) in &first_errors {
        println!("  {n:6}  {code}");
    }
}
