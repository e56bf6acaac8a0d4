//! The NATO doctrine (`policies/nato/*.rung`) written by hand in Rust with
//! typed serde structs: the yardstick rung's speed and memory are measured
//! against. It reads the same facts, checks what the schema checks (enum
//! values, dates, `severity in 1..5`, unique `id`), decides every subject of
//! both ladders and writes the same JSON document as `rung eval --format
//! json`, byte for byte, so `benches/e2e.sh` can compare the two outputs.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Deserializer, Serialize};

/// `none < low < moderate < high`
#[derive(Deserialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Attribution {
    None,
    Low,
    Moderate,
    High,
}

/// `espionage < influence < disruption < destruction`
#[derive(Deserialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    Espionage,
    Influence,
    Disruption,
    Destruction,
}

/// One incident, as the schema declares it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    pub id: String,
    #[serde(deserialize_with = "date")]
    pub date: i32,
    pub victim: String,
    pub victim_is_ally: bool,
    #[allow(dead_code, reason = "read so that its type is checked, as rung does")]
    pub actor: String,
    pub state_sponsor: Option<String>,
    pub attribution: Attribution,
    pub effect: Effect,
    pub severity: i64,
    pub critical_infrastructure: bool,
    pub casualties: bool,
    pub assistance_requested: bool,
    pub disclosure_restricted: bool,
}

/// A response already taken against a sponsor.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorResponse {
    pub sponsor: String,
    /// Index into [`RESPONSE`].
    #[serde(deserialize_with = "response_rung")]
    pub rung: usize,
    #[serde(deserialize_with = "date")]
    pub date: i32,
}

/// The facts document.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    #[serde(deserialize_with = "date")]
    pub now: i32,
    pub incidents: Vec<Incident>,
    #[serde(default)]
    pub prior_responses: Vec<PriorResponse>,
}

fn date<'de, D: Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
    let s = <&str>::deserialize(d)?;
    rung::value::parse_date(s).ok_or_else(|| serde::de::Error::custom(format!("bad date {s}")))
}

fn response_rung<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let s = <&str>::deserialize(d)?;
    RESPONSE
        .iter()
        .position(|r| *r == s)
        .ok_or_else(|| serde::de::Error::custom(format!("bad rung {s}")))
}

const RESPONSE: [&str; 7] = [
    "monitor",
    "private_demarche",
    "public_attribution",
    "sanctions",
    "collective_response",
    "article_4_consultation",
    "article_5_consideration",
];
const ASSISTANCE: [&str; 3] = ["national_handling", "vcisc_support", "hunt_forward"];

const VILNIUS_COSTS: &str =
    "NATO Vilnius Summit Communiqué (2023): move beyond naming and shaming towards imposing costs";

/// A rule of the doctrine: name, effect, rungs, reason, citation.
struct Rule {
    name: &'static str,
    forbid: bool,
    lo: usize,
    hi: usize,
    because: &'static str,
    cites: Option<&'static str>,
}

const RESPONSE_RULES: [Rule; 11] = [
    Rule {
        name: "always_monitor",
        forbid: false,
        lo: 0,
        hi: 0,
        because: "Every state held responsible for an incident in the window is monitored",
        cites: None,
    },
    Rule {
        name: "credible_attribution",
        forbid: false,
        lo: 1,
        hi: 1,
        because: "A credible attribution supports a private démarche",
        cites: None,
    },
    Rule {
        name: "high_attribution",
        forbid: false,
        lo: 2,
        hi: 2,
        because: "High-confidence attribution allows publicly naming the state",
        cites: None,
    },
    Rule {
        name: "repeated_high_confidence",
        forbid: false,
        lo: 3,
        hi: 3,
        because: "Repeated, serious, confidently attributed acts call for imposing costs",
        cites: Some(VILNIUS_COSTS),
    },
    Rule {
        name: "destructive_attack",
        forbid: false,
        lo: 3,
        hi: 3,
        because: "A confidently attributed destructive act calls for imposing costs",
        cites: Some(VILNIUS_COSTS),
    },
    Rule {
        name: "naming_did_not_deter",
        forbid: false,
        lo: 3,
        hi: 3,
        because: "The state was already publicly named in the last three years and acts again: move beyond naming and shaming",
        cites: Some(VILNIUS_COSTS),
    },
    Rule {
        name: "campaign_against_allies",
        forbid: false,
        lo: 4,
        hi: 4,
        because: "A credible campaign against several allies calls for a collective response",
        cites: Some("NATO Vilnius Summit Communiqué (2023): collective responses"),
    },
    Rule {
        name: "critical_infrastructure_attack",
        forbid: false,
        lo: 5,
        hi: 5,
        because: "A credible, severe disruption of an ally's critical infrastructure warrants consultation",
        cites: Some("North Atlantic Treaty, Article 4"),
    },
    Rule {
        name: "cumulative_armed_attack",
        forbid: false,
        lo: 6,
        hi: 6,
        because: "A cumulative set of malicious cyber activities might rise to the level of armed attack",
        cites: Some(
            "NATO Vilnius Summit Communiqué (2023): a cumulative set of malicious cyber activities might rise to the level of armed attack",
        ),
    },
    Rule {
        name: "restricted_intelligence",
        forbid: true,
        lo: 2,
        hi: 3,
        because: "Every high-confidence attribution rests on intelligence that cannot yet be released",
        cites: None,
    },
    Rule {
        name: "no_allied_victim",
        forbid: true,
        lo: 4,
        hi: 6,
        because: "No ally was affected: collective and treaty responses do not apply",
        cites: None,
    },
];

const ASSISTANCE_RULES: [Rule; 3] = [
    Rule {
        name: "national_handling_always",
        forbid: false,
        lo: 0,
        hi: 0,
        because: "Every allied victim handles its incidents nationally first",
        cites: None,
    },
    Rule {
        name: "support_requested",
        forbid: false,
        lo: 1,
        hi: 1,
        because: "The ally asked for help with a serious incident",
        cites: Some(
            "NATO Vilnius Summit Communiqué (2023): Virtual Cyber Incident Support Capability",
        ),
    },
    Rule {
        name: "hunt_forward_warranted",
        forbid: false,
        lo: 2,
        hi: 2,
        because: "A credibly state-sponsored attack on the ally's critical infrastructure, with help requested, warrants hunting forward",
        cites: None,
    },
];

/// The JSON document `rung eval --format json` writes.
#[derive(Serialize)]
pub struct Document {
    pub decisions: Vec<Decision>,
    pub warnings: Vec<Warning>,
    pub errors: Vec<()>,
}

/// One decision, in rung's JSON shape.
#[derive(Serialize)]
pub struct Decision {
    pub ladder: &'static str,
    pub subject: String,
    pub status: &'static str,
    pub top: Option<&'static str>,
    pub recommended: Vec<&'static str>,
    pub forbidden: Vec<&'static str>,
    pub reasons: Vec<Reason>,
    pub errors: Vec<()>,
}

/// Why a rung is recommended or forbidden.
#[derive(Serialize)]
pub struct Reason {
    pub rung: &'static str,
    pub effect: &'static str,
    pub rule: &'static str,
    pub because: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cites: Option<&'static str>,
}

/// An incident dated after `now`.
#[derive(Serialize)]
pub struct Warning {
    pub message: &'static str,
    pub item: String,
}

/// Parses and validates the facts text (what rung's schema checks).
pub fn parse(text: &str) -> Result<Facts, String> {
    let facts: Facts = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let mut ids = HashSet::with_capacity(facts.incidents.len());
    for (i, inc) in facts.incidents.iter().enumerate() {
        if !(1..=5).contains(&inc.severity) {
            return Err(format!("$.incidents[{i}].severity out of range"));
        }
        if !ids.insert(inc.id.as_str()) {
            return Err(format!("$.incidents[{i}].id duplicate"));
        }
    }
    Ok(facts)
}

fn decide(
    ladder: &'static str,
    names: &[&'static str],
    rules: &[Rule],
    subject: &str,
    fired: &[bool],
) -> Decision {
    let mut rec = vec![false; names.len()];
    let mut forbid = vec![false; names.len()];
    let mut keys = Vec::new();
    for (order, (rule, _)) in rules
        .iter()
        .zip(fired)
        .enumerate()
        .filter(|(_, (_, f))| **f)
    {
        for r in rule.lo..=rule.hi {
            if rule.forbid {
                forbid[r] = true;
            } else {
                rec[r] = true;
            }
            keys.push((r, rule.forbid, order));
        }
    }
    keys.sort_unstable();
    let recommended: Vec<&'static str> = (0..names.len())
        .filter(|&r| rec[r] && !forbid[r])
        .map(|r| names[r])
        .collect();
    Decision {
        ladder,
        subject: subject.to_string(),
        status: "complete",
        top: recommended.last().copied(),
        recommended,
        forbidden: (0..names.len())
            .filter(|&r| forbid[r])
            .map(|r| names[r])
            .collect(),
        reasons: keys
            .iter()
            .map(|&(r, f, order)| Reason {
                rung: names[r],
                effect: if f { "forbid" } else { "recommend" },
                rule: rules[order].name,
                because: rules[order].because,
                cites: rules[order].cites,
            })
            .collect(),
        errors: Vec::new(),
    }
}

/// Every decision of the doctrine over `f`, and its warnings.
pub fn evaluate(f: &Facts) -> Document {
    let now = f.now;
    let window = f
        .incidents
        .iter()
        .filter(|i| i.date > now - 365 && i.date <= now);
    let mut by_sponsor: BTreeMap<&str, Vec<&Incident>> = BTreeMap::new();
    let mut by_ally: BTreeMap<&str, Vec<&Incident>> = BTreeMap::new();
    for i in window {
        if let Some(s) = &i.state_sponsor {
            by_sponsor.entry(s).or_default().push(i);
        }
        if i.victim_is_ally {
            by_ally.entry(&i.victim).or_default().push(i);
        }
    }
    let mut decisions = Vec::with_capacity(by_sponsor.len() + by_ally.len());
    for (state, acts) in &by_sponsor {
        let high: Vec<&Incident> = acts
            .iter()
            .copied()
            .filter(|i| i.attribution == Attribution::High)
            .collect();
        let credible = acts
            .iter()
            .filter(|i| i.attribution >= Attribution::Moderate);
        let allied_credible: Vec<&Incident> = credible
            .clone()
            .copied()
            .filter(|i| i.victim_is_ally)
            .collect();
        let allied_high = high.iter().filter(|i| i.victim_is_ally);
        let recent_public = f
            .prior_responses
            .iter()
            .filter(|p| p.sponsor == *state && p.rung >= 2 && p.date > now - 1095 && p.date <= now);
        let high_sum: i64 = high.iter().map(|i| i.severity).sum();
        let victims: HashSet<&str> = allied_credible.iter().map(|i| i.victim.as_str()).collect();
        let fired = [
            true,
            credible.clone().next().is_some(),
            !high.is_empty(),
            high.len() >= 2 && high_sum >= 6,
            high.iter().any(|i| i.effect == Effect::Destruction),
            recent_public.count() >= 1 && !high.is_empty(),
            victims.len() >= 2 && allied_credible.iter().map(|i| i.severity).sum::<i64>() >= 8,
            allied_credible.iter().any(|i| {
                i.critical_infrastructure && i.effect >= Effect::Disruption && i.severity >= 4
            }),
            allied_high.clone().map(|i| i.severity).sum::<i64>() >= 15
                && allied_high.clone().any(|i| {
                    i.casualties || (i.effect == Effect::Destruction && i.critical_infrastructure)
                }),
            !high.is_empty() && high.iter().all(|i| i.disclosure_restricted),
            !acts.iter().any(|i| i.victim_is_ally),
        ];
        decisions.push(decide(
            "response",
            &RESPONSE,
            &RESPONSE_RULES,
            state,
            &fired,
        ));
    }
    for (ally, acts) in &by_ally {
        let fired = [
            true,
            acts.iter()
                .any(|i| i.assistance_requested && i.severity >= 3),
            acts.iter().any(|i| {
                i.assistance_requested
                    && i.critical_infrastructure
                    && i.attribution >= Attribution::Moderate
                    && i.state_sponsor.is_some()
            }),
        ];
        decisions.push(decide(
            "assistance",
            &ASSISTANCE,
            &ASSISTANCE_RULES,
            ally,
            &fired,
        ));
    }
    let warnings = f
        .incidents
        .iter()
        .filter(|i| i.date > now)
        .map(|i| Warning {
            message: "incident is dated after `now`: it is outside the window and not counted",
            item: format!("id {:?}", i.id),
        })
        .collect();
    Document {
        decisions,
        warnings,
        errors: Vec::new(),
    }
}

/// The whole job on a facts text: parse, decide, render (pretty JSON and a newline).
pub fn run(text: &str) -> Result<String, String> {
    let facts = parse(text)?;
    let doc = evaluate(&facts);
    let mut out = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    out.push('\n');
    Ok(out)
}
