//! Every code the program can emit has an explanation, and every explanation's
//! example does what it says: the failing input reports the code, the fixed
//! one does not.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use std::collections::BTreeSet;
use std::path::Path;

use miette::Diagnostic;
use rung::Policy;
use rung::diagnostic::Diag;
use rung::diagnostic::codes::{EXPLANATIONS, Example, with_prelude};

/// Every `code(rung::...)` and `code("rung::...")` in the sources.
fn codes_in_sources() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for (i, _) in text.match_indices("code(") {
                let rest = text[i + 5..].trim_start_matches('"');
                let code: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                if code.starts_with("rung::") {
                    out.insert(code);
                }
            }
        }
    }
    out
}

#[test]
fn every_code_in_the_sources_is_explained_and_nothing_else() {
    let emitted = codes_in_sources();
    let explained: BTreeSet<String> = EXPLANATIONS.iter().map(|e| e.code.to_string()).collect();
    assert!(emitted.len() >= 40, "found only {} codes", emitted.len());
    let missing: Vec<_> = emitted.difference(&explained).collect();
    let stale: Vec<_> = explained.difference(&emitted).collect();
    assert!(
        missing.is_empty(),
        "codes without an explanation: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "explanations of codes nothing emits: {stale:?}"
    );
    assert_eq!(
        explained.len(),
        EXPLANATIONS.len(),
        "an explanation is repeated"
    );
}

/// The codes of a policy's diagnostics (errors and warnings alike).
fn policy_codes(text: &str) -> Result<(Policy, Vec<String>), Vec<String>> {
    standalone_codes(&with_prelude(text))
}

fn standalone_codes(text: &str) -> Result<(Policy, Vec<String>), Vec<String>> {
    match Policy::from_text("example.rung", text) {
        Ok(p) => {
            let codes = p
                .warnings
                .iter()
                .filter_map(|w| w.code().map(|c| c.to_string()))
                .collect();
            Ok((p, codes))
        }
        Err(diags) => Err(codes_of(&diags)),
    }
}

fn codes_of(diags: &[Diag]) -> Vec<String> {
    diags
        .iter()
        .filter_map(|d| d.code().map(|c| c.to_string()))
        .collect()
}

/// The codes reported for the facts `json` under `policy`.
fn facts_codes(policy: &str, json: &str) -> Vec<String> {
    match policy_codes(policy) {
        Ok((p, _)) => match p.facts_with_warnings(&rung::SourceFile::new("example.json", json)) {
            Ok((_, warnings)) => codes_of(&warnings),
            Err(diags) => codes_of(&diags),
        },
        Err(codes) => panic!("the example's policy does not check: {codes:?}"),
    }
}

/// The codes reported for the table `csv` as the fact `fact`, with the
/// other facts from `json`, under `policy`.
fn table_codes(policy: &str, json: &str, fact: &str, csv: &str) -> Vec<String> {
    let Ok((p, _)) = policy_codes(policy) else {
        panic!("the example's policy does not check");
    };
    let file = match rung::facts::table::from_bytes("example.csv", csv.as_bytes().to_vec()) {
        Ok(f) => f,
        Err(e) => return codes_of(&[Diag::from(e)]),
    };
    let input = rung::facts::table::TableInput {
        fact: fact.to_string(),
        file,
        delimiter: None,
    };
    let json = rung::SourceFile::new("example.json", json);
    match p.facts_with_tables(Some(&json), &[input]) {
        Ok((_, warnings)) => codes_of(&warnings),
        Err(diags) => codes_of(&diags),
    }
}

/// Whether evaluating `facts` under `policy` fails at run time.
fn eval_fails(policy: &str, facts: &str) -> bool {
    let Ok((p, _)) = policy_codes(policy) else {
        panic!("the example's policy does not check");
    };
    let facts = p
        .facts_from_text("example.json", facts)
        .unwrap_or_else(|d| panic!("the example's facts do not load: {:?}", codes_of(&d)));
    let evaluation = p.evaluate(&facts).expect("no internal error");
    !evaluation.errors.is_empty() || evaluation.decisions.iter().any(|d| !d.errors.is_empty())
}

#[test]
fn every_example_fails_with_its_code_and_its_fix_does_not() {
    let mut problems = Vec::new();
    for e in EXPLANATIONS {
        let code = e.code.to_string();
        match e.example {
            Example::Policy { bad, fixed } | Example::Standalone { bad, fixed } => {
                let run = |text: &str| match e.example {
                    Example::Standalone { .. } => standalone_codes(text),
                    _ => policy_codes(text),
                };
                let bad_codes = run(bad).map_or_else(|c| c, |(_, c)| c);
                if !bad_codes.contains(&code) {
                    problems.push(format!("{code}: the failing example reports {bad_codes:?}"));
                }
                let fixed_codes = run(fixed).map_or_else(|c| c, |(_, c)| c);
                if fixed_codes.contains(&code) {
                    problems.push(format!("{code}: the fixed example still reports it"));
                }
                if fixed_codes.iter().any(|c| !c.starts_with("rung::lint::")) {
                    problems.push(format!(
                        "{code}: the fixed example has errors: {fixed_codes:?}"
                    ));
                }
            }
            Example::Facts { policy, bad, fixed } => {
                let bad_codes = facts_codes(policy, bad);
                if !bad_codes.contains(&code) {
                    problems.push(format!("{code}: the failing facts report {bad_codes:?}"));
                }
                let fixed_codes = facts_codes(policy, fixed);
                if !fixed_codes.is_empty() {
                    problems.push(format!("{code}: the fixed facts report {fixed_codes:?}"));
                }
            }
            Example::Table {
                policy,
                json,
                fact,
                bad,
                fixed,
            } => {
                let bad_codes = table_codes(policy, json, fact, bad);
                if !bad_codes.contains(&code) {
                    problems.push(format!("{code}: the failing table reports {bad_codes:?}"));
                }
                let fixed_codes = table_codes(policy, json, fact, fixed);
                if !fixed_codes.is_empty() {
                    problems.push(format!("{code}: the fixed table reports {fixed_codes:?}"));
                }
            }
            Example::Eval { bad, fixed, facts } => {
                if !eval_fails(bad, facts) {
                    problems.push(format!("{code}: the failing example evaluates"));
                }
                if eval_fails(fixed, facts) {
                    problems.push(format!("{code}: the fixed example still fails"));
                }
            }
            Example::Shown { .. } => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Whether a code reports something legal but likely wrong.
fn is_lint(code: &str) -> bool {
    code.starts_with("rung::lint::")
}

/// A lint never stops a policy from checking and always shows as a
/// warning; every other code of a policy's example is an error and stops
/// it. Run over every explained example, so a new lint (which must be
/// explained) is covered without naming it here.
#[test]
fn lints_are_warnings_that_never_stop_a_policy_and_the_rest_are_errors() {
    use miette::Severity;
    use rung::diagnostic::format::severity_word;

    let mut problems = Vec::new();
    let mut lints = 0;
    for e in EXPLANATIONS {
        let (text, bad) = match e.example {
            Example::Policy { bad, .. } => (with_prelude(bad), bad),
            Example::Standalone { bad, .. } => (bad.to_string(), bad),
            _ => continue,
        };
        let code = e.code;
        match Policy::from_text("example.rung", &text) {
            Ok(p) => {
                if !is_lint(code) {
                    problems.push(format!("{code}: the policy checks: {bad}"));
                }
                lints += usize::from(is_lint(code));
                for w in p.warnings.into_iter().map(Diag::from) {
                    let shown = w.code().map(|c| c.to_string()).unwrap_or_default();
                    if w.severity() != Some(Severity::Warning)
                        || severity_word(&w) != "warning"
                        || !w.is_warning()
                        || !is_lint(&shown)
                    {
                        problems.push(format!("{code}: `{shown}` is not shown as a lint warning"));
                    }
                }
            }
            Err(diags) => {
                if is_lint(code) {
                    problems.push(format!(
                        "{code}: a lint's example does not check: {:?}",
                        codes_of(&diags)
                    ));
                }
                for d in &diags {
                    let shown = d.code().map(|c| c.to_string()).unwrap_or_default();
                    let want = if is_lint(&shown) { "warning" } else { "error" };
                    if severity_word(d) != want || d.is_warning() != (want == "warning") {
                        problems.push(format!(
                            "{code}: `{shown}` is shown as {}",
                            severity_word(d)
                        ));
                    }
                }
            }
        }
    }
    assert!(lints >= 5, "only {lints} lint examples");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every section an explanation announces ("With this policy:", "Failing
/// facts:", …) has an indented example under it: an empty one reads as if
/// the example were lost.
#[test]
fn every_announced_example_is_there() {
    for e in EXPLANATIONS {
        let text = rung::diagnostic::codes::render(e);
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate().skip(1) {
            let heading = ["With", "Failing", "Fixed"]
                .iter()
                .any(|h| line.starts_with(h));
            if heading && line.ends_with(':') {
                let next = lines[i + 1..].iter().find(|l| !l.is_empty());
                assert!(
                    next.is_some_and(|l| l.starts_with("    ")),
                    "{}: `{line}` is followed by nothing:\n{text}",
                    e.code
                );
            }
        }
    }
}

/// What `rung explain` prints for the facts codes: each shows the policy
/// its facts are read against.
#[test]
fn facts_codes_show_their_policy() {
    let text: String = EXPLANATIONS
        .iter()
        .filter(|e| matches!(e.example, Example::Facts { .. }))
        .map(|e| format!("{}\n", rung::diagnostic::codes::render(e)))
        .collect();
    insta::assert_snapshot!(text);
}
