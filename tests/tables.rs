//! Tables as facts, one case per file, each rendered as a user sees it (no
//! colour, 100 columns) and kept as an insta snapshot.
//!
//! A case is `tests/tables/cases/NAME.csv` (or `.tsv`), read as the fact
//! `incidents` of `tests/tables/policy.rung`, with the other facts from
//! `NAME.json` beside it, or else `tests/tables/now.json`. The snapshot
//! shows the problems, or the warnings and the decision.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use std::path::Path;

use rung::diagnostic::{self, Diag, Style};
use rung::facts::table::{self, TableInput};
use rung::render::{self, Paint};
use rung::{Policy, SourceFile};

fn rendered(diags: &[Diag]) -> String {
    let mut out = diagnostic::render(diags, Style::NoColor, 100);
    let summary = diagnostic::summary(diags);
    if !summary.is_empty() {
        out.push_str(&summary);
        out.push('\n');
    }
    out
}

fn policy() -> Policy {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tables/policy.rung");
    let text = std::fs::read_to_string(path).unwrap();
    Policy::from_text("policy.rung", &text).unwrap_or_else(|d| panic!("{}", rendered(&d)))
}

/// What the user sees for one case.
fn run_case(path: &Path) -> String {
    let policy = policy();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let json_path = path.with_extension("json");
    let json_path = if json_path.exists() {
        json_path
    } else {
        path.parent().unwrap().with_file_name("now.json")
    };
    let json = SourceFile::new(
        json_path.file_name().unwrap().to_string_lossy(),
        std::fs::read_to_string(&json_path).unwrap(),
    );
    let file = match table::from_bytes(&name, std::fs::read(path).unwrap()) {
        Ok(f) => f,
        Err(e) => return rendered(&[Diag::from(e)]),
    };
    let input = TableInput {
        fact: "incidents".into(),
        file,
        delimiter: None,
    };
    match policy.facts_with_tables(Some(&json), &[input]) {
        Err(diags) => rendered(&diags),
        Ok((facts, warnings)) => {
            let mut out = rendered(&warnings);
            let schema = &policy.program.schema;
            for (field, value) in schema.facts.fields.iter().zip(facts.values()) {
                let shown = rung::value::show(value, &field.ty, schema).unwrap();
                out.push_str(&format!("{} = {shown}\n", field.name));
            }
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
            out
        }
    }
}

#[test]
fn tables() {
    insta::glob!("tables/cases/*.?sv", |path| {
        insta::assert_snapshot!(run_case(path));
    });
}
