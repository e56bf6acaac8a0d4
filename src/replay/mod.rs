//! Replay: the decisions as of every day of a range, and what changed them.
//!
//! The doctrine's subject is cumulative activity: a campaign crosses rungs,
//! and incidents age out of the window, over months. A replay evaluates the
//! policy with `now` set to each day from `from` to `to` (every other fact
//! unchanged) and reads the [`Run`](crate::eval::Run) of each day: the
//! maximal runs of days with one decision become [`Segment`]s, and each day
//! a subject's recommended or forbidden rungs change becomes a [`Crossing`]
//! naming the rules whose outcome changed and the parts of their conditions
//! that moved (traced only on those days).
//!
//! Every day is the exact decision that `rung eval` gives with `now` set to
//! that day: a replay is built from single evaluations, never estimated.
//! What repeats from day to day (date windows over lists that do not move,
//! the groups and filters over them) is planned once by
//! [`eval::Windows`](crate::eval) and gives the interpreter's values.

mod closest;
mod timeline;

use miette::Diagnostic;
use rustc_hash::FxHashMap;
use thiserror::Error;

pub use closest::Closest;
pub use timeline::{Change, Crossing, Segment, SubjectTimeline, Timeline};

use crate::decision::Status;
use crate::eval::{self, Detail};
use crate::facts::Facts;
use crate::ids::FactId;
use crate::internal::Internal;
use crate::policy::Policy;
use crate::types::Type;
use crate::value::{Value, format_date};

/// The longest range a replay covers, in days (100 years).
pub const MAX_DAYS: i64 = 36_525;

/// Why a replay cannot run.
#[derive(Debug, Error, Diagnostic)]
pub enum ReplayError {
    /// The policy has no `now: date` fact to move through time.
    #[error("the policy declares no fact `now: date`, so there is no day to move")]
    #[diagnostic(
        code(rung::replay::no_now),
        help(
            "replay sets `now` to each day of the range: declare it in the facts, \
             e.g. `facts {{ now: date ... }}`, and compare dates with it"
        )
    )]
    NoNow,
    /// `--from` after `--to`.
    #[error("the range starts on {from}, after it ends on {to}")]
    #[diagnostic(code(rung::replay::range), help("give `--from` on or before `--to`"))]
    Backwards {
        /// The first day asked for.
        from: String,
        /// The last day asked for.
        to: String,
    },
    /// A range longer than [`MAX_DAYS`].
    #[error("the range from {from} to {to} is {days} days; the limit is {MAX_DAYS} (100 years)")]
    #[diagnostic(code(rung::replay::range), help("replay a shorter range"))]
    TooLong {
        /// The first day.
        from: String,
        /// The last day.
        to: String,
        /// Its length.
        days: i64,
    },
    /// A bug in rung.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Internal(#[from] Internal),
}

/// The fact a replay moves: `now`, when it is a date.
pub fn now_fact(policy: &Policy) -> Result<FactId, ReplayError> {
    let facts = &policy.program.schema.facts;
    match facts.field("now") {
        Some(i) if facts.fields.get(i).is_some_and(|f| f.ty == Type::Date) => Ok(FactId::new(i)),
        _ => Err(ReplayError::NoNow),
    }
}

/// The default range of `facts`: from the earliest date they hold anywhere
/// to their `now`. `None` when they hold no date.
pub fn default_range(facts: &Facts, now: FactId) -> Option<(i32, i32)> {
    let to = match facts.values().get(now.index()) {
        Some(Value::Date(d)) => *d,
        _ => return None,
    };
    let mut earliest = to;
    for v in facts.values() {
        earliest_date(v, &mut earliest);
    }
    Some((earliest, to))
}

fn earliest_date(v: &Value, earliest: &mut i32) {
    match v {
        Value::Date(d) => *earliest = (*earliest).min(*d),
        Value::List(items) => items.iter().for_each(|x| earliest_date(x, earliest)),
        Value::Record(fields) => fields.iter().for_each(|x| earliest_date(x, earliest)),
        _ => {}
    }
}

/// Checks a range: forwards, and at most [`MAX_DAYS`] long.
pub fn check_range(from: i32, to: i32) -> Result<(), ReplayError> {
    if from > to {
        return Err(ReplayError::Backwards {
            from: format_date(from),
            to: format_date(to),
        });
    }
    let days = i64::from(to) - i64::from(from) + 1;
    if days > MAX_DAYS {
        return Err(ReplayError::TooLong {
            from: format_date(from),
            to: format_date(to),
            days,
        });
    }
    Ok(())
}

/// Replays `policy` over `facts` from day `from` to day `to`, inclusive.
pub fn replay(policy: &Policy, facts: &Facts, from: i32, to: i32) -> Result<Timeline, ReplayError> {
    days(policy, facts, from, to, Detail::Outcomes)
}

/// [`replay`], and each subject's closest approach to the rung above the
/// highest it reached ([`SubjectTimeline::closest`]), for people reading a
/// timeline. Every day is then evaluated with its traces, which costs a few
/// times more than [`replay`].
pub fn replay_explained(
    policy: &Policy,
    facts: &Facts,
    from: i32,
    to: i32,
) -> Result<Timeline, ReplayError> {
    days(policy, facts, from, to, Detail::Traces)
}

fn days(
    policy: &Policy,
    facts: &Facts,
    from: i32,
    to: i32,
    detail: Detail,
) -> Result<Timeline, ReplayError> {
    let now = now_fact(policy)?;
    check_range(from, to)?;
    let mut builder = timeline::Builder::new(policy, from, to);
    if detail == Detail::Traces {
        builder = builder.with_closest();
    }
    let program = &policy.program;
    // The day before the range: the first day's subjects are compared with it.
    let mut before = facts.clone();
    before.set(now, Value::Date(from - 1))?;
    let windows = eval::Windows::new(program, &before, now)?;
    let mut before_globals = windows.globals(&before)?;
    let (run, _) = eval::run_from(
        program,
        &before,
        &mut before_globals,
        Detail::Outcomes,
        eval::Keep::Inputs,
    )?;
    builder.prime(run);
    for day in from..=to {
        let mut today = before.clone();
        today.set(now, Value::Date(day))?;
        let mut globals = windows.globals(&today)?;
        let (run, warned) =
            eval::run_from(program, &today, &mut globals, detail, eval::Keep::Inputs)?;
        let at = |day, facts, globals| timeline::Day {
            day,
            facts,
            globals,
        };
        builder.day(
            at(day, &today, &globals),
            at(day - 1, &before, &before_globals),
            run,
            &warned,
        )?;
        (before, before_globals) = (today, globals);
    }
    Ok(builder.finish()?)
}

/// A message reported on some days of a range, with those days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    /// What was reported (a `warn` declaration's text and item, or a run-time error).
    pub message: String,
    /// The days it was reported on, as inclusive ranges.
    pub days: Vec<(i32, i32)>,
}

/// Collects messages by day, merging consecutive days into ranges, in the
/// order they were first reported. A replay of a large campaign reports
/// thousands of messages a day (every incident dated after that day's
/// `now`): they are found by a key `K` that reads the same as the message
/// (the message itself, or a `warn` declaration and an item's unique key),
/// and each message is written once, when its key is first seen.
#[derive(Debug)]
pub(crate) struct ByDay<K = String> {
    index: FxHashMap<K, usize>,
    reported: Vec<Reported>,
}

impl<K> Default for ByDay<K> {
    fn default() -> Self {
        ByDay {
            index: FxHashMap::default(),
            reported: Vec::new(),
        }
    }
}

impl ByDay<String> {
    /// Adds `message`, reported on `day`.
    pub(crate) fn add(&mut self, message: String, day: i32) {
        let key = message.clone();
        let _ = self.add_keyed(key, day, || Ok(message));
    }
}

impl<K: std::hash::Hash + Eq> ByDay<K> {
    /// Adds the message that `key` stands for, reported on `day`; `message`
    /// writes it, only the first time `key` is seen. Returns the message's
    /// number, by which [`ByDay::add_again`] reports it on another day.
    pub(crate) fn add_keyed(
        &mut self,
        key: K,
        day: i32,
        message: impl FnOnce() -> Result<String, Internal>,
    ) -> Result<usize, Internal> {
        let i = match self.index.get(&key) {
            Some(&i) => i,
            None => {
                self.index.insert(key, self.reported.len());
                self.reported.push(Reported {
                    message: message()?,
                    days: Vec::new(),
                });
                self.reported.len() - 1
            }
        };
        self.add_again(i, day);
        Ok(i)
    }

    /// Reports message number `i` (from [`ByDay::add_keyed`]) on `day`.
    pub(crate) fn add_again(&mut self, i: usize, day: i32) {
        if let Some(r) = self.reported.get_mut(i) {
            match r.days.last_mut() {
                Some((_, end)) if *end + 1 == day => *end = day,
                _ => r.days.push((day, day)),
            }
        }
    }

    /// Ends message number `i`'s last range of days on `day`: for a message
    /// reported on consecutive days without [`ByDay::add_again`] each day.
    pub(crate) fn end_on(&mut self, i: usize, day: i32) {
        if let Some((_, end)) = self.reported.get_mut(i).and_then(|r| r.days.last_mut()) {
            *end = day;
        }
    }

    pub(crate) fn finish(self) -> Vec<Reported> {
        self.reported
    }
}

/// Whether a segment's decision can be relied on, in the words of the JSON.
pub(crate) fn status_word(s: Status) -> &'static str {
    match s {
        Status::Complete => "complete",
        Status::Indeterminate => "indeterminate",
    }
}
