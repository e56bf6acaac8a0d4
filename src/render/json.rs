//! The JSON decision document (the stable shape of `docs/design.md`).

use serde::Serialize;

use crate::decision::{Decision, Evaluation, FactWarning, RuleError};
use crate::eval::explain::SubjectExplanation;
use crate::policy::{Policy, RUNG_VERSION};

/// What produced a decision: the exact doctrine and the program that read
/// it, so a decision can be reproduced or audited later.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Provenance<'a> {
    /// SHA-256 of the policy's files (see [`crate::policy::PolicyDigest`]).
    pub policy_digest: &'a str,
    /// The version of rung.
    pub rung_version: &'a str,
}

impl<'a> Provenance<'a> {
    /// The provenance of decisions made by `policy` with this build of rung.
    pub fn of(policy: &'a Policy) -> Self {
        Provenance {
            policy_digest: policy.digest.as_str(),
            rung_version: RUNG_VERSION,
        }
    }
}

#[derive(Serialize)]
struct Document<'a> {
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    provenance: Option<Provenance<'a>>,
    decisions: &'a [Decision<'a>],
    warnings: &'a [FactWarning],
    errors: &'a [RuleError],
    #[serde(skip_serializing_if = "Option::is_none")]
    explanations: Option<&'a [SubjectExplanation]>,
}

/// Pretty JSON, ending with a newline; explanations included when given.
/// Without provenance (a `rung test` snapshot, which must not change when
/// an unrelated file of the policy does), the document is the decisions alone.
pub fn json(
    evaluation: &Evaluation,
    explanations: Option<&[SubjectExplanation]>,
    provenance: Option<Provenance<'_>>,
) -> String {
    let doc = Document {
        provenance,
        decisions: &evaluation.decisions,
        warnings: &evaluation.warnings,
        errors: &evaluation.errors,
        explanations,
    };
    let mut s = serde_json::to_string_pretty(&doc)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    s.push('\n');
    s
}
