//! A generated policy of N rules over the NATO schema and window, for
//! measuring `rung check` (`benches/check.rs`, `benches/bin/gen_policy.rs`):
//! the response ladder and one rules block of N distinct labelled rules whose
//! conditions are shaped like those of `policies/nato/response.rung`.

const RUNGS: [&str; 7] = [
    "monitor",
    "private_demarche",
    "public_attribution",
    "sanctions",
    "collective_response",
    "article_4_consultation",
    "article_5_consideration",
];

/// The `.rung` texts (name, text) of the policy: the doctrine's schema and
/// window, and the generated rules.
pub fn policy_files(rules: usize) -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/nato");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    vec![
        ("schema.rung".into(), read("schema.rung")),
        ("window.rung".into(), read("window.rung")),
        ("rules.rung".into(), rules_text(rules)),
    ]
}

/// The ladder and one rules block with `n` rules.
pub fn rules_text(n: usize) -> String {
    let mut s = String::with_capacity(n * 160 + 2048);
    s.push_str("ladder response \"Responses against a state sponsor\" {\n");
    for r in RUNGS {
        s.push_str(&format!("  {r} \"{r}\"\n"));
    }
    s.push_str("}\n\n");
    s.push_str(
        "rules response for each state, acts in window grouped by state_sponsor {\n\
         \x20 let high_acts = acts where attribution == high\n\
         \x20 let credible_acts = acts where attribution >= moderate\n\
         \x20 let allied_credible = credible_acts where victim_is_ally\n\
         \x20 let allied_high = high_acts where victim_is_ally\n\
         \x20 let recent_public_responses = prior_responses\n\
         \x20   where sponsor == state and rung >= public_attribution and date > now - 1095d and date <= now\n\n",
    );
    for i in 0..n {
        let rung = RUNGS[i % RUNGS.len()];
        let k = i / RUNGS.len();
        let (effect, when) = match i % 8 {
            0 => (
                format!("recommend {rung}"),
                format!(
                    "count(high_acts) >= {} and sum(high_acts.severity) >= {}",
                    1 + k % 5,
                    3 + k % 17
                ),
            ),
            1 => (
                format!("recommend {rung}"),
                format!(
                    "any acts has (attribution >= moderate and severity >= {})",
                    1 + k % 5
                ),
            ),
            2 => (
                format!("recommend {rung}"),
                format!(
                    "count(distinct(allied_credible.victim)) >= {} and sum(allied_credible.severity) >= {}",
                    1 + k % 4,
                    k % 30
                ),
            ),
            3 => (
                format!("recommend {rung}"),
                format!(
                    "any allied_credible has (critical_infrastructure and effect >= disruption and severity >= {})",
                    1 + k % 5
                ),
            ),
            4 => (
                format!("recommend {rung}"),
                format!(
                    "count(recent_public_responses) >= 1 and count(high_acts) >= {}",
                    1 + k % 9
                ),
            ),
            5 => (
                format!("recommend {rung}"),
                format!(
                    "sum(allied_high.severity) >= {} and any allied_high has (casualties or (effect == destruction and critical_infrastructure))",
                    5 + k % 20
                ),
            ),
            6 => (
                format!("forbid {rung} and above"),
                format!(
                    "no acts has victim_is_ally and count(acts) >= {}",
                    1 + k % 50
                ),
            ),
            _ => (
                format!("forbid monitor to {rung}"),
                format!(
                    "count(high_acts) >= {} and all high_acts have disclosure_restricted",
                    1 + k % 7
                ),
            ),
        };
        s.push_str(&format!(
            "  rule_{i}: {effect}\n    when {when}\n    because \"Generated rule {i}\"\n\n"
        ));
    }
    s.push_str("}\n");
    s
}
