#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! `rung test` end to end: passing and failing tests, filters, JSON output,
//! snapshots (create, compare, update, CI), coverage, bad facts, checker
//! errors in tests, exit codes. Each case works in its own temporary copy.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A small policy: three rungs, a forbid, and rules named so tests can refer to them.
const POLICY: &str = r#"
enum Level { low < high }
record Incident { id: string unique  sponsor: string  level: Level  severity: int in 1..5 }
facts { incidents: list of Incident }
ladder response {
  monitor   "Monitor"
  name      "Name the state"
  sanctions "Sanctions"
}
rules response for each state, acts in incidents grouped by sponsor {
  always: recommend monitor because "Always watch"
  confident: recommend name when any acts has level == high because "Confident attribution"
  serious: recommend sanctions when sum(acts.severity) >= 6 because "Serious campaign"
  too_many: forbid sanctions when count(acts) > 3 because "Too many to sanction"
}
"#;

const TWO_SERIOUS: &str = r#"{ "incidents": [
  { "id": "a", "sponsor": "XA", "level": "high", "severity": 3 },
  { "id": "b", "sponsor": "XA", "level": "low", "severity": 3 }
] }
"#;

/// A temporary directory, removed when the test ends.
struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh directory holding the policy `p/` (`policy.rung`, `tests.rung`
/// and `facts/two.json`).
fn project(name: &str, tests: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!("rung-policy-tests-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("p/facts")).unwrap();
    std::fs::write(dir.join("p/policy.rung"), POLICY).unwrap();
    std::fs::write(dir.join("p/tests.rung"), tests).unwrap();
    std::fs::write(dir.join("p/facts/two.json"), TWO_SERIOUS).unwrap();
    TempDir(dir)
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `rung` in `dir`, without colour, outside CI unless `ci`.
fn rung(dir: &Path, args: &[&str], ci: bool) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rung"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("CI");
    if ci {
        cmd.env("CI", "true");
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn last_line(s: &str) -> &str {
    s.lines().last().unwrap_or("")
}

/// A shipped doctrine's suite, run as CI runs it (a missing snapshot fails
/// rather than being written into the repository): at least 10 tests pass,
/// none fails, `coverage` is its coverage line, and `--deny-uncovered`
/// agrees.
fn shipped_suite_passes(policy: &str, coverage: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = rung(root, &["test", policy, "--deny-uncovered"], true);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let last = last_line(&run.stdout);
    let passed: usize = last
        .strip_suffix(" passed, 0 failed")
        .unwrap()
        .parse()
        .unwrap();
    assert!(passed >= 10, "{last}");
    assert!(
        run.stdout.contains(&format!("{coverage}\n")),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("never fired"));
}

#[test]
fn the_nato_suite_passes_and_covers_every_rule() {
    shipped_suite_passes(
        "policies/nato",
        "coverage: 14 of 14 rules fired in some test (2 of 2 forbids)",
    );
}

/// The second reference doctrine: at least 10 tests, every rule and both
/// forbids fired, no warning, and the table of allies decides exactly as
/// the JSON document.
#[test]
fn the_pledge_suite_passes_and_covers_every_rule() {
    shipped_suite_passes(
        "policies/pledge",
        "coverage: 6 of 6 rules fired in some test (2 of 2 forbids)",
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for policy in ["policies/pledge", "policies/nato"] {
        let check = rung(root, &["check", policy, "--deny-warnings"], true);
        assert_eq!(check.code, 0, "{policy}: {}", check.stderr);
    }
    let snapshots = root.join("policies/pledge/tests/snapshots");
    assert_eq!(
        std::fs::read_to_string(snapshots.join("allies-2024.json")).unwrap(),
        std::fs::read_to_string(snapshots.join("allies-2024-table.json")).unwrap(),
        "the table of allies decides as the JSON document"
    );
}

#[test]
fn passing_tests_print_ok_and_the_closing_count() {
    let dir = project(
        "pass",
        r#"
test "two serious acts" {
  facts "facts/two.json"
  expect response "XA" top sanctions
  expect response "XA" recommends name
  expect response "XA" fires serious
  expect response "XA" not fires too_many
  expect response "XA" status complete
  expect response "XB" no decision
}
"#,
    );
    let run = rung(&dir, &["test", "p"], false);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    insta::assert_snapshot!(run.stdout, @r"
    running 1 test
    test two serious acts ... ok

    coverage: 3 of 4 rules fired in some test (0 of 1 forbids); never fired:
        forbid    too_many  (response, p/policy.rung:14:3)
    1 passed, 0 failed
    ");
}

#[test]
fn a_failing_test_shows_expected_actual_and_the_rules_concerned() {
    let dir = project(
        "fail",
        r#"
test "one high act is enough" {
  facts { "incidents": [ { "id": "a", "sponsor": "XA", "level": "high", "severity": 2 } ] }
  expect response "XA" top sanctions
  expect response "XA" fires confident
}
test "two serious acts" {
  facts "facts/two.json"
  expect response "XA" not fires serious
  expect response "XZ" top monitor
}
"#,
    );
    let run = rung(&dir, &["test", "p"], false);
    assert_eq!(run.code, 1);
    assert_eq!(last_line(&run.stdout), "0 passed, 2 failed");
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn the_filter_selects_tests_by_substring() {
    let dir = project(
        "filter",
        r#"
test "alpha passes" { facts "facts/two.json"  expect response "XA" top sanctions }
test "beta fails" { facts "facts/two.json"  expect response "XA" top monitor }
test "gamma passes" { facts "facts/two.json"  expect response "XA" fires always }
"#,
    );
    let run = rung(&dir, &["test", "p", "--filter", "pass"], false);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.starts_with("running 2 tests (1 filtered out)\n"));
    assert!(run.stdout.contains("test alpha passes ... ok\n"));
    assert!(!run.stdout.contains("beta"));
    // A filtered run does not blame rules on the tests it left out.
    assert!(run.stdout.contains("a filtered run"));
    assert_eq!(last_line(&run.stdout), "2 passed, 0 failed");

    let two = rung(
        &dir,
        &["test", "p", "--filter", "beta", "--filter", "gamma"],
        false,
    );
    assert_eq!(two.code, 1);
    assert_eq!(last_line(&two.stdout), "1 passed, 1 failed");

    let none = rung(&dir, &["test", "p", "--filter", "nothing matches"], false);
    assert_eq!(none.code, 0);
    assert_eq!(last_line(&none.stdout), "0 passed, 0 failed");
}

#[test]
fn json_output_is_one_document_with_every_result() {
    let dir = project(
        "json",
        r#"
test "ok" { facts "facts/two.json"  expect response "XA" top sanctions }
test "wrong" { facts "facts/two.json"  expect response "XA" forbids sanctions }
test "bad facts" { facts "facts/missing.json" }
"#,
    );
    let run = rung(&dir, &["test", "p", "--format", "json"], false);
    assert_eq!(run.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["passed"], 1);
    assert_eq!(doc["failed"], 2);
    assert_eq!(doc["filtered_out"], 0);
    let tests = doc["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 3);
    assert_eq!(tests[0]["name"], "ok");
    assert_eq!(tests[0]["verdict"], "passed");
    assert_eq!(tests[0]["location"], "p/tests.rung:2:1");
    let wrong = &tests[1]["failures"][0];
    assert_eq!(
        wrong["expectation"],
        "expect response \"XA\" forbids sanctions"
    );
    assert_eq!(wrong["expected"], "`sanctions` forbidden");
    assert_eq!(wrong["actual"], "`sanctions` recommended by `serious`");
    let rules: Vec<&str> = wrong["explanation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["serious", "too_many"]);
    assert_eq!(tests[2]["facts_errors"][0]["code"], "rung::io::read");
    assert_eq!(doc["coverage"]["rules"], 4);
    assert_eq!(doc["coverage"]["unexercised"][0]["rule"], "too_many");
}

#[test]
fn bad_facts_fail_their_test_and_the_others_still_run() {
    let dir = project(
        "bad-facts",
        r#"
test "severity out of range" {
  facts { "incidents": [ { "id": "a", "sponsor": "XA", "level": "high", "severity": 9 } ] }
  expect response "XA" top name
}
test "still runs" { facts "facts/two.json"  expect response "XA" top sanctions }
"#,
    );
    let run = rung(&dir, &["test", "p"], false);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("test severity out of range ... FAILED\n")
    );
    assert!(run.stdout.contains("test still runs ... ok\n"));
    assert_eq!(last_line(&run.stdout), "1 passed, 1 failed");
    // The facts report points into the test's own file, at the inline JSON.
    assert!(
        run.stdout
            .contains("$.incidents[0].severity: 9 is outside the allowed range 1..5"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("╭─[p/tests.rung:3:"), "{}", run.stdout);
}

#[test]
fn snapshots_are_created_compared_and_updated() {
    let tests = r#"
test "pinned" {
  facts "facts/two.json"
  snapshot "snapshots/two.json"
}
"#;
    let dir = project("snapshots", tests);
    let snap = dir.join("p/snapshots/two.json");

    // In CI a missing snapshot fails and nothing is written.
    let ci = rung(&dir, &["test", "p"], true);
    assert_eq!(ci.code, 1, "{}", ci.stdout);
    assert!(
        ci.stdout
            .contains("snapshot p/snapshots/two.json is missing")
    );
    assert!(!snap.exists());

    // Outside CI it is written, and the test passes.
    let created = rung(&dir, &["test", "p"], false);
    assert_eq!(created.code, 0, "{}", created.stdout);
    assert!(
        created
            .stdout
            .contains("test pinned ... ok (snapshot written: p/snapshots/two.json)\n")
    );
    let stored = std::fs::read_to_string(&snap).unwrap();
    // The snapshot is exactly what `rung eval --format json` prints, less
    // the provenance: it pins decisions, and must not change when another
    // file of the policy (a test) does.
    let eval = rung(
        &dir,
        &[
            "eval",
            "p",
            "--facts",
            "p/facts/two.json",
            "--format",
            "json",
        ],
        false,
    );
    let decisions: String = eval
        .stdout
        .lines()
        .filter(|l| {
            !l.starts_with("  \"policy_digest\": ") && !l.starts_with("  \"rung_version\": ")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(decisions, eval.stdout, "eval prints its provenance");
    assert_eq!(stored, decisions);

    // Unchanged: it matches, in CI too.
    let same = rung(&dir, &["test", "p"], true);
    assert_eq!(same.code, 0, "{}", same.stdout);
    assert!(same.stdout.contains("test pinned ... ok\n"));

    // A doctrine change shifts the decision: the test fails with a diff and
    // the stored snapshot is left alone.
    let policy = dir.join("p/policy.rung");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(
        &policy,
        text.replace("sum(acts.severity) >= 6", "sum(acts.severity) >= 7"),
    )
    .unwrap();
    let changed = rung(&dir, &["test", "p"], false);
    assert_eq!(changed.code, 1);
    assert_eq!(std::fs::read_to_string(&snap).unwrap(), stored);
    let failure = changed
        .stdout
        .split_once("failures:\n")
        .map(|(_, f)| f)
        .unwrap();
    insta::assert_snapshot!(failure);

    // `--update` accepts the change; the next run passes.
    let updated = rung(&dir, &["test", "p", "--update"], true);
    assert_eq!(updated.code, 0, "{}", updated.stdout);
    assert!(
        updated
            .stdout
            .contains("(snapshot updated: p/snapshots/two.json)")
    );
    assert_ne!(std::fs::read_to_string(&snap).unwrap(), stored);
    let again = rung(&dir, &["test", "p"], true);
    assert_eq!(again.code, 0, "{}", again.stdout);
    // No temporary file is left beside the snapshot.
    let names: Vec<_> = std::fs::read_dir(dir.join("p/snapshots"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["two.json"]);
}

#[test]
fn coverage_lists_rules_no_test_fired_and_can_fail_the_run() {
    let dir = project(
        "coverage",
        r#"
test "only monitoring" {
  facts { "incidents": [ { "id": "a", "sponsor": "XA", "level": "low", "severity": 1 } ] }
  expect response "XA" top monitor
}
"#,
    );
    let run = rung(&dir, &["test", "p"], false);
    assert_eq!(run.code, 0);
    let coverage = run
        .stdout
        .split_once("\ncoverage: ")
        .map(|(_, c)| c)
        .unwrap();
    insta::assert_snapshot!(coverage, @r"
    1 of 4 rules fired in some test (0 of 1 forbids); never fired:
        recommend confident  (response, p/policy.rung:12:3)
        recommend serious    (response, p/policy.rung:13:3)
        forbid    too_many   (response, p/policy.rung:14:3)
    1 passed, 0 failed
    ");
    let deny = rung(&dir, &["test", "p", "--deny-uncovered"], false);
    assert_eq!(deny.code, 1);
}

#[test]
fn unknown_names_in_tests_are_check_errors_with_suggestions() {
    let dir = project(
        "check",
        r#"
test "typos" {
  facts "facts/two.json"
  expect respnse "XA" top monitor
  expect response "XA" top sanction
  expect response "XA" fires seriuos
  expect response "XA" status done
}
test "typos" { facts "facts/two.json" }
"#,
    );
    let check = rung(&dir, &["check", "p"], false);
    assert_eq!(check.code, 1);
    insta::assert_snapshot!(check.stderr);
    // `rung test` refuses to run a policy that does not check.
    let test = rung(&dir, &["test", "p"], false);
    assert_eq!(test.code, 1);
    assert!(test.stdout.is_empty());
    assert!(
        test.stderr
            .contains("unknown rule `seriuos` on ladder `response`")
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = project("usage", "");
    assert_eq!(rung(&dir, &["test"], false).code, 2);
    assert_eq!(
        rung(&dir, &["test", "p", "--format", "yaml"], false).code,
        2
    );
    assert_eq!(rung(&dir, &["test", "does-not-exist"], false).code, 2);
    // A policy without tests runs none, successfully.
    let empty = rung(&dir, &["test", "p"], false);
    assert_eq!(empty.code, 0);
    assert_eq!(last_line(&empty.stdout), "0 passed, 0 failed");
}

/// A fresh directory holding the NATO doctrine as `p/` (without its
/// tests), the 2022 campaign as `p/ex/campaign-2022.json`, and `tests` as
/// `p/t.rung`.
fn nato_project(name: &str, tests: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!("rung-policy-tests-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("p/ex")).unwrap();
    let dir = TempDir(dir);
    let nato = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/nato");
    for f in [
        "schema.rung",
        "window.rung",
        "response.rung",
        "victim_assistance.rung",
    ] {
        std::fs::copy(nato.join(f), dir.join("p").join(f)).unwrap();
    }
    std::fs::copy(
        nato.join("examples/campaign-2022.json"),
        dir.join("p/ex/campaign-2022.json"),
    )
    .unwrap();
    std::fs::write(dir.join("p/t.rung"), tests).unwrap();
    dir
}

#[test]
fn timeline_expectations_are_judged_on_the_replay() {
    let dir = nato_project(
        "timeline",
        r#"
test "right dates" {
  facts "ex/campaign-2022.json"
  expect response "RU" reaches sanctions on 2022-01-14
  expect response "RU" never reaches article_5_consideration
}
test "wrong dates" {
  facts "ex/campaign-2022.json"
  expect response "RU" reaches sanctions on 2022-01-15
  expect response "RU" never reaches collective_response
  expect response "IR" reaches sanctions on 2022-07-15
}
"#,
    );
    let run = rung(&dir, &["test", "p"], false);
    assert_eq!(run.code, 1);
    assert_eq!(last_line(&run.stdout), "1 passed, 1 failed");
    let failures = run.stdout.split("---- wrong dates ----").nth(1).unwrap();
    let failures = failures.split("\nfailures:").next().unwrap();
    insta::assert_snapshot!(failures);

    // A rung that is not on the ladder is a check error, with a suggestion.
    std::fs::write(
        dir.join("p/t.rung"),
        "test \"typo\" {\n  facts \"ex/campaign-2022.json\"\n  expect response \"RU\" reaches sanktions on 2022-01-14\n}\n",
    )
    .unwrap();
    let check = rung(&dir, &["check", "p"], false);
    assert_eq!(check.code, 1);
    assert!(
        check.stderr.contains("did you mean `sanctions`?"),
        "{}",
        check.stderr
    );
}

/// A policy without `now: date` cannot be replayed: its timeline
/// expectations fail and say why, its other expectations still run.
#[test]
fn timeline_expectations_need_now() {
    let dir = project(
        "no-now",
        r#"
test "no now" {
  facts "facts/two.json"
  expect response "XA" never reaches sanctions
  expect response "XA" top sanctions
}
"#,
    );
    let run = rung(&dir, &["test", "p"], false);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("actual:   no replay: the policy declares no fact `now: date`"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout
            .contains("expect response \"XA\" top sanctions  p/"),
        "the other expectation holds"
    );
}

/// `snapshot replay "file"` pins the whole timeline: written when missing
/// (refused in CI), equal to `rung replay --format json` less provenance,
/// and a change fails with a diff.
#[test]
fn replay_snapshots_are_created_compared_and_updated() {
    let dir = nato_project(
        "replay-snapshot",
        "test \"campaign\" {\n  facts \"ex/campaign-2022.json\"\n  snapshot replay \"snaps/campaign.json\"\n}\n",
    );
    let snap = dir.join("p/snaps/campaign.json");
    let run = rung(&dir, &["test", "p"], true);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("snapshot p/snaps/campaign.json is missing"),
        "{}",
        run.stdout
    );
    assert!(!snap.exists());

    let run = rung(&dir, &["test", "p"], false);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("test campaign ... ok (snapshot written: p/snaps/campaign.json)"),
        "{}",
        run.stdout
    );
    let stored = std::fs::read_to_string(&snap).unwrap();
    let replay = rung(
        &dir,
        &[
            "replay",
            "p",
            "--facts",
            "p/ex/campaign-2022.json",
            "--format",
            "json",
        ],
        false,
    );
    assert_eq!(replay.code, 0, "{}", replay.stderr);
    let without_provenance: String = replay
        .stdout
        .lines()
        .filter(|l| !l.contains("\"policy_digest\"") && !l.contains("\"rung_version\""))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(stored, without_provenance);
    assert_eq!(rung(&dir, &["test", "p"], true).code, 0);

    // A crossing on another day is a failure that shows what moved.
    std::fs::write(&snap, stored.replace("2022-06-27", "2022-06-28")).unwrap();
    let run = rung(&dir, &["test", "p"], false);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("snapshot p/snaps/campaign.json changed (- stored, + replay now):"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("-          \"date\": \"2022-06-28\","),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("+          \"date\": \"2022-06-27\","),
        "{}",
        run.stdout
    );
    assert_eq!(rung(&dir, &["test", "p", "--update"], false).code, 0);
    assert_eq!(std::fs::read_to_string(&snap).unwrap(), stored);

    // One replay snapshot per test; a decision snapshot may sit beside it.
    std::fs::write(
        dir.join("p/t.rung"),
        "test \"campaign\" {\n  facts \"ex/campaign-2022.json\"\n  snapshot replay \"a.json\"\n  snapshot replay \"b.json\"\n}\n",
    )
    .unwrap();
    let check = rung(&dir, &["check", "p"], false);
    assert_eq!(check.code, 1);
    assert!(
        check
            .stderr
            .contains("a test has at most one replay snapshot"),
        "{}",
        check.stderr
    );
}

/// Without `now: date` there is no replay to pin: the snapshot fails and
/// says why, and nothing is written.
#[test]
fn replay_snapshots_need_now() {
    let dir = project(
        "no-now-replay",
        "test \"no now\" {\n  facts \"facts/two.json\"\n  snapshot replay \"snaps/r.json\"\n}\n",
    );
    let run = rung(&dir, &["test", "p"], false);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(
            "snapshot p/snaps/r.json: cannot replay: the policy declares no fact `now: date`"
        ),
        "{}",
        run.stdout
    );
    assert!(!dir.join("p/snaps/r.json").exists());
}
