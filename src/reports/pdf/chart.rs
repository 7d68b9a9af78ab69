//! Bar charts, drawn as horizontal bars because the categories (sectors, localities, NGO names)
//! are long: category labels on the left (wrapped to two lines, then cut with "…"), one filled
//! bar per category, the value after the bar, light grid lines and a value axis with round
//! ticks (1, 2 or 5 × 10ⁿ) underneath. Values are whole units; the axis arithmetic stays in
//! integers and only the geometry is in points. A chart that does not fit on one page continues
//! on the next with the same scale.

use super::page::{BAR_FILL, Flow, GREY, LIGHT_GREY};
use super::paragraph::ParagraphSpec;
use super::text::{self, Style};
use crate::reports::labels::fill;
use crate::reports::model::{Align, BarChart};

const LABEL_SIZE: f32 = 8.5;
const LABEL_LINE: f32 = 10.5;
const VALUE_SIZE: f32 = 8.0;
const TICK_SIZE: f32 = 7.5;
const TITLE_SIZE: f32 = 10.0;
const TITLE_LINE: f32 = 13.5;
const UNIT_LINE: f32 = 12.0;
const AXIS_SPACE: f32 = 16.0;

/// `value` with its digits grouped by threes: 1234567 → "1.234.567".
pub(crate) fn group_digits(value: i64, separator: &str) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * separator.len() + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(d);
    }
    out
}

/// A round tick step and the axis maximum (a multiple of the step, at least `max`).
pub(crate) fn axis(max: i64) -> (i64, i64) {
    if max <= 0 {
        return (1, 1);
    }
    let raw = ceil_div(max, 5).max(1);
    let mut magnitude: i64 = 1;
    while magnitude.saturating_mul(10) <= raw {
        magnitude = magnitude.saturating_mul(10);
    }
    let step = [1_i64, 2, 5, 10]
        .iter()
        .map(|m| m.saturating_mul(magnitude))
        .find(|s| *s >= raw)
        .unwrap_or(raw);
    let top = ceil_div(max, step).saturating_mul(step);
    (step, top)
}

/// `a / b` rounded up, for `a >= 0` and `b > 0`.
fn ceil_div(a: i64, b: i64) -> i64 {
    if b <= 0 {
        return a;
    }
    a / b + i64::from(a % b != 0)
}

/// Up to two lines of `label` fitting `width`, the second cut with "…" if needed.
fn label_lines(flow: &Flow<'_>, style: Style, label: &str, width: f32) -> Vec<(String, f32)> {
    let lines = text::wrap_balanced(flow.fonts, style, label, width);
    let mut out: Vec<(String, f32)> = lines
        .iter()
        .take(2)
        .map(|l| (l.text.clone(), l.width))
        .collect();
    if lines.len() > 2 {
        let rest = lines
            .iter()
            .skip(1)
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let cut = text::truncate(flow.fonts, style, &rest, width);
        let w = flow.fonts.width(style, &cut);
        if let Some(second) = out.get_mut(1) {
            *second = (cut, w);
        }
    }
    out
}

pub(crate) fn chart(flow: &mut Flow<'_>, c: &BarChart) {
    flow.figures += 1;
    let labels = flow.labels;
    let n = flow.figures.to_string();
    let title = fill(&labels.charts.figure, &[("n", &n), ("title", &c.title)]);
    let unit = fill(&labels.charts.unit, &[("unit", &c.unit_label)]);
    let sep = labels.common.thousands_separator.as_str();

    let x0 = flow.geom.x0();
    let width = flow.geom.content_width();
    let label_style = Style::regular(LABEL_SIZE);
    let value_style = Style::regular(VALUE_SIZE);
    let tick_style = Style::regular(TICK_SIZE);

    let max_label_w = width * 0.36;
    let categories: Vec<Vec<(String, f32)>> = c
        .bars
        .iter()
        .map(|(label, _)| label_lines(flow, label_style, label, max_label_w - 8.0))
        .collect();
    let label_w = categories
        .iter()
        .flatten()
        .map(|(_, w)| *w)
        .fold(0.0_f32, f32::max)
        .min(max_label_w - 8.0)
        + 8.0;
    let values: Vec<String> = c.bars.iter().map(|(_, v)| group_digits(*v, sep)).collect();
    let value_w = values
        .iter()
        .map(|v| flow.fonts.width(value_style, &text::clean(v)))
        .fold(0.0_f32, f32::max);

    let (step, top) = axis(c.bars.iter().map(|(_, v)| *v).max().unwrap_or(0));
    let px0 = x0 + label_w;
    let px1 = (x0 + width - value_w - 6.0).max(px0 + 40.0);
    let plot_w = px1 - px0;
    let scale = |v: i64| (v.max(0) as f32 / top as f32) * plot_w;

    let row_h = (categories.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * LABEL_LINE
        + 6.0)
        .max(17.0);
    let bar_h = (row_h - 6.0).min(12.0);
    let title_lines = text::wrap(flow.fonts, Style::bold(TITLE_SIZE), &title, width)
        .len()
        .max(1);
    let fixed = title_lines as f32 * TITLE_LINE + UNIT_LINE + AXIS_SPACE + 4.0;

    let per_page = (((flow.full_height() - fixed) / row_h).floor() as usize).max(1);
    let total_rows = c.bars.len().max(1);
    let mut start = 0;
    while start < total_rows {
        let wanted = (total_rows - start).min(per_page);
        if !flow.is_fresh() && fixed + wanted as f32 * row_h > flow.remaining() {
            flow.new_page(flow.orientation());
        }
        let count = wanted;
        let caption = if start == 0 {
            title.clone()
        } else {
            format!("{title} {}", labels.common.continued)
        };
        flow.paragraph(
            &caption,
            ParagraphSpec::centred(Style::bold(TITLE_SIZE), TITLE_LINE),
        );
        let unit_style = Style::italic(8.0);
        let unit_lines = text::wrap(flow.fonts, unit_style, &unit, width);
        if let Some(line) = unit_lines.first() {
            let baseline = flow.fonts.baseline(unit_style, flow.y, UNIT_LINE);
            flow.aligned(line, x0, width, Align::Right, baseline, unit_style);
        }
        flow.skip(UNIT_LINE + 4.0);

        let plot_top = flow.y;
        let plot_bottom = plot_top - count as f32 * row_h;
        // Grid lines at every tick, then the axes.
        let mut tick = 0_i64;
        let mut ticks = Vec::new();
        while tick <= top {
            ticks.push(tick);
            let x = px0 + scale(tick);
            if tick > 0 {
                flow.line_colored((x, plot_top), (x, plot_bottom), 0.35, LIGHT_GREY);
            }
            tick = match tick.checked_add(step) {
                Some(t) => t,
                None => break,
            };
        }
        for i in 0..count {
            let Some(((_, value), lines)) = c.bars.get(start + i).zip(categories.get(start + i))
            else {
                break;
            };
            let row_top = plot_top - i as f32 * row_h;
            let centre = row_top - row_h / 2.0;
            let bar_w = scale(*value);
            if bar_w > 0.0 {
                flow.rect(px0, centre - bar_h / 2.0, bar_w, bar_h, BAR_FILL);
            }
            if let Some(v) = values.get(start + i) {
                let baseline =
                    flow.fonts
                        .baseline(value_style, centre + LABEL_LINE / 2.0, LABEL_LINE);
                flow.text(px0 + bar_w + 3.0, baseline, value_style, text::clean(v));
            }
            let block_top = centre + lines.len() as f32 * LABEL_LINE / 2.0;
            for (k, (line, w)) in lines.iter().enumerate() {
                let baseline =
                    flow.fonts
                        .baseline(label_style, block_top - k as f32 * LABEL_LINE, LABEL_LINE);
                flow.text(px0 - 5.0 - w, baseline, label_style, line.clone());
            }
        }
        flow.line((px0, plot_top), (px0, plot_bottom), 0.6);
        flow.line((px0, plot_bottom), (px1, plot_bottom), 0.6);

        // Tick marks and labels; every other label when they would touch.
        let tick_labels: Vec<String> = ticks.iter().map(|t| group_digits(*t, sep)).collect();
        let widest = tick_labels
            .iter()
            .map(|t| flow.fonts.width(tick_style, t))
            .fold(0.0_f32, f32::max);
        let spacing = if ticks.len() > 1 {
            plot_w / (ticks.len() - 1) as f32
        } else {
            plot_w
        };
        let every = if widest + 4.0 > spacing { 2 } else { 1 };
        for (k, (t, label)) in ticks.iter().zip(&tick_labels).enumerate() {
            let x = px0 + scale(*t);
            flow.line_colored((x, plot_bottom), (x, plot_bottom - 3.0), 0.5, GREY);
            if k % every == 0 {
                let w = flow.fonts.width(tick_style, label);
                let baseline = flow.fonts.baseline(tick_style, plot_bottom - 4.0, 10.0);
                flow.text(x - w / 2.0, baseline, tick_style, label.clone());
            }
        }
        flow.y = plot_bottom;
        flow.skip(AXIS_SPACE);
        start += count.max(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_grouped() {
        assert_eq!(group_digits(0, "."), "0");
        assert_eq!(group_digits(999, "."), "999");
        assert_eq!(group_digits(1_000, "."), "1.000");
        assert_eq!(group_digits(1_234_567, ","), "1,234,567");
        assert_eq!(group_digits(-12_345, "."), "-12.345");
        assert_eq!(group_digits(i64::MIN, ","), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn axis_steps_are_round() {
        assert_eq!(axis(0), (1, 1));
        assert_eq!(axis(7), (2, 8));
        assert_eq!(axis(100), (20, 100));
        assert_eq!(axis(12_345), (5_000, 15_000));
        assert_eq!(axis(48_000), (10_000, 50_000));
        let (step, top) = axis(i64::MAX);
        assert!(step > 0 && top >= step);
    }
}
