//! The parts of a Vietnamese administrative document that frame the body: the two-column header
//! (agency, number on the left; national name, motto and place-date on the right, each block with
//! a short rule under it, after Decree 30/2020/NĐ-CP), the centred title and summary line, and
//! at the end the signature block with the "Nơi nhận" (recipients) list.

use super::page::{Flow, mm};
use super::text::{self, Line, Style};
use crate::reports::labels::fill;
use crate::reports::model::{Align, ReportDocument};

const HEADER_SIZE: f32 = 10.5;
const HEADER_LINE: f32 = 14.0;
const RULE: f32 = 0.6;

/// Lines of `text` centred in a column, placed from `top` down; returns the new top.
fn centred_lines(
    flow: &mut Flow<'_>,
    lines: &[Line],
    x0: f32,
    width: f32,
    top: f32,
    style: Style,
) -> f32 {
    let mut top = top;
    for line in lines {
        let baseline = flow.fonts.baseline(style, top, HEADER_LINE);
        flow.aligned(line, x0, width, Align::Center, baseline, style);
        top -= HEADER_LINE;
    }
    top
}

/// Largest size not above `size` at which `text` fits in `width` on one line.
fn fitting_style(flow: &Flow<'_>, mut style: Style, text: &str, width: f32) -> Style {
    let natural = flow.fonts.width(style, text);
    if natural > width && natural > 0.0 {
        style.size = (style.size * width / natural * 0.995).max(6.0);
    }
    style
}

/// Draws the administrative header, the title and the summary line.
pub(crate) fn admin_header(flow: &mut Flow<'_>, doc: &ReportDocument) {
    let labels = flow.labels;
    let h = &doc.header;
    let x0 = flow.geom.x0();
    let width = flow.geom.content_width();
    let left_w = width * 0.42;
    let right_x = x0 + left_w;
    let right_w = width - left_w;
    let top = flow.y;

    // Left: parent agency, issuing agency (bold), short rule.
    let regular = Style::regular(HEADER_SIZE);
    let bold = Style::bold(HEADER_SIZE);
    let parent = text::wrap_balanced(
        flow.fonts,
        regular,
        &h.parent_agency.to_uppercase(),
        left_w - 4.0,
    );
    let agency = text::wrap_balanced(
        flow.fonts,
        bold,
        &h.issuing_agency.to_uppercase(),
        left_w - 4.0,
    );
    let mut left_y = centred_lines(flow, &parent, x0, left_w, top, regular);
    left_y = centred_lines(flow, &agency, x0, left_w, left_y, bold);
    let rule_y = left_y - 2.5;
    let rule_w = left_w / 3.0;
    flow.line(
        (x0 + (left_w - rule_w) / 2.0, rule_y),
        (x0 + (left_w + rule_w) / 2.0, rule_y),
        RULE,
    );
    left_y = rule_y - 3.0;

    // Right: national name, motto (bold), a rule as long as the motto.
    let country_text = text::clean(&labels.header.country);
    let country_style = fitting_style(flow, bold, &country_text, right_w - 2.0);
    let country = text::wrap(flow.fonts, country_style, &country_text, right_w);
    let motto_style = fitting_style(flow, Style::bold(11.0), &labels.header.motto, right_w - 2.0);
    let motto = text::wrap(flow.fonts, motto_style, &labels.header.motto, right_w);
    let mut right_y = centred_lines(flow, &country, right_x, right_w, top, country_style);
    right_y = centred_lines(flow, &motto, right_x, right_w, right_y, motto_style);
    let motto_w = motto.iter().map(|l| l.width).fold(0.0_f32, f32::max);
    let rule_y = right_y - 2.5;
    flow.line(
        (right_x + (right_w - motto_w) / 2.0, rule_y),
        (right_x + (right_w + motto_w) / 2.0, rule_y),
        RULE,
    );
    right_y = rule_y - 3.0;

    // The number and the place-date share one row below both blocks.
    let row_top = left_y.min(right_y) - 4.0;
    let number = text::wrap(
        flow.fonts,
        regular,
        &fill(&labels.header.number, &[("number", &h.number)]),
        left_w - 4.0,
    );
    let italic = Style::oblique(HEADER_SIZE);
    let date = text::wrap(
        flow.fonts,
        italic,
        &labels.date_line(&h.place, h.issued_on),
        right_w - 4.0,
    );
    let after_number = centred_lines(flow, &number, x0, left_w, row_top, regular);
    let after_date = centred_lines(flow, &date, right_x, right_w, row_top, italic);
    flow.y = after_number.min(after_date);

    // Title and summary line, centred, with a short rule under them.
    flow.skip(22.0);
    let title_style = Style::bold(14.0);
    for line in text::wrap_balanced(flow.fonts, title_style, &h.title, width) {
        let baseline = flow.fonts.baseline(title_style, flow.y, 19.0);
        flow.aligned(&line, x0, width, Align::Center, baseline, title_style);
        flow.skip(19.0);
    }
    let sub_style = Style::bold(11.5);
    let sub_w = width * 0.86;
    for line in text::wrap_balanced(flow.fonts, sub_style, &h.subtitle, sub_w) {
        let baseline = flow.fonts.baseline(sub_style, flow.y, 15.5);
        flow.aligned(&line, x0, width, Align::Center, baseline, sub_style);
        flow.skip(15.5);
    }
    let rule_w = width / 5.0;
    let y = flow.y - 4.5;
    flow.line(
        (x0 + (width - rule_w) / 2.0, y),
        (x0 + (width + rule_w) / 2.0, y),
        RULE,
    );
    flow.skip(18.0);
}

/// Draws "Nơi nhận" on the left and the signature block on the right, kept on one page.
pub(crate) fn signature(flow: &mut Flow<'_>, doc: &ReportDocument) {
    if doc.signature.is_none() && doc.recipients.is_empty() {
        return;
    }
    let labels = flow.labels;
    let width = flow.geom.content_width();
    let left_w = width * 0.45;
    let right_w = width - left_w;

    let heading_style = Style::bold(9.5);
    let item_style = Style::regular(8.5);
    let item_line = 11.0;
    let recipients: Vec<Line> = doc
        .recipients
        .iter()
        .flat_map(|r| text::wrap(flow.fonts, item_style, &format!("- {r}"), left_w - 6.0))
        .collect();
    let sig_style = Style::bold(HEADER_SIZE);
    let (authority, name) = match &doc.signature {
        Some(s) => (
            s.authority
                .iter()
                .flat_map(|a| text::wrap(flow.fonts, sig_style, &a.to_uppercase(), right_w - 4.0))
                .collect::<Vec<_>>(),
            text::wrap(flow.fonts, sig_style, &s.name, right_w - 4.0),
        ),
        None => (Vec::new(), Vec::new()),
    };
    let sign_space = 62.0;
    let left_h = if recipients.is_empty() {
        0.0
    } else {
        HEADER_LINE + recipients.len() as f32 * item_line
    };
    let right_h = (authority.len() + name.len()) as f32 * HEADER_LINE
        + if name.is_empty() { 0.0 } else { sign_space };
    flow.space(14.0);
    flow.ensure(left_h.max(right_h));

    let x0 = flow.geom.x0();
    let top = flow.y;
    let mut left_y = top;
    if !recipients.is_empty() {
        let baseline = flow.fonts.baseline(heading_style, left_y, HEADER_LINE);
        flow.text(
            x0,
            baseline,
            heading_style,
            text::clean(&labels.common.recipients),
        );
        left_y -= HEADER_LINE;
        for line in &recipients {
            let baseline = flow.fonts.baseline(item_style, left_y, item_line);
            flow.text(x0, baseline, item_style, line.text.clone());
            left_y -= item_line;
        }
    }
    let right_x = x0 + left_w;
    let mut right_y = centred_lines(flow, &authority, right_x, right_w, top, sig_style);
    if !name.is_empty() {
        right_y -= sign_space;
        right_y = centred_lines(flow, &name, right_x, right_w, right_y, sig_style);
    }
    flow.y = left_y.min(right_y);
    flow.skip(mm(2.0));
}
