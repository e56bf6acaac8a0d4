//! Reading facts: the same 100,000 incidents from JSON and from a CSV table
//! (with `now` and the prior responses from a small JSON document), through
//! the library's front door, so what is measured is what `rung eval` pays.
//!
//! Run with `cargo bench --bench tables`.

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
use rung::facts::table::TableInput;
use rung::{Policy, SourceFile};
use serde_json::{Value, json};

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

const COLUMNS: [&str; 13] = [
    "id",
    "date",
    "victim",
    "victim_is_ally",
    "actor",
    "state_sponsor",
    "attribution",
    "effect",
    "severity",
    "critical_infrastructure",
    "casualties",
    "assistance_requested",
    "disclosure_restricted",
];

/// `n` incidents spread over the last 500 days before 2025-06-30.
fn incidents(n: usize) -> Vec<Value> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let sponsors = ["RU", "CN", "IR", "KP", "BY", "XX", "YY", "ZZ"];
    let victims = [
        "AL", "DE", "EE", "FI", "FR", "LT", "LV", "NL", "PL", "SE", "UA", "GE", "MD", "JP",
    ];
    let allies = ["AL", "DE", "EE", "FI", "FR", "LT", "LV", "NL", "PL", "SE"];
    let base = i64::from(rung::value::parse_date("2025-06-30").unwrap());
    (0..n)
        .map(|i| {
            let victim = rng.pick(&victims);
            let sponsor = (rng.below(10) != 0).then(|| rng.pick(&sponsors));
            json!({
                "id": format!("INC-{i}"),
                "date": rung::value::format_date((base - rng.below(500) as i64) as i32),
                "victim": victim,
                "victim_is_ally": allies.contains(&victim),
                "actor": "generated, by a \"bench\"",
                "state_sponsor": sponsor,
                "attribution": rng.pick(&["none", "low", "moderate", "high"]),
                "effect": rng.pick(&["espionage", "influence", "disruption", "destruction"]),
                "severity": 1 + rng.below(5),
                "critical_infrastructure": rng.below(3) == 0,
                "casualties": rng.below(50) == 0,
                "assistance_requested": rng.below(4) == 0,
                "disclosure_restricted": rng.below(6) == 0,
            })
        })
        .collect()
}

fn csv(items: &[Value]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS).unwrap();
    for item in items {
        w.write_record(COLUMNS.iter().map(|c| match &item[*c] {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }))
        .unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

fn bench(c: &mut Criterion) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("policies/nato");
    let policy = Policy::from_paths(&[dir]).unwrap();
    let priors = json!([{ "sponsor": "RU", "rung": "public_attribution", "date": "2024-01-15" }]);
    let mut group = c.benchmark_group("read_facts");
    for n in [10_000usize, 100_000] {
        let items = incidents(n);
        let json_text =
            json!({ "now": "2025-06-30", "incidents": items, "prior_responses": priors })
                .to_string();
        let table_text = csv(&items);
        let now_text = json!({ "now": "2025-06-30", "prior_responses": priors }).to_string();
        group.throughput(Throughput::Elements(n as u64));
        group.sample_size(10);
        group.bench_with_input(BenchmarkId::new("json", n), &json_text, |b, t| {
            b.iter(|| policy.facts_from_text("bench.json", black_box(t)).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("table", n), &table_text, |b, t| {
            b.iter(|| {
                let now = SourceFile::new("now.json", now_text.as_str());
                let input = TableInput {
                    fact: "incidents".into(),
                    file: SourceFile::new("incidents.csv", black_box(t.as_str())),
                    delimiter: None,
                };
                policy.facts_with_tables(Some(&now), &[input]).unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
