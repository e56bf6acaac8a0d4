//! Helpers shared by the integration tests: running the real binary, and
//! building NATO-doctrine facts programmatically.

#![allow(dead_code)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::{Days, NaiveDate};
use serde_json::{Value, json};

/// The package root: every test runs the binary from here, with relative
/// paths, so snapshots never hold a machine's absolute paths.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What a run of the binary produced.
#[derive(Debug)]
pub struct Run {
    /// The exit code; `None` when a signal ended the process (a crash).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics unless the process exited normally with `code`.
    pub fn expect_code(&self, code: i32, what: &str) {
        assert_eq!(
            self.code,
            Some(code),
            "{what}: expected exit {code}\n--- stdout\n{}\n--- stderr\n{}",
            head(&self.stdout),
            head(&self.stderr)
        );
    }
}

/// The first few KiB of a text, for assertion messages.
pub fn head(s: &str) -> &str {
    let mut end = s.len().min(4000);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or(s)
}

/// Runs `rung ARGS` from the package root, with no colour.
pub fn rung(args: &[&str]) -> Run {
    rung_in(root(), args, None)
}

/// Runs `rung ARGS` from the package root with `stdin` piped in.
pub fn rung_stdin(args: &[&str], stdin: &[u8]) -> Run {
    rung_in(root(), args, Some(stdin))
}

/// Runs `rung ARGS` from `dir`.
pub fn rung_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rung"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("CLICOLOR_FORCE")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn rung");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        // The binary may stop reading early (e.g. on a usage error).
        let _ = pipe.write_all(bytes);
    }
    let out = child.wait_with_output().expect("wait for rung");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A fresh scratch directory for one test, under cargo's test tmp dir.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// The reference NATO policy.
pub fn nato() -> rung::Policy {
    rung::Policy::from_paths(&[root().join("policies/nato")]).expect("the NATO policy checks")
}

/// Evaluates facts (a JSON value) against a policy.
pub fn evaluate<'p>(policy: &'p rung::Policy, facts: &Value) -> rung::Evaluation<'p> {
    let text = facts.to_string();
    let loaded = policy
        .facts_from_text("facts.json", &text)
        .unwrap_or_else(|e| panic!("facts rejected: {e:?}\n{text}"));
    policy.evaluate(&loaded).expect("no internal error")
}

/// `now` in the programmatic doctrine tests. The year before it holds
/// 29 February 2024, so "365 days" and "a calendar year" differ.
pub const NOW: &str = "2024-06-30";

/// The date `offset` days from [`NOW`] (negative: before).
pub fn day(offset: i64) -> String {
    let now = NaiveDate::parse_from_str(NOW, "%Y-%m-%d").expect("NOW is a date");
    let d = if offset >= 0 {
        now.checked_add_days(Days::new(offset.unsigned_abs()))
    } else {
        now.checked_sub_days(Days::new(offset.unsigned_abs()))
    };
    d.expect("date in range").format("%Y-%m-%d").to_string()
}

/// An incident with harmless defaults: ten days before [`NOW`], against the
/// ally `AL`, sponsored by `RU`, high attribution, espionage of severity 1,
/// no critical infrastructure, casualties, request or restriction.
pub fn incident(id: &str) -> Value {
    json!({
        "id": id,
        "date": day(-10),
        "victim": "AL",
        "victim_is_ally": true,
        "actor": "APT",
        "state_sponsor": "RU",
        "attribution": "high",
        "effect": "espionage",
        "severity": 1,
        "critical_infrastructure": false,
        "casualties": false,
        "assistance_requested": false,
        "disclosure_restricted": false,
    })
}

/// A prior response against `sponsor`.
pub fn prior(sponsor: &str, rung: &str, date: &str) -> Value {
    json!({ "sponsor": sponsor, "rung": rung, "date": date })
}

/// Facts at [`NOW`] with these incidents and prior responses.
pub fn facts(incidents: Vec<Value>, priors: Vec<Value>) -> Value {
    json!({ "now": NOW, "incidents": incidents, "prior_responses": priors })
}

/// `out` with the reference policy's digest (full, or short as the human
/// output shows it) replaced by a placeholder: the snapshot then shows that
/// the exact digest of the files was printed, without changing each time a
/// file of the doctrine (a test, say) does.
pub fn pin_nato_digest(out: &str) -> String {
    let policy = nato();
    out.replace(policy.digest.as_str(), "<policy_digest of policies/nato>")
        .replace(policy.digest.short(), "<digest>")
}

/// The text after `--- NAME` up to the next `--- ` line, in a case file
/// (`tests/semantics/`, `tests/explanations/`).
pub fn section<'a>(text: &'a str, name: &str) -> &'a str {
    let marker = format!("--- {name}\n");
    let start = text
        .find(&marker)
        .unwrap_or_else(|| panic!("no `{marker}` section"))
        + marker.len();
    let rest = &text[start..];
    let end = rest.find("\n--- ").map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

/// A test input's text; a test fails when it cannot be read.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A path's last component, as text (empty for none).
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
