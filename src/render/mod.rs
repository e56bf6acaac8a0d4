//! Rendering decisions for people (human) and programs (JSON).

mod human;
mod json;
mod paint;

pub use human::{Options, heading, human, rule_lines, trace_lines};
pub use json::{Provenance, json};
pub use paint::Paint;
