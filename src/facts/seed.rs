//! Schema-driven JSON reading: serde_json drives, the schema decides.
//!
//! Instead of building a `serde_json::Value` and converting it, the facts are
//! read straight into rung [`Value`]s, guided by the declared type at each
//! position. A value of the wrong shape is recorded as an error (with its
//! path) and skipped, so one run reports every problem; only malformed JSON
//! stops the read.

use std::fmt;
use std::sync::Arc;

use crate::ids::RecordId;

use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize as _;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{Problem, Seg};
use crate::types::{RecordType, Schema, Type};
use crate::value::{Key, List, MAX_DURATION_DAYS, Value, parse_date};

/// Most problems recorded in one read; the rest are counted.
pub const MAX_PROBLEMS: usize = 50;

/// A step of the path being read (borrowing field names from the schema).
#[derive(Clone, Copy)]
enum Step<'s> {
    Field(&'s str),
    Index(usize),
}

/// Where a value stands: its last step and the frame of its parent, on
/// the reader's own stack. A path is needed only for a problem, so it is
/// spelt out only then; reading a value costs no push and pop.
#[derive(Clone, Copy)]
struct At<'p, 's> {
    step: Step<'s>,
    up: Option<&'p At<'p, 's>>,
}

/// The path of `at` (the document itself for `None`).
fn path_of(at: Option<&At<'_, '_>>) -> Vec<Seg> {
    let mut path = Vec::new();
    let mut next = at;
    while let Some(a) = next {
        path.push(match a.step {
            Step::Field(f) => Seg::Key(f.to_string()),
            Step::Index(i) => Seg::Index(i),
        });
        next = a.up;
    }
    path.reverse();
    path
}

/// Shares one `Arc<str>` among the equal strings of one field (a victim's
/// code, an actor's name), so 100,000 incidents naming 14 victims hold 14
/// strings, not 100,000 allocations. A field whose strings mostly differ
/// (an `id`) stops interning after a sample, so it pays no hashing.
#[derive(Default)]
struct Interner {
    set: FxHashSet<Arc<str>>,
    looked_up: u32,
    added: u32,
    off: bool,
}

/// Lookups after which an interner judges whether its field repeats.
const INTERN_SAMPLE: u32 = 256;

impl Interner {
    fn get(&mut self, s: &str) -> Arc<str> {
        if self.off {
            return Arc::from(s);
        }
        self.looked_up += 1;
        if let Some(a) = self.set.get(s) {
            return Arc::clone(a);
        }
        self.added += 1;
        if self.looked_up >= INTERN_SAMPLE && self.added * 2 > self.looked_up {
            self.off = true;
            self.set = FxHashSet::default();
            return Arc::from(s);
        }
        let a: Arc<str> = Arc::from(s);
        self.set.insert(Arc::clone(&a));
        a
    }
}

/// Read state: where we are, and what went wrong so far.
pub struct Ctx<'s> {
    schema: &'s Schema,
    /// Problems found, at most [`MAX_PROBLEMS`].
    pub problems: Vec<(Vec<Seg>, Problem)>,
    /// Problems beyond the cap.
    pub more: usize,
    /// One interner per field of every record (the facts' fields last),
    /// at `slot_base[record] + field`.
    interners: Vec<Interner>,
    slot_base: Vec<usize>,
    /// The key order of the last object of each record: at `slot(r, i)`,
    /// the field whose key followed field `i`'s; at `first_key[r]`, the first.
    /// Objects of one file almost always list their keys in one order, so
    /// each key is found with one comparison.
    key_after: Vec<usize>,
    first_key: Vec<usize>,
    /// Field buffers of records being read, reused from one object to the
    /// next so that reading a record allocates only the record itself.
    spare: Vec<Vec<Option<Value>>>,
}

impl<'s> Ctx<'s> {
    /// A fresh context for `schema`.
    pub fn new(schema: &'s Schema) -> Self {
        let mut slot_base = Vec::with_capacity(schema.records.len() + 1);
        let mut slots = 0;
        for r in schema.records.iter().chain(std::iter::once(&schema.facts)) {
            slot_base.push(slots);
            slots += r.fields.len();
        }
        Ctx {
            schema,
            problems: Vec::new(),
            more: 0,
            interners: std::iter::repeat_with(Interner::default)
                .take(slots)
                .collect(),
            key_after: vec![0; slots],
            first_key: vec![0; slot_base.len()],
            slot_base,
            spare: Vec::new(),
        }
    }

    /// The interning slot of field `field` of record `record` (the facts
    /// are record `schema.records.len()`).
    fn slot(&self, record: usize, field: usize) -> Option<usize> {
        self.slot_base.get(record).map(|b| b + field)
    }

    fn string(&mut self, slot: Option<usize>, s: &str) -> Arc<str> {
        match slot.and_then(|i| self.interners.get_mut(i)) {
            Some(interner) => interner.get(s),
            None => Arc::from(s),
        }
    }

    fn problem(&mut self, at: Option<&At<'_, '_>>, p: Problem) {
        self.problem_at(at, None, p);
    }

    fn problem_at(&mut self, at: Option<&At<'_, '_>>, extra: Option<Seg>, p: Problem) {
        if self.problems.len() >= MAX_PROBLEMS {
            self.more += 1;
            return;
        }
        let mut path = path_of(at);
        path.extend(extra);
        self.problems.push((path, p));
    }

    fn type_name(&self, ty: &Type) -> String {
        format!("`{}`", self.schema.show(ty))
    }
}

/// Reads the facts document (an object with the facts' fields).
pub struct FactsSeed<'c, 's> {
    /// The read state.
    pub ctx: &'c mut Ctx<'s>,
}

impl<'de> DeserializeSeed<'de> for FactsSeed<'_, '_> {
    type Value = Vec<Value>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let schema = self.ctx.schema;
        let v = d.deserialize_any(ValueSeed {
            at: None,
            ctx: self.ctx,
            ty: &Type::Error,
            record: Some((schema.records.len(), &schema.facts)),
            slot: None,
        })?;
        Ok(match v {
            Value::Record(fields) => fields.to_vec(),
            _ => Vec::new(),
        })
    }
}

/// Reads one value of type `ty` (or of record `record`, with its index, for
/// the document).
struct ValueSeed<'c, 's, 'p> {
    /// Where the value stands.
    at: Option<&'p At<'p, 's>>,
    ctx: &'c mut Ctx<'s>,
    ty: &'s Type,
    record: Option<(usize, &'s RecordType)>,
    /// The interner of the field being read, for its strings.
    slot: Option<usize>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_, '_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        if self.record.is_none() && *self.want() == Type::Decimal {
            // Decimals are read from their JSON text, never through a double:
            // `0.12345678901234567891` keeps every digit.
            let raw = <&serde_json::value::RawValue>::deserialize(d)?;
            return Ok(self.decimal(raw.get()));
        }
        d.deserialize_any(self)
    }
}

impl ValueSeed<'_, '_, '_> {
    /// A decimal from its JSON text: a number, or a string holding one.
    fn decimal(self, raw: &str) -> Value {
        let raw = raw.trim();
        if raw == "null" {
            return self
                .visit_unit::<serde_json::Error>()
                .unwrap_or(Value::Absent);
        }
        let text = match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            Some(inner) => inner,
            None if raw.starts_with(|c: char| c == '-' || c.is_ascii_digit()) => raw,
            None => {
                let found = match raw.chars().next() {
                    Some('t' | 'f') => format!("`{raw}`"),
                    Some('[') => "a list".to_string(),
                    Some('{') => "an object".to_string(),
                    _ => format!("`{raw}`"),
                };
                return self.wrong(&found);
            }
        };
        match crate::decimal::parse(text) {
            Ok(d) => Value::Decimal(d),
            Err(crate::decimal::Inexact::NotANumber) if text.len() != raw.len() => {
                self.wrong(&format!("`{text}`, which is not a decimal number"))
            }
            Err(why) => self.wrong_hinted(
                &format!("`{text}`, which {}", why.reason_clause()),
                why.help(),
            ),
        }
    }
}

impl<'s> ValueSeed<'_, 's, '_> {
    /// The type expected, past any `optional`.
    fn want(&self) -> &'s Type {
        match self.ty {
            Type::Optional(t) => t,
            t => t,
        }
    }

    /// A value of the wrong kind, with help about this value rather than
    /// the type's usual spelling (`1e-30` is a number already).
    fn wrong_hinted(self, found: &str, hint: &str) -> Value {
        let expected = self.ctx.type_name(self.ty);
        self.ctx.problem(
            self.at,
            Problem::Type {
                expected,
                found: found.to_string(),
                hint: Some(hint.to_string()),
            },
        );
        Value::Absent
    }

    fn wrong(self, found: &str) -> Value {
        let expected = match self.record.map(|(_, r)| r) {
            Some(r) if r.name == "facts" => "an object with the facts".to_string(),
            Some(r) => format!("`{}` (an object)", r.name),
            None => self.ctx.type_name(self.ty),
        };
        let hint = self.hint();
        self.ctx.problem(
            self.at,
            Problem::Type {
                expected,
                found: found.to_string(),
                hint,
            },
        );
        Value::Absent
    }

    /// How a value of the expected type is written in JSON.
    fn hint(&self) -> Option<String> {
        if let Some((_, r)) = self.record {
            let fields: Vec<String> = r.fields.iter().map(|f| format!("\"{}\"", f.name)).collect();
            return Some(format!(
                "give an object {{ ... }} with the fields {}",
                fields.join(", ")
            ));
        }
        Some(
            match self.want() {
                Type::Int => "give a whole number, without quotes: `3`",
                Type::Decimal => "give a number, without quotes: `0.5`",
                Type::Bool => "give `true` or `false`, without quotes",
                Type::Str => "give text in double quotes: \"EE\"",
                Type::Date => "give a date in double quotes: \"2023-07-11\"",
                Type::Duration => "give a duration in double quotes: \"365d\"",
                Type::Enum(_) | Type::Rung(_) => "give one of its values in double quotes",
                Type::List(_) => "give a list: [ ... ]",
                Type::Record(r) => {
                    let rec = self.ctx.schema.records.get(r.index())?;
                    let fields: Vec<String> = rec
                        .fields
                        .iter()
                        .map(|f| format!("\"{}\"", f.name))
                        .collect();
                    return Some(format!(
                        "give an object {{ ... }} with the fields {}",
                        fields.join(", ")
                    ));
                }
                _ => return None,
            }
            .to_string(),
        )
    }

    /// A string where a number or boolean is expected: say to drop the quotes
    /// when the text is one.
    fn wrong_text(self, s: &str) -> Value {
        let unquoted = match self.want() {
            Type::Int => s.trim().parse::<i64>().is_ok(),
            Type::Decimal => crate::decimal::parse(s.trim()).is_ok(),
            Type::Bool => matches!(s.trim(), "true" | "false"),
            _ => false,
        };
        if !unquoted || self.record.is_some() {
            return self.wrong(&format!("the string {s:?}"));
        }
        let expected = self.ctx.type_name(self.ty);
        self.ctx.problem(
            self.at,
            Problem::Type {
                expected,
                found: format!("the string {s:?}"),
                hint: Some(format!("write it without quotes: `{}`", s.trim())),
            },
        );
        Value::Absent
    }

    fn record_type(&self) -> Option<(usize, &'s RecordType)> {
        self.record.or_else(|| match self.want() {
            Type::Record(r) => {
                let i = r.index();
                self.ctx.schema.records.get(i).map(|rec| (i, rec))
            }
            _ => None,
        })
    }
}

impl<'de, 's> Visitor<'de> for ValueSeed<'_, 's, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON value")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(match self.want() {
            Type::Bool if self.record.is_none() => Value::Bool(b),
            _ => self.wrong(if b { "`true`" } else { "`false`" }),
        })
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        Ok(match self.want() {
            Type::Int if self.record.is_none() => Value::Int(i),
            Type::Decimal if self.record.is_none() => Value::Decimal(Decimal::from(i)),
            _ => self.wrong(&format!("the number {i}")),
        })
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        match i64::try_from(u) {
            Ok(i) => self.visit_i64(i),
            Err(_) => Ok(match self.want() {
                Type::Decimal if self.record.is_none() => Value::Decimal(Decimal::from(u)),
                _ => self.wrong(&format!("the number {u}, which is too large")),
            }),
        }
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        Ok(match self.want() {
            // The shortest text that reads back as the same double: `0.1`, not 0.1000000000000000055...
            Type::Decimal if self.record.is_none() => {
                match crate::decimal::parse(&format!("{f}")) {
                    Ok(d) => Value::Decimal(d),
                    Err(why) => {
                        self.wrong(&format!("the number {f}, which {}", why.reason_clause()))
                    }
                }
            }
            Type::Int if self.record.is_none() => {
                // serde_json reads `3.0`, `1e2` and integers beyond 64 bits as doubles.
                let why = if f.fract() != 0.0 || !f.is_finite() {
                    "which is not a whole number"
                } else if f.abs() >= 9.2e18 {
                    "which is outside the range of an `int` (64 bits)"
                } else {
                    // `1e0`, `1.0`: whole, but not written as an int is.
                    return Ok(self.wrong_hinted(
                        &format!("the number {f}, written with a fraction or an exponent"),
                        &format!("write an `int` in digits only, without `.` or `e`: `{f}`"),
                    ));
                };
                self.wrong(&format!("the number {f}, {why}"))
            }
            _ => self.wrong(&format!("the number {f}")),
        })
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        if self.record.is_some() {
            return Ok(self.wrong(&format!("the string {s:?}")));
        }
        let want = self.want();
        Ok(match want {
            Type::Str => Value::Str(self.ctx.string(self.slot, s)),
            Type::Date => match parse_date(s) {
                Some(d) => Value::Date(d),
                None => {
                    self.ctx.problem(
                        self.at,
                        Problem::Date {
                            value: s.to_string(),
                        },
                    );
                    Value::Absent
                }
            },
            Type::Duration => match parse_duration(s) {
                Some(d) => Value::Duration(d),
                None => {
                    self.ctx.problem(
                        self.at,
                        Problem::Duration {
                            value: s.to_string(),
                        },
                    );
                    Value::Absent
                }
            },
            Type::Enum(_) | Type::Rung(_) => {
                // Looked up in place: the list of names is built only for the report.
                let schema = self.ctx.schema;
                let found = match want {
                    Type::Enum(e) => schema
                        .enums
                        .get(e.index())
                        .and_then(|e| e.variants.iter().position(|v| v == s)),
                    Type::Rung(l) => schema
                        .ladders
                        .get(l.index())
                        .and_then(|l| l.rungs.iter().position(|r| r.name == s)),
                    _ => None,
                };
                match found {
                    Some(i) => Value::Enum(i as u32),
                    None => {
                        let variants = schema.variants(want);
                        let ty = schema.show(want);
                        let variants = variants.iter().map(|v| v.to_string()).collect();
                        self.ctx.problem(
                            self.at,
                            Problem::Enum {
                                value: s.to_string(),
                                ty,
                                variants,
                            },
                        );
                        Value::Absent
                    }
                }
            }
            _ => self.wrong_text(s),
        })
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(match self.ty {
            Type::Optional(_) => Value::Absent,
            _ => {
                let expected = self.ctx.type_name(self.ty);
                self.ctx.problem(self.at, Problem::Null { expected });
                Value::Absent
            }
        })
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let elem = match (self.record, self.want()) {
            (None, Type::List(e)) => e.as_ref(),
            _ => {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                return Ok(self.wrong("a list"));
            }
        };
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        let mut i = 0;
        loop {
            let here = At {
                step: Step::Index(i),
                up: self.at,
            };
            let next = seq.next_element_seed(ValueSeed {
                at: Some(&here),
                ctx: &mut *self.ctx,
                ty: elem,
                record: None,
                slot: self.slot,
            });
            match next? {
                Some(v) => items.push(v),
                None => break,
            }
            i += 1;
        }
        if let Type::Record(r) = elem {
            check_unique(self.ctx, self.at, *r, &items);
        }
        Ok(Value::List(List::new(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let Some((rec_index, rec)) = self.record_type() else {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(self.wrong("an object"));
        };
        let mut values = self.ctx.spare.pop().unwrap_or_default();
        values.clear();
        values.resize(rec.fields.len(), None);
        // The key tried first is the one that came next in the last object.
        let mut prev: Option<usize> = None;
        loop {
            let guess = match prev {
                None => self.ctx.first_key.get(rec_index),
                Some(p) => self
                    .ctx
                    .slot(rec_index, p)
                    .and_then(|s| self.ctx.key_after.get(s)),
            };
            let next = guess.copied().unwrap_or(0);
            let Some(key) = map.next_key_seed(KeySeed { rec, next })? else {
                break;
            };
            match key {
                Ok(i) => {
                    if i != next {
                        let learned = match prev {
                            None => self.ctx.first_key.get_mut(rec_index),
                            Some(p) => match self.ctx.slot(rec_index, p) {
                                Some(s) => self.ctx.key_after.get_mut(s),
                                None => None,
                            },
                        };
                        if let Some(l) = learned {
                            *l = i;
                        }
                    }
                    prev = Some(i);
                    let Some(field) = rec.fields.get(i) else {
                        map.next_value::<IgnoredAny>()?;
                        continue;
                    };
                    let here = At {
                        step: Step::Field(&field.name),
                        up: self.at,
                    };
                    let slot = self.ctx.slot(rec_index, i);
                    let v = map.next_value_seed(ValueSeed {
                        at: Some(&here),
                        ctx: &mut *self.ctx,
                        ty: &field.ty,
                        record: None,
                        slot,
                    })?;
                    if let (Some(range), Value::Int(n)) = (field.range, &v)
                        && !range.contains(*n)
                    {
                        self.ctx
                            .problem(Some(&here), Problem::Range { value: *n, range });
                    }
                    if let Some(slot) = values.get_mut(i) {
                        if slot.is_some() {
                            // Never guess which of two values was meant.
                            self.ctx.problem_at(
                                self.at,
                                Some(Seg::Key(field.name.clone())),
                                Problem::RepeatedKey {
                                    field: field.name.clone(),
                                },
                            );
                        }
                        *slot = Some(v);
                    }
                }
                Err(name) => {
                    let suggestion = crate::check::suggest::closest(
                        &name,
                        rec.fields.iter().map(|f| f.name.as_str()),
                    );
                    let fields = rec.fields.iter().map(|f| f.name.clone()).collect();
                    self.ctx.problem_at(
                        self.at,
                        Some(Seg::Key(name.clone())),
                        Problem::UnknownField {
                            field: name,
                            record: rec.name.clone(),
                            suggestion: suggestion.map(str::to_string),
                            fields,
                        },
                    );
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let ctx = &mut *self.ctx;
        let at = self.at;
        // An exact-size iterator: the record is allocated once, at its size.
        let record: Arc<[Value]> = values
            .drain(..)
            .zip(&rec.fields)
            .map(|(slot, field)| match slot {
                Some(v) => v,
                None => match (&field.default, &field.ty) {
                    (Some(d), _) => d.clone(),
                    (None, Type::Optional(_)) => Value::Absent,
                    (None, ty) => {
                        let ty = ctx.type_name(ty);
                        ctx.problem(
                            at,
                            Problem::Missing {
                                field: field.name.clone(),
                                record: rec.name.clone(),
                                ty,
                            },
                        );
                        Value::Absent
                    }
                },
            })
            .collect();
        ctx.spare.push(values);
        Ok(Value::Record(record))
    }
}

/// Reads an object key as a field index (or the unknown name).
struct KeySeed<'s> {
    rec: &'s RecordType,
    /// The field tried first.
    next: usize,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Result<usize, String>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Result<usize, String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a field name")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        if self.rec.fields.get(self.next).is_some_and(|f| f.name == s) {
            return Ok(Ok(self.next));
        }
        Ok(self
            .rec
            .fields
            .iter()
            .position(|f| f.name == s)
            .ok_or_else(|| s.to_string()))
    }
}

/// Reports repeated values of `unique` fields in a list of records.
fn check_unique(ctx: &mut Ctx<'_>, at: Option<&At<'_, '_>>, record: RecordId, items: &[Value]) {
    let Some(rec) = ctx.schema.records.get(record.index()) else {
        return;
    };
    for (fi, field) in rec.fields.iter().enumerate().filter(|(_, f)| f.unique) {
        // Strings (the usual `id`) are compared borrowed: no key is built.
        let mut seen_str: FxHashMap<&str, usize> = FxHashMap::default();
        let mut seen: FxHashMap<Key, usize> = FxHashMap::default();
        for (i, item) in items.iter().enumerate() {
            let Value::Record(fields) = item else {
                continue;
            };
            let Some(v) = fields.get(fi) else { continue };
            let first = match v {
                Value::Absent => continue,
                Value::Str(s) => {
                    if seen_str.is_empty() {
                        seen_str.reserve(items.len());
                    }
                    match seen_str.get(&**s) {
                        Some(&first) => Some(first),
                        None => {
                            seen_str.insert(s, i);
                            None
                        }
                    }
                }
                v => match seen.get(&Key::of(v)) {
                    Some(&first) => Some(first),
                    None => {
                        seen.insert(Key::of(v), i);
                        None
                    }
                },
            };
            if let Some(first) = first {
                // The error is reported either way; a value that cannot be
                // shown says so in its place.
                let shown =
                    crate::value::show(v, &field.ty, ctx.schema).unwrap_or_else(|e| e.to_string());
                let mut first_path = path_of(at);
                first_path.push(Seg::Index(first));
                first_path.push(Seg::Key(field.name.clone()));
                let here = At {
                    step: Step::Index(i),
                    up: at,
                };
                ctx.problem_at(
                    Some(&here),
                    Some(Seg::Key(field.name.clone())),
                    Problem::Duplicate {
                        field: field.name.clone(),
                        value: shown,
                        first: first_path,
                    },
                );
            }
        }
    }
}

/// `365d` or `2w` as days.
pub fn parse_duration(s: &str) -> Option<i64> {
    let (digits, mult) = if let Some(d) = s.strip_suffix('d') {
        (d, 1)
    } else if let Some(w) = s.strip_suffix('w') {
        (w, 7)
    } else {
        return None;
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits
        .parse::<i64>()
        .ok()?
        .checked_mul(mult)
        .filter(|d| *d <= MAX_DURATION_DAYS)
}
