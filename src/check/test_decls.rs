//! Checking policy tests: every ladder, rung, rule and status an expectation
//! names must exist, so a typo fails `rung check` with a "did you mean"
//! instead of making a test pass (or fail) for the wrong reason.
//!
//! Facts are not read here: the checker never touches the disk. A test whose
//! facts are missing or malformed fails when `rung test` runs it.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::error::did_you_mean;
use super::{CheckError, rung_list};
use crate::ast::{Expect, Expectation, TestDecl};
use crate::program::Block;
use crate::source::{SourceFile, Span};
use crate::types::{Ladder, Schema};

/// The statuses a decision can have, as `expect ... status NAME` spells them.
pub const STATUSES: [&str; 2] = ["complete", "indeterminate"];

/// Checks every test; errors are appended to `errors`.
pub(super) fn check(
    schema: &Schema,
    blocks: &[Block],
    tests: &[(TestDecl, Arc<SourceFile>)],
    errors: &mut Vec<CheckError>,
) {
    let rules = RuleNames::new(schema, blocks);
    let mut names: HashMap<&str, &Span> = HashMap::new();
    let mut snapshots: HashMap<PathBuf, &Span> = HashMap::new();
    for (test, file) in tests {
        let name = &test.name;
        if let Some(first) = names.get(name.value.as_str()) {
            errors.push(CheckError::duplicate(
                "test",
                &name.span,
                &name.value,
                first,
            ));
        } else {
            names.insert(&name.value, &name.span);
        }
        for snap in test.snapshot.iter().chain(&test.replay_snapshot) {
            let path = resolve(file, &snap.value);
            if let Some(first) = snapshots.get(&path) {
                let shown = path.display().to_string();
                errors.push(CheckError::duplicate(
                    "snapshot file",
                    &snap.span,
                    &shown,
                    first,
                ));
            } else {
                snapshots.insert(path, &snap.span);
            }
        }
        tables(schema, test, errors);
        for e in &test.expectations {
            expectation(schema, &rules, e, errors);
        }
    }
}

/// Each `table NAME "file"` of a test names a fact a table can give, once.
fn tables(schema: &Schema, test: &TestDecl, errors: &mut Vec<CheckError>) {
    let mut seen: HashMap<&str, &Span> = HashMap::new();
    for t in &test.tables {
        let name = t.fact.name.as_str();
        if let Some(first) = seen.get(name) {
            errors.push(CheckError::duplicate(
                "table for",
                &t.fact.span,
                name,
                first,
            ));
            continue;
        }
        seen.insert(name, &t.fact.span);
        let Some(fact) = schema.facts.fields.iter().find(|f| f.name == name) else {
            let help = did_you_mean(name, schema.facts.fields.iter().map(|f| f.name.as_str()));
            errors.push(CheckError::unknown_table_fact(&t.fact.span, name, help));
            continue;
        };
        if let Err(p) = crate::facts::table::table_record(schema, fact) {
            errors.push(CheckError::table_field(
                &t.span, name, p.why, &p.span, p.help,
            ));
        }
    }
}

/// A path written in a test, relative to the directory of the test's file,
/// with `.` and `..` resolved lexically (so two spellings of one file match).
pub fn resolve(file: &SourceFile, relative: &str) -> PathBuf {
    let base = Path::new(&file.name).parent().unwrap_or(Path::new(""));
    let mut out = PathBuf::new();
    for c in base.join(relative).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Rule names by ladder index, as tests may name them.
struct RuleNames<'a> {
    by_ladder: Vec<Vec<&'a str>>,
    ladders: &'a [Ladder],
}

impl<'a> RuleNames<'a> {
    fn new(schema: &'a Schema, blocks: &'a [Block]) -> Self {
        let mut by_ladder = vec![Vec::new(); schema.ladders.len()];
        for b in blocks {
            if let Some(names) = by_ladder.get_mut(b.ladder.index()) {
                names.extend(b.rules.iter().map(|r| &*r.name));
            }
        }
        RuleNames {
            by_ladder,
            ladders: &schema.ladders,
        }
    }

    fn of(&self, ladder: usize) -> &[&'a str] {
        self.by_ladder.get(ladder).map_or(&[], Vec::as_slice)
    }

    /// The help for an unknown rule name on `ladder`.
    fn help(&self, ladder: usize, name: &str) -> String {
        // Unlabelled rules are named `recommend monitor`: not writable as a name.
        let named = || self.of(ladder).iter().copied().filter(|n| !n.contains(' '));
        if let Some(h) = did_you_mean(name, named()) {
            return h;
        }
        let elsewhere = self.by_ladder.iter().enumerate().find_map(|(i, names)| {
            (i != ladder && names.contains(&name))
                .then(|| self.ladders.get(i).map(|l| l.name.as_str()))
                .flatten()
        });
        if let Some(other) = elsewhere {
            return format!(
                "`{name}` is a rule of ladder `{other}`: `expect {other} \"SUBJECT\" fires {name}`"
            );
        }
        let list: Vec<String> = named().map(|n| format!("`{n}`")).collect();
        if list.is_empty() {
            "tests name rules by their label: `my_rule: recommend ...`".to_string()
        } else {
            format!(
                "tests name rules by their label; the labelled rules are: {}",
                list.join(", ")
            )
        }
    }
}

fn expectation(
    schema: &Schema,
    rules: &RuleNames<'_>,
    e: &Expectation,
    errors: &mut Vec<CheckError>,
) {
    let Some((index, ladder)) = schema
        .ladders
        .iter()
        .enumerate()
        .find(|(_, l)| l.name == e.ladder.name)
    else {
        let names = schema.ladders.iter().map(|l| l.name.as_str());
        let help = did_you_mean(&e.ladder.name, names.clone()).or_else(|| {
            let list: Vec<String> = names.map(|n| format!("`{n}`")).collect();
            Some(format!("the ladders are: {}", list.join(", ")))
        });
        errors.push(CheckError::unknown_ladder(
            &e.ladder.span,
            &e.ladder.name,
            help,
        ));
        return;
    };
    match &e.what {
        Expect::Top(Some(r))
        | Expect::Recommends(r)
        | Expect::NotRecommends(r)
        | Expect::Forbids(r)
        | Expect::NotForbids(r)
        | Expect::Reaches(r, _)
        | Expect::NeverReaches(r) => {
            if !ladder.rungs.iter().any(|x| x.name == r.name) {
                let help = did_you_mean(&r.name, ladder.rungs.iter().map(|x| x.name.as_str()))
                    .or_else(|| {
                        Some(format!(
                            "the rungs of `{}` are: {}",
                            ladder.name,
                            rung_list(ladder)
                        ))
                    });
                errors.push(CheckError::unknown_rung(
                    &r.span,
                    &r.name,
                    &ladder.name,
                    help,
                ));
            }
        }
        Expect::Status(s) if !STATUSES.contains(&s.name.as_str()) => {
            let help = did_you_mean(&s.name, STATUSES).or_else(|| {
                Some("a decision's status is `complete` or `indeterminate`".to_string())
            });
            errors.push(CheckError::unknown_status(&s.span, &s.name, help));
        }
        Expect::Fires(r) | Expect::NotFires(r) if !rules.of(index).contains(&r.name.as_str()) => {
            let help = Some(rules.help(index, &r.name));
            errors.push(CheckError::unknown_rule(
                &r.span,
                &r.name,
                &ladder.name,
                help,
            ));
        }
        Expect::Top(None)
        | Expect::Status(_)
        | Expect::Fires(_)
        | Expect::NotFires(_)
        | Expect::NoDecision => {}
    }
}
