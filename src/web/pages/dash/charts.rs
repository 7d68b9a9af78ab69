//! Inline SVG bar charts drawn from exact integer figures: bar lengths are integer
//! proportions of the largest value (no floats), every bar carries its name and its amount as
//! text, and every piece of text is escaped here, so the result may be written unescaped into
//! a page. Each chart also has a table beside it with the same figures for screen readers
//! and for anyone who wants the exact numbers.

use std::fmt::Write;

/// One bar: its name and its value (VND, minor units) and how the value is written.
pub struct Bar {
    pub name: String,
    pub value: i128,
    pub shown: String,
}

/// Escapes text for SVG element content and attribute values.
#[must_use]
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `value / max` of `full`, in whole units, for non-negative values; 0 when max is 0.
fn scaled(value: i128, max: i128, full: i64) -> i64 {
    if max <= 0 || value <= 0 {
        return 0;
    }
    // A bar is at most `max`, so the product stays far below i128::MAX for any ledger sum.
    let s = value.saturating_mul(i128::from(full)) / max;
    i64::try_from(s).unwrap_or(full)
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The width every chart is drawn at, in SVG units. The `<svg>` carries it as its width too,
/// so on a desk the chart is drawn at its natural size and on a 390-px phone (about 330 px
/// of card) it is never shrunk: 12-px text stays 12 px.
const WIDTH: i64 = 320;

fn open_svg(svg: &mut String, id: &str, title: &str, height: i64) {
    let _ = write!(
        svg,
        r#"<svg id="{id}" class="bars" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{id}-title"><title id="{id}-title">{}</title>"#,
        escape(title)
    );
}

/// A horizontal bar chart: each bar's name on its own line, the bar under it and its amount
/// after the bar (names are too long to sit beside a bar on a phone).
#[must_use]
pub fn horizontal(id: &str, title: &str, bars: &[Bar]) -> String {
    const ROW: i64 = 40;
    const BAR: i64 = 180;
    let height = ROW * i64::try_from(bars.len().max(1)).unwrap_or(1) + 4;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0);
    let mut svg = String::new();
    open_svg(&mut svg, id, title, height);
    for (i, b) in bars.iter().enumerate() {
        let y = ROW * i64::try_from(i).unwrap_or(0);
        let w = scaled(b.value, max, BAR);
        let _ = write!(
            svg,
            r#"<g class="bar"><text x="0" y="{ny}">{name}</text><rect x="0" y="{ry}" width="{w}" height="14" class="fill"></rect><text x="{vx}" y="{vy}">{shown}</text></g>"#,
            ny = y + 13,
            ry = y + 19,
            vy = y + 31,
            vx = w + 6,
            name = escape(&shorten(&b.name, 44)),
            shown = escape(&b.shown),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A column chart for a trend: one column per period, its label below, its amount above.
/// More than four periods, or amounts too long for a column's width (English "VND 23.35
/// billion"), do not fit a phone's width as columns: they are drawn as horizontal bars
/// instead, in the same order.
#[must_use]
pub fn columns(id: &str, title: &str, bars: &[Bar]) -> String {
    const TOP: i64 = 22;
    const HIGH: i64 = 140;
    const SLOT: i64 = 80;
    let fits = |t: &str| t.chars().count() <= 11;
    if bars.len() > 4 || !bars.iter().all(|b| fits(&b.shown) && fits(&b.name)) {
        return horizontal(id, title, bars);
    }
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0);
    let mut svg = String::new();
    open_svg(&mut svg, id, title, TOP + HIGH + 24);
    for (i, b) in bars.iter().enumerate() {
        let x = SLOT * i64::try_from(i).unwrap_or(0);
        let h = scaled(b.value, max, HIGH);
        let y = TOP + HIGH - h;
        let mid = x + SLOT / 2;
        let _ = write!(
            svg,
            r#"<g class="bar"><text x="{mid}" y="{vy}" text-anchor="middle">{shown}</text><rect x="{rx}" y="{y}" width="{cw}" height="{h}" class="fill"></rect><text x="{mid}" y="{ly}" text-anchor="middle">{name}</text></g>"#,
            vy = y - 6,
            rx = x + 16,
            cw = SLOT - 32,
            ly = TOP + HIGH + 16,
            name = escape(&b.name),
            shown = escape(&b.shown),
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(name: &str, value: i64) -> Bar {
        Bar {
            name: name.into(),
            value: value.into(),
            shown: value.to_string(),
        }
    }

    #[test]
    fn bars_are_exact_proportions_and_names_are_escaped() {
        let svg = horizontal(
            "c",
            "T<1>",
            &[bar("<script>&", 1_000), bar("b", 500), bar("neg", -5)],
        );
        assert!(svg.contains(r#"width="180""#));
        assert!(svg.contains(r#"width="90""#));
        assert!(svg.contains(r#"width="0""#));
        assert!(svg.contains("&lt;script&gt;&amp;"));
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("T&lt;1&gt;"));
    }

    #[test]
    fn empty_and_zero_charts_draw_without_dividing_by_zero() {
        assert!(columns("q", "t", &[]).ends_with("</svg>"));
        assert!(columns("q", "t", &[bar("Q1", 0)]).contains(r#"height="0""#));
        assert_eq!(scaled(i128::from(i64::MAX), i128::from(i64::MAX), 330), 330);
    }
}
