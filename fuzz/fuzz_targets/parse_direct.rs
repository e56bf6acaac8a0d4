//! Policy text → the direct reader and pest. Wherever the direct reader
//! accepts a file, pest with lowering must build the same tree, spans
//! included (`Span`'s `Debug` prints its range); where it declines,
//! `parse_file` is pest's parse, errors and all.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rung::SourceFile;
use rung::syntax::{parse_file, parse_file_by_pest};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = SourceFile::new("fuzz.rung", text);
    let both = (parse_file(&file), parse_file_by_pest(&file));
    match both {
        (Ok(direct), Ok(pest)) => assert_eq!(format!("{direct:#?}"), format!("{pest:#?}")),
        (Err(a), Err(b)) => assert_eq!(a.len(), b.len()),
        (direct, pest) => panic!("the parsers disagree on {text:?}: {direct:?} / {pest:?}"),
    }
});
