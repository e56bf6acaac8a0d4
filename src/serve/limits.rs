//! Back-pressure: a bounded number of evaluations at once, a bounded wait
//! for a free slot, and a bounded time for each evaluation.
//!
//! Evaluation is CPU-bound: running more at once than there are cores only
//! makes every answer later. Requests beyond the bound queue for a slot;
//! one that waits longer than `queue_wait` is answered 503 with
//! `Retry-After`, so a load balancer or client can go elsewhere instead of
//! piling up work the service cannot finish.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use axum::http::StatusCode;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::Config;
use super::error::{Failure, ServeError};

/// The slots and the limits.
#[derive(Debug)]
pub struct Limits {
    slots: Arc<Semaphore>,
    in_flight: Arc<AtomicUsize>,
    queue_wait: std::time::Duration,
    timeout: std::time::Duration,
}

/// A held evaluation slot; it frees the slot when dropped, which may be
/// after the client was answered 503 for a timeout (the evaluation still
/// holds its core until it ends).
#[derive(Debug)]
pub struct Slot {
    _permit: OwnedSemaphorePermit,
    in_flight: Arc<AtomicUsize>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Limits {
    /// The limits of `config` (at least one slot).
    pub fn new(config: &Config) -> Limits {
        Limits {
            slots: Arc::new(Semaphore::new(config.max_concurrent.max(1))),
            in_flight: Arc::new(AtomicUsize::new(0)),
            queue_wait: config.queue_wait,
            timeout: config.timeout,
        }
    }

    /// Evaluations running now (a gauge in `/metrics`).
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Relaxed)
    }

    /// Waits for a free slot, at most `queue_wait`; then 503 with
    /// `Retry-After: 1`.
    pub async fn slot(&self) -> Result<Slot, Failure> {
        let start = Instant::now();
        let acquired =
            tokio::time::timeout(self.queue_wait, Arc::clone(&self.slots).acquire_owned()).await;
        match acquired {
            Ok(Ok(permit)) => {
                self.in_flight.fetch_add(1, Ordering::Relaxed);
                Ok(Slot {
                    _permit: permit,
                    in_flight: Arc::clone(&self.in_flight),
                })
            }
            // Timed out waiting (or the semaphore closed, which this
            // service never does).
            Ok(Err(_)) | Err(_) => Err(Failure {
                status: StatusCode::SERVICE_UNAVAILABLE,
                diags: vec![
                    ServeError::Busy {
                        waited_ms: start.elapsed().as_millis(),
                    }
                    .into(),
                ],
                retry_after: Some(1),
            }),
        }
    }

    /// Runs `work` on a blocking thread while holding a slot, answering 503
    /// when it outlives the timeout.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, Failure> + Send + 'static,
    ) -> Result<T, Failure> {
        let slot = self.slot().await?;
        let task = tokio::task::spawn_blocking(move || {
            let out = work();
            drop(slot);
            out
        });
        self.timed(task).await
    }

    async fn timed<T>(
        &self,
        task: impl Future<Output = Result<Result<T, Failure>, tokio::task::JoinError>>,
    ) -> Result<T, Failure> {
        match tokio::time::timeout(self.timeout, task).await {
            Ok(Ok(out)) => out,
            Ok(Err(join)) => Err(Failure::one(
                StatusCode::INTERNAL_SERVER_ERROR,
                crate::internal::Internal::new(if join.is_panic() {
                    "an evaluation panicked"
                } else {
                    "an evaluation was cancelled"
                }),
            )),
            Err(_) => Err(Failure::one(
                StatusCode::SERVICE_UNAVAILABLE,
                ServeError::Timeout {
                    limit_ms: self.timeout.as_millis(),
                },
            )),
        }
    }
}
