//! Benchmarks of the reference doctrine: parse + check, and decisions over
//! generated campaigns of 10, 10,000 and 100,000 incidents, with the facts
//! already loaded and with JSON parsing included; beside each, the
//! hand-written typed-serde baseline (`benches/support/baseline.rs`) on the
//! same facts, so the ratio is measured in one run.
//!
//! Run with `cargo bench --bench eval`.

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

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rung::{Policy, SourceFile};

#[path = "support/baseline.rs"]
#[allow(
    dead_code,
    reason = "the whole-process entry point is used by the example only"
)]
mod baseline;
#[path = "support/generate.rs"]
mod generate;

use generate::facts_json;

fn doctrine_sources() -> Vec<std::sync::Arc<SourceFile>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("policies/nato");
    rung::policy::read_sources(&[dir]).unwrap()
}

fn bench(c: &mut Criterion) {
    let sources = doctrine_sources();
    c.bench_function("parse_and_check_doctrine", |b| {
        b.iter(|| Policy::from_sources(black_box(sources.clone())).unwrap())
    });

    let policy = Policy::from_sources(sources).unwrap();
    // The baseline is only a yardstick if it decides what rung decides.
    for n in [10usize, 10_000] {
        let text = facts_json(n);
        let facts = policy.facts_from_text("bench.json", &text).unwrap();
        let ours = rung::render::json(&policy.evaluate(&facts).unwrap(), None, None);
        assert_eq!(
            ours,
            baseline::run(&text).unwrap(),
            "baseline disagrees at n = {n}"
        );
    }
    let mut loaded = c.benchmark_group("decision_facts_loaded");
    for n in [10usize, 10_000, 100_000] {
        let facts = policy
            .facts_from_text("bench.json", &facts_json(n))
            .unwrap();
        loaded.throughput(Throughput::Elements(n as u64));
        if n >= 100_000 {
            loaded.sample_size(10);
        }
        loaded.bench_with_input(BenchmarkId::new("rung", n), &facts, |b, f| {
            b.iter(|| policy.evaluate(black_box(f)).unwrap())
        });
        let typed = baseline::parse(&facts_json(n)).unwrap();
        loaded.bench_with_input(BenchmarkId::new("baseline", n), &typed, |b, f| {
            b.iter(|| baseline::evaluate(black_box(f)))
        });
    }
    loaded.finish();

    let mut end_to_end = c.benchmark_group("decision_with_json_parsing");
    for n in [10usize, 10_000, 100_000] {
        let text = facts_json(n);
        end_to_end.throughput(Throughput::Bytes(text.len() as u64));
        if n >= 100_000 {
            end_to_end.sample_size(10);
        }
        end_to_end.bench_with_input(BenchmarkId::new("rung", n), &text, |b, t| {
            b.iter(|| {
                let facts = policy.facts_from_text("bench.json", black_box(t)).unwrap();
                policy.evaluate(&facts).unwrap()
            })
        });
        end_to_end.bench_with_input(BenchmarkId::new("baseline", n), &text, |b, t| {
            b.iter(|| baseline::evaluate(&baseline::parse(black_box(t)).unwrap()))
        });
    }
    end_to_end.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
