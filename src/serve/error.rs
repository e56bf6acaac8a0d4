//! What the service answers when it cannot decide: a status and a JSON body
//! holding the same diagnostic objects as `--error-format json`.
//!
//! A client program reads the `code` to react (retry on
//! `rung::serve::busy`, fix its export on `rung::facts::enum`) and shows
//! the `message`, `path`, `line`, `column` and `help` to its user; the
//! status says whose fault it is (400 and 422 the request's, 503 the
//! service's load).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use miette::Diagnostic;
use thiserror::Error;

use crate::diagnostic::Diag;
use crate::diagnostic::format::record;
use crate::facts::FactsError;

/// A request the service cannot serve, or a service that cannot start.
#[derive(Debug, Error, Diagnostic)]
pub enum ServeError {
    /// A facts document of 40 MiB sent to a service started with the
    /// default `--max-body` (32 MiB).
    #[error("the request body is larger than the limit of {limit} bytes")]
    #[diagnostic(
        code(rung::serve::too_large),
        help("send a smaller facts document, or start the service with a larger `--max-body`")
    )]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// A facts body in Latin-1.
    #[error("the request body is not UTF-8 text (invalid byte at offset {offset})")]
    #[diagnostic(
        code(rung::serve::encoding),
        help("send the facts document as UTF-8 JSON")
    )]
    NotUtf8 {
        /// The offset of the first invalid byte.
        offset: usize,
    },
    /// `GET /v1/decisions`.
    #[error("there is no endpoint at `{path}`")]
    #[diagnostic(
        code(rung::serve::not_found),
        help(
            "the endpoints are GET /, GET /v1/policy, POST /v1/decide, POST /v1/replay, \
             POST /v1/tables, GET /v1/examples/NAME, GET /healthz and GET /metrics"
        )
    )]
    NotFound {
        /// The path asked for.
        path: String,
    },
    /// `GET /v1/decide`.
    #[error("`{method}` is not allowed on `{path}`")]
    #[diagnostic(code(rung::serve::method), help("`{path}` answers {allowed}"))]
    Method {
        /// The method used.
        method: String,
        /// The path asked for.
        path: String,
        /// The methods the path answers.
        allowed: String,
    },
    /// `POST /v1/decide?explain=yes`.
    #[error("the query string is not valid: {message}")]
    #[diagnostic(
        code(rung::serve::query),
        help(
            "`/v1/decide` takes `explain=true|false`; `/v1/replay` takes `from` and `to` as YYYY-MM-DD"
        )
    )]
    Query {
        /// What is wrong with it.
        message: String,
    },
    /// `POST /v1/tables` with `{"incidents": "..."}` (the tables are not
    /// under `"tables"`).
    #[error("the tables request is not valid: {message}")]
    #[diagnostic(
        code(rung::serve::tables),
        help(
            "send {{\"facts\": {{ ...the other facts... }}, \"tables\": {{\"incidents\": \"id,date,...\"}}}}"
        )
    )]
    Tables {
        /// What is wrong with it.
        message: String,
    },
    /// Every evaluation slot stayed busy while the request waited.
    #[error("the service is busy: no evaluation slot came free within {waited_ms} ms")]
    #[diagnostic(
        code(rung::serve::busy),
        help(
            "retry after the seconds in the `Retry-After` header; for more throughput run \
             more replicas or start the service with a larger `--max-concurrent`"
        )
    )]
    Busy {
        /// How long the request waited, in milliseconds.
        waited_ms: u128,
    },
    /// An evaluation that outlived `--timeout`.
    #[error("the evaluation took longer than the limit of {limit_ms} ms")]
    #[diagnostic(
        code(rung::serve::timeout),
        help(
            "evaluate a narrower window of facts, or start the service with a larger `--timeout`"
        )
    )]
    Timeout {
        /// The limit, in milliseconds.
        limit_ms: u128,
    },
    /// `rung serve policy --addr 127.0.0.1:80` as a user without the right.
    #[error("cannot listen on {addr}: {message}")]
    #[diagnostic(
        code(rung::serve::bind),
        help("choose a free port with `--addr`, e.g. `--addr 127.0.0.1:8181`")
    )]
    Bind {
        /// The address asked for.
        addr: String,
        /// The system's reason.
        message: String,
    },
    /// `--decision-log /var/log/missing-dir/decisions.jsonl`.
    #[error("cannot open the decision log `{path}`: {message}")]
    #[diagnostic(
        code(rung::serve::log),
        help(
            "give a file in a directory that exists and can be written, or `-` for standard output"
        )
    )]
    Log {
        /// The path given.
        path: String,
        /// The system's reason.
        message: String,
    },
    /// The policy files cannot be watched (too many inotify watches): the
    /// service runs, but edits are not picked up until it restarts.
    #[error("cannot watch the policy files for edits: {message}")]
    #[diagnostic(
        code(rung::serve::watch),
        severity(Warning),
        help("the policy in force keeps serving; restart the service to load an edit")
    )]
    Watch {
        /// The system's reason.
        message: String,
    },
}

/// An HTTP answer that carries diagnostics.
#[derive(Debug)]
pub struct Failure {
    /// The status.
    pub status: StatusCode,
    /// What went wrong, each as a coded diagnostic.
    pub diags: Vec<Diag>,
    /// Seconds the client should wait before retrying (`Retry-After`).
    pub retry_after: Option<u64>,
}

impl Failure {
    /// A failure with one diagnostic.
    pub fn one(status: StatusCode, diag: impl Into<Diag>) -> Failure {
        Failure {
            status,
            diags: vec![diag.into()],
            retry_after: None,
        }
    }

    /// Facts that cannot be read: 400 when the body is not JSON at all (or
    /// nested too deeply), 422 when it is JSON that breaks the schema.
    pub fn facts(diags: Vec<Diag>) -> Failure {
        let malformed = diags
            .iter()
            .any(|d| matches!(d, Diag::Facts(FactsError::Json { .. })));
        let status = if malformed {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        Failure {
            status,
            diags,
            retry_after: None,
        }
    }

    /// The JSON body: `{"status": N, "errors": [diagnostic, ...]}`, each
    /// diagnostic as `--error-format json` prints it, with the JSON `path`
    /// of a facts problem.
    pub fn body(&self) -> String {
        let errors: Vec<serde_json::Value> = self.diags.iter().map(diagnostic_json).collect();
        let doc = serde_json::json!({ "status": self.status.as_u16(), "errors": errors });
        let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// One diagnostic as `--error-format json` writes it, plus `path` for a
/// problem at a JSON path of the facts.
pub fn diagnostic_json(d: &Diag) -> serde_json::Value {
    let mut value = serde_json::to_value(record(d as &dyn Diagnostic)).unwrap_or_default();
    if let (Some(path), serde_json::Value::Object(map)) = (json_path(d), &mut value) {
        map.insert(
            "path".to_string(),
            serde_json::Value::String(path.to_string()),
        );
    }
    value
}

/// The JSON path a facts problem is at (`$.incidents[3].severity`).
fn json_path(d: &Diag) -> Option<&str> {
    let Diag::Facts(e) = d else { return None };
    match e {
        FactsError::Type { path, .. }
        | FactsError::Enum { path, .. }
        | FactsError::Range { path, .. }
        | FactsError::Missing { path, .. }
        | FactsError::UnknownField { path, .. }
        | FactsError::Duplicate { path, .. }
        | FactsError::Date { path, .. }
        | FactsError::Duration { path, .. }
        | FactsError::RepeatedKey { path, .. } => Some(path),
        FactsError::Json { .. } | FactsError::TooLarge { .. } | FactsError::More { .. } => None,
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            self.body(),
        )
            .into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}
