//! `rung fmt` round trip: when a file parses, its formatted text parses to
//! the same syntax tree with the same comments, and formatting it again
//! changes nothing. (The formatter checks the first two itself and refuses
//! to write otherwise; a refusal on a file that parses is a finding too.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use rung::fmt::{comment_texts, format_source};
use rung::syntax::parse_file;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let src = rung_fuzz::source("fuzz.rung", text);
    let Ok(ast) = parse_file(&src) else {
        return;
    };
    let once = match format_source(&src) {
        Ok(s) => s,
        Err(e) => panic!("a file that parses was refused: {e:?}"),
    };
    let once_src = rung_fuzz::source("fuzz.rung", &once);
    match parse_file(&once_src) {
        Ok(again) => assert!(again == ast, "the syntax tree changed:\n{once}"),
        Err(e) => panic!("the output does not parse: {e:?}\n{once}"),
    }
    let mut before = comment_texts(&src).unwrap_or_default();
    let mut after = comment_texts(&once_src).unwrap_or_default();
    before.sort();
    after.sort();
    assert!(before == after, "the comments changed:\n{once}");
    match format_source(&once_src) {
        Ok(twice) => assert!(twice == once, "not idempotent:\n{once}\n---\n{twice}"),
        Err(e) => panic!("the output was refused: {e:?}\n{once}"),
    }
});
