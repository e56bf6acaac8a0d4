//! Counters for `/metrics`, in the Prometheus text format: requests by
//! endpoint and status, a latency histogram per endpoint, decisions by
//! ladder and top rung, evaluations in flight, and policy reloads.
//!
//! Labels are printed in sorted order so that the page is deterministic for
//! the same history of requests.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::PoisonError;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::answer::Summary;

/// Upper bounds of the latency histogram's buckets, in seconds.
pub const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0, 30.0,
];

/// One endpoint's latency histogram.
#[derive(Debug, Default, Clone)]
struct Histogram {
    /// Count per bucket (not cumulative; summed when printed).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Everything counted since the service started.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    decisions: Mutex<BTreeMap<(String, String), u64>>,
    reloads: AtomicU64,
    failed_reloads: AtomicU64,
}

impl Metrics {
    /// Counts a request answered with `status` after `elapsed`.
    pub fn request(&self, endpoint: &str, status: u16, elapsed: Duration) {
        *self
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry((endpoint.to_string(), status))
            .or_default() += 1;
        let secs = elapsed.as_secs_f64();
        let mut latency = self.latency.lock().unwrap_or_else(PoisonError::into_inner);
        let h = latency.entry(endpoint.to_string()).or_default();
        if let Some(i) = BUCKETS.iter().position(|b| secs <= *b)
            && let Some(slot) = h.buckets.get_mut(i)
        {
            *slot += 1;
        }
        h.count += 1;
        h.sum += secs;
    }

    /// Counts the decisions of one request, by ladder and top rung (`none`
    /// when nothing is recommended).
    pub fn decisions(&self, summaries: &[Summary]) {
        let mut decisions = self
            .decisions
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for s in summaries {
            let top = s.top.clone().unwrap_or_else(|| "none".to_string());
            *decisions.entry((s.ladder.clone(), top)).or_default() += 1;
        }
    }

    /// Counts a reload that swapped a policy in (`ok`) or failed.
    pub fn reloaded(&self, ok: bool) {
        let counter = if ok {
            &self.reloads
        } else {
            &self.failed_reloads
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The Prometheus text page; `in_flight` is the evaluations running now.
    pub fn render(&self, in_flight: usize) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP rung_http_requests_total HTTP requests answered, by endpoint and status.\n",
        );
        out.push_str("# TYPE rung_http_requests_total counter\n");
        for ((endpoint, status), n) in self
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
        {
            let _ = writeln!(
                out,
                "rung_http_requests_total{{endpoint=\"{}\",status=\"{status}\"}} {n}",
                escape(endpoint)
            );
        }
        out.push_str(
            "# HELP rung_http_request_duration_seconds Time from request to answer, by endpoint.\n",
        );
        out.push_str("# TYPE rung_http_request_duration_seconds histogram\n");
        for (endpoint, h) in self
            .latency
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
        {
            let endpoint = escape(endpoint);
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(h.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "rung_http_request_duration_seconds_bucket{{endpoint=\"{endpoint}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "rung_http_request_duration_seconds_bucket{{endpoint=\"{endpoint}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "rung_http_request_duration_seconds_sum{{endpoint=\"{endpoint}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "rung_http_request_duration_seconds_count{{endpoint=\"{endpoint}\"}} {}",
                h.count
            );
        }
        out.push_str("# HELP rung_decisions_total Decisions made, by ladder and top rung.\n");
        out.push_str("# TYPE rung_decisions_total counter\n");
        for ((ladder, top), n) in self
            .decisions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
        {
            let _ = writeln!(
                out,
                "rung_decisions_total{{ladder=\"{}\",top=\"{}\"}} {n}",
                escape(ladder),
                escape(top)
            );
        }
        out.push_str("# HELP rung_evaluations_in_flight Evaluations running now.\n");
        out.push_str("# TYPE rung_evaluations_in_flight gauge\n");
        let _ = writeln!(out, "rung_evaluations_in_flight {in_flight}");
        out.push_str(
            "# HELP rung_policy_reloads_total Edits of the policy loaded and swapped in.\n",
        );
        out.push_str("# TYPE rung_policy_reloads_total counter\n");
        let _ = writeln!(
            out,
            "rung_policy_reloads_total {}",
            self.reloads.load(Ordering::Relaxed)
        );
        out.push_str("# HELP rung_policy_reload_failures_total Edits of the policy that did not check (the last good policy kept serving).\n");
        out.push_str("# TYPE rung_policy_reload_failures_total counter\n");
        let _ = writeln!(
            out,
            "rung_policy_reload_failures_total {}",
            self.failed_reloads.load(Ordering::Relaxed)
        );
        out
    }
}

/// A label value escaped as the text format requires.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
