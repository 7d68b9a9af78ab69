//! Turns laid-out pages into printpdf operations, in the order they were laid out; text is
//! positioned absolutely with `Tm`. Justified lines get their extra word space as `TJ` offsets
//! after each space, because the `Tw` operator does not apply to the two-byte glyph codes of an
//! embedded TrueType font.

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, PdfFontHandle, PdfPage, Point, Pt, Rect,
    TextItem, TextMatrix, WindingOrder,
};

use super::page::{Geometry, Item, Page, Rgb};
use super::text::Face;

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r: c.r,
        g: c.g,
        b: c.b,
        icc_profile: None,
    })
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    }
}

/// The text of one line as `TJ` items, spaces widened by `extra` points.
fn text_items(text: &str, size: f32, extra: f32) -> Vec<TextItem> {
    if extra <= 0.0 || size <= 0.0 {
        return vec![TextItem::Text(text.to_owned())];
    }
    let offset = -extra * 1000.0 / size;
    let mut items = Vec::new();
    let mut words = text.split(' ').peekable();
    while let Some(word) = words.next() {
        if words.peek().is_some() {
            items.push(TextItem::Text(format!("{word} ")));
            items.push(TextItem::Offset(offset));
        } else {
            items.push(TextItem::Text(word.to_owned()));
        }
    }
    items
}

/// printpdf page for `page`, items drawn in their order (so bars cover grid lines and text
/// covers shading); `fonts` holds the resource id of each face. Consecutive text items share
/// one text object, and colour, line width and font are set only when they change.
pub(crate) fn page(page: &Page, fonts: &[FontId; 4]) -> PdfPage {
    let geom = Geometry::of(page.orientation);
    let mut ops = Vec::new();
    let mut fill: Option<Rgb> = None;
    let mut stroke: Option<Rgb> = None;
    let mut thickness: Option<f32> = None;
    let mut font: Option<(Face, f32)> = None;
    let mut in_text = false;

    for item in &page.items {
        match item {
            Item::Rect {
                x,
                y,
                w,
                h,
                color: c,
            } => {
                if in_text {
                    ops.push(Op::EndTextSection);
                    in_text = false;
                }
                if fill != Some(*c) {
                    ops.push(Op::SetFillColor { col: color(*c) });
                    fill = Some(*c);
                }
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(*x),
                        y: Pt(*y),
                        width: Pt(*w),
                        height: Pt(*h),
                        mode: Some(PaintMode::Fill),
                        winding_order: Some(WindingOrder::NonZero),
                    },
                });
            }
            Item::Line {
                from,
                to,
                width,
                color: c,
            } => {
                if in_text {
                    ops.push(Op::EndTextSection);
                    in_text = false;
                }
                if stroke != Some(*c) {
                    ops.push(Op::SetOutlineColor { col: color(*c) });
                    stroke = Some(*c);
                }
                if thickness != Some(*width) {
                    ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                    thickness = Some(*width);
                }
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![point(from.0, from.1), point(to.0, to.1)],
                        is_closed: false,
                    },
                });
            }
            Item::Text {
                x,
                baseline,
                style,
                text,
                color: c,
                extra_space,
            } => {
                if !in_text {
                    ops.push(Op::StartTextSection);
                    in_text = true;
                }
                if font != Some((style.face, style.size)) {
                    let id = fonts[style.face.index()].clone();
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(id),
                        size: Pt(style.size),
                    });
                    font = Some((style.face, style.size));
                }
                if fill != Some(*c) {
                    ops.push(Op::SetFillColor { col: color(*c) });
                    fill = Some(*c);
                }
                ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Translate(Pt(*x), Pt(*baseline)),
                });
                ops.push(Op::ShowText {
                    items: text_items(text, style.size, *extra_space),
                });
            }
        }
    }
    if in_text {
        ops.push(Op::EndTextSection);
    }
    PdfPage::new(Mm(geom.width_mm()), Mm(geom.height_mm()), ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn justified_text_puts_an_offset_after_each_space() {
        let items = text_items("a b c", 10.0, 2.0);
        assert_eq!(
            items,
            vec![
                TextItem::Text("a ".into()),
                TextItem::Offset(-200.0),
                TextItem::Text("b ".into()),
                TextItem::Offset(-200.0),
                TextItem::Text("c".into()),
            ]
        );
        assert_eq!(
            text_items("a b", 10.0, 0.0),
            vec![TextItem::Text("a b".into())]
        );
    }
}
