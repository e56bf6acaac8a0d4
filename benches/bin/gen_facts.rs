//! Writes the benchmarks' generated facts for N incidents to standard output,
//! so `benches/e2e.sh` measures the campaign the criterion benches measure.
//!
//! `cargo run --release --example gen_facts -- 100000 > big.json`

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(missing_docs, reason = "a measuring tool, not part of the library")]

#[path = "../support/generate.rs"]
mod generate;

use std::io::Write as _;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map_or(100_000, |a| a.parse().expect("N: a number of incidents"));
    std::io::stdout()
        .write_all(generate::facts_json(n).as_bytes())
        .unwrap();
}
