//! Deterministic facts for the NATO doctrine, shared by the benchmarks, the
//! hand-written baseline and `benches/e2e.sh` (through `examples/gen_facts`),
//! so every measurement reads the same campaign.

#![allow(
    dead_code,
    reason = "each benchmark includes this module and uses part of it"
)]

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

/// `n` incidents spread over the 500 days before 2025-06-30, as JSON values.
pub fn incidents(n: usize) -> Vec<serde_json::Value> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let victims = [
        "AL", "DE", "EE", "FI", "FR", "LT", "LV", "NL", "PL", "SE", "UA", "GE", "MD", "JP",
    ];
    let allies = ["AL", "DE", "EE", "FI", "FR", "LT", "LV", "NL", "PL", "SE"];
    let attribution = ["none", "low", "moderate", "high"];
    let effect = ["espionage", "influence", "disruption", "destruction"];
    let base = chrono_days(NOW);
    let mut incidents = Vec::with_capacity(n);
    for i in 0..n {
        let victim = rng.pick(&victims);
        let sponsor = if rng.below(10) == 0 {
            None
        } else {
            Some(rng.pick(&SPONSORS))
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
    incidents
}

/// The campaign's `now`.
pub const NOW: &str = "2025-06-30";

const SPONSORS: [&str; 8] = ["RU", "CN", "IR", "KP", "BY", "XX", "YY", "ZZ"];

/// Every sponsor publicly named on 2024-01-15.
pub fn prior_responses() -> serde_json::Value {
    SPONSORS
        .iter()
        .map(|s| serde_json::json!({ "sponsor": s, "rung": "public_attribution", "date": "2024-01-15" }))
        .collect()
}

/// Facts JSON for `n` incidents spread over the last 500 days.
pub fn facts_json(n: usize) -> String {
    serde_json::json!({ "now": NOW, "incidents": incidents(n), "prior_responses": prior_responses() })
        .to_string()
}

fn chrono_days(s: &str) -> i64 {
    i64::from(rung::value::parse_date(s).unwrap())
}

fn date_text(days: i64) -> String {
    rung::value::format_date(days as i32)
}
