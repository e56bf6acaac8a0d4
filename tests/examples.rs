//! Every example facts file of the reference doctrine, evaluated through the
//! real binary: the JSON decision and the human rendering, as snapshots.
//! Each decision was checked by hand against `docs/design.md` before it was accepted.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::path::Path;

use common::rung;

/// `policies/nato/examples/NAME.json`, relative to the package root.
fn relative(path: &Path) -> String {
    let name = path.file_name().unwrap().to_str().unwrap();
    format!("policies/nato/examples/{name}")
}

#[test]
fn json_decisions() {
    insta::glob!("../policies/nato/examples", "*.json", |path| {
        let facts = relative(path);
        let run = rung(&[
            "eval",
            "policies/nato",
            "--facts",
            &facts,
            "--format",
            "json",
        ]);
        run.expect_code(0, &facts);
        assert_eq!(run.stderr, "", "{facts}: nothing on stderr");
        insta::assert_snapshot!(common::pin_nato_digest(&run.stdout));
    });
}

#[test]
fn human_decisions() {
    insta::glob!("../policies/nato/examples", "*.json", |path| {
        let facts = relative(path);
        let run = rung(&["eval", "policies/nato", "--facts", &facts]);
        run.expect_code(0, &facts);
        assert_eq!(run.stderr, "", "{facts}: nothing on stderr");
        insta::assert_snapshot!(common::pin_nato_digest(&run.stdout));
    });
}

#[test]
fn explained_decisions() {
    insta::glob!("../policies/nato/examples", "*.json", |path| {
        let facts = relative(path);
        let run = rung(&["eval", "policies/nato", "--facts", &facts, "--explain"]);
        run.expect_code(0, &facts);
        insta::assert_snapshot!(common::pin_nato_digest(&run.stdout));
    });
}

/// The same policy and facts give byte-identical output, run after run, in
/// every format (the determinism guarantee of `docs/design.md`).
#[test]
fn output_is_deterministic() {
    for entry in std::fs::read_dir(common::root().join("policies/nato/examples")).unwrap() {
        let facts = relative(&entry.unwrap().path());
        for format in [
            &["--format", "json"][..],
            &["--format", "json", "--explain"][..],
            &["--format", "human"][..],
            &["--explain"][..],
        ] {
            let mut args = vec!["eval", "policies/nato", "--facts", facts.as_str()];
            args.extend_from_slice(format);
            let first = rung(&args);
            let second = rung(&args);
            assert_eq!(first.stdout, second.stdout, "{args:?}");
            assert_eq!(first.stderr, second.stderr, "{args:?}");
            assert_eq!(first.code, second.code, "{args:?}");
        }
    }
}

/// Facts read from standard input decide exactly as from a file.
#[test]
fn facts_from_stdin_match_facts_from_file() {
    let path = "policies/nato/examples/albania-2022.json";
    let text = std::fs::read(common::root().join(path)).unwrap();
    let from_file = rung(&["eval", "policies/nato", "--facts", path, "--format", "json"]);
    let from_stdin = common::rung_stdin(
        &["eval", "policies/nato", "--facts", "-", "--format", "json"],
        &text,
    );
    from_stdin.expect_code(0, "stdin");
    assert_eq!(from_file.stdout, from_stdin.stdout);
}
