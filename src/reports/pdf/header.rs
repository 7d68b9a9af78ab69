//! The parts of a Vietnamese administrative document that frame the body: the two-column header
//! (agency, number on the left; national name, motto and place-date on the right, each block with
//! a short rule under it, after Decree 30/2020/NĐ-CP), the centred title and summary line, and
//! at the end the signature block with the "Nơi nhận" (recipients) list.

use super::page::{Flow, mm};
use super::text::{self, Line, Style};
use crate::reports::labels::fill;
use crate::reports::model::{Align, ReportDocument};

/// Agencies, national name, number (12–13 pt in the decree).
const HEADER_SIZE: f32 = 13.0;
const HEADER_LINE: f32 = 16.0;
/// Motto, place-date, title and summary line (13–14 pt).
const LARGE_SIZE: f32 = 14.0;
const LARGE_LINE: f32 = 17.0;
/// The signature block (13–14 pt) and "Nơi nhận" (12 pt heading, 11 pt recipients).
const SIGN_SIZE: f32 = 14.0;
const RECIPIENTS_HEADING: f32 = 12.0;
const RECIPIENT_SIZE: f32 = 11.0;
const RECIPIENT_LINE: f32 = 13.0;
/// Room for the signature and the seal between the authority lines and the name.
const SIGN_SPACE: f32 = 30.0 * 72.0 / 25.4;
const RULE: f32 = 0.6;
/// The clerk's blank in "Số:      /BC-SNgV" when no number is given.
const NUMBER_BLANK: f32 = 16.0 * 72.0 / 25.4;

/// Lines of `text` centred in a column, placed from `top` down; returns the new top.
fn centred_lines(
    flow: &mut Flow<'_>,
    lines: &[Line],
    x0: f32,
    width: f32,
    top: f32,
    style: Style,
) -> f32 {
    let line_height = if style.size > HEADER_SIZE {
        LARGE_LINE
    } else {
        HEADER_LINE
    };
    let mut top = top;
    for line in lines {
        let baseline = flow.fonts.baseline(style, top, line_height);
        flow.aligned(line, x0, width, Align::Center, baseline, style);
        top -= line_height;
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
    let left_w = width * 0.4;
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
    let country_style = fitting_style(flow, Style::bold(12.5), &country_text, right_w - 2.0);
    let country = text::wrap(flow.fonts, country_style, &country_text, right_w);
    let motto_style = fitting_style(
        flow,
        Style::bold(LARGE_SIZE),
        &labels.header.motto,
        right_w - 2.0,
    );
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
    let italic = Style::italic(LARGE_SIZE);
    let date = text::wrap(
        flow.fonts,
        italic,
        &labels.date_line(&h.place, h.issued_on),
        right_w - 4.0,
    );
    let after_number = number_line(flow, doc, x0, left_w, row_top);
    let after_date = centred_lines(flow, &date, right_x, right_w, row_top, italic);
    flow.y = after_number.min(after_date);

    // Title and summary line, centred, with a short rule under them.
    flow.skip(22.0);
    let title_style = Style::bold(LARGE_SIZE);
    for line in text::wrap_balanced(flow.fonts, title_style, &h.title.to_uppercase(), width) {
        let baseline = flow.fonts.baseline(title_style, flow.y, 19.0);
        flow.aligned(&line, x0, width, Align::Center, baseline, title_style);
        flow.skip(19.0);
    }
    let sub_style = Style::bold(LARGE_SIZE);
    let sub_w = width * 0.86;
    for line in text::wrap_balanced(flow.fonts, sub_style, &h.subtitle, sub_w) {
        let baseline = flow.fonts.baseline(sub_style, flow.y, LARGE_LINE);
        flow.aligned(&line, x0, width, Align::Center, baseline, sub_style);
        flow.skip(LARGE_LINE);
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

/// "Số: 123/BC-SNgV", or with no number "Số:" and a blank for the clerk before the slash,
/// centred in the left column; returns the new top.
fn number_line(flow: &mut Flow<'_>, doc: &ReportDocument, x0: f32, width: f32, top: f32) -> f32 {
    let labels = flow.labels;
    let style = Style::regular(HEADER_SIZE);
    let number = doc.header.number.trim();
    let (before, after) = number.split_once('/').unwrap_or((number, ""));
    if !before.trim().is_empty() {
        let line = fill(&labels.header.number, &[("number", number)]);
        let lines = text::wrap(flow.fonts, style, &line, width - 4.0);
        return centred_lines(flow, &lines, x0, width, top, style);
    }
    let suffix = if number.is_empty() {
        labels.document.number_suffix.clone()
    } else {
        format!("/{}", after.trim())
    };
    let prefix = fill(&labels.header.number, &[("number", "")])
        .trim_end()
        .to_owned();
    let prefix_w = flow.fonts.width(style, &prefix);
    let suffix_w = flow.fonts.width(style, &suffix);
    let total = prefix_w + NUMBER_BLANK + suffix_w;
    let start = x0 + ((width - total) / 2.0).max(0.0);
    let baseline = flow.fonts.baseline(style, top, HEADER_LINE);
    flow.text(start, baseline, style, prefix);
    flow.text(start + prefix_w + NUMBER_BLANK, baseline, style, suffix);
    top - HEADER_LINE
}

/// Each recipient as "- …;", the last as "- ….", whatever punctuation the caller ended it with.
pub(crate) fn recipient_lines(recipients: &[String]) -> Vec<String> {
    let count = recipients.len();
    recipients
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let bare = r.trim().trim_start_matches('-').trim_start();
            let bare = bare.trim_end_matches([';', '.', ',']).trim_end();
            let end = if i + 1 == count { '.' } else { ';' };
            format!("- {bare}{end}")
        })
        .collect()
}

/// Draws "Nơi nhận" on the left and the signature block on the right, kept on one page: the
/// authority in bold capitals, room for the signature and seal, the full name in bold.
pub(crate) fn signature(flow: &mut Flow<'_>, doc: &ReportDocument) {
    if doc.signature.is_none() && doc.recipients.is_empty() {
        return;
    }
    let labels = flow.labels;
    let width = flow.geom.content_width();
    let left_w = width * 0.45;
    let right_w = width - left_w;

    let heading_style = Style::bold_italic(RECIPIENTS_HEADING);
    let item_style = Style::regular(RECIPIENT_SIZE);
    let recipients: Vec<Line> = recipient_lines(&doc.recipients)
        .iter()
        .flat_map(|r| text::wrap(flow.fonts, item_style, r, left_w - 6.0))
        .collect();
    let sig_style = Style::bold(SIGN_SIZE);
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
    let left_h = if recipients.is_empty() {
        0.0
    } else {
        LARGE_LINE + recipients.len() as f32 * RECIPIENT_LINE
    };
    let right_h = (authority.len() + name.len()) as f32 * LARGE_LINE
        + if name.is_empty() { 0.0 } else { SIGN_SPACE };
    flow.space(mm(6.0));
    flow.ensure(left_h.max(right_h));

    let x0 = flow.geom.x0();
    let top = flow.y;
    let mut left_y = top;
    if !recipients.is_empty() {
        let baseline = flow.fonts.baseline(heading_style, left_y, LARGE_LINE);
        flow.text(
            x0,
            baseline,
            heading_style,
            text::clean(&labels.common.recipients),
        );
        left_y -= LARGE_LINE;
        for line in &recipients {
            let baseline = flow.fonts.baseline(item_style, left_y, RECIPIENT_LINE);
            flow.text(x0, baseline, item_style, line.text.clone());
            left_y -= RECIPIENT_LINE;
        }
    }
    let right_x = x0 + left_w;
    let mut right_y = centred_lines(flow, &authority, right_x, right_w, top, sig_style);
    if !name.is_empty() {
        right_y -= SIGN_SPACE;
        right_y = centred_lines(flow, &name, right_x, right_w, right_y, sig_style);
    }
    flow.y = left_y.min(right_y);
    flow.skip(mm(2.0));
}
