//! Days → timeline: segments of unchanged decisions and the crossings
//! between them, with the rules and condition parts that moved.

use std::collections::BTreeMap;

use super::closest::{Closest, Tracker};
use super::{ByDay, Reported};
use crate::decision::{Decision, Status};
use crate::eval::explain::Trace;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::eval::{self, Globals, Run, SubjectRecord, WarnHit, WarnKey};
use crate::facts::Facts;
use crate::ids::{BlockId, LadderId, RungId};
use crate::internal::Internal;
use crate::policy::Policy;
use crate::types::Type;
use crate::value::Value;

/// Every subject's timeline over a range, and what was reported on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// The first day.
    pub from: i32,
    /// The last day.
    pub to: i32,
    /// Subjects in ladder declaration order, then byte order.
    pub subjects: Vec<SubjectTimeline>,
    /// `warn` declarations that matched, with the days they matched on.
    pub warnings: Vec<Reported>,
    /// Run-time failures (a rule's or a grouping's), with their days.
    pub errors: Vec<Reported>,
}

/// One subject of one ladder through the range.
#[derive(Debug, Clone, PartialEq)]
pub struct SubjectTimeline {
    /// The ladder's name.
    pub ladder: String,
    /// The ladder (for its rungs' order).
    pub ladder_id: LadderId,
    /// The subject.
    pub subject: String,
    /// Maximal runs of days with one decision, in order. A day without a
    /// decision for the subject belongs to none.
    pub segments: Vec<Segment>,
    /// The changes between segments, by date.
    pub crossings: Vec<Crossing>,
    /// How near the subject came to the rung above the highest it reached,
    /// when the replay was asked for it ([`super::replay_explained`]).
    pub closest: Option<Closest>,
}

/// Consecutive days with identical status, top, recommended and forbidden.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// The first day.
    pub from: i32,
    /// The last day.
    pub to: i32,
    /// `complete`, or `indeterminate` on days a failing rule could change it.
    pub status: Status,
    /// The highest recommended rung.
    pub top: Option<String>,
    /// Recommended rungs, in ladder order.
    pub recommended: Vec<String>,
    /// Forbidden rungs, in ladder order.
    pub forbidden: Vec<String>,
}

/// What happened to a rung on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// The subject's first decision (its rung is the top, if any).
    Appeared,
    /// The rung became recommended.
    Recommended,
    /// The rung is no longer recommended.
    Withdrawn,
    /// The rung became forbidden.
    Forbidden,
    /// The rung is no longer forbidden.
    Unforbidden,
    /// The subject has no decision any more (its rung was the top).
    Disappeared,
}

impl Change {
    /// The word the JSON and the human output use.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Appeared => "appeared",
            Change::Recommended => "recommended",
            Change::Withdrawn => "withdrawn",
            Change::Forbidden => "forbidden",
            Change::Unforbidden => "unforbidden",
            Change::Disappeared => "disappeared",
        }
    }
}

/// A change of a subject's decision on a day, and what tipped it.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossing {
    /// The day it happened.
    pub date: i32,
    /// The rung concerned (`None` for a subject that appears or disappears
    /// with no rung recommended).
    pub rung: Option<String>,
    /// What happened to it.
    pub change: Change,
    /// The rules concerning the rung whose outcome changed that day.
    pub rules: Vec<String>,
    /// The parts of those rules' conditions that changed (before → after),
    /// and the items that entered or left the subject's list that day.
    pub why: Vec<String>,
}

/// One day's decision of a subject, as segments compare them.
#[derive(Debug, Clone, PartialEq)]
struct State {
    status: Status,
    top: Option<String>,
    recommended: Vec<String>,
    forbidden: Vec<String>,
}

impl State {
    fn of(d: &Decision<'_>) -> State {
        State {
            status: d.status,
            top: d.top.as_deref().map(str::to_string),
            recommended: d.recommended.iter().map(|n| n.to_string()).collect(),
            forbidden: d.forbidden.iter().map(|n| n.to_string()).collect(),
        }
    }
}

/// What a subject was on the previous day it was decided.
struct Last {
    day: i32,
    state: State,
}

/// A day of the range: its facts (`now` set to it) and its global
/// definitions, kept so that a crossing is explained without evaluating
/// the day again.
#[derive(Clone, Copy)]
pub(super) struct Day<'a> {
    /// The day.
    pub(super) day: i32,
    /// The facts, `now` set to the day.
    pub(super) facts: &'a Facts,
    /// The global definitions over those facts.
    pub(super) globals: &'a Globals,
}

/// Each subject's records on one day, by (ladder, subject).
type Records = BTreeMap<(LadderId, String), SubjectRecord>;

/// A crossing found, waiting for its explanation.
struct Pending {
    key: (LadderId, String),
    crossing: Crossing,
    /// The rules (by position among the subject's records) that changed.
    changed: Vec<usize>,
}

/// Builds a timeline day by day.
pub(super) struct Builder<'p> {
    policy: &'p Policy,
    from: i32,
    to: i32,
    subjects: BTreeMap<(LadderId, String), SubjectTimeline>,
    last: BTreeMap<(LadderId, String), Last>,
    /// The records of the day before the one being taken in.
    yesterday: Records,
    warnings: ByDay<WarnKey>,
    /// Each warned item's message number in `warnings`, by its identity
    /// ([`WarnHit::identity`]).
    warned: FxHashMap<(usize, usize, usize), usize>,
    /// For each `warn` declaration kept before the runs, each item's
    /// message number in `warnings` (`u32::MAX`: not yet named).
    kept: Vec<Vec<u32>>,
    /// For each `warn` declaration kept before the runs, the items named
    /// by their unique field reported yesterday, ascending: their ranges of
    /// days are left open while they stay, and ended when they leave.
    open: Vec<Vec<u32>>,
    /// The last day taken in.
    last_day: Option<i32>,
    errors: ByDay,
    /// Set when the runs are traced and the closest approaches are wanted.
    closest: Option<Tracker>,
}

impl<'p> Builder<'p> {
    pub(super) fn new(policy: &'p Policy, from: i32, to: i32) -> Self {
        Builder {
            policy,
            from,
            to,
            subjects: BTreeMap::new(),
            last: BTreeMap::new(),
            yesterday: Records::new(),
            warnings: ByDay::default(),
            warned: FxHashMap::default(),
            kept: Vec::new(),
            open: Vec::new(),
            last_day: None,
            errors: ByDay::default(),
            closest: None,
        }
    }

    /// Also tracks each subject's closest approach to its next rung; the
    /// runs given to [`Builder::day`] must then be traced.
    pub(super) fn with_closest(mut self) -> Self {
        self.closest = Some(Tracker::default());
        self
    }

    /// Takes in the run of the day before the range (with its inputs), so
    /// that the first day's subjects are compared with it.
    pub(super) fn prime(&mut self, run: Run<'_>) {
        self.yesterday = records_of(run);
    }

    /// Takes in the run of `today` (evaluated with its inputs kept);
    /// `yesterday` is the day before, whose run was taken in last.
    pub(super) fn day(
        &mut self,
        today: Day<'_>,
        yesterday: Day<'_>,
        run: Run<'_>,
        warned: &[WarnHit],
    ) -> Result<(), Internal> {
        let program = &self.policy.program;
        let day = today.day;
        // A kept list left to the interpreter today ends its open ranges
        // yesterday; the hits below continue them.
        for warn in 0..self.open.len() {
            if !warned
                .iter()
                .any(|w| matches!(w, WarnHit::Kept { warn: k } if *k == warn))
            {
                self.end_open(warn, day - 1);
            }
        }
        self.last_day = Some(day);
        for w in warned {
            if let WarnHit::Kept { warn } = w {
                self.kept_warn(*warn, today)?;
                continue;
            }
            // The same item warned about yesterday reads the same today:
            // found by its identity, it is not named again.
            let identity = w.identity(program)?;
            if let Some(i) = identity.and_then(|id| self.warned.get(&id)) {
                self.warnings.add_again(*i, day);
                continue;
            }
            let i = self
                .warnings
                .add_keyed(w.key(program)?, day, || Ok(w.warning(program)?.line()))?;
            if let Some(id) = identity {
                self.warned.insert(id, i);
            }
        }
        for e in &run.evaluation.errors {
            self.errors.add(
                format!(
                    "`{}` could not be decided: {} at {}",
                    e.rule, e.message, e.location
                ),
                day,
            );
        }
        let mut pending: Vec<Pending> = Vec::new();
        let mut records = Records::new();
        for (decision, record) in run.evaluation.decisions.iter().zip(run.subjects) {
            for e in &decision.errors {
                self.errors.add(
                    format!(
                        "`{}` failed for {} {}: {} at {}",
                        e.rule, decision.ladder, decision.subject, e.message, e.location
                    ),
                    day,
                );
            }
            let key = (record.ladder, decision.subject.to_string());
            let state = State::of(decision);
            let timeline = self
                .subjects
                .entry(key.clone())
                .or_insert_with(|| SubjectTimeline {
                    ladder: decision.ladder.to_string(),
                    ladder_id: record.ladder,
                    subject: decision.subject.to_string(),
                    segments: Vec::new(),
                    crossings: Vec::new(),
                    closest: None,
                });
            let previous = self.last.get(&key);
            // Extend the current segment, or open a new one.
            let continues = previous.is_some_and(|l| l.day + 1 == day && l.state == state);
            match timeline.segments.last_mut() {
                Some(seg) if continues => seg.to = day,
                _ => timeline.segments.push(Segment {
                    from: day,
                    to: day,
                    status: state.status,
                    top: state.top.clone(),
                    recommended: state.recommended.clone(),
                    forbidden: state.forbidden.clone(),
                }),
            }
            let before = match previous.filter(|l| l.day + 1 == day) {
                Some(l) => Some((
                    &l.state,
                    self.yesterday.get(&key).ok_or_else(|| {
                        Internal::new("a subject decided yesterday without yesterday's records")
                    })?,
                )),
                None => None,
            };
            let first = timeline.crossings.is_empty() && timeline.segments.len() == 1;
            pending.extend(changes(program, &key, day, before, first, &state, &record)?);
            if let Some(t) = &mut self.closest {
                t.day(program, &key, day, &state.recommended, &record)?;
            }
            self.last.insert(key.clone(), Last { day, state });
            records.insert(key, record);
        }
        // Subjects decided yesterday and not today disappear.
        let gone: Vec<(LadderId, String)> = self
            .last
            .iter()
            .filter(|(k, l)| l.day + 1 == day && !records.contains_key(*k))
            .map(|(k, _)| k.clone())
            .collect();
        for key in gone {
            if let Some(l) = self.last.get(&key) {
                pending.push(Pending {
                    key: key.clone(),
                    crossing: Crossing {
                        date: day,
                        rung: l.state.top.clone(),
                        change: Change::Disappeared,
                        rules: Vec::new(),
                        why: vec![format!(
                            "{} is no longer a subject of `{}`",
                            key.1,
                            ladder_name(program, key.0)?
                        )],
                    },
                    changed: Vec::new(),
                });
            }
        }
        if !pending.is_empty() {
            self.explain(today, yesterday, &records, pending)?;
        }
        self.yesterday = records;
        Ok(())
    }

    /// Reports the items of `warn` declaration `warn` kept before today's
    /// run. An item named by its unique field reads the same every day: its
    /// message number is kept by its position in the list, and it is
    /// named once.
    fn kept_warn(&mut self, warn: usize, today: Day<'_>) -> Result<(), Internal> {
        let program = &self.policy.program;
        let Some((root, indices)) = today.globals.kept_warn(warn) else {
            return Err(Internal::new("a kept warn list that was not kept"));
        };
        if self.kept.len() <= warn {
            self.kept.resize_with(warn + 1, Vec::new);
        }
        let known = self
            .kept
            .get_mut(warn)
            .ok_or_else(|| Internal::new("a kept warn list without its table"))?;
        if known.len() != root.len() {
            *known = vec![u32::MAX; root.len()];
        }
        if self.open.len() <= warn {
            self.open.resize_with(warn + 1, Vec::new);
        }
        let yesterday = std::mem::take(
            self.open
                .get_mut(warn)
                .ok_or_else(|| Internal::new("a kept warn list without its open items"))?,
        );
        let mut still = Vec::with_capacity(yesterday.len());
        // Both lists ascend: walk them together.
        let mut was = yesterday.iter().copied().peekable();
        for (index, &at) in indices.iter().enumerate() {
            while let Some(gone) = was.next_if(|&w| w < at) {
                if let Some(&i) = known.get(gone as usize) {
                    self.warnings.end_on(i as usize, today.day - 1);
                }
            }
            let stayed = was.next_if_eq(&at).is_some();
            let slot = known
                .get_mut(at as usize)
                .ok_or_else(|| Internal::new("a kept warn item outside its list"))?;
            if *slot != u32::MAX {
                if !stayed {
                    self.warnings.add_again(*slot as usize, today.day);
                }
                still.push(at);
                continue;
            }
            let item = root
                .get(at as usize)
                .ok_or_else(|| Internal::new("a kept warn item outside its list"))?;
            let hit = WarnHit::Item {
                warn,
                index,
                item: item.clone(),
            };
            let i = self.warnings.add_keyed(hit.key(program)?, today.day, || {
                Ok(hit.warning(program)?.line())
            })?;
            // Only an item named by its unique field (not by its position)
            // reads the same whatever its position.
            if hit
                .identity(program)?
                .is_some_and(|(_, _, at)| at == usize::MAX)
            {
                *slot = u32::try_from(i).unwrap_or(u32::MAX);
                still.push(at);
            }
        }
        for gone in was {
            if let Some(&i) = known.get(gone as usize) {
                self.warnings.end_on(i as usize, today.day - 1);
            }
        }
        if let Some(open) = self.open.get_mut(warn) {
            *open = still;
        }
        Ok(())
    }

    /// Ends on `day` the open ranges of `warn`'s items, and closes them.
    fn end_open(&mut self, warn: usize, day: i32) {
        let (Some(open), Some(known)) = (self.open.get_mut(warn), self.kept.get(warn)) else {
            return;
        };
        for at in std::mem::take(open) {
            if let Some(&i) = known.get(at as usize) {
                self.warnings.end_on(i as usize, day);
            }
        }
    }

    /// Explains the crossings of `today`: the changed rules' condition parts
    /// before and after, and the items that entered or left. Only the rules
    /// concerned are traced, from the inputs both days' records kept.
    fn explain(
        &mut self,
        today: Day<'_>,
        yesterday: Day<'_>,
        records: &Records,
        pending: Vec<Pending>,
    ) -> Result<(), Internal> {
        let program = &self.policy.program;
        for p in pending {
            let mut crossing = p.crossing;
            let now_rec = records.get(&p.key);
            let then_rec = self.yesterday.get(&p.key);
            if let (Some(now_rec), Some(then_rec)) = (now_rec, then_rec)
                && !p.changed.is_empty()
            {
                let now = eval::retrace(program, today.facts, today.globals, now_rec, &p.changed)?;
                let then = eval::retrace(
                    program,
                    yesterday.facts,
                    yesterday.globals,
                    then_rec,
                    &p.changed,
                )?;
                for ((&i, a), b) in p.changed.iter().zip(&then).zip(&now) {
                    let Some(r) = now_rec.rules.get(i) else {
                        continue;
                    };
                    let name = &program.rule(r.rule)?.name;
                    if let (Some(a), Some(b)) = (a, b) {
                        for (x, y) in leaves(a).into_iter().zip(leaves(b)) {
                            if x != y {
                                crossing.why.push(format!("{name}: {x} → {y}"));
                            }
                        }
                    }
                }
            }
            if crossing.change != Change::Disappeared
                && let Some(block) = first_block(program, p.key.0)
            {
                crossing
                    .why
                    .extend(items_moved(self.policy, block, then_rec, now_rec)?);
            }
            if let Some(t) = self.subjects.get_mut(&p.key) {
                t.crossings.push(crossing);
            }
        }
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<Timeline, Internal> {
        if let Some(last) = self.last_day {
            for warn in 0..self.open.len() {
                self.end_open(warn, last);
            }
        }
        let program = &self.policy.program;
        let mut subjects = self.subjects;
        if let Some(t) = &self.closest {
            for (key, s) in subjects.iter_mut() {
                let ladder = program.ladder(key.0)?;
                // The rung above the highest top of the range.
                let next = s
                    .segments
                    .iter()
                    .filter_map(|g| g.top.as_deref())
                    .filter_map(|top| ladder.rungs.iter().position(|r| *r.name == *top))
                    .max()
                    .map_or(0, |i| i + 1);
                s.closest = t.closest(program, key, next)?;
            }
        }
        Ok(Timeline {
            from: self.from,
            to: self.to,
            subjects: subjects.into_values().collect(),
            warnings: self.warnings.finish(),
            errors: self.errors.finish(),
        })
    }
}

fn ladder_name(program: &crate::program::Program, id: LadderId) -> Result<&str, Internal> {
    program.ladder_name(id)
}

/// The crossings of one subject on `day`, compared with the day before.
fn changes(
    program: &crate::program::Program,
    key: &(LadderId, String),
    day: i32,
    before: Option<(&State, &SubjectRecord)>,
    first: bool,
    state: &State,
    records: &SubjectRecord,
) -> Result<Vec<Pending>, Internal> {
    let ladder = program.ladder(key.0)?;
    let mut out = Vec::new();
    // Which rules changed outcome (all that fired, on a first day).
    let changed: Vec<usize> = match before {
        Some((_, b)) => records
            .rules
            .iter()
            .zip(&b.rules)
            .enumerate()
            .filter(|(_, (x, y))| x.outcome() != y.outcome())
            .map(|(i, _)| i)
            .collect(),
        None => records
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.outcome == Ok(true))
            .map(|(i, _)| i)
            .collect(),
    };
    let concerning = |rung: RungId| -> Result<(Vec<String>, Vec<usize>), Internal> {
        let mut names = Vec::new();
        let mut which = Vec::new();
        for &i in &changed {
            if let Some(r) = records.rules.get(i) {
                let rule = program.rule(r.rule)?;
                if rule.lo <= rung && rung <= rule.hi {
                    names.push(rule.name.clone());
                    which.push(i);
                }
            }
        }
        Ok((names, which))
    };
    if first && before.is_none() {
        let top = state.top.clone();
        let rung = top
            .as_deref()
            .and_then(|t| ladder.rungs.iter().position(|r| r.name == t))
            .map(RungId::new);
        let (rules, which) = match rung {
            Some(r) => concerning(r)?,
            None => (Vec::new(), Vec::new()),
        };
        out.push(Pending {
            key: key.clone(),
            crossing: Crossing {
                date: day,
                rung: top,
                change: Change::Appeared,
                rules,
                why: Vec::new(),
            },
            changed: which,
        });
        return Ok(out);
    }
    let empty = State {
        status: Status::Complete,
        top: None,
        recommended: Vec::new(),
        forbidden: Vec::new(),
    };
    let old = before.map_or(&empty, |(s, _)| s);
    for (g, rung) in ladder.rungs.iter().enumerate() {
        let name = &rung.name;
        let was_rec = old.recommended.contains(name);
        let is_rec = state.recommended.contains(name);
        let was_forb = old.forbidden.contains(name);
        let is_forb = state.forbidden.contains(name);
        let mut push = |change: Change| -> Result<(), Internal> {
            let (rules, which) = concerning(RungId::new(g))?;
            out.push(Pending {
                key: key.clone(),
                crossing: Crossing {
                    date: day,
                    rung: Some(name.clone()),
                    change,
                    rules,
                    why: Vec::new(),
                },
                changed: which,
            });
            Ok(())
        };
        if is_rec && !was_rec {
            push(Change::Recommended)?;
        }
        if was_rec && !is_rec {
            push(Change::Withdrawn)?;
        }
        if is_forb && !was_forb {
            push(Change::Forbidden)?;
        }
        if was_forb && !is_forb {
            push(Change::Unforbidden)?;
        }
    }
    Ok(out)
}

/// The leaves of a trace, as their summaries with a mark.
fn leaves(t: &Trace) -> Vec<String> {
    match t {
        Trace::Leaf { holds, summary, .. } => {
            let mark = match holds {
                Some(true) => "✓",
                Some(false) => "✗",
                None => "!",
            };
            vec![format!("{mark} {summary}")]
        }
        Trace::All { parts, .. } | Trace::Any { parts, .. } => {
            parts.iter().flat_map(leaves).collect()
        }
        Trace::Not { part, .. } | Trace::Named { part, .. } => leaves(part),
    }
}

/// The first rules block deciding `ladder`.
fn first_block(program: &crate::program::Program, ladder: LadderId) -> Option<BlockId> {
    program
        .blocks
        .iter()
        .position(|b| b.ladder == ladder)
        .map(BlockId::new)
}

/// Items that entered or left a subject's list between two days, named by
/// their `unique` field (or shown whole when the record has none): the
/// items `block` bound for the subject in each day's records (none when the
/// subject was not among its groups).
fn items_moved(
    policy: &Policy,
    block: BlockId,
    before: Option<&SubjectRecord>,
    after: Option<&SubjectRecord>,
) -> Result<Vec<String>, Internal> {
    let program = &policy.program;
    let b = program.block(block)?;
    let list = |record: Option<&SubjectRecord>| -> Result<Vec<String>, Internal> {
        let items = record.and_then(|r| r.inputs.iter().find(|g| g.block == block));
        match items.map(|g| &g.items) {
            Some(Value::List(xs)) => xs
                .iter()
                .map(|x| item_name(policy, &b.source.ty, x))
                .collect(),
            _ => Ok(Vec::new()),
        }
    };
    let (then, now) = (list(before)?, list(after)?);
    let (then_set, now_set): (FxHashSet<&str>, FxHashSet<&str>) = (
        then.iter().map(String::as_str).collect(),
        now.iter().map(String::as_str).collect(),
    );
    let entered: Vec<&str> = now
        .iter()
        .map(String::as_str)
        .filter(|x| !then_set.contains(x))
        .collect();
    let left: Vec<&str> = then
        .iter()
        .map(String::as_str)
        .filter(|x| !now_set.contains(x))
        .collect();
    let mut out = Vec::new();
    let what = &b.items;
    if !entered.is_empty() {
        out.push(format!("entered {what}: {}", capped(&entered)));
    }
    if !left.is_empty() {
        out.push(format!("left {what}: {}", capped(&left)));
    }
    Ok(out)
}

/// At most this many items are named; the rest are counted.
const NAMED_ITEMS: usize = 10;

fn capped(items: &[&str]) -> String {
    let shown: Vec<&str> = items.iter().take(NAMED_ITEMS).copied().collect();
    let mut s = shown.join(", ");
    if items.len() > NAMED_ITEMS {
        s.push_str(&format!(" and {} more", items.len() - NAMED_ITEMS));
    }
    s
}

/// An item by its unique field's value, or shown whole.
fn item_name(policy: &Policy, list_ty: &Type, item: &Value) -> Result<String, Internal> {
    let schema = &policy.program.schema;
    match schema.unique_key(list_ty, item)? {
        // An id reads best as written in the facts, without quotes.
        Some((_, Value::Str(s))) => Ok(s.to_string()),
        Some((f, v)) => crate::value::show(v, &f.ty, schema),
        None => crate::value::show(item, list_ty.element().unwrap_or(list_ty), schema),
    }
}

/// A run's records by (ladder, subject).
fn records_of(run: Run<'_>) -> Records {
    run.evaluation
        .decisions
        .iter()
        .zip(run.subjects)
        .map(|(d, r)| ((r.ladder, d.subject.to_string()), r))
        .collect()
}
