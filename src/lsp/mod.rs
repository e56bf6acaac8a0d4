//! `rung lsp`: a Language Server Protocol server, so that an editor shows
//! what `rung check` knows while the policy is written: diagnostics with
//! their codes, labels, help and fixes; types and doc comments on hover;
//! definitions and references across files; completion; symbols;
//! formatting with `rung fmt`'s printer; semantic highlighting.
//!
//! Everything is a client of the library: the loader's file order, the
//! parser and checker ([`crate::check::expression`] for types in scope),
//! the tokenizer and word table, and the formatter. The modules follow the
//! request: [`workspace`] finds a file's policy and its texts, [`analysis`]
//! parses, checks and indexes it, and one module answers each kind of
//! request.

pub mod actions;
pub mod analysis;
pub mod complete;
pub mod convert;
pub mod diagnostics;
pub mod formatting;
pub mod hover;
pub mod index;
pub mod server;
pub mod symbols;
pub mod tokens;
pub mod workspace;

pub use server::{capabilities, serve};
