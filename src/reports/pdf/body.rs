//! The running text of the report: section headings kept with what follows them, justified
//! paragraphs with a first-line indent, dash lists in the Vietnamese administrative manner
//! ("- " opening an indented paragraph), the appendix captions, and the exchange-rate footnote.

use super::RenderError;
use super::chart;
use super::page::{Flow, Orientation, mm};
use super::paragraph::ParagraphSpec;
use super::table::{self, TableSpec};
use super::text::{self, Style};
use crate::domain::Lang;
use crate::reports::labels::{Labels, fill};
use crate::reports::model::{Block, ReportDocument, Section, Table};

/// Body text: 13 pt, single-and-a-bit line spacing, 6 pt between paragraphs (Decree 30/2020).
const BODY_SIZE: f32 = 13.0;
const BODY_LINE: f32 = 17.0;
const PARAGRAPH_GAP: f32 = 6.0;

fn body_spec() -> ParagraphSpec {
    ParagraphSpec {
        first_indent: mm(10.0),
        justify: true,
        ..ParagraphSpec::body(Style::regular(BODY_SIZE), BODY_LINE)
    }
}

/// Draws `section`. A section without blocks (a heading whose parts follow as their own
/// sections, like IV with "1." and "2.") stays on the page of the next heading and its lead.
pub(crate) fn section(
    flow: &mut Flow<'_>,
    section: &Section,
    next: Option<&Section>,
) -> Result<(), RenderError> {
    let follow = match (section.blocks.first(), next) {
        (Some(b), _) => lead_height(flow, b),
        (None, Some(n)) => {
            let lines = text::wrap(
                flow.fonts,
                Style::bold(BODY_SIZE),
                &n.heading,
                flow.geom.content_width(),
            );
            PARAGRAPH_GAP
                + lines.len() as f32 * BODY_LINE
                + 2.0
                + n.blocks.first().map_or(0.0, |b| lead_height(flow, b))
        }
        (None, None) => 0.0,
    };
    heading(flow, &section.heading, follow);
    for block in &section.blocks {
        match block {
            Block::Paragraph(text) => paragraph(flow, text),
            Block::Bullets(items) => {
                // An item moves to the next page whole rather than split.
                let spec = ParagraphSpec {
                    keep_together: true,
                    ..body_spec()
                };
                for item in items {
                    flow.paragraph(&format!("- {}", item.trim()), spec);
                    flow.skip(PARAGRAPH_GAP / 2.0);
                }
                flow.skip(PARAGRAPH_GAP / 2.0);
            }
            Block::Table(t) => {
                flow.space(4.0);
                table::table(flow, t, &TableSpec::body())?;
                flow.skip(8.0);
            }
            Block::Chart(c) => {
                flow.space(4.0);
                chart::chart(flow, c);
                flow.skip(8.0);
            }
        }
    }
    Ok(())
}

fn paragraph(flow: &mut Flow<'_>, text: &str) {
    for segment in text.split('\n').filter(|s| !s.trim().is_empty()) {
        flow.paragraph(segment, body_spec());
        flow.skip(PARAGRAPH_GAP);
    }
}

/// Height of the start of `block` that its heading must stay with: two lines of text, a list
/// item, or a table's title, head and first row.
fn lead_height(flow: &Flow<'_>, block: &Block) -> f32 {
    let width = flow.geom.content_width();
    let lines = |text: &str| {
        text::wrap(
            flow.fonts,
            Style::regular(BODY_SIZE),
            text,
            width - mm(10.0),
        )
        .len()
    };
    match block {
        Block::Paragraph(p) => lines(p).min(2) as f32 * BODY_LINE,
        Block::Bullets(items) => items
            .first()
            .map_or(0.0, |i| lines(&format!("- {i}")) as f32 * BODY_LINE),
        Block::Table(t) => 4.0 + table::lead_height(flow, t, &TableSpec::body()),
        Block::Chart(_) => 4.0 * BODY_LINE,
    }
}

/// A bold heading that is never left alone at the bottom of a page: it moves to the next page
/// with the first `follow` points of what comes under it.
fn heading(flow: &mut Flow<'_>, heading: &str, follow: f32) {
    let style = Style::bold(BODY_SIZE);
    let lines = text::wrap(flow.fonts, style, heading, flow.geom.content_width());
    flow.space(PARAGRAPH_GAP);
    let need = lines.len() as f32 * BODY_LINE + 2.0 + follow.max(BODY_LINE);
    if need <= flow.full_height() {
        flow.ensure(need);
    }
    flow.paragraph(heading, ParagraphSpec::body(style, BODY_LINE));
    flow.skip(2.0);
}

/// Charts given at document level, after the sections.
pub(crate) fn charts(flow: &mut Flow<'_>, doc: &ReportDocument) {
    for c in &doc.charts {
        flow.space(10.0);
        chart::chart(flow, c);
    }
}

/// One appendix on fresh landscape pages: "Phụ lục I" (centred, bold), its title (bold), the
/// italic "(Kèm theo Báo cáo số … ngày … của Sở Ngoại vụ)" line, then the table, whose
/// continuation pages are captioned "Phụ lục I (tiếp theo)".
pub(crate) fn appendix(
    flow: &mut Flow<'_>,
    doc: &ReportDocument,
    number: usize,
    t: &Table,
) -> Result<(), RenderError> {
    let labels = flow.labels;
    flow.new_page(Orientation::Landscape);
    let n = roman(number);
    let caption = fill(&labels.document.appendix, &[("n", &n)]);
    let centred = ParagraphSpec::centred;
    flow.paragraph(&caption, centred(Style::bold(14.0), 17.0));
    flow.paragraph(&t.title, centred(Style::bold(13.0), 16.0));
    flow.paragraph(
        &attached_line(doc, labels),
        centred(Style::italic(13.0), 16.0),
    );
    flow.skip(8.0);
    let untitled = Table {
        title: String::new(),
        ..t.clone()
    };
    let spec = TableSpec {
        continued: Some(format!("{caption} {}", labels.common.continued)),
        ..TableSpec::appendix()
    };
    table::table(flow, &untitled, &spec)
}

/// "(Kèm theo Báo cáo số 123/BC-SNgV ngày 05 tháng 7 năm 2025 của Sở Ngoại vụ)": a blank
/// number becomes "…/BC-SNgV", the agency is written as in a sentence.
pub(crate) fn attached_line(doc: &ReportDocument, labels: &Labels) -> String {
    let number = doc.header.number.trim();
    let number = match number.split_once('/') {
        _ if number.is_empty() => format!("…{}", labels.document.number_suffix),
        Some((before, after)) if before.trim().is_empty() => format!("…/{}", after.trim()),
        _ => number.to_owned(),
    };
    let agency = sentence_case(&doc.header.issuing_agency, doc.lang);
    let template = fill(
        &labels.document.attached,
        &[("number", &number), ("agency", &agency)],
    );
    labels.date_with(&template, "", doc.header.issued_on)
}

/// An agency name as written inside a sentence: "SỞ NGOẠI VỤ" → "Sở Ngoại vụ",
/// "DEPARTMENT OF FOREIGN AFFAIRS" → "Department of Foreign Affairs". A name already in mixed
/// case is kept as given.
pub(crate) fn sentence_case(name: &str, lang: Lang) -> String {
    let name = name.trim();
    if name.chars().any(char::is_lowercase) {
        return name.to_owned();
    }
    let capitalise = |w: &str| {
        let mut chars = w.chars();
        chars.next().map_or_else(String::new, |c| {
            c.to_uppercase().chain(chars).collect::<String>()
        })
    };
    let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    words
        .iter()
        .enumerate()
        .map(|(i, w)| match lang {
            // Vietnamese capitalises the kind of body and the first word of its proper name:
            // "Sở Ngoại vụ", "Ủy ban nhân dân".
            Lang::Vi if i == 0 || (i == 1 && words.first().is_some_and(|f| f == "sở")) => {
                capitalise(w)
            }
            Lang::Vi => w.clone(),
            Lang::En if i > 0 && matches!(w.as_str(), "of" | "and" | "for" | "the" | "in") => {
                w.clone()
            }
            Lang::En => capitalise(w),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// 1 → "I", 4 → "IV", 14 → "XIV".
pub(crate) fn roman(mut n: usize) -> String {
    const DIGITS: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// The footnote that states the conversion method and every rate used.
pub(crate) fn rates_footnote(flow: &mut Flow<'_>, doc: &ReportDocument) {
    let labels = flow.labels;
    let size = 11.0;
    let line = 14.0;
    flow.space(14.0);
    flow.ensure(4.0 * line + 6.0);
    let x0 = flow.geom.x0();
    let y = flow.y;
    flow.line((x0, y), (x0 + mm(50.0), y), 0.5);
    flow.skip(4.0);
    let justified = |style: Style| ParagraphSpec {
        justify: true,
        ..ParagraphSpec::body(style, line)
    };
    flow.paragraph(&labels.common.rates_heading, justified(Style::bold(size)));
    flow.paragraph(&labels.common.rates_method, justified(Style::italic(size)));
    for rate in &doc.rates_footnote {
        let spec = ParagraphSpec {
            hang: mm(4.0),
            ..justified(Style::regular(size))
        };
        flow.paragraph(&format!("- {}", rate.trim()), spec);
    }
}
