//! The state of a REPL session and the execution of one input: an
//! expression, declarations, or a `:command`.

use std::path::PathBuf;
use std::sync::Arc;

use miette::Report;
use serde_json::Value as Json;

use super::command::{self, Command};
use super::error::{ReplError, at, typed};
use super::policy::{self, SessionPolicy};
use super::probe::{self, SubjectScope};
use crate::ast;
use crate::decision::Evaluation;
use crate::diagnostic::Diag;
use crate::facts::Facts;
use crate::render::Paint;
use crate::source::SourceFile;
use crate::syntax::{self, ReplInput};

/// What an input produced, in order: text for standard output and reports
/// (errors, warnings) for standard error.
#[derive(Debug, Default)]
pub struct Reply {
    /// The pieces of output, in order.
    pub items: Vec<Out>,
    /// Whether the session should end (`:quit`).
    pub quit: bool,
}

/// One piece of output.
#[derive(Debug)]
pub enum Out {
    /// Text (ends with a newline).
    Text(String),
    /// An error or warning report.
    Report(Report),
}

impl Reply {
    /// Adds text, ending it with a newline.
    pub fn text(&mut self, s: impl Into<String>) {
        let mut s = s.into();
        if !s.ends_with('\n') {
            s.push('\n');
        }
        self.items.push(Out::Text(s));
    }

    /// Adds a report.
    pub fn report(&mut self, d: impl miette::Diagnostic + Send + Sync + 'static) {
        self.items.push(Out::Report(Report::new(d)));
    }

    /// Adds diagnostics from the library.
    pub fn diags(&mut self, ds: Vec<Diag>) {
        for d in ds {
            self.report(d);
        }
    }

    /// Whether any report is an error (not a warning).
    pub fn has_error(&self) -> bool {
        self.items.iter().any(|o| {
            matches!(o, Out::Report(r) if !matches!(
                r.severity(),
                Some(miette::Severity::Warning | miette::Severity::Advice)
            ))
        })
    }
}

/// Facts loaded into the session, as loaded and as edited.
#[derive(Debug)]
pub struct FactsState {
    /// Where they were loaded from.
    pub name: String,
    /// The document as loaded (`:reset` returns to it).
    pub loaded: Json,
    /// The document with the session's edits.
    pub current: Json,
    /// `current`, validated.
    pub facts: Facts,
    /// The decisions when the facts were loaded (`:diff` compares with them).
    pub baseline: Evaluation,
    /// The edits since loading, in words (`$.now = "2023-01-01"`).
    pub edits: Vec<String>,
}

/// A REPL session: the policy, the facts, the scope.
#[derive(Debug)]
pub struct Session {
    /// The policy: files plus typed declarations.
    pub policy: SessionPolicy,
    /// The facts, once loaded.
    pub facts: Option<FactsState>,
    /// The subject whose scope expressions are evaluated in, if any.
    pub scope: Option<SubjectScope>,
    /// Colour for rendered decisions.
    pub paint: Paint,
    /// Inputs so far (names `<repl:N>`).
    count: usize,
}

impl Session {
    /// A session with no policy and no facts.
    pub fn new(paint: Paint) -> Result<Session, Vec<Diag>> {
        Ok(Session {
            policy: SessionPolicy::empty()?,
            facts: None,
            scope: None,
            paint,
            count: 0,
        })
    }

    /// A session with the policy at `paths` and, optionally, facts; the
    /// reply tells what was loaded (or why not).
    pub fn start(
        paths: &[PathBuf],
        facts: Option<&str>,
        paint: Paint,
    ) -> Result<(Session, Reply), Vec<Diag>> {
        let mut s = Session::new(paint)?;
        let mut reply = Reply::default();
        if !paths.is_empty() {
            s.load(paths.to_vec(), &mut reply);
        }
        if let Some(f) = facts {
            s.load_facts(f, &mut reply);
        }
        Ok((s, reply))
    }

    /// The prompt: `rung> `, or `rung[response IR]> ` in a subject's scope.
    pub fn prompt(&self) -> String {
        match &self.scope {
            Some(s) => format!("rung[{} {}]> ", s.ladder, s.subject),
            None => "rung> ".to_string(),
        }
    }

    /// The next input's source, named `<repl:N>`.
    fn source(&mut self, text: &str) -> Arc<SourceFile> {
        self.count += 1;
        SourceFile::new(format!("<repl:{}>", self.count), text.trim_end())
    }

    /// Runs one input: an expression, declarations or a command. Never panics
    /// and never ends the session except on `:quit`.
    pub fn execute(&mut self, input: &str) -> Reply {
        let mut reply = Reply::default();
        if super::helper::is_blank(input) {
            return reply;
        }
        let file = self.source(input);
        if file.text.trim_start().starts_with(':') {
            match command::parse(&file) {
                Ok(cmd) => self.command(&file, cmd, &mut reply),
                Err(e) => reply.report(e),
            }
            return reply;
        }
        match syntax::parse_repl(&file) {
            Ok(ReplInput::Expr(e)) => self.expression(&file, e, false, &mut reply),
            Ok(ReplInput::Decls(ds)) => self.declare(&file, ds, &mut reply),
            Err(es) => reply.diags(es.into_iter().map(Diag::from).collect()),
        }
        reply
    }

    fn command(&mut self, file: &Arc<SourceFile>, cmd: Command, reply: &mut Reply) {
        match cmd {
            Command::Help => reply.text(super::views::help()),
            Command::Quit => reply.quit = true,
            Command::Load(args) => {
                self.load(args.iter().map(|a| PathBuf::from(&a.text)).collect(), reply)
            }
            Command::Reload => self.reload(reply),
            Command::Facts(a) => self.load_facts(&a.text, reply),
            Command::Set { path, value } => self.set(file, &path, &value, reply),
            Command::Unset(path) => self.unset(file, &path, reply),
            Command::Reset => self.reset(reply),
            Command::Show(path) => self.show(file, path.as_ref(), reply),
            Command::Decide => self.decide(reply),
            Command::Why(args) => self.why(file, &args, reply),
            Command::Diff => self.diff(reply),
            Command::Ladders => reply.text(super::views::ladders(&self.policy.policy.program)),
            Command::Rules(ladder) => self.rules(file, ladder.as_ref(), reply),
            Command::Subject(args) => self.subject(file, &args, reply),
            Command::Type(arg) => {
                let sub = SourceFile::new(file.name.clone(), arg.text.as_str());
                match syntax::parse_expr(&sub) {
                    Ok(e) => self.expression(&sub, e, true, reply),
                    Err(es) => reply.diags(es.into_iter().map(Diag::from).collect()),
                }
            }
        }
    }

    /// Checks and (unless `type_only`) evaluates an expression.
    fn expression(
        &mut self,
        file: &Arc<SourceFile>,
        e: ast::Expr,
        type_only: bool,
        reply: &mut Reply,
    ) {
        let span = e.span.clone();
        let names = names_in(&e);
        let probe = match probe::check(&self.policy, file, e, self.scope.as_ref()) {
            Ok(p) => p,
            Err(ds) => {
                reply.diags(ds);
                self.suggest_subject(&names, reply);
                return;
            }
        };
        let Some(expr) = probe.expr() else {
            reply.report(ReplError::Plain {
                message: "the expression was lost while checking".into(),
                help: None,
            });
            return;
        };
        if type_only {
            reply.text(format!("{} : {}", span.text(), probe.type_name()));
            return;
        }
        let ty = expr.ty.clone();
        let empty = Facts { values: Vec::new() };
        let facts = match &self.facts {
            Some(f) => &f.facts,
            None if !probe.needs_facts() => &empty,
            None => {
                let (src, s) = at(&span);
                reply.report(ReplError::NoFacts { src, span: s });
                return;
            }
        };
        let subject = self.scope.as_ref().map(|s| s.subject.as_str());
        match probe::evaluate(&probe, facts, subject) {
            Ok(v) => reply.text(probe::show(&probe.program, &ty, &v)),
            Err(r) => reply.items.push(Out::Report(r)),
        }
    }

    /// After an unknown name: if it is a block's name, say how to reach it.
    fn suggest_subject(&self, names: &[String], reply: &mut Reply) {
        if self.scope.is_some() {
            return;
        }
        let program = &self.policy.policy.program;
        let known = probe::block_names(program);
        let Some((name, ladder)) = names
            .iter()
            .find_map(|n| known.iter().find(|(k, _)| k == n))
        else {
            return;
        };
        let example = self
            .subjects_of(ladder)
            .into_iter()
            .next()
            .unwrap_or_else(|| "SUBJECT".into());
        reply.report(ReplError::Plain {
            message: format!(
                "`{name}` is defined for each subject of the `{ladder}` rules, not at the top level"
            ),
            help: Some(format!(
                "enter a subject's scope with `:subject {ladder} {example}`, then `{name}` is in scope"
            )),
        });
    }

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
                .get(b.ladder as usize)
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

    /// Adds declarations to the session's policy if it still checks.
    fn declare(&mut self, file: &Arc<SourceFile>, decls: Vec<ast::Decl>, reply: &mut Reply) {
        let entry = ast::File { decls };
        let replaced = self.policy.replaced_by(&entry);
        let summary = describe_decls(&entry);
        let candidate = match self.policy.with_entry((Arc::clone(file), entry)) {
            Ok(p) => p,
            Err(ds) => {
                // Errors in the files are usually knock-on effects of the
                // typed declaration (a `let` replaced by one of another type):
                // show the declaration's own errors first, and only those.
                let (own, elsewhere): (Vec<Diag>, Vec<Diag>) = ds
                    .into_iter()
                    .partition(|d| policy::source_name(d).is_some_and(|n| n == file.name));
                if own.is_empty() {
                    reply.diags(elsewhere);
                    reply.text("not added: the policy does not check with it");
                    return;
                }
                let more = elsewhere.len();
                reply.diags(own);
                if more > 0 {
                    reply.text(format!(
                        "({more} more error{} in the policy follow from it)",
                        if more == 1 { "" } else { "s" }
                    ));
                }
                reply.text("not added: the declaration does not check");
                return;
            }
        };
        if let Some(f) = &self.facts
            && let Err(ds) = candidate.policy.facts(&facts_source(&f.current, &f.name))
        {
            reply.diags(ds);
            reply.text("not added: the current facts do not fit the policy with it");
            return;
        }
        let mut candidate = candidate;
        for w in std::mem::take(&mut candidate.policy.warnings) {
            if policy::entry_warning(&w, file) {
                reply.report(Diag::from(w));
            }
        }
        self.policy = candidate;
        self.refresh_facts(reply);
        for line in summary {
            reply.text(line);
        }
        for (name, place) in replaced {
            reply.text(format!("(`{name}` replaces the definition at {place})"));
        }
    }

    /// Loads a policy from disk, keeping typed declarations if they still check.
    pub fn load(&mut self, paths: Vec<PathBuf>, reply: &mut Reply) {
        self.load_policy(paths, true, reply);
    }

    fn reload(&mut self, reply: &mut Reply) {
        if self.policy.paths.is_empty() {
            reply.report(ReplError::Plain {
                message: "no policy was loaded from disk".into(),
                help: Some("load one with `:load PATH`".into()),
            });
            return;
        }
        self.load_policy(self.policy.paths.clone(), false, reply);
    }

    fn load_policy(&mut self, paths: Vec<PathBuf>, rebase: bool, reply: &mut Reply) {
        let disk = match policy::read(&paths) {
            Ok(d) => d,
            Err(ds) => {
                reply.diags(ds);
                reply.text("the policy was not changed");
                return;
            }
        };
        let next = match self.policy.with_disk(paths.clone(), disk.clone()) {
            Ok(p) => p,
            Err(ds) if !self.policy.entries.is_empty() => {
                match self.keep_what_checks(paths.clone(), disk, reply) {
                    Some(p) => {
                        let _ = ds;
                        p
                    }
                    None => {
                        reply.diags(ds);
                        reply.text("the policy was not changed");
                        return;
                    }
                }
            }
            Err(ds) => {
                reply.diags(ds);
                reply.text("the policy was not changed");
                return;
            }
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
    fn keep_what_checks(
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
    fn refresh_facts(&mut self, reply: &mut Reply) {
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
    fn rebase(&mut self) {
        if let Some(f) = &mut self.facts
            && let Ok(loaded) = self.policy.policy.facts(&facts_source(&f.loaded, &f.name))
        {
            f.baseline = self.policy.policy.evaluate(&loaded);
        }
    }

    /// The first rules block of `ladder` that has `subject` under the facts.
    pub fn find_block(&self, ladder: &str, subject: &str) -> Option<usize> {
        let f = self.facts.as_ref()?;
        let program = &self.policy.policy.program;
        program.blocks.iter().enumerate().find_map(|(i, b)| {
            let name = &program.schema.ladders.get(b.ladder as usize)?.name;
            (name == ladder
                && probe::block_subjects(program, &f.facts, i)
                    .iter()
                    .any(|s| s == subject))
            .then_some(i)
        })
    }

    fn subject(&mut self, file: &Arc<SourceFile>, args: &[command::Arg], reply: &mut Reply) {
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
                        let mut v = vec![b.subject.clone(), b.items.clone()];
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
    fn ladder_of(
        &self,
        file: &Arc<SourceFile>,
        subject: &command::Arg,
    ) -> Result<command::Arg, ReplError> {
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
            [one] => Ok(command::Arg {
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
        subject: &command::Arg,
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
    pub fn check_ladder(
        &self,
        file: &Arc<SourceFile>,
        arg: &command::Arg,
    ) -> Result<(), ReplError> {
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

/// The facts document as a source for the facts loader.
pub fn facts_source(json: &Json, name: &str) -> Arc<SourceFile> {
    let text = serde_json::to_string_pretty(json).unwrap_or_default();
    SourceFile::new(format!("{name} (edited)"), text)
}

/// Every name an expression mentions.
fn names_in(e: &ast::Expr) -> Vec<String> {
    use ast::ExprKind as K;
    let mut out = Vec::new();
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match &e.kind {
            K::Name(n) => out.push(n.clone()),
            K::List(xs) => stack.extend(xs),
            K::Field(x, _)
            | K::Not(x)
            | K::Neg(x)
            | K::IsPresent(x, _)
            | K::Call(_, x)
            | K::Paren(x) => stack.push(x),
            K::Binary(_, a, b) | K::Where(a, b) | K::Quantified(_, a, b) => {
                stack.push(a);
                stack.push(b);
            }
            _ => {}
        }
    }
    out
}

/// `defined let `x``, one line per declaration.
fn describe_decls(file: &ast::File) -> Vec<String> {
    use ast::Decl as D;
    file.decls
        .iter()
        .map(|d| match d {
            D::Enum(e) => format!("defined enum `{}`", e.name.name),
            D::Record(r) => format!("defined record `{}`", r.name.name),
            D::Facts(_) => "extended the facts".to_string(),
            D::Ladder(l) => format!("defined ladder `{}`", l.name.name),
            D::Let(l) => format!("defined `{}`", l.name.name),
            D::Rules(r) => format!(
                "added {} rule{} to `{}`",
                r.rules.len(),
                if r.rules.len() == 1 { "" } else { "s" },
                r.ladder.name
            ),
            D::Warn(_) => "added a warning".to_string(),
            D::Test(t) => format!("added test {:?}", t.name.value),
        })
        .collect()
}
