//! Text views of the policy for the REPL: `:help`, `:ladders`, `:rules`
//! and `:why`.

use std::fmt::Write as _;
use std::sync::Arc;

use super::command::{Arg, COMMANDS};
use super::error::{ReplError, at, typed};
use crate::ast::Effect;
use crate::decision::Decision;
use crate::eval::explain::SubjectExplanation;
use crate::internal::Internal;
use crate::program::{LadderId, Program, RungId};
use crate::render::Paint;
use crate::source::SourceFile;
use crate::syntax::lex::{Lexer, Token};

/// `:help`
pub fn help() -> String {
    let mut out = String::from(
        "Type an expression to evaluate it (`sum(window.severity)`), or a declaration\n\
         (`let`, `rules`, `ladder`, ...) to add it to the session's policy; a `let`\n\
         replaces a definition of the same name. Unfinished input continues on the\n\
         next line.\n\nCommands:\n",
    );
    for c in COMMANDS {
        let usage = if c.args.is_empty() {
            format!(":{}", c.name)
        } else {
            format!(":{} {}", c.name, c.args)
        };
        let _ = writeln!(out, "  {usage:<28} {}", c.summary);
    }
    out
}

/// `:ladders`
pub fn ladders(program: &Program) -> String {
    let mut out = String::new();
    if program.schema.ladders.is_empty() {
        out.push_str("no ladders: load a policy with `:load PATH`\n");
    }
    for l in &program.schema.ladders {
        match &l.title {
            Some(t) => {
                let _ = writeln!(out, "{} — {t}", l.name);
            }
            None => {
                let _ = writeln!(out, "{}", l.name);
            }
        }
        let width = l.rungs.iter().map(|r| r.name.len()).max().unwrap_or(0);
        for (i, r) in l.rungs.iter().enumerate() {
            let _ = writeln!(out, "  {}. {:<width$}  {}", i + 1, r.name, r.description);
        }
    }
    out
}

fn rung_name(program: &Program, ladder: LadderId, rung: RungId) -> Result<&str, Internal> {
    program
        .ladder(ladder)?
        .rungs
        .get(rung.index())
        .map(|r| r.name.as_str())
        .ok_or(Internal::new("a rule's rung is outside its ladder"))
}

/// `:rules [LADDER]`
pub fn rules(program: &Program, only: Option<&str>) -> Result<String, Internal> {
    let mut out = String::new();
    for b in &program.blocks {
        let ladder = program.ladder(b.ladder)?.name.as_str();
        if only.is_some_and(|o| o != ladder) {
            continue;
        }
        let head = if b.keyed {
            format!("{} in {} keyed by", b.items, b.source.span.text())
        } else {
            format!(
                "{}, {} in {} grouped by",
                b.subject,
                b.items,
                b.source.span.text()
            )
        };
        let _ = writeln!(
            out,
            "rules {ladder} for each {head} {}  ({})",
            b.key.span.text(),
            b.span.location()
        );
        for l in &b.lets {
            let _ = writeln!(out, "  let {} = {}", l.name, one_line(l.value.span.text()));
        }
        for r in &b.rules {
            let rungs = if r.lo == r.hi {
                rung_name(program, b.ladder, r.lo)?.to_string()
            } else {
                format!(
                    "{} to {}",
                    rung_name(program, b.ladder, r.lo)?,
                    rung_name(program, b.ladder, r.hi)?
                )
            };
            let _ = writeln!(out, "  {}: {} {rungs}", r.name, r.effect.as_str());
            match &r.when {
                Some(w) => {
                    let _ = writeln!(out, "      when {}", one_line(w.span.text()));
                }
                None => {
                    let _ = writeln!(out, "      (always)");
                }
            }
        }
    }
    if out.is_empty() {
        out.push_str("no rules\n");
    }
    Ok(out)
}

/// Source text on one line: comments dropped, the blanks between tokens
/// squeezed to one space; strings are kept as written.
fn one_line(text: &str) -> String {
    let mut out = String::new();
    let mut last_end = None;
    for t in Lexer::new(text).filter(Token::is_code) {
        if let Some(e) = last_end
            && e < t.start
        {
            out.push(' ');
        }
        out.push_str(t.text(text));
        last_end = Some(t.end);
    }
    out
}

/// `:why RUNG SUBJECT`: the rung's standing, then every rule that concerns
/// it with its condition part by part.
pub fn why(
    program: &Program,
    d: &Decision,
    ex: &SubjectExplanation,
    rung: &str,
    p: Paint,
) -> String {
    let mut out = String::new();
    let recommended = d.recommended.iter().any(|r| &**r == rung);
    let forbidden = d.forbidden.iter().any(|r| &**r == rung);
    let standing = match (recommended, forbidden) {
        (true, _) => p.green("recommended"),
        (false, true) => p.red("forbidden"),
        (false, false) => p.dim("not recommended"),
    };
    let top = d.top.as_deref().unwrap_or("none");
    let _ = writeln!(
        out,
        "{} — {}: {standing} (top: {top})",
        crate::render::heading(d, p),
        p.bold(rung)
    );
    let index = program
        .schema
        .ladders
        .iter()
        .find(|l| *l.name == *d.ladder)
        .and_then(|l| l.rungs.iter().position(|r| r.name == rung))
        .unwrap_or(usize::MAX);
    let concerned: Vec<_> = ex
        .rules
        .iter()
        .filter(|r| r.range.0.index() <= index && index <= r.range.1.index())
        .collect();
    if concerned.is_empty() {
        let _ = writeln!(out, "  no rule concerns `{rung}`");
    }
    for r in concerned {
        crate::render::rule_lines(&mut out, r, p, "  ");
    }
    if recommended || forbidden {
        let because: Vec<_> = d.reasons.iter().filter(|r| &*r.rung == rung).collect();
        for r in because {
            let verb = if r.effect == Effect::Forbid.as_str() {
                "forbidden"
            } else {
                "recommended"
            };
            let _ = writeln!(out, "  {verb} because {:?} ({})", r.because, r.rule);
        }
    }
    out
}

/// An error for a rung that no ladder has.
pub fn unknown_rung(file: &Arc<SourceFile>, program: &Program, arg: &Arg) -> ReplError {
    let rungs: Vec<&str> = program
        .schema
        .ladders
        .iter()
        .flat_map(|l| l.rungs.iter().map(|r| r.name.as_str()))
        .collect();
    let (src, span) = at(&typed(file, arg.start, arg.end));
    ReplError::Lookup {
        src,
        span,
        message: format!("unknown rung `{}`", arg.text),
        label: "not a rung".into(),
        help: Some(
            match crate::check::suggest::closest(&arg.text, rungs.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None if rungs.is_empty() => "no ladder is loaded".into(),
                None => "`:ladders` lists the rungs".into(),
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_drops_comments_and_keeps_strings() {
        let text = "count(acts)  # how many\n  and  name == \"a  # b\"\n";
        assert_eq!(one_line(text), "count(acts) and name == \"a  # b\"");
        assert_eq!(one_line("a\n# only a comment\n  b"), "a b");
    }
}
