//! The PDF of the aid-mobilisation report: a pure function from a [`ReportDocument`] to bytes.
//! Layout runs in two passes: the first fills pages (A4 portrait body, A4 landscape appendices)
//! with positioned text, rules and bars; the second adds what every page carries: the page
//! number centred in the top margin from page 2 (Decree 30/2020/NĐ-CP; none on page 1), the
//! boxed "DỰ THẢO" / "DRAFT" mark of a draft, and the audit anchor of an issued report in small
//! italics in the bottom margin. Then the pages become printpdf operations over Liberation Serif
//! (a Times New Roman metric twin), embedded as subsets. The output is byte-for-byte reproducible: dates come from the report's issue date,
//! and the ids printpdf would draw from its process-wide counter (font resource names, which
//! also make the subset tags, and the trailer `/ID`) are derived from a SHA-256 of the
//! normalised document instead.

// Floating point here is page geometry in points (positions, widths, scale of chart bars),
// never money: amounts reach the renderer as preformatted strings or whole-unit integers.
#![allow(clippy::float_arithmetic)]

mod body;
mod chart;
mod columns;
mod emit;
mod header;
mod page;
mod paragraph;
mod table;
mod text;
mod wrap;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_print;

use std::collections::BTreeSet;

use chrono::NaiveTime;
use printpdf::{DateTime, FontId, PdfDocument, PdfFont, PdfSaveOptions};
use sha2::{Digest, Sha256};

use self::page::{Flow, Item, Orientation, Page};
use self::text::{Face, Fonts, Style};
use crate::domain::Lang;
use crate::reports::labels::{Labels, LabelsError};
use crate::reports::model::{
    BarChart, Block, Column, Header, ReportDocument, Section, Signature, Table,
};

/// Why a report could not be drawn. Each is a defect of the caller's document or of the build,
/// never of the moment: the same document always gives the same answer.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Labels(#[from] LabelsError),
    #[error("the embedded font {0} could not be read")]
    Font(&'static str),
    #[error("table \"{table}\" has no columns")]
    NoColumns { table: String },
    #[error("row {row} of table \"{table}\" has {found} cells, the table has {expected} columns")]
    RowWidth {
        table: String,
        row: usize,
        expected: usize,
        found: usize,
    },
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

/// Draws `doc` as an A4 PDF in its language.
///
/// # Errors
/// [`RenderError`] when a table row does not match its columns, a table has no columns, or
/// (a build defect the tests rule out) the embedded labels or fonts cannot be read.
pub fn render(doc: &ReportDocument) -> Result<Vec<u8>, RenderError> {
    let doc = normalised(doc);
    let labels = Labels::load(doc.lang)?;
    let fonts = Fonts::load()?;

    let mut pages = layout(&doc, &labels, &fonts)?;
    decorate_pages(&mut pages, &doc, &labels, &fonts);

    let digest =
        Sha256::digest(serde_json::to_vec(&doc).map_err(|e| RenderError::Write(e.to_string()))?);
    let font_ids = font_ids(&pages, &digest);
    let mut pdf = PdfDocument::new(&format!("{} {}", doc.header.title, doc.header.subtitle));
    for face in Face::ALL {
        pdf.resources.fonts.map.insert(
            font_ids[face.index()].clone(),
            PdfFont::new(fonts.parsed(face).clone()),
        );
    }
    let info = &mut pdf.metadata.info;
    let issued = issued_at(&doc.header);
    info.creation_date = issued;
    info.modification_date = issued;
    info.metadata_date = issued;
    info.author = doc.header.issuing_agency.clone();
    info.subject = doc.header.subtitle.clone();
    info.creator = "aidledger".to_owned();
    info.producer = "aidledger (printpdf 0.12.8)".to_owned();
    info.identifier = doc.header.number.clone();
    pdf.pages = pages.iter().map(|p| emit::page(p, &font_ids)).collect();
    // A national year report runs to thousands of pages: each form of them (laid out, drawn,
    // serialised) is let go as soon as the next exists, so at most two are held at once.
    drop(pages);

    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&PdfSaveOptions::default(), &mut warnings);
    drop(pdf);
    // printpdf fills the trailer /ID from its process-wide pseudo-random counter; overwrite both
    // halves with the document digest (they are equal for a file written once).
    let id = hex::encode(digest.get(..16).unwrap_or_default()).into_bytes();
    if let Ok(pair) = lo.trailer.get_mut(b"ID").and_then(|o| o.as_array_mut()) {
        for half in pair.iter_mut() {
            if let Ok(bytes) = half.as_str_mut() {
                bytes.clone_from(&id);
            }
        }
    }
    // printpdf always writes /GTS_PDFXVersion, empty for a plain document; readers then take
    // the file for PDF/X, which it does not claim to be.
    if let Ok(info) = lo
        .trailer
        .get(b"Info")
        .and_then(|o| o.as_reference())
        .and_then(|id| lo.get_object_mut(id))
        .and_then(|o| o.as_dict_mut())
    {
        info.remove(b"GTS_PDFXVersion");
    }
    lo.compress();
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .map_err(|e| RenderError::Write(e.to_string()))?;
    Ok(out)
}

/// Pass one: every page of the report, without page numbers.
fn layout(doc: &ReportDocument, labels: &Labels, fonts: &Fonts) -> Result<Vec<Page>, RenderError> {
    let mut flow = Flow::new(fonts, labels, Orientation::Portrait);
    // English is set ragged right; Vietnamese officers expect justified text.
    flow.justify = doc.lang == Lang::Vi;
    header::admin_header(&mut flow, doc);
    for (i, section) in doc.sections.iter().enumerate() {
        body::section(&mut flow, section, doc.sections.get(i + 1))?;
    }
    body::charts(&mut flow, doc);
    header::signature(&mut flow, doc);
    for (i, table) in doc.appendices.iter().enumerate() {
        body::appendix(&mut flow, doc, i + 1, table)?;
    }
    body::rates_footnote(&mut flow, doc);
    Ok(flow.finish())
}

/// Pass two: the page number (13 pt, centred in the top margin, from page 2), the draft mark
/// (boxed, bold, top right in the top margin) and the audit anchor (bottom margin, left).
fn decorate_pages(pages: &mut [Page], doc: &ReportDocument, labels: &Labels, fonts: &Fonts) {
    let number_style = Style::regular(13.0);
    let draft_style = Style::bold(13.0);
    let anchor_style = Style::italic(8.0);
    let draft = text::clean(&labels.document.draft);
    let anchor = doc.audit_anchor.as_deref().map(text::clean);
    for (i, page) in pages.iter_mut().enumerate() {
        let geom = page::Geometry::of(page.orientation);
        let margin_middle = geom.height - geom.top / 2.0;
        if i > 0 {
            let n = (i + 1).to_string();
            let width = fonts.width(number_style, &n);
            page.items.push(Item::Text {
                x: geom.x0() + (geom.content_width() - width) / 2.0,
                baseline: margin_middle - number_style.size * 0.35,
                style: number_style,
                text: n,
                color: page::BLACK,
                extra_space: 0.0,
            });
        }
        if doc.draft {
            let width = fonts.width(draft_style, &draft);
            let (pad, height) = (5.0, draft_style.size * 1.5);
            let (x1, y0) = (geom.x1(), margin_middle - height / 2.0);
            let x0 = x1 - width - 2.0 * pad;
            let y1 = y0 + height;
            for (from, to) in [
                ((x0, y0), (x1, y0)),
                ((x1, y0), (x1, y1)),
                ((x1, y1), (x0, y1)),
                ((x0, y1), (x0, y0)),
            ] {
                page.items.push(Item::Line {
                    from,
                    to,
                    width: 1.0,
                    color: page::GREY,
                });
            }
            page.items.push(Item::Text {
                x: x0 + pad,
                baseline: margin_middle - draft_style.size * 0.35,
                style: draft_style,
                text: draft.clone(),
                color: page::GREY,
                extra_space: 0.0,
            });
        }
        if let Some(anchor) = anchor.as_ref().filter(|a| !a.trim().is_empty()) {
            let text = text::truncate(fonts, anchor_style, anchor, geom.content_width());
            page.items.push(Item::Text {
                x: geom.x0(),
                baseline: geom.y_bottom() / 2.0,
                style: anchor_style,
                text,
                color: page::GREY,
                extra_space: 0.0,
            });
        }
    }
}

/// The PDF resource name of each face. printpdf uses its first six letters as the subset tag
/// ("ABCDEF+LiberationSerif"), which must be six capital letters and should change with the subset,
/// so it is drawn from a hash of the face and of the characters drawn with it.
fn font_ids(pages: &[Page], digest: &[u8]) -> [FontId; 4] {
    let mut used: [BTreeSet<char>; 4] = Default::default();
    for item in pages.iter().flat_map(|p| &p.items) {
        if let Item::Text { style, text, .. } = item
            && let Some(set) = used.get_mut(style.face.index())
        {
            set.extend(text.chars());
        }
    }
    let mut taken: Vec<String> = Vec::new();
    Face::ALL.map(|face| {
        let mut salt = 0_u32;
        loop {
            let mut hasher = Sha256::new();
            hasher.update(digest);
            hasher.update(face.name().as_bytes());
            hasher.update(salt.to_be_bytes());
            if let Some(set) = used.get(face.index()) {
                for c in set {
                    hasher.update(u32::from(*c).to_be_bytes());
                }
            }
            let tag: String = hasher
                .finalize()
                .iter()
                .take(6)
                .map(|b| char::from(b'A' + b % 26))
                .collect();
            if !taken.contains(&tag) {
                taken.push(tag.clone());
                return FontId(tag);
            }
            salt += 1;
        }
    })
}

/// Midnight UTC of the issue date, for the document's creation and modification dates.
fn issued_at(header: &Header) -> DateTime {
    let seconds = header
        .issued_on
        .and_time(NaiveTime::MIN)
        .and_utc()
        .timestamp();
    DateTime::from_unix_timestamp(seconds)
        .or_else(|_| DateTime::from_unix_timestamp(0))
        .unwrap_or_else(|_| DateTime::epoch())
}

/// The document with every string in NFC and without stray control characters, so decomposed
/// input draws, measures and hashes exactly like precomposed input.
fn normalised(doc: &ReportDocument) -> ReportDocument {
    let s = |v: &String| text::clean(v);
    let strings = |v: &[String]| v.iter().map(|x| text::clean(x)).collect::<Vec<_>>();
    let table = |t: &Table| Table {
        title: s(&t.title),
        columns: t
            .columns
            .iter()
            .map(|c| Column {
                header: s(&c.header),
                ..c.clone()
            })
            .collect(),
        rows: t.rows.iter().map(|r| strings(r)).collect(),
        total_row: t.total_row.as_deref().map(strings),
        unit: t.unit.as_ref().map(s),
        notes: strings(&t.notes),
    };
    let chart = |c: &BarChart| BarChart {
        title: s(&c.title),
        unit_label: s(&c.unit_label),
        bars: c.bars.iter().map(|(l, v)| (s(l), *v)).collect(),
    };
    ReportDocument {
        lang: doc.lang,
        header: Header {
            parent_agency: s(&doc.header.parent_agency),
            issuing_agency: s(&doc.header.issuing_agency),
            number: s(&doc.header.number),
            place: s(&doc.header.place),
            issued_on: doc.header.issued_on,
            title: s(&doc.header.title),
            subtitle: s(&doc.header.subtitle),
        },
        sections: doc
            .sections
            .iter()
            .map(|sec| Section {
                heading: s(&sec.heading),
                blocks: sec
                    .blocks
                    .iter()
                    .map(|b| match b {
                        Block::Paragraph(p) => Block::Paragraph(s(p)),
                        Block::Bullets(items) => Block::Bullets(strings(items)),
                        Block::Table(t) => Block::Table(table(t)),
                        Block::Chart(c) => Block::Chart(chart(c)),
                    })
                    .collect(),
            })
            .collect(),
        charts: doc.charts.iter().map(chart).collect(),
        signature: doc.signature.as_ref().map(|sig| Signature {
            authority: strings(&sig.authority),
            name: s(&sig.name),
        }),
        recipients: strings(&doc.recipients),
        appendices: doc.appendices.iter().map(table).collect(),
        rates_footnote: strings(&doc.rates_footnote),
        draft: doc.draft,
        audit_anchor: doc.audit_anchor.as_ref().map(s),
    }
}
