//! The unified diff `rung fmt --check` prints for a file that would change.

use similar::TextDiff;

/// A unified diff from `old` to `new`, headed `--- path` / `+++ path (formatted)`,
/// with three lines of context.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(path, &format!("{path} (formatted)"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_changed_lines_with_context() {
        let d = unified(
            "a.rung",
            "let a = 1\nlet  b = 2\n",
            "let a = 1\nlet b = 2\n",
        );
        assert_eq!(
            d,
            "--- a.rung\n+++ a.rung (formatted)\n@@ -1,2 +1,2 @@\n let a = 1\n-let  b = 2\n+let b = 2\n"
        );
    }
}
