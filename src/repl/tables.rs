//! `:table NAME FILE`: a fact read from a CSV or TSV table.
//!
//! The session keeps its facts as a JSON document, so that `:set` and
//! `:show` work on them whatever they were read from: a table's rows are
//! read and checked by the table reader, then kept as the JSON of the fact.
//! With facts loaded, reading a table is an edit like `:set` (`:diff` and
//! `:reset` see it). Without, the table waits for the other facts: the next
//! `:facts FILE` reads them together (a table alone rarely gives `now`).

use std::path::Path;

use serde_json::Value as Json;

use super::error::ReplError;
use super::session::{FactsState, Reply, Session, facts_source};
use crate::diagnostic::Diag;
use crate::facts::Facts;
use crate::facts::table::{self, TableInput};
use crate::source::SourceFile;

impl Session {
    /// `:table NAME FILE`
    pub fn table(&mut self, name: &str, path: &str, reply: &mut Reply) {
        let file = match table::read_file(Path::new(path)) {
            Ok(f) => f,
            Err(d) => {
                reply.diags(vec![d]);
                reply.text("the facts were not changed");
                return;
            }
        };
        let input = TableInput {
            fact: name.to_string(),
            file,
            delimiter: None,
        };
        let Some(f) = &self.facts else {
            self.table_before_facts(input, path, reply);
            return;
        };
        // The current document without the fact, and the table for it.
        let mut base = f.current.clone();
        if let Json::Object(m) = &mut base {
            m.remove(name);
        }
        let source = facts_source(&base, &f.name);
        let read = self
            .policy
            .policy
            .facts_with_tables(Some(&source), std::slice::from_ref(&input));
        let facts = match read {
            Ok((facts, warnings)) => {
                reply.diags(warnings);
                facts
            }
            Err(ds) => {
                reply.diags(ds);
                reply.text("the facts were not changed");
                return;
            }
        };
        let next = match self.with_table_json(base, &facts, &[name]) {
            Ok(j) => j,
            Err(e) => {
                reply.report(e);
                return;
            }
        };
        let rows = next.get(name).and_then(Json::as_array).map_or(0, Vec::len);
        self.commit(
            next,
            format!("$.{name} = table {path}"),
            format!(
                "$.{name}: read from {path} ({rows} row{})",
                if rows == 1 { "" } else { "s" }
            ),
            reply,
        );
    }

    /// A table read before any facts: kept for the next `:facts FILE`,
    /// unless the table itself is wrong, or it makes the facts complete.
    fn table_before_facts(&mut self, input: TableInput, path: &str, reply: &mut Reply) {
        let mut tables: Vec<TableInput> = self
            .pending_tables
            .iter()
            .filter(|t| t.fact != input.fact)
            .cloned()
            .collect();
        tables.push(input);
        let empty = SourceFile::new("(no facts loaded)", "{}");
        match self.policy.policy.facts_with_tables(Some(&empty), &tables) {
            Ok((facts, warnings)) => {
                reply.diags(warnings);
                let names: Vec<&str> = tables.iter().map(|t| t.fact.as_str()).collect();
                let json =
                    match self.with_table_json(Json::Object(Default::default()), &facts, &names) {
                        Ok(j) => j,
                        Err(e) => {
                            reply.report(e);
                            return;
                        }
                    };
                let baseline = match self.policy.policy.evaluate(&facts) {
                    Ok(e) => e.into_owned(),
                    Err(e) => {
                        reply.report(e);
                        return;
                    }
                };
                reply.text(format!("loaded facts from the table {path}"));
                self.pending_tables.clear();
                self.facts = Some(FactsState {
                    name: path.to_string(),
                    loaded: json.clone(),
                    current: json,
                    facts,
                    baseline,
                    edits: Vec::new(),
                });
            }
            Err(ds) => {
                // Problems of the table are reported now; the JSON facts
                // that are still missing come with the next `:facts FILE`.
                let own: Vec<Diag> = ds
                    .into_iter()
                    .filter(|d| matches!(d, Diag::Table(_)))
                    .collect();
                if own.iter().any(|d| !d.is_warning()) {
                    reply.diags(own);
                    reply.text("the table was not kept");
                    return;
                }
                reply.diags(own);
                self.pending_tables = tables;
                reply.text(format!(
                    "read the table {path}; load the other facts with `:facts FILE` to evaluate"
                ));
            }
        }
    }

    /// Facts from a JSON file and the tables read before it, with their
    /// warnings (a field the schema does not declare), which loading shows.
    pub(super) fn facts_with_pending_tables(
        &self,
        file: &std::sync::Arc<SourceFile>,
    ) -> Result<(Facts, Vec<Diag>), Vec<Diag>> {
        if self.pending_tables.is_empty() {
            return self.policy.policy.facts_with_warnings(file);
        }
        self.policy
            .policy
            .facts_with_tables(Some(file), &self.pending_tables)
    }

    /// `doc` with each fact the pending tables (or a table just read) gave,
    /// written as JSON from the checked facts.
    pub(super) fn with_table_json(
        &self,
        mut doc: Json,
        facts: &Facts,
        tables: &[&str],
    ) -> Result<Json, ReplError> {
        let schema = &self.policy.policy.program.schema;
        let Json::Object(map) = &mut doc else {
            return Ok(doc);
        };
        for (field, value) in schema.facts.fields.iter().zip(facts.values()) {
            if map.contains_key(&field.name) || !tables.contains(&field.name.as_str()) {
                continue;
            }
            let json =
                crate::export::to_json(schema, value, &field.ty).map_err(|e| ReplError::Plain {
                    message: e.to_string(),
                    help: None,
                })?;
            map.insert(field.name.clone(), json);
        }
        Ok(doc)
    }
}
