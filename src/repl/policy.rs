//! The session's policy: the files loaded from disk plus the declarations
//! typed at the prompt, checked together as one policy.
//!
//! Each typed declaration is kept as its own in-memory source (`<repl:3>`),
//! so errors in it point at what was typed. A `let` typed at the prompt
//! replaces a definition of the same name from a file or an earlier entry:
//! "what if the window were two years?" is one line.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use crate::ast::{self, Decl};
use crate::check::{self, CheckWarning};
use crate::diagnostic::Diag;
use crate::policy::{Policy, PolicyDigest, read_sources};
use crate::source::SourceFile;
use crate::syntax;

/// A parsed source: its text and its declarations.
pub type Parsed = (Arc<SourceFile>, ast::File);

/// The policy of a session and where it came from.
#[derive(Debug)]
pub struct SessionPolicy {
    /// Paths given to `:load` (or the command line).
    pub paths: Vec<PathBuf>,
    /// The files read from those paths, parsed.
    pub disk: Vec<Parsed>,
    /// Declarations typed at the prompt, in order.
    pub entries: Vec<Parsed>,
    /// The checked policy of `disk` and `entries` together.
    pub policy: Policy,
}

impl SessionPolicy {
    /// An empty policy: no schema, no ladders (declarations can be typed).
    pub fn empty() -> Result<Self, Vec<Diag>> {
        let policy = check_all(&[], &[])?;
        Ok(SessionPolicy {
            paths: Vec::new(),
            disk: Vec::new(),
            entries: Vec::new(),
            policy,
        })
    }

    /// The same entries on top of other files.
    pub fn with_disk(&self, paths: Vec<PathBuf>, disk: Vec<Parsed>) -> Result<Self, Vec<Diag>> {
        let policy = check_all(&disk, &self.entries)?;
        Ok(SessionPolicy {
            paths,
            disk,
            entries: self.entries.clone(),
            policy,
        })
    }

    /// Files alone, without entries.
    pub fn from_disk(paths: Vec<PathBuf>, disk: Vec<Parsed>) -> Result<Self, Vec<Diag>> {
        let policy = check_all(&disk, &[])?;
        Ok(SessionPolicy {
            paths,
            disk,
            entries: Vec::new(),
            policy,
        })
    }

    /// This policy with one more entry, if the whole still checks.
    pub fn with_entry(&self, entry: Parsed) -> Result<Self, Vec<Diag>> {
        let mut entries = self.entries.clone();
        entries.push(entry);
        let policy = check_all(&self.disk, &entries)?;
        Ok(SessionPolicy {
            paths: self.paths.clone(),
            disk: self.disk.clone(),
            entries,
            policy,
        })
    }

    /// Every source in check order, with the lets replaced by later entries removed.
    pub fn sources(&self) -> Vec<Parsed> {
        assemble(&self.disk, &self.entries)
    }

    /// Where a global `let` was defined before `entry` replaced it, if it was.
    pub fn replaced_by(&self, entry: &ast::File) -> Vec<(String, String)> {
        let new: HashSet<&str> = let_names(entry).collect();
        let mut out = Vec::new();
        for (_, file) in self.sources() {
            for d in &file.decls {
                if let Decl::Let(l) = d
                    && new.contains(l.name.name.as_str())
                {
                    out.push((l.name.name.clone(), l.name.span.location()));
                }
            }
        }
        out
    }
}

/// Reads and parses the files named by `paths`.
pub fn read(paths: &[PathBuf]) -> Result<Vec<Parsed>, Vec<Diag>> {
    let sources = read_sources(paths)?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for src in sources {
        match syntax::parse_file(&src) {
            Ok(ast) => out.push((src, ast)),
            Err(es) => errors.extend(es.into_iter().map(Diag::from)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn let_names(file: &ast::File) -> impl Iterator<Item = &str> {
    file.decls.iter().filter_map(|d| match d {
        Decl::Let(l) => Some(l.name.name.as_str()),
        _ => None,
    })
}

/// Disk files then entries, each without the global lets that a later entry
/// defines. Without files, an empty `facts {}` stands in for the schema, so
/// that a policy can be typed from nothing.
pub fn assemble(disk: &[Parsed], entries: &[Parsed]) -> Vec<Parsed> {
    let blank = disk.is_empty().then(blank_facts);
    let all: Vec<&Parsed> = blank.iter().chain(disk).chain(entries).collect();
    let mut later: HashSet<String> = HashSet::new();
    let mut out: Vec<Parsed> = Vec::with_capacity(all.len());
    for (src, file) in all.into_iter().rev() {
        let decls = file
            .decls
            .iter()
            .filter(|d| !matches!(d, Decl::Let(l) if later.contains(&l.name.name)))
            .cloned()
            .collect();
        later.extend(let_names(file).map(str::to_string));
        out.push((Arc::clone(src), ast::File { decls }));
    }
    out.reverse();
    out
}

/// `facts {}` in a source of its own.
fn blank_facts() -> Parsed {
    let text = "facts {}";
    let file = SourceFile::new("<repl>", text);
    let span = crate::source::Span::new(&file, 0..text.len());
    let decl = Decl::Facts(ast::FactsDecl {
        fields: Vec::new(),
        span,
    });
    (file, ast::File { decls: vec![decl] })
}

/// Checks parsed sources as one policy.
pub fn check_sources(sources: Vec<Parsed>) -> Result<Policy, Vec<Diag>> {
    let digest = PolicyDigest::of(sources.iter().map(|(s, _)| (s.name.as_str(), &*s.text)));
    let checked = check::check(sources);
    match checked.program {
        Some(program) => Ok(Policy {
            program,
            warnings: checked.warnings,
            digest,
        }),
        None => Err(checked.errors.into_iter().map(Diag::from).collect()),
    }
}

fn check_all(disk: &[Parsed], entries: &[Parsed]) -> Result<Policy, Vec<Diag>> {
    check_sources(assemble(disk, entries))
}

/// Whether a warning is worth showing for a declaration typed at the prompt:
/// it points into that entry, and is not "unused definition" (a `let` typed
/// to explore is used by the next expression, not by a rule).
pub fn entry_warning(w: &CheckWarning, entry: &SourceFile) -> bool {
    if matches!(w, CheckWarning::UnusedLet { .. }) {
        return false;
    }
    source_name(w).is_some_and(|n| n == entry.name)
}

/// The name of the source a diagnostic's first label points into.
pub fn source_name(d: &dyn miette::Diagnostic) -> Option<String> {
    let label = d.labels()?.next()?;
    let src = d.source_code()?;
    let contents = src.read_span(label.inner(), 0, 0).ok()?;
    contents.name().map(str::to_string)
}
