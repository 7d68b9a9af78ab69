//! Turns one laid-out page into its PDF content stream, in the order the items were laid out
//! (so bars cover grid lines and text covers shading). Text is shown in the faces' own glyph
//! ids (two bytes each, the CIDs of an Identity-H font whose CID-to-glyph map is written once
//! the subsets are known), positioned absolutely with `Tm`; the glyphs drawn are recorded for
//! the subsets. Justified lines get their extra word space as `TJ` offsets after each space,
//! because `Tw` does not apply to two-byte codes.

use std::collections::BTreeMap;
use std::io::Write;

use super::page::{Item, Page, Rgb};
use super::text::{Face, Fonts};
use super::writer::num;

/// The glyphs drawn with each face, by glyph id, with the character each stands for.
#[derive(Default)]
pub(crate) struct Glyphs {
    used: [Used; 4],
}

impl Glyphs {
    /// The glyphs drawn with `face`, in glyph id order.
    pub(crate) fn used(&self, face: Face) -> BTreeMap<u16, char> {
        self.used[face.index()]
            .0
            .iter()
            .zip(0_u16..)
            .filter_map(|(c, gid)| c.map(|c| (gid, c)))
            .collect()
    }
}

/// One face's glyphs, indexed by glyph id: the first character drawn with each. A map lookup
/// per drawn character cost the drawing thread an eighth of its time on a national report.
#[derive(Default)]
struct Used(Vec<Option<char>>);

impl Used {
    fn note(&mut self, gid: u16, c: char) {
        let i = usize::from(gid);
        if i >= self.0.len() {
            self.0.resize(i + 1, None);
        }
        self.0[i].get_or_insert(c);
    }
}

fn color(out: &mut Vec<u8>, c: Rgb, op: &[u8]) {
    for v in [c.r, c.g, c.b] {
        num(out, v);
        out.push(b' ');
    }
    out.extend_from_slice(op);
    out.push(b'\n');
}

fn pair(out: &mut Vec<u8>, x: f32, y: f32) {
    num(out, x);
    out.push(b' ');
    num(out, y);
    out.push(b' ');
}

/// `text` as a hex string of glyph ids, recorded in `used`.
fn glyph_string(out: &mut Vec<u8>, text: &str, fonts: &Fonts, face: Face, used: &mut Used) {
    out.push(b'<');
    glyph_hex(out, text, fonts, face, used);
    out.push(b'>');
}

/// The glyph ids of `text` as four hex digits each, recorded in `used`.
fn glyph_hex(out: &mut Vec<u8>, text: &str, fonts: &Fonts, face: Face, used: &mut Used) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for c in text.chars() {
        let gid = fonts.glyph(face, c);
        used.note(gid, c);
        // Formatting each id through `write!` was a twentieth of drawing a national report.
        for shift in [12, 8, 4, 0] {
            out.push(HEX[usize::from((gid >> shift) & 0xF)]);
        }
    }
}

/// The content stream of `page` into `out` (cleared first).
pub(crate) fn page(page: &Page, fonts: &Fonts, glyphs: &mut Glyphs, out: &mut Vec<u8>) {
    out.clear();
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
                    out.extend_from_slice(b"ET\n");
                    in_text = false;
                }
                if fill != Some(*c) {
                    color(out, *c, b"rg");
                    fill = Some(*c);
                }
                pair(out, *x, *y);
                pair(out, *w, *h);
                out.extend_from_slice(b"re f\n");
            }
            Item::Line {
                from,
                to,
                width,
                color: c,
            } => {
                if in_text {
                    out.extend_from_slice(b"ET\n");
                    in_text = false;
                }
                if stroke != Some(*c) {
                    color(out, *c, b"RG");
                    stroke = Some(*c);
                }
                if thickness != Some(*width) {
                    num(out, *width);
                    out.extend_from_slice(b" w\n");
                    thickness = Some(*width);
                }
                pair(out, from.0, from.1);
                out.extend_from_slice(b"m ");
                pair(out, to.0, to.1);
                out.extend_from_slice(b"l S\n");
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
                    out.extend_from_slice(b"BT\n");
                    in_text = true;
                }
                if font != Some((style.face, style.size)) {
                    let _ = write!(out, "/F{} ", style.face.index());
                    num(out, style.size);
                    out.extend_from_slice(b" Tf\n");
                    font = Some((style.face, style.size));
                }
                if fill != Some(*c) {
                    color(out, *c, b"rg");
                    fill = Some(*c);
                }
                out.extend_from_slice(b"1 0 0 1 ");
                pair(out, *x, *baseline);
                out.extend_from_slice(b"Tm\n");
                let used = &mut glyphs.used[style.face.index()];
                if *extra_space > 0.0 && style.size > 0.0 {
                    let offset = -extra_space * 1000.0 / style.size;
                    out.push(b'[');
                    let mut words = text.split(' ').peekable();
                    while let Some(word) = words.next() {
                        if words.peek().is_some() {
                            out.push(b'<');
                            glyph_hex(out, word, fonts, style.face, used);
                            glyph_hex(out, " ", fonts, style.face, used);
                            out.extend_from_slice(b"> ");
                            num(out, offset);
                            out.push(b' ');
                        } else {
                            glyph_string(out, word, fonts, style.face, used);
                        }
                    }
                    out.extend_from_slice(b"] TJ\n");
                } else {
                    glyph_string(out, text, fonts, style.face, used);
                    out.extend_from_slice(b" Tj\n");
                }
            }
        }
    }
    if in_text {
        out.extend_from_slice(b"ET\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::pdf::page::{BLACK, Orientation};
    use crate::reports::pdf::text::Style;

    #[test]
    fn justified_text_puts_an_offset_after_each_space() {
        let fonts = Fonts::load().expect("fonts");
        let mut glyphs = Glyphs::default();
        let mut out = Vec::new();
        let text = |extra_space| Item::Text {
            x: 10.0,
            baseline: 20.0,
            style: Style::regular(10.0),
            text: "a b c".into(),
            color: BLACK,
            extra_space,
        };
        let p = Page {
            orientation: Orientation::Portrait,
            items: vec![text(2.0), text(0.0)],
        };
        page(&p, &fonts, &mut glyphs, &mut out);
        let s = String::from_utf8(out).expect("ascii");
        let (a, sp, b, c) = (
            fonts.glyph(Face::Regular, 'a'),
            fonts.glyph(Face::Regular, ' '),
            fonts.glyph(Face::Regular, 'b'),
            fonts.glyph(Face::Regular, 'c'),
        );
        assert!(
            s.contains(&format!(
                "[<{a:04X}{sp:04X}> -200 <{b:04X}{sp:04X}> -200 <{c:04X}>] TJ"
            )),
            "{s}"
        );
        assert!(
            s.contains(&format!("<{a:04X}{sp:04X}{b:04X}{sp:04X}{c:04X}> Tj")),
            "{s}"
        );
        assert_eq!(glyphs.used(Face::Regular).get(&a), Some(&'a'));
        assert_eq!(
            s.matches("BT").count(),
            1,
            "consecutive text shares one text object"
        );
    }
}
