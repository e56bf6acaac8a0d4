//! Rendering a [`Reply`]: reports through miette's graphical handler, with
//! or without colour, and whole transcripts for scripted sessions.

use miette::{GraphicalReportHandler, GraphicalTheme, Report};

use super::session::{Out, Reply};

/// A report as text (graphical; coloured when `color`).
pub fn render_reply(report: &Report, color: bool, width: usize) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false);
    let mut s = String::new();
    if handler.render_report(&mut s, report.as_ref()).is_err() {
        s = format!("{report}\n");
    }
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// Text and reports of a reply in order, without colour.
pub fn transcript(reply: &Reply, width: usize) -> String {
    let mut out = String::new();
    for item in &reply.items {
        match item {
            Out::Text(t) => out.push_str(t),
            Out::Report(r) => out.push_str(&render_reply(r, false, width)),
        }
    }
    out
}
