//! One cell of a table → one typed value, by the field's declared type.
//!
//! Cells are text, so every type has a written form: the same as in the JSON
//! facts where there is one (`2023-07-11`, `high`, `365d`), and for numbers
//! and booleans the plain text (`4`, `0.25`, `true`). Spreadsheets write some
//! values their own way (a decimal comma, `TRUE`, `yes`, `14/07/2022`): the
//! unambiguous ones are read, the others are refused with a hint saying how
//! to write them, never guessed.

use std::sync::Arc;

use crate::types::{FieldType, Schema, Type};
use crate::value::{Value, parse_date};

use super::super::parse_duration;

/// Why a cell does not fit its field.
#[derive(Debug, Clone)]
pub enum CellProblem {
    /// A cell of the wrong form: `found` describes it, `hint` how to write it.
    Type {
        /// The expected type, for people: `` `int` ``.
        expected: String,
        /// What the cell holds, e.g. `` `high` ``, or `an empty cell`.
        found: String,
        /// How to write a value of the expected type.
        hint: String,
    },
    /// A name that is not a variant of the field's enum (or ladder).
    Enum {
        /// The cell's text.
        value: String,
        /// The enum's name.
        ty: String,
        /// Its variants, lowest first.
        variants: Vec<String>,
    },
    /// An int outside the field's range.
    Range {
        /// The value read.
        value: i64,
        /// The range allowed.
        range: crate::types::IntRange,
    },
}

/// The value of `cell` for `field` (`cell` as the file holds it, unquoted).
pub fn convert(schema: &Schema, field: &FieldType, cell: &str) -> Result<Value, CellProblem> {
    let (ty, optional) = match &field.ty {
        Type::Optional(t) => (t.as_ref(), true),
        t => (t, false),
    };
    // Strings keep every character; other cells may be padded by the
    // spreadsheet, and padding never changes a number or a name.
    let text = if *ty == Type::Str { cell } else { cell.trim() };
    if text.is_empty() {
        return match (&field.default, optional) {
            (_, true) => Ok(Value::Absent),
            (Some(d), false) => Ok(d.clone()),
            (None, false) => Err(CellProblem::Type {
                expected: expected(schema, ty),
                found: "an empty cell".into(),
                hint: format!(
                    "fill in column `{}` in every row: only `optional` fields, and fields with a `default`, may be left empty",
                    field.name
                ),
            }),
        };
    }
    let value = match ty {
        Type::Str => Value::Str(Arc::from(text)),
        Type::Int => int(schema, ty, text)?,
        Type::Decimal => decimal(schema, ty, text)?,
        Type::Bool => boolean(schema, ty, text)?,
        Type::Date => match parse_date(text) {
            Some(d) => Value::Date(d),
            None => return Err(wrong(schema, ty, text, date_hint(text))),
        },
        Type::Duration => match parse_duration(text) {
            Some(d) => Value::Duration(d),
            None => {
                return Err(wrong(
                    schema,
                    ty,
                    text,
                    "write a number of days or weeks: `365d`, `2w`".into(),
                ));
            }
        },
        Type::Enum(_) | Type::Rung(_) => {
            let variants = schema.variants(ty);
            match variants.iter().position(|v| *v == text) {
                Some(i) => Value::Enum(u32::try_from(i).unwrap_or(u32::MAX)),
                None => {
                    return Err(CellProblem::Enum {
                        value: text.to_string(),
                        ty: schema.show(ty),
                        variants: variants.iter().map(|v| v.to_string()).collect(),
                    });
                }
            }
        }
        // A field a table cannot hold is refused before any row is read.
        _ => {
            return Err(wrong(
                schema,
                ty,
                text,
                "a table cell cannot hold a list or a record".into(),
            ));
        }
    };
    if let (Some(range), Value::Int(n)) = (field.range, &value)
        && !range.contains(*n)
    {
        return Err(CellProblem::Range { value: *n, range });
    }
    Ok(value)
}

/// The expected type as reports show it.
fn expected(schema: &Schema, ty: &Type) -> String {
    format!("`{}`", schema.show(ty))
}

fn wrong(schema: &Schema, ty: &Type, text: &str, hint: String) -> CellProblem {
    CellProblem::Type {
        expected: expected(schema, ty),
        found: found(text),
        hint,
    }
}

/// A cell's text for a message (a long one cut short).
pub fn found(text: &str) -> String {
    const SHOWN: usize = 40;
    if text.chars().count() > SHOWN {
        let head: String = text.chars().take(SHOWN).collect();
        format!("`{head}…`")
    } else {
        format!("`{text}`")
    }
}

fn int(schema: &Schema, ty: &Type, text: &str) -> Result<Value, CellProblem> {
    if let Ok(n) = text.parse::<i64>() {
        return Ok(Value::Int(n));
    }
    let digits_and = |extra: &[char]| {
        text.chars()
            .all(|c| c.is_ascii_digit() || c == '-' || extra.contains(&c))
    };
    let hint = if text
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == '+')
    {
        "the number is outside the range of an `int` (64 bits)".to_string()
    } else if digits_and(&['.', ',', ' ', '\u{a0}', '\''])
        && text.chars().any(|c| c.is_ascii_digit())
    {
        "write a whole number with digits only, without a decimal point or thousands separators: `1200`"
            .to_string()
    } else {
        "write a whole number: `3`".to_string()
    };
    Err(wrong(schema, ty, text, hint))
}

fn decimal(schema: &Schema, ty: &Type, text: &str) -> Result<Value, CellProblem> {
    let why = match crate::decimal::parse(text) {
        Ok(d) => return Ok(Value::Decimal(d)),
        Err(why) => why,
    };
    let hint = if why != crate::decimal::Inexact::NotANumber {
        format!("`{text}` {}; {}", why.reason_clause(), why.help())
    } else if text.matches(',').count() == 1
        && !text.contains('.')
        && crate::decimal::parse(&text.replace(',', ".")).is_ok()
    {
        format!(
            "rung reads a decimal point, not a decimal comma: write `{}` (or export the table with `.` as the decimal separator)",
            text.replace(',', ".")
        )
    } else {
        "write a decimal number with a decimal point and at most 28 digits: `0.25`".to_string()
    };
    Err(wrong(schema, ty, text, hint))
}

fn boolean(schema: &Schema, ty: &Type, text: &str) -> Result<Value, CellProblem> {
    // Spreadsheets write TRUE and FALSE; the words are unambiguous in any case.
    if text.eq_ignore_ascii_case("true") {
        return Ok(Value::Bool(true));
    }
    if text.eq_ignore_ascii_case("false") {
        return Ok(Value::Bool(false));
    }
    let lower = text.to_ascii_lowercase();
    let hint = if matches!(
        lower.as_str(),
        "yes" | "no" | "y" | "n" | "1" | "0" | "on" | "off" | "x" | "ja" | "nein" | "oui" | "non"
    ) {
        format!(
            "write `true` or `false`: rung does not guess what `{text}` means (the accepted words are `true` and `false`, in any case)"
        )
    } else {
        "write `true` or `false` (in any case)".to_string()
    };
    Err(wrong(schema, ty, text, hint))
}

/// How to write a date, with the likely fix for common spreadsheet forms.
fn date_hint(text: &str) -> String {
    let parts: Vec<&str> = text.split(['/', '.', '-']).collect();
    let numeric = parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    if numeric && parts.last().is_some_and(|y| y.len() == 4) {
        "write dates as YYYY-MM-DD (`2022-07-15`), not day and month first: format the column as ISO dates before exporting".to_string()
    } else {
        "write dates as YYYY-MM-DD naming a real day: `2022-07-15`".to_string()
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]

    use super::*;
    use crate::Policy;

    fn policy() -> Policy {
        Policy::from_text(
            "t.rung",
            "enum Level { low < high }\n\
             record R { i: int in 1..5  d: decimal  b: bool  t: date  l: Level  s: string  o: optional int  f: int default 7  w: duration }\n\
             facts { rs: list of R }\n\
             ladder response { monitor \"m\" }\n",
        )
        .unwrap()
    }

    fn cell(name: &str, text: &str) -> Result<Value, CellProblem> {
        let p = policy();
        let r = &p.program.schema.records[0];
        let f = &r.fields[r.field(name).unwrap()];
        convert(&p.program.schema, f, text)
    }

    fn hint(name: &str, text: &str) -> String {
        match cell(name, text) {
            Err(CellProblem::Type { hint, .. }) => hint,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cells_of_every_type() {
        assert_eq!(cell("i", " 3 ").unwrap(), Value::Int(3));
        assert_eq!(
            cell("d", "0.10").unwrap(),
            Value::Decimal("0.10".parse().unwrap())
        );
        assert_eq!(cell("b", "TRUE").unwrap(), Value::Bool(true));
        assert_eq!(cell("b", "false").unwrap(), Value::Bool(false));
        assert_eq!(cell("t", "1970-01-02").unwrap(), Value::Date(1));
        assert_eq!(cell("l", "high").unwrap(), Value::Enum(1));
        assert_eq!(
            cell("s", " =SUM(A1) ").unwrap(),
            Value::Str(" =SUM(A1) ".into())
        );
        assert_eq!(cell("o", "").unwrap(), Value::Absent);
        assert_eq!(cell("f", " ").unwrap(), Value::Int(7));
        assert_eq!(cell("w", "2w").unwrap(), Value::Duration(14));
    }

    #[test]
    fn spreadsheet_forms_are_refused_with_a_hint() {
        assert!(hint("d", "0,5").contains("write `0.5`"));
        // Never rounded: 30 significant digits, or below the smallest step.
        assert!(hint("d", "1.99999999999999999999999999999").contains("cannot be held exactly"));
        assert!(hint("d", "1e-30").contains("never rounds"));
        assert_eq!(
            cell("d", "25e-2").unwrap(),
            Value::Decimal("0.25".parse().unwrap())
        );
        assert!(hint("b", "yes").contains("`true` and `false`"));
        assert!(hint("b", "1").contains("does not guess"));
        assert!(hint("t", "14/07/2022").contains("YYYY-MM-DD"));
        assert!(hint("i", "1,200").contains("thousands"));
        assert!(hint("i", "").contains("every row"));
        assert!(matches!(
            cell("i", "9"),
            Err(CellProblem::Range { value: 9, .. })
        ));
        assert!(matches!(cell("l", "hihg"), Err(CellProblem::Enum { .. })));
    }
}
