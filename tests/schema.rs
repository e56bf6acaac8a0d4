//! `rung schema`: the JSON Schema of the facts holds every shipped example,
//! rejects what rung rejects wherever JSON Schema can say so, and the other
//! forms (a table's header, an example document) fit what rung reads.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{facts, incident, nato, prior, rung};
use serde_json::{Value, json};

fn schema_of(policy: &str) -> Value {
    let run = rung(&["schema", policy]);
    run.expect_code(0, "rung schema");
    serde_json::from_str(&run.stdout).unwrap()
}

fn validator(schema: &Value) -> jsonschema::Validator {
    assert!(
        jsonschema::meta::is_valid(schema),
        "not a valid JSON Schema"
    );
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap()
}

#[test]
fn the_nato_schema() {
    let run = rung(&["schema", "policies/nato"]);
    run.expect_code(0, "rung schema");
    insta::assert_snapshot!(run.stdout);
}

/// Every example facts document shipped with the reference policy.
fn shipped_facts() -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for dir in ["policies/nato/examples", "policies/nato/tests/facts"] {
        for entry in std::fs::read_dir(common::root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    out.sort();
    assert!(out.len() >= 10, "{out:?}");
    out
}

#[test]
fn every_shipped_facts_file_fits_the_schema() {
    let v = validator(&schema_of("policies/nato"));
    for path in shipped_facts() {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    }
}

#[test]
fn facts_rung_rejects_fail_the_schema_where_it_can_say_so() {
    let v = validator(&schema_of("policies/nato"));
    let policy = nato();
    let with = |field: &str, value: Value| {
        let mut i = incident("a");
        match value {
            Value::Null if field.starts_with('-') => {
                i.as_object_mut().unwrap().remove(&field[1..]);
            }
            v => i[field] = v,
        }
        facts(vec![i], vec![])
    };
    #[rustfmt::skip]
    let rejected: Vec<(&str, Value)> = vec![
        ("severity out of range", with("severity", json!(7))),
        ("severity zero", with("severity", json!(0))),
        ("severity as a string", with("severity", json!("4"))),
        ("severity with a fraction", with("severity", json!(2.5))),
        ("an unknown attribution", with("attribution", json!("certain"))),
        ("an unknown effect", with("effect", json!("annoyance"))),
        ("a missing severity", with("-severity", Value::Null)),
        ("a null victim", with("victim", Value::Null)),
        ("a date that is not a day", with("date", json!("2024-02-30"))),
        ("a date in another form", with("date", json!("30/06/2024"))),
        ("a bool as a word", with("casualties", json!("yes"))),
        ("a sponsor as a number", with("state_sponsor", json!(5))),
        ("incidents as an object", json!({ "now": common::NOW, "incidents": {} })),
        ("no incidents", json!({ "now": common::NOW })),
        ("no now", json!({ "incidents": [] })),
        ("a rung that does not exist", facts(vec![], vec![prior("RU", "nuclear_option", common::NOW)])),
        ("a prior response without a date", json!({ "now": common::NOW, "incidents": [], "prior_responses": [ { "sponsor": "RU", "rung": "monitor" } ] })),
    ];
    for (what, doc) in &rejected {
        assert!(
            policy.facts_from_text("f.json", &doc.to_string()).is_err(),
            "{what}: rung accepts it"
        );
        assert!(!v.is_valid(doc), "{what}: the schema accepts it");
    }
    // What JSON Schema cannot say, rung still checks: a `unique` field is
    // unique across the list (the field's description says so).
    let twice = facts(vec![incident("a"), incident("a")], vec![]);
    assert!(
        policy
            .facts_from_text("f.json", &twice.to_string())
            .is_err()
    );
    assert!(v.is_valid(&twice));
    // Unknown fields are allowed, as rung allows them (with a warning).
    let extra = with("summary", json!("a note for readers"));
    assert!(policy.facts_from_text("f.json", &extra.to_string()).is_ok());
    assert!(v.is_valid(&extra));
}

#[test]
fn the_template_is_facts_rung_reads_and_the_schema_holds() {
    let run = rung(&["schema", "policies/nato", "--format", "template"]);
    run.expect_code(0, "template");
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["incidents"].as_array().unwrap().len(), 1);
    assert_eq!(doc["prior_responses"].as_array().unwrap().len(), 1);
    assert_eq!(doc["incidents"][0]["victim"], "<victim>");
    assert!(nato().facts_from_text("t.json", &run.stdout).is_ok());
    assert!(validator(&schema_of("policies/nato")).is_valid(&doc));
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn the_csv_header_heads_the_shipped_tables() {
    for (name, file) in [
        ("incidents", "incidents.csv"),
        ("Incident", "incidents.csv"),
        ("prior_responses", "prior_responses.csv"),
    ] {
        let run = rung(&["schema", "policies/nato", "--format", "csv-header", name]);
        run.expect_code(0, name);
        let table = std::fs::read_to_string(
            common::root()
                .join("policies/nato/examples/tables")
                .join(file),
        )
        .unwrap();
        assert_eq!(
            run.stdout.trim_end(),
            table.lines().next().unwrap(),
            "{name}"
        );
    }
    let run = rung(&["schema", "policies/nato", "--format", "csv-header", "now"]);
    run.expect_code(1, "a date has no table");
    assert!(run.stderr.contains("rung::table::shape"), "{}", run.stderr);
    let run = rung(&[
        "schema",
        "tests/tables/policy.rung",
        "--format",
        "csv-header",
        "Link",
    ]);
    run.expect_code(1, "a record with a list field has no table");
    assert!(
        run.stderr.contains("field `tags` of `Link`"),
        "{}",
        run.stderr
    );
    let run = rung(&[
        "schema",
        "policies/nato",
        "--format",
        "csv-header",
        "incidnets",
    ]);
    run.expect_code(2, "unknown name");
    assert!(
        run.stderr.contains("did you mean `incidents`?"),
        "{}",
        run.stderr
    );
    let run = rung(&["schema", "policies/nato", "--format", "csv-header"]);
    run.expect_code(2, "no name");
    let run = rung(&["schema", "policies/nato", "--format", "yaml"]);
    run.expect_code(2, "unknown format");
}

#[test]
fn descriptions_come_from_the_comments_above_a_declaration() {
    let dir = common::scratch("schema-docs");
    let path = dir.join("p.rung");
    std::fs::write(
        &path,
        "# Levels of confidence,\n# lowest first.\nenum Level { low < high }\n\n\
         # Not about the record: a blank line follows.\n\n\
         record Act {\n  # Who acted.\n  # (ISO code)\n  who: string # not this one\n  level: Level\n  # How bad, 1 to 3.\n  size: optional int in 1..3\n  when: decimal default 0.5\n  staff: int in 0..\n  deficit: int in ..5\n}\n\
         facts { acts: list of Act }\nladder l { a \"A\" }\n",
    )
    .unwrap();
    let schema = schema_of(path.to_str().unwrap());
    assert_eq!(
        schema["$defs"]["Level"]["description"],
        "Levels of confidence, lowest first."
    );
    assert_eq!(schema["$defs"]["Act"].get("description"), None);
    let props = &schema["$defs"]["Act"]["properties"];
    assert_eq!(props["who"]["description"], "Who acted. (ISO code)");
    assert_eq!(props["level"].get("description"), None);
    assert_eq!(props["size"]["description"], "How bad, 1 to 3.");
    assert_eq!(props["size"]["anyOf"][0]["maximum"], 3);
    assert_eq!(props["when"]["default"], "0.5");
    // An open range bounds one side only.
    assert_eq!(props["staff"]["minimum"], 0);
    assert_eq!(props["staff"].get("maximum"), None);
    assert_eq!(props["deficit"]["maximum"], 5);
    assert_eq!(props["deficit"].get("minimum"), None);
    assert_eq!(
        schema["$defs"]["Act"]["required"],
        json!(["who", "level", "staff", "deficit"])
    );
}
