//! rung: a policy-as-code evaluator for cyber response escalation.
//!
//! Analysts write response doctrine as readable policy files; rung checks
//! them against a schema of the facts, evaluates them against incident facts
//! (JSON), and returns an auditable decision: which response options are
//! recommended against which subject, which are ruled out, why, and how far
//! the situation is from the next rung.
//!
//! ```
//! use rung::Policy;
//!
//! let policy = Policy::from_text("example.rung", r#"
//!     enum Level { low < high }
//!     record Incident { id: string unique  sponsor: string  level: Level }
//!     facts { incidents: list of Incident }
//!     ladder response {
//!       monitor "Monitor"
//!       name    "Publicly name the state"
//!     }
//!     rules response for each sponsor, acts in incidents grouped by sponsor {
//!       recommend monitor because "Always watch"
//!       recommend name when any acts has level == high because "Confident"
//!     }
//! "#).map_err(|e| format!("{e:?}"))?;
//! let facts = policy.facts_from_text("facts.json", r#"
//!     { "incidents": [ { "id": "a", "sponsor": "XX", "level": "high" } ] }
//! "#).map_err(|e| format!("{e:?}"))?;
//! let evaluation = policy.evaluate(&facts).map_err(|e| e.to_string())?;
//! assert_eq!(evaluation.decisions[0].top.as_deref(), Some("name"));
//! # Ok::<(), String>(())
//! ```
//!
//! The pipeline is visible in the modules: [`syntax`] (text → [`ast`]),
//! [`check`] (AST → [`program`]), [`facts`] (JSON → values), [`eval`]
//! (program + facts → [`decision`]), [`render`] (decision → text).

// The benchmarks' generators, shared with unit tests (`eval::agreement`),
// name the crate as its users do.
#[cfg(test)]
extern crate self as rung;

pub mod ast;
pub mod check;
pub mod decimal;
pub mod decision;
pub mod diagnostic;
pub mod eval;
pub mod export;
pub mod facts;
pub mod fmt;
pub mod ids;
pub mod internal;
pub mod lsp;
pub mod policy;
pub mod program;
pub mod render;
pub mod repl;
pub mod replay;
pub mod serve;
pub mod source;
pub mod syntax;
pub mod testing;
pub mod types;
pub mod value;

pub use decision::{Decision, Evaluation, Status};
pub use diagnostic::Diag;
pub use policy::Policy;
pub use source::{SourceFile, Span};

/// The engine is shared across threads (a server answers requests on many
/// at once): these types must stay `Send + Sync`. A field that breaks it
/// (an `Rc`, a `Cell`) fails the build here, not in a client.
const _: () = {
    const fn shared<T: Send + Sync>() {}
    shared::<Policy>();
    shared::<program::Program>();
    shared::<facts::Facts>();
    shared::<Evaluation<'static>>();
    shared::<Decision<'static>>();
    shared::<eval::explain::SubjectExplanation>();
};
