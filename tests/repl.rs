//! Scripted REPL sessions: each `tests/repl/*.session` is piped into
//! `rung repl --echo`, and the transcript (inputs, output and errors in the
//! order they were written) is compared with its snapshot.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};

fn transcript(script: &Path) -> String {
    let name = script.file_stem().unwrap().to_string_lossy().to_string();
    let out_path =
        std::env::temp_dir().join(format!("rung-repl-{}-{name}.out", std::process::id()));
    let out = File::create(&out_path).unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_rung"))
        .args(["repl", "--echo"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("RUNG_HISTORY")
        .stdin(File::open(script).unwrap())
        .stdout(Stdio::from(out.try_clone().unwrap()))
        .stderr(Stdio::from(out))
        .status()
        .unwrap();
    let text = std::fs::read_to_string(&out_path).unwrap();
    let _ = std::fs::remove_file(&out_path);
    format!("{text}\n[exit: {}]\n", status.code().unwrap_or(-1))
}

#[test]
fn scripted_sessions() {
    insta::glob!("repl/*.session", |path| {
        insta::assert_snapshot!(transcript(path));
    });
}

#[test]
fn failed_inputs_exit_1_only_when_asked() {
    use std::io::Write as _;
    let run = |flag: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rung"));
        cmd.arg("repl")
            .args(flag)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut child = cmd.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b":sett now = 1\n1 + 1\n")
            .unwrap();
        child.wait().unwrap().code()
    };
    assert_eq!(run(None), Some(0));
    assert_eq!(run(Some("--fail-on-error")), Some(1));
}
