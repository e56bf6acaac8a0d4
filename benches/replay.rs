//! A daily replay against the evaluation it repeats: the generated campaign
//! (its incidents over the 500 days before `now`) replayed over two years
//! (731 days), beside one decision with JSON parsing included, in one run, so
//! the ratio "replay / one evaluation" is measured on the same machine.
//!
//! Run with `cargo bench --bench replay`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(
    missing_docs,
    reason = "criterion_group! generates an undocumented function"
)]

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rung::Policy;

#[path = "support/generate.rs"]
mod generate;

fn bench(c: &mut Criterion) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("policies/nato");
    let policy = Policy::from_paths(&[dir]).unwrap();
    let now = rung::replay::now_fact(&policy).unwrap();
    let mut group = c.benchmark_group("replay_731_days");
    group.sample_size(10);
    for n in [100usize, 1_000] {
        let text = generate::facts_json(n);
        let facts = policy.facts_from_text("bench.json", &text).unwrap();
        let (_, to) = rung::replay::default_range(&facts, now).unwrap();
        let from = to - 730;
        group.bench_with_input(BenchmarkId::new("replay", n), &facts, |b, f| {
            b.iter(|| rung::replay::replay(&policy, black_box(f), from, to).unwrap())
        });
        group.bench_with_input(
            BenchmarkId::new("one_evaluation_with_json", n),
            &text,
            |b, t| {
                b.iter(|| {
                    let facts = policy.facts_from_text("bench.json", black_box(t)).unwrap();
                    policy.evaluate(&facts).unwrap().decisions.len()
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
