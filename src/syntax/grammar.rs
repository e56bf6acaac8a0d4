//! The pest parser generated from `grammar/rung.pest`.
//!
//! It lives in its own private module so that the generated `Rule` enum
//! (which pest makes `pub`) stays inside `syntax`: pest pairs never leave
//! the parser.

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/rung.pest"]
pub(super) struct RungParser;
