//! The decision log: one JSON line per decision request, for audit.
//!
//! Each line says when, which request (its id is also sent back in the
//! `x-request-id` header), which doctrine (the policy digest), which facts
//! (the SHA-256 of the body: the facts themselves are never logged, they
//! may be classified) and what was decided. A line is written and flushed
//! before the answer is sent, so a client that got a decision can be sure
//! it was logged, and stopping the service loses no line.

use std::fs::OpenOptions;
use std::io::Write;
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

use serde::Serialize;

use super::answer::Summary;
use super::error::ServeError;

/// Where decision lines go.
pub struct DecisionLog {
    out: Mutex<Box<dyn Write + Send>>,
}

impl std::fmt::Debug for DecisionLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecisionLog").finish_non_exhaustive()
    }
}

/// One line of the log.
#[derive(Debug, Serialize)]
pub struct Entry<'a> {
    /// When the decision was made, RFC 3339 in UTC.
    pub time: String,
    /// The request's id.
    pub request_id: &'a str,
    /// The digest of the policy that decided.
    pub policy_digest: &'a str,
    /// SHA-256 of the facts body.
    pub facts_sha256: &'a str,
    /// What was decided.
    pub decisions: &'a [Summary],
}

impl DecisionLog {
    /// A log appended to `path`, or standard output for `-`.
    pub fn open(path: &str) -> Result<DecisionLog, ServeError> {
        if path == "-" {
            return Ok(DecisionLog::to(Box::new(std::io::stdout())));
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| ServeError::Log {
                path: path.to_string(),
                message: e.to_string(),
            })?;
        Ok(DecisionLog::to(Box::new(file)))
    }

    /// A log written to any writer (tests keep it in memory).
    pub fn to(out: Box<dyn Write + Send>) -> DecisionLog {
        DecisionLog {
            out: Mutex::new(out),
        }
    }

    /// Writes and flushes one line. A failed write is reported on standard
    /// error: the decision was made, and its client still gets it.
    pub fn write(&self, entry: &Entry<'_>) {
        let mut line = match serde_json::to_string(entry) {
            Ok(l) => l,
            Err(e) => format!("{{\"error\":{:?}}}", e.to_string()),
        };
        line.push('\n');
        let mut out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        if let Err(e) = out.write_all(line.as_bytes()).and_then(|()| out.flush()) {
            let _ = writeln!(
                std::io::stderr(),
                "rung serve: cannot write the decision log: {e}"
            );
        }
    }
}

/// The time now, RFC 3339 in UTC with milliseconds.
pub fn now_rfc3339() -> String {
    let since = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = i64::try_from(since.as_secs()).unwrap_or(i64::MAX);
    chrono::DateTime::from_timestamp(secs, since.subsec_nanos())
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}
