//! The hand-written baseline as a whole process, for `hyperfine` and
//! `/usr/bin/time` beside `rung eval policies/nato --facts FILE --format json`:
//! reads FILE, parses it with typed serde structs, decides, prints the same
//! JSON document as rung.
//!
//! `cargo build --release --example baseline && target/release/examples/baseline big.json`

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(missing_docs, reason = "a measuring tool, not part of the library")]

#[path = "../support/baseline.rs"]
mod baseline;

use std::io::Write as _;

fn main() {
    let path = std::env::args().nth(1).expect("usage: baseline FACTS.json");
    let text = std::fs::read_to_string(&path).expect("readable UTF-8 facts");
    match baseline::run(&text) {
        Ok(out) => std::io::stdout().write_all(out.as_bytes()).unwrap(),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
