//! Instruction counts per decision, for a loaded machine where wall-clock
//! time is noise: loads the 10-incident facts once, then makes N decisions
//! with rung or with the hand-written baseline. Run it under
//! `valgrind --tool=callgrind` (or `perf stat -e instructions`) for two N;
//! the difference over the difference in N is the cost of one decision.
//!
//! `cargo build --release --example decide10 &&
//!  valgrind --tool=callgrind target/release/examples/decide10 rung 1000`

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(missing_docs, reason = "a measuring tool, not part of the library")]

#[path = "../support/baseline.rs"]
#[allow(
    dead_code,
    reason = "the whole-process entry point is used by the example only"
)]
mod baseline;
#[path = "../support/generate.rs"]
mod generate;

use std::hint::black_box;
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args
        .next()
        .expect("usage: decide10 rung|baseline N [INCIDENTS]");
    let n: usize = args.next().and_then(|s| s.parse().ok()).expect("a count N");
    let incidents: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    let text = generate::facts_json(incidents);
    match which.as_str() {
        "rung" => {
            let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("policies/nato");
            let sources = rung::policy::read_sources(&[dir]).unwrap();
            let policy = rung::Policy::from_sources(sources).unwrap();
            let facts = policy.facts_from_text("bench.json", &text).unwrap();
            for _ in 0..n {
                black_box(policy.evaluate(black_box(&facts)).unwrap());
            }
        }
        "baseline" => {
            let typed = baseline::parse(&text).unwrap();
            for _ in 0..n {
                black_box(baseline::evaluate(black_box(&typed)));
            }
        }
        other => panic!("unknown evaluator {other}: rung or baseline"),
    }
}
