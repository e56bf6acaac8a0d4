//! Facts in, decision out: the work of a request, done on a blocking thread
//! (evaluation is CPU-bound and must not stall the threads that read and
//! write sockets).
//!
//! Each answer is made by the same functions as `rung eval --format json`
//! and `rung replay --format json`, so a decision served is byte for byte
//! the one the command line gives for the same files and facts.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest as _, Sha256};

use crate::diagnostic::{Diag, UsageError};
use crate::eval::Detail;
use crate::export;
use crate::facts::table::{self, TableInput};
use crate::facts::{self, Facts};
use crate::policy::Policy;
use crate::render::{self, Provenance};
use crate::replay::{self, ReplayError};
use crate::source::SourceFile;
use crate::value::parse_date;

use super::error::{Failure, ServeError};

/// The name a request body has in reports (as `<stdin>` for `rung eval -`).
pub const BODY_NAME: &str = "<request>";

/// A decision as the decision log and the metrics record it: what was
/// decided, without the reasons.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Summary {
    /// The ladder.
    pub ladder: String,
    /// The subject (the state, the victim).
    pub subject: String,
    /// The highest recommended rung, if any.
    pub top: Option<String>,
    /// Every recommended rung, in ladder order.
    pub recommended: Vec<String>,
    /// Every forbidden rung, in ladder order.
    pub forbidden: Vec<String>,
}

/// A decision made: the document sent to the client and what is logged.
#[derive(Debug)]
pub struct Decided {
    /// Exactly what `rung eval --format json` prints.
    pub body: String,
    /// One summary per decision, in the document's order.
    pub summaries: Vec<Summary>,
    /// SHA-256 of the request body, hexadecimal: identifies the facts in
    /// the decision log without logging them.
    pub facts_sha256: String,
}

/// The SHA-256 of `bytes` in hexadecimal.
pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::policy::hex(&Sha256::digest(bytes))
}

/// A request body as text: 400 when it is not UTF-8, with the offset of the
/// first byte that is not.
fn body_text(body: &[u8]) -> Result<&str, Failure> {
    std::str::from_utf8(body).map_err(|e| {
        Failure::one(
            StatusCode::BAD_REQUEST,
            ServeError::NotUtf8 {
                offset: e.valid_up_to(),
            },
        )
    })
}

/// Reads a request body as facts of `policy`: 400 for a body that is not
/// UTF-8 JSON, 422 for JSON that breaks the schema. The body is read where
/// it lies, without a copy (a facts document may be tens of megabytes).
/// Warnings (fields the schema does not declare) are dropped, as `rung
/// eval` keeps them off its standard output.
pub fn read_facts(policy: &Policy, body: &[u8]) -> Result<Facts, Failure> {
    let text = body_text(body)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    facts::load_str(&policy.program.schema, BODY_NAME, text)
        .map(|(facts, _warnings)| facts)
        .map_err(|es| Failure::facts(es.into_iter().map(Diag::from).collect()))
}

/// `POST /v1/decide`: the decision document, with every rule's explanation
/// when `explain` is set (as `rung eval --format json --explain`).
pub fn decide(policy: &Policy, body: &[u8], explain: bool) -> Result<Decided, Failure> {
    let facts = read_facts(policy, body)?;
    let detail = if explain {
        Detail::Traces
    } else {
        Detail::Outcomes
    };
    let internal = |e: crate::internal::Internal| {
        Failure::one(StatusCode::INTERNAL_SERVER_ERROR, Diag::from(e))
    };
    let run = policy.run(&facts, detail).map_err(internal)?;
    let explanations = if explain {
        Some(run.explanations(&policy.program).map_err(internal)?)
    } else {
        None
    };
    let evaluation = &run.evaluation;
    let text = render::json(
        evaluation,
        explanations.as_deref(),
        Some(Provenance::of(policy)),
    );
    let summaries = evaluation
        .decisions
        .iter()
        .map(|d| Summary {
            ladder: d.ladder.to_string(),
            subject: d.subject.to_string(),
            top: d.top.as_ref().map(|t| t.to_string()),
            recommended: d.recommended.iter().map(|r| r.to_string()).collect(),
            forbidden: d.forbidden.iter().map(|r| r.to_string()).collect(),
        })
        .collect();
    drop(run);
    release(facts, body.len());
    Ok(Decided {
        body: text,
        summaries,
        facts_sha256: sha256_hex(body),
    })
}

/// Bodies from this size on have their facts freed on another thread.
const FREE_APART: usize = 1 << 20;

/// Frees the facts of a request. Freeing 100,000 incidents takes tens of
/// milliseconds that the client would wait for (the command line never
/// pays it: the process exits); from [`FREE_APART`] on it is done on a
/// thread of its own, after the answer has gone.
fn release(facts: Facts, body_len: usize) {
    if body_len < FREE_APART {
        return;
    }
    let _ = std::thread::Builder::new()
        .name("rung-free".to_string())
        .spawn(move || drop(facts));
}

/// A `from`/`to` query parameter as a day; a bad one is the same report
/// as `rung replay --from` gives.
fn day(name: &str, text: &str) -> Result<i32, Failure> {
    parse_date(text).ok_or_else(|| {
        Failure::one(
            StatusCode::BAD_REQUEST,
            UsageError::Invalid {
                what: format!("{name}={text}"),
                help: format!("give a real day as YYYY-MM-DD, e.g. {name}=2022-07-15"),
            },
        )
    })
}

/// `POST /v1/replay`: the replay document of `rung replay --format json`,
/// over `from`..`to` (by default the facts' earliest date to their `now`).
pub fn replay(
    policy: &Policy,
    body: &[u8],
    from: Option<&str>,
    to: Option<&str>,
) -> Result<String, Failure> {
    let from = from.map(|t| day("from", t)).transpose()?;
    let to = to.map(|t| day("to", t)).transpose()?;
    let replay_failure = |e: ReplayError| {
        let status = match e {
            ReplayError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ReplayError::NoNow => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::BAD_REQUEST,
        };
        Failure::one(status, e)
    };
    if let (Some(a), Some(b)) = (from, to) {
        replay::check_range(a, b).map_err(replay_failure)?;
    }
    let now = replay::now_fact(policy).map_err(replay_failure)?;
    let facts = read_facts(policy, body)?;
    let (first, last) = replay::default_range(&facts, now).unwrap_or((0, 0));
    let (from, to) = (from.unwrap_or(first), to.unwrap_or(last));
    let timeline = replay::replay(policy, &facts, from, to).map_err(replay_failure)?;
    Ok(render::timeline_json(
        &timeline,
        Some(Provenance::of(policy)),
    ))
}

/// The body of `POST /v1/tables`: the facts that are not tables (JSON, as
/// `--facts` gives them) and each table's text by the fact it gives.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TablesBody {
    /// The other facts, as a JSON document.
    #[serde(default)]
    facts: Option<Box<RawValue>>,
    /// `{"incidents": "id,date,...\n..."}`.
    tables: BTreeMap<String, String>,
}

/// `POST /v1/tables`: spreadsheet tables (CSV or TSV, as `--table` reads
/// them) and the other facts in, the one facts document they make out, for
/// `/v1/decide`. Every problem of every table is reported at once (422),
/// located by file, row and column.
pub fn tables(policy: &Policy, body: &[u8]) -> Result<String, Failure> {
    let text = body_text(body)?;
    let request: TablesBody = serde_json::from_str(text).map_err(|e| {
        Failure::one(
            StatusCode::BAD_REQUEST,
            ServeError::Tables {
                message: e.to_string(),
            },
        )
    })?;
    let json = request
        .facts
        .map(|raw| SourceFile::new("<request facts>", raw.get()));
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for (fact, csv) in request.tables {
        match table::from_bytes(&format!("{fact}.csv"), csv.into_bytes()) {
            Ok(file) => inputs.push(TableInput {
                fact,
                file,
                delimiter: None,
            }),
            Err(e) => problems.push(Diag::from(e)),
        }
    }
    if !problems.is_empty() {
        return Err(Failure::facts(problems));
    }
    let (facts, _warnings) = policy
        .facts_with_tables(json.as_ref(), &inputs)
        .map_err(Failure::facts)?;
    let schema = &policy.program.schema;
    let mut doc = serde_json::Map::new();
    for (field, value) in schema.facts.fields.iter().zip(facts.values()) {
        let json = export::to_json(schema, value, &field.ty)
            .map_err(|e| Failure::one(StatusCode::INTERNAL_SERVER_ERROR, Diag::from(e)))?;
        doc.insert(field.name.clone(), json);
    }
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    Ok(text)
}
