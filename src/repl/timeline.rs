//! Through time at the prompt: `:replay [FROM TO]` prints the timeline of
//! the current facts (edits included), `:at DATE` the decision as of a day.

use std::sync::Arc;

use super::command::Arg;
use super::error::{ReplError, at, typed};
use super::session::{Reply, Session};
use super::whatif::no_facts;
use crate::eval::Detail;
use crate::facts::Facts;
use crate::ids::FactId;
use crate::render;
use crate::replay;
use crate::source::SourceFile;
use crate::value::{Value, parse_date};

impl Session {
    /// A typed day, or a report on it.
    fn day(&self, file: &Arc<SourceFile>, a: &Arg) -> Result<i32, ReplError> {
        parse_date(&a.text).ok_or_else(|| {
            let (src, span) = at(&typed(file, a.start, a.end));
            ReplError::Usage {
                src,
                span,
                message: format!("`{}` is not a day", a.text),
                label: "not a YYYY-MM-DD date".into(),
                help: "give a real day as YYYY-MM-DD, e.g. `:at 2022-07-15`".into(),
            }
        })
    }

    /// The facts and the `now` fact a move through time needs, or a report
    /// on what is missing.
    fn through_time(&self, reply: &mut Reply) -> Option<(&Facts, FactId)> {
        let Some(f) = &self.facts else {
            reply.report(no_facts());
            return None;
        };
        match replay::now_fact(&self.policy.policy) {
            Ok(n) => Some((&f.facts, n)),
            Err(e) => {
                reply.report(e);
                None
            }
        }
    }

    /// `:replay [FROM TO]`
    pub(super) fn replay(&mut self, file: &Arc<SourceFile>, args: &[Arg], reply: &mut Reply) {
        let Some((facts, now)) = self.through_time(reply) else {
            return;
        };
        let policy = &self.policy.policy;
        let range = match args {
            [a, b] => match (self.day(file, a), self.day(file, b)) {
                (Ok(x), Ok(y)) => Some((x, y)),
                (Err(e), _) | (_, Err(e)) => {
                    reply.report(e);
                    return;
                }
            },
            _ => replay::default_range(facts, now),
        };
        let Some((from, to)) = range else {
            reply.report(ReplError::Plain {
                message: "the facts hold no date to start from".into(),
                help: Some("give the range: `:replay FROM TO`".into()),
            });
            return;
        };
        match replay::replay_explained(policy, facts, from, to) {
            Ok(t) => reply.text(render::timeline_human(&t, self.paint, None)),
            Err(e) => reply.report(e),
        }
    }

    /// `:at DATE`
    pub(super) fn at(&mut self, file: &Arc<SourceFile>, day: &Arg, reply: &mut Reply) {
        let Some((facts, now)) = self.through_time(reply) else {
            return;
        };
        let policy = &self.policy.policy;
        let d = match self.day(file, day) {
            Ok(d) => d,
            Err(e) => {
                reply.report(e);
                return;
            }
        };
        let mut facts = facts.clone();
        let shown = facts.set(now, Value::Date(d)).and_then(|()| {
            let run = policy.run(&facts, Detail::Traces)?;
            let explanations = run.explanations(&policy.program)?;
            Ok(render::human(
                &policy.program,
                &run.evaluation,
                &explanations,
                render::Options {
                    explain: false,
                    paint: self.paint,
                    digest: None,
                },
            ))
        });
        match shown {
            Ok(text) => reply.text(format!(
                "as of {} (now = {}):\n\n{text}",
                day.text, day.text
            )),
            Err(e) => reply.report(e),
        }
    }
}
