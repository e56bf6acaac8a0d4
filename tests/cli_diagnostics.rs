//! Diagnostics through the binary: limits on hostile input, error formats,
//! `--deny-warnings`, `rung explain` and exit codes.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const SCHEMA: &str = r#"enum Attribution { none < low < moderate < high }
record Incident {
  id: string unique
  date: date
  victim: string
  state_sponsor: optional string
  attribution: Attribution
  severity: int in 1..5
}
facts { now: date  incidents: list of Incident }
ladder response {
  monitor "Monitor the campaign"
  name    "Publicly name the responsible state"
}
rules response for each state, acts in incidents grouped by state_sponsor {
  recommend monitor because "Every sponsor is monitored"
  recommend name when any acts has attribution == high because "Confident"
}
warn incidents where date > now because "dated after now"
"#;

const FACTS: &str = r#"{ "now": "2024-01-01", "incidents": [
  { "id": "a", "date": "2023-10-01", "victim": "EE", "state_sponsor": "XX",
    "attribution": "high", "severity": 3 } ] }"#;

/// A file under the test's scratch directory.
fn scratch(name: &str, text: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_diagnostics");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn rung(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rung"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = stdin.unwrap_or("").to_string();
    let mut pipe = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    // `None` means a signal (a crash such as a stack overflow).
    o.status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal: {}", stderr(o)))
}

#[test]
fn a_hundred_thousand_parentheses_are_a_clear_error() {
    let n = 100_000;
    let text = format!("let x = {}1{}\n", "(".repeat(n), ")".repeat(n));
    let path = scratch("parens.rung", &text);
    let out = rung(&["check", path.to_str().unwrap()], None);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.contains("rung::parse::too_deep"), "{err}");
    // The 200,000-character line is shown as a window, not in full.
    assert!(err.len() < 2_000, "{} bytes of report", err.len());
}

#[test]
fn other_deep_nestings_are_clear_errors() {
    let cases = [
        (
            "nots.rung",
            format!("let x = {}true\n", "not ".repeat(100_000)),
        ),
        (
            "lists.rung",
            format!("let x = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
        ),
        (
            "types.rung",
            format!("record R {{ a: {}int }}\n", "list of ".repeat(100_000)),
        ),
        (
            "quantifiers.rung",
            format!("let x = {}true\n", "any incidents has ".repeat(50_000)),
        ),
        (
            "negations.rung",
            format!("let x = {}1\n", "-".repeat(100_000)),
        ),
        (
            "chain.rung",
            format!("let x = 1{}\n", " + 1".repeat(20_000)),
        ),
    ];
    for (name, text) in cases {
        let path = scratch(name, &text);
        let out = rung(&["check", path.to_str().unwrap()], None);
        assert_eq!(code(&out), 1, "{name}");
        assert!(
            stderr(&out).contains("rung::parse::too_deep"),
            "{name}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn two_hundred_thousand_nested_arrays_in_the_facts_are_a_clear_error() {
    let policy = scratch("nested.rung", SCHEMA);
    let n = 200_000;
    let deep = format!("{}{}", "[".repeat(n), "]".repeat(n));
    // Where the schema expects a value, deep nesting is an error; under a
    // field the schema does not know, the value is skipped with a warning.
    for (facts, expected) in [
        (deep.clone(), 1),
        (
            format!(r#"{{ "now": "2024-01-01", "incidents": {deep} }}"#),
            1,
        ),
        (format!(r#"{{ "now": {deep}, "incidents": [] }}"#), 1),
        (
            format!(r#"{{ "now": "2024-01-01", "incidents": [], "extra": {deep} }}"#),
            0,
        ),
        (
            format!(
                r#"{{ "now": "2024-01-01", "incidents": [], "extra": {}{} }}"#,
                r#"{"a":"#.repeat(n),
                "}".repeat(n)
            ),
            // serde_json's nesting limit still applies to objects it skips.
            1,
        ),
    ] {
        let out = rung(
            &["eval", policy.to_str().unwrap(), "--facts", "-"],
            Some(&facts),
        );
        assert_eq!(code(&out), expected);
        let err = stderr(&out);
        assert!(err.contains("rung::facts::"), "{err}");
        assert!(err.len() < 4_000, "{} bytes of report", err.len());
    }
}

#[test]
fn json_format_is_one_object_per_line() {
    let text = format!(
        "{SCHEMA}\nlet recent = incidnets where date > now - 365d\nlet typo = incidents where severty > 3\nlet unused = 3\n"
    );
    let path = scratch("json.rung", &text);
    let out = rung(
        &["check", path.to_str().unwrap(), "--error-format", "json"],
        None,
    );
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    let lines: Vec<serde_json::Value> = err
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    // Two errors, then a warning for each of the three unused definitions.
    assert_eq!(lines.len(), 5, "{err}");
    let first = &lines[0];
    assert_eq!(first["code"], "rung::name::unknown");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["message"], "unknown name `incidnets`");
    assert_eq!(first["line"], 21);
    assert_eq!(first["column"], 14);
    assert!(first["file"].as_str().unwrap().ends_with("json.rung"));
    let span = &first["span"];
    assert_eq!(
        &text[span["start"].as_u64().unwrap() as usize..span["end"].as_u64().unwrap() as usize],
        "incidnets"
    );
    assert_eq!(first["help"], "did you mean `incidents`?");
    assert_eq!(first["labels"][0]["primary"], true);
    assert_eq!(lines[2]["severity"], "warning");
    assert_eq!(lines[2]["code"], "rung::lint::unused");
}

#[test]
fn plain_format_is_greppable() {
    let text = format!("{SCHEMA}\nlet recent = incidents where date > now - 365\n");
    let path = scratch("plain.rung", &text);
    let out = rung(
        &["check", path.to_str().unwrap(), "--error-format=plain"],
        None,
    );
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    let first = err.lines().next().unwrap();
    assert!(
        first.ends_with(
            "plain.rung:21:37: error[rung::type::operator]: `-` cannot combine `date` and `int`"
        ),
        "{err}"
    );
    assert!(
        err.contains("  help: subtract a duration from a date: `now - 365d`"),
        "{err}"
    );
}

#[test]
fn warnings_fail_only_when_denied() {
    let path = scratch("warn.rung", &format!("{SCHEMA}\nlet unused = 3\n"));
    let p = path.to_str().unwrap();
    let out = rung(&["check", p], None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("rung::lint::unused"));
    assert_eq!(code(&rung(&["check", p, "--deny-warnings"], None)), 1);
    let out = rung(&["eval", p, "--facts", "-"], Some(FACTS));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        code(&rung(
            &["eval", p, "--facts", "-", "--deny-warnings"],
            Some(FACTS)
        )),
        1
    );
}

#[test]
fn facts_warnings_fail_eval_only_when_denied() {
    let path = scratch("clean.rung", SCHEMA);
    let p = path.to_str().unwrap();
    let future = FACTS.replace("2023-10-01", "2024-06-01");
    assert_eq!(code(&rung(&["eval", p, "--facts", "-"], Some(&future))), 0);
    assert_eq!(
        code(&rung(
            &["eval", p, "--facts", "-", "--deny-warnings"],
            Some(&future)
        )),
        1
    );
    assert_eq!(
        code(&rung(
            &["eval", p, "--facts", "-", "--deny-warnings"],
            Some(FACTS)
        )),
        0
    );
}

#[test]
fn facts_errors_in_json_point_into_the_facts() {
    let path = scratch("facts.rung", SCHEMA);
    let bad = FACTS.replace("\"severity\": 3", "\"severity\": 9");
    let out = rung(
        &[
            "eval",
            path.to_str().unwrap(),
            "--facts",
            "-",
            "--error-format",
            "json",
        ],
        Some(&bad),
    );
    assert_eq!(code(&out), 1);
    let line: serde_json::Value =
        serde_json::from_str(stderr(&out).lines().next().unwrap()).unwrap();
    assert_eq!(line["code"], "rung::facts::range");
    assert_eq!(line["file"], "<stdin>");
    assert_eq!(line["line"], 3);
    assert_eq!(
        line["message"],
        "$.incidents[0].severity: 9 is outside the allowed range 1..5"
    );
}

#[test]
fn explain_prints_an_example_and_its_fix() {
    let out = rung(&["explain", "rung::type::optional"], None);
    assert_eq!(code(&out), 0);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("rung::type::optional: "), "{text}");
    assert!(
        text.contains("Failing example:") && text.contains("Fixed:"),
        "{text}"
    );
    let short = rung(&["explain", "type::optional"], None);
    assert_eq!(short.stdout, out.stdout);
    let list = rung(&["explain"], None);
    assert_eq!(code(&list), 0);
    assert!(String::from_utf8_lossy(&list.stdout).contains("rung::facts::range"));
}

#[test]
fn explain_an_unknown_code_suggests_one() {
    let out = rung(&["explain", "rung::name::unknwon"], None);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("rung::usage::code"), "{err}");
    assert!(err.contains("did you mean `rung::name::unknown`?"), "{err}");
}

#[test]
fn a_missing_path_is_a_usage_error() {
    let out = rung(
        &["check", "does/not/exist.rung", "--error-format", "plain"],
        None,
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).starts_with("rung: error[rung::io::read]: cannot read `does/not/exist.rung`")
    );
}

#[test]
fn every_syntax_error_of_a_file_is_reported() {
    let text = format!(
        "{SCHEMA}\nlet a = 3 +\nlet b = count(incidents\nrules response for each s, acts in incidents grouped by state_sponsor {{\n  recommend monitor\n  recommend name when x && y because \"z\"\n}}\nlet in = 2\n"
    );
    let path = scratch("many.rung", &text);
    let out = rung(
        &["check", path.to_str().unwrap(), "--error-format", "plain"],
        None,
    );
    let err = stderr(&out);
    let codes: Vec<&str> = err
        .lines()
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split("error[").nth(1))
        .filter_map(|l| l.split(']').next())
        .collect();
    assert_eq!(
        codes,
        [
            "rung::parse::unexpected",
            "rung::parse::unclosed",
            "rung::parse::because",
            "rung::parse::operator",
            "rung::parse::keyword"
        ],
        "{err}"
    );
}

/// `rung check` of each lint's example (warnings only) succeeds and shows
/// only warnings; `--deny-warnings` is what makes it fail. Every explained
/// lint is run, so a new one is covered without naming it here.
#[test]
fn a_policy_with_only_lints_checks() {
    use rung::diagnostic::codes::{EXPLANATIONS, Example, with_prelude};

    let mut ran = 0;
    for e in EXPLANATIONS
        .iter()
        .filter(|e| e.code.starts_with("rung::lint::"))
    {
        let text = match e.example {
            Example::Policy { bad, .. } => with_prelude(bad),
            Example::Standalone { bad, .. } => bad.to_string(),
            _ => continue,
        };
        let name = format!("{}.rung", e.code.replace("::", "_"));
        let path = scratch(&name, &text);
        let p = path.to_str().unwrap();
        let out = rung(&["check", p, "--error-format=json"], None);
        assert_eq!(code(&out), 0, "{}: {}", e.code, stderr(&out));
        let err = stderr(&out);
        let lines: Vec<serde_json::Value> = err
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|x| panic!("{x}: {l}")))
            .collect();
        assert!(
            lines.iter().any(|l| l["code"] == e.code),
            "{}: {err}",
            e.code
        );
        assert!(
            lines.iter().all(|l| l["severity"] == "warning"),
            "{}: {err}",
            e.code
        );
        let denied = rung(&["check", p, "--deny-warnings"], None);
        assert_eq!(code(&denied), 1, "{}: {}", e.code, stderr(&denied));
        ran += 1;
    }
    assert!(ran >= 5, "only {ran} lint examples");
}

/// CI checks the shipped policies with `--deny-warnings`: every directory
/// under `policies/` is a policy, and none may warn (a lint such as a
/// self-comparison would change decisions silently).
#[test]
fn every_shipped_policy_checks_without_warnings() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("policies");
    let mut policies: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    policies.sort();
    assert!(!policies.is_empty(), "no policy under {}", root.display());
    for policy in policies {
        let path = policy.to_str().unwrap();
        let o = rung(&["check", "--deny-warnings", path], None);
        assert_eq!(
            code(&o),
            0,
            "`rung check --deny-warnings {path}`:\n{}",
            stderr(&o)
        );
    }
}

/// A policy file saved as Latin-1 is a problem in the policy (exit 1), not
/// an unreadable path (exit 2): the report points at the first byte that is
/// not UTF-8, gives its offset, and says how to re-save the file.
#[test]
fn a_policy_that_is_not_utf8_is_a_policy_error_at_its_byte() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_diagnostics_latin1");
    std::fs::create_dir_all(&dir).unwrap();
    let text = format!("{SCHEMA}\nlet r\u{e9}cent = incidents where severity > 3\n");
    // `é` as Latin-1 writes it: one byte, 0xE9.
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    std::fs::write(dir.join("latin1.rung"), bytes).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rung"))
        .args(["check", "latin1.rung"])
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    insta::assert_snapshot!(stderr(&out));
}
