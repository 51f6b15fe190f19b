//! Inline SVG charts for the HTML report: horizontal bars (counts or
//! shares, with optional confidence-interval whiskers) and stacked monthly
//! columns. Plain strings, no scripts, no external fonts: they print and
//! render the same with JavaScript off.
//!
//! Every chart is `role="img"` with an `aria-label` and a `<title>`, and
//! each bar carries its own `<title>` (a tooltip on screen); the numbers are
//! also in a table next to the chart.

use super::Esc;
use std::fmt::Write as _;

/// Width of every chart in SVG units (scaled down by CSS on narrow pages).
const WIDTH: f64 = 960.0;
/// Space for the labels left of the bars.
const LABEL_W: f64 = 270.0;
/// Space right of the bars for the value text.
const VALUE_W: f64 = 118.0;
const BAR_X: f64 = LABEL_W + 8.0;
const BAR_W: f64 = WIDTH - BAR_X - VALUE_W;
const ROW_H: f64 = 21.0;
const BAR_H: f64 = 13.0;
const AXIS_H: f64 = 24.0;
/// Longest label drawn in full (the full text is in the bar's title).
const MAX_LABEL: usize = 40;

/// What the bars of a horizontal chart measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Counts: the axis runs from 0 to a round number above the largest bar.
    Count,
    /// Shares from 0 to 1, drawn as 0-100 %.
    Share,
}

/// One bar of a horizontal bar chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// Written after the bar ("12", "34.5%").
    pub value_text: String,
    /// An interval around the value, drawn as a whisker (same scale).
    pub interval: Option<(f64, f64)>,
    /// CSS class for the bar's colour.
    pub class: &'static str,
    /// Tooltip text.
    pub tip: String,
}

/// One month (or other period) of a column chart: `part` of `total` is
/// drawn darker at the bottom of the column.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub label: String,
    pub total: u64,
    pub part: u64,
    pub tip: String,
}

/// Shown instead of a chart with nothing to draw.
pub const EMPTY: &str = "<p class=\"empty\">Nothing to chart.</p>";

/// The smallest "round" number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a
/// power of ten, or a whole number up to 5) at or above `x`, for the end of
/// a count axis.
fn round_up(x: f64) -> f64 {
    if x <= 5.0 {
        return x.ceil().max(1.0);
    }
    let magnitude = 10f64.powf(x.log10().floor());
    [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|v| *v >= x)
        .unwrap_or(10.0 * magnitude)
}

/// Tick values for an axis from 0 to `max` (four or five steps; whole
/// numbers for small counts).
fn ticks(max: f64, scale: Scale) -> Vec<f64> {
    let steps = match scale {
        Scale::Share => 4.0,
        Scale::Count if max <= 5.0 => max.max(1.0),
        Scale::Count => [4.0, 5.0, 3.0].into_iter().find(|s| (max / s).fract() == 0.0).unwrap_or(4.0),
    };
    (0..=steps as usize).map(|i| max * i as f64 / steps).collect()
}

fn tick_text(v: f64, scale: Scale) -> String {
    match scale {
        Scale::Share => format!("{:.0}%", v * 100.0),
        Scale::Count if v.fract() == 0.0 => format!("{v:.0}"),
        Scale::Count => format!("{v:.1}"),
    }
}

fn clip_label(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL {
        return label.to_string();
    }
    let mut s: String = label.chars().take(MAX_LABEL - 1).collect();
    s.push('…');
    s
}

/// Opening of a chart: the `<svg>` element with its accessible name.
fn open_svg(out: &mut String, class: &str, title: &str, height: f64) {
    let _ = write!(
        out,
        "<svg class=\"chart {class}\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-label=\"{t}\"><title>{t}</title>",
        t = Esc(title)
    );
}

/// A horizontal bar chart: one labelled row per bar, an axis below.
/// Bar lengths are proportional to the values (to the axis end for counts,
/// to 100 % for shares); an empty list gives [`EMPTY`].
pub fn bar_chart(title: &str, bars: &[Bar], scale: Scale) -> String {
    if bars.is_empty() {
        return EMPTY.to_string();
    }
    let max = match scale {
        Scale::Share => 1.0,
        Scale::Count => round_up(bars.iter().map(|b| b.value).fold(0.0, f64::max)),
    };
    let x_of = |v: f64| BAR_X + (v.clamp(0.0, max) / max) * BAR_W;
    let plot_h = bars.len() as f64 * ROW_H;
    let height = plot_h + AXIS_H + 4.0;
    let mut out = String::new();
    open_svg(&mut out, "bars", title, height);
    out.push_str("<g class=\"axis\">");
    for t in ticks(max, scale) {
        let x = x_of(t);
        let _ = write!(
            out,
            "<line x1=\"{x:.1}\" y1=\"0\" x2=\"{x:.1}\" y2=\"{plot_h}\"/>\
             <text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"middle\">{}</text>",
            tick_text(t, scale),
            y = plot_h + 16.0
        );
    }
    out.push_str("</g>");
    for (i, b) in bars.iter().enumerate() {
        let y = i as f64 * ROW_H + (ROW_H - BAR_H) / 2.0;
        let mid = y + BAR_H / 2.0;
        let width = x_of(b.value) - BAR_X;
        let _ = write!(
            out,
            "<g class=\"row\"><title>{tip}</title>\
             <text class=\"label\" x=\"{lx}\" y=\"{ty:.1}\" text-anchor=\"end\">{label}</text>\
             <rect class=\"bar {class}\" x=\"{BAR_X}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"{BAR_H}\" rx=\"2\"/>",
            tip = Esc(&b.tip),
            lx = LABEL_W,
            ty = mid + 4.0,
            label = Esc(&clip_label(&b.label)),
            class = b.class,
        );
        let mut end = x_of(b.value);
        if let Some((lo, hi)) = b.interval {
            let (x1, x2) = (x_of(lo), x_of(hi));
            end = end.max(x2);
            let _ = write!(
                out,
                "<path class=\"whisker\" d=\"M{x1:.1} {mid:.1}H{x2:.1}M{x1:.1} {a:.1}V{b:.1}M{x2:.1} {a:.1}V{b:.1}\"/>",
                a = mid - 5.0,
                b = mid + 5.0
            );
        }
        let _ = write!(
            out,
            "<text class=\"value\" x=\"{x:.1}\" y=\"{ty:.1}\">{v}</text></g>",
            x = end + 6.0,
            ty = mid + 4.0,
            v = Esc(&b.value_text)
        );
    }
    out.push_str("</svg>");
    out
}

/// A column chart over periods: each column's height is its total, the
/// darker bottom part its `part`; a legend names both. Labels are thinned
/// to about a dozen. An empty list gives [`EMPTY`].
pub fn column_chart(title: &str, columns: &[Column], total_name: &str, part_name: &str) -> String {
    if columns.is_empty() {
        return EMPTY.to_string();
    }
    const LEFT: f64 = 44.0;
    const TOP: f64 = 28.0;
    const PLOT_H: f64 = 200.0;
    let plot_w = WIDTH - LEFT - 8.0;
    let max = round_up(columns.iter().map(|c| c.total as f64).fold(0.0, f64::max));
    let y_of = |v: f64| TOP + PLOT_H - (v / max) * PLOT_H;
    let slot = plot_w / columns.len() as f64;
    let col_w = (slot * 0.7).max(1.0);
    let every = columns.len().div_ceil(12);
    let height = TOP + PLOT_H + 40.0;
    let mut out = String::new();
    open_svg(&mut out, "columns", title, height);
    let _ = write!(
        out,
        "<g class=\"legend\"><rect class=\"bar total\" x=\"{a}\" y=\"6\" width=\"12\" height=\"12\"/>\
         <text x=\"{b}\" y=\"16\">{total}</text>\
         <rect class=\"bar part\" x=\"{c}\" y=\"6\" width=\"12\" height=\"12\"/><text x=\"{d}\" y=\"16\">{part}</text></g>",
        a = LEFT,
        b = LEFT + 16.0,
        c = LEFT + 200.0,
        d = LEFT + 216.0,
        total = Esc(total_name),
        part = Esc(part_name)
    );
    out.push_str("<g class=\"axis\">");
    for t in ticks(max, Scale::Count) {
        let y = y_of(t);
        let _ = write!(
            out,
            "<line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{x2:.1}\" y2=\"{y:.1}\"/>\
             <text x=\"{tx}\" y=\"{ty:.1}\" text-anchor=\"end\">{}</text>",
            tick_text(t, Scale::Count),
            x2 = WIDTH - 8.0,
            tx = LEFT - 6.0,
            ty = y + 4.0
        );
    }
    out.push_str("</g>");
    for (i, c) in columns.iter().enumerate() {
        let x = LEFT + i as f64 * slot + (slot - col_w) / 2.0;
        let (yt, yp) = (y_of(c.total as f64), y_of(c.part as f64));
        let _ = write!(
            out,
            "<g class=\"col\"><title>{tip}</title>\
             <rect class=\"bar total\" x=\"{x:.1}\" y=\"{yt:.1}\" width=\"{col_w:.1}\" height=\"{ht:.1}\"/>\
             <rect class=\"bar part\" x=\"{x:.1}\" y=\"{yp:.1}\" width=\"{col_w:.1}\" height=\"{hp:.1}\"/>",
            tip = Esc(&c.tip),
            ht = TOP + PLOT_H - yt,
            hp = TOP + PLOT_H - yp
        );
        if i % every == 0 {
            let _ = write!(
                out,
                "<text class=\"label\" x=\"{cx:.1}\" y=\"{ly}\" text-anchor=\"middle\">{}</text>",
                Esc(&c.label),
                cx = x + col_w / 2.0,
                ly = TOP + PLOT_H + 16.0
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: f64) -> Bar {
        Bar {
            label: label.into(),
            value,
            value_text: format!("{value}"),
            interval: None,
            class: "plain",
            tip: label.into(),
        }
    }

    /// The `width` attributes of the bars, in order.
    fn widths(svg: &str) -> Vec<f64> {
        svg.split("<rect class=\"bar ")
            .skip(1)
            .map(|r| {
                let w = r.split("width=\"").nth(1).unwrap();
                w[..w.find('"').unwrap()].parse().unwrap()
            })
            .collect()
    }

    #[test]
    fn bar_lengths_are_proportional_to_values() {
        let svg = bar_chart("Findings", &[bar("D104", 40.0), bar("D106", 20.0), bar("Q203", 10.0)], Scale::Count);
        let w = widths(&svg);
        assert_eq!(w.len(), 3);
        assert!((w[0] / w[1] - 2.0).abs() < 0.01 && (w[1] / w[2] - 2.0).abs() < 0.01, "{w:?}");
        // 40 is the axis end: the longest bar fills the plot.
        assert!((w[0] - BAR_W).abs() < 0.1, "{w:?}");
        assert!(svg.starts_with("<svg") && svg.contains("role=\"img\"") && svg.contains("<title>Findings</title>"));
    }

    #[test]
    fn shares_are_drawn_against_one_hundred_percent_with_whiskers() {
        let mut b = bar("site", 0.25);
        b.interval = Some((0.1, 0.5));
        let svg = bar_chart("Missing", &[b], Scale::Share);
        assert!((widths(&svg)[0] - BAR_W / 4.0).abs() < 0.1);
        assert!(svg.contains("class=\"whisker\""));
        assert!(svg.contains(">100%</text>"));
    }

    #[test]
    fn empty_data_gives_a_line_not_a_chart() {
        assert_eq!(bar_chart("x", &[], Scale::Count), EMPTY);
        assert_eq!(column_chart("x", &[], "a", "b"), EMPTY);
        // All-zero values still draw (zero-length bars), without dividing by zero.
        let svg = bar_chart("x", &[bar("a", 0.0)], Scale::Count);
        assert_eq!(widths(&svg), vec![0.0]);
    }

    #[test]
    fn labels_and_titles_are_escaped_and_long_labels_clipped() {
        let long = format!("<b>{}", "x".repeat(60));
        let svg = bar_chart("a & b", &[bar(&long, 1.0)], Scale::Count);
        assert!(svg.contains("aria-label=\"a &amp; b\""));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains('…'));
    }

    #[test]
    fn columns_stack_the_part_inside_the_total() {
        let cols = vec![
            Column { label: "2026-01".into(), total: 10, part: 5, tip: String::new() },
            Column { label: "2026-02".into(), total: 20, part: 0, tip: String::new() },
        ];
        let svg = column_chart("By month", &cols, "notes", "with error");
        // Legend swatches first, then total/part per column.
        let h: Vec<f64> = svg
            .split("<rect class=\"bar ")
            .skip(3)
            .map(|r| {
                let w = r.split("height=\"").nth(1).unwrap();
                w[..w.find('"').unwrap()].parse().unwrap()
            })
            .collect();
        assert_eq!(h.len(), 4);
        assert!((h[0] / h[1] - 2.0).abs() < 0.01 && (h[2] / h[0] - 2.0).abs() < 0.01, "{h:?}");
        assert_eq!(h[3], 0.0);
    }

    #[test]
    fn count_axes_end_on_round_numbers() {
        assert_eq!(round_up(0.0), 1.0);
        assert_eq!(round_up(3.0), 3.0);
        assert_eq!(round_up(7.0), 8.0);
        assert_eq!(round_up(13.0), 15.0);
        assert_eq!(round_up(23.0), 25.0);
        assert_eq!(round_up(130.0), 150.0);
        assert_eq!(round_up(730.0), 800.0);
        assert_eq!(ticks(20.0, Scale::Count), vec![0.0, 5.0, 10.0, 15.0, 20.0]);
        assert_eq!(ticks(25.0, Scale::Count), vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0]);
        assert_eq!(ticks(2.0, Scale::Count), vec![0.0, 1.0, 2.0]);
        assert_eq!(ticks(6.0, Scale::Count), vec![0.0, 2.0, 4.0, 6.0]);
        assert_eq!(ticks(150.0, Scale::Count), vec![0.0, 30.0, 60.0, 90.0, 120.0, 150.0]);
        assert_eq!(ticks(1.0, Scale::Share), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    }
}
