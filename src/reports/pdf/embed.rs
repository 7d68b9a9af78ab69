//! The embedded fonts, written after the last page when every glyph drawn is known: for each
//! face, a subset of Liberation Serif holding only those glyphs, as an Identity-H Type0 font
//! whose CIDs are the full font's glyph ids (what the pages already show) and whose
//! CID-to-glyph map points each at its place in the subset; its widths; and a ToUnicode map so
//! the text can be searched and copied. A face no text used is written as null objects.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;

use super::RenderError;
use super::text::{Face, Fonts};
use super::writer::{FONT_OBJECTS, PdfFile, font_base, num};

/// Writes the font objects of `face` under the subset tag `tag`; `used` maps each glyph drawn
/// to its character. Returns whether the face was used (and so belongs in the resources).
pub(crate) fn face(
    file: &mut PdfFile,
    fonts: &Fonts,
    face: Face,
    used: &BTreeMap<u16, char>,
    tag: &str,
) -> Result<bool, RenderError> {
    let base = font_base(face);
    let (type0, cid_font, descriptor, program, to_unicode, cid_to_gid) =
        (base, base + 1, base + 2, base + 3, base + 4, base + 5);
    if used.is_empty() {
        for n in base..base + FONT_OBJECTS {
            file.object(n, b"null");
        }
        return Ok(false);
    }
    let parsed = fonts.parsed(face);
    let wanted: BTreeMap<u16, String> = used.iter().map(|(g, c)| (*g, c.to_string())).collect();
    let subset =
        printpdf::subset_font(parsed, &wanted).map_err(|_| RenderError::Font(face.name()))?;

    let name = format!("{tag}+{}", face.name());
    let m = &parsed.pdf_font_metrics;
    let scale = 1000.0 / f32::from(m.units_per_em.max(1));
    #[allow(clippy::cast_possible_truncation)]
    let scaled = |v: i16| (f32::from(v) * scale).round() as i64;
    // ItalicAngle is counter-clockwise from vertical, so an italic face's is negative.
    #[allow(clippy::cast_possible_truncation)]
    let italic_angle = if m.caret_slope_rise == 0 {
        0
    } else {
        (-f32::from(m.caret_slope_run)
            .atan2(f32::from(m.caret_slope_rise))
            .to_degrees())
        .round() as i64
    };
    // Non-symbolic (the Latin set), plus italic.
    let flags = 32 | if italic_angle == 0 { 0 } else { 64 };
    // No table carries the stem width; producers estimate it from the weight class.
    #[allow(clippy::cast_possible_truncation)]
    let stem_v = if m.us_weight_class == 0 {
        80
    } else {
        50 + (f32::from(m.us_weight_class) / 65.0).powi(2).round() as i64
    };

    // OS/2's capital height, or the ascender, the usual stand-in, where a face gives none.
    #[allow(clippy::cast_possible_truncation)]
    let cap_height = parsed
        .font_metrics
        .cap_height
        .map_or(scaled(m.ascender), |c| (c * scale).round() as i64);

    let mut widths = String::new();
    let mut previous: Option<u16> = None;
    for gid in used.keys() {
        if previous.is_some_and(|p| p + 1 == *gid) {
            widths.push(' ');
        } else {
            if previous.is_some() {
                widths.push_str("] ");
            }
            let _ = write!(widths, "{gid} [");
        }
        let mut w = Vec::new();
        num(&mut w, fonts.advance_milli_em(face, *gid));
        widths.push_str(&String::from_utf8_lossy(&w));
        previous = Some(*gid);
    }
    widths.push(']');

    file.object(
        type0,
        format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H \
             /DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>"
        )
        .as_bytes(),
    );
    file.object(
        cid_font,
        format!(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} \
             /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
             /FontDescriptor {descriptor} 0 R /DW 1000 /W [{widths}] /CIDToGIDMap {cid_to_gid} 0 R >>"
        )
        .as_bytes(),
    );
    file.object(
        descriptor,
        format!(
            "<< /Type /FontDescriptor /FontName /{name} /Flags {flags} \
             /FontBBox [{} {} {} {}] /ItalicAngle {italic_angle} /Ascent {} /Descent {} \
             /CapHeight {} /StemV {stem_v} /FontFile2 {program} 0 R >>",
            scaled(m.x_min),
            scaled(m.y_min),
            scaled(m.x_max),
            scaled(m.y_max),
            scaled(m.ascender),
            scaled(m.descender),
            cap_height,
        )
        .as_bytes(),
    );
    file.stream(
        program,
        &format!(" /Length1 {}", subset.bytes.len()),
        &subset.bytes,
    );
    file.stream(to_unicode, "", to_unicode_cmap(used).as_bytes());
    let last = used.keys().next_back().copied().unwrap_or(0);
    let mut map = vec![0_u8; (usize::from(last) + 1) * 2];
    for (gid, (new, _)) in &subset.glyph_mapping {
        let at = usize::from(*gid) * 2;
        if let Some(slot) = map.get_mut(at..at + 2) {
            slot.copy_from_slice(&new.to_be_bytes());
        }
    }
    file.stream(cid_to_gid, "", &map);
    Ok(true)
}

/// The ToUnicode CMap: each CID (glyph id) to its character, in UTF-16BE.
fn to_unicode_cmap(used: &BTreeMap<u16, char>) -> String {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(&u16, &char)> = used.iter().collect();
    // A bfchar block holds at most 100 entries.
    for chunk in entries.chunks(100) {
        let _ = writeln!(s, "{} beginbfchar", chunk.len());
        for (gid, c) in chunk {
            let _ = write!(s, "<{gid:04X}> <");
            let mut units = [0_u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(s, "{unit:04X}");
            }
            s.push_str(">\n");
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s
}

/// Appends the shared resources: the faces used, by the names the content streams give them.
pub(crate) fn resources(used: &[bool; 4]) -> Vec<u8> {
    let mut out = b"<< /Font <<".to_vec();
    for face in Face::ALL {
        if used.get(face.index()).copied().unwrap_or(false) {
            let _ = write!(out, " /F{} {} 0 R", face.index(), font_base(face));
        }
    }
    out.extend_from_slice(b" >> >>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cmap_maps_each_glyph_to_its_character() {
        let used: BTreeMap<u16, char> = [(36, 'A'), (500, 'Ạ'), (7, '𝐀')].into_iter().collect();
        let cmap = to_unicode_cmap(&used);
        assert!(cmap.contains("3 beginbfchar"));
        assert!(cmap.contains("<0024> <0041>"));
        assert!(cmap.contains("<01F4> <1EA0>"));
        assert!(cmap.contains("<0007> <D835DC00>"));
    }
}
