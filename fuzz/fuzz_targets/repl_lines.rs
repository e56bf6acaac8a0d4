//! REPL lines against a loaded session: the NATO doctrine with the Albania
//! facts, then every line of the input through `Session::execute` (the
//! entry point the scripted sessions of `tests/repl/` use), each reply
//! rendered as the terminal would show it.
//!
//! Lines that read the disk (`:load`, `:reload`, `:facts`, `:table`) are
//! skipped: a path like `/` would walk the whole file system, which is not
//! what this target is about.
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use rung::render::Paint;
use rung::repl::{COMMANDS, Session, transcript};

const DISK: &[&str] = &["load", "reload", "facts", "table"];

fn reads_disk(line: &str) -> bool {
    let Some(rest) = line.trim_start().strip_prefix(':') else {
        return false;
    };
    let name = rest.split_whitespace().next().unwrap_or("");
    COMMANDS
        .iter()
        .any(|c| DISK.contains(&c.name) && (c.name == name || c.aliases.contains(&name)))
}

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let facts = repo("policies/nato/examples/albania-2022.json");
    let Ok((mut session, _)) = Session::start(
        &[repo("policies/nato")],
        facts.to_str(),
        Paint { enabled: false },
    ) else {
        panic!("the session does not start");
    };
    for line in text.split('\n').take(16) {
        if reads_disk(line) {
            continue;
        }
        let reply = session.execute(line);
        let _ = transcript(&reply, 80);
        let _ = session.prompt();
        if reply.quit {
            break;
        }
    }
});
