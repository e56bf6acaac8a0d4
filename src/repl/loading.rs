//! Loading and reloading the session's policy from disk, and keeping the
//! facts, the scope and the `:diff` baseline consistent with it.

use std::path::PathBuf;
use std::sync::Arc;

use super::error::ReplError;
use super::policy::{self, SessionPolicy};
use super::probe::SubjectScope;
use super::session::{Reply, Session, facts_source};

impl Session {
    /// Loads a policy from disk, keeping typed declarations if they still check.
    pub fn load(&mut self, paths: Vec<PathBuf>, reply: &mut Reply) {
        self.load_policy(paths, true, reply);
    }

    pub(super) fn reload(&mut self, reply: &mut Reply) {
        if self.policy.paths.is_empty() {
            reply.report(ReplError::Plain {
                message: "no policy was loaded from disk".into(),
                help: Some("load one with `:load PATH`".into()),
            });
            return;
        }
        self.load_policy(self.policy.paths.clone(), false, reply);
    }

    pub(super) fn load_policy(&mut self, paths: Vec<PathBuf>, rebase: bool, reply: &mut Reply) {
        let disk = match policy::read(&paths) {
            Ok(d) => d,
            Err(ds) => {
                reply.diags(ds);
                reply.text("the policy was not changed");
                return;
            }
        };
        // All typed declarations on top of the files; failing that, the files
        // with those declarations that still check.
        let next = match self.policy.with_disk(paths.clone(), disk.clone()) {
            Ok(p) => p,
            Err(ds) => match self.keep_what_checks(paths.clone(), disk, reply) {
                Some(p) if !self.policy.entries.is_empty() => p,
                _ => {
                    reply.diags(ds);
                    reply.text("the policy was not changed");
                    return;
                }
            },
        };
        let files = next.disk.len();
        let warnings = next
            .policy
            .warnings
            .iter()
            .filter(|w| !policy::source_name(*w).is_some_and(|n| n.starts_with("<repl")))
            .count();
        let kept = next.entries.len();
        self.policy = next;
        let mut notes = vec![format!("{files} file{}", if files == 1 { "" } else { "s" })];
        match warnings {
            0 => {}
            1 => notes.push("1 warning: see `rung check`".into()),
            n => notes.push(format!("{n} warnings: see `rung check`")),
        }
        match kept {
            0 => {}
            1 => notes.push("kept your declaration".into()),
            n => notes.push(format!("kept your {n} declarations")),
        }
        reply.text(format!(
            "{} {} ({})",
            if rebase { "loaded" } else { "reloaded" },
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" "),
            notes.join(", ")
        ));
        self.refresh_facts(reply);
        if rebase {
            self.rebase();
        }
    }

    /// The files with as many typed declarations as still check, in order.
    pub(super) fn keep_what_checks(
        &self,
        paths: Vec<PathBuf>,
        disk: Vec<policy::Parsed>,
        reply: &mut Reply,
    ) -> Option<SessionPolicy> {
        let mut p = SessionPolicy::from_disk(paths, disk).ok()?;
        for (src, file) in &self.policy.entries {
            match p.with_entry((Arc::clone(src), file.clone())) {
                Ok(next) => p = next,
                Err(_) => reply.text(format!(
                    "dropped your declaration {}: it no longer checks",
                    src.name
                )),
            }
        }
        Some(p)
    }

    /// Re-validates the facts after the policy changed; drops them if they no
    /// longer fit, and the scope if its subject is gone.
    pub(super) fn refresh_facts(&mut self, reply: &mut Reply) {
        if let Some(f) = &mut self.facts {
            match self.policy.policy.facts(&facts_source(&f.current, &f.name)) {
                Ok(facts) => f.facts = facts,
                Err(ds) => {
                    reply.diags(ds);
                    reply.report(ReplError::Plain {
                        message: format!("the facts from {} do not fit this policy", f.name),
                        help: Some("load facts that do with `:facts FILE`".into()),
                    });
                    self.facts = None;
                }
            }
        }
        if let Some(s) = self.scope.clone() {
            match self.find_block(&s.ladder, &s.subject) {
                Some(block) => self.scope = Some(SubjectScope { block, ..s }),
                None => {
                    reply.text(format!(
                        "left the scope of {} {}: it is no longer a subject",
                        s.ladder, s.subject
                    ));
                    self.scope = None;
                }
            }
        }
    }

    /// Takes the decisions under the loaded facts as the new `:diff` baseline.
    pub(super) fn rebase(&mut self) {
        if let Some(f) = &mut self.facts
            && let Ok(loaded) = self.policy.policy.facts(&facts_source(&f.loaded, &f.name))
            // A failure shows at the next evaluation; the old baseline stays.
            && let Ok(baseline) = self.policy.policy.evaluate(&loaded)
        {
            f.baseline = baseline.into_owned();
        }
    }
}
