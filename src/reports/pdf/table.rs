//! Ruled tables. Column widths are the columns' weights scaled to the text width; every cell
//! wraps inside its column and a row is as tall as its tallest cell. When a table runs over a
//! page, the header row (and the caption "… (tiếp theo)" for appendices) is repeated at the top
//! of the next page; a single row taller than a page is split between pages line by line.
//! The renderer never formats numbers: cells arrive as strings, amounts right-aligned by their
//! column's [`Align`].

use super::RenderError;
use super::columns::column_widths;
use super::page::{Flow, HEADER_FILL};
use super::paragraph::ParagraphSpec;
use super::text::{self, Line, Style};
use crate::reports::model::{Align, Table};

/// Sizes and options of one kind of table.
#[derive(Debug, Clone)]
pub(crate) struct TableSpec {
    pub size: f32,
    /// Caption repeated above the header on continuation pages.
    pub continued: Option<String>,
    /// Adds a row "(1) (2) (3) …" under the header, as official appendices do.
    pub numbered_columns: bool,
}

impl TableSpec {
    pub(crate) fn body() -> Self {
        Self {
            size: 11.0,
            continued: None,
            numbered_columns: false,
        }
    }

    pub(crate) fn appendix() -> Self {
        Self {
            size: 10.0,
            continued: None,
            numbered_columns: true,
        }
    }
}

const RULE: f32 = 0.45;

/// A row ready to draw: each cell's wrapped lines.
struct Row {
    cells: Vec<Vec<Line>>,
    style: Style,
    /// Header-like rows are centred and shaded.
    header: bool,
}

#[derive(Clone)]
struct Geometry {
    x0: f32,
    widths: Vec<f32>,
    aligns: Vec<Align>,
    pad_x: f32,
    pad_y: f32,
    line_height: f32,
}

impl Geometry {
    fn total_width(&self) -> f32 {
        self.widths.iter().sum()
    }

    fn lines_height(&self, lines: usize) -> f32 {
        lines as f32 * self.line_height + 2.0 * self.pad_y
    }
}

fn wrap_row(flow: &Flow<'_>, geo: &Geometry, cells: &[String], style: Style, header: bool) -> Row {
    Row {
        cells: cells
            .iter()
            .zip(&geo.widths)
            .map(|(cell, w)| text::wrap(flow.fonts, style, cell, w - 2.0 * geo.pad_x))
            .collect(),
        style,
        header,
    }
}

fn row_lines(row: &Row) -> usize {
    row.cells.iter().map(Vec::len).max().unwrap_or(0).max(1)
}

/// Draws lines `from..from + count` of every cell as one band of height `height` at `flow.y`.
fn draw_band(
    flow: &mut Flow<'_>,
    geo: &Geometry,
    row: &Row,
    from: usize,
    count: usize,
    centre: bool,
) {
    let height = geo.lines_height(count);
    let top = flow.y;
    let total = geo.total_width();
    if row.header {
        flow.rect(geo.x0, top - height, total, height, HEADER_FILL);
    }
    let mut x = geo.x0;
    for ((lines, width), align) in row.cells.iter().zip(&geo.widths).zip(&geo.aligns) {
        let shown: Vec<&Line> = lines.iter().skip(from).take(count).collect();
        // Cells shorter than the row are centred vertically (only when the row is whole).
        let offset = if centre {
            (count - shown.len()) as f32 * geo.line_height / 2.0
        } else {
            0.0
        };
        let align = if row.header { Align::Center } else { *align };
        for (k, line) in shown.iter().enumerate() {
            let line_top = top - geo.pad_y - offset - k as f32 * geo.line_height;
            let baseline = flow.fonts.baseline(row.style, line_top, geo.line_height);
            flow.aligned(
                line,
                x + geo.pad_x,
                width - 2.0 * geo.pad_x,
                align,
                baseline,
                row.style,
            );
        }
        x += width;
    }
    // Rules: top, bottom, and every column edge.
    let bottom = top - height;
    flow.line((geo.x0, top), (geo.x0 + total, top), RULE);
    flow.line((geo.x0, bottom), (geo.x0 + total, bottom), RULE);
    let mut x = geo.x0;
    flow.line((x, top), (x, bottom), RULE);
    for width in &geo.widths {
        x += width;
        flow.line((x, top), (x, bottom), RULE);
    }
    flow.y = bottom;
}

/// What is repeated at the top of each page of the table.
struct Head<'t> {
    rows: Vec<Row>,
    continued: Option<&'t str>,
}

impl Head<'_> {
    fn height(&self, geo: &Geometry) -> f32 {
        self.rows
            .iter()
            .map(|r| geo.lines_height(row_lines(r)))
            .sum()
    }

    fn draw(&self, flow: &mut Flow<'_>, geo: &Geometry) {
        for row in &self.rows {
            draw_band(flow, geo, row, 0, row_lines(row), true);
        }
    }

    fn continue_on_new_page(&self, flow: &mut Flow<'_>, geo: &Geometry) {
        flow.new_page(flow.orientation());
        if let Some(caption) = self.continued {
            let spec = ParagraphSpec::body(Style::italic(8.5), 12.0);
            flow.paragraph(caption, spec);
            flow.skip(3.0);
        }
        self.draw(flow, geo);
    }
}

/// Places `row`, breaking the page (and repeating the head) as needed.
fn place_row(flow: &mut Flow<'_>, geo: &Geometry, head: &Head<'_>, row: &Row) {
    let total = row_lines(row);
    let mut done = 0;
    // Pages started without placing a line; a second one means nothing fits (absurd sizes):
    // then the rest is drawn anyway rather than looping.
    let mut idle_pages = 0;
    while done < total {
        let rest = total - done;
        let need = geo.lines_height(rest);
        if need <= flow.remaining() + 0.01 || idle_pages > 1 {
            draw_band(flow, geo, row, done, rest, done == 0);
            return;
        }
        let fits_here = ((flow.remaining() - 2.0 * geo.pad_y) / geo.line_height).floor();
        let fresh_room = flow.full_height() - head.height(geo) - 16.0;
        if need > fresh_room && fits_here >= 1.0 {
            // Too tall for any page: split it here.
            let count = (fits_here as usize).min(rest);
            draw_band(flow, geo, row, done, count, false);
            done += count;
            idle_pages = 0;
            if done >= total {
                return;
            }
        } else {
            idle_pages += 1;
        }
        head.continue_on_new_page(flow, geo);
    }
}

/// A table measured for the current page kind: its geometry and repeated head. Body rows are
/// wrapped one at a time as they are placed: an appendix of a national year has tens of
/// thousands, and holding them all wrapped would cost more than the document itself.
struct Prepared<'t> {
    geo: Geometry,
    head: Head<'t>,
}

fn prepare<'t>(
    flow: &Flow<'_>,
    t: &Table,
    spec: &'t TableSpec,
) -> Result<Prepared<'t>, RenderError> {
    let columns = t.columns.len();
    if columns == 0 {
        return Err(RenderError::NoColumns {
            table: t.title.clone(),
        });
    }
    for (i, row) in t.rows.iter().chain(t.total_row.iter()).enumerate() {
        if row.len() != columns {
            return Err(RenderError::RowWidth {
                table: t.title.clone(),
                row: i + 1,
                expected: columns,
                found: row.len(),
            });
        }
    }

    let pad_x = (spec.size * 0.25).max(2.0);
    let geo = Geometry {
        x0: flow.geom.x0(),
        widths: column_widths(flow, t, spec.size, pad_x),
        aligns: t.columns.iter().map(|c| c.align).collect(),
        pad_x,
        pad_y: spec.size * 0.3,
        line_height: spec.size * 1.2,
    };

    let headers: Vec<String> = t.columns.iter().map(|c| c.header.clone()).collect();
    let mut head_rows = vec![wrap_row(flow, &geo, &headers, Style::bold(spec.size), true)];
    if spec.numbered_columns {
        let numbers: Vec<String> = (1..=columns).map(|i| format!("({i})")).collect();
        head_rows.push(wrap_row(
            flow,
            &geo,
            &numbers,
            Style::italic(spec.size - 1.0),
            true,
        ));
    }
    let head = Head {
        rows: head_rows,
        continued: spec.continued.as_deref(),
    };
    Ok(Prepared { geo, head })
}

/// Body row `row` of `t` wrapped; the total row (bold) follows the last body row.
fn wrapped(
    flow: &Flow<'_>,
    geo: &Geometry,
    t: &Table,
    spec: &TableSpec,
    row: usize,
) -> Option<Row> {
    if let Some(cells) = t.rows.get(row) {
        return Some(wrap_row(flow, geo, cells, Style::regular(spec.size), false));
    }
    let total = t
        .total_row
        .as_ref()
        .filter(|_| row == t.rows.len() && row > 0)?;
    Some(wrap_row(flow, geo, total, Style::bold(spec.size), false))
}

/// Height of what must stay together at the start of `t`: its title, unit line, head and
/// first row (for keeping a heading with the table under it).
pub(crate) fn lead_height(flow: &Flow<'_>, t: &Table, spec: &TableSpec) -> f32 {
    let Ok(p) = prepare(flow, t, spec) else {
        return 0.0;
    };
    let first = wrapped(flow, &p.geo, t, spec, 0)
        .map_or(p.geo.lines_height(1), |r| p.geo.lines_height(row_lines(&r)));
    title_height(flow, t, spec, &p.geo) + p.head.height(&p.geo) + first
}

/// Draws `t` at the current position of `flow`, across the text width: title, unit line, the
/// ruled table, then its notes in italics.
pub(crate) fn table(flow: &mut Flow<'_>, t: &Table, spec: &TableSpec) -> Result<(), RenderError> {
    let Prepared { geo, head } = prepare(flow, t, spec)?;
    if t.rows.is_empty() {
        // One full-width cell saying there is nothing to show.
        let merged = Geometry {
            widths: vec![geo.total_width()],
            aligns: vec![Align::Center],
            ..geo.clone()
        };
        let no_data = wrap_row(
            flow,
            &merged,
            std::slice::from_ref(&flow.labels.common.no_data),
            Style::italic(spec.size),
            false,
        );
        let title_h = title_height(flow, t, spec, &geo);
        flow.ensure(title_h + head.height(&geo) + merged.lines_height(1));
        draw_title(flow, t, spec, &geo);
        head.draw(flow, &geo);
        draw_band(flow, &merged, &no_data, 0, 1, true);
    } else {
        // Keep the title and the head with the first row.
        let first =
            wrapped(flow, &geo, t, spec, 0).map_or(0.0, |r| geo.lines_height(row_lines(&r)));
        let keep = title_height(flow, t, spec, &geo) + head.height(&geo) + first;
        if keep <= flow.full_height() {
            flow.ensure(keep);
        }
        draw_title(flow, t, spec, &geo);
        head.draw(flow, &geo);
        let mut i = 0;
        while let Some(row) = wrapped(flow, &geo, t, spec, i) {
            place_row(flow, &geo, &head, &row);
            i += 1;
        }
    }
    draw_notes(flow, t, spec);
    Ok(())
}

fn title_style(spec: &TableSpec) -> Style {
    Style::bold(spec.size + 1.0)
}

fn title_line_height(spec: &TableSpec) -> f32 {
    (spec.size + 1.0) * 1.35
}

fn unit_style(spec: &TableSpec) -> Style {
    Style::italic(spec.size)
}

fn title_height(flow: &Flow<'_>, t: &Table, spec: &TableSpec, geo: &Geometry) -> f32 {
    let title = if t.title.trim().is_empty() {
        0.0
    } else {
        let lines =
            text::wrap_balanced(flow.fonts, title_style(spec), &t.title, geo.total_width()).len();
        lines as f32 * title_line_height(spec) + 4.0
    };
    let unit = match &t.unit {
        Some(u) if !u.trim().is_empty() => {
            text::wrap(flow.fonts, unit_style(spec), u, geo.total_width()).len() as f32
                * geo.line_height
                + 2.0
        }
        _ => 0.0,
    };
    title + unit
}

/// The title (centred, bold) and the unit line ("Đơn vị tính: …", right-aligned, italic).
fn draw_title(flow: &mut Flow<'_>, t: &Table, spec: &TableSpec, geo: &Geometry) {
    if !t.title.trim().is_empty() {
        let p = ParagraphSpec::centred(title_style(spec), title_line_height(spec));
        flow.paragraph(&t.title, p);
        flow.skip(4.0);
    }
    if let Some(unit) = t.unit.as_deref().filter(|u| !u.trim().is_empty()) {
        let style = unit_style(spec);
        for line in text::wrap(flow.fonts, style, unit, geo.total_width()) {
            let baseline = flow.fonts.baseline(style, flow.y, geo.line_height);
            flow.aligned(
                &line,
                geo.x0,
                geo.total_width(),
                Align::Right,
                baseline,
                style,
            );
            flow.skip(geo.line_height);
        }
        flow.skip(2.0);
    }
}

/// The notes under the table, one italic paragraph each.
fn draw_notes(flow: &mut Flow<'_>, t: &Table, spec: &TableSpec) {
    let notes: Vec<&String> = t.notes.iter().filter(|n| !n.trim().is_empty()).collect();
    if notes.is_empty() {
        return;
    }
    flow.skip(3.0);
    for note in notes {
        let p = ParagraphSpec {
            keep_together: true,
            ..ParagraphSpec::body(Style::italic(spec.size), spec.size * 1.3)
        };
        flow.paragraph(note, p);
    }
}
