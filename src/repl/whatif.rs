//! Facts in the session: loading them, what-if edits (`:set`, `:unset`,
//! `:reset`), and the views that need them (`:show`, `:decide`, `:why`,
//! `:diff`).

use std::fmt::Write as _;
use std::sync::Arc;

use miette::{Diagnostic as _, Severity};
use serde_json::Value as Json;

use super::command::Arg;
use super::diff;
use super::edit::{self, JsonPath};
use super::error::{ReplError, at, typed};
use super::session::{FactsState, Reply, Session, facts_source};
use super::views;
use crate::decision::Evaluation;
use crate::diagnostic::{Diag, IoError};
use crate::eval::explain::SubjectExplanation;
use crate::eval::{Detail, Run};
use crate::facts::{Facts, MAX_FACTS_BYTES};
use crate::internal::Internal;
use crate::policy::Policy;
use crate::render;
use crate::source::SourceFile;

impl Session {
    /// Loads facts from a file (keeping the previous ones on error).
    pub fn load_facts(&mut self, path: &str, reply: &mut Reply) {
        let file = match read(path) {
            Ok(f) => f,
            Err(d) => {
                reply.report(d);
                return;
            }
        };
        let (facts, warnings) = match self.facts_with_pending_tables(&file) {
            Ok(f) => f,
            Err(ds) => {
                reply.diags(ds);
                reply.text(keep_note(self.facts.as_ref()));
                return;
            }
        };
        let json: Json = match serde_json::from_str(&file.text) {
            Ok(j) => j,
            Err(e) => {
                reply.report(ReplError::Plain {
                    message: format!("{path}: cannot keep the facts for editing: {e}"),
                    help: None,
                });
                return;
            }
        };
        let names: Vec<&str> = self
            .pending_tables
            .iter()
            .map(|t| t.fact.as_str())
            .collect();
        let json = match self.with_table_json(json, &facts, &names) {
            Ok(j) => j,
            Err(e) => {
                reply.report(e);
                return;
            }
        };
        self.pending_tables.clear();
        let baseline = match self.policy.policy.evaluate(&facts) {
            Ok(e) => e.into_owned(),
            Err(e) => {
                reply.report(e);
                return;
            }
        };
        reply.text(format!("loaded facts from {path}: {}", summary(&json)));
        reply.diags(warnings);
        self.facts = Some(FactsState {
            name: path.to_string(),
            loaded: json.clone(),
            current: json,
            facts,
            baseline,
            edits: Vec::new(),
        });
        if let Some(s) = self.scope.take()
            && let Some(block) = self.find_block(&s.ladder, &s.subject)
        {
            self.scope = Some(super::probe::SubjectScope { block, ..s });
        }
    }

    fn need_facts(&self, file: &Arc<SourceFile>, reply: &mut Reply) -> bool {
        if self.facts.is_some() {
            return true;
        }
        let _ = file;
        reply.report(no_facts());
        false
    }

    /// `:set PATH = JSON`
    pub(super) fn set(
        &mut self,
        file: &Arc<SourceFile>,
        path: &Arg,
        value: &Arg,
        reply: &mut Reply,
    ) {
        if !self.need_facts(file, reply) {
            return;
        }
        let (p, v) = match (edit::parse_path(file, path), edit::parse_value(file, value)) {
            (Ok(p), Ok(v)) => (p, v),
            (Err(e), _) | (_, Err(e)) => {
                reply.report(e);
                return;
            }
        };
        let Some(f) = &self.facts else { return };
        let mut next = f.current.clone();
        let shown = brief(&v);
        let old = match edit::set(&mut next, &p.segs, v) {
            Ok(old) => old,
            Err(miss) => {
                reply.report(edit::miss_report(file, &p, miss));
                return;
            }
        };
        let what = match old {
            Some(o) => format!("{}: {} → {shown}", p.show(), brief(&o)),
            None => format!("{}: added {shown}", p.show()),
        };
        self.commit(next, format!("{} = {shown}", p.show()), what, reply);
    }

    /// `:unset PATH`
    pub(super) fn unset(&mut self, file: &Arc<SourceFile>, path: &Arg, reply: &mut Reply) {
        if !self.need_facts(file, reply) {
            return;
        }
        let p: JsonPath = match edit::parse_path(file, path) {
            Ok(p) => p,
            Err(e) => {
                reply.report(e);
                return;
            }
        };
        let Some(f) = &self.facts else { return };
        let mut next = f.current.clone();
        let old = match edit::unset(&mut next, &p.segs) {
            Ok(old) => old,
            Err(miss) => {
                reply.report(edit::miss_report(file, &p, miss));
                return;
            }
        };
        let what = format!("{}: removed {}", p.show(), brief(&old));
        self.commit(next, format!("removed {}", p.show()), what, reply);
    }

    /// `:reset`
    pub(super) fn reset(&mut self, reply: &mut Reply) {
        let Some(f) = &self.facts else {
            reply.text("no facts are loaded");
            return;
        };
        if f.edits.is_empty() {
            reply.text("the facts are as loaded");
            return;
        }
        let n = f.edits.len();
        let loaded = f.loaded.clone();
        self.commit(
            loaded,
            String::new(),
            format!("undid {n} edit{}", if n == 1 { "" } else { "s" }),
            reply,
        );
        if let Some(f) = &mut self.facts {
            f.edits.clear();
        }
    }

    /// Validates edited facts; on success they replace the current ones and
    /// the decisions that changed are listed.
    pub(super) fn commit(&mut self, next: Json, edit: String, what: String, reply: &mut Reply) {
        let Some(f) = &self.facts else { return };
        let policy = &self.policy.policy;
        // Warnings the facts had before the edit are not news: a refused
        // edit reports only what it caused.
        // They are read only when the edited facts have warnings at all.
        let before_warnings = || {
            policy
                .facts_with_warnings(&facts_source(&f.current, &f.name))
                .map(|(_, w)| w)
                .unwrap_or_default()
        };
        let validated: Facts = match policy.facts_with_warnings(&facts_source(&next, &f.name)) {
            Ok((v, warnings)) => {
                let new = if warnings.is_empty() {
                    warnings
                } else {
                    caused_by_edit(&before_warnings(), warnings)
                };
                if !new.is_empty() {
                    // An edit that adds a field the schema does not know is
                    // a typo here (`:set incidents[0].severty = 3`): refuse it.
                    reply.diags(new);
                    reply.text("the facts were not changed");
                    return;
                }
                v
            }
            Err(ds) => {
                let warned = ds.iter().any(|d| d.severity() == Some(Severity::Warning));
                reply.diags(if warned {
                    caused_by_edit(&before_warnings(), ds)
                } else {
                    ds
                });
                reply.text("the facts were not changed");
                return;
            }
        };
        let (before, after) = match (
            self.policy.policy.evaluate(&f.facts),
            self.policy.policy.evaluate(&validated),
        ) {
            (Ok(b), Ok(a)) => (b, a),
            (Err(e), _) | (_, Err(e)) => {
                reply.report(e);
                return;
            }
        };
        if let Some(f) = &mut self.facts {
            f.current = next;
            f.facts = validated;
            if !edit.is_empty() {
                f.edits.push(edit);
            }
        }
        reply.text(what);
        reply.text(effect(&before, &after));
        if let Some(s) = self.scope.clone()
            && self.find_block(&s.ladder, &s.subject).is_none()
        {
            reply.text(format!(
                "left the scope of {} {}: it is no longer a subject",
                s.ladder, s.subject
            ));
            self.scope = None;
        }
    }

    /// `:show [PATH]`
    pub(super) fn show(&mut self, file: &Arc<SourceFile>, path: Option<&Arg>, reply: &mut Reply) {
        if !self.need_facts(file, reply) {
            return;
        }
        let Some(f) = &self.facts else { return };
        let value = match path {
            None => Ok(&f.current),
            Some(a) => match edit::parse_path(file, a) {
                Ok(p) => edit::get(&f.current, &p.segs).map_err(|m| edit::miss_report(file, &p, m)),
                Err(e) => Err(e),
            },
        };
        match value {
            Ok(v) => reply.text(serde_json::to_string_pretty(v).unwrap_or_default()),
            Err(e) => reply.report(e),
        }
    }

    /// `:decide`
    pub(super) fn decide(&mut self, reply: &mut Reply) {
        let Some(f) = &self.facts else {
            reply.report(no_facts());
            return;
        };
        let policy = &self.policy.policy;
        let (run, explanations) = match traced(policy, &f.facts) {
            Ok(r) => r,
            Err(e) => {
                reply.report(e);
                return;
            }
        };
        reply.text(render::human(
            &policy.program,
            &run.evaluation,
            &explanations,
            render::Options {
                explain: false,
                paint: self.paint,
                digest: None,
            },
        ));
    }

    /// `:diff`
    pub(super) fn diff(&mut self, reply: &mut Reply) {
        let Some(f) = &self.facts else {
            reply.report(no_facts());
            return;
        };
        let mut out = String::new();
        let _ = writeln!(out, "since the facts were loaded from {}:", f.name);
        if f.edits.is_empty() {
            let _ = writeln!(out, "  (no edits to the facts)");
        }
        for e in &f.edits {
            let _ = writeln!(out, "  {e}");
        }
        if !self.policy.entries.is_empty() {
            let n = self.policy.entries.len();
            let _ = writeln!(
                out,
                "  ({n} declaration{} typed in this session)",
                if n == 1 { "" } else { "s" }
            );
        }
        out.push('\n');
        let now = match self.policy.policy.evaluate(&f.facts) {
            Ok(e) => e,
            Err(e) => {
                reply.report(e);
                return;
            }
        };
        out.push_str(&diff::render(&f.baseline, &now, self.paint));
        reply.text(out);
    }

    /// `:why RUNG [SUBJECT]`
    pub(super) fn why(&mut self, file: &Arc<SourceFile>, args: &[Arg], reply: &mut Reply) {
        let Some(f) = &self.facts else {
            reply.report(no_facts());
            return;
        };
        let program = &self.policy.policy.program;
        let has_rung = |a: &Arg| {
            program
                .schema
                .ladders
                .iter()
                .any(|l| l.rungs.iter().any(|r| r.name == a.text))
        };
        // `:why response.sanctions IR` names the ladder too.
        let mut only: Option<String> = None;
        let split: Vec<Arg> = args
            .iter()
            .map(|a| match qualified(program, a) {
                Some((ladder, rung)) => {
                    only = Some(ladder);
                    rung
                }
                None => a.clone(),
            })
            .collect();
        let args = split.as_slice();
        // `:why IR sanctions` reads as well as `:why sanctions IR`.
        let (rung, subject) = match args {
            [a, b] if !has_rung(a) && has_rung(b) => (b, Some(a)),
            [a, b] => (a, Some(b)),
            [a] => (a, None),
            _ => return,
        };
        if !has_rung(rung) {
            reply.report(views::unknown_rung(file, program, rung));
            return;
        }
        let ladders: Vec<String> = program
            .schema
            .ladders
            .iter()
            .filter(|l| l.rungs.iter().any(|r| r.name == rung.text))
            .filter(|l| only.as_ref().is_none_or(|o| *o == l.name))
            .map(|l| l.name.clone())
            .collect();
        let (run, explanations) = match traced(&self.policy.policy, &f.facts) {
            Ok(r) => r,
            Err(e) => {
                reply.report(e);
                return;
            }
        };
        let evaluation = &run.evaluation;
        let mut shown = 0;
        for ladder in &ladders {
            let subject = match subject {
                Some(s) => s.text.clone(),
                None => match self.default_subject(ladder) {
                    Some(s) => s,
                    None => {
                        let subjects = self.subjects_of(ladder);
                        let (src, span) = at(&typed(file, rung.start, rung.end));
                        reply.report(ReplError::Usage {
                            src,
                            span,
                            message: format!("which subject of `{ladder}`?"),
                            label: "for which subject?".into(),
                            help: format!(
                                "name one: `:why {} SUBJECT`; the subjects are: {}",
                                rung.text,
                                if subjects.is_empty() {
                                    "none".to_string()
                                } else {
                                    subjects.join(", ")
                                }
                            ),
                        });
                        return;
                    }
                },
            };
            let ex = explanations
                .iter()
                .find(|s| &s.ladder == ladder && s.subject == subject);
            let d = evaluation
                .decisions
                .iter()
                .find(|d| *d.ladder == **ladder && *d.subject == *subject);
            if let (Some(ex), Some(d)) = (ex, d) {
                reply.text(views::why(program, d, ex, &rung.text, self.paint));
                shown += 1;
            }
        }
        if shown == 0
            && let Some(s) = subject
        {
            let ladder = ladders.first().map_or("", String::as_str);
            reply.report(self.unknown_subject(file, ladder, s));
        }
    }

    /// The scope's subject, or the only subject of the ladder.
    fn default_subject(&self, ladder: &str) -> Option<String> {
        if let Some(s) = &self.scope
            && s.ladder == ladder
        {
            return Some(s.subject.clone());
        }
        match self.subjects_of(ladder).as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    }

    /// `:rules [LADDER]`
    pub(super) fn rules(
        &mut self,
        file: &Arc<SourceFile>,
        ladder: Option<&Arg>,
        reply: &mut Reply,
    ) {
        if let Some(l) = ladder
            && let Err(e) = self.check_ladder(file, l)
        {
            reply.report(e);
            return;
        }
        match views::rules(&self.policy.policy.program, ladder.map(|a| a.text.as_str())) {
            Ok(text) => reply.text(text),
            Err(e) => reply.report(e),
        }
    }
}

/// One run with every condition traced, and its explanations.
fn traced<'p>(
    policy: &'p Policy,
    facts: &Facts,
) -> Result<(Run<'p>, Vec<SubjectExplanation>), Internal> {
    let run = policy.run(facts, Detail::Traces)?;
    let explanations = run.explanations(&policy.program)?;
    Ok((run, explanations))
}

/// `response.sanctions` → (`response`, `sanctions` with its own span).
fn qualified(program: &crate::program::Program, a: &Arg) -> Option<(String, Arg)> {
    let (ladder, rung) = a.text.split_once('.')?;
    let l = program.schema.ladders.iter().find(|l| l.name == ladder)?;
    l.rungs.iter().any(|r| r.name == rung).then(|| {
        (
            ladder.to_string(),
            Arg {
                text: rung.to_string(),
                start: a.start + ladder.len() + 1,
                end: a.end,
            },
        )
    })
}

pub(super) fn no_facts() -> ReplError {
    ReplError::Plain {
        message: "no facts are loaded".into(),
        help: Some("load them with `:facts FILE`".into()),
    }
}

fn keep_note(current: Option<&FactsState>) -> String {
    match current {
        Some(f) => format!("the facts were not loaded; still using {}", f.name),
        None => "the facts were not loaded".into(),
    }
}

/// Reads a facts file as UTF-8 text.
fn read(path: &str) -> Result<Arc<SourceFile>, Diag> {
    let err = |message: String| {
        Diag::from(IoError::Read {
            path: path.to_string(),
            message,
        })
    };
    let meta = std::fs::metadata(path).map_err(|e| err(e.to_string()))?;
    if meta.len() > MAX_FACTS_BYTES as u64 {
        return Err(err(format!(
            "the file is {} bytes; the limit is {MAX_FACTS_BYTES}",
            meta.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        err(format!(
            "not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(SourceFile::new(path, text))
}

/// `now "2022-09-30", incidents: 3 items, ...`
fn summary(json: &Json) -> String {
    let Json::Object(m) = json else {
        return brief(json);
    };
    m.iter()
        .map(|(k, v)| match v {
            Json::Array(a) => format!(
                "{k} ({} item{})",
                a.len(),
                if a.len() == 1 { "" } else { "s" }
            ),
            _ => format!("{k} {}", brief(v)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A value in a few words: scalars as JSON, containers by size.
fn brief(v: &Json) -> String {
    match v {
        Json::Array(a) => format!("[…{} item{}]", a.len(), if a.len() == 1 { "" } else { "s" }),
        Json::Object(o) => {
            let id = ["id", "name"]
                .iter()
                .find_map(|k| o.get(*k).filter(|v| v.is_string()))
                .map_or(String::new(), |v| format!("{v}, "));
            format!("{{{id}…{} fields}}", o.len())
        }
        other => other.to_string(),
    }
}

/// The decisions that changed with one edit, one line each.
fn effect(before: &Evaluation, after: &Evaluation) -> String {
    let changes = diff::changes(before, after);
    if changes.is_empty() {
        return "no decision changed".into();
    }
    let mut out = String::new();
    for c in changes {
        let line = match c {
            diff::Change::Added(d) => format!(
                "  {} · {}: new subject, top {}",
                d.ladder,
                d.subject,
                d.top.as_deref().unwrap_or("none")
            ),
            diff::Change::Removed(d) => {
                format!("  {} · {}: no longer a subject", d.ladder, d.subject)
            }
            diff::Change::Changed(b, a) => {
                let mut parts = vec![if b.top == a.top {
                    format!("top still {}", a.top.as_deref().unwrap_or("none"))
                } else {
                    format!(
                        "top {} → {}",
                        b.top.as_deref().unwrap_or("none"),
                        a.top.as_deref().unwrap_or("none")
                    )
                }];
                parts.extend(diff::moves("recommended", &b.recommended, &a.recommended));
                parts.extend(diff::moves("forbidden", &b.forbidden, &a.forbidden));
                if b.status != a.status {
                    parts.push(format!("status {}", diff::status(a.status)));
                }
                format!("  {} · {}: {}", a.ladder, a.subject, parts.join("; "))
            }
        };
        let _ = writeln!(out, "{line}");
    }
    out
}

/// The reports in `after` that are not warnings already in `before`: what an
/// edit caused. Warnings are compared by code and message, which names the
/// JSON path.
fn caused_by_edit(before: &[Diag], after: Vec<Diag>) -> Vec<Diag> {
    let key = |d: &Diag| (d.code().map(|c| c.to_string()), d.to_string());
    let old: std::collections::HashSet<_> = before.iter().map(key).collect();
    after
        .into_iter()
        .filter(|d| d.severity() != Some(Severity::Warning) || !old.contains(&key(d)))
        .collect()
}
