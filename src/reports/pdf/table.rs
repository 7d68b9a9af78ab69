//! Ruled tables. Column widths are the columns' weights scaled to the text width; every cell
//! wraps inside its column and a row is as tall as its tallest cell. When a table runs over a
//! page, the header row (and the caption "… (tiếp theo)" for appendices) is repeated at the top
//! of the next page; a single row taller than a page is split between pages line by line.
//! The renderer never formats numbers: cells arrive as strings, amounts right-aligned by their
//! column's [`Align`].

use super::RenderError;
use super::page::{Flow, HEADER_FILL, ParagraphSpec};
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
            size: 9.0,
            continued: None,
            numbered_columns: false,
        }
    }

    pub(crate) fn appendix() -> Self {
        Self {
            size: 7.5,
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
            let spec = ParagraphSpec::body(Style::oblique(8.5), 12.0);
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

/// Draws `t` at the current position of `flow`, across the text width.
pub(crate) fn table(flow: &mut Flow<'_>, t: &Table, spec: &TableSpec) -> Result<(), RenderError> {
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

    let pad_x = (spec.size * 0.35).max(2.0);
    let geo = Geometry {
        x0: flow.geom.x0(),
        widths: column_widths(flow, t, spec.size, pad_x),
        aligns: t.columns.iter().map(|c| c.align).collect(),
        pad_x,
        pad_y: spec.size * 0.3,
        line_height: spec.size * 1.22,
    };

    let headers: Vec<String> = t.columns.iter().map(|c| c.header.clone()).collect();
    let mut head_rows = vec![wrap_row(flow, &geo, &headers, Style::bold(spec.size), true)];
    if spec.numbered_columns {
        let numbers: Vec<String> = (1..=columns).map(|i| format!("({i})")).collect();
        head_rows.push(wrap_row(
            flow,
            &geo,
            &numbers,
            Style::oblique(spec.size - 0.5),
            true,
        ));
    }
    let head = Head {
        rows: head_rows,
        continued: spec.continued.as_deref(),
    };

    let body_style = Style::regular(spec.size);
    let mut rows: Vec<Row> = t
        .rows
        .iter()
        .map(|r| wrap_row(flow, &geo, r, body_style, false))
        .collect();
    if rows.is_empty() {
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
            Style::oblique(spec.size),
            false,
        );
        let title_h = title_height(flow, t, spec, &geo);
        flow.ensure(title_h + head.height(&geo) + merged.lines_height(1));
        draw_title(flow, t, spec);
        head.draw(flow, &geo);
        draw_band(flow, &merged, &no_data, 0, 1, true);
        return Ok(());
    }
    if let Some(total) = &t.total_row {
        rows.push(wrap_row(flow, &geo, total, Style::bold(spec.size), false));
    }

    // Keep the title and the head with the first row.
    let first = rows.first().map_or(0.0, |r| geo.lines_height(row_lines(r)));
    let keep = title_height(flow, t, spec, &geo) + head.height(&geo) + first;
    if keep <= flow.full_height() {
        flow.ensure(keep);
    }
    draw_title(flow, t, spec);
    head.draw(flow, &geo);
    for row in &rows {
        place_row(flow, &geo, &head, row);
    }
    Ok(())
}

/// Widths from the columns' weights over the text width, except that no column is narrower
/// than the longest word of its header, nor (for right-aligned and centred columns, the
/// amounts and codes) than its longest word in the body: an amount is never broken.
fn column_widths(flow: &Flow<'_>, t: &Table, size: f32, pad_x: f32) -> Vec<f32> {
    let total = flow.geom.content_width();
    let bold = Style::bold(size);
    let longest_word = |text: &str| {
        text.split_whitespace()
            .map(|w| flow.fonts.width(bold, w))
            .fold(0.0_f32, f32::max)
    };
    let mins: Vec<f32> = t
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let body = if c.align == Align::Left {
                0.0
            } else {
                t.rows
                    .iter()
                    .chain(t.total_row.iter())
                    .filter_map(|r| r.get(i))
                    .map(|cell| longest_word(cell))
                    .fold(0.0_f32, f32::max)
            };
            longest_word(&c.header).max(body) + 2.0 * pad_x + 0.5
        })
        .collect();
    let weights: Vec<f32> = t
        .columns
        .iter()
        .map(|c| f32::from(c.width_weight.max(1)))
        .collect();
    let min_sum: f32 = mins.iter().sum();
    if min_sum >= total {
        return mins.iter().map(|m| m * total / min_sum).collect();
    }
    // Pin the columns that would be too narrow at their minimum and share the rest by weight,
    // until no further column falls below its minimum.
    let mut pinned = vec![false; mins.len()];
    loop {
        let pinned_width: f32 = mins
            .iter()
            .zip(&pinned)
            .filter(|(_, p)| **p)
            .map(|(m, _)| m)
            .sum();
        let free_weight: f32 = weights
            .iter()
            .zip(&pinned)
            .filter(|(_, p)| !**p)
            .map(|(w, _)| w)
            .sum();
        let widths: Vec<f32> = weights
            .iter()
            .zip(&mins)
            .zip(&pinned)
            .map(|((w, m), p)| {
                if *p || free_weight <= 0.0 {
                    *m
                } else {
                    (total - pinned_width) * w / free_weight
                }
            })
            .collect();
        let mut changed = false;
        for ((w, m), p) in widths.iter().zip(&mins).zip(pinned.iter_mut()) {
            if !*p && *w < *m {
                *p = true;
                changed = true;
            }
        }
        if !changed {
            return widths;
        }
    }
}

fn title_style(spec: &TableSpec) -> Style {
    Style::bold(spec.size + 1.0)
}

fn title_line_height(spec: &TableSpec) -> f32 {
    (spec.size + 1.0) * 1.35
}

fn title_height(flow: &Flow<'_>, t: &Table, spec: &TableSpec, geo: &Geometry) -> f32 {
    if t.title.trim().is_empty() {
        return 0.0;
    }
    let lines =
        text::wrap_balanced(flow.fonts, title_style(spec), &t.title, geo.total_width()).len();
    lines as f32 * title_line_height(spec) + 4.0
}

fn draw_title(flow: &mut Flow<'_>, t: &Table, spec: &TableSpec) {
    if t.title.trim().is_empty() {
        return;
    }
    let p = ParagraphSpec::centred(title_style(spec), title_line_height(spec));
    flow.paragraph(&t.title, p);
    flow.skip(4.0);
}
