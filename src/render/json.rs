//! The JSON decision document (DESIGN.md's stable shape).

use serde::Serialize;

use crate::decision::{Decision, Evaluation, FactWarning, RuleError};
use crate::eval::explain::SubjectExplanation;

#[derive(Serialize)]
struct Document<'a> {
    decisions: &'a [Decision],
    warnings: &'a [FactWarning],
    errors: &'a [RuleError],
    #[serde(skip_serializing_if = "Option::is_none")]
    explanations: Option<&'a [SubjectExplanation]>,
}

/// Pretty JSON, ending with a newline; explanations included when given.
pub fn json(evaluation: &Evaluation, explanations: Option<&[SubjectExplanation]>) -> String {
    let doc = Document {
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
