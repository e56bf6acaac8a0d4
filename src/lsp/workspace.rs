//! Which policy a file belongs to, and the texts of a policy's files:
//! unsaved buffers over the files on disk.
//!
//! A `.rung` file belongs to the policy of its directory, or of the nearest
//! ancestor that holds the policy's other files: from the file's directory,
//! rung goes up while the directory's own `.rung` files declare no `facts`
//! and its parent holds `.rung` files (`policies/nato/tests/x.rung` belongs
//! to `policies/nato/`, whose `schema.rung` declares the facts). A buffer
//! that is not a file is a policy of its own.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_types::Url;

use crate::policy;

/// A policy: a directory, or one buffer that is not a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Root {
    /// The policy's directory.
    Dir(PathBuf),
    /// A buffer without a path (e.g. `untitled:`).
    Buffer(Url),
}

/// The open buffers.
#[derive(Debug, Default)]
pub struct Documents {
    open: HashMap<Url, String>,
}

impl Documents {
    /// A buffer was opened or changed.
    pub fn set(&mut self, uri: Url, text: String) {
        self.open.insert(uri, text);
    }

    /// A buffer was closed: the disk holds the file again.
    pub fn close(&mut self, uri: &Url) {
        self.open.remove(uri);
    }

    /// The open buffer of `uri`.
    pub fn get(&self, uri: &Url) -> Option<&String> {
        self.open.get(uri)
    }

    /// The policy `uri` belongs to.
    pub fn root_of(&self, uri: &Url) -> Root {
        match uri.to_file_path() {
            Ok(path) => Root::Dir(policy_dir(&path)),
            Err(()) => Root::Buffer(uri.clone()),
        }
    }

    /// The files of a policy, in load order, each with its text: the buffer
    /// when open, else the file on disk (an unreadable file is left out).
    pub fn inputs(&self, root: &Root) -> Vec<(Url, String)> {
        let dir = match root {
            Root::Buffer(u) => {
                return self
                    .open
                    .get(u)
                    .map(|t| (u.clone(), t.clone()))
                    .into_iter()
                    .collect();
            }
            Root::Dir(d) => d,
        };
        let mut paths: Vec<PathBuf> = policy::collect(dir).unwrap_or_default();
        for uri in self.open.keys() {
            if let Ok(p) = uri.to_file_path()
                && self.root_of(uri) == *root
                && !paths.contains(&p)
            {
                paths.push(p);
            }
        }
        paths.sort();
        paths
            .into_iter()
            .filter_map(|p| {
                let uri = Url::from_file_path(&p).ok()?;
                let text = match self.open.get(&uri) {
                    Some(t) => t.clone(),
                    None => policy::read_text(&p).ok()?,
                };
                Some((uri, text))
            })
            .collect()
    }
}

/// The policy directory of a file (see the module's documentation).
pub fn policy_dir(file: &Path) -> PathBuf {
    let Some(mut dir) = file.parent().map(Path::to_path_buf) else {
        return file.to_path_buf();
    };
    let start = dir.clone();
    loop {
        if declares_facts(&dir) {
            return dir;
        }
        match dir.parent() {
            Some(parent) if !shared(parent) && !rung_files(parent).is_empty() => {
                dir = parent.to_path_buf();
            }
            // No directory up the chain declares the facts: the file's own.
            _ => return start,
        }
    }
}

/// A directory many unrelated files share (the temporary directory, the
/// home directory, the root): never a policy reached by going up.
fn shared(dir: &Path) -> bool {
    dir.parent().is_none()
        || dir == std::env::temp_dir()
        || std::env::var_os("HOME").is_some_and(|h| dir == Path::new(&h))
}

/// The `.rung` files directly in `dir`.
fn rung_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rung") && p.is_file())
        .collect()
}

/// Whether a `.rung` file directly in `dir` declares the facts (a line
/// starting with the word `facts`).
fn declares_facts(dir: &Path) -> bool {
    rung_files(dir).iter().any(|p| {
        policy::read_text(p).is_ok_and(|text| {
            text.lines().any(|l| {
                l.strip_prefix("facts").is_some_and(|rest| {
                    !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                })
            })
        })
    })
}
