//! One policy as the editor sees it: its files (unsaved buffers over the
//! disk), each parsed on its own, checked together, and indexed.
//!
//! After an edit inside one rule or `let`, only that item is parsed again
//! ([`crate::syntax::splice`]); other files are parsed again only when they
//! changed.
//!
//! A file that does not parse keeps its syntax errors to itself: the policy
//! is checked with that file's last text that parsed (when there is one), so
//! its declarations still resolve for the others, and every diagnostic
//! pointing into that stale text is dropped.

use std::collections::HashMap;
use std::sync::Arc;

use lsp_types::Url;

use super::convert::Lines;
use super::index::Index;
use crate::ast;
use crate::check;
use crate::diagnostic::Diag;
use crate::diagnostic::format::{self, Record};
use crate::program::Program;
use crate::source::SourceFile;
use crate::syntax;

/// A file of the policy.
#[derive(Debug)]
pub struct FileInfo {
    /// Its address in the editor.
    pub uri: Url,
    /// Its text as analysed.
    pub source: Arc<SourceFile>,
    /// Its line table.
    pub lines: Lines,
    /// Its tree: of this text when it parses, else of its last text that
    /// parsed (see `stale`), else none.
    pub ast: Option<Arc<ast::File>>,
    /// Whether `ast` is of an older text: its declarations still name
    /// things, but its offsets may be off.
    pub stale: bool,
}

/// Last text of a file that parsed, and its tree: what the others resolve
/// against while it is broken.
pub type LastGood = HashMap<Url, (Arc<SourceFile>, Arc<ast::File>)>;

/// A policy parsed, checked and indexed.
#[derive(Debug)]
pub struct Analysis {
    /// Files in load order (sorted by path).
    pub files: Vec<FileInfo>,
    /// The checked program, when every file parses and the policy checks.
    pub program: Option<Program>,
    /// Every diagnostic, flattened, with the file it points into.
    pub diagnostics: Vec<(usize, Record, Arc<Diag>)>,
    /// Declarations and references of every name.
    pub index: Index,
}

/// Marks the name of a stale source, so diagnostics into it are dropped.
const STALE: &str = "\u{0}stale";

impl Analysis {
    /// Analyses `inputs` (address and text, in load order) as one policy;
    /// `last_good` is read for broken files and updated for those that parse.
    pub fn new(inputs: Vec<(Url, String)>, last_good: &mut LastGood) -> Analysis {
        let mut files = Vec::new();
        let mut syntax_errors: Vec<Diag> = Vec::new();
        let mut to_check = Vec::new();
        let mut all_parse = true;
        for (uri, text) in inputs {
            let name = display_name(&uri);
            // A file unchanged since it last parsed is not parsed again
            // (after a keystroke, only the edited file is).
            if let Some((source, ast)) = last_good
                .get(&uri)
                .filter(|(s, _)| *s.text == *text && s.name == name)
            {
                to_check.push((Arc::clone(source), ast::File::clone(ast)));
                files.push(FileInfo {
                    uri,
                    lines: Lines::new(&source.text),
                    source: Arc::clone(source),
                    ast: Some(Arc::clone(ast)),
                    stale: false,
                });
                continue;
            }
            let source = SourceFile::new(name.clone(), text);
            let lines = Lines::new(&source.text);
            // An edit inside one rule or `let` re-parses only that item.
            let spliced = last_good
                .get(&uri)
                .filter(|(s, _)| s.name == name)
                .and_then(|(old, tree)| syntax::splice::reparse(old, tree, &source));
            let parsed = match spliced {
                Some(tree) => Ok(tree),
                None => syntax::parse_file(&source),
            };
            let (ast, stale) = match parsed {
                Ok(ast) => {
                    to_check.push((Arc::clone(&source), ast.clone()));
                    let ast = Arc::new(ast);
                    last_good.insert(uri.clone(), (Arc::clone(&source), Arc::clone(&ast)));
                    (Some(ast), false)
                }
                Err(errors) => {
                    all_parse = false;
                    syntax_errors.extend(errors.into_iter().map(Diag::from));
                    match last_good.get(&uri) {
                        Some((old, ast)) => {
                            let stale =
                                SourceFile::new(format!("{name}{STALE}"), Arc::clone(&old.text));
                            to_check.push((stale, ast::File::clone(ast)));
                            (Some(Arc::clone(ast)), true)
                        }
                        None => (None, false),
                    }
                }
            };
            files.push(FileInfo {
                uri,
                source,
                lines,
                ast,
                stale,
            });
        }
        let checked = check::check(to_check);
        let program = checked.program.filter(|_| all_parse);
        let found: Vec<Diag> = syntax_errors
            .into_iter()
            .chain(checked.errors.into_iter().map(Diag::from))
            .chain(checked.warnings.into_iter().map(Diag::from))
            .collect();
        let mut diagnostics = Vec::new();
        for d in found {
            let record = format::record(&d);
            let Some(at) = record
                .file
                .as_deref()
                .and_then(|f| files.iter().position(|fi| fi.source.name == f))
            else {
                continue;
            };
            diagnostics.push((at, record, Arc::new(d)));
        }
        let index = Index::build(&files);
        Analysis {
            files,
            program,
            diagnostics,
            index,
        }
    }

    /// A file by its address.
    pub fn file(&self, uri: &Url) -> Option<(usize, &FileInfo)> {
        self.files.iter().enumerate().find(|(_, f)| f.uri == *uri)
    }
}

/// The name a file is shown under: its path, or its address when it has none.
pub fn display_name(uri: &Url) -> String {
    match uri.to_file_path() {
        Ok(p) => p.display().to_string(),
        Err(()) => uri.to_string(),
    }
}
