//! The closest approach to a subject's next rung over a replay: for the
//! rung just above the highest one the subject reached in the range, the
//! day on which a rule recommending it came nearest to holding, and what it
//! still lacked that day ("article_5_consideration: closest on 2022-11-02,
//! sum(allied_high.severity) = 14, needs >= 15").
//!
//! "Nearest" ranks a rule's condition by how many of its parts did not hold
//! (for `or`, its best alternative), then by the total distance of the
//! numeric comparisons among them; a tie keeps the earliest day. It reads
//! the traces of a traced run, so only a replay that asks for it pays for
//! them.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::ast::Effect;
use crate::eval::SubjectRecord;
use crate::eval::explain::Trace;
use crate::ids::LadderId;
use crate::internal::Internal;
use crate::program::Program;
use crate::render::Paint;

/// The closest approach of one subject to its next rung.
#[derive(Debug, Clone, PartialEq)]
pub struct Closest {
    /// The rung the subject never reached in the range.
    pub rung: String,
    /// The day its best rule came nearest.
    pub date: i32,
    /// That rule.
    pub rule: String,
    /// What the rule still lacked that day, one part per line.
    pub unmet: Vec<String>,
}

/// How far a condition is from holding: parts unmet, then total distance.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rank {
    unmet: usize,
    distance: f64,
}

impl Rank {
    const HELD: Rank = Rank {
        unmet: 0,
        distance: 0.0,
    };

    fn cmp(&self, other: &Rank) -> Ordering {
        self.unmet
            .cmp(&other.unmet)
            .then(self.distance.total_cmp(&other.distance))
    }

    fn plus(self, other: Rank) -> Rank {
        Rank {
            unmet: self.unmet + other.unmet,
            distance: self.distance + other.distance,
        }
    }
}

fn rank(t: &Trace) -> Rank {
    match t {
        Trace::Leaf {
            holds, shortfall, ..
        } => match holds {
            Some(true) => Rank::HELD,
            _ => Rank {
                unmet: 1,
                distance: shortfall.unwrap_or(0.0),
            },
        },
        Trace::All { parts, .. } => parts.iter().map(rank).fold(Rank::HELD, Rank::plus),
        Trace::Any { parts, .. } => parts
            .iter()
            .map(rank)
            .min_by(Rank::cmp)
            .unwrap_or(Rank::HELD),
        Trace::Not { holds, .. } => match holds {
            Some(true) => Rank::HELD,
            _ => Rank {
                unmet: 1,
                distance: 0.0,
            },
        },
        Trace::Named { part, .. } => rank(part),
    }
}

struct Best {
    rank: Rank,
    day: i32,
    rule: String,
    unmet: Vec<String>,
}

/// Keeps, for every (ladder, subject, rung), the day a recommending rule
/// came nearest to holding while the rung was not recommended.
#[derive(Default)]
pub(super) struct Tracker {
    best: BTreeMap<(LadderId, String, usize), Best>,
}

impl Tracker {
    /// Takes in one subject's traced records of `day`.
    pub(super) fn day(
        &mut self,
        program: &Program,
        key: &(LadderId, String),
        day: i32,
        recommended: &[String],
        records: &SubjectRecord,
    ) -> Result<(), Internal> {
        let ladder = program.ladder(key.0)?;
        for record in &records.rules {
            let rule = program.rule(record.rule)?;
            if rule.effect != Effect::Recommend || matches!(record.outcome, Ok(true)) {
                continue;
            }
            let Some(trace) = &record.trace else {
                continue;
            };
            let r = rank(trace);
            for index in rule.lo.index()..=rule.hi.index() {
                let Some(rung) = ladder.rungs.get(index) else {
                    continue;
                };
                if recommended.iter().any(|n| *n == *rung.name) {
                    continue;
                }
                let slot = (key.0, key.1.clone(), index);
                let better = self
                    .best
                    .get(&slot)
                    .is_none_or(|b| r.cmp(&b.rank) == Ordering::Less);
                if better {
                    self.best.insert(
                        slot,
                        Best {
                            rank: r,
                            day,
                            rule: rule.name.clone(),
                            unmet: crate::render::unmet_lines(trace, Paint { enabled: false }),
                        },
                    );
                }
            }
        }
        Ok(())
    }

    /// The closest approach of `key` to the rung at `index`, if a rule
    /// recommending it was evaluated on some day.
    pub(super) fn closest(
        &self,
        program: &Program,
        key: &(LadderId, String),
        index: usize,
    ) -> Result<Option<Closest>, Internal> {
        let Some(b) = self.best.get(&(key.0, key.1.clone(), index)) else {
            return Ok(None);
        };
        let ladder = program.ladder(key.0)?;
        let rung = ladder
            .rungs
            .get(index)
            .ok_or_else(|| Internal::new("a rung index past its ladder"))?;
        Ok(Some(Closest {
            rung: rung.name.to_string(),
            date: b.day,
            rule: b.rule.clone(),
            unmet: b.unmet.clone(),
        }))
    }
}
