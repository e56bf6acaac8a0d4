//! A line diff for snapshot failures, in the unified format reviewers know
//! from `git diff`: hunks of changed lines with a few lines of context.
//!
//! Decision snapshots are small (tens to hundreds of lines), so a
//! longest-common-subsequence table over the lines that differ is cheap; past
//! a size cap the diff falls back to "all old lines out, all new lines in",
//! which is still correct, only less tidy.

/// Lines of context around each change.
pub const CONTEXT: usize = 3;

/// Largest LCS table (cells) computed before falling back.
const MAX_CELLS: usize = 4_000_000;

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

/// One step of the edit script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Same(usize, usize),
    Del(usize),
    Ins(usize),
}

/// The hunks turning `old` into `new` (empty when they are equal line by line).
pub fn diff(old: &str, new: &str) -> Vec<Line> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = script(&a, &b);
    hunks(&ops, &a, &b)
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

fn script(a: &[&str], b: &[&str]) -> Vec<Op> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    let mut ops: Vec<Op> = (0..prefix).map(|i| Op::Same(i, i)).collect();
    let (a_mid, b_mid) = (prefix..a.len() - suffix, prefix..b.len() - suffix);
    ops.extend(middle(a, b, a_mid.clone(), b_mid.clone()));
    ops.extend((0..suffix).map(|k| Op::Same(a_mid.end + k, b_mid.end + k)));
    ops
}

/// The edit script for `a[ra]` against `b[rb]`, by LCS when small enough.
fn middle(
    a: &[&str],
    b: &[&str],
    ra: std::ops::Range<usize>,
    rb: std::ops::Range<usize>,
) -> Vec<Op> {
    let (n, m) = (ra.len(), rb.len());
    if n.saturating_mul(m) > MAX_CELLS || n == 0 || m == 0 {
        return ra.map(Op::Del).chain(rb.map(Op::Ins)).collect();
    }
    let width = m + 1;
    // lcs[i * width + j]: LCS length of a[ra.start + i..] and b[rb.start + j..].
    let mut lcs = vec![0u32; (n + 1) * width];
    let get = |t: &[u32], i: usize, j: usize| t.get(i * width + j).copied().unwrap_or(0);
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let v = if a.get(ra.start + i) == b.get(rb.start + j) {
                get(&lcs, i + 1, j + 1) + 1
            } else {
                get(&lcs, i + 1, j).max(get(&lcs, i, j + 1))
            };
            if let Some(cell) = lcs.get_mut(i * width + j) {
                *cell = v;
            }
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut ops = Vec::with_capacity(n + m);
    while i < n || j < m {
        if i < n && j < m && a.get(ra.start + i) == b.get(rb.start + j) {
            ops.push(Op::Same(ra.start + i, rb.start + j));
            i += 1;
            j += 1;
        } else if j == m || (i < n && get(&lcs, i + 1, j) >= get(&lcs, i, j + 1)) {
            ops.push(Op::Del(ra.start + i));
            i += 1;
        } else {
            ops.push(Op::Ins(rb.start + j));
            j += 1;
        }
    }
    ops
}

/// Groups an edit script into hunks with [`CONTEXT`] lines around changes.
fn hunks(ops: &[Op], a: &[&str], b: &[&str]) -> Vec<Line> {
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, op)| !matches!(op, Op::Same(..)))
        .map(|(k, _)| k)
        .collect();
    // Ranges of ops to show, merged when their context overlaps.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for &k in &changed {
        let lo = k.saturating_sub(CONTEXT);
        let hi = (k + CONTEXT + 1).min(ops.len());
        match ranges.last_mut() {
            Some(last) if lo <= last.1 => last.1 = hi,
            _ => ranges.push((lo, hi)),
        }
    }
    let mut out = Vec::new();
    for (lo, hi) in ranges {
        let part = ops.get(lo..hi).unwrap_or(&[]);
        out.push(Line::Hunk(header(ops, lo, part)));
        for op in part {
            let line = |v: &[&str], i: usize| v.get(i).copied().unwrap_or("").to_string();
            out.push(match *op {
                Op::Same(i, _) => Line::Same(line(a, i)),
                Op::Del(i) => Line::Removed(line(a, i)),
                Op::Ins(j) => Line::Added(line(b, j)),
            });
        }
    }
    out
}

/// `@@ -start,len +start,len @@` for the ops `part`, which begin at `lo`.
fn header(ops: &[Op], lo: usize, part: &[Op]) -> String {
    // Lines of each side before the hunk.
    let before = ops.get(..lo).unwrap_or(&[]);
    let old_start = before.iter().filter(|o| !matches!(o, Op::Ins(_))).count();
    let new_start = before.iter().filter(|o| !matches!(o, Op::Del(_))).count();
    let old_len = part.iter().filter(|o| !matches!(o, Op::Ins(_))).count();
    let new_len = part.iter().filter(|o| !matches!(o, Op::Del(_))).count();
    // Unified diffs count from 1; an empty side names the line before it.
    let show = |start: usize, len: usize| {
        if len == 0 {
            format!("{start},0")
        } else {
            format!("{},{len}", start + 1)
        }
    };
    format!(
        "@@ -{} +{} @@",
        show(old_start, old_len),
        show(new_start, new_len)
    )
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
