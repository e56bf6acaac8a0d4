//! `rung serve`: the doctrine as a decision service over HTTP.
//!
//! Incident-management systems, case tools and exercise platforms ask "what
//! does the doctrine say about these facts?" without running a command line.
//! The service answers with exactly the document `rung eval --format json`
//! prints (so an answer can be reproduced offline from the same files and
//! facts), logs every decision for audit, reloads the policy when its files
//! change (keeping the last good one when an edit breaks it), and serves an
//! analyst's console at `/`.
//!
//! The modules follow the life of a request: [`routes`] (the router and its
//! handlers), [`limits`] (body size, concurrency, time), [`answer`] (facts in,
//! decision out, on a blocking thread), [`error`] (coded JSON error bodies),
//! [`metrics`] and [`log`] (what is recorded), [`state`] (the policy in
//! force, swapped atomically) and [`watch`] (reloads on edits).
//!
//! The service keeps no state between requests beyond counters: it scales by
//! running replicas behind any HTTP load balancer.

pub mod answer;
pub mod console;
pub mod describe;
pub mod error;
pub mod limits;
pub mod log;
pub mod metrics;
pub mod routes;
pub mod state;
pub mod watch;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use error::ServeError;
pub use routes::router;
pub use state::Service;

/// How a service runs: its policy, limits and decision log.
#[derive(Debug, Clone)]
pub struct Config {
    /// The policy's files or directories, as `rung eval` takes them.
    pub paths: Vec<PathBuf>,
    /// Largest request body accepted, in bytes (larger ones get 413).
    pub max_body: usize,
    /// Longest an evaluation may take before the client is answered 503.
    pub timeout: Duration,
    /// Evaluations run at once; more wait in a queue.
    pub max_concurrent: usize,
    /// Longest a request waits in that queue before it is answered 503
    /// with `Retry-After`.
    pub queue_wait: Duration,
}

impl Config {
    /// The defaults of `rung serve` for a policy: 32 MiB bodies, 30 s per
    /// evaluation, one evaluation per core and a 5 s queue.
    pub fn new(paths: Vec<PathBuf>) -> Config {
        Config {
            paths,
            max_body: 32 << 20,
            timeout: Duration::from_secs(30),
            max_concurrent: std::thread::available_parallelism().map_or(2, usize::from),
            queue_wait: Duration::from_secs(5),
        }
    }
}

/// Serves `service` on `listener` until `shutdown` completes, then stops
/// accepting connections and returns once the requests in flight have been
/// answered (their decisions logged).
pub async fn serve(
    listener: tokio::net::TcpListener,
    service: Arc<Service>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(service))
        .with_graceful_shutdown(shutdown)
        .await
}
