//! Benchmarks of the reference doctrine: parse + check, and decisions over
//! generated campaigns of 10, 10,000 and 100,000 incidents, with the facts
//! already loaded and with JSON parsing included.
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

/// A deterministic xorshift generator, so every run measures the same facts.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Facts JSON for `n` incidents spread over the last 500 days.
fn facts_json(n: usize) -> String {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let sponsors = ["RU", "CN", "IR", "KP", "BY", "XX", "YY", "ZZ"];
    let victims = [
        "AL", "DE", "EE", "FI", "FR", "LT", "LV", "NL", "PL", "SE", "UA", "GE", "MD", "JP",
    ];
    let allies = ["AL", "DE", "EE", "FI", "FR", "LT", "LV", "NL", "PL", "SE"];
    let attribution = ["none", "low", "moderate", "high"];
    let effect = ["espionage", "influence", "disruption", "destruction"];
    let base = chrono_days("2025-06-30");
    let mut incidents = Vec::with_capacity(n);
    for i in 0..n {
        let victim = rng.pick(&victims);
        let sponsor = if rng.below(10) == 0 {
            None
        } else {
            Some(rng.pick(&sponsors))
        };
        let date = date_text(base - rng.below(500) as i64);
        incidents.push(serde_json::json!({
            "id": format!("INC-{i}"),
            "date": date,
            "victim": victim,
            "victim_is_ally": allies.contains(&victim),
            "actor": "generated",
            "state_sponsor": sponsor,
            "attribution": rng.pick(&attribution),
            "effect": rng.pick(&effect),
            "severity": 1 + rng.below(5),
            "critical_infrastructure": rng.below(3) == 0,
            "casualties": rng.below(50) == 0,
            "assistance_requested": rng.below(4) == 0,
            "disclosure_restricted": rng.below(6) == 0,
        }));
    }
    let prior: Vec<_> = sponsors
        .iter()
        .map(|s| serde_json::json!({ "sponsor": s, "rung": "public_attribution", "date": "2024-01-15" }))
        .collect();
    serde_json::json!({ "now": "2025-06-30", "incidents": incidents, "prior_responses": prior })
        .to_string()
}

fn chrono_days(s: &str) -> i64 {
    i64::from(rung::value::parse_date(s).unwrap())
}

fn date_text(days: i64) -> String {
    rung::value::format_date(days as i32)
}

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
    let mut loaded = c.benchmark_group("decision_facts_loaded");
    for n in [10usize, 10_000, 100_000] {
        let facts = policy
            .facts_from_text("bench.json", &facts_json(n))
            .unwrap();
        loaded.throughput(Throughput::Elements(n as u64));
        if n >= 100_000 {
            loaded.sample_size(10);
        }
        loaded.bench_with_input(BenchmarkId::from_parameter(n), &facts, |b, f| {
            b.iter(|| policy.evaluate(black_box(f)).unwrap())
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
        end_to_end.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, t| {
            b.iter(|| {
                let facts = policy.facts_from_text("bench.json", black_box(t)).unwrap();
                policy.evaluate(&facts).unwrap()
            })
        });
    }
    end_to_end.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
