//! `rung fmt` from the command line: check mode, rewriting, directories,
//! refusal of files that do not parse.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const MESSY: &str = "let   a=1 # one\nlet b =a+1\n";
const TIDY: &str = "let a = 1 # one\n\nlet b = a + 1\n";

/// A fresh directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("fmt_cli")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn rung(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rung"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn check_prints_a_diff_and_changes_nothing() {
    let dir = scratch("check");
    fs::write(dir.join("a.rung"), MESSY).unwrap();
    let out = rung(&["fmt", "--check", "a.rung"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let diff = text(&out.stdout);
    assert!(
        diff.starts_with("--- a.rung\n+++ a.rung (formatted)\n@@ "),
        "{diff}"
    );
    assert!(diff.contains("\n-let   a=1 # one\n"), "{diff}");
    assert!(diff.contains("\n+let a = 1 # one\n"), "{diff}");
    assert_eq!(fs::read_to_string(dir.join("a.rung")).unwrap(), MESSY);
}

#[test]
fn check_is_silent_on_formatted_files() {
    let dir = scratch("check_ok");
    fs::write(dir.join("a.rung"), TIDY).unwrap();
    let out = rung(&["fmt", "--check", "a.rung"], &dir);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn rewrites_in_place_and_keeps_permissions() {
    let dir = scratch("write");
    let file = dir.join("a.rung");
    fs::write(&file, MESSY).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
    }
    let out = rung(&["fmt", "a.rung"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(fs::read_to_string(&file).unwrap(), TIDY);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    // No temporary file is left behind.
    let names: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("a.rung")]);
    // A second run changes nothing.
    let again = rung(&["fmt", "--check", "a.rung"], &dir);
    assert_eq!(again.status.code(), Some(0));
}

#[test]
fn formats_every_rung_file_below_a_directory() {
    let dir = scratch("dir");
    fs::create_dir_all(dir.join("policy/nested")).unwrap();
    fs::write(dir.join("policy/a.rung"), MESSY).unwrap();
    fs::write(dir.join("policy/nested/b.rung"), MESSY).unwrap();
    fs::write(dir.join("policy/notes.txt"), MESSY).unwrap();
    let out = rung(&["fmt", "policy"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(fs::read_to_string(dir.join("policy/a.rung")).unwrap(), TIDY);
    assert_eq!(
        fs::read_to_string(dir.join("policy/nested/b.rung")).unwrap(),
        TIDY
    );
    assert_eq!(
        fs::read_to_string(dir.join("policy/notes.txt")).unwrap(),
        MESSY
    );
}

#[test]
fn a_file_that_does_not_parse_is_left_alone() {
    let dir = scratch("syntax");
    let broken = "let = 3\n  # keep me\n";
    fs::write(dir.join("bad.rung"), broken).unwrap();
    fs::write(dir.join("good.rung"), MESSY).unwrap();
    let out = rung(&["fmt", "bad.rung", "good.rung"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("bad.rung"), "{err}");
    assert!(err.contains("does not parse"), "{err}");
    assert_eq!(fs::read_to_string(dir.join("bad.rung")).unwrap(), broken);
    // The other files are still formatted.
    assert_eq!(fs::read_to_string(dir.join("good.rung")).unwrap(), TIDY);
}

#[test]
fn a_missing_path_is_a_usage_error() {
    let dir = scratch("missing");
    let out = rung(&["fmt", "nope.rung"], &dir);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_shipped_policies_pass_the_check() {
    let out = rung(
        &["fmt", "--check", "policies"],
        Path::new(env!("CARGO_MANIFEST_DIR")),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

/// Runs `rung fmt ARGS` with `input` on standard input.
fn rung_stdin(args: &[&str], input: &str) -> Output {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_rung"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn standard_input_is_formatted_to_standard_output() {
    let out = rung_stdin(&["fmt", "-"], MESSY);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), TIDY);

    let check = rung_stdin(&["fmt", "--check", "-"], MESSY);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(text(&check.stdout), "");
    assert_eq!(
        rung_stdin(&["fmt", "--check", "-"], TIDY).status.code(),
        Some(0)
    );

    let broken = rung_stdin(&["fmt", "-"], "let a = (\n");
    assert_eq!(broken.status.code(), Some(1));
    assert_eq!(
        text(&broken.stdout),
        "",
        "nothing is written for text that does not parse"
    );
    assert!(text(&broken.stderr).contains("rung::fmt::syntax"));
}
