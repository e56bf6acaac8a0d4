//! Rule coverage: which rules (and which forbids) no test exercised.
//!
//! A rule is exercised when the facts of some test make it fire for some
//! subject. A rule no test fires is a rule whose meaning no test pins down:
//! it could be deleted, or its condition inverted, and every test would still
//! pass. The report lists those rules so the author can add the missing case.

use std::collections::HashSet;

use serde::Serialize;

use crate::ast::Effect;
use crate::eval::explain::{Outcome, SubjectExplanation};
use crate::program::Program;

/// Collects fired rules across the tests of a run.
#[derive(Debug, Default)]
pub struct Tracker {
    /// `(ladder, rule)` pairs that fired at least once.
    fired: HashSet<(String, String)>,
}

impl Tracker {
    /// Records the rules that fired in one test's evaluation.
    pub fn record(&mut self, explanations: &[SubjectExplanation]) {
        for s in explanations {
            for r in s.rules.iter().filter(|r| r.outcome == Outcome::Fired) {
                self.fired.insert((s.ladder.clone(), r.rule.clone()));
            }
        }
    }

    /// The coverage of `program`'s rules by what was recorded.
    pub fn finish(&self, program: &Program) -> Coverage {
        let mut c = Coverage::default();
        for block in &program.blocks {
            let ladder = program
                .schema
                .ladders
                .get(block.ladder.index())
                .map_or_else(String::new, |l| l.name.clone());
            for rule in &block.rules {
                let forbid = rule.effect == Effect::Forbid;
                let hit = self
                    .fired
                    .contains(&(ladder.clone(), rule.name.to_string()));
                c.rules += 1;
                c.exercised += usize::from(hit);
                c.forbids += usize::from(forbid);
                c.forbids_exercised += usize::from(forbid && hit);
                if !hit {
                    c.unexercised.push(RuleRef {
                        ladder: ladder.clone(),
                        rule: rule.name.to_string(),
                        effect: rule.effect.as_str().to_string(),
                        location: rule.span.location(),
                    });
                }
            }
        }
        c
    }
}

/// How many rules the tests exercised, and which they did not.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Coverage {
    /// Rules in the policy (recommend and forbid).
    pub rules: usize,
    /// Rules some test made fire.
    pub exercised: usize,
    /// Forbid rules in the policy.
    pub forbids: usize,
    /// Forbid rules some test made fire.
    pub forbids_exercised: usize,
    /// Rules no test made fire, in declaration order.
    pub unexercised: Vec<RuleRef>,
}

/// A rule, named for a report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RuleRef {
    /// Its ladder.
    pub ladder: String,
    /// Its name.
    pub rule: String,
    /// `recommend` or `forbid`.
    pub effect: String,
    /// Where it is declared (`file:line:col`).
    pub location: String,
}
