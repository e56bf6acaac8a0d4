//! The state of a REPL session and the execution of one input: an
//! expression, declarations, or a `:command`.

use std::path::PathBuf;
use std::sync::Arc;

use miette::Report;
use serde_json::Value as Json;

use super::command::{self, Command};
use super::error::{ReplError, at};
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
    pub baseline: Evaluation<'static>,
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
    /// Tables read before the other facts: `:facts` reads them with its file.
    pub(super) pending_tables: Vec<crate::facts::table::TableInput>,
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
            pending_tables: Vec::new(),
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
            Command::Table { name, path } => self.table(&name.text, &path.text, reply),
            Command::Set { path, value } => self.set(file, &path, &value, reply),
            Command::Unset(path) => self.unset(file, &path, reply),
            Command::Reset => self.reset(reply),
            Command::Show(path) => self.show(file, path.as_ref(), reply),
            Command::Decide => self.decide(reply),
            Command::Why(args) => self.why(file, &args, reply),
            Command::Diff => self.diff(reply),
            Command::Replay(args) => self.replay(file, &args, reply),
            Command::At(day) => self.at(file, &day, reply),
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
        let _ = file;
        let program = &self.policy.policy.program;
        let probe = match probe::check(&self.policy, &e, self.scope.as_ref()) {
            Ok(p) => p,
            Err(mut ds) => {
                self.suggest_subject(&names, &mut ds);
                reply.diags(ds);
                return;
            }
        };
        if type_only {
            reply.text(format!("{} : {}", span.text(), probe.type_name(program)));
            return;
        }
        let facts = match &self.facts {
            Some(f) => Some(&f.facts),
            None if !probe.needs_facts(program) => None,
            None => {
                let (src, s) = at(&span);
                reply.report(ReplError::NoFacts { src, span: s });
                return;
            }
        };
        let subject = self.scope.as_ref().map(|s| s.subject.as_str());
        match probe::evaluate(program, &probe, facts, subject)
            .and_then(|v| probe::show(program, &probe.expr.ty, &v).map_err(Report::new))
        {
            Ok(text) => reply.text(text),
            Err(r) => reply.items.push(Out::Report(r)),
        }
    }

    /// After an unknown name that a rules block defines for each of its
    /// subjects: the report's help says how to enter a subject's scope,
    /// instead of suggesting to define the name again.
    fn suggest_subject(&self, names: &[String], ds: &mut [Diag]) {
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
        let hint = format!(
            "`{name}` is defined for each subject of the `{ladder}` rules, not at the top level: \
             enter a subject's scope with `:subject {ladder} {example}`, then `{name}` is in scope"
        );
        for d in ds.iter_mut() {
            if let Diag::Check(e) = d {
                e.replace_unknown_name_help(name, &hint);
            }
        }
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
