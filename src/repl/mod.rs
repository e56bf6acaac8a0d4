//! The REPL: explore a doctrine and ask "what if".
//!
//! A [`Session`] holds a policy (files plus declarations typed at the
//! prompt), facts (as loaded and as edited) and an optional subject scope.
//! [`Session::execute`] runs one input — an expression, declarations or a
//! `:command` — and returns a [`Reply`]: text and reports, in order. The
//! terminal front end (rustyline: completion, highlighting, hints, history,
//! multi-line input) lives in [`helper`] and [`history`]; `rung repl` in the
//! binary drives either it or piped standard input.
//!
//! ```
//! use rung::repl::{Out, Session};
//! use rung::render::Paint;
//!
//! let mut s = Session::new(Paint { enabled: false }).map_err(|e| format!("{e:?}"))?;
//! let reply = s.execute("1 + 2 * 3");
//! let text: String = reply.items.iter().filter_map(|o| match o {
//!     Out::Text(t) => Some(t.as_str()),
//!     Out::Report(_) => None,
//! }).collect();
//! assert_eq!(text, "7 : int\n");
//! # Ok::<(), String>(())
//! ```

mod command;
pub mod complete;
mod diff;
mod edit;
mod error;
pub mod helper;
pub mod highlight;
pub mod history;
mod loading;
mod policy;
mod probe;
mod render;
mod scope;
mod session;
mod tables;
mod timeline;
mod views;
mod whatif;

pub use command::{COMMANDS, CommandInfo};
pub use error::ReplError;
pub use render::{render_reply, transcript};
pub use session::{Out, Reply, Session};
