//! Hot reload: the policy's files are watched, and an edit is loaded,
//! checked and swapped in.
//!
//! Editors save in bursts (write, rename, chmod), so events are gathered
//! until the files have been quiet for a moment, then the policy is loaded
//! once. Directories are watched recursively (a new `.rung` file joins the
//! policy); a file given by name is watched through its directory, since
//! many editors replace a file rather than write it in place.

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher as _};

use super::error::ServeError;
use super::state::{Reload, Service};
use crate::diagnostic::{self, Diag};

/// How long the files must be quiet before an edit is loaded.
pub const QUIET: Duration = Duration::from_millis(150);

/// A running watcher; dropping it stops watching (its thread ends).
pub struct Watch {
    _watcher: notify::RecommendedWatcher,
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watch").finish_non_exhaustive()
    }
}

/// Watches `service`'s policy files and reloads it on every edit,
/// reporting each reload on standard error.
pub fn watch(service: Arc<Service>) -> Result<Watch, ServeError> {
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let failed = |e: notify::Error| ServeError::Watch {
        message: e.to_string(),
    };
    let mut watcher = notify::recommended_watcher(tx).map_err(failed)?;
    for path in service.paths() {
        let (target, mode) = if path.is_dir() {
            (path.clone(), RecursiveMode::Recursive)
        } else {
            let parent = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), PathBuf::from);
            (parent, RecursiveMode::NonRecursive)
        };
        watcher.watch(&target, mode).map_err(failed)?;
    }
    std::thread::Builder::new()
        .name("rung-watch".to_string())
        .spawn(move || run(&service, &rx))
        .map_err(|e| ServeError::Watch {
            message: e.to_string(),
        })?;
    Ok(Watch { _watcher: watcher })
}

/// Whether an event may change the policy: a change to a `.rung` file.
fn relevant(event: &notify::Result<notify::Event>) -> bool {
    match event {
        Ok(e) => {
            !matches!(e.kind, EventKind::Access(_))
                && e.paths
                    .iter()
                    .any(|p| p.extension().is_some_and(|x| x == "rung"))
        }
        // Lost events (an overflowing queue): reload to be safe.
        Err(_) => true,
    }
}

fn run(service: &Service, rx: &mpsc::Receiver<notify::Result<notify::Event>>) {
    // The channel closes when the watcher is dropped: the thread ends.
    while let Ok(event) = rx.recv() {
        if !relevant(&event) {
            continue;
        }
        loop {
            match rx.recv_timeout(QUIET) {
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let text = match service.reload() {
            Reload::Unchanged => continue,
            Reload::Swapped => format!(
                "rung serve: policy reloaded ({})\n",
                service.policy().digest.short()
            ),
            Reload::Failed(diags) => format!(
                "rung serve: the edited policy does not check; the last good policy ({}) keeps serving\n{}",
                service.policy().digest.short(),
                diagnostic::render_plain(&diags)
            ),
        };
        let _ = std::io::stderr().write_all(text.as_bytes());
    }
}

/// Reports a watcher that could not start, as a warning.
pub fn warn(e: ServeError) {
    let text = diagnostic::render_plain(&[Diag::from(e)]);
    let _ = std::io::stderr().write_all(text.as_bytes());
}
