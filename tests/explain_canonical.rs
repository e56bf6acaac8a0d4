//! Explanations show conditions in canonical one-line form, built from the
//! syntax tree: no raw newline from the source reaches `--explain`, and
//! `rung fmt` (or any re-layout of the policy) never changes what it prints.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::path::{Path, PathBuf};

use common::rung;
use rung::syntax::lex::{Kind, Lexer};

/// `text` with every `when`, `where`, `and` and `or` followed by a comment
/// and a line break, and every comparison squeezed: the same policy, laid
/// out as no formatter would.
fn mangled(text: &str) -> String {
    let mut out = String::new();
    let mut last = 0;
    for t in Lexer::new(text) {
        let word = t.text(text);
        out.push_str(&text[last..t.end]);
        last = t.end;
        if t.kind == Kind::Word && matches!(word, "when" | "where" | "and" | "or") {
            out.push_str(" # split here\n            ");
        }
    }
    out.push_str(&text[last..]);
    out
}

/// A copy of `policies/nato` with each `.rung` file changed by `change`.
fn copy_nato(name: &str, change: impl Fn(&str) -> String) -> PathBuf {
    let dir = common::scratch(name);
    let src = common::root().join("policies/nato");
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rung") {
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(dir.join(path.file_name().unwrap()), change(&text)).unwrap();
        }
    }
    dir
}

/// `--explain` output without its last line (the digest names the files).
fn explained(policy: &Path, facts: &str, json: bool) -> String {
    let facts = common::root().join(facts);
    let mut args = vec![
        "eval",
        policy.to_str().unwrap(),
        "--facts",
        facts.to_str().unwrap(),
        "--explain",
    ];
    if json {
        args.extend(["--format", "json"]);
    }
    let run = rung(&args);
    run.expect_code(0, "eval --explain");
    if json {
        let mut v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        v.as_object_mut().unwrap().remove("policy_digest");
        serde_json::to_string_pretty(&v).unwrap()
    } else {
        run.stdout
            .lines()
            .filter(|l| !l.starts_with("policy "))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

const FACTS: [&str; 2] = [
    "policies/nato/examples/albania-2022.json",
    "policies/nato/examples/campaign-2022.json",
];

#[test]
fn fmt_never_changes_explanations() {
    let original = common::root().join("policies/nato");
    let split = copy_nato("explain-split", mangled);
    let formatted = copy_nato("explain-fmt", |text| {
        let file = rung::SourceFile::new("x.rung", mangled(text));
        rung::fmt::format_source(&file).unwrap()
    });
    for facts in FACTS {
        for json in [false, true] {
            let want = explained(&original, facts, json);
            assert_eq!(explained(&split, facts, json), want, "{facts}: split");
            assert_eq!(
                explained(&formatted, facts, json),
                want,
                "{facts}: formatted"
            );
        }
    }
}

/// No string of the JSON explanations (condition texts and summaries) holds
/// a newline, however the policy is laid out.
#[test]
fn no_explanation_holds_a_newline() {
    fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
            _ => {}
        }
    }
    let split = copy_nato("explain-newlines", mangled);
    for facts in FACTS {
        let v: serde_json::Value = serde_json::from_str(&explained(&split, facts, true)).unwrap();
        let mut all = Vec::new();
        strings(&v["decisions"], &mut all);
        strings(&v["explanations"], &mut all);
        assert!(!all.is_empty());
        for s in all {
            assert!(!s.contains('\n'), "{facts}: {s:?}");
        }
        let human = explained(&split, facts, false);
        assert!(!human.contains("# split here"), "{facts}: a comment leaked");
    }
}

/// A decimal literal keeps its written scale in the condition and in the
/// value it is compared with; a condition written over lines reads as one.
#[test]
fn decimals_keep_their_written_scale() {
    let policy = rung::Policy::from_text(
        "p.rung",
        "record Ally { code: string unique  share: decimal }\n\
         facts { allies: list of Ally }\n\
         ladder l { floor \"Floor\" }\n\
         rules l for each code, xs in allies grouped by code {\n\
           recommend floor when sum(xs.share)\n      >= 2.0 # the pledge\n   because \"Spends\"\n\
         }\n",
    )
    .unwrap();
    let facts = policy
        .facts_from_text(
            "f.json",
            r#"{ "allies": [ { "code": "EE", "share": 2.00 } ] }"#,
        )
        .unwrap();
    let run = policy.run(&facts, rung::eval::Detail::Traces).unwrap();
    let explanations = run.explanations(&policy.program).unwrap();
    let json = serde_json::to_string(&explanations).unwrap();
    assert!(json.contains(r#""text":"sum(xs.share) >= 2.0""#), "{json}");
    assert!(json.contains("needs >= 2.0"), "{json}");
}
