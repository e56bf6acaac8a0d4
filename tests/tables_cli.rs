//! `--table NAME=FILE` through the binary: the shipped tables give the same
//! decisions as the JSON they were made from, and every way of binding a
//! table wrongly is a report with the right exit code.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{rung, scratch};

const NATO: &str = "policies/nato";
const TABLES: &str = "policies/nato/examples/tables";

fn table(fact: &str, file: &str) -> String {
    format!("{fact}={TABLES}/{file}")
}

#[test]
fn the_albania_tables_decide_as_the_albania_json() {
    let json = rung(&[
        "eval",
        NATO,
        "--facts",
        "policies/nato/examples/albania-2022.json",
        "--format",
        "json",
    ]);
    json.expect_code(0, "JSON");
    let now = format!("{TABLES}/now.json");
    let incidents = table("incidents", "incidents.csv");
    let priors = table("prior_responses", "prior_responses.csv");
    for format in ["json", "human"] {
        let from_json = rung(&[
            "eval",
            NATO,
            "--facts",
            "policies/nato/examples/albania-2022.json",
            "--format",
            format,
        ]);
        let from_tables = rung(&[
            "eval", NATO, "--facts", &now, "--table", &incidents, "--table", &priors, "--format",
            format,
        ]);
        from_tables.expect_code(0, "tables");
        assert_eq!(from_tables.stdout, from_json.stdout, "{format}");
        assert_eq!(from_tables.stderr, "", "no warnings");
    }
    // Forcing the separator the file uses changes nothing.
    let forced = rung(&[
        "eval",
        NATO,
        "--facts",
        &now,
        "--table",
        &incidents,
        "--table",
        &priors,
        "--table-delimiter",
        "comma",
        "--format",
        "json",
    ]);
    assert_eq!(forced.stdout, json.stdout);
}

#[test]
fn the_campaign_table_is_decided() {
    let run = rung(&[
        "eval",
        NATO,
        "--facts",
        &format!("{TABLES}/campaign-now.json"),
        "--table",
        &table("incidents", "campaign.csv"),
        "--format",
        "json",
    ]);
    run.expect_code(0, "campaign");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let top = |ladder: &str, subject: &str| {
        doc["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["ladder"] == ladder && d["subject"] == subject)
            .map(|d| d["top"].clone())
            .unwrap()
    };
    assert_eq!(top("response", "XA"), "article_4_consultation");
    assert_eq!(top("response", "XB"), "private_demarche");
    assert_eq!(top("assistance", "EE"), "hunt_forward");
}

#[test]
fn binding_a_table_wrongly_is_reported() {
    let dir = scratch("tables-cli");
    let now = format!("{TABLES}/now.json");
    let incidents = table("incidents", "incidents.csv");
    let typo = table("incidnets", "incidents.csv");
    let now_table = table("now", "incidents.csv");
    let missing = table("incidents", "missing.csv");
    let links_policy = "tests/tables/policy.rung";
    let links = table("links", "incidents.csv");
    let semicolon = dir.join("semicolon.csv");
    std::fs::write(
        &semicolon,
        std::fs::read_to_string(format!("{TABLES}/incidents.csv"))
            .unwrap()
            .replace(',', ";"),
    )
    .unwrap();
    let semicolon = format!("incidents={}", semicolon.display());
    #[rustfmt::skip]
    let cases: Vec<(&str, Vec<&str>, i32, &str)> = vec![
        ("an unknown fact", vec!["eval", NATO, "--facts", &now, "--table", &typo], 1, "did you mean `incidents`?"),
        ("a fact that is not a list", vec!["eval", NATO, "--facts", &now, "--table", &now_table], 1, "rung::table::shape"),
        ("a record with a list field", vec!["eval", links_policy, "--facts", "tests/tables/now.json", "--table", &links], 1, "field `tags` of `Link` is `list of string`"),
        ("two tables for one fact", vec!["eval", NATO, "--facts", &now, "--table", &incidents, "--table", &incidents], 1, "rung::table::repeated"),
        ("the fact in the JSON too", vec!["eval", NATO, "--facts", "policies/nato/examples/albania-2022.json", "--table", &incidents], 1, "rung::table::both"),
        ("a missing file", vec!["eval", NATO, "--facts", &now, "--table", &missing], 2, "rung::io::read"),
        ("no NAME=", vec!["eval", NATO, "--facts", &now, "--table", "incidents.csv"], 2, "expected NAME=FILE"),
        ("no facts at all", vec!["eval", NATO], 2, "--facts"),
        ("the wrong separator forced", vec!["eval", NATO, "--facts", &now, "--table", &semicolon, "--table-delimiter", "comma"], 1, "rung::table::missing_column"),
        ("the JSON lacks `now`", vec!["eval", NATO, "--table", &incidents], 1, "missing field `now`"),
    ];
    for (what, args, code, needle) in cases {
        let run = rung(&args);
        run.expect_code(code, what);
        assert_eq!(run.stdout, "", "{what}: no decision");
        assert!(run.stderr.contains(needle), "{what}: {}", run.stderr);
    }
    // The detected separator reads the same file.
    let run = rung(&["eval", NATO, "--facts", &now, "--table", &semicolon]);
    run.expect_code(0, "semicolons detected");
}

#[test]
fn unknown_columns_warn_and_deny_warnings_makes_them_fatal() {
    let dir = scratch("tables-cli-warn");
    let path = dir.join("t.csv");
    let text = std::fs::read_to_string(format!("{TABLES}/incidents.csv")).unwrap();
    let with_notes: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| format!("{l},{}\n", if i == 0 { "notes" } else { "x" }))
        .collect();
    std::fs::write(&path, with_notes).unwrap();
    let binding = format!("incidents={}", path.display());
    let now = format!("{TABLES}/now.json");
    let run = rung(&["eval", NATO, "--facts", &now, "--table", &binding]);
    run.expect_code(0, "a warning only");
    assert!(
        run.stderr.contains("rung::table::unknown_column"),
        "{}",
        run.stderr
    );
    let run = rung(&[
        "eval",
        NATO,
        "--facts",
        &now,
        "--table",
        &binding,
        "--deny-warnings",
    ]);
    run.expect_code(1, "--deny-warnings");
}

#[test]
fn cell_errors_in_plain_and_json_formats_name_file_line_and_column() {
    let dir = scratch("tables-cli-formats");
    let path = dir.join("bad.csv");
    let text = std::fs::read_to_string(format!("{TABLES}/incidents.csv"))
        .unwrap()
        .replace(",2,false", ",seven,false");
    std::fs::write(&path, text).unwrap();
    let binding = format!("incidents={}", path.display());
    let now = format!("{TABLES}/now.json");
    let run = rung(&[
        "eval",
        NATO,
        "--facts",
        &now,
        "--table",
        &binding,
        "--error-format",
        "plain",
    ]);
    run.expect_code(1, "plain");
    let name = path.display().to_string();
    assert!(
        run.stderr.starts_with(&format!(
            "{name}:3:72: error[rung::table::cell]: {name}:3: row 2, column severity: expected `int`, found `seven`"
        )),
        "{}",
        run.stderr
    );
    let run = rung(&[
        "eval",
        NATO,
        "--facts",
        &now,
        "--table",
        &binding,
        "--error-format",
        "json",
    ]);
    run.expect_code(1, "json");
    let report: serde_json::Value =
        serde_json::from_str(run.stderr.lines().next().unwrap()).unwrap();
    assert_eq!(report["code"], "rung::table::cell");
    assert_eq!(report["line"], 3);
    assert_eq!(report["column"], 72);
}

#[test]
fn policy_tests_read_tables() {
    let run = rung(&["test", NATO, "tests/tables/nato", "--filter", "tables"]);
    run.expect_code(0, "rung test with tables");
    assert!(
        run.stdout.ends_with("2 passed, 0 failed\n"),
        "{}",
        run.stdout
    );
    // `rung check` holds a test's tables to the schema.
    let dir = scratch("tables-test-decls");
    let policy = dir.join("p.rung");
    let common = std::fs::read_to_string("tests/tables/policy.rung").unwrap();
    let test = |body: &str| {
        std::fs::write(
            &policy,
            format!("{common}\ntest \"t\" {{\n{body}\n  expect response \"RU\" no decision\n}}\n"),
        )
        .unwrap();
        rung(&["test", policy.to_str().unwrap()])
    };
    std::fs::write(dir.join("now.json"), r#"{ "now": "2024-01-01" }"#).unwrap();
    std::fs::write(
        dir.join("bad.csv"),
        "id,date,victim,attribution,severity,confidence,ally\na,2023-10-01,EE,high,9,0.5,true\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("ok.csv"),
        "id,date,victim,attribution,severity,confidence,ally\na,2023-10-01,EE,high,3,0.5,true\n",
    )
    .unwrap();
    let run = test("  facts \"now.json\"\n  table incidents \"ok.csv\"");
    run.expect_code(0, "a good table");
    let run = test("  facts \"now.json\"\n  table incidnets \"ok.csv\"");
    run.expect_code(1, "an unknown fact");
    assert!(
        run.stderr.contains("rung::test::table")
            && run.stderr.contains("did you mean `incidents`?"),
        "{}",
        run.stderr
    );
    let run = test("  facts \"now.json\"\n  table links \"ok.csv\"");
    run.expect_code(1, "a record with a list field");
    assert!(
        run.stderr.contains("rung::check::table_field")
            && run.stderr.contains("field `tags` of `Link`"),
        "{}",
        run.stderr
    );
    let run =
        test("  facts \"now.json\"\n  table incidents \"ok.csv\"\n  table incidents \"ok.csv\"");
    run.expect_code(1, "two tables for one fact");
    let run = test("  facts \"now.json\"\n  table incidents \"bad.csv\"");
    run.expect_code(1, "a bad cell fails the test");
    assert!(
        run.stdout
            .contains("bad.csv:2: row 1, column severity: 9 is outside"),
        "{}",
        run.stdout
    );
    let run = test("  facts \"now.json\"\n  table incidents \"missing.csv\"");
    run.expect_code(1, "a missing table fails the test");
    assert!(run.stdout.contains("rung::io::read"), "{}", run.stdout);
}

#[test]
fn the_repl_reads_tables_given_on_the_command_line() {
    let now = format!("{TABLES}/now.json");
    let incidents = table("incidents", "incidents.csv");
    let run = common::rung_stdin(
        &["repl", NATO, "--facts", &now, "--table", &incidents],
        b"sum(window.severity)\n:show incidents[2].id\n",
    );
    run.expect_code(0, "repl --table");
    assert!(run.stdout.contains("10 : int"), "{}", run.stdout);
    assert!(
        run.stdout.contains("\"ALB-2022-09-09-tims\""),
        "{}",
        run.stdout
    );
}
