//! `rung repl [PATH...] [--facts FILE]`: interactive exploration.
//!
//! On a terminal: rustyline with completion, highlighting, hints, history and
//! multi-line input. With piped standard input: the same inputs, read line by
//! line (an unfinished input continues on the next line), without prompts, so
//! sessions can be scripted (`--fail-on-error` makes a failed input exit 1).

use std::cell::RefCell;
use std::io::{BufRead as _, IsTerminal, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;

use rung::render::Paint;
use rung::repl::helper::{ReplHelper, is_blank, is_unfinished};
use rung::repl::{Out, Reply, Session, history, render_reply};
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{CompletionType, Config, Editor};

/// Arguments of `rung repl`.
#[derive(clap::Args)]
pub struct Args {
    /// Policy files or directories to load.
    paths: Vec<PathBuf>,
    /// Facts file (JSON) to load.
    #[arg(long)]
    facts: Option<String>,
    /// A fact read from a CSV or TSV table, as `:table NAME FILE` reads it:
    /// `--table incidents=incidents.csv` (repeatable; read before `--facts`).
    #[arg(long = "table", value_name = "NAME=FILE", value_parser = super::tables::parse_binding)]
    tables: Vec<(String, String)>,
    /// Print each input before its output (transcripts of piped sessions).
    #[arg(long)]
    echo: bool,
    /// With piped input: exit 1 if any input failed (the session still runs to the end).
    #[arg(long)]
    fail_on_error: bool,
}

/// Runs `rung repl`.
pub fn run(args: Args) -> ExitCode {
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let paint = Paint {
        enabled: super::color_on(std::io::stdout().is_terminal()),
    };
    let facts = if args.tables.is_empty() {
        args.facts.as_deref()
    } else {
        None
    };
    let (mut session, mut reply) = match Session::start(&args.paths, facts, paint) {
        Ok(s) => s,
        Err(diags) => {
            super::report(&diags);
            return ExitCode::from(1);
        }
    };
    // Tables wait for the JSON facts, which are read with them.
    for (name, path) in &args.tables {
        session.table(name, path, &mut reply);
    }
    if let (false, Some(f)) = (args.tables.is_empty(), &args.facts) {
        session.load_facts(f, &mut reply);
    }
    let failed = reply.has_error();
    print(&reply);
    if interactive {
        interactive_loop(session, paint)
    } else {
        let failed = piped(session, args.echo, failed);
        if failed && args.fail_on_error {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}

fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

/// Text to standard output, reports to standard error, in order.
fn print(reply: &Reply) {
    let color = super::color_on(std::io::stderr().is_terminal());
    for item in &reply.items {
        match item {
            Out::Text(t) => {
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(t.as_bytes());
                let _ = out.flush();
            }
            Out::Report(r) => {
                let _ = std::io::stderr().write_all(render_reply(r, color, width()).as_bytes());
            }
        }
    }
}

/// Inputs from a pipe or file: no prompts, same commands. Returns whether
/// any input failed.
fn piped(mut session: Session, echo: bool, mut failed: bool) -> bool {
    let mut buffer = String::new();
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    loop {
        let line = match lines.next() {
            Some(Ok(l)) => Some(l),
            Some(Err(e)) => {
                let _ = writeln!(std::io::stderr(), "error: cannot read the input: {e}");
                return true;
            }
            None => None,
        };
        // A command line ends an unfinished input: it is run as it stands.
        if let Some(l) = &line
            && !buffer.is_empty()
            && l.trim_start().starts_with(':')
        {
            failed |= run_one(&mut session, &buffer, echo);
            buffer.clear();
        }
        match line {
            // Blank lines and comments between inputs are echoed as they are.
            Some(l) if buffer.is_empty() && is_blank(&l) => {
                if echo {
                    let _ = writeln!(std::io::stdout(), "{l}");
                }
            }
            Some(l) => {
                buffer.push_str(&l);
                buffer.push('\n');
                if is_unfinished(&buffer) {
                    continue;
                }
                let quit = run_input(&mut session, &buffer, echo, &mut failed);
                buffer.clear();
                if quit {
                    break;
                }
            }
            None => {
                if !buffer.trim().is_empty() {
                    run_input(&mut session, &buffer, echo, &mut failed);
                }
                break;
            }
        }
    }
    failed
}

fn run_input(session: &mut Session, input: &str, echo: bool, failed: &mut bool) -> bool {
    if echo && !input.trim().is_empty() {
        echo_input(input);
    }
    let reply = session.execute(input);
    *failed |= reply.has_error();
    print(&reply);
    reply.quit
}

fn run_one(session: &mut Session, input: &str, echo: bool) -> bool {
    let mut failed = false;
    run_input(session, input, echo, &mut failed);
    failed
}

fn echo_input(input: &str) {
    let mut out = String::new();
    for (i, l) in input.trim_end().lines().enumerate() {
        out.push_str(if i == 0 { "> " } else { ". " });
        out.push_str(l);
        out.push('\n');
    }
    let _ = std::io::stdout().write_all(out.as_bytes());
}

/// The terminal loop: rustyline, history saved after every input.
fn interactive_loop(session: Session, paint: Paint) -> ExitCode {
    let config = Config::builder()
        .auto_add_history(false)
        .history_ignore_space(true)
        .history_ignore_dups(true)
        .map(|b| b.completion_type(CompletionType::List).build());
    let config = match config {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let mut editor: Editor<ReplHelper, FileHistory> = match Editor::with_config(config) {
        Ok(e) => e,
        Err(e) => return fail(&e),
    };
    let session = Rc::new(RefCell::new(session));
    editor.set_helper(Some(ReplHelper::new(Rc::clone(&session), paint.enabled)));
    let history = history::path();
    if let Some(p) = &history {
        let _ = editor.load_history(p);
    }
    let _ = writeln!(
        std::io::stdout(),
        "rung repl — `:help` lists the commands; Tab completes; Ctrl-D leaves"
    );
    loop {
        let prompt = session
            .try_borrow()
            .map_or_else(|_| "rung> ".to_string(), |s| s.prompt());
        match editor.readline(&prompt) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                    save_history(&mut editor, history.as_deref());
                }
                let Ok(mut s) = session.try_borrow_mut() else {
                    continue;
                };
                let reply = s.execute(&line);
                drop(s);
                print(&reply);
                if reply.quit {
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => return fail(&e),
        }
    }
    save_history(&mut editor, history.as_deref());
    ExitCode::SUCCESS
}

fn save_history(editor: &mut Editor<ReplHelper, FileHistory>, path: Option<&std::path::Path>) {
    let Some(p) = path else { return };
    if let Some(dir) = p.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = editor.append_history(p);
}

fn fail(e: &dyn std::fmt::Display) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "error: the terminal failed: {e}");
    ExitCode::from(1)
}
