//! Declarations → [`Schema`]: enums, records, ladders and the facts' shape.

use rustc_hash::FxHashMap as HashMap;

use super::error::{CheckError, did_you_mean};
use crate::ast::{self, Decl, ExprKind, TypeExpr};
use crate::ids::{EnumId, LadderId, RecordId};
use crate::source::Span;
use crate::types::{EnumType, FieldType, Ladder, RecordType, Rung, Schema, Type};
use crate::value::Value;

/// Names of the built-in scalar types: kept in the table of words.
pub use crate::syntax::words::TYPES as BUILTIN_TYPES;

/// Builds the schema from every file's declarations; reports problems into `errors`.
pub fn build(files: &[ast::File], errors: &mut Vec<CheckError>) -> Schema {
    let mut names: HashMap<String, (Type, Span)> = HashMap::default();
    let mut enums = Vec::new();
    let mut record_decls = Vec::new();
    let mut ladders = Vec::new();
    let mut facts_decls = Vec::new();
    let mut ladder_index: HashMap<&str, usize> = HashMap::default();
    for decl in files.iter().flat_map(|f| &f.decls) {
        match decl {
            Decl::Enum(e) => {
                let ty = Type::Enum(EnumId::new(enums.len()));
                if declare_type(&mut names, &e.name, ty, errors) {
                    enums.push(enum_type(e, errors));
                }
            }
            Decl::Record(r) => {
                let ty = Type::Record(RecordId::new(record_decls.len()));
                if declare_type(&mut names, &r.name, ty, errors) {
                    record_decls.push(r);
                }
            }
            Decl::Ladder(l) => {
                if let Some(first) = ladder_index
                    .get(l.name.name.as_str())
                    .and_then(|&i| ladders.get(i))
                {
                    let first: &Ladder = first;
                    errors.push(CheckError::duplicate(
                        "ladder",
                        &l.name.span,
                        &l.name.name,
                        &first.span,
                    ));
                } else {
                    ladder_index.insert(&l.name.name, ladders.len());
                    ladders.push(ladder(l, errors));
                }
            }
            Decl::Facts(f) => facts_decls.push(f),
            _ => {}
        }
    }
    let ladder_names: Vec<String> = ladders.iter().map(|l| l.name.clone()).collect();
    let resolver = TypeResolver {
        names: &names,
        ladders: &ladder_names,
    };
    let mut schema = Schema {
        enums,
        records: Vec::new(),
        ladders,
        facts: RecordType {
            name: "facts".into(),
            fields: Vec::new(),
            span: dummy_span(files),
        },
    };
    let mut records = Vec::new();
    for r in &record_decls {
        let fields = fields(&r.fields, &resolver, &schema, errors);
        records.push(RecordType {
            name: r.name.name.clone(),
            fields,
            span: r.span.clone(),
        });
    }
    schema.records = records;
    let mut facts_fields: Vec<ast::FieldDecl> = Vec::new();
    for f in &facts_decls {
        facts_fields.extend(f.fields.iter().cloned());
    }
    if let Some(f) = facts_decls.first() {
        schema.facts.span = f.span.clone();
    } else {
        errors.push(CheckError::no_facts());
    }
    schema.facts.fields = fields(&facts_fields, &resolver, &schema, errors);
    schema
}

fn dummy_span(files: &[ast::File]) -> Span {
    let file = files
        .iter()
        .flat_map(|f| f.decls.first())
        .map(decl_span)
        .next()
        .map(|s| s.file.clone())
        .unwrap_or_else(|| crate::source::SourceFile::new("<empty>", ""));
    Span::new(&file, 0..0)
}

/// The span of a declaration.
pub fn decl_span(d: &Decl) -> &Span {
    match d {
        Decl::Enum(x) => &x.span,
        Decl::Record(x) => &x.span,
        Decl::Facts(x) => &x.span,
        Decl::Ladder(x) => &x.span,
        Decl::Let(x) => &x.span,
        Decl::Rules(x) => &x.span,
        Decl::Warn(x) => &x.span,
        Decl::Test(x) => &x.span,
    }
}

fn declare_type(
    names: &mut HashMap<String, (Type, Span)>,
    id: &ast::Ident,
    ty: Type,
    errors: &mut Vec<CheckError>,
) -> bool {
    if BUILTIN_TYPES.contains(&id.name.as_str()) {
        errors.push(CheckError::schema(
            &id.span,
            format!("`{}` is a built-in type and cannot be redeclared", id.name),
            "built-in type name",
            Some("choose another name".into()),
        ));
        return false;
    }
    if let Some((_, first)) = names.get(&id.name) {
        errors.push(CheckError::duplicate("type", &id.span, &id.name, first));
        return false;
    }
    names.insert(id.name.clone(), (ty, id.span.clone()));
    true
}

fn enum_type(e: &ast::EnumDecl, errors: &mut Vec<CheckError>) -> EnumType {
    let mut variants: Vec<String> = Vec::new();
    // Each name's first declaration (a map: an enum may be long).
    let mut firsts: HashMap<&str, &Span> = HashMap::default();
    for v in &e.variants {
        if let Some(first) = firsts.get(v.name.as_str()) {
            errors.push(CheckError::duplicate(
                "enum variant",
                &v.span,
                &v.name,
                first,
            ));
        } else {
            firsts.insert(&v.name, &v.span);
            variants.push(v.name.clone());
        }
    }
    EnumType {
        name: e.name.name.clone(),
        variants,
        span: e.span.clone(),
    }
}

fn ladder(l: &ast::LadderDecl, errors: &mut Vec<CheckError>) -> Ladder {
    let mut rungs: Vec<Rung> = Vec::new();
    // Each name's first declaration (a map: a ladder may be long).
    let mut firsts: HashMap<&str, &Span> = HashMap::default();
    for r in &l.rungs {
        if let Some(first) = firsts.get(r.name.name.as_str()) {
            errors.push(CheckError::duplicate(
                "rung",
                &r.name.span,
                &r.name.name,
                first,
            ));
        } else {
            firsts.insert(&r.name.name, &r.name.span);
            rungs.push(Rung {
                name: r.name.name.clone(),
                description: r.description.value.clone(),
                span: r.name.span.clone(),
            });
        }
    }
    if rungs.is_empty() {
        errors.push(CheckError::schema(
            &l.name.span,
            format!("ladder `{}` has no rungs", l.name.name),
            "empty ladder",
            Some("list its rungs lowest first, each with a description: `monitor \"Monitor the actor\"`".into()),
        ));
    }
    Ladder {
        name: l.name.name.clone(),
        title: l.title.as_ref().map(|t| t.value.clone()),
        rungs,
        span: l.span.clone(),
    }
}

struct TypeResolver<'a> {
    names: &'a HashMap<String, (Type, Span)>,
    ladders: &'a [String],
}

impl TypeResolver<'_> {
    fn resolve(&self, t: &TypeExpr, errors: &mut Vec<CheckError>) -> Type {
        match t {
            TypeExpr::Named(id) => match id.name.as_str() {
                "bool" => Type::Bool,
                "int" => Type::Int,
                "decimal" => Type::Decimal,
                "string" => Type::Str,
                "date" => Type::Date,
                "duration" => Type::Duration,
                name => match self.names.get(name) {
                    Some((ty, _)) => ty.clone(),
                    None => {
                        let candidates = BUILTIN_TYPES
                            .iter()
                            .copied()
                            .chain(self.names.keys().map(String::as_str));
                        let mut help = did_you_mean(name, candidates).or_else(|| {
                            type_alias(name).map(|t| format!("rung calls this type `{t}`"))
                        });
                        if help.is_none() && self.ladders.iter().any(|l| l == name) {
                            help = Some(format!(
                                "`{name}` is a ladder; its rungs have type `rung of {name}`"
                            ));
                        }
                        errors.push(CheckError::unknown_type(&id.span, name, help));
                        Type::Error
                    }
                },
            },
            TypeExpr::List(inner, _) => Type::List(Box::new(self.resolve(inner, errors))),
            TypeExpr::Optional(inner, span) => match self.resolve(inner, errors) {
                Type::Optional(t) => {
                    errors.push(CheckError::schema(
                        span,
                        "`optional optional` says the same thing twice",
                        "doubly optional",
                        Some("write `optional` once".into()),
                    ));
                    Type::Optional(t)
                }
                t => Type::Optional(Box::new(t)),
            },
            TypeExpr::Rung(id, _) => match self.ladders.iter().position(|l| *l == id.name) {
                Some(i) => Type::Rung(LadderId::new(i)),
                None => {
                    let help = did_you_mean(&id.name, self.ladders.iter().map(String::as_str));
                    errors.push(CheckError::unknown_ladder(&id.span, &id.name, help));
                    Type::Error
                }
            },
        }
    }
}

/// The rung name of a type another language names differently.
fn type_alias(name: &str) -> Option<&'static str> {
    Some(match name.to_lowercase().as_str() {
        "integer" | "i64" | "i32" | "long" | "number" => "int",
        "float" | "double" | "f64" | "real" | "numeric" => "decimal",
        "boolean" => "bool",
        "str" | "text" | "char" => "string",
        "datetime" | "timestamp" | "time" => "date",
        "interval" | "timedelta" | "period" => "duration",
        _ => return None,
    })
}

fn fields(
    decls: &[ast::FieldDecl],
    resolver: &TypeResolver<'_>,
    schema: &Schema,
    errors: &mut Vec<CheckError>,
) -> Vec<FieldType> {
    let mut out: Vec<FieldType> = Vec::new();
    // Each name's first declaration (a map: a record may be long).
    let mut firsts: HashMap<&str, &Span> = HashMap::default();
    for f in decls {
        if let Some(first) = firsts.get(f.name.name.as_str()) {
            errors.push(CheckError::duplicate(
                "field",
                &f.name.span,
                &f.name.name,
                first,
            ));
            continue;
        }
        firsts.insert(&f.name.name, &f.name.span);
        let ty = resolver.resolve(&f.ty, errors);
        let base = match &ty {
            Type::Optional(t) => t.as_ref(),
            t => t,
        };
        if let Some((lo, hi, span)) = &f.range {
            if !matches!(base, Type::Int | Type::Error) {
                errors.push(CheckError::schema(
                    span,
                    "a range constraint applies to `int` fields only",
                    "not an `int` field",
                    None,
                ));
            } else if let (Some(lo), Some(hi)) = (lo, hi)
                && lo > hi
            {
                errors.push(CheckError::schema(
                    span,
                    format!("empty range `{lo}..{hi}`"),
                    "lower bound is above upper bound",
                    Some(format!("write `{hi}..{lo}`")),
                ));
            }
        }
        if let Some(span) = &f.unique
            && matches!(base, Type::List(_) | Type::Record(_) | Type::Decimal)
        {
            errors.push(CheckError::schema(
                span,
                "`unique` applies to string, int, date and enum fields",
                "cannot be unique",
                None,
            ));
        }
        let default = f
            .default
            .as_ref()
            .and_then(|d| match const_value(d, &ty, schema) {
                Some(v) => Some(v),
                None => {
                    errors.push(CheckError::schema(
                        &d.span,
                        format!(
                            "default of `{}` must be a literal of type `{}`",
                            f.name.name,
                            schema.show(&ty)
                        ),
                        "not a literal of the field's type",
                        Some(
                            "write a literal such as `[]`, `0`, `false` or an enum variant".into(),
                        ),
                    ));
                    None
                }
            });
        out.push(FieldType {
            name: f.name.name.clone(),
            ty,
            range: f
                .range
                .as_ref()
                .map(|(lo, hi, _)| crate::types::IntRange { lo: *lo, hi: *hi }),
            unique: f.unique.is_some(),
            default,
            span: f.name.span.clone(),
        });
    }
    out
}

/// The value of a literal default, if it is one of type `ty`.
fn const_value(e: &ast::Expr, ty: &Type, schema: &Schema) -> Option<Value> {
    Some(match (&e.kind, ty) {
        (_, Type::Optional(inner)) => return const_value(e, inner, schema),
        (ExprKind::Paren(inner), _) => return const_value(inner, ty, schema),
        (ExprKind::Bool(b), Type::Bool) => Value::Bool(*b),
        (ExprKind::Int(i), Type::Int) => Value::Int(*i),
        (ExprKind::Int(i), Type::Decimal) => Value::Decimal((*i).into()),
        (ExprKind::Decimal(d), Type::Decimal) => Value::Decimal(*d),
        (ExprKind::Str(s), Type::Str) => Value::Str(s.as_str().into()),
        (ExprKind::Date(d), Type::Date) => Value::Date(*d),
        (ExprKind::Duration(d, _), Type::Duration) => Value::Duration(*d),
        (ExprKind::Neg(inner), Type::Int) => match &inner.kind {
            ExprKind::Int(i) => Value::Int(i.checked_neg()?),
            _ => return None,
        },
        (ExprKind::Name(n), Type::Enum(_) | Type::Rung(_)) => {
            Value::Enum(schema.variants(ty).iter().position(|v| v == n)? as u32)
        }
        (ExprKind::List(items), Type::List(inner)) => {
            let vals = items
                .iter()
                .map(|i| const_value(i, inner, schema))
                .collect::<Option<Vec<_>>>()?;
            Value::List(vals.into())
        }
        _ => return None,
    })
}
