//! A grammar- and type-aware generator of policies, driven by the fuzzer's
//! bytes (`arbitrary::Unstructured`): every choice (which declaration, which
//! expression form, which field) is read from the input, so libFuzzer's
//! mutations move through the space of *well-typed* policies and reach the
//! checker's later passes and the evaluator, not only the parser's errors.
//!
//! The schema is the reference doctrine's own (`policies/nato/schema.rung`,
//! included as text), so that facts shaped like the NATO examples load
//! against every generated policy. On top of it come a second ladder,
//! global `let`s, `rules` blocks and `warn`s. Expressions are generated for a
//! requested type in a scope (globals, the subject and group of a rules
//! block, the fields of the item inside `where` and quantifiers).
//!
//! A policy is "sloppy" when the input says so: then some choices ignore the
//! requested type or misspell a name, so the checker's error paths are
//! reached from well-formed text too.

use arbitrary::{Result, Unstructured};

/// The NATO schema, verbatim.
pub const SCHEMA: &str = include_str!("../../policies/nato/schema.rung");

/// The rungs of the `response` ladder (the schema's `rung of response`
/// needs it; prior responses in the facts name these rungs).
pub const RESPONSE_RUNGS: &[&str] = &[
    "monitor",
    "private_demarche",
    "public_attribution",
    "sanctions",
    "collective_response",
    "article_4_consultation",
    "article_5_consideration",
];

const ASSIST_RUNGS: &[&str] = &["share", "advise", "deploy", "fund", "x"];

const STRINGS: &[&str] = &[
    "IR", "RU", "AL", "EE", "LV", "LT", "CN", "KP", "", "unknown", "é\"\\", "US",
];

/// The types expressions are generated at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// `bool`
    Bool,
    /// `int`
    Int,
    /// `decimal`
    Dec,
    /// `string`
    Str,
    /// `date`
    Date,
    /// `duration`
    Dur,
    /// `Attribution`
    Attr,
    /// `Effect`
    Effect,
    /// `rung of response`
    Rung,
    /// `optional string`
    OptStr,
    /// `optional int` (`min`/`max` of ints)
    OptInt,
    /// `optional date`
    OptDate,
    /// `list of Incident`
    Incidents,
    /// `list of PriorResponse`
    Priors,
    /// `list of int`
    Ints,
    /// `list of string`
    Strs,
    /// `list of date`
    Dates,
}

const ALL_TYS: &[Ty] = &[
    Ty::Bool,
    Ty::Int,
    Ty::Dec,
    Ty::Str,
    Ty::Date,
    Ty::Dur,
    Ty::Attr,
    Ty::Effect,
    Ty::Rung,
    Ty::OptStr,
    Ty::OptInt,
    Ty::OptDate,
    Ty::Incidents,
    Ty::Priors,
    Ty::Ints,
    Ty::Strs,
    Ty::Dates,
];

/// The item whose fields are in scope by name (inside `where`, `has`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Incident,
    Prior,
}

fn fields(item: Item) -> &'static [(&'static str, Ty)] {
    match item {
        Item::Incident => &[
            ("id", Ty::Str),
            ("date", Ty::Date),
            ("victim", Ty::Str),
            ("victim_is_ally", Ty::Bool),
            ("actor", Ty::Str),
            ("state_sponsor", Ty::OptStr),
            ("attribution", Ty::Attr),
            ("effect", Ty::Effect),
            ("severity", Ty::Int),
            ("critical_infrastructure", Ty::Bool),
            ("casualties", Ty::Bool),
            ("assistance_requested", Ty::Bool),
            ("disclosure_restricted", Ty::Bool),
        ],
        Item::Prior => &[("sponsor", Ty::Str), ("rung", Ty::Rung), ("date", Ty::Date)],
    }
}

fn list_of(item: Item) -> Ty {
    match item {
        Item::Incident => Ty::Incidents,
        Item::Prior => Ty::Priors,
    }
}

/// The list type of a field's values (`acts.severity`), if there is one.
fn lifted(t: Ty) -> Option<Ty> {
    match t {
        Ty::Int => Some(Ty::Ints),
        Ty::Str => Some(Ty::Strs),
        Ty::Date => Some(Ty::Dates),
        _ => None,
    }
}

/// What is in scope where an expression is generated.
#[derive(Debug, Clone, Default)]
struct Scope {
    /// Named values: lets, the subject, the group.
    names: Vec<(String, Ty)>,
    /// The innermost item, if any.
    item: Option<Item>,
}

/// The generator's state for one policy.
pub struct Gen<'u, 'a> {
    u: &'u mut Unstructured<'a>,
    sloppy: bool,
    /// Global lets so far.
    globals: Vec<(String, Ty)>,
    out: String,
    fresh: usize,
    /// Rungs of the second ladder, `assistance`.
    assist: Vec<&'static str>,
}

/// A generated policy, as text.
#[derive(Debug, Clone)]
pub struct GeneratedPolicy {
    /// The policy's text.
    pub text: String,
    /// Whether the generator was told to make mistakes on purpose.
    pub sloppy: bool,
}

impl<'a> arbitrary::Arbitrary<'a> for GeneratedPolicy {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let sloppy = u.ratio(1, 8)?;
        let mut g = Gen {
            u,
            sloppy,
            globals: Vec::new(),
            out: String::new(),
            fresh: 0,
            assist: Vec::new(),
        };
        g.policy()?;
        Ok(GeneratedPolicy {
            text: g.out,
            sloppy,
        })
    }
}

const MAX_DEPTH: u32 = 4;

impl Gen<'_, '_> {
    fn policy(&mut self) -> Result<()> {
        self.out.push_str(SCHEMA);
        self.out.push_str("\nladder response {\n");
        for r in RESPONSE_RUNGS {
            self.out.push_str(&format!("  {r} \"{r}\"\n"));
        }
        self.out.push_str("}\n");
        if self.u.ratio(3, 4)? {
            self.out
                .push_str("let window = incidents where date > now - 365d and date <= now\n");
            self.globals.push(("window".into(), Ty::Incidents));
        }
        if self.u.arbitrary()? {
            let n = self.u.int_in_range(1..=ASSIST_RUNGS.len())?;
            self.assist = ASSIST_RUNGS.iter().take(n).copied().collect();
            self.out.push_str("ladder assistance \"Help\" {\n");
            for r in &self.assist {
                self.out.push_str(&format!("  {r} \"{r}\"\n"));
            }
            self.out.push_str("}\n");
        }
        let decls = self.u.int_in_range(0..=8)?;
        let mut rules = false;
        for _ in 0..decls {
            if self.u.is_empty() {
                break;
            }
            match self.u.int_in_range(0..=9)? {
                0..=3 => self.global_let()?,
                4..=8 => {
                    self.rules()?;
                    rules = true;
                }
                _ => self.warn()?,
            }
        }
        // A policy without rules decides nothing: the evaluator would
        // barely run.
        if !rules {
            self.rules()?;
        }
        Ok(())
    }

    fn name(&mut self, prefix: &str) -> String {
        self.fresh += 1;
        format!("{prefix}{}", self.fresh)
    }

    /// Any type a `let` can have everywhere (an optional string comes only
    /// from an incident's `state_sponsor`).
    fn any_ty(&mut self) -> Result<Ty> {
        let t = *self.u.choose(ALL_TYS)?;
        Ok(if t == Ty::OptStr { Ty::Str } else { t })
    }

    fn global_let(&mut self) -> Result<()> {
        let ty = self.any_ty()?;
        let scope = Scope {
            names: self.globals.clone(),
            item: None,
        };
        let e = self.expr(ty, &scope, MAX_DEPTH)?;
        let name = self.name("g");
        self.out.push_str(&format!("let {name} = {e}\n"));
        self.globals.push((name, ty));
        Ok(())
    }

    fn warn(&mut self) -> Result<()> {
        let scope = Scope {
            names: self.globals.clone(),
            item: None,
        };
        let ty = if self.u.arbitrary()? {
            Ty::Incidents
        } else {
            Ty::Priors
        };
        let e = self.expr(ty, &scope, MAX_DEPTH)?;
        self.out.push_str(&format!("warn {e} because \"w\"\n"));
        Ok(())
    }

    fn rules(&mut self) -> Result<()> {
        let assist = !self.assist.is_empty() && self.u.ratio(1, 3)?;
        let ladder = if assist { "assistance" } else { "response" };
        let item = if self.u.ratio(4, 5)? {
            Item::Incident
        } else {
            Item::Prior
        };
        let mut scope = Scope {
            names: self.globals.clone(),
            item: None,
        };
        let list = self.expr(list_of(item), &scope, MAX_DEPTH - 1)?;
        // The key: any field of the item (or an expression over it).
        // The key: a field of the items (absent keys belong to no group).
        let (key, key_ty) = *self.u.choose(fields(item))?;
        let key = self.maybe_misspell(key)?;
        let subject = self.name("s");
        let group = self.name("acts");
        self.out.push_str(&format!(
            "rules {ladder} for each {subject}, {group} in {list} grouped by {key} {{\n"
        ));
        let subject_ty = match key_ty {
            Ty::OptStr => Ty::Str,
            Ty::OptInt => Ty::Int,
            Ty::OptDate => Ty::Date,
            t => t,
        };
        scope.names.push((subject, subject_ty));
        scope.names.push((group, list_of(item)));
        let items = self.u.int_in_range(0..=6)?;
        for _ in 0..items {
            if self.u.is_empty() {
                break;
            }
            if self.u.ratio(1, 4)? {
                let ty = self.any_ty()?;
                let e = self.expr(ty, &scope, MAX_DEPTH)?;
                let name = self.name("l");
                self.out.push_str(&format!("  let {name} = {e}\n"));
                scope.names.push((name, ty));
                continue;
            }
            let rungs: Vec<&str> = if assist {
                self.assist.clone()
            } else {
                RESPONSE_RUNGS.to_vec()
            };
            let mut line = String::from("  ");
            if self.u.arbitrary()? {
                let label = self.name("r");
                line.push_str(&format!("{label}: "));
            }
            line.push_str(if self.u.ratio(3, 4)? {
                "recommend "
            } else {
                "forbid "
            });
            let at = self.u.choose_index(rungs.len())?;
            let r = rungs.get(at).copied().unwrap_or("monitor");
            line.push_str(&self.maybe_misspell(r)?);
            match self.u.int_in_range(0..=5)? {
                0 => line.push_str(" and above"),
                1 => line.push_str(" and below"),
                2 => {
                    // Lowest first, as the checker asks (upside down when sloppy).
                    let above = rungs.get(at..).unwrap_or_default();
                    let r2 = if self.sloppy {
                        *self.u.choose(&rungs)?
                    } else {
                        *self.u.choose(above)?
                    };
                    line.push_str(&format!(" to {r2}"));
                }
                _ => {}
            }
            if self.u.ratio(4, 5)? {
                let c = self.expr(Ty::Bool, &scope, MAX_DEPTH)?;
                line.push_str(&format!("\n    when {c}"));
            }
            line.push_str("\n    because \"b\"");
            if self.u.ratio(1, 4)? {
                line.push_str(" cites \"c\"");
            }
            line.push('\n');
            self.out.push_str(&line);
        }
        self.out.push_str("}\n");
        Ok(())
    }

    fn maybe_misspell(&mut self, name: &str) -> Result<String> {
        if self.sloppy && self.u.ratio(1, 6)? {
            let mut s = name.to_string();
            s.push('x');
            return Ok(s);
        }
        Ok(name.to_string())
    }

    /// The requested type, or (when sloppy, sometimes) another one.
    fn ty_or_wrong(&mut self, ty: Ty) -> Result<Ty> {
        if self.sloppy && self.u.ratio(1, 10)? {
            return self.any_ty();
        }
        Ok(ty)
    }

    /// An expression of type `ty` in `scope`, at most `depth` levels deep.
    fn expr(&mut self, ty: Ty, scope: &Scope, depth: u32) -> Result<String> {
        let ty = self.ty_or_wrong(ty)?;
        // Leaves: names of the type and literals.
        let mut leaves: Vec<String> = scope
            .names
            .iter()
            .filter(|(_, t)| *t == ty)
            .map(|(n, _)| n.clone())
            .collect();
        if let Some(item) = scope.item {
            for (f, t) in fields(item) {
                if *t == ty {
                    leaves.push((*f).to_string());
                }
            }
        }
        let leaf = depth == 0 || self.u.is_empty() || self.u.ratio(1, 3)?;
        if leaf {
            if !leaves.is_empty() && self.u.ratio(2, 3)? {
                let n = self.u.choose(&leaves)?.clone();
                return self.maybe_misspell(&n);
            }
            return self.literal(ty, scope);
        }
        let d = depth - 1;
        let s = match ty {
            Ty::Bool => self.bool_expr(scope, d)?,
            Ty::Int => match self.u.int_in_range(0..=8)? {
                0 => {
                    let l = self.any_list(scope, d)?;
                    format!("count({l})")
                }
                1 => format!("sum({})", self.expr(Ty::Ints, scope, d)?),
                2 => format!("days({})", self.expr(Ty::Dur, scope, d)?),
                3 => format!("-{}", self.expr(Ty::Int, scope, d)?),
                4 => format!(
                    "({} otherwise {})",
                    self.expr(Ty::OptInt, scope, d)?,
                    self.expr(Ty::Int, scope, d)?
                ),
                5 => format!("count(distinct({}))", self.expr(Ty::Strs, scope, d)?),
                _ => {
                    let op = *self.u.choose(&["+", "-", "*", "/"])?;
                    format!(
                        "({} {op} {})",
                        self.expr(Ty::Int, scope, d)?,
                        self.expr(Ty::Int, scope, d)?
                    )
                }
            },
            Ty::Dec => {
                let op = *self.u.choose(&["+", "-", "*", "/"])?;
                let b = if self.u.ratio(1, 4)? {
                    Ty::Int
                } else {
                    Ty::Dec
                };
                format!(
                    "({} {op} {})",
                    self.expr(Ty::Dec, scope, d)?,
                    self.expr(b, scope, d)?
                )
            }
            Ty::Str if scope.item == Some(Item::Incident) => format!(
                "({} otherwise {})",
                self.expr(Ty::OptStr, scope, d)?,
                self.expr(Ty::Str, scope, d)?
            ),
            Ty::Str => self.literal(ty, scope)?,
            Ty::Date => match self.u.int_in_range(0..=2)? {
                0 => format!(
                    "({} - {})",
                    self.expr(Ty::Date, scope, d)?,
                    self.expr(Ty::Dur, scope, d)?
                ),
                1 => format!(
                    "({} + {})",
                    self.expr(Ty::Date, scope, d)?,
                    self.expr(Ty::Dur, scope, d)?
                ),
                _ => format!(
                    "({} otherwise {})",
                    self.expr(Ty::OptDate, scope, d)?,
                    self.expr(Ty::Date, scope, d)?
                ),
            },
            Ty::Dur => match self.u.int_in_range(0..=1)? {
                0 => format!(
                    "({} - {})",
                    self.expr(Ty::Date, scope, d)?,
                    self.expr(Ty::Date, scope, d)?
                ),
                _ => format!(
                    "({} + {})",
                    self.expr(Ty::Dur, scope, d)?,
                    self.expr(Ty::Dur, scope, d)?
                ),
            },
            Ty::OptInt => {
                let f = *self.u.choose(&["min", "max"])?;
                format!("{f}({})", self.expr(Ty::Ints, scope, d)?)
            }
            Ty::OptDate => {
                let f = *self.u.choose(&["min", "max"])?;
                format!("{f}({})", self.expr(Ty::Dates, scope, d)?)
            }
            Ty::Incidents | Ty::Priors => {
                let item = if ty == Ty::Incidents {
                    Item::Incident
                } else {
                    Item::Prior
                };
                let list = self.expr(ty, scope, d)?;
                let inner = Scope {
                    names: scope.names.clone(),
                    item: Some(item),
                };
                let cond = self.expr(Ty::Bool, &inner, d)?;
                format!("({list} where {cond})")
            }
            Ty::Ints | Ty::Strs | Ty::Dates => {
                if ty == Ty::Strs && self.u.ratio(1, 4)? {
                    format!("distinct({})", self.expr(Ty::Strs, scope, d)?)
                } else {
                    // A field of every item of a list.
                    let item = if self.u.ratio(3, 4)? {
                        Item::Incident
                    } else {
                        Item::Prior
                    };
                    let candidates: Vec<&str> = fields(item)
                        .iter()
                        .filter(|(_, t)| lifted(*t) == Some(ty))
                        .map(|(f, _)| *f)
                        .collect();
                    match self.u.choose(&candidates) {
                        Ok(f) => {
                            let f = *f;
                            let l = self.expr(list_of(item), scope, d)?;
                            format!("({l}).{f}")
                        }
                        Err(_) => self.literal(ty, scope)?,
                    }
                }
            }
            Ty::Attr | Ty::Effect | Ty::Rung | Ty::OptStr => self.literal(ty, scope)?,
        };
        Ok(s)
    }

    fn any_list(&mut self, scope: &Scope, d: u32) -> Result<String> {
        let t = *self
            .u
            .choose(&[Ty::Incidents, Ty::Priors, Ty::Ints, Ty::Strs, Ty::Dates])?;
        self.expr(t, scope, d)
    }

    fn bool_expr(&mut self, scope: &Scope, d: u32) -> Result<String> {
        Ok(match self.u.int_in_range(0..=9)? {
            0 => {
                let op = *self.u.choose(&["and", "or"])?;
                format!(
                    "({} {op} {})",
                    self.expr(Ty::Bool, scope, d)?,
                    self.expr(Ty::Bool, scope, d)?
                )
            }
            1 => format!("not {}", self.expr(Ty::Bool, scope, d)?),
            2 | 3 => {
                let (list, item) = if self.u.ratio(3, 4)? {
                    (Ty::Incidents, Item::Incident)
                } else {
                    (Ty::Priors, Item::Prior)
                };
                let q = *self.u.choose(&["any", "all", "no"])?;
                let verb = if q == "all" { "have" } else { "has" };
                let l = self.expr(list, scope, d)?;
                let inner = Scope {
                    names: scope.names.clone(),
                    item: Some(item),
                };
                let body = self.expr(Ty::Bool, &inner, d)?;
                format!("({q} ({l}) {verb} ({body}))")
            }
            4 => {
                let t = if scope.item == Some(Item::Incident) {
                    *self.u.choose(&[Ty::OptStr, Ty::OptInt, Ty::OptDate])?
                } else {
                    *self.u.choose(&[Ty::OptInt, Ty::OptDate])?
                };
                let w = *self.u.choose(&["present", "absent"])?;
                format!("({} is {w})", self.expr(t, scope, d)?)
            }
            5 => {
                let (t, lt) = *self.u.choose(&[
                    (Ty::Str, Ty::Strs),
                    (Ty::Int, Ty::Ints),
                    (Ty::Date, Ty::Dates),
                ])?;
                let not = if self.u.arbitrary()? { " not" } else { "" };
                format!(
                    "({}{not} in {})",
                    self.expr(t, scope, d)?,
                    self.expr(lt, scope, d)?
                )
            }
            _ => {
                let t = *self.u.choose(&[
                    Ty::Int,
                    Ty::Dec,
                    Ty::Str,
                    Ty::Date,
                    Ty::Dur,
                    Ty::Attr,
                    Ty::Effect,
                    Ty::Rung,
                    Ty::Bool,
                ])?;
                let op = if matches!(t, Ty::Str | Ty::Bool) {
                    *self.u.choose(&["==", "!="])?
                } else {
                    *self.u.choose(&["==", "!=", "<", "<=", ">", ">="])?
                };
                format!(
                    "({} {op} {})",
                    self.expr(t, scope, d)?,
                    self.expr(t, scope, d)?
                )
            }
        })
    }

    fn literal(&mut self, ty: Ty, scope: &Scope) -> Result<String> {
        Ok(match ty {
            Ty::Bool => self.u.choose(&["true", "false"])?.to_string(),
            Ty::Int => {
                let v: i64 = match self.u.int_in_range(0..=3)? {
                    0 => self
                        .u
                        .arbitrary::<i64>()?
                        .unsigned_abs()
                        .min(i64::MAX as u64) as i64,
                    _ => i64::from(self.u.int_in_range(0..=10u8)?),
                };
                v.to_string()
            }
            Ty::Dec => {
                if self.u.ratio(1, 8)? {
                    // At the edges of `decimal`: 28 digits, or 28 decimals.
                    let digits = "9".repeat(self.u.int_in_range(1..=28)?);
                    return Ok(if self.u.arbitrary()? {
                        format!("{digits}.0")
                    } else {
                        format!("0.{digits}")
                    });
                }
                let a = self.u.int_in_range(0..=1000u32)?;
                let b = self.u.int_in_range(0..=999u32)?;
                format!("{a}.{b}")
            }
            Ty::Str => format!("{:?}", self.u.choose(STRINGS)?),
            Ty::Date => {
                if scope.names.iter().any(|(n, _)| n == "now") || self.u.ratio(1, 2)? {
                    "now".to_string()
                } else {
                    let y = self.u.int_in_range(1..=9999u32)?;
                    let m = self.u.int_in_range(1..=12u32)?;
                    let d = self.u.int_in_range(1..=28u32)?;
                    format!("{y:04}-{m:02}-{d:02}")
                }
            }
            Ty::Dur => {
                let n = if self.u.ratio(1, 8)? {
                    if self.u.ratio(1, 16)? {
                        self.u.arbitrary::<u64>()?
                    } else {
                        u64::from(self.u.int_in_range(0..=10_000_000u32)?)
                    }
                } else {
                    u64::from(self.u.int_in_range(0..=4000u32)?)
                };
                let unit = *self.u.choose(&["d", "w"])?;
                format!("{n}{unit}")
            }
            Ty::Attr => self
                .u
                .choose(&["none", "low", "moderate", "high"])?
                .to_string(),
            Ty::Effect => self
                .u
                .choose(&["espionage", "influence", "disruption", "destruction"])?
                .to_string(),
            Ty::Rung => self.u.choose(RESPONSE_RUNGS)?.to_string(),
            Ty::OptStr => {
                let names = ["state_sponsor"];
                if scope.item == Some(Item::Incident) {
                    names[0].to_string()
                } else {
                    // `max` of a list of strings is not a thing; an
                    // optional string outside an incident comes from
                    // `otherwise`'s other side: use a plain string.
                    format!("{:?}", self.u.choose(STRINGS)?)
                }
            }
            Ty::OptInt => format!("max({})", self.literal(Ty::Ints, scope)?),
            Ty::OptDate => "max(incidents.date)".to_string(),
            Ty::Incidents => {
                let mut opts = vec!["incidents".to_string()];
                opts.extend(
                    scope
                        .names
                        .iter()
                        .filter(|(_, t)| *t == Ty::Incidents)
                        .map(|(n, _)| n.clone()),
                );
                self.u.choose(&opts)?.clone()
            }
            Ty::Priors => "prior_responses".to_string(),
            Ty::Ints => {
                let n = self.u.int_in_range(0..=3)?;
                let mut v = Vec::new();
                for _ in 0..n {
                    v.push(self.literal(Ty::Int, scope)?);
                }
                if n == 0 && self.u.arbitrary()? {
                    "incidents.severity".to_string()
                } else {
                    format!("[{}]", v.join(", "))
                }
            }
            Ty::Strs => {
                if self.u.arbitrary()? {
                    "incidents.victim".to_string()
                } else {
                    let n = self.u.int_in_range(1..=3)?;
                    let mut v = Vec::new();
                    for _ in 0..n {
                        v.push(format!("{:?}", self.u.choose(STRINGS)?));
                    }
                    format!("[{}]", v.join(", "))
                }
            }
            Ty::Dates => "incidents.date".to_string(),
        })
    }
}
