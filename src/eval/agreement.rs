//! The compiled code ([`super::code`]) and the interpreter
//! ([`super::expr`]) agree: every policy and facts file of the repository,
//! a generated doctrine over generated campaigns, and a policy written to
//! use every form of the language and fail in every way at run time, are
//! run both ways, and the runs (every rule's outcome and error, every
//! trace, every decision) must be equal.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::path::{Path, PathBuf};

use super::code::{Condition, INTERPRET};
use super::run::{Detail, Run, run};
use crate::facts::Facts;
use crate::policy::{Policy, read_sources};

#[path = "../../benches/support/generate.rs"]
mod generate;
#[path = "../../benches/support/policy.rs"]
#[allow(dead_code, reason = "shared with the benchmarks, which use more of it")]
mod generated_policy;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The run of `policy` over `facts`, compiled or interpreted.
fn run_with<'p>(policy: &'p Policy, facts: &Facts, interpret: bool, detail: Detail) -> Run<'p> {
    INTERPRET.with(|i| i.set(interpret));
    let r = run(&policy.program, facts, detail);
    INTERPRET.with(|i| i.set(false));
    r.unwrap_or_else(|e| panic!("internal error: {e:?}"))
}

/// Runs `policy` over `facts` both ways, with and without traces, and
/// requires equal runs; returns how many rules were decided.
fn agree(what: &str, policy: &Policy, facts: &Facts) -> usize {
    let mut decided = 0;
    for detail in [Detail::Outcomes, Detail::Traces] {
        let compiled = run_with(policy, facts, false, detail);
        let interpreted = run_with(policy, facts, true, detail);
        assert_eq!(compiled, interpreted, "{what} ({detail:?})");
        decided = compiled.subjects.iter().map(|s| s.rules.len()).sum();
    }
    decided
}

/// The JSON files directly in `dir`, in name order.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn section<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let marker = format!("--- {name}\n");
    let start = text.find(&marker)? + marker.len();
    let rest = &text[start..];
    let end = rest.find("\n--- ").map_or(rest.len(), |i| i + 1);
    Some(&rest[..end])
}

#[test]
fn shipped_doctrines_over_their_examples_and_test_facts() {
    for name in ["nato", "pledge"] {
        let dir = root().join("policies").join(name);
        let policy = Policy::from_sources(read_sources(std::slice::from_ref(&dir)).unwrap())
            .unwrap_or_else(|d| panic!("{name}: {d:?}"));
        let mut files = json_files(&dir.join("examples"));
        files.extend(json_files(&dir.join("tests/facts")));
        assert!(files.len() >= 2, "{name}: no facts found");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let Ok(facts) = policy.facts_from_text("facts.json", &text) else {
                continue;
            };
            agree(&file.display().to_string(), &policy, &facts);
        }
    }
}

#[test]
fn semantics_cases_and_fuzz_regressions() {
    let mut cases = 0;
    let dir = root().join("tests/semantics");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let (Some(p), Some(f)) = (section(&text, "policy"), section(&text, "facts")) else {
            continue;
        };
        let Ok(policy) = Policy::from_text("case.rung", p) else {
            continue;
        };
        let Ok(facts) = policy.facts_from_text("facts.json", f) else {
            continue;
        };
        agree(&path.display().to_string(), &policy, &facts);
        cases += 1;
    }
    let fuzz = root().join("tests/fuzz_regressions/policy");
    for json in json_files(&fuzz) {
        let Ok(text) = std::fs::read_to_string(json.with_extension("rung")) else {
            continue;
        };
        let Ok(policy) = Policy::from_text("case.rung", &text) else {
            continue;
        };
        let Ok(facts) =
            policy.facts_from_text("facts.json", &std::fs::read_to_string(&json).unwrap())
        else {
            continue;
        };
        agree(&json.display().to_string(), &policy, &facts);
        cases += 1;
    }
    assert!(cases >= 20, "only {cases} cases ran");
}

#[test]
fn generated_doctrine_over_generated_campaigns() {
    let files = generated_policy::policy_files(300);
    let sources = files
        .iter()
        .map(|(name, text)| crate::SourceFile::new(name.as_str(), text.as_str()))
        .collect();
    let policy = Policy::from_sources(sources).unwrap();
    for n in [0, 1, 10, 200] {
        let facts = policy
            .facts_from_text("facts.json", &generate::facts_json(n))
            .unwrap();
        let decided = agree(&format!("{n} incidents"), &policy, &facts);
        assert!(
            n == 0 || decided >= 300,
            "{n} incidents: {decided} rules decided"
        );
    }
}

/// Every form of the language, and every way an evaluation can fail, over
/// facts that make them fail for some subjects and not others.
const EVERY_FORM: &str = r#"
enum Level { low < mid < high }
record Item {
  id: string unique
  who: string
  n: int
  d: decimal
  day: date
  level: Level
  tag: optional string
  flag: bool
}
record Note { topic: string  low: int }
facts {
  notes: list of Note default []
  now: date
  k: int
  span: duration
  items: list of Item
  names: list of string default []
}
ladder l { a "A"  b "B"  c "C"  d "D" }
let recent = items where day > now - span and day <= now
let shifted = now + span * k
let ratio = 100 / k
rules l for each who, xs in items grouped by who {
  let big = xs where n >= 10 or level == high
  let tagged = xs where tag is present
  let total = sum(xs.n)
  let exact = sum(xs.d) / 3
  let labels = [who, "x"]
  recommend a because "always"
  r1: recommend b when count(big) >= 1 and not (total < 0) because "forms"
  r2: recommend b when any xs has (all big have level >= mid) because "nested"
  r3: recommend c when total * 1000000000000 > 5 because "overflow"
  r4: recommend c when exact > 0 because "inexact"
  r5: recommend d when ratio > 1 because "division by zero"
  r6: recommend b when any xs has ((tag otherwise "none") in names) or first_tag != "z" because "otherwise"
  r7: recommend c when days(now - (min(xs.day) otherwise now)) > 30 and -total < 0 because "days"
  r8: forbid d when count(distinct(xs.who)) == 1 and count(distinct(labels)) == 2 because "distinct"
  r9: recommend b when no xs has (flag and any notes has (topic == id and low <= n)) because "outer item"
  r10: recommend c when (max(xs.level) otherwise low) == high and sum(xs.d) >= 1.5 because "max"
  r11: recommend b when who not in names and count(recent where n > 0) >= 0 because "in"
  r12: recommend c when shifted > now because "date range"
  r13: recommend d when count(xs where n / (n - n) > 0) > 0 because "division in a loop"
  r14: recommend b when any xs has (tag is absent or (tag otherwise "") == "t") because "absent"
  r15: recommend c when count(xs where (d * 2) >= 1.0) == count(xs) because "decimals"
  let first_tag = min(tagged.tag) otherwise "none"
}
"#;

const EVERY_FORM_FACTS: &str = r#"{
  "notes": [ { "topic": "1", "low": 5 }, { "topic": "4", "low": 2 } ],
  "now": "2025-06-30", "k": 0, "span": "365d", "names": ["A", "t"],
  "items": [
    { "id": "1", "who": "A", "n": 5, "d": "1.5", "day": "2025-01-01", "level": "high", "tag": "t", "flag": true },
    { "id": "2", "who": "A", "n": 12, "d": "0.5", "day": "2025-05-01", "level": "low", "flag": false },
    { "id": "3", "who": "B", "n": 9223372036854775807, "d": "1", "day": "2024-01-01", "level": "mid", "tag": "B", "flag": true },
    { "id": "4", "who": "B", "n": 1, "d": "0.1", "day": "2025-06-29", "level": "low", "tag": "B", "flag": true },
    { "id": "5", "who": "C", "n": -3, "d": "2", "day": "2025-06-01", "level": "mid", "flag": false },
    { "id": "6", "who": "D", "n": 0, "d": "3", "day": "2025-06-30", "level": "high", "tag": "z", "flag": true }
  ]
}"#;

#[test]
fn every_form_and_every_failure() {
    let policy = Policy::from_text("forms.rung", EVERY_FORM).unwrap_or_else(|d| {
        panic!(
            "{}",
            crate::diagnostic::render(&d, crate::diagnostic::Style::NoColor, 100)
        )
    });
    for (k, span) in [(0, "365d"), (2, "365d"), (4000, "3000000d")] {
        let text = EVERY_FORM_FACTS
            .replace("\"k\": 0", &format!("\"k\": {k}"))
            .replace("\"span\": \"365d\"", &format!("\"span\": \"{span}\""));
        let facts = policy.facts_from_text("facts.json", &text).unwrap();
        let compiled = run_with(&policy, &facts, false, Detail::Outcomes);
        // The facts make some rules fail and others fire: the comparison
        // is not between two runs that decided nothing.
        let outcomes: Vec<_> = compiled
            .subjects
            .iter()
            .flat_map(|s| s.rules.iter().map(|r| r.outcome()))
            .collect();
        use super::explain::Outcome;
        assert!(
            outcomes.contains(&Outcome::Failed),
            "k = {k}: nothing failed"
        );
        assert!(outcomes.contains(&Outcome::Fired), "k = {k}: nothing fired");
        assert!(
            outcomes.contains(&Outcome::NotMet),
            "k = {k}: nothing not met"
        );
        agree(&format!("every form, k = {k}"), &policy, &facts);
    }
}

/// A condition nested deeper than compiled code goes ([`super::code`]) is
/// interpreted, and decides the same; a long chain of `and`s is one node.
#[test]
fn conditions_too_deep_to_compile() {
    let terms = 100;
    let cond = format!("{}n > 0", "n + ".repeat(terms));
    let nested = vec!["n >= 0"; terms].join(" and ");
    let text = format!(
        "record Item {{ id: string unique  who: string  n: int }}\n\
         facts {{ items: list of Item }}\n\
         ladder l {{ a \"A\"  b \"B\" }}\n\
         rules l for each who, xs in items grouped by who {{\n\
           deep: recommend a when any xs has {cond} because \"deep\"\n\
           long: recommend b when all xs have ({nested}) because \"long\"\n\
         }}\n"
    );
    let policy = Policy::from_text("deep.rung", &text).unwrap();
    let facts = policy
        .facts_from_text(
            "facts.json",
            r#"{ "items": [ { "id": "1", "who": "A", "n": 1 }, { "id": "2", "who": "B", "n": 0 } ] }"#,
        )
        .unwrap();
    let code = &super::code::Compiled::of(&policy.program).blocks[0];
    assert!(matches!(code.rules[0], Condition::Interpreted));
    assert!(matches!(code.rules[1], Condition::Code(_)));
    agree("deep conditions", &policy, &facts);
}
