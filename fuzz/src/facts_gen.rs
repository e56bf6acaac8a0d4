//! Facts for the NATO schema, driven by the fuzzer's bytes: mostly valid (so
//! that evaluation runs), with values at the edges of their domains (dates
//! far apart, severities at the bounds, absent sponsors, shared ids) and,
//! when the input says so, a field broken on purpose.

use arbitrary::{Arbitrary, Result, Unstructured};
use serde_json::{Value, json};

use crate::policy_gen::RESPONSE_RUNGS;

const CODES: &[&str] = &["IR", "RU", "AL", "EE", "LV", "CN", "", "é"];

/// A facts document, as JSON text.
#[derive(Debug, Clone)]
pub struct GeneratedFacts {
    /// The JSON text.
    pub text: String,
}

fn date(u: &mut Unstructured<'_>) -> Result<String> {
    let (y, m, d) = if u.ratio(1, 8)? {
        (
            u.int_in_range(1..=9999u32)?,
            u.int_in_range(1..=12u32)?,
            u.int_in_range(1..=28u32)?,
        )
    } else {
        (
            u.int_in_range(2020..=2023u32)?,
            u.int_in_range(1..=12u32)?,
            u.int_in_range(1..=28u32)?,
        )
    };
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

fn incident(u: &mut Unstructured<'_>, i: usize) -> Result<Value> {
    let id = if u.ratio(1, 20)? {
        "dup".to_string()
    } else {
        format!("i{i}")
    };
    let sponsor = if u.ratio(1, 5)? {
        Value::Null
    } else {
        json!(u.choose(CODES)?)
    };
    let mut v = json!({
        "id": id,
        "date": date(u)?,
        "victim": u.choose(CODES)?,
        "victim_is_ally": u.arbitrary::<bool>()?,
        "actor": u.choose(&["APT33", "APT28", "x"])?,
        "state_sponsor": sponsor,
        "attribution": u.choose(&["none", "low", "moderate", "high"])?,
        "effect": u.choose(&["espionage", "influence", "disruption", "destruction"])?,
        "severity": u.int_in_range(1..=5u8)?,
        "critical_infrastructure": u.arbitrary::<bool>()?,
        "casualties": u.arbitrary::<bool>()?,
        "assistance_requested": u.arbitrary::<bool>()?,
        "disclosure_restricted": u.arbitrary::<bool>()?,
    });
    if u.ratio(1, 30)? {
        // One field broken: a wrong type, a value out of range, or gone.
        if let Some(obj) = v.as_object_mut() {
            let keys: Vec<String> = obj.keys().cloned().collect();
            let k = u.choose(&keys)?.clone();
            let broken = match u.int_in_range(0..=3)? {
                0 => Value::Null,
                1 => json!(u.arbitrary::<i64>()?),
                2 => json!("zzz"),
                _ => {
                    obj.remove(&k);
                    return Ok(v);
                }
            };
            obj.insert(k, broken);
        }
    }
    Ok(v)
}

impl<'a> Arbitrary<'a> for GeneratedFacts {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let n = u.int_in_range(0..=12)?;
        let mut incidents = Vec::new();
        for i in 0..n {
            incidents.push(incident(u, i)?);
        }
        let p = u.int_in_range(0..=3)?;
        let mut priors = Vec::new();
        for _ in 0..p {
            priors.push(json!({
                "sponsor": u.choose(CODES)?,
                "rung": u.choose(RESPONSE_RUNGS)?,
                "date": date(u)?,
            }));
        }
        let mut doc = json!({ "now": date(u)?, "incidents": incidents });
        if (!priors.is_empty() || u.arbitrary()?)
            && let Some(obj) = doc.as_object_mut()
        {
            obj.insert("prior_responses".into(), Value::Array(priors));
        }
        Ok(GeneratedFacts {
            text: doc.to_string(),
        })
    }
}
