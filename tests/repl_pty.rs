//! `rung repl` in a real pseudo-terminal: tab completion, multi-line input,
//! Ctrl-C, and history that survives the session.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

use rexpect::session::{PtySession, spawn_command};

/// Types `keys` without Enter (rexpect buffers until flushed).
fn typ(p: &mut PtySession, keys: &str) {
    p.send(keys).unwrap();
    p.flush().unwrap();
}

fn spawn(history: &Path) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rung"));
    cmd.args([
        "repl",
        "policies/nato",
        "--facts",
        "policies/nato/examples/albania-2022.json",
    ])
    .current_dir(env!("CARGO_MANIFEST_DIR"))
    .env("RUNG_HISTORY", history)
    .env("NO_COLOR", "1")
    .env("TERM", "xterm");
    let mut p = spawn_command(cmd, Some(20_000)).unwrap();
    p.exp_string("rung> ").unwrap();
    p
}

#[test]
fn completion_multiline_and_history() {
    let dir = std::env::temp_dir().join(format!("rung-pty-{}", std::process::id()));
    let history = dir.join("state").join("history");
    let _ = std::fs::remove_dir_all(&dir);

    let mut p = spawn(&history);
    // A name in scope, then a field after `.`.
    typ(&mut p, "sum(wind\t");
    p.exp_string("window").unwrap();
    typ(&mut p, ".sev\t");
    p.exp_string("severity").unwrap();
    p.send_line(")").unwrap();
    p.exp_string("10 : int").unwrap();
    p.exp_string("rung> ").unwrap();

    // A command name, then a rung name and a subject.
    typ(&mut p, ":wh\t");
    p.exp_string(":why").unwrap();
    typ(&mut p, " article_5\t");
    p.exp_string("article_5_consideration").unwrap();
    typ(&mut p, " I\t");
    p.send_line("").unwrap();
    // (rexpect reads bytes as Latin-1: match ASCII only.)
    p.exp_string("article_5_consideration: not recommended")
        .unwrap();
    p.exp_string("rung> ").unwrap();

    // An unbalanced bracket continues on the next line.
    p.send_line("count(").unwrap();
    p.send_line("window)").unwrap();
    p.exp_string("3 : int").unwrap();

    // Ctrl-C cancels the line; the session goes on.
    p.exp_string("rung> ").unwrap();
    typ(&mut p, "this is never run");
    p.exp_string("never run").unwrap();
    p.send_control('c').unwrap();
    // Wait for the new prompt: input typed while the terminal changes modes is dropped.
    p.exp_string("rung> ").unwrap();
    p.send_line("sum(window.severity) * 2").unwrap();
    p.exp_string("20 : int").unwrap();
    p.exp_string("rung> ").unwrap();
    // Ctrl-D leaves.
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();

    let saved = std::fs::read_to_string(&history).unwrap();
    assert!(saved.contains("sum(window.severity)\n"), "{saved}");
    assert!(
        saved.contains("count(\\nwindow)"),
        "multi-line entries are kept whole: {saved}"
    );
    assert!(!saved.contains("never run"), "{saved}");

    // The next session recalls the last input with the Up arrow.
    let mut p = spawn(&history);
    typ(&mut p, "\x1b[A");
    p.send_line("").unwrap();
    p.exp_string("20 : int").unwrap();
    p.send_line(":quit").unwrap();
    p.exp_eof().unwrap();

    let _ = std::fs::remove_dir_all(&dir);
}
