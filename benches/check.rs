//! `rung check` of generated policies of 1,000, 5,000 and 10,000 rules (the
//! NATO schema and window, one rules block; `benches/support/policy.rs`):
//! parse and check, to show the cost is linear in the number of rules.
//!
//! Run with `cargo bench --bench check`.

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

#[path = "support/policy.rs"]
mod policy;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rung::{Policy, SourceFile};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("check_generated_rules");
    group.sample_size(10);
    for n in [1_000usize, 5_000, 10_000] {
        let sources: Vec<_> = policy::policy_files(n)
            .into_iter()
            .map(|(name, text)| SourceFile::new(name, text))
            .collect();
        // The generated policy must be a valid one, or the bench measures errors.
        let checked = Policy::from_sources(sources.clone()).unwrap();
        assert_eq!(
            checked
                .program
                .blocks
                .iter()
                .map(|b| b.rules.len())
                .sum::<usize>(),
            n
        );
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &sources, |b, s| {
            b.iter(|| Policy::from_sources(black_box(s.clone())).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
