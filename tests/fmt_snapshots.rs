//! The canonical layout, pinned: one messy input per file in `tests/fmt/`,
//! its formatted text in `tests/snapshots/`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rung::SourceFile;
use rung::fmt::format_source;

#[test]
fn formatted_cases() {
    insta::glob!("fmt/*.rung", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let src = SourceFile::new(name, text);
        let formatted = format_source(&src).unwrap_or_else(|e| panic!("{e:?}"));
        insta::assert_snapshot!(formatted);
    });
}
