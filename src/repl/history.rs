//! Where the REPL keeps its history: `$RUNG_HISTORY`, else
//! `$XDG_STATE_HOME/rung/history`, else `~/.local/state/rung/history`.

use std::path::PathBuf;

/// The environment variable that overrides the history file (tests use it).
pub const ENV: &str = "RUNG_HISTORY";

/// The history file, if a place for it can be found.
pub fn path() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(p) = var(ENV) {
        return Some(PathBuf::from(p));
    }
    let state = match var("XDG_STATE_HOME") {
        Some(s) => PathBuf::from(s),
        None => PathBuf::from(var("HOME")?).join(".local").join("state"),
    };
    Some(state.join("rung").join("history"))
}
