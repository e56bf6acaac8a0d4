//! Same facts, same decisions: generated NATO facts, evaluated from JSON and
//! from tables written from the same records (comma or semicolon, with or
//! without a byte order mark, LF or CRLF, columns shuffled, cells that need
//! quoting), give byte-identical decisions, explanations included.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use rung::eval::Detail;
use rung::facts::table::{TableInput, from_bytes};
use rung::render;
use rung::{Policy, SourceFile};
use serde_json::{Map, Value, json};

/// xorshift64*: small and deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Text that a CSV writer must quote: separators, quotes, line ends,
/// padding, formulas, non-ASCII. Never empty: an empty cell is absent.
fn text(rng: &mut Rng) -> String {
    let parts = [
        "HomeLand Justice",
        "a, b",
        "a; b",
        "say \"hi\"",
        "two\nlines",
        "crlf\r\nend",
        " padded ",
        "=SUM(A1)",
        "Tallinn–Rīga",
        "\t",
        "x",
    ];
    let n = 1 + rng.below(3);
    (0..n)
        .map(|_| rng.pick(&parts))
        .collect::<Vec<_>>()
        .join("")
}

fn incident(rng: &mut Rng, i: usize) -> Value {
    let sponsors = ["RU", "IR", "KP", "CN", "XA"];
    let victims = ["AL", "EE", "LV", "LT", "PL", "UA"];
    let mut o = Map::new();
    o.insert("id".into(), json!(format!("{}-{i}", text(rng))));
    o.insert(
        "date".into(),
        json!(common::day(-(rng.below(800) as i64) + 5)),
    );
    o.insert("victim".into(), json!(rng.pick(&victims)));
    o.insert("victim_is_ally".into(), json!(rng.chance(70)));
    o.insert("actor".into(), json!(text(rng)));
    match rng.below(3) {
        0 => {}
        1 => {
            o.insert("state_sponsor".into(), Value::Null);
        }
        _ => {
            o.insert("state_sponsor".into(), json!(rng.pick(&sponsors)));
        }
    }
    o.insert(
        "attribution".into(),
        json!(rng.pick(&["none", "low", "moderate", "high"])),
    );
    o.insert(
        "effect".into(),
        json!(rng.pick(&["espionage", "influence", "disruption", "destruction"])),
    );
    o.insert("severity".into(), json!(1 + rng.below(5)));
    for f in [
        "critical_infrastructure",
        "casualties",
        "assistance_requested",
        "disclosure_restricted",
    ] {
        o.insert(f.into(), json!(rng.chance(40)));
    }
    Value::Object(o)
}

fn prior(rng: &mut Rng) -> Value {
    json!({
        "sponsor": rng.pick(&["RU", "IR", "KP", "CN", "XA"]),
        "rung": rng.pick(&["monitor", "private_demarche", "public_attribution", "sanctions"]),
        "date": common::day(-(rng.below(1500) as i64)),
    })
}

/// A table of `records` with the columns of `columns`, in a shuffled order.
fn table(rng: &mut Rng, records: &[Value], columns: &[&str], delimiter: u8) -> Vec<u8> {
    let mut order: Vec<&str> = columns.to_vec();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let terminator = if rng.chance(50) {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    let mut out = Vec::new();
    if rng.chance(50) {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(terminator)
            .from_writer(&mut out);
        w.write_record(&order).unwrap();
        for r in records {
            let cells: Vec<String> = order
                .iter()
                .map(|c| match &r[*c] {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect();
            w.write_record(&cells).unwrap();
        }
        w.flush().unwrap();
    }
    // Spreadsheets end with empty rows.
    if rng.chance(30) {
        let empty = vec![char::from(delimiter).to_string(); columns.len() - 1].concat();
        out.extend_from_slice(format!("{empty}\n\n").as_bytes());
    }
    out
}

const INCIDENT_COLUMNS: &[&str] = &[
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

fn decisions(policy: &Policy, facts: &rung::facts::Facts) -> String {
    let run = policy.run(facts, Detail::Traces).unwrap();
    let explanations = run.explanations(&policy.program).unwrap();
    render::json(&run.evaluation, Some(&explanations), None)
}

#[test]
fn tables_decide_as_the_json_they_were_written_from() {
    let policy = common::nato();
    let mut rng = Rng(0x5EED_7AB1E5);
    let mut decided = 0;
    for case in 0..120 {
        let incidents: Vec<Value> = (0..rng.below(25)).map(|i| incident(&mut rng, i)).collect();
        let priors: Vec<Value> = (0..rng.below(4)).map(|_| prior(&mut rng)).collect();
        let doc = json!({ "now": common::NOW, "incidents": incidents, "prior_responses": priors });
        let from_json = policy
            .facts_from_text("facts.json", &doc.to_string())
            .unwrap_or_else(|d| panic!("case {case}: JSON rejected: {d:?}"));
        let expected = decisions(&policy, &from_json);
        decided += usize::from(expected.contains("\"top\""));

        let delimiter = if rng.chance(50) { b',' } else { b';' };
        let now = SourceFile::new("now.json", json!({ "now": common::NOW }).to_string());
        let incidents_csv = table(&mut rng, &incidents, INCIDENT_COLUMNS, delimiter);
        let mut inputs = vec![TableInput {
            fact: "incidents".into(),
            file: from_bytes("incidents.csv", incidents_csv.clone()).unwrap(),
            delimiter: None,
        }];
        // `prior_responses` has a default: sometimes it is left out.
        if !priors.is_empty() || rng.chance(50) {
            let csv = table(&mut rng, &priors, &["sponsor", "rung", "date"], delimiter);
            inputs.push(TableInput {
                fact: "prior_responses".into(),
                file: from_bytes("prior_responses.csv", csv).unwrap(),
                delimiter: None,
            });
        }
        let (from_tables, warnings) = policy
            .facts_with_tables(Some(&now), &inputs)
            .unwrap_or_else(|d| {
                panic!(
                    "case {case}: tables rejected: {}\n{}",
                    rung::diagnostic::render(&d, rung::diagnostic::Style::NoColor, 100),
                    String::from_utf8_lossy(&incidents_csv)
                )
            });
        assert!(warnings.is_empty(), "case {case}: {warnings:?}");
        assert_eq!(
            decisions(&policy, &from_tables),
            expected,
            "case {case}\n{}",
            String::from_utf8_lossy(&incidents_csv)
        );
    }
    assert!(decided > 50, "only {decided} cases made a decision");
}
