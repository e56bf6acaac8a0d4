//! Runtime values and the calendar.
//!
//! Values are small and cheap to clone: lists and records are shared behind
//! `Rc`, strings behind `Arc<str>`. Dates are days since 1970-01-01, so that
//! comparing and subtracting them is integer arithmetic.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::internal::Internal;
use crate::types::{Schema, Type};

/// The longest duration a literal or a fact may hold, in days (about 1,000,000 years).
pub const MAX_DURATION_DAYS: i64 = 365_250_000;

/// A value computed by a policy or loaded from the facts.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `true` / `false`
    Bool(bool),
    /// 64-bit integer; arithmetic is checked.
    Int(i64),
    /// Exact decimal.
    Decimal(Decimal),
    /// Text.
    Str(Arc<str>),
    /// Days since 1970-01-01.
    Date(i32),
    /// A number of days.
    Duration(i64),
    /// The index of an enum variant (or a rung), lowest first.
    Enum(u32),
    /// An optional value that is not there.
    Absent,
    /// A list (a `Vec` behind the `Rc`, so building one from a filter does not copy it).
    List(Arc<Vec<Value>>),
    /// A record's fields in declaration order.
    Record(Arc<[Value]>),
}

impl Value {
    /// The boolean inside, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        if let Value::Bool(b) = self {
            Some(*b)
        } else {
            None
        }
    }

    /// The items, if this is a list.
    pub fn as_list(&self) -> Option<&Arc<Vec<Value>>> {
        if let Value::List(l) = self {
            Some(l)
        } else {
            None
        }
    }
}

/// A value usable as a hash key (grouping, `distinct`, uniqueness).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A decimal, normalised so that `1.0` and `1.00` are one key.
    Decimal(Decimal),
    /// A string.
    Str(Arc<str>),
    /// A date.
    Date(i32),
    /// A duration.
    Duration(i64),
    /// An enum variant.
    Enum(u32),
    /// An absent optional.
    Absent,
    /// A list of keys.
    List(Vec<Key>),
}

impl Key {
    /// The key of a value.
    pub fn of(v: &Value) -> Key {
        match v {
            Value::Bool(b) => Key::Bool(*b),
            Value::Int(i) => Key::Int(*i),
            Value::Decimal(d) => Key::Decimal(d.normalize()),
            Value::Str(s) => Key::Str(Arc::clone(s)),
            Value::Date(d) => Key::Date(*d),
            Value::Duration(d) => Key::Duration(*d),
            Value::Enum(e) => Key::Enum(*e),
            Value::Absent => Key::Absent,
            Value::List(l) => Key::List(l.iter().map(Key::of).collect()),
            Value::Record(l) => Key::List(l.iter().map(Key::of).collect()),
        }
    }
}

/// Why a text shaped like `YYYY-MM-DD` names no day ("February 2023 has 28
/// days"), and the closest day that exists (the month's last), so a report
/// can say what is wrong with `2023-02-30` rather than repeat the format the
/// author already used. `None` when the text is not of that shape or is a day.
pub fn why_not_a_date(text: &str) -> Option<(String, Option<String>)> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.get(4) == Some(&b'-')
        && bytes.get(7) == Some(&b'-')
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| bytes.get(i).is_some_and(u8::is_ascii_digit));
    if !shaped || parse_date(text).is_some() {
        return None;
    }
    let y: i32 = text.get(0..4)?.parse().ok()?;
    let m: u32 = text.get(5..7)?.parse().ok()?;
    let d: u32 = text.get(8..10)?.parse().ok()?;
    if y == 0 {
        return Some(("years run from 0001 to 9999".to_string(), None));
    }
    if !(1..=12).contains(&m) {
        return Some((
            format!("there is no month {m:02}: months run from 01 to 12"),
            None,
        ));
    }
    if d == 0 {
        return Some(("days of the month start at 01".to_string(), None));
    }
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y.checked_add(1)?, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)?
    };
    let length = next.signed_duration_since(first).num_days();
    let month = first.format("%B %Y");
    Some((
        format!("{month} has {length} days"),
        Some(format!("{y:04}-{m:02}-{length:02}")),
    ))
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` text, if it names a real day.
pub fn parse_date(text: &str) -> Option<i32> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    // Digits only: `str::parse` would also take `+1` and `-01`.
    let digits = [0, 1, 2, 3, 5, 6, 8, 9];
    if !digits
        .iter()
        .all(|&i| bytes.get(i).is_some_and(u8::is_ascii_digit))
    {
        return None;
    }
    let y: i32 = text.get(0..4)?.parse().ok()?;
    let m: u32 = text.get(5..7)?.parse().ok()?;
    let d: u32 = text.get(8..10)?.parse().ok()?;
    let date = NaiveDate::from_ymd_opt(y, m, d)?;
    let days = date.num_days_from_ce() - EPOCH_FROM_CE;
    // Years 1 to 9999, as everywhere else.
    date_in_range(i64::from(days)).then_some(days)
}

/// `num_days_from_ce` of 1970-01-01.
const EPOCH_FROM_CE: i32 = 719_163;

/// The `YYYY-MM-DD` text of a day number (or the number itself when out of the calendar).
pub fn format_date(days: i32) -> String {
    match days
        .checked_add(EPOCH_FROM_CE)
        .and_then(NaiveDate::from_num_days_from_ce_opt)
    {
        Some(d) => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
        None => format!("day {days}"),
    }
}

/// Whether a day number can be shown as a calendar date (years 1..=9999).
pub fn date_in_range(days: i64) -> bool {
    (-719_162..=2_932_896).contains(&days)
}

/// A value written for people: `"IR"`, `2022-07-15`, `high`, `[1, 2]`,
/// `{id: "a", severity: 4}`. Enum variants and record fields are named from
/// the schema; a value that does not fit its type is a bug in rung, reported
/// as such rather than shown as a plausible `?`.
pub fn show(value: &Value, ty: &Type, schema: &Schema) -> Result<String, Internal> {
    let mut out = String::new();
    write_value(&mut out, value, ty, schema)?;
    Ok(out)
}

/// Items of a list shown before `… N more`.
const SHOWN_ITEMS: usize = 8;

fn write_value(
    out: &mut String,
    value: &Value,
    ty: &Type,
    schema: &Schema,
) -> Result<(), Internal> {
    use std::fmt::Write as _;
    match (value, ty) {
        (Value::Bool(b), _) => {
            let _ = write!(out, "{b}");
        }
        (Value::Int(i), _) => {
            let _ = write!(out, "{i}");
        }
        (Value::Decimal(d), _) => {
            let _ = write!(out, "{}", d.normalize());
        }
        (Value::Str(s), _) => {
            let _ = write!(out, "{s:?}");
        }
        (Value::Date(d), _) => out.push_str(&format_date(*d)),
        (Value::Duration(d), _) => {
            let _ = write!(out, "{d}d");
        }
        (Value::Enum(i), ty) => out.push_str(schema.variant_name(ty, *i)?),
        (Value::Absent, _) => out.push_str("absent"),
        (Value::List(items), ty) => {
            let elem = match ty {
                Type::List(e) => e.as_ref(),
                Type::Optional(t) => t.element().unwrap_or(t),
                other => other,
            };
            out.push('[');
            for (i, v) in items.iter().take(SHOWN_ITEMS).enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, v, elem, schema)?;
            }
            if items.len() > SHOWN_ITEMS {
                let _ = write!(out, ", … {} more", items.len() - SHOWN_ITEMS);
            }
            out.push(']');
        }
        (Value::Record(fields), ty) => {
            let record = match ty {
                Type::Record(r) => schema.record(*r)?,
                Type::Optional(t) => match t.as_ref() {
                    Type::Record(r) => schema.record(*r)?,
                    _ => {
                        return Err(Internal::new(
                            "a record value has a type that is not a record",
                        ));
                    }
                },
                _ => {
                    return Err(Internal::new(
                        "a record value has a type that is not a record",
                    ));
                }
            };
            out.push('{');
            for (i, v) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let field = record.fields.get(i).ok_or(Internal::new(
                    "a record value has more fields than its type",
                ))?;
                let _ = write!(out, "{}: ", field.name);
                write_value(out, v, &field.ty, schema)?;
            }
            out.push('}');
        }
    }
    Ok(())
}
