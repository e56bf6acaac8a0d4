//! Rendering decisions for people (human) and programs (JSON).

mod human;
mod json;
mod paint;
mod timeline;

pub use human::{Options, heading, human, rule_lines, trace_lines};
pub use json::{Provenance, json};
pub use paint::Paint;
pub use timeline::{timeline_csv, timeline_human, timeline_json};
