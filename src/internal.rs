//! Internal errors: states the checker rules out, reached anyway.
//!
//! For an audit tool, a plausible but wrong decision is the worst way to
//! fail. When a lookup that the checker guaranteed fails (an id with no
//! item, a value of the wrong shape), rung stops with this report and asks
//! for a bug report, instead of substituting a default that would flow into
//! a decision.

use miette::Diagnostic;
use thiserror::Error;

/// A bug in rung, found at run time.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
#[error("internal error: {what}")]
#[diagnostic(
    code(rung::internal),
    help(
        "this is a bug in rung, not in your policy or facts; no decision was made. \
         Please report it with the policy, the facts and the command"
    )
)]
pub struct Internal {
    /// What was found broken, in words.
    pub what: &'static str,
}

impl Internal {
    /// An internal error saying what invariant broke.
    pub fn new(what: &'static str) -> Self {
        Internal { what }
    }
}
