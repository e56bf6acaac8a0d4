//! `rung replay --format svg|html`: the chart is well-formed, self-contained
//! XML naming every ladder and subject; the page holds the chart and the
//! tables; both are byte-identical across runs and pinned by snapshots.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{facts, incident, nato, rung};
use rung::replay::replay;

const EXAMPLES: [&str; 2] = ["cumulative-article-5", "disclosure-restricted"];

fn run(example: &str, format: &str) -> String {
    let facts = format!("policies/nato/examples/{example}.json");
    let run = rung(&[
        "replay",
        "policies/nato",
        "--facts",
        &facts,
        "--format",
        format,
    ]);
    run.expect_code(0, &facts);
    run.stdout
}

/// Every text node and attribute of the SVG, for looking names up.
fn texts(doc: &roxmltree::Document<'_>) -> String {
    doc.descendants()
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The SVG parses as XML, holds no script and links nothing but its own
/// namespace, and names every ladder and subject of the replay.
fn check_svg(svg: &str, example: &str) {
    let doc = roxmltree::Document::parse(svg)
        .unwrap_or_else(|e| panic!("{example}: the SVG is not XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let lower = svg.to_lowercase();
    assert!(!lower.contains("<script"), "{example}: a script");
    assert!(!lower.contains("href"), "{example}: a link");
    assert!(!lower.contains("@import") && !lower.contains("url("));
    let without_ns = svg.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(!without_ns.contains("http"), "{example}: an http link");
    assert!(
        doc.descendants().all(|n| n.tag_name().name() != "script"
            && n.tag_name().name() != "image"
            && n.tag_name().name() != "foreignObject"),
        "{example}: external content"
    );

    let text = texts(&doc);
    let policy = nato();
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            common::root().join(format!("policies/nato/examples/{example}.json")),
        )
        .unwrap(),
    )
    .unwrap();
    let f = policy
        .facts_from_text("facts.json", &json.to_string())
        .unwrap();
    let now = rung::replay::now_fact(&policy).unwrap();
    let (from, to) = rung::replay::default_range(&f, now).unwrap();
    let t = replay(&policy, &f, from, to).unwrap();
    assert!(!t.subjects.is_empty());
    for s in &t.subjects {
        assert!(
            text.lines().any(|l| l == format!("ladder {}", s.ladder)),
            "{example}: ladder {} missing",
            s.ladder
        );
        assert!(
            text.lines().any(|l| l == s.subject),
            "{example}: subject {} missing",
            s.subject
        );
        for c in &s.crossings {
            for r in &c.rules {
                assert!(text.contains(r.as_str()), "{example}: rule {r} missing");
            }
        }
    }
}

#[test]
fn svg_is_self_contained_xml_naming_every_ladder_and_subject() {
    for example in EXAMPLES {
        check_svg(&run(example, "svg"), example);
    }
}

#[test]
fn html_is_one_offline_page_with_the_chart_and_the_tables() {
    for example in EXAMPLES {
        let html = run(example, "html");
        let lower = html.to_lowercase();
        assert!(lower.starts_with("<!doctype html>"));
        assert!(!lower.contains("<script"), "{example}: a script");
        assert!(!lower.contains("href") && !lower.contains("src="));
        assert!(!lower.contains("@import") && !lower.contains("url("));
        let start = html.find("<svg").unwrap();
        let end = html.find("</svg>").unwrap() + "</svg>".len();
        check_svg(&html[start..end], example);
        assert!(html.contains(nato().digest.as_str()), "{example}: digest");
        assert!(html.contains("<h3>Segments</h3>"));
        assert!(html.contains("<h3>Crossings</h3>"));
    }
}

#[test]
fn chart_and_page_are_byte_identical_across_runs() {
    for format in ["svg", "html"] {
        assert_eq!(
            run("cumulative-article-5", format),
            run("cumulative-article-5", format)
        );
    }
}

#[test]
fn chart_and_page_snapshots() {
    for example in EXAMPLES {
        for format in ["svg", "html"] {
            insta::assert_snapshot!(
                format!("replay_chart_{example}_{format}"),
                common::pin_nato_digest(&run(example, format))
            );
        }
    }
}

/// Markup in names and messages is escaped, in the chart and in the page.
#[test]
fn names_are_escaped() {
    let mut x = incident("<b>&\"'");
    x["victim"] = "<b>E&E</b>".into();
    let f = facts(vec![x], vec![]);
    let path = common::scratch("chart-escape").join("facts.json");
    std::fs::write(&path, serde_json::to_string(&f).unwrap()).unwrap();
    for format in ["svg", "html"] {
        let out = rung(&[
            "replay",
            "policies/nato",
            "--facts",
            path.to_str().unwrap(),
            "--format",
            format,
        ]);
        out.expect_code(0, format);
        assert!(!out.stdout.contains("<b>"), "{format}: unescaped markup");
        assert!(
            out.stdout.contains("&lt;b&gt;E&amp;E&lt;/b&gt;"),
            "{format}: no subject"
        );
        if format == "svg" {
            roxmltree::Document::parse(&out.stdout).unwrap();
        }
    }
}
