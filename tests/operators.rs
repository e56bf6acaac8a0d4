//! The README's operator table is true: each row's example parses, and it
//! has the same syntax tree as the row's fully parenthesised reading.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use std::sync::Arc;

use rung::SourceFile;
use rung::ast::{Expr, ExprKind};

/// The tree of `e` with every grouping explicit and the written
/// parentheses dropped: two texts with equal shapes mean the same.
fn shape(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Paren(inner) => shape(inner),
        ExprKind::Binary(op, l, r) => format!("({} {op:?} {})", shape(l), shape(r)),
        ExprKind::Where(l, c) => format!("({} where {})", shape(l), shape(c)),
        ExprKind::Quantified(q, l, c) => format!("({q:?} {} has {})", shape(l), shape(c)),
        ExprKind::Not(x) => format!("(not {})", shape(x)),
        ExprKind::Neg(x) => format!("(- {})", shape(x)),
        ExprKind::IsPresent(x, present) => format!("({} present={present})", shape(x)),
        ExprKind::Field(x, f) => format!("({}.{})", shape(x), f.name),
        ExprKind::Call(f, x) => format!("{}({})", f.name, shape(x)),
        ExprKind::List(xs) => format!("[{}]", xs.iter().map(shape).collect::<Vec<_>>().join(", ")),
        other => format!("{other:?}"),
    }
}

fn parse(text: &str) -> Expr {
    let file = Arc::new(SourceFile::new("<readme>", text));
    match rung::syntax::parse_expr(&file) {
        Ok(e) => e,
        Err(es) => panic!("`{text}` does not parse: {es:?}"),
    }
}

/// The rows between the README's `<!-- operators` and `<!-- /operators -->`
/// markers: (example, reads as).
fn rows() -> Vec<(String, String)> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- operators")
        .expect("the README has an operator table");
    let end = readme
        .find("<!-- /operators -->")
        .expect("the operator table ends");
    readme[start..end]
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| operators"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let code = |cell: &str| {
                cell.strip_prefix('`')
                    .and_then(|c| c.strip_suffix('`'))
                    .unwrap_or_else(|| panic!("not one code span: {cell:?} in {line}"))
                    .to_string()
            };
            (code(cells[3]), code(cells[4]))
        })
        .collect()
}

#[test]
fn every_operator_row_reads_as_it_says() {
    let rows = rows();
    assert!(rows.len() >= 12, "the table lost rows: {rows:?}");
    for (example, reading) in rows {
        assert_eq!(
            shape(&parse(&example)),
            shape(&parse(&reading)),
            "`{example}` does not read as `{reading}`"
        );
    }
}

/// The shape comparison can fail: a reading with the other grouping differs.
#[test]
fn a_wrong_reading_is_told_apart() {
    assert_ne!(
        shape(&parse("a or b and c")),
        shape(&parse("(a or b) and c"))
    );
    assert_ne!(
        shape(&parse("incidents where a or b")),
        shape(&parse("(incidents where a) or b"))
    );
}
