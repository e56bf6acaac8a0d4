//! One mistake per case, each rendered as a user sees it (no colour, 100
//! columns) and kept as an insta snapshot.
//!
//! A case is `tests/diagnostics/NAME.rung`, checked as a policy together with
//! its companions `NAME.*.rung` (for mistakes that span files). When
//! `NAME.json` exists and the policy checks, it is loaded as the facts and,
//! if it loads, evaluated: the snapshot then shows the facts' problems or the
//! decision.

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
use rung::render::{self, Paint};
use rung::{Policy, SourceFile};

/// The case's policy files: `NAME.rung` then its companions, by name.
fn sources(path: &Path, stem: &str) -> Vec<Arc<SourceFile>> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut companions: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = file_name(p);
            name.starts_with(&format!("{stem}.")) && name.ends_with(".rung") && p != path
        })
        .collect();
    companions.sort();
    std::iter::once(path.to_path_buf())
        .chain(companions)
        .map(|p| SourceFile::new(file_name(&p), read(&p)))
        .collect()
}

fn rendered(diags: &[Diag]) -> String {
    let mut out = diagnostic::render(diags, Style::NoColor, 100);
    let summary = diagnostic::summary(diags);
    if !summary.is_empty() {
        out.push_str(&summary);
        out.push('\n');
    }
    out
}

/// What the user sees for one case.
fn run_case(path: &Path, stem: &str) -> String {
    let mut policy = match Policy::from_sources(sources(path, stem)) {
        Ok(p) => p,
        Err(diags) => return rendered(&diags),
    };
    let warnings: Vec<Diag> = std::mem::take(&mut policy.warnings)
        .into_iter()
        .map(Diag::from)
        .collect();
    let mut out = rendered(&warnings);
    let facts_path = path.with_file_name(format!("{stem}.json"));
    if !facts_path.exists() {
        if out.is_empty() {
            out.push_str("(no diagnostics)\n");
        }
        return out;
    }
    let file = SourceFile::new(file_name(&facts_path), read(&facts_path));
    match policy.facts_with_warnings(&file) {
        Err(diags) => out.push_str(&rendered(&diags)),
        Ok((facts, facts_warnings)) => {
            out.push_str(&rendered(&facts_warnings));
            let run = policy
                .run(&facts, rung::eval::Detail::Traces)
                .expect("no internal error");
            let explanations = run
                .explanations(&policy.program)
                .expect("no internal error");
            out.push_str(&render::human(
                &policy.program,
                &run.evaluation,
                &explanations,
                render::Options {
                    explain: false,
                    paint: Paint { enabled: false },
                    digest: None,
                },
            ));
        }
    }
    out
}

#[test]
fn diagnostics() {
    insta::glob!("diagnostics/*.rung", |path| {
        let name = file_name(path);
        let stem = name.trim_end_matches(".rung");
        if stem.contains('.') {
            // A companion file: checked with its case.
            return;
        }
        insta::assert_snapshot!(run_case(path, stem));
    });
}
