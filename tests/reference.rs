//! A differential test: the NATO doctrine of `docs/design.md` written again in plain
//! Rust, straight from the prose (not from `policies/nato/*.rung`), against
//! rung's evaluation of the shipped policy on several hundred random fact
//! sets. The generator is a deterministic xorshift, biased towards every
//! threshold's edge: dates around `now - 365`, `now` and `now + 1`, prior
//! responses around `now - 1095`, severities near the sums, few sponsors and
//! victims so groups collide, absent sponsors, non-allied victims.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use serde_json::{Value, json};

// ---------------------------------------------------------------- the doctrine

/// `none < low < moderate < high`
const HIGH: u8 = 3;
const MODERATE: u8 = 2;
/// `espionage < influence < disruption < destruction`
const DISRUPTION: u8 = 2;
const DESTRUCTION: u8 = 3;

const RESPONSE: [&str; 7] = [
    "monitor",
    "private_demarche",
    "public_attribution",
    "sanctions",
    "collective_response",
    "article_4_consultation",
    "article_5_consideration",
];
const PUBLIC_ATTRIBUTION: usize = 2;
const SANCTIONS: usize = 3;
const COLLECTIVE_RESPONSE: usize = 4;
const ASSISTANCE: [&str; 3] = ["national_handling", "vcisc_support", "hunt_forward"];

#[derive(Debug, Clone)]
struct Incident {
    id: String,
    /// Days since the Unix epoch.
    date: i64,
    victim: String,
    ally: bool,
    sponsor: Option<String>,
    attribution: u8,
    effect: u8,
    severity: i64,
    critical_infrastructure: bool,
    casualties: bool,
    assistance_requested: bool,
    disclosure_restricted: bool,
}

#[derive(Debug, Clone)]
struct PriorResponse {
    sponsor: String,
    /// Index into [`RESPONSE`].
    rung: usize,
    date: i64,
}

#[derive(Debug, Clone)]
struct Facts {
    now: i64,
    incidents: Vec<Incident>,
    prior_responses: Vec<PriorResponse>,
    /// Whether `prior_responses` is written out in the JSON.
    write_priors: bool,
}

/// What matters of a decision: `(top, recommended, forbidden)`.
type Outcome = (Option<String>, Vec<String>, Vec<String>);

/// Decisions keyed by `(ladder, subject)`.
type Decisions = BTreeMap<(String, String), Outcome>;

fn outcome(names: &[&str], recommend: &[bool], forbid: &[bool]) -> Outcome {
    let recommended: Vec<String> = (0..names.len())
        .filter(|&i| recommend[i] && !forbid[i])
        .map(|i| names[i].to_string())
        .collect();
    let forbidden = (0..names.len())
        .filter(|&i| forbid[i])
        .map(|i| names[i].to_string())
        .collect();
    (recommended.last().cloned(), recommended, forbidden)
}

/// The doctrine, sentence by sentence.
fn reference(f: &Facts) -> Decisions {
    let now = f.now;
    // window: incidents with now - 365 days < date <= now.
    let window: Vec<&Incident> = f
        .incidents
        .iter()
        .filter(|i| now - 365 < i.date && i.date <= now)
        .collect();
    let mut out = Decisions::new();

    // Ladder `response`: one subject per distinct non-null sponsor in the window.
    let mut sponsors: Vec<&String> = window.iter().filter_map(|i| i.sponsor.as_ref()).collect();
    sponsors.sort();
    sponsors.dedup();
    for s in sponsors {
        let acts: Vec<&Incident> = window
            .iter()
            .copied()
            .filter(|i| i.sponsor.as_ref() == Some(s))
            .collect();
        let high: Vec<&Incident> = acts
            .iter()
            .copied()
            .filter(|i| i.attribution == HIGH)
            .collect();
        let credible = || acts.iter().filter(|i| i.attribution >= MODERATE);
        let allied_credible: Vec<&Incident> = credible().copied().filter(|i| i.ally).collect();
        let allied_high: Vec<&Incident> = high.iter().copied().filter(|i| i.ally).collect();
        let high_sum: i64 = high.iter().map(|i| i.severity).sum();
        let named_recently = f.prior_responses.iter().any(|p| {
            &p.sponsor == s && p.rung >= PUBLIC_ATTRIBUTION && now - 1095 < p.date && p.date <= now
        });
        let mut victims: Vec<&String> = allied_credible.iter().map(|i| &i.victim).collect();
        victims.sort();
        victims.dedup();

        let mut rec = [false; 7];
        rec[0] = true;
        rec[1] = credible().next().is_some();
        rec[2] = !high.is_empty();
        rec[3] = (high.len() >= 2 && high_sum >= 6)
            || high.iter().any(|i| i.effect == DESTRUCTION)
            || (named_recently && !high.is_empty());
        rec[4] = victims.len() >= 2 && allied_credible.iter().map(|i| i.severity).sum::<i64>() >= 8;
        rec[5] = allied_credible
            .iter()
            .any(|i| i.critical_infrastructure && i.effect >= DISRUPTION && i.severity >= 4);
        rec[6] = allied_high.iter().map(|i| i.severity).sum::<i64>() >= 15
            && allied_high
                .iter()
                .any(|i| i.casualties || (i.effect == DESTRUCTION && i.critical_infrastructure));

        let mut forbid = [false; 7];
        if !high.is_empty() && high.iter().all(|i| i.disclosure_restricted) {
            forbid[PUBLIC_ATTRIBUTION] = true;
            forbid[SANCTIONS] = true;
        }
        if !acts.iter().any(|i| i.ally) {
            for r in forbid.iter_mut().skip(COLLECTIVE_RESPONSE) {
                *r = true;
            }
        }
        out.insert(
            ("response".into(), s.clone()),
            outcome(&RESPONSE, &rec, &forbid),
        );
    }

    // Ladder `assistance`: one subject per distinct victim of an allied window incident.
    let allied: Vec<&Incident> = window.iter().copied().filter(|i| i.ally).collect();
    let mut victims: Vec<&String> = allied.iter().map(|i| &i.victim).collect();
    victims.sort();
    victims.dedup();
    for v in victims {
        let acts: Vec<&Incident> = allied.iter().copied().filter(|i| &i.victim == v).collect();
        let rec = [
            true,
            acts.iter()
                .any(|i| i.assistance_requested && i.severity >= 3),
            acts.iter().any(|i| {
                i.assistance_requested
                    && i.critical_infrastructure
                    && i.attribution >= MODERATE
                    && i.sponsor.is_some()
            }),
        ];
        out.insert(
            ("assistance".into(), v.clone()),
            outcome(&ASSISTANCE, &rec, &[false; 3]),
        );
    }
    out
}

/// The incidents that deserve a warning: dated after `now`.
fn reference_warnings(f: &Facts) -> Vec<String> {
    f.incidents
        .iter()
        .filter(|i| i.date > f.now)
        .map(|i| format!("id \"{}\"", i.id))
        .collect()
}

/// The threshold edges a fact set sits on, to measure the generator: for each
/// sponsor, the sums the doctrine compares, when they are one below or at the
/// threshold; and dates on the window edges.
fn edges(f: &Facts) -> Vec<String> {
    let mut out = Vec::new();
    let now = f.now;
    for i in &f.incidents {
        match i.date - now {
            -365 => out.push("incident at now - 365".into()),
            -364 => out.push("incident at now - 364".into()),
            0 => out.push("incident at now".into()),
            1 => out.push("incident at now + 1".into()),
            _ => {}
        }
    }
    for p in &f.prior_responses {
        match p.date - now {
            -1095 => out.push("prior response at now - 1095".into()),
            -1094 => out.push("prior response at now - 1094".into()),
            1 => out.push("prior response at now + 1".into()),
            _ => {}
        }
    }
    let window: Vec<&Incident> = f
        .incidents
        .iter()
        .filter(|i| now - 365 < i.date && i.date <= now)
        .collect();
    let mut sponsors: Vec<&String> = window.iter().filter_map(|i| i.sponsor.as_ref()).collect();
    sponsors.sort();
    sponsors.dedup();
    for s in sponsors {
        let acts = || window.iter().filter(|i| i.sponsor.as_ref() == Some(s));
        let high = || acts().filter(|i| i.attribution == HIGH);
        let high_sum: i64 = high().map(|i| i.severity).sum();
        if high().count() >= 2 && (high_sum == 5 || high_sum == 6) {
            out.push(format!("two or more high acts summing to {high_sum}"));
        }
        let allied_credible: i64 = acts()
            .filter(|i| i.ally && i.attribution >= MODERATE)
            .map(|i| i.severity)
            .sum();
        if allied_credible == 7 || allied_credible == 8 {
            out.push(format!(
                "allied credible severities summing to {allied_credible}"
            ));
        }
        let allied_high: i64 = high().filter(|i| i.ally).map(|i| i.severity).sum();
        if allied_high == 14 || allied_high == 15 {
            out.push(format!("allied high severities summing to {allied_high}"));
        }
    }
    out
}

// ---------------------------------------------------------------- the generator

/// xorshift64*: small, deterministic, good enough to pick test cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const NOWS: &[&str] = &[
    "2024-06-30",
    "2024-03-01",
    "2025-01-01",
    "2023-12-31",
    "2024-02-29",
];

fn epoch_day(date: &str) -> i64 {
    let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days()
}

fn show_day(days: i64) -> String {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    let d = if days >= 0 {
        epoch.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        epoch.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    d.unwrap().format("%Y-%m-%d").to_string()
}

/// One random fact set. In a "campaign" most acts are confident, severe and
/// recent, so the upper rungs are reached too.
fn generate(rng: &mut Rng, n: usize) -> Facts {
    let now = epoch_day(rng.pick::<&str>(NOWS));
    let campaign = rng.chance(35);
    let count = if campaign {
        3 + rng.below(7) as usize
    } else {
        rng.below(7) as usize
    };
    let sponsors: &[Option<&str>] = &[Some("RU"), Some("RU"), Some("CN"), Some("ru"), None];
    let victims: &[(&str, bool)] = &[("AL", true), ("EE", true), ("LV", true), ("UA", false)];
    let mut incidents = Vec::new();
    for k in 0..count {
        let offset = if rng.chance(if campaign { 15 } else { 40 }) {
            *rng.pick(&[-366, -365, -364, -363, -1, 0, 1, 2])
        } else {
            -(rng.below(if campaign { 300 } else { 420 }) as i64)
        };
        let (victim, usual) = *rng.pick(victims);
        let attribution = if campaign && rng.chance(65) {
            HIGH
        } else {
            rng.below(4) as u8
        };
        let severity = if campaign && rng.chance(60) {
            4 + rng.below(2) as i64
        } else {
            1 + rng.below(5) as i64
        };
        incidents.push(Incident {
            id: format!("i{n}-{k}"),
            date: now + offset,
            victim: victim.to_string(),
            ally: if rng.chance(85) { usual } else { !usual },
            sponsor: if campaign && rng.chance(75) {
                Some("RU".to_string())
            } else {
                rng.pick(sponsors).map(str::to_string)
            },
            attribution,
            effect: rng.below(4) as u8,
            severity,
            critical_infrastructure: rng.chance(45),
            casualties: rng.chance(if campaign { 30 } else { 10 }),
            assistance_requested: rng.chance(45),
            disclosure_restricted: rng.chance(30),
        });
    }
    let mut prior_responses = Vec::new();
    for _ in 0..rng.below(4) {
        let offset = if rng.chance(60) {
            *rng.pick(&[-1096, -1095, -1094, -1093, -1, 0, 1, 2])
        } else {
            -(rng.below(1200) as i64)
        };
        prior_responses.push(PriorResponse {
            sponsor: rng.pick(&["RU", "CN", "ru", "IR"]).to_string(),
            rung: rng.below(RESPONSE.len() as u64) as usize,
            date: now + offset,
        });
    }
    let write_priors = !prior_responses.is_empty() || rng.chance(50);
    Facts {
        now,
        incidents,
        prior_responses,
        write_priors,
    }
}

fn to_json(f: &Facts) -> Value {
    let attribution = ["none", "low", "moderate", "high"];
    let effect = ["espionage", "influence", "disruption", "destruction"];
    let incidents: Vec<Value> = f
        .incidents
        .iter()
        .map(|i| {
            json!({
                "id": i.id,
                "date": show_day(i.date),
                "victim": i.victim,
                "victim_is_ally": i.ally,
                "actor": "APT",
                "state_sponsor": i.sponsor,
                "attribution": attribution[i.attribution as usize],
                "effect": effect[i.effect as usize],
                "severity": i.severity,
                "critical_infrastructure": i.critical_infrastructure,
                "casualties": i.casualties,
                "assistance_requested": i.assistance_requested,
                "disclosure_restricted": i.disclosure_restricted,
            })
        })
        .collect();
    let mut v = json!({ "now": show_day(f.now), "incidents": incidents });
    if f.write_priors {
        v["prior_responses"] = f
            .prior_responses
            .iter()
            .map(|p| json!({ "sponsor": p.sponsor, "rung": RESPONSE[p.rung], "date": show_day(p.date) }))
            .collect();
    }
    v
}

// ---------------------------------------------------------------- the comparison

/// A run with traces (behind the human output and `--explain`) decides as
/// a run without them, and its explanations name the same subjects, and the
/// rules they say fired are the rules the decision gives as reasons.
fn explanations_agree(policy: &rung::Policy, json: &Value, ev: &rung::Evaluation) {
    let facts = policy
        .facts_from_text("facts.json", &json.to_string())
        .unwrap();
    let run = policy.run(&facts, rung::eval::Detail::Traces).unwrap();
    assert_eq!(&run.evaluation, ev, "traces change no decision");
    let explanations = run.explanations(&policy.program).unwrap();
    assert_eq!(explanations.len(), ev.decisions.len());
    for (x, d) in explanations.iter().zip(&ev.decisions) {
        assert_eq!(
            (x.ladder.as_str(), x.subject.as_str()),
            (&*d.ladder, &*d.subject)
        );
        let mut fired: Vec<&str> = x
            .rules
            .iter()
            .filter(|r| r.outcome == rung::eval::explain::Outcome::Fired)
            .map(|r| r.rule.as_str())
            .collect();
        let mut reasons: Vec<&str> = d.reasons.iter().map(|r| &*r.rule).collect();
        fired.sort_unstable();
        reasons.sort_unstable();
        reasons.dedup();
        assert_eq!(fired, reasons, "{} {}", d.ladder, d.subject);
    }
}

const CASES: usize = 2000;

#[test]
fn rung_agrees_with_the_reference() {
    let policy = common::nato();
    let ladder_order: Vec<String> = policy
        .program
        .schema
        .ladders
        .iter()
        .map(|l| l.name.clone())
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut failures = Vec::new();
    let mut hits: BTreeMap<String, usize> = BTreeMap::new();
    let mut decisions = 0;
    for n in 0..CASES {
        let facts = generate(&mut rng, n);
        let json = to_json(&facts);
        let ev = common::evaluate(&policy, &json);

        // Output order: ladder declaration order, then subject byte order.
        let keys: Vec<(usize, &[u8])> = ev
            .decisions
            .iter()
            .map(|d| {
                let ladder = ladder_order.iter().position(|l| **l == *d.ladder).unwrap();
                (ladder, d.subject.as_bytes())
            })
            .collect();
        assert!(
            keys.windows(2).all(|w| w[0] < w[1]),
            "decisions out of order: {keys:?}"
        );
        assert!(ev.errors.is_empty(), "{:?}", ev.errors);

        let got: Decisions = ev
            .decisions
            .iter()
            .map(|d| {
                assert_eq!(d.status, rung::Status::Complete);
                assert!(d.errors.is_empty());
                let names = |v: &[rung::decision::Name]| {
                    v.iter().map(|r| r.to_string()).collect::<Vec<_>>()
                };
                (
                    (d.ladder.to_string(), d.subject.to_string()),
                    (
                        d.top.as_deref().map(str::to_string),
                        names(&d.recommended),
                        names(&d.forbidden),
                    ),
                )
            })
            .collect();
        explanations_agree(&policy, &json, &ev);
        let want = reference(&facts);
        for ((ladder, _), (_, rec, forb)) in &want {
            for r in rec {
                *hits.entry(format!("{ladder} recommends {r}")).or_default() += 1;
            }
            for r in forb {
                *hits.entry(format!("{ladder} forbids {r}")).or_default() += 1;
            }
        }
        decisions += want.len();
        for e in edges(&facts) {
            *hits.entry(format!("edge: {e}")).or_default() += 1;
        }
        let got_warnings: Vec<String> = ev.warnings.iter().map(|w| w.item.clone()).collect();
        if got != want || got_warnings != reference_warnings(&facts) {
            failures.push(format!(
                "case {n}:\nfacts: {}\nrung:      {got:#?}\nreference: {want:#?}\nwarnings: {got_warnings:?}",
                serde_json::to_string_pretty(&json).unwrap()
            ));
        }
    }
    eprintln!("{CASES} fact sets, {decisions} decisions; how often each rung was reached:");
    for (what, count) in &hits {
        eprintln!("  {count:5}  {what}");
    }
    assert!(
        failures.is_empty(),
        "{} of {CASES} fact sets disagree; the first:\n{}",
        failures.len(),
        failures[0]
    );
    // The generator must reach every rung and every forbid, or the
    // comparison proves little.
    for r in RESPONSE {
        assert!(
            hits.get(&format!("response recommends {r}"))
                .copied()
                .unwrap_or(0)
                >= 10,
            "{r} rarely reached"
        );
    }
    for r in ASSISTANCE {
        assert!(
            hits.get(&format!("assistance recommends {r}"))
                .copied()
                .unwrap_or(0)
                >= 10,
            "{r} rarely reached"
        );
    }
    let edge_count = hits.keys().filter(|k| k.starts_with("edge: ")).count();
    assert_eq!(edge_count, 13, "every edge is reached");
    for (what, count) in &hits {
        assert!(
            !what.starts_with("edge: ") || *count >= 5,
            "{what} rarely reached"
        );
    }
    for r in &RESPONSE[PUBLIC_ATTRIBUTION..] {
        assert!(
            hits.get(&format!("response forbids {r}"))
                .copied()
                .unwrap_or(0)
                >= 10,
            "forbid {r} rarely reached"
        );
    }
}
