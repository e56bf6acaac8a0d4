//! The one engine's contracts: shared across threads, reproducible
//! (`policy_digest`), never a plausible default in place of a bug, and
//! expressions checked in the scope of the checked program.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::{nato, rung};
use rung::eval::Detail;
use rung::render::Paint;
use rung::repl::Session;
use rung::repl::complete::{Completion, complete};

const ALBANIA: &str = "policies/nato/examples/albania-2022.json";

fn albania(policy: &rung::Policy) -> rung::facts::Facts {
    let text = std::fs::read_to_string(common::root().join(ALBANIA)).unwrap();
    policy.facts_from_text(ALBANIA, &text).unwrap()
}

#[test]
fn one_policy_decides_on_many_threads_as_on_one() {
    let policy = Arc::new(nato());
    let facts = Arc::new(albania(&policy));
    let alone = policy.run(&facts, Detail::Traces).unwrap();
    // Owned threads: the policy and facts move across as `Arc`s.
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let (policy, facts) = (Arc::clone(&policy), Arc::clone(&facts));
            std::thread::spawn(move || {
                (0..50)
                    .map(|_| policy.evaluate(&facts).unwrap().into_owned())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for h in handles {
        for evaluation in h.join().unwrap() {
            assert_eq!(evaluation, alone.evaluation);
        }
    }
    // Scoped threads: decisions borrow the shared policy.
    std::thread::scope(|s| {
        let runs: Vec<_> = (0..4)
            .map(|_| s.spawn(|| policy.run(&facts, Detail::Traces).unwrap()))
            .collect();
        for r in runs {
            assert_eq!(r.join().unwrap(), alone);
        }
    });
}

/// A run with traces and one without decide alike, and the records behind
/// each decision are the rules of its ladder, in declaration order.
#[test]
fn traces_change_no_decision_and_every_rule_is_recorded() {
    let policy = nato();
    let facts = albania(&policy);
    let lean = policy.run(&facts, Detail::Outcomes).unwrap();
    let full = policy.run(&facts, Detail::Traces).unwrap();
    assert_eq!(lean.evaluation, full.evaluation);
    assert_eq!(lean.subjects.len(), lean.evaluation.decisions.len());
    assert!(
        lean.subjects
            .iter()
            .flat_map(|s| &s.rules)
            .all(|r| r.trace.is_none())
    );
    let ir = full.records("response", "IR").unwrap();
    let rules = policy.program.blocks[0].rules.len();
    assert_eq!(ir.rules.len(), rules, "one record per rule of the block");
    let explained = full.explanations(&policy.program).unwrap();
    assert_eq!(explained.len(), full.evaluation.decisions.len());
}

/// Facts that did not come from the loader (here: none at all) are a bug in
/// the caller; the engine says so instead of deciding on absent values.
#[test]
fn a_broken_invariant_is_an_internal_error_not_a_decision() {
    let policy = nato();
    let err = policy.evaluate(&rung::facts::Facts::default()).unwrap_err();
    let code = miette::Diagnostic::code(&err).unwrap().to_string();
    assert_eq!(code, "rung::internal");
    let help = miette::Diagnostic::help(&err).unwrap().to_string();
    assert!(help.contains("bug in rung"), "{help}");
}

/// The policy's files copied to a directory.
fn copy_policy(to: &Path) {
    let from = common::root().join("policies/nato");
    for f in rung::policy::collect(&from).unwrap() {
        let rel = f.strip_prefix(&from).unwrap();
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(&f, &dest).unwrap();
    }
}

fn digest_of(dir: &Path) -> String {
    let run = rung(&[
        "eval",
        dir.to_str().unwrap(),
        "--facts",
        ALBANIA,
        "--format",
        "json",
    ]);
    run.expect_code(0, "eval");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["rung_version"], env!("CARGO_PKG_VERSION"));
    doc["policy_digest"].as_str().unwrap().to_string()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rung-engine-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_digest_names_the_bytes_wherever_they_are() {
    let shipped = digest_of(&common::root().join("policies/nato"));
    assert_eq!(shipped.len(), 64);
    assert!(shipped.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(shipped, nato().digest.as_str());

    let a = temp("a");
    let b = temp("b").join("deeper/still");
    copy_policy(&a);
    copy_policy(&b);
    assert_eq!(digest_of(&a), shipped, "same bytes, another directory");
    assert_eq!(digest_of(&b), shipped, "same bytes, a deeper directory");

    // One byte more in a comment changes it.
    let schema = b.join("schema.rung");
    let mut text = std::fs::read_to_string(&schema).unwrap();
    text.push('\n');
    std::fs::write(&schema, text).unwrap();
    let edited = digest_of(&b);
    assert_ne!(edited, shipped, "an edit changes the digest");

    // A renamed file (same bytes) changes it too.
    std::fs::rename(a.join("window.rung"), a.join("window2.rung")).unwrap();
    assert_ne!(digest_of(&a), shipped, "a rename changes the digest");

    // The human output ends with the short form.
    let human = rung(&["eval", "policies/nato", "--facts", ALBANIA]);
    let last = human.stdout.lines().last().unwrap();
    assert_eq!(
        last,
        format!(
            "policy {} · rung {}",
            &shipped[..12],
            env!("CARGO_PKG_VERSION")
        )
    );
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(b.parent().unwrap().parent().unwrap());
}

/// Expressions typed at the prompt are checked in the scope of the loaded
/// program: the checker's hoisted definitions (named after their text, such
/// as `now - 365d`) are never offered, and nothing is added to the policy.
#[test]
fn the_prompt_checks_in_scope_and_shows_no_hoisted_definition() {
    let (mut s, _) = Session::start(
        &[PathBuf::from("policies/nato")],
        Some(ALBANIA),
        Paint { enabled: false },
    )
    .unwrap();
    let before = s.policy.policy.program.definitions().len();
    let Completion::Words(_, words) = complete(&s, "now", 3) else {
        panic!("words expected");
    };
    assert!(
        words.iter().all(|w| !w.contains(' ')),
        "a hoisted definition was offered: {words:?}"
    );
    let reply = s.execute("count(window where severity >= 4)");
    assert_eq!(rung::repl::transcript(&reply, 100).trim(), "2 : int");
    s.execute(":subject response IR");
    let reply = s.execute("sum(allied_high.severity)");
    assert_eq!(rung::repl::transcript(&reply, 100).trim(), "10 : int");
    assert_eq!(s.policy.policy.program.definitions().len(), before);
}

/// The README's examples name the shipped doctrine's digest, and its
/// replay chart is what `rung replay --format svg` draws today: a change to
/// the doctrine or the chart shows here, not as a stale document.
#[test]
fn the_readme_shows_the_current_digest_and_chart() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let digest = nato().digest;
    assert!(
        readme.contains(&format!("\"policy_digest\": \"{}\"", digest.as_str())),
        "README's JSON example: update policy_digest to {}",
        digest.as_str()
    );
    assert!(
        readme.contains(&format!("policy {} · rung", digest.short())),
        "README's human example: update the digest to {}",
        digest.short()
    );
    let svg = rung(&[
        "replay",
        "policies/nato",
        "--facts",
        "policies/nato/examples/campaign-2022.json",
        "--format",
        "svg",
    ]);
    svg.expect_code(0, "svg");
    let shipped =
        std::fs::read_to_string(common::root().join("docs/images/campaign-2022-replay.svg"))
            .unwrap();
    assert!(
        svg.stdout == shipped,
        "docs/images/campaign-2022-replay.svg is stale: regenerate it with the command in the README"
    );
}
