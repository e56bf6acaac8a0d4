//! Every finding of the fuzzers (`fuzz/`), kept as a case that runs without
//! them: the input goes through what its fuzz target runs, and what the user
//! would see instead of the crash is pinned as an insta snapshot.
//!
//! - `fuzz_regressions/policy/NAME.rung`: checked as a policy; when it
//!   parses, formatted (the formatter's promises hold); with `NAME.json`,
//!   the facts are loaded, evaluated, explained, rendered and replayed over
//!   the last seven days (the `parse_check`, `fmt_roundtrip` and `eval`
//!   targets).
//! - `fuzz_regressions/facts/NAME.json`: facts for the NATO doctrine,
//!   evaluated when they load (`facts_json`).
//! - `fuzz_regressions/tables/FACT.NAME.csv`: a table giving the NATO fact
//!   `FACT`, with `now` 2022-09-30 (`tables_csv`).
//! - `fuzz_regressions/repl/NAME.session`: REPL lines against the NATO
//!   doctrine with the Albania facts loaded (`repl_lines`).

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::Path;

use common::{file_name, read};
use std::sync::Arc;

use rung::diagnostic::{self, Diag, Style};
use rung::eval::Detail;
use rung::facts::Facts;
use rung::facts::table::{TableInput, from_bytes};
use rung::fmt::{comment_texts, format_source};
use rung::render::{self, Paint};
use rung::repl::{Session, transcript};
use rung::syntax::parse_file;
use rung::{Policy, SourceFile, replay};

fn rendered(diags: &[Diag]) -> String {
    let mut out = diagnostic::render(diags, Style::NoColor, 100);
    // The other formats must not panic either.
    let _ = diagnostic::render_plain(diags);
    let _ = diagnostic::render_json(diags);
    let summary = diagnostic::summary(diags);
    if !summary.is_empty() {
        out.push_str(&summary);
        out.push('\n');
    }
    out
}

/// The doctrine by its path relative to the repository (the working
/// directory of `cargo test`), so the locations in reports are the same
/// wherever the repository is.
fn nato() -> Policy {
    Policy::from_paths(&[std::path::PathBuf::from("policies/nato")])
        .expect("the NATO doctrine checks")
}

/// Evaluates, explains and renders as `rung eval --explain` does, then
/// replays the last `days` days up to `now`; returns the human decision.
fn evaluate(policy: &Policy, facts: &Facts, days: i32) -> String {
    let run = policy
        .run(facts, Detail::Traces)
        .expect("no internal error");
    let explanations = run
        .explanations(&policy.program)
        .expect("no internal error");
    let _ = render::json(&run.evaluation, Some(&explanations), None);
    let mut out = render::human(
        &policy.program,
        &run.evaluation,
        &explanations,
        render::Options {
            explain: true,
            paint: Paint { enabled: false },
            digest: None,
        },
    );
    if let Ok(now) = replay::now_fact(policy)
        && let Some((_, to)) = replay::default_range(facts, now)
    {
        match replay::replay(policy, facts, to.saturating_sub(days - 1), to) {
            Ok(t) => {
                out.push('\n');
                out.push_str(&render::timeline_human(&t, Paint { enabled: false }, None));
            }
            Err(replay::ReplayError::Internal(e)) => panic!("internal error: {e:?}"),
            Err(e) => out.push_str(&format!("\nno replay: {e}\n")),
        }
    }
    out
}

/// The formatter's promises on a file that parses.
fn formats(name: &str, text: &str) {
    let src = SourceFile::new(name, text);
    let Ok(ast) = parse_file(&src) else {
        return;
    };
    let once = format_source(&src).unwrap_or_else(|e| panic!("{name}: refused: {e:?}"));
    let once_src = SourceFile::new(name, once.as_str());
    let again = parse_file(&once_src).unwrap_or_else(|e| panic!("{name}: {e:?}\n{once}"));
    assert_eq!(again, ast, "{name}: the syntax tree changed\n{once}");
    let mut before = comment_texts(&src).unwrap();
    let mut after = comment_texts(&once_src).unwrap();
    before.sort();
    after.sort();
    assert_eq!(before, after, "{name}: the comments changed\n{once}");
    assert_eq!(
        format_source(&once_src).unwrap(),
        once,
        "{name}: not idempotent"
    );
}

fn policy_case(path: &Path) -> String {
    let name = file_name(path);
    let text = read(path);
    formats(&name, &text);
    let mut policy = match Policy::from_text(&name, &text) {
        Ok(p) => p,
        Err(diags) => return rendered(&diags),
    };
    let warnings: Vec<Diag> = std::mem::take(&mut policy.warnings)
        .into_iter()
        .map(Diag::from)
        .collect();
    let mut out = rendered(&warnings);
    let facts_path = path.with_extension("json");
    if !facts_path.exists() {
        out.push_str("(checks)\n");
        return out;
    }
    let file = SourceFile::new(file_name(&facts_path), read(&facts_path));
    match policy.facts_with_warnings(&file) {
        Err(diags) => out.push_str(&rendered(&diags)),
        Ok((facts, _)) => out.push_str(&evaluate(&policy, &facts, 7)),
    }
    out
}

fn facts_case(path: &Path) -> String {
    let policy = nato();
    let file: Arc<SourceFile> = SourceFile::new(file_name(path), read(path));
    match policy.facts_with_warnings(&file) {
        Err(diags) => rendered(&diags),
        Ok((facts, warnings)) => rendered(&warnings) + &evaluate(&policy, &facts, 1),
    }
}

fn table_case(path: &Path) -> String {
    let name = file_name(path);
    let fact = name.split('.').next().unwrap_or_default().to_string();
    let policy = nato();
    let bytes = std::fs::read(path).unwrap();
    let file = match from_bytes(&name, bytes) {
        Ok(f) => f,
        Err(e) => return rendered(&[Diag::from(e)]),
    };
    let now = SourceFile::new("now.json", r#"{ "now": "2022-09-30" }"#);
    let tables = [TableInput {
        fact,
        file,
        delimiter: None,
    }];
    match policy.facts_with_tables(Some(&now), &tables) {
        Err(diags) => rendered(&diags),
        Ok((facts, warnings)) => rendered(&warnings) + &evaluate(&policy, &facts, 1),
    }
}

fn repl_case(path: &Path) -> String {
    // Relative paths, as in `nato()`.
    let (mut session, _) = Session::start(
        &[std::path::PathBuf::from("policies/nato")],
        Some("policies/nato/examples/albania-2022.json"),
        Paint { enabled: false },
    )
    .unwrap();
    let mut out = String::new();
    for line in read(path).split('\n') {
        let reply = session.execute(line);
        out.push_str(&session.prompt());
        out.push_str(line);
        out.push('\n');
        out.push_str(&transcript(&reply, 100));
        if reply.quit {
            break;
        }
    }
    out
}

/// One glob over every folder: the case's folder says which target it came from.
#[test]
fn fuzz_regressions() {
    // No finding yet is no failure: the folders fill as the fuzzers find.
    let mut settings = insta::Settings::clone_current();
    settings.set_allow_empty_glob(true);
    let _guard = settings.bind_to_scope();
    insta::glob!("fuzz_regressions/*/*.*", |path| {
        let folder = path.parent().map(file_name).unwrap_or_default();
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default();
        let out = match (folder.as_str(), ext.as_str()) {
            ("policy", "rung") => policy_case(path),
            // A policy case's facts: read with its policy.
            ("policy", "json") => return,
            ("facts", "json") => facts_case(path),
            ("tables", "csv") => table_case(path),
            ("repl", "session") => repl_case(path),
            _ => panic!("{}: not a case of any folder", path.display()),
        };
        // Named by folder and file, however many cases there are.
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_suffix(format!("{folder}-{}", file_name(path)));
        settings.bind(|| insta::assert_snapshot!(out));
    });
}
