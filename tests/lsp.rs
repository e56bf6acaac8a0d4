//! The language server at the protocol level: a client drives `rung lsp`'s
//! server loop through an in-memory connection, as an editor would.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "lsp/client.rs"]
mod client;

use client::{Client, apply, nato, policy_dir, pos, uri};
use serde_json::{Value, json};

const SCHEMA: &str = "enum Level { low < high }
record Incident { id: string unique  sponsor: string  level: Level  severity: int }
facts { incidents: list of Incident }
ladder response { monitor \"Monitor\"  name \"Name the state\" }
";

const RULES: &str = "let window = incidnets where severity > 2

rules response for each sponsor, acts in window grouped by sponsor {
  recommend monitor because \"Always\"
}
";

#[test]
fn a_typo_is_reported_with_its_code_fixed_by_a_quick_fix_and_cleared() {
    let dir = policy_dir("typo", &[("schema.rung", SCHEMA), ("rules.rung", RULES)]);
    let rules = uri(&dir.join("rules.rung"));
    let mut c = Client::start();
    c.open(&rules, RULES);
    let diags = c.diagnostics(&rules);
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(d["code"], json!("rung::name::unknown"), "{diags:#?}");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("help: did you mean `incidents`?"),
        "{d}"
    );
    assert_eq!(d["range"]["start"], json!({ "line": 0, "character": 13 }));
    assert!(
        d["relatedInformation"][0]["message"].as_str().is_some(),
        "{d}"
    );

    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": rules }, "range": d["range"], "context": { "diagnostics": [d] } }),
    );
    let action = &actions[0];
    assert_eq!(
        action["title"],
        json!("replace `incidnets` with `incidents`")
    );
    let edits = action["edit"]["changes"][rules.as_str()]
        .as_array()
        .unwrap();
    let fixed = apply(RULES, edits);
    assert!(fixed.starts_with("let window = incidents where"), "{fixed}");

    c.change(&rules, 2, &fixed);
    assert_eq!(c.diagnostics(&rules), Vec::<Value>::new());
    c.change(&rules, 3, RULES);
    assert_eq!(c.diagnostics(&rules).len(), 1);
    c.shutdown();
}

#[test]
fn operator_and_duration_quick_fixes_repair_the_text() {
    for (broken, repaired) in [
        (
            "let w = incidents where severity = 3\n",
            "let w = incidents where severity == 3\n",
        ),
        (
            "let w = incidents where severity > 2 && level == high\n",
            "let w = incidents where severity > 2 and level == high\n",
        ),
        ("let d = 365 days\n", "let d = 365d\n"),
    ] {
        let dir = policy_dir("ops", &[("schema.rung", SCHEMA), ("defs.rung", broken)]);
        let defs = uri(&dir.join("defs.rung"));
        let mut c = Client::start();
        c.open(&defs, broken);
        let diags = c.diagnostics(&defs);
        assert!(!diags.is_empty(), "{broken}");
        let actions = c.request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": defs }, "range": diags[0]["range"], "context": { "diagnostics": diags } }),
        );
        let edits = actions[0]["edit"]["changes"][defs.as_str()]
            .as_array()
            .unwrap();
        assert_eq!(apply(broken, edits), repaired, "{actions}");
        c.shutdown();
    }
}

#[test]
fn hover_shows_an_expressions_type_and_a_rules_because() {
    let response = nato().join("response.rung");
    let text = std::fs::read_to_string(&response).unwrap();
    let u = uri(&response);
    let mut c = Client::start();
    c.open(&u, &text);
    let h = c.at(
        "textDocument/hover",
        &u,
        pos(&text, "count(high_acts) >= 2", 1),
    );
    let shown = h["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("count(high_acts)") && shown.contains("`int`"),
        "{shown}"
    );

    let h = c.at(
        "textDocument/hover",
        &u,
        pos(&text, "repeated_high_confidence:", 2),
    );
    let shown = h["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("because \"Repeated, serious"), "{shown}");
    assert!(shown.contains("cites \"NATO Vilnius"), "{shown}");

    let h = c.at(
        "textDocument/hover",
        &u,
        pos(&text, "recommend sanctions", 11),
    );
    let shown = h["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("Impose coordinated sanctions"), "{shown}");

    let h = c.at("textDocument/hover", &u, pos(&text, "acts in window", 10));
    let shown = h["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("let window") && shown.contains("list of Incident"),
        "{shown}"
    );

    let h = c.at(
        "textDocument/hover",
        &u,
        pos(&text, "let recent_public_responses", 5),
    );
    let shown = h["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("list of PriorResponse"), "{shown}");
    assert!(
        shown.contains("Responses of rung `public_attribution` or higher"),
        "{shown}"
    );
    c.shutdown();
}

#[test]
fn definition_and_references_cross_files() {
    let response = nato().join("response.rung");
    let text = std::fs::read_to_string(&response).unwrap();
    let u = uri(&response);
    let mut c = Client::start();
    c.open(&u, &text);
    let d = c.at(
        "textDocument/definition",
        &u,
        pos(&text, "acts in window", 10),
    );
    assert!(
        d["uri"]
            .as_str()
            .unwrap()
            .ends_with("policies/nato/window.rung"),
        "{d}"
    );
    assert_eq!(d["range"]["start"], json!({ "line": 3, "character": 4 }));

    let d = c.at(
        "textDocument/definition",
        &u,
        pos(&text, "high_acts.severity", 11),
    );
    assert!(
        d["uri"]
            .as_str()
            .unwrap()
            .ends_with("policies/nato/schema.rung"),
        "{d}"
    );

    let refs = c.at(
        "textDocument/references",
        &u,
        pos(&text, "recommend sanctions", 11),
    );
    let files: Vec<&str> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["uri"].as_str().unwrap())
        .collect();
    assert!(
        files.iter().any(|f| f.ends_with("tests/thresholds.rung")),
        "{files:?}"
    );
    assert!(
        files.iter().any(|f| f.ends_with("response.rung")),
        "{files:?}"
    );
    c.shutdown();
}

#[test]
fn completion_offers_fields_after_a_dot_rungs_and_enum_values() {
    let response = nato().join("response.rung");
    let text = std::fs::read_to_string(&response).unwrap();
    let typing = text.replacen(
        "  let high_acts =",
        "  let typed = acts.\n  let high_acts =",
        1,
    );
    let u = uri(&response);
    let mut c = Client::start();
    // The file parsed when opened; the buffer being typed does not.
    c.open(&u, &text);
    c.change(&u, 2, &typing);
    let labels = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    let items = c.at("textDocument/completion", &u, pos(&typing, "acts.\n", 5));
    let got = labels(&items);
    assert!(
        got.contains(&"severity".to_string()) && got.contains(&"victim_is_ally".to_string()),
        "{got:?}"
    );
    assert!(!got.contains(&"sponsor".to_string()), "{got:?}");

    let items = c.at(
        "textDocument/completion",
        &u,
        pos(&typing, "recommend sanctions", 10),
    );
    let got = labels(&items);
    assert!(
        got.contains(&"article_4_consultation".to_string())
            && !got.contains(&"hunt_forward".to_string()),
        "{got:?}"
    );

    let items = c.at(
        "textDocument/completion",
        &u,
        pos(&typing, "attribution == high", 15),
    );
    let got = labels(&items);
    assert_eq!(got, ["high", "low", "moderate", "none"]);
    c.shutdown();
}

#[test]
fn completion_offers_the_ladders_rule_labels_in_tests() {
    let tests = nato().join("tests/assistance.rung");
    let text = std::fs::read_to_string(&tests).unwrap();
    let u = uri(&tests);
    let mut c = Client::start();
    c.open(&u, &text);
    let items = c.at(
        "textDocument/completion",
        &u,
        pos(&text, "fires support_requested", 6),
    );
    let got: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(got.contains(&"support_requested"), "{got:?}");
    assert!(got.contains(&"national_handling_always"), "{got:?}");
    assert!(!got.contains(&"repeated_high_confidence"), "{got:?}");
    c.shutdown();
}

#[test]
fn formatting_is_rung_fmt_and_refused_when_the_file_does_not_parse() {
    let messy = "let   window=incidents where severity>2   # kept\n";
    let dir = policy_dir("fmt", &[("schema.rung", SCHEMA), ("w.rung", messy)]);
    let w = uri(&dir.join("w.rung"));
    let mut c = Client::start();
    c.open(&w, messy);
    let edits = c.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": w }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let formatted = apply(messy, edits.as_array().unwrap());
    let cli = rung::fmt::format_source(&rung::SourceFile::new("w.rung", messy)).unwrap();
    assert_eq!(formatted, cli);

    c.change(&w, 2, "let = 3\n");
    let id = c.send(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": w }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let r = c.response(&id);
    assert!(r.error.unwrap().message.contains("rung::fmt::syntax"));
    c.shutdown();
}

#[test]
fn a_syntax_error_in_one_file_leaves_the_others_checked() {
    let dir = policy_dir("split", &[("schema.rung", SCHEMA), ("rules.rung", RULES)]);
    let schema = uri(&dir.join("schema.rung"));
    let rules = uri(&dir.join("rules.rung"));
    let mut c = Client::start();
    c.open(&schema, SCHEMA);
    assert_eq!(c.diagnostics(&schema), Vec::<Value>::new());
    assert_eq!(c.diagnostics(&rules).len(), 1);
    // Break the schema: its syntax error shows, the typo in rules.rung still
    // does, and no error appears about names the broken file declares.
    c.change(&schema, 2, &SCHEMA.replace("facts {", "facts {{"));
    let broken = c.diagnostics(&schema);
    assert!(
        broken
            .iter()
            .all(|d| d["code"].as_str().unwrap().starts_with("rung::parse")),
        "{broken:?}"
    );
    let others = c.diagnostics(&rules);
    assert_eq!(others.len(), 1, "{others:?}");
    assert_eq!(others[0]["code"], json!("rung::name::unknown"));
    c.shutdown();
}

#[test]
fn symbols_and_semantic_tokens() {
    let response = nato().join("response.rung");
    let text = std::fs::read_to_string(&response).unwrap();
    let u = uri(&response);
    let mut c = Client::start();
    c.open(&u, &text);
    let s = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": u } }),
    );
    let names: Vec<&str> = s
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"response"), "{names:?}");
    let w = c.request("workspace/symbol", json!({ "query": "allied" }));
    assert!(!w.as_array().unwrap().is_empty());
    let t = c.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": u } }),
    );
    let data = t["data"].as_array().unwrap();
    assert!(
        data.len() > 500 && data.len().is_multiple_of(5),
        "{}",
        data.len()
    );
    c.shutdown();
}

#[test]
fn every_request_is_answered_when_some_are_cancelled() {
    let mut c = Client::start();
    let dir = policy_dir("cancel", &[("schema.rung", SCHEMA)]);
    let s = uri(&dir.join("schema.rung"));
    c.open(&s, SCHEMA);
    // Queue many requests and cancel the last: it is still waiting when the
    // cancellation arrives.
    let ids: Vec<_> = (0..50)
        .map(|_| {
            c.send(
                "textDocument/semanticTokens/full",
                json!({ "textDocument": { "uri": s } }),
            )
        })
        .collect();
    let last = ids.last().unwrap().clone();
    let raw: i32 = last.to_string().parse().unwrap();
    c.notify("$/cancelRequest", json!({ "id": raw }));
    for id in &ids {
        let r = c.response(id);
        match r.error {
            None => assert!(r.result.is_some()),
            Some(e) => {
                assert_eq!(e.code, lsp_server::ErrorCode::RequestCanceled as i32);
                assert_eq!(*id, last);
            }
        }
    }
    c.shutdown();
}

/// The second reference doctrine, with its keyed rules block (one subject
/// per item, no subject name): no diagnostics, the item binding has its
/// record's type, and `.` after it completes that record's fields.
#[test]
fn the_keyed_form_of_the_pledge_is_understood() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/pledge/pledge.rung");
    let text = std::fs::read_to_string(&file).unwrap();
    let u = uri(&file);
    let mut c = Client::start();
    c.open(&u, &text);
    let diags = c.diagnostics(&u);
    assert!(diags.is_empty(), "{diags:#?}");
    let h = c.at(
        "textDocument/hover",
        &u,
        pos(&text, "ally.defence_spending_gdp >= 2.0", 1),
    );
    let shown = h["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("Ally"), "{shown}");
    let items = c.at(
        "textDocument/completion",
        &u,
        pos(&text, "ally.defence_spending_gdp >= 2.0", 5),
    );
    let labels: Vec<&str> = items
        .as_array()
        .or_else(|| items["items"].as_array())
        .unwrap()
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(labels.contains(&"cyber_share"), "{labels:?}");
    c.shutdown();
}
