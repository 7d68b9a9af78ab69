//! The running text of the report: section headings kept with what follows them, justified
//! paragraphs with a first-line indent, dash lists in the Vietnamese administrative manner
//! ("- " opening an indented paragraph), the appendix captions, and the exchange-rate footnote.

use super::RenderError;
use super::chart;
use super::page::{Flow, Orientation, ParagraphSpec, mm};
use super::table::{self, TableSpec};
use super::text::{self, Style};
use crate::reports::labels::fill;
use crate::reports::model::{Block, ReportDocument, Section, Table};

const BODY_SIZE: f32 = 11.0;
const BODY_LINE: f32 = 15.5;

fn body_spec() -> ParagraphSpec {
    ParagraphSpec {
        first_indent: mm(10.0),
        justify: true,
        ..ParagraphSpec::body(Style::regular(BODY_SIZE), BODY_LINE)
    }
}

pub(crate) fn section(flow: &mut Flow<'_>, section: &Section) -> Result<(), RenderError> {
    heading(flow, &section.heading);
    for block in &section.blocks {
        match block {
            Block::Paragraph(text) => paragraph(flow, text),
            Block::Bullets(items) => {
                for item in items {
                    flow.paragraph(&format!("- {}", item.trim()), body_spec());
                }
                flow.skip(3.0);
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
    flow.paragraph(text, body_spec());
    flow.skip(3.0);
}

/// A bold heading that is never left alone at the bottom of a page.
fn heading(flow: &mut Flow<'_>, heading: &str) {
    let style = Style::bold(BODY_SIZE);
    let lines = text::wrap(flow.fonts, style, heading, flow.geom.content_width());
    flow.space(8.0);
    // Room for the heading and the start of what follows (three lines, or a table's head).
    flow.ensure(lines.len() as f32 * BODY_LINE + 3.0 * BODY_LINE);
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

/// One appendix on fresh landscape pages: "PHỤ LỤC n", its title, the "attached to" line and
/// the table, whose continuation pages are captioned "PHỤ LỤC n (tiếp theo)".
pub(crate) fn appendix(
    flow: &mut Flow<'_>,
    doc: &ReportDocument,
    number: usize,
    t: &Table,
) -> Result<(), RenderError> {
    let labels = flow.labels;
    flow.new_page(Orientation::Landscape);
    let n = number.to_string();
    let caption = fill(&labels.common.appendix, &[("n", &n)]);
    let centred = ParagraphSpec::centred;
    flow.paragraph(&caption, centred(Style::bold(11.5), 15.0));
    flow.paragraph(&t.title, centred(Style::bold(11.0), 14.5));
    let attached = fill(
        &labels.common.attached,
        &[
            ("number", &doc.header.number),
            ("date", &labels.date_short(doc.header.issued_on)),
            ("agency", &doc.header.issuing_agency),
        ],
    );
    flow.paragraph(&attached, centred(Style::oblique(9.0), 12.0));
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

/// The footnote that states the conversion method and every rate used.
pub(crate) fn rates_footnote(flow: &mut Flow<'_>, doc: &ReportDocument) {
    let labels = flow.labels;
    let size = 8.5;
    let line = 11.5;
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
    flow.paragraph(&labels.common.rates_method, justified(Style::oblique(size)));
    for rate in &doc.rates_footnote {
        let spec = ParagraphSpec {
            hang: mm(4.0),
            ..justified(Style::regular(size))
        };
        flow.paragraph(&format!("- {}", rate.trim()), spec);
    }
}
