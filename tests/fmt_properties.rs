//! The formatter's promises, checked over every policy in the repository and
//! over a few hundred generated ones: it is idempotent, it never changes what
//! a policy says (same AST, spans aside), and it keeps every comment.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "support/policy_gen.rs"]
mod policy_gen;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rung::fmt::{comment_texts, format_source};
use rung::syntax::parse_file;
use rung::{Policy, SourceFile};

/// Formats `text` and checks every promise; returns the formatted text.
fn check_promises(name: &str, text: &str) -> String {
    let src = SourceFile::new(name, text);
    let ast = parse_file(&src).unwrap_or_else(|e| panic!("{name} does not parse: {e:?}\n{text}"));
    let once = format_source(&src).unwrap_or_else(|e| panic!("{name}: {e:?}\n{text}"));
    let once_src = SourceFile::new(name, once.as_str());
    let again = parse_file(&once_src)
        .unwrap_or_else(|e| panic!("{name}: output does not parse: {e:?}\n{once}"));
    assert_eq!(
        again, ast,
        "{name}: meaning changed\n--- input\n{text}\n--- output\n{once}"
    );
    let twice = format_source(&once_src).unwrap();
    assert_eq!(
        twice, once,
        "{name}: not idempotent\n--- input\n{text}\n--- once\n{once}"
    );
    let mut before = comment_texts(&src).unwrap();
    let mut after = comment_texts(&once_src).unwrap();
    before.sort();
    after.sort();
    assert_eq!(
        before, after,
        "{name}: comments changed\n--- output\n{once}"
    );
    for line in once.lines() {
        assert_eq!(line, line.trim_end(), "{name}: trailing whitespace\n{once}");
    }
    assert!(once.is_empty() || once.ends_with('\n') && !once.ends_with("\n\n"));
    once
}

/// Every `.rung` file below `dir`.
fn rung_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(rung_files(&p));
        } else if p.extension().is_some_and(|x| x == "rung") {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_policy_in_the_repository() {
    let mut files = rung_files(&repo().join("policies"));
    files.extend(rung_files(&repo().join("tests")));
    assert!(files.len() >= 4, "found {files:?}");
    let mut checked = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        // Cases of syntax errors live among the tests too; they are not formatted.
        if parse_file(&SourceFile::new(f.display().to_string(), text.as_str())).is_err() {
            continue;
        }
        check_promises(&f.display().to_string(), &text);
        checked += 1;
    }
    assert!(checked >= 4);
}

#[test]
fn generated_policies() {
    for seed in 0..400u64 {
        let text = policy_gen::Gen::new(seed).policy(seed % 4 == 3);
        check_promises(&format!("gen-{seed}.rung"), &text);
    }
}

/// Removes every line's indentation.
fn dedent(text: &str) -> String {
    text.lines()
        .map(str::trim_start)
        .collect::<Vec<_>>()
        .join("\n")
}

fn nato_sources(transform: impl Fn(&str) -> String) -> Vec<Arc<SourceFile>> {
    rung_files(&repo().join("policies/nato"))
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            SourceFile::new(f.display().to_string(), transform(&text))
        })
        .collect()
}

/// The decisions a policy reaches on every NATO example, as JSON with
/// locations (which move when text moves) left out.
fn decisions(policy: &Policy) -> Vec<String> {
    let mut examples: Vec<PathBuf> = std::fs::read_dir(repo().join("policies/nato/examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    examples.sort();
    assert!(!examples.is_empty());
    examples
        .iter()
        .map(|p| {
            let json = std::fs::read_to_string(p).unwrap();
            let facts = policy
                .facts_from_text(&p.display().to_string(), &json)
                .unwrap();
            let mut eval = policy.evaluate(&facts).unwrap();
            for d in &mut eval.decisions {
                d.errors.iter_mut().for_each(|e| e.location.clear());
            }
            eval.errors.iter_mut().for_each(|e| e.location.clear());
            serde_json::to_string(&eval).unwrap()
        })
        .collect()
}

#[test]
fn deindented_nato_doctrine_formats_back_to_the_same_decisions() {
    let original = nato_sources(str::to_string);
    let flat = nato_sources(dedent);
    let once: Vec<Arc<SourceFile>> = flat
        .iter()
        .map(|s| SourceFile::new(s.name.clone(), format_source(s).unwrap()))
        .collect();
    let twice: Vec<Arc<SourceFile>> = once
        .iter()
        .map(|s| SourceFile::new(s.name.clone(), format_source(s).unwrap()))
        .collect();
    for ((o, a), b) in original.iter().zip(&once).zip(&twice) {
        assert_eq!(a.text, b.text, "{} is not stable", o.name);
        let mut before = comment_texts(o).unwrap();
        let mut after = comment_texts(a).unwrap();
        before.sort();
        after.sort();
        assert_eq!(before, after, "{} lost comments", o.name);
    }
    let reference = Policy::from_sources(original).unwrap();
    let formatted = Policy::from_sources(once).unwrap();
    assert_eq!(decisions(&reference), decisions(&formatted));
}

/// `rung fmt --check policies` passes: the shipped doctrine is kept in the
/// canonical layout (after editing it, run `rung fmt policies`).
#[test]
fn shipped_policies_are_formatted() {
    for src in nato_sources(str::to_string) {
        let formatted = format_source(&src).unwrap();
        assert!(
            formatted == *src.text,
            "{} is not formatted; run `rung fmt policies`:\n{}",
            src.name,
            rung::fmt::unified_diff(&src.name, &src.text, &formatted)
        );
    }
}

#[test]
#[ignore = "a longer search; run by hand"]
fn many_generated_policies() {
    let n: u64 = std::env::var("RUNG_FMT_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000);
    for seed in 0..n {
        let text = policy_gen::Gen::new(seed).policy(seed % 4 == 3);
        check_promises(&format!("gen-{seed}.rung"), &text);
    }
}

#[test]
#[ignore = "prints a generated case; run by hand"]
fn show_generated() {
    let seed: u64 = std::env::var("SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let text = policy_gen::Gen::new(seed).policy(false);
    println!("{text}\n=====\n{}", check_promises("show.rung", &text));
}
