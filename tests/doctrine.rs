//! The reference doctrine at every threshold and window edge: just below, at
//! and just above, one table row each. Facts are built programmatically from
//! a harmless default incident (see `common::incident`) and evaluated through
//! the library; each row states every decision of the evaluation in full.
//!
//! A decision is written `LADDER SUBJECT: RECOMMENDED... / forbid FORBIDDEN...`
//! (rungs in ladder order; `top` is checked to be the last recommended rung),
//! and a fact warning as `warning: ITEM`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{NOW, day, evaluate, facts, incident, nato, prior};
use rung::{Evaluation, Status};
use serde_json::{Value, json};

/// An incident with some fields changed from the default.
fn inc(id: &str, changes: Value) -> Value {
    let mut v = incident(id);
    for (k, x) in changes.as_object().unwrap() {
        assert!(v.get(k).is_some(), "unknown incident field {k}");
        v[k] = x.clone();
    }
    v
}

/// Each decision and warning as one line; checks the invariants every
/// decision must hold on the way.
fn summary(ev: &Evaluation) -> Vec<String> {
    assert!(ev.errors.is_empty(), "{:?}", ev.errors);
    let mut out: Vec<String> = ev
        .warnings
        .iter()
        .map(|w| format!("warning: {}", w.item))
        .collect();
    for d in &ev.decisions {
        assert_eq!(d.status, Status::Complete, "{d:?}");
        assert!(d.errors.is_empty(), "{d:?}");
        assert_eq!(
            d.top.as_ref(),
            d.recommended.last(),
            "top is the highest recommended rung"
        );
        assert!(
            d.recommended.iter().all(|r| !d.forbidden.contains(r)),
            "a forbidden rung is never recommended: {d:?}"
        );
        let mut line = format!("{} {}: {}", d.ladder, d.subject, d.recommended.join(" "));
        if !d.forbidden.is_empty() {
            line.push_str(" / forbid ");
            line.push_str(&d.forbidden.join(" "));
        }
        out.push(line);
    }
    // The tables list ladders alphabetically; the order of ladders itself
    // (declaration order) is checked by `reference.rs`. The sort is stable,
    // so subjects keep the order rung gave them.
    let first_decision = ev.warnings.len();
    if let Some(decisions) = out.get_mut(first_decision..) {
        decisions.sort_by(|a, b| a.split(' ').next().cmp(&b.split(' ').next()));
    }
    out
}

const AL: &str = "assistance AL: national_handling";
const NAMED: &str = "response RU: monitor private_demarche public_attribution";
const SANCTIONED: &str = "response RU: monitor private_demarche public_attribution sanctions";
const DEMARCHE: &str = "response RU: monitor private_demarche";
const NO_ALLY: &str = "collective_response article_4_consultation article_5_consideration";

struct Case {
    name: &'static str,
    facts: Value,
    expect: Vec<String>,
}

fn case(name: &'static str, incidents: Vec<Value>, priors: Vec<Value>, expect: &[&str]) -> Case {
    Case {
        name,
        facts: facts(incidents, priors),
        expect: expect.iter().map(|s| s.to_string()).collect(),
    }
}

/// Five allied high acts of severity 5, 5, 5 (sum 15) with `changes` on the
/// first one; `third` is the severity of the third.
fn article_5(third: i64, changes: Value) -> Vec<Value> {
    vec![
        inc("a", json!({"severity": 5})),
        inc("b", json!({"severity": 5})),
        inc("c", json!({"severity": third})),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, mut v)| {
        if i == 0 {
            for (k, x) in changes.as_object().unwrap() {
                v[k] = x.clone();
            }
        }
        v
    })
    .collect()
}

#[rustfmt::skip]
fn window_cases() -> Vec<Case> {
    vec![
        case("incident 365 days before now is outside the window",
            vec![inc("a", json!({"date": day(-365)}))], vec![], &[]),
        case("incident a calendar year before now (366 days here) is outside",
            vec![inc("a", json!({"date": day(-366)}))], vec![], &[]),
        case("incident 364 days before now is inside the window",
            vec![inc("a", json!({"date": day(-364)}))], vec![], &[AL, NAMED]),
        case("incident dated now is inside the window",
            vec![inc("a", json!({"date": NOW}))], vec![], &[AL, NAMED]),
        case("incident the day after now is outside, with a warning",
            vec![inc("a", json!({"date": day(1)}))], vec![], &["warning: id \"a\""]),
        case("an out-of-window act adds nothing to an in-window one",
            vec![
                inc("old", json!({"date": day(-365), "severity": 5, "effect": "destruction",
                                  "critical_infrastructure": true, "casualties": true})),
                inc("new", json!({"date": day(-364)})),
            ], vec![], &[AL, NAMED]),
        case("only out-of-window acts against allies: forbid collective and above",
            vec![
                inc("old", json!({"date": day(-365)})),
                inc("new", json!({"victim": "UA", "victim_is_ally": false})),
            ], vec![], &[&format!("{NAMED} / forbid {NO_ALLY}")]),
    ]
}

#[rustfmt::skip]
fn prior_response_cases() -> Vec<Case> {
    let one = || vec![inc("a", json!({}))];
    vec![
        case("public attribution exactly 1095 days ago is too old",
            one(), vec![prior("RU", "public_attribution", &day(-1095))], &[AL, NAMED]),
        case("public attribution 1094 days ago: naming did not deter",
            one(), vec![prior("RU", "public_attribution", &day(-1094))], &[AL, SANCTIONED]),
        case("public attribution dated now counts",
            one(), vec![prior("RU", "public_attribution", NOW)], &[AL, SANCTIONED]),
        case("a prior response dated after now does not count",
            one(), vec![prior("RU", "public_attribution", &day(1))], &[AL, NAMED]),
        case("a prior response below public attribution does not count",
            one(), vec![prior("RU", "private_demarche", &day(-10))], &[AL, NAMED]),
        case("a prior response above public attribution counts",
            one(), vec![prior("RU", "article_5_consideration", &day(-10))], &[AL, SANCTIONED]),
        case("a prior response against another state does not count",
            one(), vec![prior("CN", "sanctions", &day(-10))], &[AL, NAMED]),
        case("a recent prior response without a high act: no sanctions",
            vec![inc("a", json!({"attribution": "moderate"}))],
            vec![prior("RU", "sanctions", &day(-10))], &[AL, DEMARCHE]),
        case("a recent prior response and a high act against a non-ally",
            vec![inc("a", json!({"victim": "UA", "victim_is_ally": false}))],
            vec![prior("RU", "public_attribution", &day(-10))],
            &[&format!("{SANCTIONED} / forbid {NO_ALLY}")]),
    ]
}

#[rustfmt::skip]
fn sanctions_cases() -> Vec<Case> {
    let two = |x: i64, y: i64| {
        vec![inc("a", json!({"severity": x})), inc("b", json!({"severity": y}))]
    };
    vec![
        case("two high acts summing to 5: no sanctions", two(2, 3), vec![], &[AL, NAMED]),
        case("two high acts summing to 6: sanctions", two(3, 3), vec![], &[AL, SANCTIONED]),
        case("two high acts summing to 7: sanctions", two(3, 4), vec![], &[AL, SANCTIONED]),
        case("one high act of severity 5: no sanctions",
            vec![inc("a", json!({"severity": 5}))], vec![], &[AL, NAMED]),
        case("one high destructive act: sanctions",
            vec![inc("a", json!({"effect": "destruction"}))], vec![], &[AL, SANCTIONED]),
        case("one moderate destructive act: no sanctions",
            vec![inc("a", json!({"effect": "destruction", "attribution": "moderate"}))],
            vec![], &[AL, DEMARCHE]),
        case("a moderate act's severity does not add to the high acts'",
            vec![
                inc("a", json!({"severity": 2})),
                inc("b", json!({"severity": 3})),
                inc("c", json!({"severity": 5, "attribution": "moderate"})),
            ], vec![], &[AL, NAMED]),
        case("high acts of different sponsors are not added together",
            vec![
                inc("a", json!({"severity": 3})),
                inc("b", json!({"severity": 3, "state_sponsor": "CN"})),
            ], vec![],
            &[AL, "response CN: monitor private_demarche public_attribution", NAMED]),
        case("high acts against non-allies count for sanctions",
            vec![
                inc("a", json!({"severity": 3, "victim": "UA", "victim_is_ally": false})),
                inc("b", json!({"severity": 3, "victim": "GE", "victim_is_ally": false})),
            ], vec![], &[&format!("{SANCTIONED} / forbid {NO_ALLY}")]),
    ]
}

#[rustfmt::skip]
fn collective_cases() -> Vec<Case> {
    let m = |id: &str, victim: &str, severity: i64| {
        inc(id, json!({"attribution": "moderate", "victim": victim, "severity": severity}))
    };
    let collective = "response RU: monitor private_demarche collective_response";
    let ee = "assistance EE: national_handling";
    vec![
        case("one allied victim, severities 8: no collective response",
            vec![m("a", "AL", 4), m("b", "AL", 4)], vec![], &[AL, DEMARCHE]),
        case("two allied victims, severities 8: collective response",
            vec![m("a", "AL", 4), m("b", "EE", 4)], vec![], &[AL, ee, collective]),
        case("two allied victims, severities 7: no collective response",
            vec![m("a", "AL", 4), m("b", "EE", 3)], vec![], &[AL, ee, DEMARCHE]),
        case("two allied victims, severities 5 + 3: collective response",
            vec![m("a", "AL", 5), m("b", "EE", 3)], vec![], &[AL, ee, collective]),
        case("three allied victims, severities 3 + 3 + 2: collective response",
            vec![m("a", "AL", 3), m("b", "EE", 3), m("c", "LV", 2)], vec![],
            &[AL, ee, "assistance LV: national_handling", collective]),
        case("a non-allied victim does not count",
            vec![m("a", "AL", 4), inc("b", json!({"attribution": "moderate", "victim": "UA",
                                                   "victim_is_ally": false, "severity": 4}))],
            vec![], &[AL, DEMARCHE]),
        case("a low-attribution act does not count",
            vec![m("a", "AL", 4), inc("b", json!({"attribution": "low", "victim": "EE",
                                                   "severity": 4}))],
            vec![], &[AL, ee, DEMARCHE]),
        case("two victims, one of them also hit by a low act",
            vec![m("a", "AL", 4), m("b", "EE", 3),
                 inc("c", json!({"attribution": "low", "victim": "EE", "severity": 5}))],
            vec![], &[AL, ee, DEMARCHE]),
    ]
}

#[rustfmt::skip]
fn article_4_cases() -> Vec<Case> {
    let ci = |changes: Value| {
        let mut v = inc("a", json!({"attribution": "moderate", "critical_infrastructure": true,
                                    "effect": "disruption", "severity": 4}));
        for (k, x) in changes.as_object().unwrap() {
            v[k] = x.clone();
        }
        vec![v]
    };
    let art4 = "response RU: monitor private_demarche article_4_consultation";
    vec![
        case("credible disruption of allied CI, severity 4: article 4",
            ci(json!({})), vec![], &[AL, art4]),
        case("severity 3: no article 4", ci(json!({"severity": 3})), vec![], &[AL, DEMARCHE]),
        case("severity 5: article 4", ci(json!({"severity": 5})), vec![], &[AL, art4]),
        case("effect influence: no article 4",
            ci(json!({"effect": "influence"})), vec![], &[AL, DEMARCHE]),
        case("effect destruction: article 4",
            ci(json!({"effect": "destruction"})), vec![], &[AL, art4]),
        case("not critical infrastructure: no article 4",
            ci(json!({"critical_infrastructure": false})), vec![], &[AL, DEMARCHE]),
        case("low attribution: no article 4",
            ci(json!({"attribution": "low"})), vec![], &[AL, "response RU: monitor"]),
        case("high attribution: article 4 and public attribution",
            ci(json!({"attribution": "high"})), vec![],
            &[AL, "response RU: monitor private_demarche public_attribution article_4_consultation"]),
        case("a non-allied victim: no article 4, and it is forbidden",
            ci(json!({"victim": "UA", "victim_is_ally": false})), vec![],
            &[&format!("{DEMARCHE} / forbid {NO_ALLY}")]),
    ]
}

#[rustfmt::skip]
fn article_5_cases() -> Vec<Case> {
    let art5 = "response RU: monitor private_demarche public_attribution sanctions article_5_consideration";
    let art4 = "response RU: monitor private_demarche public_attribution sanctions article_4_consultation";
    vec![
        case("allied high severities 14 with casualties: no article 5",
            article_5(4, json!({"casualties": true})), vec![], &[AL, SANCTIONED]),
        case("allied high severities 15 with casualties: article 5",
            article_5(5, json!({"casualties": true})), vec![], &[AL, art5]),
        case("allied high severities 15, no casualties nor destruction: no article 5",
            article_5(5, json!({})), vec![], &[AL, SANCTIONED]),
        case("allied high severities 15 with destruction on CI: article 4 and 5",
            article_5(5, json!({"effect": "destruction", "critical_infrastructure": true})),
            vec![],
            &[AL, "response RU: monitor private_demarche public_attribution sanctions article_4_consultation article_5_consideration"]),
        case("allied high severities 14 with destruction on CI: article 4 only",
            article_5(4, json!({"effect": "destruction", "critical_infrastructure": true})),
            vec![], &[AL, art4]),
        case("destruction not on CI: no article 5",
            article_5(5, json!({"effect": "destruction"})), vec![], &[AL, SANCTIONED]),
        case("disruption on CI: article 4, no article 5",
            article_5(5, json!({"effect": "disruption", "critical_infrastructure": true})),
            vec![], &[AL, art4]),
        case("a non-allied high act's severity and casualties do not count",
            {
                let mut v = article_5(4, json!({}));
                v.push(inc("d", json!({"victim": "UA", "victim_is_ally": false,
                                       "severity": 5, "casualties": true})));
                v
            }, vec![], &[AL, SANCTIONED]),
        case("casualties on a moderate allied act do not count",
            {
                let mut v = article_5(5, json!({}));
                v.push(inc("d", json!({"attribution": "moderate", "casualties": true})));
                v
            }, vec![], &[AL, SANCTIONED]),
    ]
}

#[rustfmt::skip]
fn assistance_cases() -> Vec<Case> {
    let hunt = |changes: Value| {
        let mut v = inc("a", json!({"attribution": "moderate", "critical_infrastructure": true,
                                    "assistance_requested": true, "severity": 2}));
        for (k, x) in changes.as_object().unwrap() {
            v[k] = x.clone();
        }
        vec![v]
    };
    let asked = |severity: i64| {
        vec![inc("a", json!({"assistance_requested": true, "severity": severity}))]
    };
    vec![
        case("hunt forward: requested, CI, moderate, sponsored",
            hunt(json!({})), vec![], &["assistance AL: national_handling hunt_forward", DEMARCHE]),
        case("hunt forward with VCISC at severity 3",
            hunt(json!({"severity": 3})), vec![],
            &["assistance AL: national_handling vcisc_support hunt_forward", DEMARCHE]),
        case("no sponsor: no hunt forward, no response subject",
            hunt(json!({"state_sponsor": null})), vec![], &[AL]),
        case("low attribution: no hunt forward",
            hunt(json!({"attribution": "low"})), vec![], &[AL, "response RU: monitor"]),
        case("not requested: no hunt forward",
            hunt(json!({"assistance_requested": false})), vec![], &[AL, DEMARCHE]),
        case("not critical infrastructure: no hunt forward",
            hunt(json!({"critical_infrastructure": false})), vec![], &[AL, DEMARCHE]),
        case("a non-allied victim gets no assistance",
            hunt(json!({"victim": "UA", "victim_is_ally": false})), vec![],
            &[&format!("{DEMARCHE} / forbid {NO_ALLY}")]),
        case("VCISC: requested, severity 2: no", asked(2), vec![], &[AL, NAMED]),
        case("VCISC: requested, severity 3: yes", asked(3), vec![],
            &["assistance AL: national_handling vcisc_support", NAMED]),
        case("VCISC: severity 5 not requested: no",
            vec![inc("a", json!({"severity": 5}))], vec![], &[AL, NAMED]),
        case("VCISC: request and severity on different acts: no",
            vec![inc("a", json!({"assistance_requested": true, "severity": 2})),
                 inc("b", json!({"severity": 5}))],
            vec![], &[AL, SANCTIONED]),
        case("VCISC for an unsponsored incident",
            vec![inc("a", json!({"assistance_requested": true, "severity": 3,
                                 "state_sponsor": null}))],
            vec![], &["assistance AL: national_handling vcisc_support"]),
    ]
}

#[rustfmt::skip]
fn forbid_cases() -> Vec<Case> {
    let restricted = |id: &str| inc(id, json!({"disclosure_restricted": true, "severity": 2}));
    let forbidden = "response RU: monitor private_demarche / forbid public_attribution sanctions";
    vec![
        case("every high act restricted: public attribution and sanctions forbidden",
            vec![restricted("a"), restricted("b")], vec![], &[AL, forbidden]),
        case("restricted high acts that would warrant sanctions",
            vec![restricted("a"), restricted("b"),
                 inc("c", json!({"disclosure_restricted": true, "effect": "destruction"}))],
            vec![], &[AL, forbidden]),
        case("one unrestricted high act: nothing forbidden",
            vec![restricted("a"), restricted("b"), inc("c", json!({}))], vec![], &[AL, NAMED]),
        case("no high act: nothing forbidden",
            vec![inc("a", json!({"attribution": "moderate", "disclosure_restricted": true}))],
            vec![], &[AL, DEMARCHE]),
        case("restricted high act, unrestricted moderate act: forbidden",
            vec![restricted("a"), inc("b", json!({"attribution": "moderate"}))], vec![],
            &[AL, forbidden]),
        case("no allied act: collective response and above forbidden",
            vec![
                inc("a", json!({"victim": "UA", "victim_is_ally": false, "severity": 5,
                                "attribution": "moderate"})),
                inc("b", json!({"victim": "GE", "victim_is_ally": false, "severity": 5,
                                "attribution": "moderate"})),
            ], vec![], &[&format!("{DEMARCHE} / forbid {NO_ALLY}")]),
        case("one allied act among non-allied ones: nothing forbidden",
            vec![
                inc("a", json!({"victim": "UA", "victim_is_ally": false})),
                inc("b", json!({"attribution": "low"})),
            ], vec![], &[AL, NAMED]),
        case("no allied act and every high act restricted",
            vec![inc("a", json!({"victim": "UA", "victim_is_ally": false,
                                 "disclosure_restricted": true}))],
            vec![],
            &[&format!("{DEMARCHE} / forbid public_attribution sanctions {NO_ALLY}")]),
    ]
}

#[rustfmt::skip]
fn subject_cases() -> Vec<Case> {
    vec![
        case("an unsponsored incident has no response subject",
            vec![inc("a", json!({"state_sponsor": null}))], vec![], &[AL]),
        case("subjects in byte order, ladders in declaration order",
            vec![
                inc("a", json!({"state_sponsor": "ru", "victim": "EE"})),
                inc("b", json!({"state_sponsor": "RU", "victim": "AL"})),
                inc("c", json!({"state_sponsor": "CN", "victim": "DE"})),
                inc("d", json!({"state_sponsor": "Zz", "victim": "BE"})),
            ], vec![],
            &[
                AL,
                "assistance BE: national_handling",
                "assistance DE: national_handling",
                "assistance EE: national_handling",
                "response CN: monitor private_demarche public_attribution",
                NAMED,
                "response Zz: monitor private_demarche public_attribution",
                "response ru: monitor private_demarche public_attribution",
            ]),
    ]
}

#[test]
fn doctrine_boundaries() {
    let policy = nato();
    let cases = [
        window_cases(),
        prior_response_cases(),
        sanctions_cases(),
        collective_cases(),
        article_4_cases(),
        article_5_cases(),
        assistance_cases(),
        forbid_cases(),
        subject_cases(),
    ];
    let mut failures = Vec::new();
    let mut n = 0;
    for c in cases.iter().flatten() {
        n += 1;
        let got = summary(&evaluate(&policy, &c.facts));
        if got != c.expect {
            failures.push(format!(
                "{}\n  expected: {:#?}\n  got:      {:#?}",
                c.name, c.expect, got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `prior_responses` may be left out: it defaults to the empty list.
#[test]
fn prior_responses_may_be_absent() {
    let facts = json!({ "now": NOW, "incidents": [inc("a", json!({}))] });
    assert_eq!(summary(&evaluate(&nato(), &facts)), [AL, NAMED]);
}

/// The window is `now - 365 days < date <= now` whatever `now` is: across a
/// leap day, at the start of a year, and with no leap day in between.
#[test]
fn window_edges_for_several_nows() {
    let policy = nato();
    for now in [
        "2024-03-01",
        "2025-01-01",
        "2023-12-31",
        "2000-02-29",
        "2100-03-01",
    ] {
        let base = chrono::NaiveDate::parse_from_str(now, "%Y-%m-%d").unwrap();
        for (offset, inside) in [
            (-366, false),
            (-365, false),
            (-364, true),
            (0, true),
            (1, false),
        ] {
            let date = base + chrono::Duration::days(offset);
            let facts = json!({
                "now": now,
                "incidents": [inc("a", json!({"date": date.format("%Y-%m-%d").to_string()}))],
            });
            let ev = evaluate(&policy, &facts);
            assert_eq!(
                ev.decisions.len(),
                if inside { 2 } else { 0 },
                "now {now}, offset {offset}"
            );
            assert_eq!(
                ev.warnings.len(),
                usize::from(offset > 0),
                "now {now}, offset {offset}"
            );
        }
    }
}
