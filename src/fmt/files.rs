//! Files for `rung fmt`: which ones, and how they are rewritten.
//!
//! A rewrite never leaves a half-written policy behind: the text goes to a
//! temporary file in the same directory (same file system), which is flushed,
//! given the original's permissions and renamed over the original in one step.

use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::FmtError;

/// Replaces the contents of `path` with `text` atomically, keeping its
/// permissions. A symbolic link is followed: its target is rewritten.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), FmtError> {
    let fail = |e: std::io::Error| FmtError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let target = fs::canonicalize(path).map_err(fail)?;
    let perms = fs::metadata(&target).map_err(fail)?.permissions();
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    let (tmp, mut file) = temp_file(dir, &target).map_err(fail)?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .and_then(|()| fs::set_permissions(&tmp, perms))
        .and_then(|()| fs::rename(&tmp, &target));
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}

/// A new file beside `target`, named after it, that did not exist before.
fn temp_file(dir: &Path, target: &Path) -> std::io::Result<(PathBuf, fs::File)> {
    let name = target
        .file_name()
        .map_or_else(|| "policy".into(), |n| n.to_string_lossy().into_owned());
    let pid = std::process::id();
    let mut attempt = 0u32;
    loop {
        let tmp = dir.join(format!(".{name}.fmt-{pid}-{attempt}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}
