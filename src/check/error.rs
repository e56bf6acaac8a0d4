//! Errors found by the checker (warnings are in [`warning`](super::warning)).
//!
//! Each variant documents an input that triggers it. Messages are lowercase
//! with user input in backticks; the fix goes in `help`.

mod new;

use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceSpan};
use thiserror::Error;

use crate::source::Span;

/// A problem found while checking a policy against its schema: any one of
/// them stops the policy from checking.
///
/// Severity is set once, for the whole enum, so no variant can be anything
/// but an error (the derive rejects a second `severity`). Things that are
/// legal but likely wrong are [`CheckWarning`](super::CheckWarning)s, a
/// different type, so they can never stop a policy by mistake. Variants are
/// built through constructors (`CheckError::unknown_name(&span, ...)`), which
/// take a [`Span`] and do the miette plumbing in one place.
#[derive(Debug, Error, Diagnostic)]
#[diagnostic(severity(Error))]
#[allow(
    missing_docs,
    reason = "fields are named for what they hold; each variant documents an input that triggers it"
)]
pub enum CheckError {
    /// `count(incidnets)` when only `incidents` exists.
    #[error("unknown name `{name}`")]
    #[diagnostic(code(rung::name::unknown))]
    UnknownName {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label(primary, "no definition, fact or field has this name")]
        span: SourceSpan,
        /// Later uses of the same unknown name in the same file.
        #[label(collection)]
        others: Vec<LabeledSpan>,
        name: String,
        #[help]
        help: Option<String>,
    },

    /// `acts.severty` when `Incident` has `severity`.
    #[error("`{ty}` has no field `{field}`")]
    #[diagnostic(code(rung::name::field))]
    UnknownField {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label(primary, "no such field")]
        span: SourceSpan,
        /// Later uses of the same unknown field in the same file.
        #[label(collection)]
        others: Vec<LabeledSpan>,
        field: String,
        ty: String,
        #[help]
        help: Option<String>,
    },

    /// `severity: integer` when the type is `int`.
    #[error("unknown type `{name}`")]
    #[diagnostic(code("rung::name::type"))]
    UnknownType {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label(primary, "not a declared type")]
        span: SourceSpan,
        /// Later uses of the same name in the same file.
        #[label(collection)]
        others: Vec<LabeledSpan>,
        name: String,
        #[help]
        help: Option<String>,
    },

    /// `rules respnse for each ...` when the ladder is `response`.
    #[error("unknown ladder `{name}`")]
    #[diagnostic(code(rung::name::ladder))]
    UnknownLadder {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label(primary, "no ladder of this name")]
        span: SourceSpan,
        /// Later uses of the same name in the same file.
        #[label(collection)]
        others: Vec<LabeledSpan>,
        name: String,
        #[help]
        help: Option<String>,
    },

    /// `recommend sanction` when the rung is `sanctions`.
    #[error("unknown rung `{name}` on ladder `{ladder}`")]
    #[diagnostic(code(rung::name::rung))]
    UnknownRung {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label(primary, "not a rung of `{ladder}`")]
        span: SourceSpan,
        /// Later uses of the same rung in the same file.
        #[label(collection)]
        others: Vec<LabeledSpan>,
        name: String,
        ladder: String,
        #[help]
        help: Option<String>,
    },

    /// `recommend hunt_forward` in a `rules response` block when
    /// `hunt_forward` is a rung of `assistance`.
    #[error("`{name}` is a rung of ladder `{owner}`, not of `{ladder}`")]
    #[diagnostic(code(rung::name::rung))]
    RungOfOtherLadder {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("a rung of `{owner}`")]
        span: SourceSpan,
        name: String,
        ladder: String,
        owner: String,
        #[help]
        help: Option<String>,
    },

    /// `total(acts.severity)` when the function is `sum`.
    #[error("unknown function `{name}`")]
    #[diagnostic(code(rung::name::function))]
    UnknownFunction {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label(primary, "not a function")]
        span: SourceSpan,
        /// Later uses of the same name in the same file.
        #[label(collection)]
        others: Vec<LabeledSpan>,
        name: String,
        #[help]
        help: Option<String>,
    },

    /// Two `let window = ...` declarations.
    #[error("{kind} `{name}` is declared twice")]
    #[diagnostic(code(rung::name::duplicate))]
    Duplicate {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label(primary, "declared again here")]
        span: SourceSpan,
        #[label("first declared here")]
        first: Option<SourceSpan>,
        kind: &'static str,
        name: String,
        #[help]
        help: Option<String>,
        /// The first declaration, when it is in another file.
        #[related]
        notes: Vec<Note>,
    },

    /// `severity == "high"`: an `int` compared with a `string`.
    #[error("expected {expected}, found {found}")]
    #[diagnostic(code("rung::type::mismatch"))]
    Mismatch {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label(primary, "this is {found}")]
        span: SourceSpan,
        #[label("this makes it {expected}")]
        because: Option<SourceSpan>,
        /// The operand of the expected type, when it is not the declaration.
        #[label("this is {expected}")]
        other: Option<SourceSpan>,
        expected: String,
        found: String,
        #[help]
        help: Option<String>,
        /// The declaration that fixed the expected type, when it is in another file.
        #[related]
        notes: Vec<Note>,
    },

    /// `now + 3`: `+` between a `date` and an `int`.
    #[error("`{op}` cannot combine {left} and {right}")]
    #[diagnostic(code("rung::type::operator"))]
    BadOperands {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("{left} {op} {right}")]
        span: SourceSpan,
        op: String,
        left: String,
        right: String,
        #[help]
        help: Option<String>,
    },

    /// `state_sponsor == "IR"` when `state_sponsor` is `optional string`.
    #[error("`{text}` may be absent (it is {ty})")]
    #[diagnostic(code("rung::type::optional"))]
    Optional {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("may be absent")]
        span: SourceSpan,
        text: String,
        ty: String,
        #[help]
        help: Option<String>,
    },

    /// `any severity has ...`: a quantifier over something that is not a list.
    #[error("expected a list, found {found}")]
    #[diagnostic(code("rung::type::list"))]
    NotAList {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("this is {found}")]
        span: SourceSpan,
        found: String,
        #[help]
        help: Option<String>,
    },

    /// `let a = b + 1` and `let b = a - 1`.
    #[error("definition `{name}` depends on itself: {cycle}")]
    #[diagnostic(
        code("rung::let::cycle"),
        help("a definition cannot use itself, directly or through others; break the cycle")
    )]
    LetCycle {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label(primary, "`{user}` uses `{name}`, closing the cycle")]
        span: SourceSpan,
        /// The other uses of the cycle in this file, one per definition.
        #[label(collection)]
        edges: Vec<LabeledSpan>,
        name: String,
        /// The definition whose use of `name` closes the cycle.
        user: String,
        cycle: String,
        /// Uses of the cycle in other files.
        #[related]
        notes: Vec<Note>,
    },

    /// 100,000 definitions, each using the next: `let a0 = a1`, `let a1 = a2`, ...
    #[error("definitions depend on each other too deeply (more than {limit} levels)")]
    #[diagnostic(
        code("rung::let::too_deep"),
        help(
            "a chain of definitions, each using the next, may be at most {limit} long; shorten it"
        )
    )]
    LetTooDeep {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("`{name}` is used here, {limit} definitions deep")]
        span: SourceSpan,
        name: String,
        limit: usize,
    },

    /// `recommend sanctions to monitor`: a range written high to low.
    #[error("rung range `{from} to {to}` runs downwards")]
    #[diagnostic(
        code(rung::rule::range),
        help("write the lower rung first: `{to} to {from}`")
    )]
    RungOrder {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("`{from}` is above `{to}` on the ladder")]
        span: SourceSpan,
        from: String,
        to: String,
    },

    /// A schema declaration that cannot be honoured, e.g. `name: string in 1..5`.
    #[error("{message}")]
    #[diagnostic(code(rung::schema::invalid))]
    Schema {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("{label}")]
        span: SourceSpan,
        message: String,
        label: String,
        #[help]
        help: Option<String>,
    },

    /// A policy with no `facts { ... }` declaration.
    #[error("the policy declares no `facts`")]
    #[diagnostic(
        code(rung::schema::no_facts),
        help(
            "declare the shape of the facts, e.g. `facts {{ now: date  incidents: list of Incident }}`"
        )
    )]
    NoFacts,

    /// `... grouped by attribution_details` where the key is a record.
    #[error("cannot group by {ty}")]
    #[diagnostic(
        code(rung::group::key),
        help(
            "group by a string, number, date, enum or boolean field, e.g. `grouped by state_sponsor`"
        )
    )]
    GroupKey {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("this is {ty}")]
        span: SourceSpan,
        ty: String,
    },

    /// `for each ally in allies keyed by name` where `name` is not `unique`:
    /// two items could share a key, and one subject cannot be two items.
    #[error("`keyed by` needs a `unique` field of the items; {what}")]
    #[diagnostic(code(rung::group::keyed))]
    Keyed {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("{label}")]
        span: SourceSpan,
        what: String,
        label: String,
        #[help]
        help: String,
    },

    /// `expect response "IR" fires naming_didnt_deter` when the rule is
    /// `naming_did_not_deter`: a test names a rule the ladder does not have.
    #[error("unknown rule `{name}` on ladder `{ladder}`")]
    #[diagnostic(code(rung::test::rule))]
    UnknownRule {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("no rule of `{ladder}` has this name")]
        span: SourceSpan,
        name: String,
        ladder: String,
        #[help]
        help: Option<String>,
    },

    /// `table incidnets "incidents.csv"` in a test when the fact is `incidents`.
    #[error("unknown fact `{name}` in a test's `table`")]
    #[diagnostic(code(rung::test::table))]
    UnknownTableFact {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("not a fact of this policy")]
        span: SourceSpan,
        name: String,
        #[help]
        help: Option<String>,
    },

    /// `table now "now.csv"` in a test (a date is not a list of records), or
    /// a table for records with a list field: a cell holds one value.
    #[error("`{fact}` cannot come from a table: {why}")]
    #[diagnostic(code(rung::check::table_field))]
    TableField {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("{label}")]
        span: SourceSpan,
        fact: String,
        why: String,
        label: String,
        #[help]
        help: String,
    },

    /// `expect response "IR" status done`: a decision is `complete` or
    /// `indeterminate`.
    #[error("unknown status `{name}`")]
    #[diagnostic(code(rung::test::status))]
    UnknownStatus {
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("not a status")]
        span: SourceSpan,
        name: String,
        #[help]
        help: Option<String>,
    },
}

/// A place related to a diagnostic, shown after it: a declaration in
/// another file than the error.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(severity(Advice))]
#[allow(
    missing_docs,
    reason = "fields are named for what they hold; each variant documents an input that triggers it"
)]
pub struct Note {
    #[source_code]
    src: NamedSource<Arc<str>>,
    #[label("{label}")]
    span: SourceSpan,
    message: String,
    label: String,
}

impl Note {
    /// A note pointing at `span`.
    pub(crate) fn at(span: &Span, message: impl Into<String>, label: impl Into<String>) -> Self {
        Note {
            src: span.named_source(),
            span: span.source_span(),
            message: message.into(),
            label: label.into(),
        }
    }
}

/// Merges repeated reports of one unknown name in one file into the first:
/// each later use becomes an "also used here" label, so one mistake gives
/// one error however often the name is used.
pub(crate) fn merge_repeats(diags: Vec<CheckError>) -> Vec<CheckError> {
    let mut out: Vec<CheckError> = Vec::with_capacity(diags.len());
    let mut first: std::collections::HashMap<(String, String), usize> =
        std::collections::HashMap::new();
    for d in diags {
        let Some((key, span)) = d.repeat_key() else {
            out.push(d);
            continue;
        };
        match first.get(&key).and_then(|&i| out.get_mut(i)) {
            Some(earlier) => earlier.add_use(span),
            None => {
                first.insert(key, out.len());
                out.push(d);
            }
        }
    }
    out
}

impl CheckError {
    /// For an unknown-name report: what is unknown and in which file, and
    /// where this use is.
    fn repeat_key(&self) -> Option<((String, String), SourceSpan)> {
        let (what, src, span) = match self {
            CheckError::UnknownName {
                name, src, span, ..
            } => (format!("name {name}"), src, span),
            CheckError::UnknownField {
                field,
                ty,
                src,
                span,
                ..
            } => (format!("field {ty}.{field}"), src, span),
            CheckError::UnknownType {
                name, src, span, ..
            } => (format!("type {name}"), src, span),
            CheckError::UnknownLadder {
                name, src, span, ..
            } => (format!("ladder {name}"), src, span),
            CheckError::UnknownRung {
                name,
                ladder,
                src,
                span,
                ..
            } => (format!("rung {ladder}.{name}"), src, span),
            CheckError::UnknownFunction {
                name, src, span, ..
            } => (format!("function {name}"), src, span),
            _ => return None,
        };
        Some(((what, src.name().to_string()), *span))
    }

    /// Replaces the help of the report that `name` is unknown: for a client
    /// that knows better where the name lives (the REPL knows a rules
    /// block's per-subject names), so that the right hint comes first and
    /// alone.
    pub fn replace_unknown_name_help(&mut self, name: &str, help: &str) {
        if let CheckError::UnknownName {
            name: unknown,
            help: old,
            ..
        } = self
            && unknown == name
        {
            *old = Some(help.to_string());
        }
    }

    /// Adds another use to an unknown-name report.
    fn add_use(&mut self, span: SourceSpan) {
        match self {
            CheckError::UnknownName { others, .. }
            | CheckError::UnknownField { others, .. }
            | CheckError::UnknownType { others, .. }
            | CheckError::UnknownLadder { others, .. }
            | CheckError::UnknownRung { others, .. }
            | CheckError::UnknownFunction { others, .. } => {
                others.push(LabeledSpan::new_with_span(
                    Some("also used here".to_string()),
                    span,
                ));
            }
            _ => {}
        }
    }
}

/// "did you mean `x`?" over `candidates`, by edit distance.
pub(crate) fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let best = crate::check::suggest::closest(name, candidates)?;
    Some(format!("did you mean `{best}`?"))
}
