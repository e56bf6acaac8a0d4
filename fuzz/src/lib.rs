//! Shared pieces of rung's fuzz targets: the grammar-aware generators, the
//! reference doctrine loaded once, and the "everything downstream" drivers
//! that render whatever the library returns, because a report that panics
//! while rendering is as much a crash as a parser that does.
//!
//! A fuzz target asserts what rung promises: no panic, no stack overflow,
//! termination (libFuzzer's `-timeout`), and no `Internal` error (rung's
//! "this is a bug" result) on any input.

pub mod facts_gen;
pub mod policy_gen;

use std::sync::{Arc, OnceLock};

use rung::eval::Detail;
use rung::render::{self, Paint};
use rung::replay;
use rung::{Diag, Policy, SourceFile};

/// The NATO doctrine's policy files, as text (compiled in, so a target
/// never depends on the directory it runs from).
pub const NATO_FILES: &[(&str, &str)] = &[
    (
        "response.rung",
        include_str!("../../policies/nato/response.rung"),
    ),
    (
        "schema.rung",
        include_str!("../../policies/nato/schema.rung"),
    ),
    (
        "victim_assistance.rung",
        include_str!("../../policies/nato/victim_assistance.rung"),
    ),
    (
        "window.rung",
        include_str!("../../policies/nato/window.rung"),
    ),
];

/// The reference doctrine, checked once per process.
pub fn nato() -> &'static Policy {
    static NATO: OnceLock<Policy> = OnceLock::new();
    NATO.get_or_init(|| {
        let sources = NATO_FILES
            .iter()
            .map(|(name, text)| SourceFile::new(*name, *text))
            .collect();
        match Policy::from_sources(sources) {
            Ok(p) => p,
            Err(e) => panic!("the NATO doctrine does not check: {e:?}"),
        }
    })
}

/// Renders diagnostics in every format the CLI has.
pub fn render_diags(diags: &[Diag]) {
    let _ = rung::diagnostic::render(diags, rung::diagnostic::Style::NoColor, 80);
    let _ = rung::diagnostic::render_plain(diags);
    let _ = rung::diagnostic::render_json(diags);
    let _ = rung::diagnostic::summary(diags);
}

/// Evaluates `policy` over `facts` as `rung eval --explain` does, renders
/// the decision both ways, and replays up to `days` days ending at `now`.
/// Panics on an internal error: a checked policy over loaded facts must
/// never produce one.
pub fn evaluate_all(policy: &Policy, facts: &rung::facts::Facts, days: i32) {
    let run = match policy.run(facts, Detail::Traces) {
        Ok(r) => r,
        Err(e) => panic!("internal error from eval: {e:?}"),
    };
    let explanations = match run.explanations(&policy.program) {
        Ok(x) => x,
        Err(e) => panic!("internal error from explanations: {e:?}"),
    };
    let _ = render::json(&run.evaluation, Some(&explanations), None);
    let _ = render::human(
        &policy.program,
        &run.evaluation,
        &explanations,
        render::Options {
            explain: true,
            paint: Paint { enabled: false },
            digest: None,
        },
    );
    if days <= 0 {
        return;
    }
    let Ok(now) = replay::now_fact(policy) else {
        return;
    };
    let Some((_, to)) = replay::default_range(facts, now) else {
        return;
    };
    let from = to.saturating_sub(days - 1);
    match replay::replay(policy, facts, from, to) {
        Ok(t) => {
            let _ = render::timeline_human(&t, Paint { enabled: false }, None);
            let _ = render::timeline_csv(&t);
        }
        Err(replay::ReplayError::Internal(e)) => panic!("internal error from replay: {e:?}"),
        Err(_) => {}
    }
}

/// A source file for a fuzz input.
pub fn source(name: &str, text: &str) -> Arc<SourceFile> {
    SourceFile::new(name, text)
}
