//! Loading a policy: files and directories → parsed → checked.
//!
//! This is the library's front door; the CLI, the REPL, `test` and `fmt` all
//! come through here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::{self, CheckWarning};
use crate::decision::Evaluation;
use crate::diagnostic::{Diag, IoError};
use crate::eval::{self, explain::SubjectExplanation};
use crate::facts::{self, Facts};
use crate::program::Program;
use crate::source::SourceFile;
use crate::syntax;

/// A checked policy and the warnings found while checking it.
#[derive(Debug)]
pub struct Policy {
    /// The checked program.
    pub program: Program,
    /// Warnings (legal but suspicious constructs).
    pub warnings: Vec<CheckWarning>,
}

impl Policy {
    /// Loads every `.rung` file named by `paths` (directories are searched,
    /// files sorted by path so the load order never depends on the disk).
    pub fn from_paths(paths: &[PathBuf]) -> Result<Policy, Vec<Diag>> {
        let sources = read_sources(paths)?;
        Policy::from_sources(sources)
    }

    /// Parses and checks the given sources as one policy.
    pub fn from_sources(sources: Vec<Arc<SourceFile>>) -> Result<Policy, Vec<Diag>> {
        let mut diags: Vec<Diag> = Vec::new();
        let mut parsed = Vec::new();
        for src in sources {
            match syntax::parse_file(&src) {
                Ok(ast) => parsed.push((src, ast)),
                Err(errors) => diags.extend(errors.into_iter().map(Diag::from)),
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let checked = check::check(parsed);
        match checked.program {
            Some(program) => Ok(Policy {
                program,
                warnings: checked.warnings,
            }),
            None => Err(checked.into_diags()),
        }
    }

    /// A policy from one text (tests, examples, the REPL).
    pub fn from_text(name: &str, text: &str) -> Result<Policy, Vec<Diag>> {
        Policy::from_sources(vec![SourceFile::new(name, text)])
    }

    /// Reads and validates facts against this policy's schema.
    pub fn facts(&self, file: &Arc<SourceFile>) -> Result<Facts, Vec<Diag>> {
        facts::load(&self.program.schema, file)
            .map_err(|es| es.into_iter().map(Diag::from).collect())
    }

    /// Facts and the warnings about them (fields the schema does not know).
    pub fn facts_with_warnings(
        &self,
        file: &Arc<SourceFile>,
    ) -> Result<(Facts, Vec<Diag>), Vec<Diag>> {
        facts::load_with_warnings(&self.program.schema, file)
            .map(|(f, ws)| (f, ws.into_iter().map(Diag::from).collect()))
            .map_err(|es| es.into_iter().map(Diag::from).collect())
    }

    /// Facts from a JSON text.
    pub fn facts_from_text(&self, name: &str, json: &str) -> Result<Facts, Vec<Diag>> {
        self.facts(&SourceFile::new(name, json))
    }

    /// The decision for every ladder and subject.
    pub fn evaluate(&self, facts: &Facts) -> Evaluation {
        eval::evaluate(&self.program, facts)
    }

    /// Every rule's outcome for every subject, part by part.
    pub fn explain(&self, facts: &Facts) -> Vec<SubjectExplanation> {
        eval::explain::explain(&self.program, facts)
    }
}

/// Reads the `.rung` files named by `paths`.
pub fn read_sources(paths: &[PathBuf]) -> Result<Vec<Arc<SourceFile>>, Vec<Diag>> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match collect(p) {
            Ok(mut found) if found.is_empty() => {
                errors.push(Diag::from(IoError::NoPolicyFiles {
                    path: p.display().to_string(),
                }));
                found.clear();
            }
            Ok(found) => files.extend(found),
            Err(e) => errors.push(Diag::from(e)),
        }
    }
    let mut sources = Vec::new();
    for f in files {
        match read_text(&f) {
            Ok(text) => sources.push(SourceFile::new(f.display().to_string(), text)),
            Err(e) => errors.push(Diag::from(e)),
        }
    }
    if errors.is_empty() {
        Ok(sources)
    } else {
        Err(errors)
    }
}

/// Reads a file as UTF-8 text, refusing anything over the policy size limit.
pub fn read_text(path: &Path) -> Result<String, IoError> {
    let err = |message: String| IoError::Read {
        path: path.display().to_string(),
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| err(e.to_string()))?;
    if meta.len() > syntax::MAX_SOURCE_BYTES as u64 {
        return Err(err(format!(
            "the file is {} bytes; the limit is {}",
            meta.len(),
            syntax::MAX_SOURCE_BYTES
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        err(format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(without_bom(text))
}

/// The text without a leading UTF-8 byte order mark (some editors write one).
pub fn without_bom(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// The `.rung` files at `path`: itself, or those below it, sorted.
pub fn collect(path: &Path) -> Result<Vec<PathBuf>, IoError> {
    let err = |e: std::io::Error| IoError::Read {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(err)?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(err)? {
            let p = entry.map_err(err)?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rung") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}
