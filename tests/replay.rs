//! `rung replay`: every day of a timeline is exactly the decision a single
//! evaluation with `now` set to that day gives; crossings name what moved;
//! bad ranges and policies without `now` are reported.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{day, facts, incident, nato, prior, rung};
use rung::replay::{Change, Timeline, replay};
use serde_json::Value;

/// A deterministic xorshift generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

/// A campaign of `n` incidents over the two years before `NOW`.
fn campaign(seed: u64, n: usize) -> Value {
    let mut rng = Rng(seed);
    let incidents = (0..n)
        .map(|i| {
            let mut x = incident(&format!("C-{i}"));
            x["date"] = day(-(rng.below(730) as i64)).into();
            x["victim"] = rng.pick(&["AL", "EE", "LV", "UA"]).into();
            x["victim_is_ally"] = (x["victim"] != "UA").into();
            x["state_sponsor"] = if rng.below(6) == 0 {
                Value::Null
            } else {
                rng.pick(&["RU", "IR", "KP"]).into()
            };
            x["attribution"] = rng.pick(&["none", "low", "moderate", "high"]).into();
            x["effect"] = rng
                .pick(&["espionage", "influence", "disruption", "destruction"])
                .into();
            x["severity"] = (1 + rng.below(5)).into();
            x["critical_infrastructure"] = (rng.below(3) == 0).into();
            x["casualties"] = (rng.below(25) == 0).into();
            x["assistance_requested"] = (rng.below(3) == 0).into();
            x["disclosure_restricted"] = (rng.below(5) == 0).into();
            x
        })
        .collect();
    facts(
        incidents,
        vec![prior("RU", "public_attribution", &day(-500))],
    )
}

/// Checks every day of `t` against a single evaluation with `now` = that day.
fn agrees_with_single_evaluations(policy: &rung::Policy, json: &Value, t: &Timeline) {
    let mut days_checked = 0;
    for d in t.from..=t.to {
        let mut f = json.clone();
        f["now"] = rung::value::format_date(d).into();
        let evaluation = common::evaluate(policy, &f);
        // Every decision of the day is in the segment covering the day...
        for dec in &evaluation.decisions {
            let s = t
                .subjects
                .iter()
                .find(|s| s.ladder == *dec.ladder && s.subject == *dec.subject)
                .unwrap_or_else(|| panic!("{} {} missing", dec.ladder, dec.subject));
            let seg = s
                .segments
                .iter()
                .find(|g| g.from <= d && d <= g.to)
                .unwrap_or_else(|| panic!("no segment of {} on day {d}", dec.subject));
            assert_eq!(seg.top.as_deref(), dec.top.as_deref(), "top on day {d}");
            assert_eq!(seg.status, dec.status, "status on day {d}");
            let names = |v: &[std::borrow::Cow<'_, str>]| {
                v.iter().map(|x| x.to_string()).collect::<Vec<_>>()
            };
            assert_eq!(
                seg.recommended,
                names(&dec.recommended),
                "recommended on day {d}"
            );
            assert_eq!(seg.forbidden, names(&dec.forbidden), "forbidden on day {d}");
        }
        // ...and a segment covers the day only for a subject decided that day.
        for s in &t.subjects {
            let covered = s.segments.iter().any(|g| g.from <= d && d <= g.to);
            let decided = evaluation
                .decisions
                .iter()
                .any(|x| *x.ladder == *s.ladder && *x.subject == *s.subject);
            assert_eq!(covered, decided, "{} {} on day {d}", s.ladder, s.subject);
        }
        days_checked += 1;
    }
    assert_eq!(days_checked, t.to - t.from + 1);
    // Segments are maximal: two consecutive segments of a subject differ.
    for s in &t.subjects {
        for w in s.segments.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            let same = a.status == b.status
                && a.top == b.top
                && a.recommended == b.recommended
                && a.forbidden == b.forbidden;
            assert!(
                !(same && a.to + 1 == b.from),
                "{} {}: segments not maximal",
                s.ladder,
                s.subject
            );
        }
        for w in s.crossings.windows(2) {
            assert!(w[0].date <= w[1].date, "crossings by date");
        }
    }
}

fn replay_json(policy: &rung::Policy, json: &Value) -> Timeline {
    let facts = policy.facts_from_text("f.json", &json.to_string()).unwrap();
    let now = rung::replay::now_fact(policy).unwrap();
    let (from, to) = rung::replay::default_range(&facts, now).unwrap();
    replay(policy, &facts, from, to).unwrap()
}

#[test]
fn generated_campaigns_replay_as_single_evaluations() {
    let policy = nato();
    for seed in [7, 1_234_567, 0xDEAD_BEEF] {
        let json = campaign(seed, 40);
        let t = replay_json(&policy, &json);
        assert!(t.to - t.from > 600, "two years replayed");
        agrees_with_single_evaluations(&policy, &json, &t);
        assert!(t.subjects.iter().any(|s| !s.crossings.is_empty()));
    }
}

#[test]
fn shipped_examples_replay_as_single_evaluations() {
    let policy = nato();
    let dir = common::root().join("policies/nato/examples");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let json: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let t = replay_json(&policy, &json);
        agrees_with_single_evaluations(&policy, &json, &t);
    }
}

/// An incident ageing out of the 365-day window withdraws what it supported,
/// and the crossing names it.
#[test]
fn ageing_out_of_the_window_is_a_withdrawal_with_its_reason() {
    let policy = nato();
    let mut old = incident("OLD");
    old["date"] = day(-400).into();
    old["severity"] = 3.into();
    let mut new = incident("NEW");
    new["date"] = day(-100).into();
    new["severity"] = 3.into();
    let json = facts(vec![old, new], vec![]);
    let t = replay_json(&policy, &json);
    agrees_with_single_evaluations(&policy, &json, &t);
    let ru = t
        .subjects
        .iter()
        .find(|s| s.ladder == "response" && s.subject == "RU")
        .unwrap();
    let withdrawn = ru
        .crossings
        .iter()
        .find(|c| c.change == Change::Withdrawn && c.rung.as_deref() == Some("sanctions"))
        .expect("sanctions withdrawn when OLD leaves the window");
    assert_eq!(rung::value::format_date(withdrawn.date), day(-400 + 365));
    assert_eq!(withdrawn.rules, ["repeated_high_confidence"]);
    assert!(
        withdrawn.why.iter().any(|w| w == "left acts: OLD"),
        "{:?}",
        withdrawn.why
    );
    assert!(
        withdrawn.why.iter().any(|w| w
            .starts_with("repeated_high_confidence: ✓ count(high_acts) = 2")
            && w.contains("→ ✗ count(high_acts) = 1")),
        "{:?}",
        withdrawn.why
    );
}

#[test]
fn bad_ranges_are_usage_errors_and_a_policy_without_now_is_reported() {
    let albania = "policies/nato/examples/albania-2022.json";
    for (args, code) in [
        (
            &["--from", "2022-09-01", "--to", "2022-08-01"][..],
            "rung::replay::range",
        ),
        (&["--from", "2023-02-30"][..], "rung::usage::argument"),
        (
            &["--from", "1900-01-01", "--to", "2022-08-01"][..],
            "rung::replay::range",
        ),
    ] {
        let mut all = vec![
            "replay",
            "policies/nato",
            "--facts",
            albania,
            "--error-format",
            "plain",
        ];
        all.extend_from_slice(args);
        let run = rung(&all);
        run.expect_code(2, &format!("{args:?}"));
        assert!(run.stderr.contains(code), "{args:?}: {}", run.stderr);
    }
    let dir = std::env::temp_dir().join(format!("rung-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("p.rung");
    std::fs::write(
        &policy,
        "record I { id: string unique  d: date }\nfacts { items: list of I }\nladder l { low \"Low\" }\n\
         rules l for each k, xs in items grouped by id { recommend low because \"always\" }\n",
    )
    .unwrap();
    let facts = dir.join("f.json");
    std::fs::write(&facts, r#"{"items": [{"id": "a", "d": "2022-01-01"}]}"#).unwrap();
    let run = rung(&[
        "replay",
        policy.to_str().unwrap(),
        "--facts",
        facts.to_str().unwrap(),
    ]);
    run.expect_code(1, "no now");
    assert!(
        run.stderr.contains("rung::replay::no_now"),
        "{}",
        run.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn replay_output_is_deterministic_in_every_format() {
    for format in ["human", "json", "csv"] {
        let args = [
            "replay",
            "policies/nato",
            "--facts",
            "policies/nato/examples/cumulative-article-5.json",
            "--format",
            format,
        ];
        let a = rung(&args);
        a.expect_code(0, format);
        assert_eq!(a.stdout, rung(&args).stdout, "{format}");
    }
}

#[test]
fn replayed_examples_snapshots() {
    for example in ["albania-2022", "cumulative-article-5", "campaign-2022"] {
        let facts = format!("policies/nato/examples/{example}.json");
        for format in ["human", "json", "csv"] {
            let run = rung(&[
                "replay",
                "policies/nato",
                "--facts",
                &facts,
                "--format",
                format,
            ]);
            run.expect_code(0, &facts);
            insta::assert_snapshot!(
                format!("replay_{example}_{format}"),
                common::pin_nato_digest(&run.stdout)
            );
        }
    }
}

/// Tables are facts everywhere: the Albania tables replay as the Albania JSON.
#[test]
fn tables_replay_as_their_json() {
    let json = rung(&[
        "replay",
        "policies/nato",
        "--facts",
        "policies/nato/examples/albania-2022.json",
        "--format",
        "json",
    ]);
    let tables = rung(&[
        "replay",
        "policies/nato",
        "--facts",
        "policies/nato/examples/tables/now.json",
        "--table",
        "incidents=policies/nato/examples/tables/incidents.csv",
        "--table",
        "prior_responses=policies/nato/examples/tables/prior_responses.csv",
        "--format",
        "json",
    ]);
    json.expect_code(0, "json");
    tables.expect_code(0, "tables");
    assert_eq!(json.stdout, tables.stdout);
}

/// A people's replay also says how near each subject came to the rung above
/// the highest it reached: on the day its best rule lacked least. Here three
/// high incidents against one ally, of severity 3, 4 and 5, pass through the
/// 365-day window: the sum is 7, then 4, then 9 from the last one's day on.
/// `collective_response` needs a sum of 8 and two victims: from that day on
/// only the second victim is lacking.
#[test]
fn the_closest_approach_is_the_day_that_lacked_least() {
    let policy = nato();
    let mut incidents = Vec::new();
    for (id, offset, severity) in [("A", -500, 3), ("B", -300, 4), ("C", -100, 5)] {
        let mut x = incident(id);
        x["date"] = day(offset).into();
        x["severity"] = severity.into();
        incidents.push(x);
    }
    let json = facts(incidents, vec![]);
    let loaded = policy
        .facts_from_text("closest.json", &json.to_string())
        .unwrap();
    let (from, to) =
        rung::replay::default_range(&loaded, rung::replay::now_fact(&policy).unwrap()).unwrap();
    let explained = rung::replay::replay_explained(&policy, &loaded, from, to).unwrap();
    let plain = replay(&policy, &loaded, from, to).unwrap();
    // Tracing the days changes no segment and no crossing.
    assert_eq!(explained.subjects.len(), plain.subjects.len());
    for (a, b) in explained.subjects.iter().zip(&plain.subjects) {
        assert_eq!(a.segments, b.segments);
        assert_eq!(a.crossings, b.crossings);
        assert!(
            b.closest.is_none(),
            "a plain replay has no closest approach"
        );
    }
    let ru = explained
        .subjects
        .iter()
        .find(|s| s.ladder == "response" && s.subject == "RU")
        .unwrap();
    let closest = ru.closest.as_ref().expect("RU has a next rung");
    assert_eq!(closest.rung, "collective_response");
    assert_eq!(rung::value::format_date(closest.date), day(-100));
    assert_eq!(closest.rule, "campaign_against_allies");
    assert_eq!(
        closest.unmet,
        vec!["✗ count(distinct(allied_credible.victim)) = 1, needs >= 2".to_string()]
    );
    // The rung was never reached on any day of the range.
    assert!(
        ru.segments
            .iter()
            .all(|s| !s.recommended.iter().any(|r| r == "collective_response"))
    );
}
