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

#[path = "support/generate.rs"]
mod generate;

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

/// The benchmarks' generated incidents, with an actor that needs quoting
/// in a table (a separator and quotes), so the CSV reader pays for quoting.
fn incidents(n: usize) -> Vec<Value> {
    let mut items = generate::incidents(n);
    for item in &mut items {
        item["actor"] = json!("generated, by a \"bench\"");
    }
    items
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
    let priors = generate::prior_responses();
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
