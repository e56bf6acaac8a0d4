//! Constructors of [`CheckError`]: one per variant, each taking the
//! [`Span`] it points at and the variant's data.
//!
//! A check site then says what went wrong in one line, and the miette
//! plumbing (source, byte span, labels in other files) is written once, here.

use std::sync::Arc;

use miette::{NamedSource, SourceSpan};

use super::{CheckError, Note};
use crate::source::Span;

/// Source and span of a [`Span`], as miette wants them.
fn at(span: &Span) -> (NamedSource<Arc<str>>, SourceSpan) {
    (span.named_source(), span.source_span())
}

impl CheckError {
    /// `name` means nothing where it is used.
    pub(crate) fn unknown_name(span: &Span, name: &str, help: Option<String>) -> Self {
        let (src, span) = at(span);
        CheckError::UnknownName {
            src,
            span,
            others: Vec::new(),
            name: name.to_string(),
            help,
        }
    }

    /// Record type `ty` has no field `field`.
    pub(crate) fn unknown_field(
        span: &Span,
        field: &str,
        ty: impl Into<String>,
        help: Option<String>,
    ) -> Self {
        let (src, span) = at(span);
        CheckError::UnknownField {
            src,
            span,
            others: Vec::new(),
            field: field.to_string(),
            ty: ty.into(),
            help,
        }
    }

    /// No type is called `name`.
    pub(crate) fn unknown_type(span: &Span, name: &str, help: Option<String>) -> Self {
        let (src, span) = at(span);
        CheckError::UnknownType {
            src,
            span,
            others: Vec::new(),
            name: name.to_string(),
            help,
        }
    }

    /// No ladder is called `name`.
    pub(crate) fn unknown_ladder(span: &Span, name: &str, help: Option<String>) -> Self {
        let (src, span) = at(span);
        CheckError::UnknownLadder {
            src,
            span,
            others: Vec::new(),
            name: name.to_string(),
            help,
        }
    }

    /// Ladder `ladder` has no rung `name`.
    pub(crate) fn unknown_rung(
        span: &Span,
        name: &str,
        ladder: &str,
        help: Option<String>,
    ) -> Self {
        let (src, span) = at(span);
        CheckError::UnknownRung {
            src,
            span,
            others: Vec::new(),
            name: name.to_string(),
            ladder: ladder.to_string(),
            help,
        }
    }

    /// Rung `name`, named where ladder `ladder` is decided, is a rung of
    /// ladder `owner`.
    pub(crate) fn rung_of_other_ladder(span: &Span, name: &str, ladder: &str, owner: &str) -> Self {
        let (src, span) = at(span);
        CheckError::RungOfOtherLadder {
            src,
            span,
            name: name.to_string(),
            ladder: ladder.to_string(),
            owner: owner.to_string(),
            help: Some(format!(
                "this block decides `{ladder}`; a rule for `{name}` goes in a `rules {owner} for each ...` block"
            )),
        }
    }

    /// No function is called `name`.
    pub(crate) fn unknown_function(span: &Span, name: &str, help: Option<String>) -> Self {
        let (src, span) = at(span);
        CheckError::UnknownFunction {
            src,
            span,
            others: Vec::new(),
            name: name.to_string(),
            help,
        }
    }

    /// `name` at `span` repeats the declaration at `first`. The first one is
    /// a label when it is in the same file, and a note after the error when
    /// it is not (a label can only point into the error's own file).
    pub(crate) fn duplicate(kind: &'static str, span: &Span, name: &str, first: &Span) -> Self {
        let same_file = Arc::ptr_eq(&first.file, &span.file);
        let notes = if same_file {
            Vec::new()
        } else {
            vec![Note::at(
                first,
                format!("`{name}` is first declared in `{}`", first.file.name),
                "first declared here",
            )]
        };
        let (src, span) = at(span);
        CheckError::Duplicate {
            src,
            span,
            first: same_file.then(|| first.source_span()),
            kind,
            name: name.to_string(),
            help: Some("rename one of them or remove the repeat".to_string()),
            notes,
        }
    }

    /// The value at `span` is `found` where `expected` is needed, and
    /// nothing declared the expectation.
    pub(crate) fn mismatch(
        span: &Span,
        expected: impl Into<String>,
        found: impl Into<String>,
        help: Option<String>,
    ) -> Self {
        let (src, span) = at(span);
        CheckError::Mismatch {
            src,
            span,
            because: None,
            other: None,
            expected: expected.into(),
            found: found.into(),
            help,
            notes: Vec::new(),
        }
    }

    /// The value at `span` is `found` where `expected` is needed, because
    /// of the declaration at `declared` and the operand at `other`.
    ///
    /// A place in the error's file is a label; a declaration in another file
    /// becomes a note; an operand in another file, or at the declaration,
    /// is left out (it would say nothing new).
    pub(crate) fn mismatch_because(
        span: &Span,
        expected: String,
        found: impl Into<String>,
        declared: Option<&Span>,
        other: Option<&Span>,
        help: Option<String>,
    ) -> Self {
        let same_file = declared.filter(|b| Arc::ptr_eq(&b.file, &span.file));
        let notes = match (declared, same_file) {
            (Some(b), None) => vec![Note::at(
                b,
                format!(
                    "the expected type {expected} is declared in `{}`",
                    b.file.name
                ),
                format!("this makes it {expected}"),
            )],
            _ => Vec::new(),
        };
        let other = other
            .filter(|o| Arc::ptr_eq(&o.file, &span.file))
            .filter(|o| same_file.is_none_or(|b| b.start != o.start));
        let (src, span) = at(span);
        CheckError::Mismatch {
            src,
            span,
            because: same_file.map(Span::source_span),
            other: other.map(Span::source_span),
            expected,
            found: found.into(),
            help,
            notes,
        }
    }

    /// Operator `op` cannot take `left` and `right`.
    pub(crate) fn bad_operands(
        span: &Span,
        op: &str,
        left: impl Into<String>,
        right: impl Into<String>,
        help: Option<String>,
    ) -> Self {
        let (src, span) = at(span);
        CheckError::BadOperands {
            src,
            span,
            op: op.to_string(),
            left: left.into(),
            right: right.into(),
            help,
        }
    }

    /// The expression at `span`, of optional type `ty`, is used where a
    /// value must be present. The message quotes the expression's text.
    pub(crate) fn optional(span: &Span, ty: impl Into<String>, help: Option<String>) -> Self {
        let text = span.text().to_string();
        let (src, span) = at(span);
        CheckError::Optional {
            src,
            span,
            text,
            ty: ty.into(),
            help,
        }
    }

    /// A list is needed where the value at `span` is `found`.
    pub(crate) fn not_a_list(span: &Span, found: impl Into<String>, help: Option<String>) -> Self {
        let (src, span) = at(span);
        CheckError::NotAList {
            src,
            span,
            found: found.into(),
            help,
        }
    }

    /// Definition `name` uses itself, through `cycle`.
    ///
    /// `user` is the definition using `name` at `span`; `edges` are the other
    /// uses of the cycle, each with its label (`` `a` uses `b` ``): labels in
    /// this file, notes after the error in others.
    pub(crate) fn let_cycle(
        span: &Span,
        name: &str,
        user: &str,
        cycle: String,
        edges: &[(Span, String)],
    ) -> Self {
        let (here, elsewhere): (Vec<_>, Vec<_>) = edges
            .iter()
            .partition(|(e, _)| Arc::ptr_eq(&e.file, &span.file));
        let notes = elsewhere
            .into_iter()
            .map(|(e, label)| Note::at(e, format!("{label} in `{}`", e.file.name), label.clone()))
            .collect();
        let edges = here
            .into_iter()
            .map(|(e, label)| {
                miette::LabeledSpan::new_with_span(Some(label.clone()), e.source_span())
            })
            .collect();
        let (src, span) = at(span);
        CheckError::LetCycle {
            src,
            span,
            edges,
            name: name.to_string(),
            user: user.to_string(),
            cycle,
            notes,
        }
    }

    /// Using `name` at `span` nests definitions more than `limit` deep.
    pub(crate) fn let_too_deep(span: &Span, name: &str, limit: usize) -> Self {
        let (src, span) = at(span);
        CheckError::LetTooDeep {
            src,
            span,
            name: name.to_string(),
            limit,
        }
    }

    /// The range `from to to` at `span` runs down the ladder.
    pub(crate) fn rung_order(span: &Span, from: &str, to: &str) -> Self {
        let (src, span) = at(span);
        CheckError::RungOrder {
            src,
            span,
            from: from.to_string(),
            to: to.to_string(),
        }
    }

    /// A schema declaration that cannot be honoured.
    pub(crate) fn schema(
        span: &Span,
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) -> Self {
        let (src, span) = at(span);
        CheckError::Schema {
            src,
            span,
            message: message.into(),
            label: label.into(),
            help,
        }
    }

    /// The policy declares no facts (there is nothing to point at).
    pub(crate) fn no_facts() -> Self {
        CheckError::NoFacts
    }

    /// The grouping key at `span` has type `ty`, which cannot group.
    pub(crate) fn group_key(span: &Span, ty: impl Into<String>) -> Self {
        let (src, span) = at(span);
        CheckError::GroupKey {
            src,
            span,
            ty: ty.into(),
        }
    }

    /// `keyed by` a key that is not a `unique` field of the items.
    pub(crate) fn keyed(
        span: &Span,
        what: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        let (src, span) = at(span);
        CheckError::Keyed {
            src,
            span,
            what: what.into(),
            label: label.into(),
            help: help.into(),
        }
    }

    /// A test names rule `name`, which ladder `ladder` does not have.
    pub(crate) fn unknown_rule(
        span: &Span,
        name: &str,
        ladder: &str,
        help: Option<String>,
    ) -> Self {
        let (src, span) = at(span);
        CheckError::UnknownRule {
            src,
            span,
            name: name.to_string(),
            ladder: ladder.to_string(),
            help,
        }
    }

    /// A test expects status `name`, which no decision has.
    pub(crate) fn unknown_status(span: &Span, name: &str, help: Option<String>) -> Self {
        let (src, span) = at(span);
        CheckError::UnknownStatus {
            src,
            span,
            name: name.to_string(),
            help,
        }
    }

    /// A test's `table NAME` names no fact.
    pub(crate) fn unknown_table_fact(span: &Span, name: &str, help: Option<String>) -> Self {
        let (src, span) = at(span);
        CheckError::UnknownTableFact {
            src,
            span,
            name: name.to_string(),
            help,
        }
    }

    /// A test's `table NAME` names a fact no table can give; `decl` is the
    /// declaration at fault (the fact, or the field that a cell cannot hold).
    pub(crate) fn table_field(
        span: &Span,
        fact: &str,
        why: String,
        decl: &Span,
        help: String,
    ) -> Self {
        let (src, span) = at(span);
        CheckError::TableField {
            src,
            span,
            fact: fact.to_string(),
            label: format!("see {}", decl.location()),
            why,
            help,
        }
    }
}
