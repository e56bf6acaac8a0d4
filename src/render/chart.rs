//! A replay as a picture: one SVG panel per ladder, a step line per subject.
//!
//! The drawing goes through `plotters`' SVG backend. Its text is SVG
//! `<text>` in the generic `sans-serif` family, so no font file is read and
//! the file is self-contained (no scripts, fonts or links). Three things
//! plotters has no primitive for are made here from its elements:
//!
//! - the categorical y axis (rungs by name, `none` below the lowest) is an
//!   `f64` range whose key points are the rung indices, named by a formatter;
//! - crossing labels are placed here: plotters places no annotations, and
//!   labels of crossings on nearby days would overlap, so each label tries a
//!   few vertical offsets until its box is clear of the labels placed before;
//! - forbidden spans are translucent bands with an outline, because
//!   plotters has no pattern (hatch) fill; the outline keeps them visible on
//!   a black-and-white print.
//!
//! Everything is deterministic: no ids, no clock, integer pixel coordinates.

use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use crate::decision::Status;
use crate::internal::Internal;
use crate::replay::{Change, Segment, SubjectTimeline, Timeline};
use crate::types::Schema;
use crate::value::format_date;

/// Width of the picture in pixels: fits a landscape page.
const WIDTH: u32 = 1200;
/// Height of one rung's row.
const ROW: u32 = 36;
/// The title strip at the top.
const HEADER: u32 = 44;
/// Height of one line of a panel's heading (ladder name, legend lines).
const LINE: u32 = 24;
/// Room under a plot for the dates.
const X_AXIS: u32 = 34;
/// Space between panels.
const GAP: u32 = 18;
/// The provenance and key strip at the bottom.
const FOOTER: u32 = 46;
/// Left and right margins.
const MARGIN: u32 = 12;
/// Longest name shown before it is cut with `…` (the tables hold it whole).
const MAX_NAME: usize = 48;
/// Longest crossing label (its rules, joined).
const MAX_LABEL: usize = 72;
/// The one font family: generic, so every viewer and printer has it.
const FAMILY: &str = "sans-serif";

/// plotters writes `font-size` as the size given divided by 1.24 (its
/// em-box convention); this gives text of `px` pixels.
fn font(px: f64) -> TextStyle<'static> {
    TextStyle::from((FAMILY, size(px)).into_font()).color(&BLACK)
}

/// Bold text of `px` pixels.
fn bold(px: f64) -> TextStyle<'static> {
    TextStyle::from((FAMILY, size(px), FontStyle::Bold).into_font()).color(&BLACK)
}

/// The size to give plotters for a `font-size` of exactly `px` in the file
/// (`px * 1.24 / 1.24` is not always `px` in floating point, and
/// `15.000000000000002` is noise in a file people diff). Some sizes (13,
/// 15) have no such neighbour, so the chart uses 11, 12, 14, 16 and 18.
fn size(px: f64) -> f64 {
    let s = px * 1.24;
    [
        s,
        s.next_up(),
        s.next_down(),
        s.next_up().next_up(),
        s.next_down().next_down(),
    ]
    .into_iter()
    .find(|c| c / 1.24 == px)
    .unwrap_or(s)
}

/// A rough width of `text` at `px` pixels: SVG text cannot be measured
/// without the viewer's font, so this errs wide.
fn text_width(text: &str, px: f64) -> i32 {
    (text.chars().count() as f64 * px * 0.56).ceil() as i32
}

/// Print-friendly colours that stay apart for colour-blind readers (the
/// Okabe–Ito set, without its two lightest members, plus black).
const COLOURS: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(0, 0, 0),
    RGBColor(160, 120, 0),
];

/// Dash and gap lengths; `None` is a solid line. With the colours and the
/// markers, twelve subjects of a ladder differ even in black and white.
const DASHES: [Option<(u32, u32)>; 4] = [None, Some((10, 5)), Some((3, 4)), Some((18, 6))];

/// The marker of a subject's crossings.
#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

const MARKERS: [Marker; 4] = [
    Marker::Circle,
    Marker::Square,
    Marker::Triangle,
    Marker::Diamond,
];

/// How a subject is drawn.
#[derive(Clone, Copy)]
struct Look {
    colour: RGBColor,
    dash: Option<(u32, u32)>,
    marker: Marker,
}

fn look(i: usize) -> Look {
    Look {
        colour: COLOURS.get(i % COLOURS.len()).copied().unwrap_or(BLACK),
        dash: DASHES.get(i % DASHES.len()).copied().flatten(),
        // Shifted every four subjects, so that the fifth is not drawn like
        // the first in black and white.
        marker: MARKERS
            .get((i + i / MARKERS.len()) % MARKERS.len())
            .copied()
            .unwrap_or(Marker::Circle),
    }
}

/// Chart y units per rung row: integer coordinates keep plotters' default
/// label formatting available and the output free of float noise.
const UNIT: i32 = 100;

/// A kind of shaded span: its legend word and colour.
#[derive(Clone, Copy, PartialEq)]
enum Shade {
    /// A rung forbidden to a subject: on the rung's row.
    Forbidden,
    /// A decision a failing rule could change: on the row of its top.
    Indeterminate,
}

impl Shade {
    fn word(self) -> &'static str {
        match self {
            Shade::Forbidden => "forbidden",
            Shade::Indeterminate => "indeterminate",
        }
    }

    fn colour(self) -> RGBColor {
        match self {
            Shade::Forbidden => RGBColor(200, 30, 30),
            Shade::Indeterminate => RGBColor(230, 159, 0),
        }
    }
}

/// A name cut to [`MAX_NAME`] characters.
fn short(name: &str) -> String {
    cut(name, MAX_NAME)
}

/// `text` cut to `max` characters, the last being `…` when cut: the chart
/// has a fixed width, and the tables of the HTML page hold every name whole.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// The subjects of one ladder.
struct Panel<'t> {
    ladder: &'t str,
    /// Rung names, lowest first.
    rungs: Vec<String>,
    subjects: Vec<&'t SubjectTimeline>,
}

impl Panel<'_> {
    /// The y of a rung's row: its index, or -1 (`none`) for no rung, in
    /// hundredths of a row.
    fn row(&self, rung: Option<&str>) -> i32 {
        rung.and_then(|r| self.rungs.iter().position(|x| x == r))
            .and_then(|i| i32::try_from(i).ok())
            .map_or(-UNIT, |i| i.saturating_mul(UNIT))
    }

    /// Legend entries laid out in lines: (x, line) of each subject's entry,
    /// then of each kind of shaded span the panel has.
    fn legend(&self) -> Vec<(i32, i32)> {
        let right = (WIDTH - 2 * MARGIN) as i32;
        let mut out = Vec::new();
        let (mut x, mut line) = (0, 0);
        let names = self
            .subjects
            .iter()
            .map(|s| short(&s.subject))
            .chain(self.shades().into_iter().map(|k| k.word().to_string()));
        for name in names {
            let w = 44 + text_width(&name, 14.0) + 24;
            if x > 0 && x + w > right {
                x = 0;
                line += 1;
            }
            out.push((x, line));
            x += w;
        }
        out
    }

    /// The kinds of shaded spans the panel has, in legend order.
    fn shades(&self) -> Vec<Shade> {
        [Shade::Forbidden, Shade::Indeterminate]
            .into_iter()
            .filter(|k| !self.spans(*k).is_empty())
            .collect()
    }

    /// The spans of a kind as (row, first day, last day), merged over the
    /// panel's subjects: the union is what a reader needs, and stacked
    /// translucent bands would darken into noise.
    fn spans(&self, kind: Shade) -> Vec<(i32, i32, i32)> {
        let mut spans: Vec<(i32, i32, i32)> = Vec::new();
        for s in &self.subjects {
            for g in &s.segments {
                match kind {
                    Shade::Forbidden => {
                        for r in &g.forbidden {
                            spans.push((self.row(Some(r)), g.from, g.to));
                        }
                    }
                    Shade::Indeterminate => {
                        if g.status == Status::Indeterminate {
                            spans.push((self.row(g.top.as_deref()), g.from, g.to));
                        }
                    }
                }
            }
        }
        spans.sort_unstable();
        let mut merged: Vec<(i32, i32, i32)> = Vec::new();
        for (row, a, b) in spans {
            match merged.last_mut() {
                Some(last) if last.0 == row && i64::from(a) <= i64::from(last.2) + 1 => {
                    last.2 = last.2.max(b);
                }
                _ => merged.push((row, a, b)),
            }
        }
        merged
    }

    /// Lines of the heading: the ladder's name and the legend.
    fn heading_lines(&self) -> u32 {
        let legend = self
            .legend()
            .last()
            .map_or(0, |(_, l)| l.unsigned_abs() + 1);
        legend.saturating_add(1)
    }

    /// A row per rung and one for `none`, at least three.
    fn plot_height(&self) -> u32 {
        u32::try_from(self.rungs.len())
            .unwrap_or(u32::MAX)
            .saturating_add(1)
            .max(3)
            .saturating_mul(ROW)
    }

    fn height(&self) -> u32 {
        self.heading_lines()
            .saturating_mul(LINE)
            .saturating_add(8 + X_AXIS)
            .saturating_add(self.plot_height())
    }
}

/// Subjects grouped into panels by ladder (they come in ladder order).
fn panels<'t>(t: &'t Timeline, schema: &Schema) -> Vec<Panel<'t>> {
    let mut out: Vec<Panel<'t>> = Vec::new();
    for s in &t.subjects {
        if let Some(p) = out.last_mut()
            && p.ladder == s.ladder
        {
            p.subjects.push(s);
            continue;
        }
        let rungs = match schema.ladder(s.ladder_id) {
            Ok(l) if l.name == s.ladder => l.rungs.iter().map(|r| r.name.clone()).collect(),
            // Not the policy's ladder: its rungs as the segments name them.
            _ => Vec::new(),
        };
        out.push(Panel {
            ladder: &s.ladder,
            rungs,
            subjects: vec![s],
        });
    }
    for p in &mut out {
        for s in &p.subjects {
            for g in &s.segments {
                for r in g.recommended.iter().chain(&g.forbidden) {
                    if !p.rungs.contains(r) {
                        p.rungs.push(r.clone());
                    }
                }
            }
        }
    }
    out
}

/// Date ticks from the first day to the last: days, weeks or month starts,
/// at most about ten (none on the day after the range, which the axis ends at).
fn ticks(from: i32, last: i32) -> Vec<i32> {
    let span = i64::from(last) - i64::from(from);
    let every = |step: i32| -> Vec<i32> {
        (0..)
            .map(|i: i32| i64::from(from) + i64::from(i) * i64::from(step))
            .take_while(|d| *d <= i64::from(last))
            .filter_map(|d| i32::try_from(d).ok())
            .collect()
    };
    if span <= 9 {
        return every(1);
    }
    if span <= 70 {
        return every(7);
    }
    let months = span / 30;
    let step = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200]
        .into_iter()
        .find(|m| months / m <= 10)
        .unwrap_or(1200);
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let date = |d: i32| epoch.checked_add_signed(chrono::TimeDelta::days(i64::from(d)));
    let (Some(a), Some(b)) = (date(from), date(last)) else {
        return every(span.max(1).try_into().unwrap_or(i32::MAX));
    };
    let mut out = Vec::new();
    let mut month = i64::from(a.year()) * 12 + i64::from(a.month0());
    let last_month = i64::from(b.year()) * 12 + i64::from(b.month0());
    while month <= last_month {
        if month % step == 0
            && let Ok(y) = i32::try_from(month.div_euclid(12))
            && let Some(d) = NaiveDate::from_ymd_opt(y, (month.rem_euclid(12) + 1) as u32, 1)
        {
            let n = (d - epoch).num_days();
            if n >= i64::from(from)
                && n <= i64::from(last)
                && let Ok(n) = i32::try_from(n)
            {
                out.push(n);
            }
        }
        month += 1;
    }
    if out.is_empty() {
        out.push(from);
    }
    out
}

/// Vertical offset of subject `k` of `m` inside a row, so that subjects on
/// the same rung draw side by side instead of on top of each other
/// (hundredths of a row, within ±0.28 of a row).
fn offset(k: usize, m: usize) -> i32 {
    if m < 2 {
        return 0;
    }
    let spread = 0.56 * f64::from(UNIT);
    ((k as f64 / (m - 1) as f64 - 0.5) * spread).round() as i32
}

/// Maximal runs of consecutive days: a day without a decision breaks a line.
fn runs(segments: &[Segment]) -> impl Iterator<Item = &[Segment]> {
    segments.chunk_by(|a, b| i64::from(b.from) == i64::from(a.to) + 1)
}

/// A crossing label's box, in backend pixels.
#[derive(Clone, Copy)]
struct Boxed {
    x0: i32,
    y0: i32,
    x1: i32,
    y1: i32,
}

impl Boxed {
    fn overlaps(&self, o: &Boxed) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
}

/// What is drawn at one (day, rung) of a subject: its rules, and whether
/// the rung went up (recommended, appeared) or away.
struct Mark {
    date: i32,
    y: i32,
    label: String,
    filled: bool,
    look: Look,
}

/// A drawing error: plotters' SVG backend writes to a `String`, so this
/// is a bug, never the user's input.
fn fail<E>(_: E) -> Internal {
    Internal::new("the SVG backend failed to draw the replay chart")
}

/// The replay as one SVG document: a panel per ladder, with a step line per
/// subject (the top rung by day), crossings marked and labelled with their
/// rules, forbidden spans shaded, a legend, and the policy's digest.
pub fn timeline_svg(t: &Timeline, schema: &Schema, digest: &str) -> Result<String, Internal> {
    let panels = panels(t, schema);
    let body = panels.iter().fold(0u32, |sum, p| {
        sum.saturating_add(p.height().saturating_add(GAP))
    });
    let empty = if panels.is_empty() { 2 * LINE } else { 0 };
    let height = body.saturating_add(HEADER + empty + FOOTER);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(fail)?;
        let days = i64::from(t.to) - i64::from(t.from) + 1;
        root.draw(&Text::new(
            format!(
                "rung replay · {} to {} ({days} days)",
                format_date(t.from),
                format_date(t.to)
            ),
            (MARGIN as i32, 12),
            bold(18.0),
        ))
        .map_err(fail)?;
        let (_, mut rest) = root.split_vertically(HEADER);
        if panels.is_empty() {
            rest.draw(&Text::new(
                "no decisions on any day of the range",
                (MARGIN as i32, 8),
                font(14.0),
            ))
            .map_err(fail)?;
            rest = rest.split_vertically(empty).1;
        }
        for p in &panels {
            let (area, next) = rest.split_vertically(p.height().saturating_add(GAP));
            panel(&area, p, t)?;
            rest = next;
        }
        footer(&rest, digest)?;
        root.present().map_err(fail)?;
    }
    Ok(svg)
}

fn footer(area: &DrawingArea<SVGBackend<'_>, Shift>, digest: &str) -> Result<(), Internal> {
    let grey = RGBColor(70, 70, 70);
    area.draw(&Text::new(
        "Filled marker: the rung became recommended (or the subject appeared); \
         hollow: it was withdrawn, forbidden or no longer forbidden, or the subject disappeared. \
         Labels name the rules.",
        (MARGIN as i32, 2),
        font(11.0).color(&grey),
    ))
    .map_err(fail)?;
    area.draw(&Text::new(
        format!("policy {digest} · rung {}", crate::policy::RUNG_VERSION),
        (MARGIN as i32, 20),
        font(11.0).color(&grey),
    ))
    .map_err(fail)?;
    Ok(())
}

/// One ladder: heading with legend, then the chart.
fn panel(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    p: &Panel<'_>,
    t: &Timeline,
) -> Result<(), Internal> {
    let m = MARGIN as i32;
    area.draw(&Text::new(
        format!("ladder {}", short(p.ladder)),
        (m, 4),
        bold(16.0),
    ))
    .map_err(fail)?;
    let legend = p.legend();
    for (k, ((x, line), s)) in legend.iter().zip(&p.subjects).enumerate() {
        let l = look(k);
        let (x, y) = (m + x, (line + 1) * LINE as i32 + 4 + 8);
        let style = l.colour.stroke_width(2);
        let pts = vec![(x, y), (x + 36, y)];
        match l.dash {
            Some((d, g)) => area.draw(&DashedPathElement::new(pts, d, g, style)),
            None => area.draw(&PathElement::new(pts, style)),
        }
        .map_err(fail)?;
        draw_marker(area, (x + 18, y), l, true)?;
        area.draw(&Text::new(short(&s.subject), (x + 44, y - 8), font(14.0)))
            .map_err(fail)?;
    }
    for (kind, (x, line)) in p
        .shades()
        .into_iter()
        .zip(legend.iter().skip(p.subjects.len()))
    {
        let (x, y) = (m + x, (line + 1) * LINE as i32 + 4 + 8);
        let corners = [(x, y - 7), (x + 36, y + 7)];
        area.draw(&Rectangle::new(corners, kind.colour().mix(0.15).filled()))
            .map_err(fail)?;
        area.draw(&Rectangle::new(
            corners,
            kind.colour().mix(0.6).stroke_width(1),
        ))
        .map_err(fail)?;
        area.draw(&Text::new(kind.word(), (x + 44, y - 8), font(14.0)))
            .map_err(fail)?;
    }
    let top = p.heading_lines() * LINE + 8;
    let (_, plot) = area.split_vertically(top);
    let (plot, _) = plot.split_vertically(p.plot_height() + X_AXIS);

    let names: Vec<String> = p.rungs.iter().map(|r| short(r)).collect();
    let widest = names
        .iter()
        .map(|n| text_width(n, 14.0))
        .max()
        .unwrap_or(0)
        .max(text_width("none", 14.0));
    let y_labels = (widest + 16).min(WIDTH as i32 / 3);
    let end = t.to.saturating_add(1);
    let n = i32::try_from(p.rungs.len()).unwrap_or(i32::MAX / UNIT - 1);
    let rows: Vec<i32> = (-1..n).map(|i| i.saturating_mul(UNIT)).collect();
    let mut chart = ChartBuilder::on(&plot)
        .margin_left(MARGIN)
        .margin_right(MARGIN + 36)
        .x_label_area_size(X_AXIS)
        .y_label_area_size(y_labels)
        .build_cartesian_2d(
            (t.from..end).with_key_points(ticks(t.from, t.to)),
            (-UNIT - UNIT / 2..n.saturating_mul(UNIT) - UNIT / 2).with_key_points(rows),
        )
        .map_err(fail)?;
    let row_name = |v: &i32| -> String {
        match usize::try_from(v.div_euclid(UNIT)) {
            Ok(i) => names.get(i).cloned().unwrap_or_default(),
            Err(_) => "none".to_string(),
        }
    };
    chart
        .configure_mesh()
        .x_label_formatter(&|v| format_date(*v))
        .y_label_formatter(&row_name)
        .x_label_style(font(12.0))
        .y_label_style(font(14.0))
        .bold_line_style(RGBColor(215, 215, 215).stroke_width(1))
        .axis_style(RGBColor(60, 60, 60).stroke_width(1))
        .draw()
        .map_err(fail)?;

    // Shaded spans under the lines. plotters has no pattern fill, so a
    // translucent band with an outline stands in for a hatch.
    let half = UNIT * 45 / 100;
    for kind in [Shade::Indeterminate, Shade::Forbidden] {
        for (row, a, b) in p.spans(kind) {
            let corners = [(a, row - half), (b.saturating_add(1), row + half)];
            chart
                .draw_series([
                    Rectangle::new(corners, kind.colour().mix(0.13).filled()),
                    Rectangle::new(corners, kind.colour().mix(0.55).stroke_width(1)),
                ])
                .map_err(fail)?;
        }
    }

    // The step lines.
    let count = p.subjects.len();
    for (k, s) in p.subjects.iter().enumerate() {
        let l = look(k);
        let dy = offset(k, count);
        for run in runs(&s.segments) {
            let pts: Vec<(i32, i32)> = run
                .iter()
                .flat_map(|g| {
                    let y = p.row(g.top.as_deref()) + dy;
                    [(g.from, y), (g.to.saturating_add(1), y)]
                })
                .collect();
            let style = l.colour.stroke_width(2);
            match l.dash {
                Some((d, gap)) => chart
                    .draw_series(std::iter::once(DashedPathElement::new(pts, d, gap, style)))
                    .map(|_| ()),
                None => chart
                    .draw_series(std::iter::once(PathElement::new(pts, style)))
                    .map(|_| ()),
            }
            .map_err(fail)?;
        }
    }

    // Crossings: a marker per (day, rung) of a subject, labelled with rules.
    let mut marks: Vec<Mark> = Vec::new();
    for (k, s) in p.subjects.iter().enumerate() {
        let l = look(k);
        let dy = offset(k, count);
        for c in &s.crossings {
            let y = p.row(c.rung.as_deref()) + dy;
            let filled = matches!(c.change, Change::Appeared | Change::Recommended);
            let words: Vec<&str> = if c.rules.is_empty() {
                vec![c.change.as_str()]
            } else {
                c.rules.iter().map(String::as_str).collect()
            };
            if let Some(last) = marks
                .iter_mut()
                .rev()
                .take_while(|x| x.date == c.date)
                .find(|x| x.y == y && x.look.colour == l.colour)
            {
                for w in words {
                    if !last.label.split(", ").any(|x| x == w) {
                        last.label.push_str(", ");
                        last.label.push_str(w);
                    }
                }
                last.filled |= filled;
                continue;
            }
            marks.push(Mark {
                date: c.date,
                y,
                label: words.join(", "),
                filled,
                look: l,
            });
        }
    }
    marks.sort_by(|a, b| a.date.cmp(&b.date).then(b.y.cmp(&a.y)));
    // Markers and labels go on the panel in pixels: the label placement
    // works in pixels, and plotters maps data to pixels for us.
    let (bx, by) = area.get_base_pixel();
    let pixel = |date: i32, y: i32| {
        let (x, y) = chart.backend_coord(&(date, y));
        (x - bx, y - by)
    };
    let (px, py) = chart.plotting_area().get_pixel_range();
    let (px, py) = (px.start - bx..px.end - bx, py.start - by..py.end - by);
    // Every marker is an obstacle, so that no label hides a crossing.
    let mut placed: Vec<Boxed> = marks
        .iter()
        .map(|mk| {
            let (x, y) = pixel(mk.date, mk.y);
            Boxed {
                x0: x - 7,
                y0: y - 7,
                x1: x + 7,
                y1: y + 7,
            }
        })
        .collect();
    for mk in &marks {
        let (ax, ay) = pixel(mk.date, mk.y);
        let label = cut(&mk.label, MAX_LABEL);
        let w = text_width(&label, 12.0) + 6;
        let h = 16;
        // Right of the marker when it fits, else left; then the other side.
        let right = ax + 9;
        let left = (ax - 9 - w).max(px.start);
        let sides = if right + w <= px.end {
            [right, left]
        } else {
            [left, right]
        };
        // Above, below, then further away, a label's height at a time.
        let tries = (0..16).map(|i| {
            if i % 2 == 0 {
                -18 - 8 * i
            } else {
                2 + 8 * (i - 1)
            }
        });
        let candidates = sides.into_iter().flat_map(|x0| {
            tries.clone().filter_map(move |d| {
                let b = Boxed {
                    x0,
                    y0: ay + d,
                    x1: x0 + w,
                    y1: ay + d + h,
                };
                (b.y0 >= py.start && b.y1 <= py.end).then_some(b)
            })
        });
        let chosen = candidates
            .clone()
            .find(|b| placed.iter().all(|o| !o.overlaps(b)))
            .or_else(|| candidates.clone().next())
            .unwrap_or(Boxed {
                x0: sides[0],
                y0: ay - 8,
                x1: sides[0] + w,
                y1: ay + 8,
            });
        placed.push(chosen);
        // A label moved away from its marker gets a leader line to it.
        if chosen.y0 > ay + 4 || chosen.y1 < ay - 4 {
            let near_x = if chosen.x0 > ax { chosen.x0 } else { chosen.x1 };
            let near_y = if chosen.y0 > ay { chosen.y0 } else { chosen.y1 };
            area.draw(&PathElement::new(
                vec![(ax, ay), (near_x, near_y)],
                mk.look.colour.mix(0.8).stroke_width(1),
            ))
            .map_err(fail)?;
        }
        let corners = [(chosen.x0, chosen.y0), (chosen.x1, chosen.y1)];
        area.draw(&Rectangle::new(corners, WHITE.mix(0.85).filled()))
            .map_err(fail)?;
        area.draw(&Rectangle::new(
            corners,
            mk.look.colour.mix(0.7).stroke_width(1),
        ))
        .map_err(fail)?;
        area.draw(&Text::new(
            label,
            (chosen.x0 + 3, chosen.y0 + 2),
            font(12.0),
        ))
        .map_err(fail)?;
    }
    // Markers last, over the lines and the labels.
    for mk in &marks {
        draw_marker(area, pixel(mk.date, mk.y), mk.look, mk.filled)?;
    }
    Ok(())
}

/// A subject's marker centred on `at` (pixels of `area`), filled or
/// hollow (white inside, for crossings away from a rung).
fn draw_marker(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    at: (i32, i32),
    l: Look,
    filled: bool,
) -> Result<(), Internal> {
    let fill = if filled {
        l.colour.filled()
    } else {
        WHITE.filled()
    };
    let edge = l.colour.stroke_width(2);
    let base = EmptyElement::at(at);
    match l.marker {
        Marker::Circle => {
            area.draw(&(base + Circle::new((0, 0), 5, fill) + Circle::new((0, 0), 5, edge)))
        }
        Marker::Square => area.draw(
            &(base
                + Rectangle::new([(-4, -4), (4, 4)], fill)
                + Rectangle::new([(-4, -4), (4, 4)], edge)),
        ),
        Marker::Triangle => {
            let pts = vec![(0, -6), (5, 4), (-5, 4)];
            area.draw(
                &(base
                    + Polygon::new(pts.clone(), fill)
                    + PathElement::new([pts, vec![(0, -6)]].concat(), edge)),
            )
        }
        Marker::Diamond => {
            let pts = vec![(0, -6), (6, 0), (0, 6), (-6, 0)];
            area.draw(
                &(base
                    + Polygon::new(pts.clone(), fill)
                    + PathElement::new([pts, vec![(0, -6)]].concat(), edge)),
            )
        }
    }
    .map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ticks stay inside the range, in order, few enough not to collide.
    #[test]
    fn ticks_fit_any_range() {
        for (from, last) in [
            (0, 0),
            (0, 5),
            (100, 160),
            (20_100, 20_422),
            (20_100, 21_000),
            (0, 36_524),
            (-719_162, -719_162 + 36_524),
            (2_932_896 - 36_524, 2_932_896),
        ] {
            let t = ticks(from, last);
            assert!(!t.is_empty(), "{from}..{last}");
            assert!(t.len() <= 11, "{from}..{last}: {} ticks", t.len());
            if last - from > 70 {
                assert!(t.len() >= 3, "{from}..{last}: {} ticks", t.len());
            }
            assert!(t.windows(2).all(|w| w.first() < w.last()));
            assert!(
                t.iter().all(|d| (from..=last).contains(d)),
                "{from}..{last}"
            );
        }
    }

    #[test]
    fn offsets_keep_subjects_inside_their_row() {
        for m in 1..40 {
            for k in 0..m {
                assert!(offset(k, m).abs() <= UNIT / 3, "{k} of {m}");
            }
        }
    }

    #[test]
    fn names_are_cut_on_characters() {
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("ééééé", 3), "éé…");
        assert_eq!(cut("abc", 0), "…");
    }
}
