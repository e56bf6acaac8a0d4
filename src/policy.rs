//! Loading a policy: files and directories → parsed → checked.
//!
//! This is the library's front door; the CLI, the REPL, `test` and `fmt` all
//! come through here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest as _, Sha256};

use crate::check::{self, CheckWarning};
use crate::decision::Evaluation;
use crate::diagnostic::{Diag, IoError};
use crate::eval::{self, Detail, Run};
use crate::facts::table::TableInput;
use crate::facts::{self, Facts};
use crate::internal::Internal;
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
    /// Which doctrine this is, byte for byte: a decision carries it so that
    /// it can be traced to the exact files that produced it.
    pub digest: PolicyDigest,
}

/// The SHA-256 of a policy's files: for each, in load order, its path
/// relative to the directory (or file) it was loaded from and its bytes. The
/// same files give the same digest wherever they are stored; any edit, rename
/// or reordering changes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PolicyDigest(String);

/// Bytes in lowercase hexadecimal: how rung writes every SHA-256 (the policy
/// digest, the facts' digest in the decision log).
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

impl PolicyDigest {
    /// Digests `(relative path, text)` pairs in load order.
    pub fn of<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> PolicyDigest {
        let mut h = Sha256::new();
        for (path, text) in files {
            // Lengths first, so that no two different lists of files can
            // produce the same stream of bytes.
            h.update((path.len() as u64).to_le_bytes());
            h.update(path.as_bytes());
            h.update((text.len() as u64).to_le_bytes());
            h.update(text.as_bytes());
        }
        PolicyDigest(hex(&h.finalize()))
    }

    /// The 64 hexadecimal digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 12 digits, for people (as `git` shortens a commit).
    pub fn short(&self) -> &str {
        self.0.get(..12).unwrap_or(&self.0)
    }
}

/// The version of rung that evaluates: with the digest, what a decision
/// needs to be reproduced.
pub const RUNG_VERSION: &str = env!("CARGO_PKG_VERSION");

impl Policy {
    /// Loads every `.rung` file named by `paths` (directories are searched,
    /// files sorted by path so the load order never depends on the disk).
    pub fn from_paths(paths: &[PathBuf]) -> Result<Policy, Vec<Diag>> {
        let loaded = load_sources(paths)?;
        let digest = PolicyDigest::of(loaded.iter().map(|(rel, src)| (rel.as_str(), &*src.text)));
        let sources = loaded.into_iter().map(|(_, src)| src).collect();
        Policy::check_sources(sources, digest)
    }

    /// Parses and checks the given sources as one policy (each named by its
    /// path relative to the policy, for the digest).
    pub fn from_sources(sources: Vec<Arc<SourceFile>>) -> Result<Policy, Vec<Diag>> {
        let digest = PolicyDigest::of(sources.iter().map(|s| (s.name.as_str(), &*s.text)));
        Policy::check_sources(sources, digest)
    }

    fn check_sources(
        sources: Vec<Arc<SourceFile>>,
        digest: PolicyDigest,
    ) -> Result<Policy, Vec<Diag>> {
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
                digest,
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

    /// Facts from a JSON document (when given) and tables, each giving one
    /// `list of RECORD` fact; the warnings (unknown fields and columns) too.
    /// Every problem of every file is reported at once.
    pub fn facts_with_tables(
        &self,
        json: Option<&Arc<SourceFile>>,
        tables: &[TableInput],
    ) -> Result<(Facts, Vec<Diag>), Vec<Diag>> {
        facts::table::load(&self.program.schema, json, tables)
    }

    /// Facts from a JSON text.
    pub fn facts_from_text(&self, name: &str, json: &str) -> Result<Facts, Vec<Diag>> {
        self.facts(&SourceFile::new(name, json))
    }

    /// The decision for every ladder and subject.
    pub fn evaluate(&self, facts: &Facts) -> Result<Evaluation<'_>, Internal> {
        eval::evaluate(&self.program, facts)
    }

    /// The one evaluation: decisions and every rule's outcome behind them,
    /// with each condition part by part when `detail` asks for it.
    pub fn run(&self, facts: &Facts, detail: Detail) -> Result<Run<'_>, Internal> {
        eval::run(&self.program, facts, detail)
    }
}

/// Reads the `.rung` files named by `paths`.
pub fn read_sources(paths: &[PathBuf]) -> Result<Vec<Arc<SourceFile>>, Vec<Diag>> {
    Ok(load_sources(paths)?
        .into_iter()
        .map(|(_, src)| src)
        .collect())
}

/// Reads the `.rung` files named by `paths`, each with its path relative to
/// the argument it was found under (`/` separated; a file given by name is
/// its own file name).
fn load_sources(paths: &[PathBuf]) -> Result<Vec<(String, Arc<SourceFile>)>, Vec<Diag>> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match collect(p) {
            Ok(found) if found.is_empty() => {
                errors.push(Diag::from(IoError::NoPolicyFiles {
                    path: p.display().to_string(),
                }));
            }
            Ok(found) => files.extend(found.into_iter().map(|f| (relative(p, &f), f))),
            Err(e) => errors.push(Diag::from(e)),
        }
    }
    let mut sources = Vec::new();
    for (rel, f) in files {
        match read_text(&f) {
            Ok(text) => sources.push((rel, SourceFile::new(f.display().to_string(), text))),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(sources)
    } else {
        Err(errors)
    }
}

/// `file`'s path below `root`, with `/` between components whatever the
/// platform; a file given directly is named by its file name.
fn relative(root: &Path, file: &Path) -> String {
    let rel = match file.strip_prefix(root) {
        Ok(r) if !r.as_os_str().is_empty() => r,
        _ => Path::new(file.file_name().unwrap_or(file.as_os_str())),
    };
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads a file as UTF-8 text, refusing anything over the policy size limit.
///
/// A file that cannot be read is an [`IoError`] (a usage problem, exit 2);
/// a file read but not UTF-8 is a problem in the policy (exit 1), reported
/// at its first bad byte.
pub fn read_text(path: &Path) -> Result<String, Diag> {
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
        ))
        .into());
    }
    let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        Diag::from(syntax::SyntaxError::not_utf8(
            &path.display().to_string(),
            e.as_bytes(),
            offset,
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
