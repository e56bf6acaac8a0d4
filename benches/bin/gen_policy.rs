//! Writes a generated policy of N rules (the NATO schema and window, and one
//! rules block) into DIR, for timing and profiling `rung check DIR`.
//!
//! `cargo run --release --example gen_policy -- 5000 /tmp/p5k`

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(missing_docs, reason = "a measuring tool, not part of the library")]

#[path = "../support/policy.rs"]
mod policy;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .expect("usage: gen_policy N DIR")
        .parse()
        .expect("N: a number");
    let dir = std::path::PathBuf::from(args.next().expect("usage: gen_policy N DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in policy::policy_files(n) {
        std::fs::write(dir.join(name), text).unwrap();
    }
}
