//! The rustyline front end: completion, hints, highlighting and multi-line
//! input, over a session shared with the read loop.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use super::command::{self, COMMANDS};
use super::complete::{self, Completion};
use super::highlight;
use super::session::Session;
use crate::syntax;
use crate::syntax::lex::{Kind, Lexer};

/// The rustyline helper of `rung repl`.
pub struct ReplHelper {
    session: Rc<RefCell<Session>>,
    files: FilenameCompleter,
    history: HistoryHinter,
    color: bool,
}

impl ReplHelper {
    /// A helper reading `session` (borrowed only while rustyline asks).
    pub fn new(session: Rc<RefCell<Session>>, color: bool) -> Self {
        ReplHelper {
            session,
            files: FilenameCompleter::new(),
            history: HistoryHinter::new(),
            color,
        }
    }
}

impl Helper for ReplHelper {}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let Ok(session) = self.session.try_borrow() else {
            return Ok((pos, Vec::new()));
        };
        match complete::complete(&session, line, pos) {
            Completion::Path => self.files.complete_path(line, pos),
            Completion::Words(start, words) => Ok((
                start,
                words
                    .into_iter()
                    .map(|w| Pair {
                        display: w.clone(),
                        replacement: w,
                    })
                    .collect(),
            )),
        }
    }
}

impl Hinter for ReplHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        if pos < line.len() {
            return None;
        }
        command_hint(line).or_else(|| self.history.hint(line, pos, ctx))
    }
}

/// While a command is typed: the rest of its name and its arguments.
pub fn command_hint(line: &str) -> Option<String> {
    let word = line.trim_start().strip_prefix(':')?;
    if let Some(name) = word.strip_suffix(' ')
        && !name.contains(char::is_whitespace)
    {
        let info = command::lookup(name)?;
        return (!info.args.is_empty()).then(|| info.args.to_string());
    }
    if word.contains(char::is_whitespace) || word.is_empty() {
        return None;
    }
    let mut matches = COMMANDS.iter().filter(|c| c.name.starts_with(word));
    let info = matches.next()?;
    if matches.next().is_some() {
        return None;
    }
    let rest = info.name.get(word.len()..).unwrap_or("");
    Some(if info.args.is_empty() {
        rest.to_string()
    } else {
        format!("{rest} {}", info.args)
    })
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if self.color {
            Cow::Owned(highlight::highlight(line))
        } else {
            Cow::Borrowed(line)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.color
    }
}

impl Validator for ReplHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(if is_unfinished(ctx.input()) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

/// Whether an input should continue on the next line: an expression or
/// declaration that stops in the middle (commands are one line).
pub fn is_unfinished(input: &str) -> bool {
    let t = input.trim_start();
    !is_blank(input) && !t.starts_with(':') && syntax::is_incomplete(input)
}

/// Whether an input holds nothing but blank lines and `#` comments.
pub fn is_blank(input: &str) -> bool {
    Lexer::new(input).all(|t| t.kind == Kind::Comment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_for_commands() {
        assert_eq!(command_hint(":se").as_deref(), Some("t PATH = JSON"));
        assert_eq!(command_hint(":set ").as_deref(), Some("PATH = JSON"));
        assert_eq!(command_hint(":re"), None); // reload, reset
        assert_eq!(command_hint(":dif").as_deref(), Some("f"));
        assert_eq!(command_hint("count("), None);
    }

    #[test]
    fn unfinished_input_continues() {
        assert!(is_unfinished("count(window"));
        assert!(is_unfinished(
            "rules response for each s, acts in window grouped by state_sponsor {"
        ));
        assert!(!is_unfinished("count(window)"));
        assert!(!is_unfinished(""));
        assert!(!is_unfinished("# a comment"));
        assert!(!is_unfinished(":set now = {"));
    }
}
