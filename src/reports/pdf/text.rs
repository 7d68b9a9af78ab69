//! Text for the PDF: the four embedded Liberation Serif faces (metric-compatible with Times New
//! Roman, full Vietnamese coverage), width measurement from the fonts' own glyph advances and
//! Unicode NFC normalisation (word wrapping is in `wrap`). printpdf draws one glyph per
//! code point with no shaping and no kerning, so a string's drawn width is exactly the sum of its
//! glyphs' advances; that is what is measured here. Text is normalised to NFC first, because a
//! decomposed "ế" (e + circumflex + acute) would be drawn as three glyphs whose marks collide.

use std::borrow::Cow;

use printpdf::ParsedFont;
use unicode_normalization::UnicodeNormalization;

use super::RenderError;

const REGULAR: &[u8] = include_bytes!("../../../reports/fonts/LiberationSerif-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../../reports/fonts/LiberationSerif-Bold.ttf");
const ITALIC: &[u8] = include_bytes!("../../../reports/fonts/LiberationSerif-Italic.ttf");
const BOLD_ITALIC: &[u8] = include_bytes!("../../../reports/fonts/LiberationSerif-BoldItalic.ttf");

/// The four faces of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Face {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Face {
    pub(crate) const ALL: [Face; 4] = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic];

    pub(crate) fn index(self) -> usize {
        match self {
            Face::Regular => 0,
            Face::Bold => 1,
            Face::Italic => 2,
            Face::BoldItalic => 3,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Face::Regular => "LiberationSerif",
            Face::Bold => "LiberationSerif-Bold",
            Face::Italic => "LiberationSerif-Italic",
            Face::BoldItalic => "LiberationSerif-BoldItalic",
        }
    }
}

/// A face at a size in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Style {
    pub face: Face,
    pub size: f32,
}

impl Style {
    pub(crate) const fn new(face: Face, size: f32) -> Self {
        Self { face, size }
    }
    pub(crate) const fn regular(size: f32) -> Self {
        Self::new(Face::Regular, size)
    }
    pub(crate) const fn bold(size: f32) -> Self {
        Self::new(Face::Bold, size)
    }
    pub(crate) const fn italic(size: f32) -> Self {
        Self::new(Face::Italic, size)
    }
    pub(crate) const fn bold_italic(size: f32) -> Self {
        Self::new(Face::BoldItalic, size)
    }
}

/// Code points below this are looked up once when the fonts load: Latin with Vietnamese's
/// precomposed letters (U+1EA0–U+1EF9), punctuation and the dong sign. A national year report
/// draws millions of glyphs, and the cmap search per character was a tenth of its drawing.
const TABLED: usize = 0x20B0;

struct LoadedFace {
    font: ParsedFont,
    /// Glyph id and advance in font units of each code point below [`TABLED`].
    table: Vec<(u16, u16)>,
    units_per_em: f32,
    /// Ascender and descender in em, both positive.
    ascent: f32,
    descent: f32,
}

/// The parsed faces with their metrics.
pub(crate) struct Fonts {
    faces: [LoadedFace; 4],
}

impl Fonts {
    pub(crate) fn load() -> Result<Self, RenderError> {
        Ok(Self {
            faces: [
                load_face(REGULAR, Face::Regular)?,
                load_face(BOLD, Face::Bold)?,
                load_face(ITALIC, Face::Italic)?,
                load_face(BOLD_ITALIC, Face::BoldItalic)?,
            ],
        })
    }

    fn face(&self, face: Face) -> &LoadedFace {
        // `index` is 0..4 by construction, matching the array.
        &self.faces[face.index()]
    }

    pub(crate) fn parsed(&self, face: Face) -> &ParsedFont {
        &self.face(face).font
    }

    /// The glyph `face` draws for `c` (0, the missing glyph, when it has none) and its
    /// advance in font units.
    fn glyph_and_advance(&self, face: Face, c: char) -> (u16, u16) {
        let face = self.face(face);
        if let Some(known) = face.table.get(c as usize) {
            return *known;
        }
        let gid = face.font.lookup_glyph_index(u32::from(c)).unwrap_or(0);
        (gid, face.font.get_horizontal_advance(gid))
    }

    /// The glyph `face` draws for `c` (0, the missing glyph, when it has none).
    pub(crate) fn glyph(&self, face: Face, c: char) -> u16 {
        self.glyph_and_advance(face, c).0
    }

    /// Advance of glyph `gid` of `face` in thousandths of an em, as a PDF font's widths are.
    pub(crate) fn advance_milli_em(&self, face: Face, gid: u16) -> f32 {
        let face = self.face(face);
        f32::from(face.font.get_horizontal_advance(gid)) * 1000.0 / face.units_per_em
    }

    /// Advance of one character in points.
    pub(crate) fn char_width(&self, style: Style, c: char) -> f32 {
        let advance = self.glyph_and_advance(style.face, c).1;
        f32::from(advance) / self.face(style.face).units_per_em * style.size
    }

    /// Drawn width of `text` in points (no kerning is applied when drawing either).
    pub(crate) fn width(&self, style: Style, text: &str) -> f32 {
        text.chars().map(|c| self.char_width(style, c)).sum()
    }

    pub(crate) fn ascent(&self, style: Style) -> f32 {
        self.face(style.face).ascent * style.size
    }

    pub(crate) fn descent(&self, style: Style) -> f32 {
        self.face(style.face).descent * style.size
    }

    /// Baseline of a line of `style` centred vertically in a box of height `line_height` whose
    /// top is at `top`.
    pub(crate) fn baseline(&self, style: Style, top: f32, line_height: f32) -> f32 {
        let (a, d) = (self.ascent(style), self.descent(style));
        top - (line_height - (a + d)) / 2.0 - a
    }
}

fn load_face(bytes: &[u8], face: Face) -> Result<LoadedFace, RenderError> {
    let mut warnings = Vec::new();
    let font =
        ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or(RenderError::Font(face.name()))?;
    let m = font.pdf_font_metrics;
    if m.units_per_em == 0 {
        return Err(RenderError::Font(face.name()));
    }
    let units_per_em = f32::from(m.units_per_em);
    let table = (0..TABLED)
        .map(|c| {
            let gid = u32::try_from(c)
                .ok()
                .and_then(|c| font.lookup_glyph_index(c))
                .unwrap_or(0);
            (gid, font.get_horizontal_advance(gid))
        })
        .collect();
    Ok(LoadedFace {
        table,
        ascent: f32::from(m.ascender) / units_per_em,
        descent: f32::from(m.descender).abs() / units_per_em,
        units_per_em,
        font,
    })
}

/// NFC-normalises `s`, turns tabs into spaces and drops other control characters except `\n`.
pub(crate) fn clean(s: &str) -> String {
    cleaned(s).into_owned()
}

/// [`clean`], borrowing `s` when it is clean already. Every wrapped cell of a national year's
/// appendices comes through here, nearly all of them clean: normalising them afresh was some
/// 7 % of the report's CPU.
pub(crate) fn cleaned(s: &str) -> Cow<'_, str> {
    if is_clean(s) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(normalised(s))
    }
}

/// Whether `s` is known to be clean: no control character but `\n`, and NFC by the quick
/// check (a string the quick check cannot decide is not known clean, and [`clean`] normalises
/// it, to itself if it was NFC after all). A character below [`QUICK`] that the quick check passes on its own (no
/// combining class, NFC_QC Yes) leaves the answer Yes whatever surrounds it, so such
/// characters are looked up in a table made once from the same functions; any other
/// character sends the whole string through the library's quick check.
pub(crate) fn is_clean(s: &str) -> bool {
    let table = quick_table();
    let mut simple = true;
    for c in s.chars() {
        if c.is_control() && c != '\n' {
            return false;
        }
        let i = c as usize;
        if simple && !(i < QUICK && table[i / 64] & (1 << (i % 64)) != 0) {
            simple = false;
        }
    }
    simple
        || unicode_normalization::is_nfc_quick(s.chars())
            == unicode_normalization::IsNormalized::Yes
}

/// Code points below this are looked up in the quick table: Latin, Vietnamese's precomposed
/// letters (U+1EA0–U+1EF9), general punctuation and the currency signs (₫ is U+20AB).
const QUICK: usize = 0x2100;

fn quick_table() -> &'static [u64; QUICK / 64] {
    static TABLE: std::sync::OnceLock<[u64; QUICK / 64]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = [0_u64; QUICK / 64];
        for (i, c) in (0..QUICK as u32).filter_map(|i| char::from_u32(i).map(|c| (i, c))) {
            let alone = unicode_normalization::char::canonical_combining_class(c) == 0
                && unicode_normalization::is_nfc_quick(std::iter::once(c))
                    == unicode_normalization::IsNormalized::Yes;
            if alone {
                t[i as usize / 64] |= 1 << (i % 64);
            }
        }
        t
    })
}

fn normalised(s: &str) -> String {
    s.nfc()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            '\n' => Some('\n'),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

pub(crate) use super::wrap::{Line, truncate, wrap, wrap_balanced, wrap_indented};

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;
    use unicode_normalization::{IsNormalized, is_nfc_quick};

    /// The check `is_clean` replaces: the library's quick check over the whole string.
    fn reference(s: &str) -> bool {
        is_nfc_quick(s.chars()) == IsNormalized::Yes
            && !s.chars().any(|c| c.is_control() && c != '\n')
    }

    #[test]
    fn clean_text_is_borrowed_and_the_rest_is_normalised() {
        for s in [
            "",
            "Viện trợ phi chính phủ nước ngoài ₫ – “x”",
            "line\nbreak",
            "Tiếng Việt ế ộ ữ Ư ơ",
            "日本語 한국어",
        ] {
            assert!(matches!(cleaned(s), Cow::Borrowed(_)), "{s:?}");
        }
        let nfd: String = "Tiếng Việt".nfd().collect();
        for (s, want) in [
            (nfd.as_str(), "Tiếng Việt"),
            ("a\tb", "a b"),
            ("a\u{7}b\r", "ab"),
            ("e\u{301}\u{323}", "ẹ́"),
            // Two marks the quick check passes one by one, in the wrong canonical order.
            ("a\u{305}\u{316}", "a\u{316}\u{305}"),
        ] {
            assert!(!is_clean(s), "{s:?}");
            assert_eq!(cleaned(s), want);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::domain::fuzz_cases()))]

        /// Arbitrary text, and text drawn from Latin, Vietnamese's letters, the combining marks,
        /// Hangul, the characters just past the table and the control characters.
        #[test]
        fn is_clean_answers_as_the_quick_check_over_the_whole_string(
            s in prop_oneof![
                "\\PC{0,12}",
                "[a-z\u{305}\u{316}\u{31a}\u{359}]{0,6}",
                "[a-zA-Z \\t\\n\u{c0}-\u{1b0}\u{300}-\u{36f}\u{1ea0}-\u{1ef9}\u{20ab}\u{20ff}-\u{2110}\u{ac00}-\u{ac10}\u{1100}-\u{1175}\u{0}-\u{1f}\u{7f}-\u{9f}]{0,12}",
            ]
        ) {
            prop_assert_eq!(is_clean(&s), reference(&s));
            if is_clean(&s) {
                prop_assert_eq!(normalised(&s), s);
            }
        }
    }
}
