//! The formatter behind `rung fmt`: one canonical layout, every comment kept.
//!
//! Comments are not in the AST, so [`comments`] reads them back from the text;
//! [`tokens`] turns the AST into tokens in canonical spelling, each with the
//! source position it came from; [`layout`] decides the lines of each
//! declaration; the [`printer`] lays the tokens out and puts each comment back
//! between the same two tokens it stood between. A file that does not parse is
//! refused, and the result is parsed again before it is returned: it must mean
//! the same policy and hold the same comments, or nothing is written.
//!
//! ```
//! let file = rung::SourceFile::new("a.rung", "let   x=1+2 # three\n");
//! assert_eq!(rung::fmt::format_source(&file).ok().as_deref(), Some("let x = 1 + 2 # three\n"));
//! ```

pub mod comments;
mod diff;
mod error;
mod files;
mod layout;
mod one_line;
mod printer;
mod tokens;

use std::ops::Range;
use std::sync::Arc;

pub use diff::unified as unified_diff;
pub use error::FmtError;
pub use files::write_atomic;
pub use one_line::one_line;
pub use printer::WIDTH;

use crate::ast::{Decl, File, TestFacts};
use crate::source::SourceFile;
use crate::syntax;

/// The canonical text of a policy file.
///
/// Fails, leaving nothing changed, when the file does not parse, or (a bug
/// guard) when the result would not parse back to the same tree with the same
/// comments.
pub fn format_source(file: &Arc<SourceFile>) -> Result<String, FmtError> {
    let ast = parse(file)?;
    let comments = comments::extract(&file.text, &opaque_ranges(&ast));
    let texts: Vec<String> = comments.iter().map(|c| c.text.clone()).collect();
    let printer = printer::Printer::new(&file.text, comments);
    let out = layout::Layout::new(&file.text, printer).file(&ast);
    verify(file, &ast, texts, &out)?;
    Ok(out)
}

/// The text of every comment of a file that parses, in order (what the
/// formatter promises to keep).
pub fn comment_texts(file: &Arc<SourceFile>) -> Result<Vec<String>, FmtError> {
    let ast = parse(file)?;
    let found = comments::extract(&file.text, &opaque_ranges(&ast));
    Ok(found.into_iter().map(|c| c.text).collect())
}

fn parse(file: &Arc<SourceFile>) -> Result<File, FmtError> {
    syntax::parse_file(file).map_err(|errors| FmtError::Syntax {
        path: file.name.clone(),
        errors,
    })
}

/// Text the comment lexer must not look into: inline JSON facts, where `#`
/// and quotes follow JSON's rules.
fn opaque_ranges(ast: &File) -> Vec<Range<usize>> {
    ast.decls
        .iter()
        .filter_map(|d| match d {
            Decl::Test(t) => match &t.facts {
                TestFacts::Inline(_, span) => Some(span.start..span.end),
                TestFacts::File(_) => None,
            },
            _ => None,
        })
        .collect()
}

/// Checks that `out` parses to `ast` and keeps the comments `texts`.
fn verify(
    file: &Arc<SourceFile>,
    ast: &File,
    mut texts: Vec<String>,
    out: &str,
) -> Result<(), FmtError> {
    let unstable = |what| FmtError::Unstable {
        path: file.name.clone(),
        what,
    };
    let again = SourceFile::new(file.name.clone(), out);
    let reparsed = syntax::parse_file(&again).map_err(|_| unstable("meaning"))?;
    if &reparsed != ast {
        return Err(unstable("meaning"));
    }
    let mut kept: Vec<String> = comments::extract(out, &opaque_ranges(&reparsed))
        .into_iter()
        .map(|c| c.text)
        .collect();
    texts.sort();
    kept.sort();
    if texts != kept {
        return Err(unstable("comments"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> Option<String> {
        format_source(&SourceFile::new("t.rung", text)).ok()
    }

    #[test]
    fn empty_files_stay_empty() {
        assert_eq!(fmt("").as_deref(), Some(""));
        assert_eq!(fmt(" \n\n").as_deref(), Some(""));
    }

    #[test]
    fn a_file_of_comments_keeps_them() {
        assert_eq!(fmt("\n  # a\n\n\n# b  \n").as_deref(), Some("# a\n\n# b\n"));
    }

    #[test]
    fn decimals_keep_their_scale() {
        assert_eq!(
            fmt("let x = 1.50+0.000").as_deref(),
            Some("let x = 1.50 + 0.000\n")
        );
    }

    #[test]
    fn files_that_do_not_parse_are_refused() {
        let err = format_source(&SourceFile::new("t.rung", "let = 3"));
        assert!(matches!(err, Err(FmtError::Syntax { .. })));
    }
}
