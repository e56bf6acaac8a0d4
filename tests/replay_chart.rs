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

/// The replay of an example, as a value to bend into odd shapes.
fn timeline(policy: &rung::Policy, example: &str) -> rung::replay::Timeline {
    let text = std::fs::read_to_string(
        common::root().join(format!("policies/nato/examples/{example}.json")),
    )
    .unwrap();
    let f = policy.facts_from_text("facts.json", &text).unwrap();
    let now = rung::replay::now_fact(policy).unwrap();
    let (from, to) = rung::replay::default_range(&f, now).unwrap();
    replay(policy, &f, from, to).unwrap()
}

/// Timelines no replay of the NATO policy gives, but a renderer must still
/// draw: none, one day at either end of the calendar, gaps, unknown rungs,
/// a ladder the schema does not know, many subjects, long and marked-up
/// names, crossings without rung or rules, forbidden everywhere.
#[test]
fn odd_timelines_draw_as_well_formed_pictures() {
    use rung::replay::{Change, Crossing, Segment};
    let policy = nato();
    let schema = &policy.program.schema;
    let base = timeline(&policy, "cumulative-article-5");
    let seg = |from: i32, to: i32, top: Option<&str>, forbidden: &[&str]| Segment {
        from,
        to,
        status: rung::Status::Indeterminate,
        top: top.map(str::to_string),
        recommended: top.into_iter().map(str::to_string).collect(),
        forbidden: forbidden.iter().map(|s| s.to_string()).collect(),
    };
    let mut cases = Vec::new();

    let mut t = base.clone();
    t.subjects.clear();
    cases.push(t);

    for (from, to) in [(-719_162, -719_162), (2_932_896, 2_932_896), (0, 36_524)] {
        let mut t = base.clone();
        t.from = from;
        t.to = to;
        for s in &mut t.subjects {
            s.segments = vec![seg(from, to, Some("sanctions"), &["monitor"])];
            s.crossings = vec![Crossing {
                date: from,
                rung: None,
                change: Change::Appeared,
                rules: vec![],
                why: vec![],
            }];
        }
        cases.push(t);
    }

    let mut t = base.clone();
    let long = format!("<script>&{}</svg>", "x".repeat(300));
    let template = t.subjects[0].clone();
    t.subjects = (0..30)
        .map(|i| {
            let mut s = template.clone();
            s.subject = format!("{long}{i}");
            let d = t.from + i;
            s.segments = vec![
                seg(t.from, d, Some("monitor"), &[]),
                seg(d + 2, d + 5, Some(&long), &[&long, "sanctions"]),
                seg(d + 6, t.to, None, &["article_5_consideration"]),
            ];
            s.crossings = (0..5)
                .map(|k| Crossing {
                    date: d + k,
                    rung: if k % 2 == 0 { Some(long.clone()) } else { None },
                    change: Change::Withdrawn,
                    rules: vec![long.clone(), "r".to_string()],
                    why: vec![long.clone()],
                })
                .collect();
            s
        })
        .collect();
    t.subjects[3].ladder = long.clone();
    t.warnings = vec![rung::replay::Reported {
        message: long.clone(),
        days: vec![(t.from, t.from), (t.from, t.to)],
    }];
    t.errors = t.warnings.clone();
    cases.push(t);

    for t in &cases {
        let svg = rung::render::timeline_svg(t, schema, "digest").unwrap();
        roxmltree::Document::parse(&svg).unwrap();
        assert!(!svg.contains("<script"));
        let html =
            rung::render::timeline_html(t, schema, rung::render::Provenance::of(&policy)).unwrap();
        assert!(!html.contains("<script"));
        let start = html.find("<svg").unwrap();
        let end = html.find("</svg>\n</figure>").unwrap() + "</svg>".len();
        roxmltree::Document::parse(&html[start..end]).unwrap();
    }
}

/// `--output` writes a new file, and replaces an existing one, with what
/// standard output would have held.
#[test]
fn output_writes_new_and_existing_files() {
    let dir = common::scratch("chart-output");
    let path = dir.join("chart.svg");
    let target = path.to_str().unwrap();
    for _ in 0..2 {
        let out = rung(&[
            "replay",
            "policies/nato",
            "--facts",
            "policies/nato/examples/cumulative-article-5.json",
            "--format",
            "svg",
            "--output",
            target,
        ]);
        out.expect_code(0, "--output");
        assert!(out.stdout.is_empty());
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            run("cumulative-article-5", "svg")
        );
    }
}
