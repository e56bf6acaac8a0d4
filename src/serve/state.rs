//! The policy in force, swapped atomically on reload, and what every
//! request shares: limits, metrics and the decision log.
//!
//! A request takes the policy once, when it starts, and keeps it to the
//! end: a reload in the middle of an evaluation changes nothing for it (the
//! old policy lives until its last request drops it).

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use arc_swap::ArcSwap;

use crate::diagnostic::Diag;
use crate::diagnostic::format::{Record, record};
use crate::policy::Policy;

use super::Config;
use super::limits::Limits;
use super::log::DecisionLog;
use super::metrics::Metrics;

/// The shared state of a running service.
pub struct Service {
    /// How the service was started.
    pub config: Config,
    policy: ArcSwap<Policy>,
    /// The problems of the last reload, kept until an edit fixes them.
    load_errors: Mutex<Vec<Record>>,
    /// Concurrency and time limits.
    pub limits: Limits,
    /// Counters for `/metrics`.
    pub metrics: Metrics,
    /// Where decisions are logged, if anywhere.
    pub log: Option<DecisionLog>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("config", &self.config)
            .field("digest", &self.policy.load().digest)
            .finish_non_exhaustive()
    }
}

/// What a reload did.
#[derive(Debug)]
pub enum Reload {
    /// The files did not change (an editor touched them): nothing swapped.
    Unchanged,
    /// A new policy is in force.
    Swapped,
    /// The edit does not check: the last good policy keeps serving.
    Failed(Vec<Diag>),
}

impl Service {
    /// Loads and checks the policy; a policy that does not check is
    /// returned as its reports (the service does not start on it).
    pub fn start(config: Config, log: Option<DecisionLog>) -> Result<Service, Vec<Diag>> {
        let policy = Policy::from_paths(&config.paths)?;
        Ok(Service::new(config, policy, log))
    }

    /// A service for a policy already loaded from `config.paths` (the
    /// command line loads it first, to report its warnings).
    pub fn new(config: Config, policy: Policy, log: Option<DecisionLog>) -> Service {
        Service {
            limits: Limits::new(&config),
            config,
            policy: ArcSwap::from_pointee(policy),
            load_errors: Mutex::new(Vec::new()),
            metrics: Metrics::default(),
            log,
        }
    }

    /// The policy in force; the caller keeps it for the whole request.
    pub fn policy(&self) -> Arc<Policy> {
        self.policy.load_full()
    }

    /// The problems of the last failed reload (empty when the files on disk
    /// are the policy in force).
    pub fn load_errors(&self) -> Vec<Record> {
        self.load_errors
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The policy's paths, as given.
    pub fn paths(&self) -> &[PathBuf] {
        &self.config.paths
    }

    /// Reads the files again: a policy that checks and differs from the one
    /// in force is swapped in; one that does not check leaves the last good
    /// policy serving and its problems shown in `/v1/policy`.
    pub fn reload(&self) -> Reload {
        let result = Policy::from_paths(&self.config.paths);
        let mut errors = self
            .load_errors
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match result {
            Ok(policy) => {
                errors.clear();
                if policy.digest == self.policy.load().digest {
                    return Reload::Unchanged;
                }
                self.policy.store(Arc::new(policy));
                self.metrics.reloaded(true);
                Reload::Swapped
            }
            Err(diags) => {
                *errors = diags.iter().map(|d| record(d)).collect();
                self.metrics.reloaded(false);
                Reload::Failed(diags)
            }
        }
    }
}
