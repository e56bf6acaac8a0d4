//! A line diff for snapshot failures, in the unified format reviewers know
//! from `git diff`: hunks of changed lines with a few lines of context.
//!
//! The edit script comes from `similar` (the same crate behind
//! `rung fmt --check`); this module only shapes it into [`Line`]s, which the
//! test report colours and the JSON report prints as text.

use similar::{ChangeTag, TextDiff};

/// Lines of context around each change.
pub const CONTEXT: usize = 3;

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// `@@ -1,4 +1,5 @@`: where a hunk starts.
    Hunk(String),
    /// A line both sides share.
    Same(String),
    /// A line only the old text has.
    Removed(String),
    /// A line only the new text has.
    Added(String),
}

impl Line {
    /// The line as unified diff text, without newline.
    pub fn text(&self) -> String {
        match self {
            Line::Hunk(h) => h.clone(),
            Line::Same(s) => format!(" {s}"),
            Line::Removed(s) => format!("-{s}"),
            Line::Added(s) => format!("+{s}"),
        }
    }
}

/// The hunks turning `old` into `new` (empty when they are equal line by line).
pub fn diff(old: &str, new: &str) -> Vec<Line> {
    let d = TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    for group in d.grouped_ops(CONTEXT) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let old_range = first.old_range().start..last.old_range().end;
        let new_range = first.new_range().start..last.new_range().end;
        out.push(Line::Hunk(format!(
            "@@ -{} +{} @@",
            range(old_range),
            range(new_range)
        )));
        for op in &group {
            for change in d.iter_changes(op) {
                let text = change.value().trim_end_matches(['\n', '\r']).to_string();
                out.push(match change.tag() {
                    ChangeTag::Equal => Line::Same(text),
                    ChangeTag::Delete => Line::Removed(text),
                    ChangeTag::Insert => Line::Added(text),
                });
            }
        }
    }
    out
}

/// `start,len` counted from 1; an empty side names the line before it.
fn range(r: std::ops::Range<usize>) -> String {
    let len = r.end - r.start;
    if len == 0 {
        format!("{},0", r.start)
    } else {
        format!("{},{len}", r.start + 1)
    }
}

/// The whole diff as text, one line each, for JSON output.
pub fn to_text(lines: &[Line]) -> String {
    let mut s = String::new();
    for l in lines {
        s.push_str(&l.text());
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(old: &str, new: &str) -> String {
        to_text(&diff(old, new))
    }

    #[test]
    fn equal_texts_have_no_hunks() {
        assert!(diff("a\nb\n", "a\nb\n").is_empty());
        assert!(diff("", "").is_empty());
    }

    #[test]
    fn a_changed_line_shows_with_context() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let new = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
        assert_eq!(
            render(old, new),
            "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn distant_changes_make_separate_hunks() {
        let old: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let new = old.replace("2\n", "two\n").replace("19\n", "nineteen\n");
        let lines = diff(&old, &new);
        let headers = lines.iter().filter(|l| matches!(l, Line::Hunk(_))).count();
        assert_eq!(headers, 2);
    }

    #[test]
    fn insertions_and_deletions() {
        assert_eq!(
            render("a\nc\n", "a\nb\nc\n"),
            "@@ -1,2 +1,3 @@\n a\n+b\n c\n"
        );
        assert_eq!(
            render("a\nb\nc\n", "a\nc\n"),
            "@@ -1,3 +1,2 @@\n a\n-b\n c\n"
        );
        assert_eq!(render("", "x\n"), "@@ -0,0 +1,1 @@\n+x\n");
    }

    #[test]
    fn the_lcs_keeps_moved_blocks_small() {
        let d = render("a\nb\nc\nd\n", "b\nc\nd\na\n");
        assert_eq!(d, "@@ -1,4 +1,4 @@\n-a\n b\n c\n d\n+a\n");
    }
}
