//! Types and the schema of the facts, as the checker resolved them.

use std::fmt;

use crate::ids::{EnumId, LadderId, RecordId};
use crate::internal::Internal;
use crate::source::Span;
use crate::value::Value;

/// The type of a value or expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Type {
    /// `bool`
    Bool,
    /// `int`
    Int,
    /// `decimal`
    Decimal,
    /// `string`
    Str,
    /// `date`
    Date,
    /// `duration`
    Duration,
    /// A declared enum, by index.
    Enum(EnumId),
    /// `rung of L`: a rung of ladder L, ordered like the ladder.
    Rung(LadderId),
    /// A declared record, by index.
    Record(RecordId),
    /// `list of T`
    List(Box<Type>),
    /// `optional T`
    Optional(Box<Type>),
    /// The type of `[]` before it meets a list type.
    EmptyList,
    /// An expression that already failed to check; absorbs further errors.
    Error,
}

impl Type {
    /// Whether values of this type are ordered (`<`, `min`, `max`).
    pub fn is_ordered(&self) -> bool {
        matches!(
            self,
            Type::Int
                | Type::Decimal
                | Type::Str
                | Type::Date
                | Type::Duration
                | Type::Enum(_)
                | Type::Rung(_)
        )
    }

    /// Whether values of this type can be added up.
    pub fn is_summable(&self) -> bool {
        matches!(self, Type::Int | Type::Decimal | Type::Duration)
    }

    /// The element type, for lists.
    pub fn element(&self) -> Option<&Type> {
        if let Type::List(t) = self {
            Some(t)
        } else {
            None
        }
    }
}

/// An ordered enumeration.
#[derive(Debug, Clone)]
pub struct EnumType {
    /// Name.
    pub name: String,
    /// Variants, lowest first.
    pub variants: Vec<String>,
    /// Declaration.
    pub span: Span,
}

/// A record type.
#[derive(Debug, Clone)]
pub struct RecordType {
    /// Name (`facts` for the facts document).
    pub name: String,
    /// Fields in declaration order.
    pub fields: Vec<FieldType>,
    /// Declaration.
    pub span: Span,
}

impl RecordType {
    /// Index of a field by name.
    pub fn field(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }
}

/// `in LO..HI`, `in LO..` or `in ..HI`: an inclusive integer range whose
/// bounds may be open, so an author never writes (and a report never shows)
/// `9223372036854775807` for "no upper bound".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntRange {
    /// Lowest allowed (`None`: no lower bound).
    pub lo: Option<i64>,
    /// Highest allowed (`None`: no upper bound).
    pub hi: Option<i64>,
}

impl IntRange {
    /// Whether `n` is allowed.
    pub fn contains(self, n: i64) -> bool {
        self.lo.is_none_or(|lo| n >= lo) && self.hi.is_none_or(|hi| n <= hi)
    }

    /// How to fix a value outside it: "use a value from 1 to 5".
    pub fn help(self) -> String {
        match (self.lo, self.hi) {
            (Some(lo), Some(hi)) => format!("use a value from {lo} to {hi}"),
            (Some(lo), None) => format!("use a value of at least {lo}"),
            (None, Some(hi)) => format!("use a value of at most {hi}"),
            (None, None) => "use any whole number".to_string(),
        }
    }
}

impl fmt::Display for IntRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(lo) = self.lo {
            write!(f, "{lo}")?;
        }
        f.write_str("..")?;
        if let Some(hi) = self.hi {
            write!(f, "{hi}")?;
        }
        Ok(())
    }
}

/// A field of a record or of the facts.
#[derive(Debug, Clone)]
pub struct FieldType {
    /// Name.
    pub name: String,
    /// Type.
    pub ty: Type,
    /// Inclusive integer range, either bound open.
    pub range: Option<IntRange>,
    /// Unique across any list of the record.
    pub unique: bool,
    /// Value when absent from the facts.
    pub default: Option<Value>,
    /// Declaration.
    pub span: Span,
}

/// A ladder of response options.
#[derive(Debug, Clone)]
pub struct Ladder {
    /// Name.
    pub name: String,
    /// Title, if given.
    pub title: Option<String>,
    /// Rungs, lowest first.
    pub rungs: Vec<Rung>,
    /// Declaration.
    pub span: Span,
}

/// One response option.
#[derive(Debug, Clone)]
pub struct Rung {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Declaration.
    pub span: Span,
}

/// Every named type of a policy and the shape of its facts.
#[derive(Debug, Clone)]
pub struct Schema {
    /// Enums by index.
    pub enums: Vec<EnumType>,
    /// Records by index.
    pub records: Vec<RecordType>,
    /// Ladders by index, in declaration order.
    pub ladders: Vec<Ladder>,
    /// The facts document's fields.
    pub facts: RecordType,
}

impl Schema {
    /// A record type.
    pub fn record(&self, id: RecordId) -> Result<&RecordType, Internal> {
        self.records
            .get(id.index())
            .ok_or(Internal::new("a record id has no record"))
    }

    /// An enum type.
    pub fn enum_type(&self, id: EnumId) -> Result<&EnumType, Internal> {
        self.enums
            .get(id.index())
            .ok_or(Internal::new("an enum id has no enum"))
    }

    /// The `unique` field of an item of a list of records, and its value:
    /// how warnings and replays name an item (`id "ALB-5"`). `None` when the
    /// items are not records or their record has no unique field.
    pub fn unique_key<'v>(
        &self,
        list_ty: &Type,
        item: &'v Value,
    ) -> Result<Option<(&FieldType, &'v Value)>, Internal> {
        let (Some(Type::Record(r)), Value::Record(fields)) = (list_ty.element(), item) else {
            return Ok(None);
        };
        let rec = self.record(*r)?;
        let Some((i, f)) = rec.fields.iter().enumerate().find(|(_, f)| f.unique) else {
            return Ok(None);
        };
        let v = fields
            .get(i)
            .ok_or(Internal::new("a record value lacks a declared field"))?;
        Ok(Some((f, v)))
    }

    /// A ladder.
    pub fn ladder(&self, id: LadderId) -> Result<&Ladder, Internal> {
        self.ladders
            .get(id.index())
            .ok_or(Internal::new("a ladder id has no ladder"))
    }

    /// Name of variant `i` of an enum or rung type: a value the checker or
    /// the facts loader made, so a miss is a bug, never a `?` in a decision.
    pub fn variant_name(&self, ty: &Type, i: u32) -> Result<&str, Internal> {
        let missing = Internal::new("an enum value is not a variant of its type");
        match ty {
            Type::Enum(e) => self
                .enum_type(*e)?
                .variants
                .get(i as usize)
                .map(String::as_str)
                .ok_or(missing),
            Type::Rung(l) => self
                .ladder(*l)?
                .rungs
                .get(i as usize)
                .map(|r| r.name.as_str())
                .ok_or(missing),
            Type::Optional(t) => self.variant_name(t, i),
            _ => Err(Internal::new(
                "an enum value has a type that is not an enum",
            )),
        }
    }

    /// Variant names of an enum or rung type (none for other types).
    pub fn variants(&self, ty: &Type) -> Vec<&str> {
        match ty {
            Type::Enum(e) => self
                .enums
                .get(e.index())
                .map(|e| e.variants.iter().map(String::as_str).collect())
                .unwrap_or_default(),
            Type::Rung(l) => self
                .ladders
                .get(l.index())
                .map(|l| l.rungs.iter().map(|r| r.name.as_str()).collect())
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// A type written for humans.
    pub fn show(&self, ty: &Type) -> String {
        TypeName { ty, schema: self }.to_string()
    }
}

struct TypeName<'a> {
    ty: &'a Type,
    schema: &'a Schema,
}

impl fmt::Display for TypeName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.schema;
        match self.ty {
            Type::Bool => write!(f, "bool"),
            Type::Int => write!(f, "int"),
            Type::Decimal => write!(f, "decimal"),
            Type::Str => write!(f, "string"),
            Type::Date => write!(f, "date"),
            Type::Duration => write!(f, "duration"),
            Type::Enum(e) => write!(
                f,
                "{}",
                s.enums.get(e.index()).map_or("?", |e| e.name.as_str())
            ),
            Type::Rung(l) => write!(
                f,
                "rung of {}",
                s.ladders.get(l.index()).map_or("?", |l| l.name.as_str())
            ),
            Type::Record(r) => write!(
                f,
                "{}",
                s.records.get(r.index()).map_or("?", |r| r.name.as_str())
            ),
            Type::List(t) => write!(f, "list of {}", TypeName { ty: t, schema: s }),
            Type::Optional(t) => write!(f, "optional {}", TypeName { ty: t, schema: s }),
            Type::EmptyList => write!(f, "empty list"),
            Type::Error => write!(f, "unknown"),
        }
    }
}
