//! Subjects and their scope: `:subject`, and finding which rules block and
//! ladder a subject belongs to under the current facts.

use std::sync::Arc;

use super::command::Arg;
use super::error::{ReplError, at, typed};
use super::probe::{self, SubjectScope};
use super::session::{Reply, Session};
use crate::source::SourceFile;

impl Session {
    /// Every subject of a ladder under the current facts.
    pub fn subjects_of(&self, ladder: &str) -> Vec<String> {
        let Some(f) = &self.facts else {
            return Vec::new();
        };
        let program = &self.policy.policy.program;
        let mut out: Vec<String> = Vec::new();
        for (i, b) in program.blocks.iter().enumerate() {
            let name = program
                .schema
                .ladders
                .get(b.ladder.index())
                .map(|l| &l.name);
            if name.is_some_and(|n| n == ladder) {
                for s in probe::block_subjects(program, &f.facts, i) {
                    if !out.contains(&s) {
                        out.push(s);
                    }
                }
            }
        }
        out.sort();
        out
    }

    /// The first rules block of `ladder` that has `subject` under the facts.
    pub fn find_block(&self, ladder: &str, subject: &str) -> Option<usize> {
        let f = self.facts.as_ref()?;
        let program = &self.policy.policy.program;
        program.blocks.iter().enumerate().find_map(|(i, b)| {
            let name = &program.schema.ladders.get(b.ladder.index())?.name;
            (name == ladder
                && probe::block_subjects(program, &f.facts, i)
                    .iter()
                    .any(|s| s == subject))
            .then_some(i)
        })
    }

    pub(super) fn subject(&mut self, file: &Arc<SourceFile>, args: &[Arg], reply: &mut Reply) {
        let (ladder, subject) = match args {
            [ladder, subject] => (ladder.clone(), subject),
            [subject] => match self.ladder_of(file, subject) {
                Ok(ladder) => (ladder, subject),
                Err(e) => {
                    reply.report(e);
                    return;
                }
            },
            _ => {
                match self.scope.take() {
                    Some(s) => reply.text(format!("left the scope of {} {}", s.ladder, s.subject)),
                    None => reply.text("not in a subject's scope"),
                }
                return;
            }
        };
        let ladder = &ladder;
        if let Err(e) = self.check_ladder(file, ladder) {
            reply.report(e);
            return;
        }
        if self.facts.is_none() {
            let (src, span) = at(&typed(file, subject.start, subject.end));
            reply.report(ReplError::NoFacts { src, span });
            return;
        }
        match self.find_block(&ladder.text, &subject.text) {
            Some(block) => {
                let program = &self.policy.policy.program;
                let names = program
                    .blocks
                    .get(block)
                    .map(|b| {
                        let mut v: Vec<String> = [&b.subject, &b.items]
                            .into_iter()
                            .filter(|n| !n.is_empty())
                            .cloned()
                            .collect();
                        v.extend(b.lets.iter().map(|l| l.name.clone()));
                        v.join(", ")
                    })
                    .unwrap_or_default();
                reply.text(format!(
                    "in the scope of {} {}: {names} are in scope (`:subject` leaves it)",
                    ladder.text, subject.text
                ));
                self.scope = Some(SubjectScope {
                    ladder: ladder.text.clone(),
                    subject: subject.text.clone(),
                    block,
                });
            }
            None => reply.report(self.unknown_subject(file, &ladder.text, subject)),
        }
    }

    /// The one ladder that has `subject` (`:subject IR`), as an argument
    /// spanning the subject.
    pub(super) fn ladder_of(
        &self,
        file: &Arc<SourceFile>,
        subject: &Arg,
    ) -> Result<Arg, ReplError> {
        let ladders: Vec<String> = self
            .policy
            .policy
            .program
            .schema
            .ladders
            .iter()
            .map(|l| l.name.clone())
            .filter(|l| self.subjects_of(l).contains(&subject.text))
            .collect();
        let (src, span) = at(&typed(file, subject.start, subject.end));
        match ladders.as_slice() {
            [one] => Ok(Arg {
                text: one.clone(),
                ..subject.clone()
            }),
            [] => Err(ReplError::Lookup {
                src,
                span,
                message: format!("`{}` is not a subject of any ladder", subject.text),
                label: "not a subject".into(),
                help: Some(if self.facts.is_none() {
                    "subjects come from the facts: load them with `:facts FILE`".into()
                } else {
                    "`:decide` lists the subjects of every ladder".into()
                }),
            }),
            several => Err(ReplError::Lookup {
                src,
                span,
                message: format!("`{}` is a subject of several ladders", subject.text),
                label: "which ladder?".into(),
                help: Some(format!(
                    "name the ladder: {}",
                    several
                        .iter()
                        .map(|l| format!("`:subject {l} {}`", subject.text))
                        .collect::<Vec<_>>()
                        .join(" or ")
                )),
            }),
        }
    }

    /// An error for a subject that the ladder does not have.
    pub fn unknown_subject(
        &self,
        file: &Arc<SourceFile>,
        ladder: &str,
        subject: &Arg,
    ) -> ReplError {
        let subjects = self.subjects_of(ladder);
        let (src, span) = at(&typed(file, subject.start, subject.end));
        ReplError::Lookup {
            src,
            span,
            message: format!("`{}` is not a subject of `{ladder}`", subject.text),
            label: "not a subject".into(),
            help: Some(if subjects.is_empty() {
                format!("`{ladder}` has no subjects under these facts")
            } else {
                format!("the subjects of `{ladder}` are: {}", subjects.join(", "))
            }),
        }
    }

    /// An error unless `arg` names a ladder.
    pub fn check_ladder(&self, file: &Arc<SourceFile>, arg: &Arg) -> Result<(), ReplError> {
        let ladders = &self.policy.policy.program.schema.ladders;
        if ladders.iter().any(|l| l.name == arg.text) {
            return Ok(());
        }
        let (src, span) = at(&typed(file, arg.start, arg.end));
        let names: Vec<&str> = ladders.iter().map(|l| l.name.as_str()).collect();
        Err(ReplError::Lookup {
            src,
            span,
            message: format!("unknown ladder `{}`", arg.text),
            label: "not a ladder".into(),
            help: Some(
                match crate::check::suggest::closest(&arg.text, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if names.is_empty() => "no ladder is loaded".into(),
                    None => format!("the ladders are: {}", names.join(", ")),
                },
            ),
        })
    }
}
