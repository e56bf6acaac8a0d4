//! `GET /v1/policy` and the policy's example facts: what a client or the
//! console needs to know about the doctrine in force without reading its
//! files.

use std::path::{Path, PathBuf};

use serde_json::{Value as Json, json};

use serde::Serialize;

use crate::diagnostic::format::Record;
use crate::export::{self, Doc};
use crate::policy::{Policy, RUNG_VERSION};

use super::state::Service;

/// The document of `GET /v1/policy`: digest, files, ladders with their
/// rungs, rules with their justifications, the facts' JSON Schema and an
/// example facts document, the example files, and the problems of the last
/// failed reload.
pub fn policy(service: &Service) -> String {
    let policy = service.policy();
    let doc = PolicyDoc {
        policy_digest: policy.digest.as_str(),
        rung_version: RUNG_VERSION,
        files: policy
            .program
            .files
            .iter()
            .map(|f| f.name.as_str())
            .collect(),
        ladders: ladders(&policy),
        rules: rules(&policy),
        facts_schema: export::json_schema(&policy.program.schema).ok(),
        facts_template: export::template(&policy.program.schema).ok(),
        examples: examples(service.paths()),
        load_errors: service.load_errors(),
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// The document of `GET /v1/policy`. The schema and the template keep
/// their declaration order (a `serde_json::Value` would sort their keys,
/// and the console shows a table's columns in the order the record
/// declares them).
#[derive(Serialize)]
struct PolicyDoc<'a> {
    policy_digest: &'a str,
    rung_version: &'a str,
    files: Vec<&'a str>,
    ladders: Vec<Json>,
    rules: Vec<Json>,
    facts_schema: Option<Doc>,
    facts_template: Option<Doc>,
    examples: Vec<String>,
    load_errors: Vec<Record>,
}

fn ladders(policy: &Policy) -> Vec<Json> {
    policy
        .program
        .schema
        .ladders
        .iter()
        .map(|l| {
            json!({
                "name": l.name,
                "title": l.title,
                "rungs": l.rungs.iter().map(|r| json!({
                    "name": r.name,
                    "description": r.description,
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

fn rules(policy: &Policy) -> Vec<Json> {
    let program = &policy.program;
    let mut out = Vec::new();
    for block in &program.blocks {
        let ladder = program.ladder_name(block.ladder).unwrap_or_default();
        for rule in &block.rules {
            let rung = |id| program.rung_name(block.ladder, id).unwrap_or_default();
            let (line, _) = rule.span.file.line_col(rule.span.start);
            out.push(json!({
                "ladder": ladder,
                "subject": block.subject,
                "name": rule.name,
                "effect": rule.effect.as_str(),
                "from": rung(rule.lo),
                "to": rung(rule.hi),
                "because": rule.because,
                "cites": rule.cites,
                "file": rule.span.file.name,
                "line": line,
            }));
        }
    }
    out
}

/// The folders that may hold example facts: `examples/` in each policy
/// directory (or beside a policy file).
fn example_dirs(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths
        .iter()
        .map(|p| {
            if p.is_dir() {
                p.join("examples")
            } else {
                p.parent().unwrap_or(Path::new(".")).join("examples")
            }
        })
        .collect()
}

/// The names of the example facts documents (`*.json`), sorted.
pub fn examples(paths: &[PathBuf]) -> Vec<String> {
    let mut names: Vec<String> = example_dirs(paths)
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The text of the example `name`, if the policy has one by that name
/// (only listed names are read: a request cannot reach another file).
pub fn example(service: &Service, name: &str) -> Option<String> {
    if !examples(service.paths()).iter().any(|n| n == name) {
        return None;
    }
    example_dirs(service.paths())
        .iter()
        .find_map(|d| std::fs::read_to_string(d.join(name)).ok())
}
