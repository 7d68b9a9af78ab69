//! The PDF of the aid-mobilisation report: a pure function from a [`ReportDocument`] to bytes.
//! Layout fills pages (A4 portrait body, A4 landscape appendices) with positioned text, rules
//! and bars; each page, as the layout leaves it, gets what every page carries (the page number
//! centred in the top margin from page 2, per Decree 30/2020/NĐ-CP, none on page 1; the boxed
//! "DỰ THẢO" / "DRAFT" mark of a draft; the audit anchor of an issued report in small italics
//! in the bottom margin) and is written to the file at once, so memory does not grow with the
//! number of pages. The text is set in Liberation Serif (a Times New Roman metric twin),
//! embedded as subsets once the last page is written. The output is byte-for-byte
//! reproducible: the dates are the report's issue date, and the subset tags and the trailer
//! `/ID` come from a SHA-256 of the normalised document.

// Floating point here is page geometry in points (positions, widths, scale of chart bars),
// never money: amounts reach the renderer as preformatted strings or whole-unit integers.
#![allow(clippy::float_arithmetic)]

mod body;
mod chart;
mod columns;
mod embed;
mod emit;
mod header;
mod page;
mod paragraph;
mod table;
mod text;
mod wrap;
mod writer;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_print;

use sha2::{Digest, Sha256};

use self::emit::Glyphs;
use self::page::{Flow, Item, Orientation, Page};
use self::text::{Face, Fonts, Style};
use self::writer::PdfFile;
use crate::domain::Lang;
use crate::reports::labels::{Labels, LabelsError};
use crate::reports::model::{BarChart, Block, ReportDocument, Table};

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

/// Pages laid out but not yet drawn, drawn but not yet compressed, and compressed but not yet
/// written, per channel: enough to keep the threads busy, few enough that a report of
/// thousands of pages still holds only a handful at once.
const PAGES_IN_FLIGHT: usize = 8;
/// Threads compressing the pages' content streams (see [`render_owned`]).
const COMPRESSORS: usize = 2;

/// Draws `doc` as an A4 PDF in its language.
///
/// # Errors
/// [`RenderError`] when a table row does not match its columns, a table has no columns, or
/// (a build defect the tests rule out) the embedded labels or fonts cannot be read.
pub fn render(doc: &ReportDocument) -> Result<Vec<u8>, RenderError> {
    render_owned(doc.clone())
}

/// [`render`] of a document the caller no longer needs, which is normalised where it lies
/// instead of copied: a national year's appendices are tens of megabytes of strings.
///
/// # Errors
/// As [`render`].
pub fn render_owned(mut doc: ReportDocument) -> Result<Vec<u8>, RenderError> {
    normalise(&mut doc);
    let labels = Labels::load(doc.lang)?;
    let fonts = Fonts::load()?;
    let digest =
        crate::domain::digest::json_sha256(&doc).map_err(|e| RenderError::Write(e.to_string()))?;
    let decoration = Decoration::new(&doc, &labels);

    // Each page goes through the threads the moment the layout leaves it: the layout, the
    // drawing of its content stream (decorated, with the glyphs it uses noted), its
    // compression, and the writing of the compressed streams in page order. Compression is
    // the largest part: on a national year report more CPU than the layout and the drawing
    // together, so it has [`COMPRESSORS`] threads, taking the pages in turn.
    let (mut file, glyphs, kids) = std::thread::scope(|s| {
        let (pages, laid_out) = std::sync::mpsc::sync_channel::<Page>(PAGES_IN_FLIGHT);
        // Compressed streams come back to be drawn into again, so the buffers are few and reused.
        let (spare, spares) = std::sync::mpsc::channel::<Vec<u8>>();
        let mut to_compress = Vec::new();
        let mut compressed = Vec::new();
        let mut compressors = Vec::new();
        for _ in 0..COMPRESSORS {
            let (drawn, to_pack) =
                std::sync::mpsc::sync_channel::<(f32, f32, Vec<u8>)>(PAGES_IN_FLIGHT);
            let (packed, to_write) =
                std::sync::mpsc::sync_channel::<(f32, f32, Vec<u8>)>(PAGES_IN_FLIGHT);
            let spare = spare.clone();
            compressors.push(s.spawn(move || {
                for (width, height, content) in to_pack {
                    let stream = writer::compress(&content, Vec::new());
                    let _ = spare.send(content);
                    if packed.send((width, height, stream)).is_err() {
                        break;
                    }
                }
            }));
            to_compress.push(drawn);
            compressed.push(to_write);
        }
        drop(spare);
        let writer = s.spawn(move || {
            let mut file = PdfFile::new();
            let mut kids: Vec<u32> = Vec::new();
            // Page i went to compressor i % COMPRESSORS, so taking them in turn keeps the order;
            // the first one closed is the end (or a compressor stopped, which `join` reports).
            for turn in compressed.iter().cycle() {
                let Ok((width, height, stream)) = turn.recv() else {
                    break;
                };
                kids.push(file.packed_page(width, height, &stream));
            }
            (file, kids)
        });
        let (decoration, fonts) = (&decoration, &fonts);
        let drawer = s.spawn(move || {
            let mut glyphs = Glyphs::default();
            for (index, mut page) in laid_out.into_iter().enumerate() {
                decoration.apply(&mut page, index, fonts);
                let mut content = spares.try_recv().unwrap_or_default();
                emit::page(&page, fonts, &mut glyphs, &mut content);
                let geom = page::Geometry::of(page.orientation);
                // A compressor only stops early by panicking, which `join` reports below.
                if to_compress[index % COMPRESSORS]
                    .send((geom.width, geom.height, content))
                    .is_err()
                {
                    break;
                }
            }
            glyphs
        });
        // The drawer likewise stops early only by panicking.
        let laid = layout_into(&doc, &labels, fonts, &mut |p| {
            let _ = pages.send(p);
        });
        drop(pages);
        let stopped = |_| RenderError::Write("the page writer stopped".into());
        let glyphs = drawer.join().map_err(stopped);
        let packed: Result<Vec<()>, RenderError> = compressors
            .into_iter()
            .map(|c| c.join().map_err(stopped))
            .collect();
        let written = writer.join().map_err(stopped);
        laid.and_then(|()| {
            packed?;
            let (file, kids) = written?;
            Ok((file, glyphs?, kids))
        })
    })?;

    let tags = subset_tags(&glyphs, &digest);
    let mut used = [false; 4];
    for face in Face::ALL {
        let i = face.index();
        used[i] = embed::face(&mut file, &fonts, face, &glyphs.used(face), &tags[i])?;
    }
    file.object(writer::RESOURCES, &embed::resources(&used));
    file.catalog(
        &kids,
        info(&doc).as_bytes(),
        match doc.lang {
            Lang::Vi => "vi-VN",
            Lang::En => "en",
        },
    );
    Ok(file.finish(digest.get(..16).unwrap_or_default()))
}

/// The document information: title, agency, subject, and the issue date as both dates.
fn info(doc: &ReportDocument) -> String {
    let h = &doc.header;
    let date = h.issued_on.format("D:%Y%m%d000000Z").to_string();
    format!(
        "<< /Title {} /Author {} /Subject {} /Creator (aidledger) /Producer (aidledger) \
         /CreationDate ({date}) /ModDate ({date}) >>",
        writer::text_string(&format!("{} {}", h.title, h.subtitle)),
        writer::text_string(&h.issuing_agency),
        writer::text_string(&h.subtitle),
    )
}

/// Pass one: every page of the report, without page numbers, handed to `sink` in order.
fn layout_into<'a>(
    doc: &'a ReportDocument,
    labels: &'a Labels,
    fonts: &'a Fonts,
    sink: &'a mut dyn FnMut(Page),
) -> Result<(), RenderError> {
    let mut flow = Flow::new(fonts, labels, Orientation::Portrait, sink);
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
    flow.finish();
    Ok(())
}

/// Every page of the report at once, for the tests of the layout.
#[cfg(test)]
fn layout(doc: &ReportDocument, labels: &Labels, fonts: &Fonts) -> Result<Vec<Page>, RenderError> {
    let mut pages = Vec::new();
    layout_into(doc, labels, fonts, &mut |p| pages.push(p))?;
    Ok(pages)
}

/// Pass two, page by page: the page number (13 pt, centred in the top margin, from page 2),
/// the draft mark (boxed, bold, top right in the top margin) and the audit anchor (bottom
/// margin, left).
struct Decoration {
    draft: Option<String>,
    anchor: Option<String>,
}

impl Decoration {
    const NUMBER: Style = Style::regular(13.0);
    const DRAFT: Style = Style::bold(13.0);
    const ANCHOR: Style = Style::italic(8.0);

    fn new(doc: &ReportDocument, labels: &Labels) -> Self {
        Self {
            draft: doc.draft.then(|| text::clean(&labels.document.draft)),
            anchor: doc
                .audit_anchor
                .as_deref()
                .map(text::clean)
                .filter(|a| !a.trim().is_empty()),
        }
    }

    /// Decorates `page`, the `index`th (from 0).
    fn apply(&self, page: &mut Page, index: usize, fonts: &Fonts) {
        let geom = page::Geometry::of(page.orientation);
        let margin_middle = geom.height - geom.top / 2.0;
        if index > 0 {
            let n = (index + 1).to_string();
            let width = fonts.width(Self::NUMBER, &n);
            page.items.push(Item::Text {
                x: geom.x0() + (geom.content_width() - width) / 2.0,
                baseline: margin_middle - Self::NUMBER.size * 0.35,
                style: Self::NUMBER,
                text: n,
                color: page::BLACK,
                extra_space: 0.0,
            });
        }
        if let Some(draft) = &self.draft {
            let width = fonts.width(Self::DRAFT, draft);
            let (pad, height) = (5.0, Self::DRAFT.size * 1.5);
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
                baseline: margin_middle - Self::DRAFT.size * 0.35,
                style: Self::DRAFT,
                text: draft.clone(),
                color: page::GREY,
                extra_space: 0.0,
            });
        }
        if let Some(anchor) = &self.anchor {
            let text = text::truncate(fonts, Self::ANCHOR, anchor, geom.content_width());
            page.items.push(Item::Text {
                x: geom.x0(),
                baseline: geom.y_bottom() / 2.0,
                style: Self::ANCHOR,
                text,
                color: page::GREY,
                extra_space: 0.0,
            });
        }
    }
}

/// Decorates every page of `pages`, for the tests of the layout.
#[cfg(test)]
fn decorate_pages(pages: &mut [Page], doc: &ReportDocument, labels: &Labels, fonts: &Fonts) {
    let decoration = Decoration::new(doc, labels);
    for (i, page) in pages.iter_mut().enumerate() {
        decoration.apply(page, i, fonts);
    }
}

/// The subset tag of each face ("ABCDEF" in "ABCDEF+LiberationSerif"): six capital letters
/// that change with the subset, drawn from a hash of the document, the face and the glyphs
/// drawn with it.
fn subset_tags(glyphs: &Glyphs, digest: &[u8]) -> [String; 4] {
    let mut taken: Vec<String> = Vec::new();
    Face::ALL.map(|face| {
        let used = glyphs.used(face);
        let mut salt = 0_u32;
        loop {
            let mut hasher = Sha256::new();
            hasher.update(digest);
            hasher.update(face.name().as_bytes());
            hasher.update(salt.to_be_bytes());
            for (gid, c) in &used {
                hasher.update(gid.to_be_bytes());
                hasher.update(u32::from(*c).to_be_bytes());
            }
            let tag: String = hasher
                .finalize()
                .iter()
                .take(6)
                .map(|b| char::from(b'A' + b % 26))
                .collect();
            if !taken.contains(&tag) {
                taken.push(tag.clone());
                return tag;
            }
            salt += 1;
        }
    })
}

/// `doc` with every string in NFC and without stray control characters, so decomposed input
/// draws, measures and hashes exactly like precomposed input. Strings already clean (nearly
/// all) are left where they are: a national year's appendices hold a million of them.
fn normalise(doc: &mut ReportDocument) {
    fn s(v: &mut String) {
        if !text::is_clean(v) {
            *v = text::clean(v);
        }
    }
    fn strings(v: &mut [String]) {
        v.iter_mut().for_each(s);
    }
    fn table(t: &mut Table) {
        s(&mut t.title);
        t.columns.iter_mut().for_each(|c| s(&mut c.header));
        t.rows.iter_mut().for_each(|r| strings(r));
        if let Some(r) = t.total_row.as_mut() {
            strings(r);
        }
        if let Some(u) = t.unit.as_mut() {
            s(u);
        }
        strings(&mut t.notes);
    }
    fn chart(c: &mut BarChart) {
        s(&mut c.title);
        s(&mut c.unit_label);
        c.bars.iter_mut().for_each(|(l, _)| s(l));
    }
    let h = &mut doc.header;
    for v in [
        &mut h.parent_agency,
        &mut h.issuing_agency,
        &mut h.number,
        &mut h.place,
        &mut h.title,
        &mut h.subtitle,
    ] {
        s(v);
    }
    for sec in &mut doc.sections {
        s(&mut sec.heading);
        for b in &mut sec.blocks {
            match b {
                Block::Paragraph(p) => s(p),
                Block::Bullets(items) => strings(items),
                Block::Table(t) => table(t),
                Block::Chart(c) => chart(c),
            }
        }
    }
    doc.charts.iter_mut().for_each(chart);
    if let Some(sig) = doc.signature.as_mut() {
        strings(&mut sig.authority);
        s(&mut sig.name);
    }
    strings(&mut doc.recipients);
    doc.appendices.iter_mut().for_each(table);
    strings(&mut doc.rates_footnote);
    if let Some(a) = doc.audit_anchor.as_mut() {
        s(a);
    }
}

/// A normalised copy of `doc`, for the tests of the layout.
#[cfg(test)]
fn normalised(doc: &ReportDocument) -> ReportDocument {
    let mut doc = doc.clone();
    normalise(&mut doc);
    doc
}
