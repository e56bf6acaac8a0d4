//! The one run: a checked program against loaded facts, every rule's outcome
//! recorded for every (ladder, subject).
//!
//! This is the only driver that walks blocks, groups and rules. Decisions,
//! explanations, `rung test` verdicts and coverage, the REPL's `:decide`,
//! `:why` and `:diff`, and the "next rung" lines are all read off a [`Run`],
//! so they cannot disagree about what happened.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::code::{Condition, Ctx, code_of};
use super::error::{EvalError, not_a_bug, surface};
use super::explain::{Outcome, RuleExplanation, SubjectExplanation, Trace, trace};
use super::expr::{Env, EvalResult, list_items};
use super::window::{PlannedGroups, SubjectPlans, enter_planned};
use super::{
    Group, block_code, condition, enter_bound, global_lets, group_items, groups, subject_of,
};
use crate::ast::Effect;
use crate::decision::{Decision, Evaluation, FactWarning, Name, Reason, RuleError, Status};
use crate::facts::Facts;
use crate::internal::Internal;
use crate::program::{Block, BlockId, LadderId, Program, RuleDef, RuleId, RungId};
use crate::types::Type;
use crate::value::{List, Value};
use smallvec::SmallVec;

/// The code of every run-time failure (the same as [`super::EvalReport`]'s).
const EVAL_CODE: &str = "rung::eval::arithmetic";

/// How much a run records beyond each rule's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Outcomes only: what decisions, verdicts and coverage need.
    Outcomes,
    /// Also every condition part by part, with values (`--explain`, the
    /// "next rung" lines, `:why`, test failure reports).
    Traces,
}

/// How one rule went for one subject.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleRecord {
    /// The rule.
    pub rule: RuleId,
    /// Whether its condition held, or why it could not be evaluated.
    pub outcome: Result<bool, EvalError>,
    /// Its condition part by part, when the run was asked for traces
    /// (boxed: a record is written for every rule of every subject, and a
    /// small one is cheap to write).
    pub trace: Option<Box<Trace>>,
}

impl RuleRecord {
    /// The outcome without its error.
    pub fn outcome(&self) -> Outcome {
        match self.outcome {
            Ok(true) => Outcome::Fired,
            Ok(false) => Outcome::NotMet,
            Err(_) => Outcome::Failed,
        }
    }
}

/// Every rule's record for one (ladder, subject), in declaration order.
#[derive(Debug, Clone, PartialEq)]
pub struct SubjectRecord {
    /// The ladder decided.
    pub ladder: LadderId,
    /// The subject.
    pub subject: Name<'static>,
    /// Each rule of each block on the ladder, in declaration order.
    pub rules: Vec<RuleRecord>,
    /// What each of the subject's groups bound, when the run was asked to
    /// keep it (a replay, to explain a crossing); empty otherwise.
    pub(crate) inputs: Vec<GroupInput>,
}

/// What one evaluation found: the decisions, and every rule outcome behind them.
#[derive(Debug, Clone, PartialEq)]
pub struct Run<'p> {
    /// Decisions, warnings and failed groupings (the JSON document).
    pub evaluation: Evaluation<'p>,
    /// For each decision, at the same index, the records it was decided from.
    pub subjects: Vec<SubjectRecord>,
}

impl<'p> Run<'p> {
    /// The records behind `decision` (found by ladder and subject).
    pub fn records(&self, ladder: &str, subject: &str) -> Option<&SubjectRecord> {
        self.evaluation
            .decisions
            .iter()
            .position(|d| &*d.ladder == ladder && &*d.subject == subject)
            .and_then(|i| self.subjects.get(i))
    }

    /// Every rule for every subject, in words: the `--explain` view, in
    /// decision order.
    pub fn explanations(&self, program: &Program) -> Result<Vec<SubjectExplanation>, Internal> {
        self.subjects
            .iter()
            .map(|s| explanation(program, s))
            .collect()
    }
}

/// Evaluates every ladder of `program` against `facts`, once.
pub fn run<'p>(program: &'p Program, facts: &Facts, detail: Detail) -> Result<Run<'p>, Internal> {
    run_keeping(program, facts, detail, Keep::Records)
}

/// The decisions of [`run`] alone: no rule records are kept, so none is
/// listed per subject ([`super::evaluate`], the hot path).
pub(crate) fn decisions<'p>(
    program: &'p Program,
    facts: &Facts,
) -> Result<Evaluation<'p>, Internal> {
    Ok(run_keeping(program, facts, Detail::Outcomes, Keep::Decisions)?.evaluation)
}

/// [`run`], keeping what `keep` asks for, with the warnings named.
fn run_keeping<'p>(
    program: &'p Program,
    facts: &Facts,
    detail: Detail,
    keep: Keep,
) -> Result<Run<'p>, Internal> {
    let mut globals = globals(program, facts)?;
    let (mut run, hits) = run_from(program, facts, &mut globals, detail, keep)?;
    run.evaluation.warnings = hits
        .into_iter()
        .map(|h| h.warning(program))
        .collect::<Result<_, _>>()?;
    Ok(run)
}

/// One item a `warn` declaration matched, not yet named: a replay meets the
/// same items on hundreds of days, and names each once ([`WarnHit::key`]).
#[derive(Debug, Clone)]
pub(crate) enum WarnHit {
    /// The `index`th item of the list of the `warn`th declaration.
    Item {
        /// The declaration, in [`Program::warns`].
        warn: usize,
        /// The item's position in the list that day.
        index: usize,
        /// The item.
        item: Value,
    },
    /// The declaration's list could not be evaluated.
    Failed(FactWarning),
    /// Every item of the declaration's list, kept before the run
    /// ([`Globals::kept_warn`]): the replay names them.
    Kept {
        /// The declaration, in [`Program::warns`].
        warn: usize,
    },
}

/// What tells one warned item from another across runs: the declaration
/// (by its index), and the item's unique key where its record has one (else
/// the whole message, which names its position). Two hits with equal keys
/// read the same ([`WarnHit::warning`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum WarnKey {
    /// An item of a record with a text key.
    Text(usize, Arc<str>),
    /// An item of a record with an integer key.
    Int(usize, i64),
    /// Any other item, by its whole message.
    Message(String),
}

impl WarnHit {
    /// The key this hit is merged by (see [`WarnKey`]).
    pub(crate) fn key(&self, program: &Program) -> Result<WarnKey, Internal> {
        let Self::Item { warn, item, .. } = self else {
            return Ok(WarnKey::Message(self.warning(program)?.line()));
        };
        let w = program
            .warns
            .get(*warn)
            .ok_or_else(|| Internal::new("a warn declaration that does not exist"))?;
        Ok(match program.schema.unique_key(&w.items.ty, item)? {
            Some((_, Value::Str(s))) => WarnKey::Text(*warn, Arc::clone(s)),
            Some((_, Value::Int(i))) => WarnKey::Int(*warn, *i),
            _ => WarnKey::Message(self.warning(program)?.line()),
        })
    }

    /// Which record this hit is about, while the facts it came from live:
    /// the declaration, the record's address, and (for a record without a
    /// unique field, which is named by it) its position. Two hits with one
    /// identity read the same ([`WarnHit::warning`]); `None` for a hit that
    /// is not a record.
    pub(crate) fn identity(
        &self,
        program: &Program,
    ) -> Result<Option<(usize, usize, usize)>, Internal> {
        let Self::Item { warn, index, item } = self else {
            return Ok(None);
        };
        let Value::Record(fields) = item else {
            return Ok(None);
        };
        let w = program
            .warns
            .get(*warn)
            .ok_or_else(|| Internal::new("a warn declaration that does not exist"))?;
        let named_by_key = program.schema.unique_key(&w.items.ty, item)?.is_some();
        let at = if named_by_key { usize::MAX } else { *index };
        Ok(Some((*warn, Arc::as_ptr(fields).cast::<()>() as usize, at)))
    }

    /// The warning as decisions show it: the declaration's text and the
    /// item's name.
    pub(crate) fn warning(&self, program: &Program) -> Result<FactWarning, Internal> {
        match self {
            Self::Item { warn, index, item } => {
                let w = program
                    .warns
                    .get(*warn)
                    .ok_or_else(|| Internal::new("a warn declaration that does not exist"))?;
                Ok(FactWarning {
                    message: w.because.clone(),
                    item: item_name(program, &w.items.ty, item, *index)?,
                })
            }
            Self::Failed(f) => Ok(f.clone()),
            Self::Kept { .. } => Err(Internal::new(
                "a warn list kept before the run was not named item by item",
            )),
        }
    }
}

/// The global definitions evaluated over one set of facts. Every run over
/// those facts starts from them; a replay keeps the previous day's to
/// explain what changed overnight without evaluating that day again.
pub(crate) struct Globals {
    pub(super) lets: Vec<EvalResult>,
    /// Each `warn` declaration's list, where it was evaluated already (a
    /// replay's windows); evaluated by the run otherwise.
    warns: Vec<Option<WarnList>>,
    /// Each rules block's groups, where they were formed already (a
    /// replay's windows); taken by the run, which forms the others.
    groups: Vec<Option<PlannedGroups>>,
}

impl Globals {
    /// Definitions, `warn` lists and groups evaluated elsewhere (a
    /// replay's windows).
    pub(super) fn new(
        lets: Vec<EvalResult>,
        warns: Vec<Option<WarnList>>,
        groups: Vec<Option<PlannedGroups>>,
    ) -> Self {
        Globals {
            lets,
            warns,
            groups,
        }
    }
}

/// A `warn` declaration's list evaluated before the run (a replay's
/// windows): the items of `root` at `indices`, in list order. The run
/// leaves it unnamed ([`WarnHit::Kept`]); the replay names each item once.
pub(crate) enum WarnList {
    /// Items of a list that does not change over the replay.
    Kept {
        /// The list.
        root: List,
        /// The positions kept today, ascending.
        indices: Vec<u32>,
    },
}

impl Globals {
    /// The list of `warn` declaration `warn`, when it was kept before the run.
    pub(crate) fn kept_warn(&self, warn: usize) -> Option<(&List, &[u32])> {
        match self.warns.get(warn) {
            Some(Some(WarnList::Kept { root, indices })) => Some((root, indices)),
            _ => None,
        }
    }
}

/// Evaluates the global definitions of `program` over `facts`.
pub(crate) fn globals(program: &Program, facts: &Facts) -> Result<Globals, Internal> {
    Ok(Globals::new(
        global_lets(program, facts)?,
        Vec::new(),
        Vec::new(),
    ))
}

/// What one group of a rules block bound for a subject: enough to evaluate
/// that subject's rules again ([`retrace`]) without grouping the list again.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GroupInput {
    /// The block.
    pub(crate) block: BlockId,
    /// The subject's key.
    pub(crate) key: Value,
    /// The subject's items (the list, or the one item of a `keyed by` block).
    pub(crate) items: Value,
}

/// What a run keeps beyond its decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keep {
    /// The decisions only: [`Run::subjects`] stays empty. An evaluation
    /// reads nothing else, and then every subject's rule records share one
    /// buffer instead of a list each.
    Decisions,
    /// Each decision's rule records ([`Run::subjects`]).
    Records,
    /// The records and what each subject's groups bound
    /// ([`SubjectRecord::inputs`]): a replay, to explain a crossing.
    Inputs,
}

/// A block's groups, each with the positions of its items where a replay's
/// windows formed them, and the block's planned definitions; `None` when
/// the block's list could not be grouped.
type BlockGroups = Option<(Vec<(Group, Option<Vec<u32>>)>, Option<Arc<SubjectPlans>>)>;

/// The decisions of a run as they are made, and their records.
///
/// Decisions are listed in ladder declaration order, then subject byte
/// order. Subjects are decided in that order within a block; when every
/// ladder is decided by one block and blocks come in ladder order (the
/// usual policy), decisions are therefore made in order and go straight
/// into place. Otherwise they are gathered and put in order at the end.
enum Decisions<'p> {
    /// Made in order.
    InPlace(Vec<Decision<'p>>, Vec<SubjectRecord>),
    /// To be put in order.
    Gathered(Vec<Decided<'p>>),
}

impl<'p> Decisions<'p> {
    /// Room for `n` decisions of `program`, kept as `keep` says.
    fn new(program: &Program, n: usize, keep: Keep) -> Self {
        let ladders = program.blocks.iter().map(|b| b.ladder);
        let in_order = ladders.clone().zip(ladders.skip(1)).all(|(a, b)| a < b);
        if in_order {
            let records = if keep == Keep::Decisions { 0 } else { n };
            Decisions::InPlace(Vec::with_capacity(n), Vec::with_capacity(records))
        } else {
            Decisions::Gathered(Vec::with_capacity(n))
        }
    }

    /// The next decision made.
    fn push(&mut self, d: Decided<'p>) {
        match self {
            Decisions::InPlace(decisions, subjects) => {
                decisions.push(d.decision);
                subjects.extend(d.record);
            }
            Decisions::Gathered(all) => all.push(d),
        }
    }

    /// The decisions in order, and their records.
    fn finish(self) -> Result<(Vec<Decision<'p>>, Vec<SubjectRecord>), Internal> {
        let decided = match self {
            Decisions::InPlace(decisions, subjects) => return Ok((decisions, subjects)),
            Decisions::Gathered(decided) => decided,
        };
        // Positions are sorted, not decisions: each decision then moves
        // once, into place.
        let mut order: Vec<usize> = (0..decided.len()).collect();
        order.sort_unstable_by(|&a, &b| {
            let key = |i: usize| {
                decided
                    .get(i)
                    .map(|d| (d.ladder, d.decision.subject.as_bytes()))
            };
            key(a).cmp(&key(b))
        });
        let mut decided: Vec<Option<Decided<'p>>> = decided.into_iter().map(Some).collect();
        let mut decisions = Vec::with_capacity(decided.len());
        let mut subjects = Vec::with_capacity(decided.len());
        for i in order {
            let d = decided
                .get_mut(i)
                .and_then(Option::take)
                .ok_or_else(|| Internal::new("a decision sorted twice"))?;
            decisions.push(d.decision);
            subjects.extend(d.record);
        }
        Ok((decisions, subjects))
    }
}

/// One decision of a run, before decisions are put in order.
struct Decided<'p> {
    /// The ladder decided (the first sort key; the subject is the second).
    ladder: LadderId,
    /// The decision.
    decision: Decision<'p>,
    /// Its records, when the run keeps them.
    record: Option<SubjectRecord>,
}

/// [`run`] from global definitions already evaluated over `facts`, with
/// the `warn` declarations' items left unnamed (the evaluation's `warnings`
/// are empty): for a replay, which names each distinct item once instead of
/// once a day. `keep` says what the run keeps beside the decisions.
pub(crate) fn run_from<'p>(
    program: &'p Program,
    facts: &Facts,
    globals: &mut Globals,
    detail: Detail,
    keep: Keep,
) -> Result<(Run<'p>, Vec<WarnHit>), Internal> {
    let hits = warnings(facts, program, globals)?;
    let mut formed = std::mem::take(&mut globals.groups);
    let lets = &globals.lets;
    let mut errors = Vec::new();
    // Several blocks may decide one ladder: their rules pool per subject.
    // A ladder decided by one block (the usual case) is decided subject by
    // subject as its groups are evaluated.
    let mut pooled: BTreeMap<(LadderId, Name<'static>), (Vec<RuleRecord>, Vec<GroupInput>)> =
        BTreeMap::new();
    // The records of a subject decided at once, when the run keeps none:
    // one buffer for every subject.
    let mut scratch: Vec<RuleRecord> = Vec::new();
    // One environment for every block: its slots are allocated once.
    let mut env = Env::new(facts, lets);
    // Every block's groups first (they read the facts and global
    // definitions only), so that the decisions are counted before any is
    // made. A replay's windows may have formed a block's groups already,
    // with the items' positions for the definitions they planned.
    let mut blocks: Vec<BlockGroups> = Vec::with_capacity(program.blocks.len());
    for (b, block) in program.blocks.iter().enumerate() {
        blocks.push(match formed.get_mut(b).and_then(Option::take) {
            Some(p) => Some((
                p.groups.into_iter().map(|(g, at)| (g, Some(at))).collect(),
                Some(p.plans),
            )),
            None => match groups(&mut env, block) {
                Ok(g) => Some((g.into_iter().map(|g| (g, None)).collect(), None)),
                Err(e) => {
                    not_a_bug(&e)?;
                    errors.push(group_error(program, block, e)?);
                    None
                }
            },
        });
    }
    let total = blocks.iter().flatten().map(|(g, _)| g.len()).sum();
    let mut out = Decisions::new(program, total, keep);
    for ((b, block), grouped) in program.blocks.iter().enumerate().zip(blocks) {
        let Some((block_groups, plans)) = grouped else {
            continue;
        };
        let shared = program
            .blocks
            .iter()
            .filter(|o| o.ladder == block.ladder)
            .nth(1)
            .is_some();
        let block_id = BlockId::new(b);
        let code = block_code(program, block_id);
        // Subjects in the order their decisions are listed (subject byte
        // order), so that decisions are made in order.
        let mut named = Vec::with_capacity(block_groups.len());
        for (group, at) in block_groups {
            named.push((subject_of(program, block, &group.key)?, group, at));
        }
        named.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        for (subject, group, at) in named {
            // What the group binds, kept only when the run keeps inputs: a
            // copy is a reference count, an atomic operation, per subject.
            let inputs = keep == Keep::Inputs;
            let key = inputs.then(|| group.key.clone());
            let items = match (&plans, at) {
                (Some(plans), Some(at)) => Some(enter_planned(&mut env, block, plans, group, &at)?),
                (None, None) => {
                    let items = group_items(block, group.items)?;
                    let kept = inputs.then(|| items.clone());
                    enter_bound(&mut env, block, code, group.key, items)?;
                    kept
                }
                _ => return Err(Internal::new("a planned group without its block's plans")),
            };
            let mut own = (Vec::new(), Vec::new());
            let (records, bound) = if shared {
                pooled.entry((block.ladder, subject.clone())).or_default()
            } else if keep == Keep::Decisions {
                scratch.clear();
                own.0 = std::mem::take(&mut scratch);
                &mut own
            } else {
                &mut own
            };
            if let (Some(key), Some(items)) = (key, items) {
                bound.push(GroupInput {
                    block: block_id,
                    key,
                    items,
                });
            }
            // Every rule's record is made first, then its outcome written
            // in place: a record assembled and then pushed is copied from a
            // temporary whose parts have not landed yet (perf: a
            // store-forwarding stall on every rule of every subject).
            let first = records.len();
            records.extend((0..block.rules.len()).map(|i| RuleRecord {
                rule: RuleId::new(block_id, i),
                outcome: Ok(false),
                trace: None,
            }));
            let placed = records
                .get_mut(first..)
                .ok_or_else(|| Internal::new("a subject's rule records were not made"))?;
            for ((i, rule), record) in block.rules.iter().enumerate().zip(placed) {
                match code.and_then(|c| c.rules.get(i)) {
                    Some(Condition::Always) => record.outcome = Ok(true),
                    Some(Condition::Code(c)) => match c.holds(Ctx::new(&env)) {
                        Ok(fired) => record.outcome = Ok(fired),
                        Err(f) => record.outcome = f.surface()?,
                    },
                    _ => record.outcome = surface(condition(&mut env, rule.when.as_ref()))?,
                }
                if let (Detail::Traces, Some(w)) = (detail, &rule.when) {
                    record.trace = Some(Box::new(trace(&mut env, program, block, w)?));
                }
            }
            if !shared {
                let (rules, inputs) = own;
                let kept = (keep != Keep::Decisions).then(|| subject.clone());
                let decision = decide(program, block.ladder, subject, &rules)?;
                let record = match kept {
                    Some(subject) => Some(SubjectRecord {
                        ladder: block.ladder,
                        subject,
                        rules,
                        inputs,
                    }),
                    None => {
                        scratch = rules;
                        None
                    }
                };
                out.push(Decided {
                    ladder: block.ladder,
                    decision,
                    record,
                });
            }
        }
    }
    for (key, (rules, inputs)) in pooled {
        let (ladder, subject) = key;
        let kept = (keep != Keep::Decisions).then(|| subject.clone());
        let decision = decide(program, ladder, subject, &rules)?;
        out.push(Decided {
            ladder,
            decision,
            record: kept.map(|subject| SubjectRecord {
                ladder,
                subject,
                rules,
                inputs,
            }),
        });
    }
    let (decisions, subjects) = out.finish()?;
    Ok((
        Run {
            evaluation: Evaluation {
                decisions,
                warnings: Vec::new(),
                errors,
            },
            subjects,
        },
        hits,
    ))
}

/// The traces of the rules at `wanted` (indices into `record.rules`),
/// evaluated again from the inputs the record kept (a run with `inputs`)
/// over the same facts and global definitions: what a replay needs to
/// explain a crossing, without evaluating the day's other subjects again.
pub(crate) fn retrace(
    program: &Program,
    facts: &Facts,
    globals: &Globals,
    record: &SubjectRecord,
    wanted: &[usize],
) -> Result<Vec<Option<Trace>>, Internal> {
    let mut env = Env::new(facts, &globals.lets);
    let mut entered: Option<BlockId> = None;
    let mut out = Vec::with_capacity(wanted.len());
    for &i in wanted {
        let r = record
            .rules
            .get(i)
            .ok_or_else(|| Internal::new("a rule record that does not exist"))?;
        let block_id = r.rule.block;
        let block = program.block(block_id)?;
        if entered != Some(block_id) {
            let input = record
                .inputs
                .iter()
                .find(|g| g.block == block_id)
                .ok_or_else(|| Internal::new("a subject record without its group's inputs"))?;
            let code = block_code(program, block_id);
            enter_bound(
                &mut env,
                block,
                code,
                input.key.clone(),
                input.items.clone(),
            )?;
            entered = Some(block_id);
        }
        let rule = program.rule(r.rule)?;
        out.push(match &rule.when {
            Some(w) => Some(trace(&mut env, program, block, w)?),
            None => None,
        });
    }
    Ok(out)
}

fn group_error(program: &Program, block: &Block, e: EvalError) -> Result<RuleError, Internal> {
    let ladder = program.ladder(block.ladder)?;
    Ok(RuleError {
        code: EVAL_CODE,
        rule: format!("rules {}", ladder.name),
        effect: "group".into(),
        rungs: Vec::new(),
        message: e.to_string(),
        location: e.span.location(),
        cause: Some(e),
    })
}

/// Combines rule outcomes into a decision: forbid overrides recommend.
fn decide<'p>(
    program: &'p Program,
    ladder: LadderId,
    subject: Name<'static>,
    records: &[RuleRecord],
) -> Result<Decision<'p>, Internal> {
    let rungs = &program.ladder(ladder)?.rungs;
    let n = rungs.len();
    // One byte per rung: bit 0 recommended, bit 1 forbidden.
    const REC: u8 = 1;
    const FORBID: u8 = 2;
    // Ladders are short: marks live on the stack unless one is not.
    let mut small = [0u8; 32];
    let mut large = Vec::new();
    let marks: &mut [u8] = match small.get_mut(..n) {
        Some(m) => m,
        None => {
            large.resize(n, 0);
            &mut large
        }
    };
    // The rules that fired, by effect, each in declaration order; and
    // whether any rule failed (the failures are listed only then).
    let mut recommending = Fired::new();
    let mut forbidding = Fired::new();
    let mut failed = false;
    let mut n_reasons = 0;
    for r in records {
        match r.outcome {
            Ok(true) => {}
            Ok(false) => continue,
            Err(_) => {
                failed = true;
                continue;
            }
        }
        let rule = program.rule(r.rule)?;
        let (bit, fired) = match rule.effect {
            Effect::Recommend => (REC, &mut recommending),
            Effect::Forbid => (FORBID, &mut forbidding),
        };
        fired.push(rule);
        // An empty range (`hi` below `lo`) marks nothing, as it lists no rung.
        let range = match marks.get_mut(rule.lo.index()..=rule.hi.index()) {
            Some(range) => range,
            None if rule.hi < rule.lo => &mut [],
            None => return Err(Internal::new("a rule's rung is outside its ladder")),
        };
        n_reasons += range.len();
        for m in range {
            *m |= bit;
        }
    }
    // The top rung, and how many rungs each list names.
    let (mut top, mut n_recommended, mut n_forbidden) = (None, 0, 0);
    for (g, mark) in marks.iter().enumerate() {
        if *mark == REC {
            top = Some(g);
            n_recommended += 1;
        }
        if mark & FORBID != 0 {
            n_forbidden += 1;
        }
    }
    let mut status = Status::Complete;
    let mut errors = Vec::new();
    // Failures are listed only when a rule failed: usually none did.
    let failures = if failed { records } else { &[] };
    for r in failures {
        let Err(e) = &r.outcome else { continue };
        let rule = program.rule(r.rule)?;
        let matters = match rule.effect {
            Effect::Recommend => top.is_none_or(|t| rule.hi.index() > t),
            Effect::Forbid => top.is_some_and(|t| rule.lo.index() <= t),
        };
        if matters {
            status = Status::Indeterminate;
        }
        errors.push(RuleError {
            code: EVAL_CODE,
            rule: rule.name.to_string(),
            effect: rule.effect.as_str().into(),
            rungs: rule
                .rungs()
                .map(|g| program.rung_name(ladder, g).map(str::to_string))
                .collect::<Result<_, _>>()?,
            message: e.to_string(),
            location: e.span.location(),
            cause: Some(e.clone()),
        });
    }
    // Reasons by rung, then recommend before forbid, then declaration
    // order: ladders and rule lists are short, so walking them beats sorting
    // keys. The rung lists in ladder order, in the same walk.
    let mut reasons: Vec<Reason> = Vec::with_capacity(n_reasons);
    let mut recommended = Vec::with_capacity(n_recommended);
    let mut forbidden = Vec::with_capacity(n_forbidden);
    for ((g, mark), rung) in marks.iter().enumerate().zip(rungs) {
        if *mark == 0 {
            continue;
        }
        let at = RungId::new(g);
        let name = rung.name.as_str();
        if *mark == REC {
            recommended.push(Name::Borrowed(name));
        }
        if mark & FORBID != 0 {
            forbidden.push(Name::Borrowed(name));
        }
        for fired in [&recommending, &forbidding] {
            for rule in fired.iter() {
                if rule.lo <= at && at <= rule.hi {
                    reasons.push(Reason {
                        rung: Name::Borrowed(name),
                        effect: rule.effect.as_str(),
                        rule: Name::Borrowed(&rule.name),
                        because: Name::Borrowed(&rule.because),
                        cites: rule.cites.as_deref().map(Name::Borrowed),
                    });
                }
            }
        }
    }
    let top = match top {
        Some(t) => Some(Name::Borrowed(program.rung_name(ladder, RungId::new(t))?)),
        None => None,
    };
    Ok(Decision {
        ladder: Name::Borrowed(program.ladder_name(ladder)?),
        subject,
        status,
        top,
        recommended,
        forbidden,
        reasons,
        errors,
    })
}

/// The rules of one effect that fired for a subject, in declaration order:
/// on the stack unless there are many (a small vector's room is not
/// zeroed first, as an array of options would be, for every subject).
type Fired<'p> = SmallVec<[&'p RuleDef; 16]>;

/// The `--explain` view of one subject's records.
fn explanation(program: &Program, s: &SubjectRecord) -> Result<SubjectExplanation, Internal> {
    let rules = s
        .rules
        .iter()
        .map(|r| {
            let rule = program.rule(r.rule)?;
            Ok(RuleExplanation {
                rule: rule.name.to_string(),
                effect: rule.effect.as_str().into(),
                range: (rule.lo, rule.hi),
                rungs: rule
                    .rungs()
                    .map(|g| program.rung_name(s.ladder, g).map(str::to_string))
                    .collect::<Result<_, _>>()?,
                outcome: r.outcome(),
                error: r.outcome.as_ref().err().map(ToString::to_string),
                condition: r.trace.as_deref().cloned(),
            })
        })
        .collect::<Result<_, Internal>>()?;
    Ok(SubjectExplanation {
        ladder: program.ladder_name(s.ladder)?.to_string(),
        subject: s.subject.to_string(),
        rules,
    })
}

/// Items matched by `warn` declarations.
fn warnings(facts: &Facts, program: &Program, globals: &Globals) -> Result<Vec<WarnHit>, Internal> {
    let mut out = Vec::new();
    for (warn, w) in program.warns.iter().enumerate() {
        if globals.kept_warn(warn).is_some() {
            out.push(WarnHit::Kept { warn });
            continue;
        }
        let env = Env::new(facts, &globals.lets);
        let list = match code_of(program).and_then(|c| c.warn(warn)) {
            Some(c) => surface(c.value(Ctx::new(&env)))?,
            None => Env::new(facts, &globals.lets)
                .eval(&w.items)
                .map(std::borrow::Cow::Owned),
        };
        match list {
            Ok(list) => {
                out.extend(
                    list_items(&list)
                        .enumerate()
                        .map(|(index, item)| WarnHit::Item {
                            warn,
                            index,
                            item: item.clone(),
                        }),
                );
            }
            Err(e) => {
                not_a_bug(&e)?;
                out.push(WarnHit::Failed(FactWarning {
                    message: format!("could not evaluate: {e}"),
                    item: e.span.location(),
                }))
            }
        }
    }
    Ok(out)
}

/// Names an item by its unique field when its record has one.
fn item_name(
    program: &Program,
    list_ty: &Type,
    item: &Value,
    i: usize,
) -> Result<String, Internal> {
    match program.schema.unique_key(list_ty, item)? {
        Some((f, v)) => Ok(format!(
            "{} {}",
            f.name,
            crate::value::show(v, &f.ty, &program.schema)?
        )),
        None => Ok(format!("item {}", i + 1)),
    }
}
