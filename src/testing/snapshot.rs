//! Decision snapshots: the whole evaluation of a test's facts, pinned in a
//! JSON file beside the test so a doctrine change never shifts a decision
//! silently.
//!
//! The file holds exactly what `rung eval --format json` prints (pretty,
//! decisions sorted by ladder then subject), so it diffs well in review and
//! an author can also create one by hand. The convention follows cargo insta:
//! a missing snapshot is written and the test passes, except in CI (`CI`
//! set), where it fails; `--update` rewrites snapshots after review. Writes
//! are atomic: a temporary file in the same directory, then a rename, so an
//! interrupted run never leaves half a snapshot.

use std::io::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use super::diff::{self, Line};

/// What to do with snapshots.
#[derive(Debug, Clone, Copy, Default)]
pub struct Mode {
    /// `--update`: write every snapshot that is missing or changed.
    pub update: bool,
    /// Running in CI: a missing snapshot fails instead of being written.
    pub ci: bool,
}

/// What happened to a test's snapshot.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The decision matches the snapshot.
    Matched,
    /// The snapshot was missing and has been written.
    Created,
    /// The snapshot differed and `--update` rewrote it.
    Updated,
    /// The decision differs from the snapshot (a failure).
    Changed,
    /// The snapshot is missing and CI forbids writing it (a failure).
    Missing,
    /// The snapshot could not be read or written (a failure).
    Error,
}

impl Status {
    /// Whether this status fails the test.
    pub fn fails(self) -> bool {
        matches!(self, Status::Changed | Status::Missing | Status::Error)
    }
}

/// The outcome for one snapshot file.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Outcome {
    /// The snapshot file.
    pub path: String,
    /// What happened.
    pub status: Status,
    /// The change, stored snapshot (`-`) against the decision now (`+`).
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "as_text")]
    pub diff: Vec<Line>,
    /// Why reading or writing failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

fn as_text<S: serde::Serializer>(lines: &[Line], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&diff::to_text(lines))
}

/// Compares `actual` with the snapshot at `path`, writing it when `mode` says so.
pub fn compare(path: &Path, actual: &str, mode: Mode) -> Outcome {
    let outcome = |status, diff, message| Outcome {
        path: path.display().to_string(),
        status,
        diff,
        message,
    };
    let write = |status| match write_atomic(path, actual) {
        Ok(()) => outcome(status, Vec::new(), None),
        Err(e) => outcome(
            Status::Error,
            Vec::new(),
            Some(format!("cannot write: {e}")),
        ),
    };
    match std::fs::read_to_string(path) {
        Ok(stored) => {
            // A checkout may have turned `\n` into `\r\n`; that is no change.
            let stored = stored.replace("\r\n", "\n");
            if stored == actual {
                outcome(Status::Matched, Vec::new(), None)
            } else if mode.update {
                write(Status::Updated)
            } else {
                outcome(Status::Changed, diff::diff(&stored, actual), None)
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if mode.ci && !mode.update {
                outcome(
                    Status::Missing,
                    Vec::new(),
                    Some("not written because `CI` is set".into()),
                )
            } else {
                write(Status::Created)
            }
        }
        Err(e) => outcome(Status::Error, Vec::new(), Some(format!("cannot read: {e}"))),
    }
}

/// Distinguishes temporary files of one process.
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `text` to `path` through a temporary file in the same directory
/// and a rename, creating the directory if needed.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map_or_else(|| "snapshot".into(), |n| n.to_string_lossy());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("rung-snapshot-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn missing_is_created_then_matched_then_changed_then_updated() {
        let dir = temp_dir("cycle");
        let path = dir.join("snaps/one.json");
        let mode = Mode::default();
        assert_eq!(compare(&path, "a\n", mode).status, Status::Created);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a\n");
        assert_eq!(compare(&path, "a\n", mode).status, Status::Matched);
        let changed = compare(&path, "b\n", mode);
        assert_eq!(changed.status, Status::Changed);
        assert_eq!(diff::to_text(&changed.diff), "@@ -1,1 +1,1 @@\n-a\n+b\n");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a\n");
        let update = Mode {
            update: true,
            ci: false,
        };
        assert_eq!(compare(&path, "b\n", update).status, Status::Updated);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "b\n");
        // No temporary file is left behind.
        let left: Vec<_> = std::fs::read_dir(dir.join("snaps")).unwrap().collect();
        assert_eq!(left.len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn ci_does_not_write_missing_snapshots() {
        let dir = temp_dir("ci");
        let path = dir.join("one.json");
        let ci = Mode {
            update: false,
            ci: true,
        };
        let out = compare(&path, "a\n", ci);
        assert_eq!(out.status, Status::Missing);
        assert!(out.status.fails());
        assert!(!path.exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn crlf_checkouts_still_match() {
        let dir = temp_dir("crlf");
        let path = dir.join("one.json");
        write_atomic(&path, "a\r\nb\r\n").unwrap();
        assert_eq!(
            compare(&path, "a\nb\n", Mode::default()).status,
            Status::Matched
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
