//! Runtime values and the calendar.
//!
//! Values are small and cheap to clone: lists ([`List`]) and records are
//! shared behind `Arc`, strings behind `Arc<str>`. Dates are days since 1970-01-01, so that
//! comparing and subtracting them is integer arithmetic.

mod list;

use std::sync::Arc;

pub use list::{Iter as ListIter, List, Positions};

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::internal::Internal;
use crate::types::{Schema, Type};

/// The longest duration a literal or a fact may hold, in days (about 1,000,000 years).
pub const MAX_DURATION_DAYS: i64 = 365_250_000;

/// A value computed by a policy or loaded from the facts.
///
/// The tag is a whole word (`repr(u64)`): every payload then starts at an
/// aligned offset, so values move as whole words. With a one-byte tag the
/// compiler packs `Bool` and `Enum` payloads at odd offsets and copies values
/// in mixed-width pieces, which stalls the CPU when a value just written is
/// read back (the facts reader returns every value that way). Same size: 24 bytes.
#[derive(Clone, Debug)]
#[repr(u64)]
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
    /// A list: shared, and a narrowed list shares its source's items.
    List(List),
    /// A record's fields in declaration order.
    Record(Arc<[Value]>),
}

impl PartialEq for Value {
    /// Structural equality, as derived, except that strings sharing one
    /// allocation (interned facts strings: victims, sponsors) are equal
    /// without comparing their bytes; grouping compares them constantly.
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Decimal(a), Value::Decimal(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => same_text(a, b),
            (Value::Date(a), Value::Date(b)) => a == b,
            (Value::Duration(a), Value::Duration(b)) => a == b,
            (Value::Enum(a), Value::Enum(b)) => a == b,
            (Value::Absent, Value::Absent) => true,
            (Value::List(a), Value::List(b)) => a == b,
            (Value::Record(a), Value::Record(b)) => a == b,
            _ => false,
        }
    }
}

/// Whether two texts are equal: at once when they share one allocation
/// (interned facts strings: victims, sponsors), and byte by byte, without a
/// call to `memcmp`, when they are short (country codes).
#[inline]
pub fn same_text(a: &Arc<str>, b: &Arc<str>) -> bool {
    const SHORT: usize = 16;
    if Arc::ptr_eq(a, b) {
        return true;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    if a.len() <= SHORT {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    a == b
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
    pub fn as_list(&self) -> Option<&List> {
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
    // Facts hold a date per incident: the day number is computed here, in
    // integer arithmetic, rather than through a calendar library.
    let digit = |i: usize| bytes.get(i).map_or(0, |b| i32::from(b - b'0'));
    let y = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
    let m = digit(5) * 10 + digit(6);
    let d = digit(8) * 10 + digit(9);
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let month_days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    // Years 1 to 9999, as everywhere else.
    if y < 1 || d < 1 || d > month_days {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (valid `y`, `m`, `d`):
/// counted in 400-year eras of 146,097 days, from years starting in March
/// so that a leap day ends its year.
fn days_from_civil(y: i32, m: i32, d: i32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let year_of_era = y.rem_euclid(400);
    let shifted_month = if m > 2 { m - 3 } else { m + 9 };
    let day_of_year = (153 * shifted_month + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
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
            // At its scale: `2.0` as written in the facts or the policy.
            let _ = write!(out, "{d}");
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_date_agrees_with_the_calendar_on_every_day() {
        for days in -719_162..=2_932_896 {
            let text = format_date(days);
            assert_eq!(parse_date(&text), Some(days), "{text}");
        }
        for bad in [
            "0000-01-01",
            "2023-02-29",
            "2024-02-30",
            "2023-13-01",
            "2023-00-10",
            "2023-04-31",
            "2023-01-00",
            "+023-01-01",
            "2023-1-01",
            "2023-01-1x",
            "2023/01/01",
            "20230-1-01",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(parse_date("2024-02-29"), Some(19_782));
        assert_eq!(parse_date("1970-01-01"), Some(0));
    }
}
