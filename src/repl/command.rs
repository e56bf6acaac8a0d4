//! The REPL's `:commands`: the table of what exists and the parsing of a
//! typed command line into a [`Command`].

use std::sync::Arc;

use super::error::{ReplError, at, typed};
use crate::check::suggest;
use crate::source::SourceFile;

/// One command as the table describes it (for `:help`, completion, hints).
#[derive(Debug, Clone, Copy)]
pub struct CommandInfo {
    /// Its name, without the colon.
    pub name: &'static str,
    /// Other names it answers to.
    pub aliases: &'static [&'static str],
    /// Its arguments, as shown in `:help` and hints.
    pub args: &'static str,
    /// What it does, in one line.
    pub summary: &'static str,
}

/// Every command, in the order `:help` lists them.
pub const COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "help",
        aliases: &["h", "?"],
        args: "",
        summary: "this list",
    },
    CommandInfo {
        name: "load",
        aliases: &[],
        args: "PATH...",
        summary: "load a policy (files or directories), keeping your declarations if they still check",
    },
    CommandInfo {
        name: "reload",
        aliases: &[],
        args: "",
        summary: "re-read the policy from disk, keeping your declarations if they still check",
    },
    CommandInfo {
        name: "facts",
        aliases: &[],
        args: "FILE",
        summary: "load facts (JSON); `:diff` compares with the decisions at this point",
    },
    CommandInfo {
        name: "table",
        aliases: &[],
        args: "NAME FILE",
        summary: "read the fact NAME (a list of records) from a CSV or TSV table",
    },
    CommandInfo {
        name: "set",
        aliases: &[],
        args: "PATH = JSON",
        summary: "what if: change a fact, e.g. `:set incidents[2].attribution = \"high\"`",
    },
    CommandInfo {
        name: "unset",
        aliases: &[],
        args: "PATH",
        summary: "what if: remove a fact, a field or a list item, e.g. `:unset incidents[0]`",
    },
    CommandInfo {
        name: "reset",
        aliases: &[],
        args: "",
        summary: "undo every `:set` and `:unset`: back to the loaded facts",
    },
    CommandInfo {
        name: "show",
        aliases: &[],
        args: "[PATH]",
        summary: "print the facts (or the part at PATH) as JSON",
    },
    CommandInfo {
        name: "decide",
        aliases: &["d"],
        args: "",
        summary: "the full decision, as `rung eval` prints it",
    },
    CommandInfo {
        name: "why",
        aliases: &["w"],
        args: "RUNG [SUBJECT]",
        summary: "which rules decide RUNG for SUBJECT, part by part, with values",
    },
    CommandInfo {
        name: "diff",
        aliases: &[],
        args: "",
        summary: "how the decisions changed since the facts were loaded",
    },
    CommandInfo {
        name: "replay",
        aliases: &[],
        args: "[FROM TO]",
        summary: "the timeline of the current facts: decisions as of every day, and what crossed them",
    },
    CommandInfo {
        name: "at",
        aliases: &[],
        args: "DATE",
        summary: "the decision as of DATE (`now` set to it, every other fact unchanged)",
    },
    CommandInfo {
        name: "ladders",
        aliases: &[],
        args: "",
        summary: "the ladders and their rungs",
    },
    CommandInfo {
        name: "rules",
        aliases: &[],
        args: "[LADDER]",
        summary: "the rules, with their conditions",
    },
    CommandInfo {
        name: "subject",
        aliases: &["s"],
        args: "[[LADDER] SUBJECT]",
        summary: "evaluate in a subject's scope (its block's lets, subject and items); no argument leaves it",
    },
    CommandInfo {
        name: "type",
        aliases: &["t"],
        args: "EXPR",
        summary: "the type of an expression, without evaluating it",
    },
    CommandInfo {
        name: "quit",
        aliases: &["q", "exit"],
        args: "",
        summary: "leave (Ctrl-D does too)",
    },
];

/// A word of a command line, with its byte range in the typed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The word.
    pub text: String,
    /// Start byte offset in the typed text.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
}

/// A parsed command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `:help`
    Help,
    /// `:quit`
    Quit,
    /// `:load PATH...`
    Load(Vec<Arg>),
    /// `:reload`
    Reload,
    /// `:facts FILE`
    Facts(Arg),
    /// `:table NAME FILE`
    Table {
        /// The fact.
        name: Arg,
        /// The table's path.
        path: Arg,
    },
    /// `:set PATH = JSON`
    Set {
        /// The JSON path.
        path: Arg,
        /// The JSON value, as typed.
        value: Arg,
    },
    /// `:unset PATH`
    Unset(Arg),
    /// `:reset`
    Reset,
    /// `:show [PATH]`
    Show(Option<Arg>),
    /// `:decide`
    Decide,
    /// `:why RUNG [SUBJECT]`
    Why(Vec<Arg>),
    /// `:diff`
    Diff,
    /// `:replay [FROM TO]`
    Replay(Vec<Arg>),
    /// `:at DATE`
    At(Arg),
    /// `:ladders`
    Ladders,
    /// `:rules [LADDER]`
    Rules(Option<Arg>),
    /// `:subject [[LADDER] SUBJECT]`
    Subject(Vec<Arg>),
    /// `:type EXPR`
    Type(Arg),
}

/// The command a name (or alias) refers to.
pub fn lookup(name: &str) -> Option<&'static CommandInfo> {
    COMMANDS
        .iter()
        .find(|c| c.name == name || c.aliases.contains(&name))
}

/// Splits `text[from..]` into whitespace-separated words with their offsets.
pub fn words(text: &str, from: usize) -> Vec<Arg> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let rest = text.get(from..).unwrap_or("");
    for (i, c) in rest.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push(arg(text, from + s, from + i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(arg(text, from + s, text.len()));
    }
    out
}

fn arg(text: &str, start: usize, end: usize) -> Arg {
    Arg {
        text: text.get(start..end).unwrap_or("").to_string(),
        start,
        end,
    }
}

/// The text after the command word, trimmed, as one argument.
fn rest(text: &str, from: usize) -> Option<Arg> {
    let tail = text.get(from..)?;
    let lead = tail.len() - tail.trim_start().len();
    let body = tail.trim();
    if body.is_empty() {
        return None;
    }
    Some(arg(text, from + lead, from + lead + body.len()))
}

/// Parses a line that starts with `:` (leading whitespace allowed).
pub fn parse(file: &Arc<SourceFile>) -> Result<Command, ReplError> {
    let text: &str = &file.text;
    let colon = text.find(':').unwrap_or(0);
    let name_end = text
        .get(colon + 1..)
        .and_then(|t| t.find(char::is_whitespace))
        .map_or(text.len(), |i| colon + 1 + i);
    let name = text.get(colon + 1..name_end).unwrap_or("");
    let Some(info) = lookup(name) else {
        let span = typed(file, colon, name_end);
        let (src, span) = at(&span);
        let names = COMMANDS.iter().map(|c| c.name);
        let help = match suggest::closest(name, names) {
            Some(s) => format!("did you mean `:{s}`? `:help` lists the commands"),
            None => "`:help` lists the commands".to_string(),
        };
        return Err(ReplError::UnknownCommand {
            src,
            span,
            name: format!(":{name}"),
            help,
        });
    };
    let args = words(text, name_end);
    let usage = |message: &str, label: &str| {
        let end = args.last().map_or(name_end, |a| a.end);
        let (src, span) = at(&typed(file, colon, end));
        ReplError::Usage {
            src,
            span,
            message: message.to_string(),
            label: label.to_string(),
            help: format!("usage: `:{} {}`", info.name, info.args),
        }
    };
    let no_args = |cmd: Command| {
        if args.is_empty() {
            Ok(cmd)
        } else {
            Err(usage(
                &format!("`:{}` takes no arguments", info.name),
                "unexpected",
            ))
        }
    };
    let one = |args: &[Arg]| -> Result<Arg, ReplError> {
        match args {
            [a] => Ok(a.clone()),
            [] => Err(usage(
                &format!("`:{}` needs {}", info.name, info.args),
                "incomplete",
            )),
            _ => Err(usage(
                &format!("`:{}` takes one argument", info.name),
                "too many",
            )),
        }
    };
    match info.name {
        "help" => Ok(Command::Help),
        "quit" => no_args(Command::Quit),
        "reload" => no_args(Command::Reload),
        "reset" => no_args(Command::Reset),
        "decide" => no_args(Command::Decide),
        "diff" => no_args(Command::Diff),
        "ladders" => no_args(Command::Ladders),
        "load" if args.is_empty() => Err(usage("`:load` needs a path", "incomplete")),
        "load" => Ok(Command::Load(args)),
        "facts" => one(&args).map(Command::Facts),
        "table" => match args.as_slice() {
            [name, path] => Ok(Command::Table {
                name: name.clone(),
                path: path.clone(),
            }),
            _ => Err(usage("`:table` needs a fact and a file", "incomplete")),
        },
        "unset" => one(&args).map(Command::Unset),
        "show" if args.is_empty() => Ok(Command::Show(None)),
        "show" => one(&args).map(|a| Command::Show(Some(a))),
        "rules" if args.is_empty() => Ok(Command::Rules(None)),
        "rules" => one(&args).map(|a| Command::Rules(Some(a))),
        "why" if args.is_empty() || args.len() > 2 => Err(usage(
            "`:why` needs a rung and (unless there is one subject) a subject",
            "incomplete",
        )),
        "why" => Ok(Command::Why(args)),
        "subject" if args.len() > 2 => Err(usage(
            "`:subject` takes a ladder and a subject (or nothing, to leave the subject)",
            "incomplete",
        )),
        "subject" => Ok(Command::Subject(args)),
        "replay" if args.len() == 1 || args.len() > 2 => Err(usage(
            "`:replay` takes a first and a last day (or nothing, for the whole range)",
            "incomplete",
        )),
        "replay" => Ok(Command::Replay(args)),
        "at" => one(&args).map(Command::At),
        "type" => match rest(text, name_end) {
            Some(e) => Ok(Command::Type(e)),
            None => Err(usage("`:type` needs an expression", "incomplete")),
        },
        "set" => set(file, name_end)
            .ok_or_else(|| usage("`:set` needs a path, `=` and a JSON value", "incomplete")),
        _ => Err(usage("unknown command", "here")),
    }
}

/// `:set PATH = JSON`: splits at the first `=`.
fn set(file: &Arc<SourceFile>, from: usize) -> Option<Command> {
    let text: &str = &file.text;
    let eq = from + text.get(from..)?.find('=')?;
    let path = rest(text.get(..eq)?, from)?;
    let value = rest(text, eq + 1)?;
    Some(Command::Set { path, value })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    fn p(s: &str) -> Result<Command, ReplError> {
        parse(&SourceFile::new("<repl:1>", s))
    }

    #[test]
    fn set_splits_at_equals() {
        let Command::Set { path, value } = p(":set incidents[2].attribution = \"high\"").unwrap()
        else {
            panic!("not a set")
        };
        assert_eq!(path.text, "incidents[2].attribution");
        assert_eq!(value.text, "\"high\"");
        assert_eq!(
            &":set incidents[2].attribution = \"high\""[value.start..value.end],
            "\"high\""
        );
    }

    #[test]
    fn aliases_and_errors() {
        assert_eq!(p(":q").unwrap(), Command::Quit);
        assert!(matches!(
            p(":sett x = 1"),
            Err(ReplError::UnknownCommand { .. })
        ));
        assert!(matches!(p(":set x"), Err(ReplError::Usage { .. })));
        assert!(matches!(p(":decide now"), Err(ReplError::Usage { .. })));
        assert!(matches!(p(":"), Err(ReplError::UnknownCommand { .. })));
        assert_eq!(
            p(":type  count(window) ").unwrap(),
            Command::Type(Arg {
                text: "count(window)".into(),
                start: 7,
                end: 20
            })
        );
    }
}
