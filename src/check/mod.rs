//! Checking: AST → [`Program`].
//!
//! Resolves every name, type-checks every expression against the schema,
//! orders definitions so each comes after what it uses (rejecting cycles), and
//! reports every error of a run at once. An expression that fails to check gets
//! the type [`Type::Error`], which absorbs further complaints, so one mistake
//! gives one error.

mod error;
mod expr;
mod hoist;
mod lint;
mod schema;
pub mod suggest;
pub mod test_decls;
mod warning;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

pub use error::CheckError;
use error::did_you_mean;
pub use expr::FUNCTIONS;
pub use warning::CheckWarning;

use crate::ast::{self, Decl, Effect, RungSpec};
use crate::diagnostic::Diag;
use crate::program::{self, Block, LadderId, LetDef, Program, RuleDef, RungId, Warn};
use crate::source::{SourceFile, Span};
use crate::types::{Schema, Type};

/// What the checker concluded: a program when there were no errors, and every
/// error and warning either way.
///
/// Errors and warnings are apart and of different types, so whether the
/// policy checks depends on `errors` alone: a warning cannot stop it.
#[derive(Debug)]
pub struct Checked {
    /// The program, when no error was found.
    pub program: Option<Program>,
    /// Errors, in the order found; the program is `None` when there are any.
    pub errors: Vec<CheckError>,
    /// Warnings, in the order found.
    pub warnings: Vec<CheckWarning>,
}

impl Checked {
    /// Every diagnostic, errors first, as `rung check` shows a policy that
    /// does not check.
    pub fn into_diags(self) -> Vec<Diag> {
        self.errors
            .into_iter()
            .map(Diag::from)
            .chain(self.warnings.into_iter().map(Diag::from))
            .collect()
    }
}

/// Checks parsed files as one policy.
pub fn check(files: Vec<(Arc<SourceFile>, ast::File)>) -> Checked {
    let (sources, asts): (Vec<_>, Vec<_>) = files.into_iter().unzip();
    let mut errors = Vec::new();
    let schema = schema::build(&asts, &mut errors);
    let mut checker = Checker::new(&schema, &asts);
    // Schema errors first, then those found while reading the definitions.
    errors.append(&mut checker.errors);
    checker.errors = errors;
    let lets = checker.global_lets();
    let blocks = checker.blocks();
    let warns = checker.warns();
    let mut errors = std::mem::take(&mut checker.errors);
    let mut warnings = std::mem::take(&mut checker.warnings);
    let unused = checker.unused_lets();
    warnings.extend(unused);
    let tests = asts
        .iter()
        .zip(&sources)
        .flat_map(|(f, src)| {
            f.decls.iter().filter_map(move |d| match d {
                Decl::Test(t) => Some((t.clone(), Arc::clone(src))),
                _ => None,
            })
        })
        .collect::<Vec<_>>();
    test_decls::check(&schema, &blocks, &tests, &mut errors);
    let has_errors = !errors.is_empty();
    let mut program = Program {
        hoisted: 0,
        schema,
        lets,
        blocks,
        warns,
        tests,
        files: sources,
        ast: asts,
        compiled: Default::default(),
    };
    // With errors, rules have been dropped and conditions replaced: lints
    // over the program would only echo the errors.
    if !has_errors {
        warnings.extend(lint::lint(&program));
        hoist::hoist(&mut program);
    }
    Checked {
        program: (!has_errors).then_some(program),
        errors: error::merge_repeats(errors),
        warnings,
    }
}

/// The first local slot free for `where` and quantifier items (the checker
/// counts slots as numbers; the program holds them as [`program::SlotId`]).
const FIRST_FREE: u32 = program::local::FIRST_FREE.index() as u32;

/// How far a definition has got.
#[derive(Clone)]
enum DefState {
    Pending,
    InProgress,
    Done { index: u32, ty: Type },
}

/// A set of `let`s in one scope (global or one rules block).
struct Defs<'a> {
    decls: Vec<&'a ast::LetDecl>,
    index: HashMap<&'a str, usize>,
    state: Vec<DefState>,
    used: Vec<bool>,
    out: Vec<LetDef>,
}

impl<'a> Defs<'a> {
    fn new(decls: Vec<&'a ast::LetDecl>, errors: &mut Vec<CheckError>) -> Self {
        let mut index = HashMap::default();
        let mut kept = Vec::new();
        for d in decls {
            if let Some(&first) = index.get(d.name.name.as_str()) {
                let first: &ast::LetDecl = kept.get(first).copied().unwrap_or(d);
                errors.push(CheckError::duplicate(
                    "definition",
                    &d.name.span,
                    &d.name.name,
                    &first.name.span,
                ));
                continue;
            }
            index.insert(d.name.name.as_str(), kept.len());
            kept.push(d);
        }
        let n = kept.len();
        Defs {
            decls: kept,
            index,
            state: vec![DefState::Pending; n],
            used: vec![false; n],
            out: Vec::new(),
        }
    }
}

/// The scope of a rules block while it is checked.
struct BlockCtx<'a> {
    subject: (String, Type),
    items: (String, Type),
    defs: Defs<'a>,
}

/// The item of a `where` or quantifier, in scope in its condition.
struct ItemScope {
    slot: u32,
    ty: Type,
}

/// Checker state while walking declarations.
pub(crate) struct Checker<'a> {
    schema: &'a Schema,
    asts: &'a [ast::File],
    errors: Vec<CheckError>,
    warnings: Vec<CheckWarning>,
    globals: Defs<'a>,
    block: Option<BlockCtx<'a>>,
    items: Vec<ItemScope>,
    /// Optional values known present here (`x is present and ...`), by
    /// their path (`plan`, `ally.plan`): they read as their inner type.
    narrowed: Vec<String>,
    next_slot: u32,
    /// Names of definitions being checked, innermost last (for cycle messages).
    in_progress: Vec<String>,
    /// For each name in `in_progress`, the use that started checking it
    /// (none for a definition checked in declaration order): the edges of
    /// a cycle, labelled when one closes.
    entered_by: Vec<Option<Span>>,
    /// The use about to start checking a definition, set by the use.
    next_use: Option<Span>,
    /// Whether the definition-depth limit was already reported.
    too_deep_reported: bool,
    shadow_warned: HashSet<(String, usize)>,
    /// Records declared more than once: which declaration was meant is
    /// unknown, so their missing fields are not reported (the duplicate is).
    doubtful_records: HashSet<String>,
}

impl<'a> Checker<'a> {
    fn new(schema: &'a Schema, asts: &'a [ast::File]) -> Self {
        let decls = asts
            .iter()
            .flat_map(|f| &f.decls)
            .filter_map(|d| if let Decl::Let(l) = d { Some(l) } else { None })
            .collect();
        let mut errors = Vec::new();
        let globals = Defs::new(decls, &mut errors);
        let mut c = Checker {
            schema,
            asts,
            errors: Vec::new(),
            warnings: Vec::new(),
            globals,
            block: None,
            items: Vec::new(),
            narrowed: Vec::new(),
            next_slot: 0,
            in_progress: Vec::new(),
            entered_by: Vec::new(),
            next_use: None,
            too_deep_reported: false,
            shadow_warned: HashSet::default(),
            doubtful_records: HashSet::default(),
        };
        let mut seen = HashSet::default();
        for d in asts.iter().flat_map(|f| &f.decls) {
            if let Decl::Record(r) = d
                && !seen.insert(r.name.name.as_str())
            {
                c.doubtful_records.insert(r.name.name.clone());
            }
        }
        c.errors = errors;
        c
    }

    fn global_lets(&mut self) -> Vec<LetDef> {
        for i in 0..self.globals.decls.len() {
            if let Some(d) = self.globals.decls.get(i)
                && let Some(fact) = self
                    .schema
                    .facts
                    .fields
                    .iter()
                    .find(|f| f.name == d.name.name)
            {
                self.warn_shadow(
                    &d.name.span,
                    &d.name.name,
                    "this definition",
                    &format!("the fact declared at {}", fact.span.location()),
                );
            }
            self.global_let(i);
        }
        std::mem::take(&mut self.globals.out)
    }

    /// Checks global definition `i` (if not done) and returns its slot and type.
    fn global_let(&mut self, i: usize) -> Option<(u32, Type)> {
        let used_at = self.next_use.take();
        match self.globals.state.get(i)?.clone() {
            DefState::Done { index, ty } => return Some((index, ty)),
            DefState::InProgress => return None,
            DefState::Pending => {}
        }
        let decl = *self.globals.decls.get(i)?;
        if let Some(s) = self.globals.state.get_mut(i) {
            *s = DefState::InProgress;
        }
        // A global definition is checked in the global scope, wherever it was first used.
        let saved_block = self.block.take();
        let saved_items = std::mem::take(&mut self.items);
        let saved_slot = std::mem::replace(&mut self.next_slot, 0);
        self.in_progress.push(decl.name.name.clone());
        self.entered_by.push(used_at);
        let value = stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.expr(&decl.value, None));
        self.in_progress.pop();
        self.entered_by.pop();
        self.block = saved_block;
        self.items = saved_items;
        self.next_slot = saved_slot;
        let index = self.globals.out.len() as u32;
        let ty = value.ty.clone();
        self.globals.out.push(LetDef {
            name: decl.name.name.clone(),
            value,
            span: decl.span.clone(),
        });
        if let Some(s) = self.globals.state.get_mut(i) {
            *s = DefState::Done {
                index,
                ty: ty.clone(),
            };
        }
        Some((index, ty))
    }

    /// Checks definition `i` of the current block and returns its slot and type.
    fn block_let(&mut self, i: usize) -> Option<(u32, Type)> {
        let used_at = self.next_use.take();
        let block = self.block.as_mut()?;
        match block.defs.state.get(i)?.clone() {
            DefState::Done { index, ty } => return Some((index, ty)),
            DefState::InProgress => return None,
            DefState::Pending => {}
        }
        let decl = *block.defs.decls.get(i)?;
        if let Some(s) = block.defs.state.get_mut(i) {
            *s = DefState::InProgress;
        }
        let saved_items = std::mem::take(&mut self.items);
        let saved_slot = std::mem::replace(&mut self.next_slot, FIRST_FREE);
        self.in_progress.push(decl.name.name.clone());
        self.entered_by.push(used_at);
        let value = stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.expr(&decl.value, None));
        self.in_progress.pop();
        self.entered_by.pop();
        self.items = saved_items;
        self.next_slot = saved_slot;
        let block = self.block.as_mut()?;
        let index = block.defs.out.len() as u32;
        let ty = value.ty.clone();
        block.defs.out.push(LetDef {
            name: decl.name.name.clone(),
            value,
            span: decl.span.clone(),
        });
        if let Some(s) = block.defs.state.get_mut(i) {
            *s = DefState::Done {
                index,
                ty: ty.clone(),
            };
        }
        Some((index, ty))
    }

    fn blocks(&mut self) -> Vec<Block> {
        let decls: Vec<&'a ast::RulesDecl> = self
            .asts
            .iter()
            .flat_map(|f| &f.decls)
            .filter_map(|d| {
                if let Decl::Rules(r) = d {
                    Some(r)
                } else {
                    None
                }
            })
            .collect();
        let mut names: HashMap<(u32, String), Span> = HashMap::default();
        decls
            .into_iter()
            .filter_map(|d| self.block(d, &mut names))
            .collect()
    }

    fn block(
        &mut self,
        d: &'a ast::RulesDecl,
        names: &mut HashMap<(u32, String), Span>,
    ) -> Option<Block> {
        let ladder = self.ladder_index(&d.ladder);
        self.next_slot = FIRST_FREE;
        let source = self.expr(&d.source, None);
        let elem = match &source.ty {
            Type::List(t) => (**t).clone(),
            Type::Error => Type::Error,
            other => {
                self.not_a_list(
                    &d.source.span,
                    other,
                    "rules group a list, e.g. `in incidents grouped by victim`",
                );
                Type::Error
            }
        };
        // The key is evaluated with the item in scope.
        let slot = FIRST_FREE;
        self.items.push(ItemScope {
            slot,
            ty: elem.clone(),
        });
        self.next_slot = slot + 1;
        let key = match self.unknown_group_field(&d.key, &elem, &d.source.span, d.keyed) {
            Some(e) => e,
            None => self.expr(&d.key, None),
        };
        self.items.pop();
        if d.keyed {
            self.keyed_by_unique(&d.key, &elem, &d.source.span);
        }
        let subject_ty = match &key.ty {
            Type::Optional(t) => (**t).clone(),
            t => t.clone(),
        };
        if !matches!(
            subject_ty,
            Type::Str
                | Type::Int
                | Type::Date
                | Type::Enum(_)
                | Type::Rung(_)
                | Type::Bool
                | Type::Error
        ) {
            let ty = format!("`{}`", self.schema.show(&key.ty));
            self.errors.push(CheckError::group_key(&d.key.span, ty));
        }
        let mut errs = Vec::new();
        let defs = Defs::new(d.lets.iter().collect(), &mut errs);
        self.errors.extend(errs);
        let items_ty = if d.keyed {
            elem
        } else {
            Type::List(Box::new(elem))
        };
        let subject_name = d
            .subject
            .as_ref()
            .map(|s| s.name.clone())
            .unwrap_or_default();
        self.block = Some(BlockCtx {
            subject: (subject_name.clone(), subject_ty),
            items: (d.items.name.clone(), items_ty),
            defs,
        });
        self.next_slot = FIRST_FREE;
        for l in &d.lets {
            if let Some(&i) = self.globals.index.get(l.name.name.as_str())
                && let Some(g) = self.globals.decls.get(i)
            {
                let hidden = format!("the definition at {}", g.name.span.location());
                self.warn_shadow(
                    &l.name.span,
                    &l.name.name,
                    "this block's definition",
                    &hidden,
                );
            }
        }
        let n = self.block.as_ref().map_or(0, |b| b.defs.decls.len());
        for i in 0..n {
            self.block_let(i);
        }
        let rules = d
            .rules
            .iter()
            .filter_map(|r| self.rule(r, ladder, names))
            .collect();
        let block = self.block.take()?;
        for (i, used) in block.defs.used.iter().enumerate() {
            if !used && let Some(decl) = block.defs.decls.get(i) {
                let warning = CheckWarning::unused_let(&decl.name.span, &decl.name.name);
                self.warnings.push(warning);
            }
        }
        Some(Block {
            ladder: LadderId::new(ladder? as usize),
            subject: subject_name,
            items: d.items.name.clone(),
            keyed: d.keyed,
            source,
            key,
            lets: block.defs.out,
            rules,
            span: d.span.clone(),
        })
    }

    /// `keyed by KEY`: KEY must be a field of the items declared `unique`,
    /// so that each subject is exactly one item.
    fn keyed_by_unique(&mut self, key: &ast::Expr, elem: &Type, list: &Span) {
        let Type::Record(r) = elem else {
            if *elem != Type::Error {
                let ty = format!("`{}`", self.schema.show(elem));
                self.errors.push(CheckError::keyed(
                    list,
                    format!("the items are {ty}, not records"),
                    "not a list of records",
                    "`keyed by` reads a `unique` field of each item: key a list of records, e.g. `for each ally in allies keyed by code`",
                ));
            }
            return;
        };
        let Some(record) = self.schema.records.get(r.index()) else {
            return;
        };
        let uniques: Vec<String> = record
            .fields
            .iter()
            .filter(|f| f.unique)
            .map(|f| format!("`{}`", f.name))
            .collect();
        let choice = if uniques.is_empty() {
            format!(
                "`{}` has no `unique` field: declare one (e.g. `code: string unique`), or decide per group with `for each SUBJECT, ITEMS in LIST grouped by KEY`",
                record.name
            )
        } else {
            format!(
                "key by a `unique` field of `{}`: {}; or decide per group with `for each SUBJECT, ITEMS in LIST grouped by KEY`",
                record.name,
                uniques.join(", ")
            )
        };
        match &key.kind {
            ast::ExprKind::Name(n) => match record.field(n).and_then(|i| record.fields.get(i)) {
                Some(f) if f.unique => {}
                Some(_) => self.errors.push(CheckError::keyed(
                    &key.span,
                    format!("`{n}` is not `unique` in `{}`", record.name),
                    "two items may share this value",
                    choice,
                )),
                // An unknown name is reported by the key's own check.
                None => {}
            },
            _ => self.errors.push(CheckError::keyed(
                &key.span,
                "the key is not a field".to_string(),
                "not a field of the items",
                choice,
            )),
        }
    }

    /// `grouped by sponsor` over items that have no field `sponsor`: an
    /// error about the items' record, suggesting its fields, since the key
    /// is read from each item. `None` when the key is anything else, or a
    /// name that means something (checked as any expression).
    fn unknown_group_field(
        &mut self,
        key: &ast::Expr,
        elem: &Type,
        list: &Span,
        keyed: bool,
    ) -> Option<program::Expr> {
        let ast::ExprKind::Name(n) = &key.kind else {
            return None;
        };
        let Type::Record(r) = elem else { return None };
        let record = self.schema.records.get(r.index())?;
        if n == "it"
            || record.field(n).is_some()
            || self.lookup_outer(n).is_some()
            || self.doubtful_records.contains(&record.name)
        {
            return None;
        }
        let groupable: Vec<&str> = record
            .fields
            .iter()
            // Keyed by: only a `unique` field will do.
            .filter(|f| !keyed || f.unique)
            .filter(|f| {
                let ty = match &f.ty {
                    Type::Optional(t) => t,
                    t => t,
                };
                matches!(
                    ty,
                    Type::Str | Type::Int | Type::Date | Type::Enum(_) | Type::Rung(_) | Type::Bool
                )
            })
            .map(|f| f.name.as_str())
            .collect();
        let listed = groupable
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let verb = if keyed {
            "is keyed by a `unique` field of its items"
        } else {
            "groups by a field of its items"
        };
        let help = match suggest::closest_or_part(n, groupable.iter().copied()) {
            Some(best) => format!(
                "did you mean `{best}`? `{}` {verb}, `{}`: {listed}",
                list.text(),
                record.name
            ),
            None => format!("`{}` {verb}, `{}`: {listed}", list.text(), record.name),
        };
        self.errors.push(CheckError::unknown_field(
            &key.span,
            n,
            record.name.as_str(),
            Some(help),
        ));
        Some(program::Expr {
            kind: program::ExprKind::Const(crate::value::Value::Bool(false)),
            ty: Type::Error,
            span: key.span.clone(),
        })
    }

    fn ladder_index(&mut self, id: &ast::Ident) -> Option<u32> {
        let pos = self.schema.ladders.iter().position(|l| l.name == id.name);
        if pos.is_none() {
            let help = did_you_mean(
                &id.name,
                self.schema.ladders.iter().map(|l| l.name.as_str()),
            )
            .or_else(|| Some("declare it with `ladder NAME { rung \"description\" ... }`".into()));
            self.errors
                .push(CheckError::unknown_ladder(&id.span, &id.name, help));
        }
        pos.map(|p| p as u32)
    }

    fn rung_index(&mut self, ladder: u32, id: &ast::Ident) -> Option<u32> {
        let l = self.schema.ladders.get(ladder as usize)?;
        let pos = l.rungs.iter().position(|r| r.name == id.name);
        if pos.is_none() {
            // An exact rung of another ladder says more than a near miss here.
            if let Some(owner) = self
                .schema
                .ladders
                .iter()
                .find(|o| o.name != l.name && o.rungs.iter().any(|r| r.name == id.name))
            {
                self.errors.push(CheckError::rung_of_other_ladder(
                    &id.span,
                    &id.name,
                    &l.name,
                    &owner.name,
                ));
                return None;
            }
            let help = did_you_mean(&id.name, l.rungs.iter().map(|r| r.name.as_str()))
                .or_else(|| {
                    Some(format!(
                        "the rungs of `{}` are {}; to add one, declare it in the ladder with its description",
                        l.name,
                        rung_list(l)
                    ))
                });
            self.errors
                .push(CheckError::unknown_rung(&id.span, &id.name, &l.name, help));
        }
        pos.map(|p| p as u32)
    }

    fn rule(
        &mut self,
        r: &ast::Rule,
        ladder: Option<u32>,
        names: &mut HashMap<(u32, String), Span>,
    ) -> Option<RuleDef> {
        let when = r.when.as_ref().map(|w| {
            self.next_slot = FIRST_FREE;
            let e = self.expr(w, Some(&Type::Bool));
            self.expect_type(&e, &Type::Bool, "a rule's condition must be true or false");
            e
        });
        let ladder = ladder?;
        let (lo, hi) = match &r.rungs {
            RungSpec::One(id) => {
                let i = self.rung_index(ladder, id);
                (i, i)
            }
            RungSpec::AndAbove(id) => {
                let top = self
                    .schema
                    .ladders
                    .get(ladder as usize)
                    .map_or(0, |l| l.rungs.len().saturating_sub(1));
                (self.rung_index(ladder, id), Some(top as u32))
            }
            RungSpec::AndBelow(id) => (Some(0), self.rung_index(ladder, id)),
            RungSpec::Range(a, b) => {
                let (lo, hi) = (self.rung_index(ladder, a), self.rung_index(ladder, b));
                if let (Some(l), Some(h)) = (lo, hi)
                    && l > h
                {
                    let range = a.span.to(&b.span);
                    self.errors
                        .push(CheckError::rung_order(&range, &a.name, &b.name));
                    return None;
                }
                (lo, hi)
            }
        };
        let (lo, hi) = (lo?, hi?);
        let name = match &r.label {
            Some(l) => l.name.clone(),
            None => {
                // Named as written: `forbid sanctions and above`, not after
                // the lowest rung it covers.
                let spec = match &r.rungs {
                    RungSpec::One(id) => id.name.clone(),
                    RungSpec::AndAbove(id) => format!("{} and above", id.name),
                    RungSpec::AndBelow(id) => format!("{} and below", id.name),
                    RungSpec::Range(a, b) => format!("{} to {}", a.name, b.name),
                };
                let base = format!("{} {spec}", r.effect.as_str());
                let mut name = base.clone();
                let mut n = 2;
                while names.contains_key(&(ladder, name.clone())) {
                    name = format!("{base} #{n}");
                    n += 1;
                }
                name
            }
        };
        let label_span = r.label.as_ref().map_or(&r.effect_span, |l| &l.span);
        if let Some(first) = names.get(&(ladder, name.clone())) {
            self.errors
                .push(CheckError::duplicate("rule", label_span, &name, first));
        } else {
            names.insert((ladder, name.clone()), label_span.clone());
        }
        Some(RuleDef {
            name,
            effect: r.effect,
            lo: RungId::new(lo as usize),
            hi: RungId::new(hi as usize),
            when,
            because: r.because.value.as_str().into(),
            cites: r.cites.as_ref().map(|c| c.value.as_str().into()),
            span: r.span.clone(),
        })
    }

    fn warns(&mut self) -> Vec<Warn> {
        let decls: Vec<&'a ast::WarnDecl> = self
            .asts
            .iter()
            .flat_map(|f| &f.decls)
            .filter_map(|d| if let Decl::Warn(w) = d { Some(w) } else { None })
            .collect();
        decls
            .into_iter()
            .map(|w| {
                self.next_slot = 0;
                let items = self.expr(&w.items, None);
                if !matches!(items.ty, Type::List(_) | Type::Error) {
                    let ty = items.ty.clone();
                    self.not_a_list(
                        &w.items.span,
                        &ty,
                        "`warn` takes a list: `warn incidents where date > now because \"...\"`",
                    );
                }
                Warn {
                    items,
                    because: w.because.value.clone(),
                    span: w.span.clone(),
                }
            })
            .collect()
    }

    fn unused_lets(&self) -> Vec<CheckWarning> {
        self.globals
            .decls
            .iter()
            .zip(&self.globals.used)
            .filter(|(_, used)| !**used)
            .map(|(d, _)| CheckWarning::unused_let(&d.name.span, &d.name.name))
            .collect()
    }

    /// Warns that `name` at `span` means `meaning` and hides `hidden`; later
    /// places with the same meaning become labels of the first warning.
    fn warn_shadow(&mut self, span: &Span, name: &str, meaning: &str, hidden: &str) {
        if !self.shadow_warned.insert((name.to_string(), span.start)) {
            return;
        }
        if self
            .warnings
            .iter_mut()
            .any(|w| w.also_shadowed_at(span, name, meaning, hidden))
        {
            return;
        }
        self.warnings
            .push(CheckWarning::shadowed(span, name, meaning, hidden));
    }
}

/// `a, b, c`: the rungs of a ladder.
fn rung_list(l: &crate::types::Ladder) -> String {
    l.rungs
        .iter()
        .map(|r| format!("`{}`", r.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether an effect/rung pair is reachable; used by lints.
pub(crate) fn recommends(program: &Program, ladder: LadderId, rung: RungId) -> bool {
    program
        .blocks
        .iter()
        .filter(|b| b.ladder == ladder)
        .flat_map(|b| &b.rules)
        .any(|r| {
            r.effect == Effect::Recommend
                && r.lo <= rung
                && rung <= r.hi
                && !is_const_false(r.when.as_ref())
        })
}

fn is_const_false(e: Option<&program::Expr>) -> bool {
    matches!(
        e.map(|e| &e.kind),
        Some(program::ExprKind::Const(crate::value::Value::Bool(false)))
    )
}

/// Checks one expression in the scope of a checked program: the top level
/// (`block` is `None`) or the scope of a rules block's subject, with its
/// subject, items and definitions. The program is not checked again and
/// gains nothing: the expression's names resolve to the program's own
/// facts, definitions and slots, so the evaluator can run it against the
/// program's values. This is what the REPL and an editor need.
pub fn expression(
    program: &Program,
    expr: &ast::Expr,
    block: Option<program::BlockId>,
) -> Result<program::Expr, Vec<crate::diagnostic::Diag>> {
    use crate::diagnostic::Diag;
    use crate::internal::Internal;
    let no_block = || vec![Diag::from(Internal::new("a block id has no rules block"))];
    let mut c = Checker::new(&program.schema, &program.ast);
    // The program checked: the repeats Defs::new reports were reported then.
    c.errors.clear();
    c.globals.resolved(program.definitions(), program.hoisted);
    c.globals.out = program.lets.clone();
    c.next_slot = 0;
    if let Some(id) = block {
        let checked = program.block(id).map_err(|e| vec![Diag::from(e)])?;
        // The block's declaration: rules blocks are numbered in source order.
        let decl = program
            .ast
            .iter()
            .flat_map(|f| &f.decls)
            .filter_map(|d| match d {
                Decl::Rules(r) => Some(r),
                _ => None,
            })
            .nth(id.index())
            .ok_or_else(no_block)?;
        let mut defs = Defs::new(decl.lets.iter().collect(), &mut Vec::new());
        defs.resolved(&checked.lets, 0);
        defs.out = checked.lets.clone();
        let subject_ty = match &checked.key.ty {
            Type::Optional(t) => (**t).clone(),
            t => t.clone(),
        };
        c.block = Some(BlockCtx {
            subject: (checked.subject.clone(), subject_ty),
            items: (checked.items.clone(), checked.items_ty()),
            defs,
        });
        c.next_slot = FIRST_FREE;
    }
    let e = c.expr(expr, None);
    if c.errors.is_empty() {
        Ok(e)
    } else {
        Err(error::merge_repeats(c.errors)
            .into_iter()
            .map(Diag::from)
            .collect())
    }
}

impl Defs<'_> {
    /// Marks every definition as already checked, at its place among
    /// `lets` (offset by `first`: hoisted definitions come before the user's).
    /// A name not found stays in progress, so a use of it resolves to
    /// nothing rather than to a definition checked a second time.
    fn resolved(&mut self, lets: &[LetDef], first: usize) {
        for (name, &i) in &self.index {
            let state = match lets.iter().position(|l| l.name == *name) {
                Some(p) => DefState::Done {
                    index: (first + p) as u32,
                    ty: lets.get(p).map_or(Type::Error, |l| l.value.ty.clone()),
                },
                None => DefState::InProgress,
            };
            if let Some(s) = self.state.get_mut(i) {
                *s = state;
            }
        }
    }
}
