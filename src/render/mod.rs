//! Rendering decisions for people (human, charts) and programs (JSON, CSV).

mod chart;
mod human;
mod json;
mod paint;
mod timeline;
mod timeline_html;

pub use chart::timeline_svg;
pub use human::{Options, heading, human, rule_lines, trace_lines, unmet_lines};
pub use json::{Provenance, json};
pub use paint::Paint;
pub use timeline::{timeline_csv, timeline_human, timeline_json};
pub use timeline_html::timeline_html;
