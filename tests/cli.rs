//! Exit codes of the binary: 0 success; 1 policy, facts or (with
//! `--strict`) indeterminate decision; 2 usage errors and unreadable input.
//! Every failure is a report on stderr, never a panic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::path::Path;

use common::{Run, rung, scratch};

const NATO: &str = "policies/nato";
const ALBANIA: &str = "policies/nato/examples/albania-2022.json";

/// A policy whose decision for `A` is indeterminate (a recommend above `top`
/// overflows), and one whose grouping fails (a ladder cannot be decided).
const INDETERMINATE: &str = r#"
record Item { id: string unique  who: string  n: int }
facts { items: list of Item }
ladder l { low "Low"  high "High" }
rules l for each who, xs in items grouped by who {
  recommend low because "always"
  recommend high when sum(xs.n) > 10 because "big"
}
"#;
const GROUP_FAILS: &str = r#"
record Item { id: string unique  n: int }
facts { items: list of Item  k: int }
ladder l { low "Low" }
rules l for each key, xs in items grouped by n / k {
  recommend low because "always"
}
"#;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

/// No panic, and a failure explains itself on stderr.
fn well_behaved(run: &Run, what: &str) {
    assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
    if run.code != Some(0) {
        assert!(!run.stderr.trim().is_empty(), "{what}: a failure says why");
    }
}

#[test]
fn exit_codes() {
    let dir = scratch("cli");
    let overflow = write(
        &dir,
        "overflow.json",
        br#"{ "items": [ { "id": "1", "who": "A", "n": 9223372036854775807 }, { "id": "2", "who": "A", "n": 1 } ] }"#,
    );
    let fine = write(
        &dir,
        "fine.json",
        br#"{ "items": [ { "id": "1", "who": "A", "n": 1 } ] }"#,
    );
    let zero = write(
        &dir,
        "zero.json",
        br#"{ "k": 0, "items": [ { "id": "1", "n": 1 } ] }"#,
    );
    let indeterminate = write(&dir, "indeterminate.rung", INDETERMINATE.as_bytes());
    let group_fails = write(&dir, "group.rung", GROUP_FAILS.as_bytes());
    let syntax = write(&dir, "syntax.rung", b"ladder l { a \"A\" \nlet = 3\n");
    let typo = write(
        &dir,
        "typo.rung",
        INDETERMINATE.replace("xs.n", "xs.m").as_bytes(),
    );
    let not_utf8_policy = write(&dir, "latin1.rung", b"ladder l { a \"\xe9\" }\n");
    let bad_json = write(&dir, "bad.json", b"{ \"now\": ");
    let bad_schema = write(
        &dir,
        "schema.json",
        br#"{ "now": "2024-13-01", "incidents": [] }"#,
    );
    let not_utf8_facts = write(&dir, "latin1.json", b"{ \"now\": \"\xe9\" }");
    let empty_dir = dir.join("empty");
    std::fs::create_dir_all(&empty_dir).unwrap();
    let empty_dir = empty_dir.to_str().unwrap().to_string();
    let missing = dir.join("missing.json").to_str().unwrap().to_string();

    #[rustfmt::skip]
    let cases: Vec<(&str, Vec<&str>, i32, &str)> = vec![
        // Success.
        ("help", vec!["--help"], 0, ""),
        ("version", vec!["--version"], 0, ""),
        ("check the reference policy", vec!["check", NATO], 0, "ok: 9 files checked"),
        ("eval the reference policy", vec!["eval", NATO, "--facts", ALBANIA], 0, ""),
        ("--strict on complete decisions", vec!["eval", NATO, "--facts", ALBANIA, "--strict"], 0, ""),
        ("indeterminate without --strict", vec!["eval", &indeterminate, "--facts", &overflow], 0, ""),
        ("complete with --strict", vec!["eval", &indeterminate, "--facts", &fine, "--strict"], 0, ""),
        // Policy, facts, decision failures.
        ("indeterminate with --strict", vec!["eval", &indeterminate, "--facts", &overflow, "--strict"], 1, "1 decision is indeterminate (--strict)"),
        ("indeterminate with --strict, JSON", vec!["eval", &indeterminate, "--facts", &overflow, "--strict", "--format", "json"], 1, "rung::eval::arithmetic"),
        ("a ladder that cannot be decided", vec!["eval", &group_fails, "--facts", &zero], 1, "could not be decided"),
        ("a ladder that cannot be decided, JSON", vec!["eval", &group_fails, "--facts", &zero, "--format", "json"], 1, "rung::eval::arithmetic"),
        ("syntax error", vec!["check", &syntax], 1, "rung::parse"),
        ("syntax error in eval", vec!["eval", &syntax, "--facts", ALBANIA], 1, "rung::parse"),
        ("type error", vec!["check", &typo], 1, "did you mean `n`?"),
        ("invalid JSON", vec!["eval", NATO, "--facts", &bad_json], 1, "rung::facts::json"),
        ("facts against the schema", vec!["eval", NATO, "--facts", &bad_schema], 1, "rung::facts::date"),
        ("policy not UTF-8", vec!["check", &not_utf8_policy], 1, "rung::parse::encoding"),
        // Usage errors and unreadable input.
        ("no subcommand", vec![], 2, "Usage"),
        ("unknown subcommand", vec!["frobnicate"], 2, "frobnicate"),
        ("missing --facts", vec!["eval", NATO], 2, "--facts"),
        ("no policy path", vec!["check"], 2, "PATHS"),
        ("bad --format", vec!["eval", NATO, "--facts", ALBANIA, "--format", "xml"], 2, "xml"),
        ("unknown flag", vec!["eval", NATO, "--facts", ALBANIA, "--colour"], 2, "--colour"),
        ("missing policy file", vec!["check", "no/such/policy.rung"], 2, "rung::io::read"),
        ("missing policy in eval", vec!["eval", "no/such/dir", "--facts", ALBANIA], 2, "rung::io::read"),
        ("directory without policies", vec!["check", &empty_dir], 2, "rung::io::empty"),
        ("missing facts file", vec!["eval", NATO, "--facts", &missing], 2, "rung::io::read"),

        ("facts not UTF-8", vec!["eval", NATO, "--facts", &not_utf8_facts], 2, "not UTF-8"),
    ];
    let mut failures = Vec::new();
    for (what, args, code, needle) in &cases {
        let run = rung(args);
        well_behaved(&run, what);
        let out = format!("{}{}", run.stdout, run.stderr);
        if run.code != Some(*code) || !out.contains(needle) {
            failures.push(format!(
                "{what}: `rung {}` exited {:?}, expected {code} and output containing {needle:?}\n{}",
                args.join(" "),
                run.code,
                common::head(&out)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The indeterminate decision is visible in both formats, with the error.
#[test]
fn indeterminate_is_reported() {
    let dir = scratch("cli-indeterminate");
    let policy = write(&dir, "p.rung", INDETERMINATE.as_bytes());
    let facts = br#"{ "items": [ { "id": "1", "who": "A", "n": 9223372036854775807 }, { "id": "2", "who": "A", "n": 1 } ] }"#;
    let json = common::rung_stdin(
        &["eval", &policy, "--facts", "-", "--format", "json"],
        facts,
    );
    json.expect_code(0, "json");
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["decisions"][0]["status"], "indeterminate");
    assert_eq!(doc["decisions"][0]["errors"][0]["rungs"][0], "high");
    let human = common::rung_stdin(&["eval", &policy, "--facts", "-", "--strict"], facts);
    human.expect_code(1, "human --strict");
    assert!(human.stdout.contains("indeterminate"), "{}", human.stdout);
    assert!(human.stdout.contains("overflows"), "{}", human.stdout);
}

/// `check --deny-warnings` fails on a policy with warnings.
#[test]
fn deny_warnings() {
    let dir = scratch("cli-warnings");
    let policy = write(
        &dir,
        "p.rung",
        b"record Item { id: string unique  who: string }\nfacts { items: list of Item }\nladder l { a \"A\"  b \"B\" }\nrules l for each who, xs in items grouped by who {\n  recommend a because \"always\"\n}\n",
    );
    let plain = rung(&["check", &policy]);
    plain.expect_code(0, "warnings alone");
    assert!(
        plain.stderr.contains("rung::lint::unreachable_rung"),
        "{}",
        plain.stderr
    );
    rung(&["check", &policy, "--deny-warnings"]).expect_code(1, "--deny-warnings");
}
