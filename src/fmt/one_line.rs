//! One expression in canonical form on one line: what explanations, replay
//! crossings and run-time errors show of a condition.
//!
//! They used to show the condition's source text, newlines and indentation
//! included, so `rung fmt` changed what `--explain` printed. The text is
//! parsed again and printed from its syntax tree with the formatter's own
//! tokens (canonical spelling, decimals at their written scale, comments
//! dropped), joined on one line.

use std::cell::RefCell;

use rustc_hash::FxHashMap;

use crate::source::SourceFile;
use crate::syntax;

use super::tokens::Toks;

/// `text`, an expression as written, in canonical one-line form.
///
/// Text that is not one expression (never the case for a span of a checked
/// policy) keeps its words, with every run of whitespace made one space.
pub fn one_line(text: &str) -> String {
    // Explanations show the same conditions over and over (every subject,
    // every day of a replay): each text is parsed once per thread. The cache
    // is bounded: a long-running server starts it again when it is full.
    const CACHED: usize = 4096;
    thread_local! {
        static SEEN: RefCell<FxHashMap<Box<str>, Box<str>>> = RefCell::default();
    }
    if let Some(hit) = SEEN.with(|s| s.borrow().get(text).map(|x| x.to_string())) {
        return hit;
    }
    let out = canonical(text);
    SEEN.with(|s| {
        let mut s = s.borrow_mut();
        if s.len() >= CACHED {
            s.clear();
        }
        s.insert(text.into(), out.as_str().into());
    });
    out
}

fn canonical(text: &str) -> String {
    let file = SourceFile::new("<condition>", text);
    let Ok(expr) = syntax::parse_expr(&file) else {
        return text.split_whitespace().collect::<Vec<_>>().join(" ");
    };
    let mut toks = Toks::new(text);
    toks.expr(&expr, 0);
    let mut out = String::with_capacity(text.len());
    for (i, t) in toks.take().iter().enumerate() {
        if i > 0 {
            out.extend(std::iter::repeat_n(' ', t.space));
        }
        out.push_str(&t.text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn joins_lines_and_drops_comments() {
        assert_eq!(
            one_line("count(acts)   >= 2 # at least two\n    and\n  sum(acts.severity)>=6"),
            "count(acts) >= 2 and sum(acts.severity) >= 6"
        );
    }

    #[test]
    fn keeps_the_written_scale_and_spelling() {
        assert_eq!(one_line("share >= 2.0"), "share >= 2.0");
        assert_eq!(one_line("date > now - 2w"), "date > now - 2w");
        assert_eq!(one_line("all xs have (a\n and b)"), "all xs have (a and b)");
        assert_eq!(one_line("[ \"a\" , \"b\" ]"), "[\"a\", \"b\"]");
    }
}
