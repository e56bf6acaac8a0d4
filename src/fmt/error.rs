//! What can stop `rung fmt` from formatting a file. In every case the file is
//! left exactly as it was.

use miette::Diagnostic;
use thiserror::Error;

use crate::syntax::SyntaxError;

/// A file that could not be formatted (and was not touched).
#[derive(Debug, Error, Diagnostic)]
pub enum FmtError {
    /// The file does not parse, e.g. `let = 3`: it is never rewritten.
    #[error("`{path}` does not parse; it was left untouched")]
    #[diagnostic(
        code(rung::fmt::syntax),
        help("fix the syntax errors below, then run `rung fmt` again")
    )]
    Syntax {
        /// The file.
        path: String,
        /// Its syntax errors.
        #[related]
        errors: Vec<SyntaxError>,
    },

    /// The formatted text would not read back as the same policy, or would
    /// lose a comment. Not expected to happen: it guards against a formatter bug.
    #[error("formatting `{path}` would change its {what}; it was left untouched")]
    #[diagnostic(
        code(rung::fmt::unstable),
        help("this is a bug in rung; please report it with the file")
    )]
    Unstable {
        /// The file.
        path: String,
        /// `meaning` or `comments`.
        what: &'static str,
    },

    /// Writing the formatted text failed, e.g. a read-only directory; the
    /// original file is intact.
    #[error("cannot write `{path}`: {message}")]
    #[diagnostic(
        code(rung::fmt::write),
        help("check that the directory is writable; the original file was not changed")
    )]
    Write {
        /// The file.
        path: String,
        /// The system's reason.
        message: String,
    },
}
