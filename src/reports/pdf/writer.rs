//! The PDF file itself, written front to back: the header, then each page's dictionary and
//! compressed content stream the moment the page is laid out, then what can only be known at
//! the end (the embedded font subsets, the page tree, the document information, the catalog)
//! and the cross-reference table. A page is never held once written, so a report of thousands
//! of pages takes the memory of the few pages between the layout and the writer (see
//! `PAGES_IN_FLIGHT`) plus the finished bytes. Object numbers of the parts
//! written last are reserved up front so that every page can point at them.

use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;

use super::text::Face;

/// The catalog, the page tree, the document information and the pages' shared resources.
const CATALOG: u32 = 1;
const PAGES: u32 = 2;
const INFO: u32 = 3;
pub(crate) const RESOURCES: u32 = 4;
/// Each face takes [`FONT_OBJECTS`] numbers from here: the Type0 font, its CID font, the font
/// descriptor, the font program, the ToUnicode map and the CID-to-glyph map.
const FIRST_FONT: u32 = 5;
pub(crate) const FONT_OBJECTS: u32 = 6;
const FIRST_FREE: u32 = FIRST_FONT + FONT_OBJECTS * 4;

/// First object number of `face`'s font objects.
pub(crate) fn font_base(face: Face) -> u32 {
    // index() is 0..4.
    FIRST_FONT + FONT_OBJECTS * u32::try_from(face.index()).unwrap_or(0)
}

/// `data` compressed with Flate at level 6 into `into` (cleared first; its allocation reused).
pub(crate) fn compress(data: &[u8], mut into: Vec<u8>) -> Vec<u8> {
    into.clear();
    let mut z = ZlibEncoder::new(into, Compression::new(6));
    // Writing into a Vec cannot fail.
    let _ = z.write_all(data);
    z.finish().unwrap_or_default()
}

/// An append-only PDF file with its cross-reference offsets.
pub(crate) struct PdfFile {
    out: Vec<u8>,
    /// Byte offset of object n at index n (index 0 is the free list head).
    offsets: Vec<Option<usize>>,
    next: u32,
    /// Reused buffer for compressing streams.
    packed: Vec<u8>,
}

impl PdfFile {
    pub(crate) fn new() -> Self {
        let mut out = Vec::with_capacity(1 << 20);
        // The second line's high bytes tell transfer tools the file is binary.
        out.extend_from_slice(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
        Self {
            out,
            offsets: vec![None; FIRST_FREE as usize],
            next: FIRST_FREE,
            packed: Vec::new(),
        }
    }

    /// A fresh object number.
    pub(crate) fn reserve(&mut self) -> u32 {
        let n = self.next;
        self.next += 1;
        self.offsets.push(None);
        n
    }

    /// Writes object `n` whose body is `dict` (a dictionary or any other PDF value).
    pub(crate) fn object(&mut self, n: u32, body: &[u8]) {
        self.begin(n);
        self.out.extend_from_slice(body);
        self.out.extend_from_slice(b"\nendobj\n");
    }

    /// Writes object `n` as a Flate-compressed stream of `data`; `extra` holds further
    /// dictionary entries (already written out, may be empty).
    pub(crate) fn stream(&mut self, n: u32, extra: &str, data: &[u8]) {
        let packed = compress(data, std::mem::take(&mut self.packed));
        self.packed_stream(n, extra, &packed);
        self.packed = packed;
    }

    /// Writes object `n` as a stream whose data `packed` is already Flate-compressed.
    fn packed_stream(&mut self, n: u32, extra: &str, packed: &[u8]) {
        self.begin(n);
        let _ = write!(
            self.out,
            "<< /Length {} /Filter /FlateDecode{extra} >>\nstream\n",
            packed.len()
        );
        self.out.extend_from_slice(packed);
        self.out.extend_from_slice(b"\nendstream\nendobj\n");
    }

    /// Writes a page of `width` × `height` points over the shared resources, its content
    /// stream `packed` compressed already by [`compress`] (on another thread), and returns
    /// its object number for the page tree.
    pub(crate) fn packed_page(&mut self, width: f32, height: f32, packed: &[u8]) -> u32 {
        let (object, stream) = (self.reserve(), self.reserve());
        self.packed_stream(stream, "", packed);
        let mut dict = format!("<< /Type /Page /Parent {PAGES} 0 R /MediaBox [0 0 ").into_bytes();
        num(&mut dict, width);
        dict.push(b' ');
        num(&mut dict, height);
        let _ = write!(
            dict,
            "] /Resources {RESOURCES} 0 R /Contents {stream} 0 R >>"
        );
        self.object(object, &dict);
        object
    }

    /// The page tree over `kids`, the document information `info` and the catalog naming the
    /// document's language.
    pub(crate) fn catalog(&mut self, kids: &[u32], info: &[u8], lang: &str) {
        let mut tree = b"<< /Type /Pages /Kids [".to_vec();
        for kid in kids {
            let _ = write!(tree, "{kid} 0 R ");
        }
        let _ = write!(tree, "] /Count {} >>", kids.len());
        self.object(PAGES, &tree);
        self.object(INFO, info);
        self.object(
            CATALOG,
            format!("<< /Type /Catalog /Pages {PAGES} 0 R /Lang ({lang}) >>").as_bytes(),
        );
    }

    fn begin(&mut self, n: u32) {
        if let Some(slot) = self.offsets.get_mut(n as usize) {
            *slot = Some(self.out.len());
        }
        let _ = writeln!(self.out, "{n} 0 obj");
    }

    /// The cross-reference table and trailer; `id` is the file identifier (both halves).
    pub(crate) fn finish(mut self, id: &[u8]) -> Vec<u8> {
        let xref = self.out.len();
        let _ = write!(self.out, "xref\n0 {}\n", self.offsets.len());
        for (n, offset) in self.offsets.iter().enumerate() {
            match offset {
                // Each entry is exactly 20 bytes, the end of line included.
                Some(at) => {
                    let _ = write!(self.out, "{at:010} 00000 n\r\n");
                }
                None if n == 0 => self.out.extend_from_slice(b"0000000000 65535 f\r\n"),
                // A reserved number never written (a face no text used) is a free entry.
                None => self.out.extend_from_slice(b"0000000000 00001 f\r\n"),
            }
        }
        let id = hex::encode_upper(id);
        let _ = write!(
            self.out,
            "trailer\n<< /Size {} /Root {CATALOG} 0 R /Info {INFO} 0 R /ID [<{id}> <{id}>] >>\nstartxref\n{xref}\n%%EOF",
            self.offsets.len()
        );
        self.out
    }
}

/// Appends `v` as a PDF number: at most three decimals, no trailing zeros, no exponent.
pub(crate) fn num(out: &mut Vec<u8>, v: f32) {
    let v = if v.is_finite() { v } else { 0.0 };
    let milli = (f64::from(v) * 1000.0).round();
    // Page coordinates and font sizes are far inside i64.
    #[allow(clippy::cast_possible_truncation)]
    let milli = milli as i64;
    if milli < 0 {
        out.push(b'-');
    }
    let abs = milli.unsigned_abs();
    // Written digit by digit: a national report writes tens of millions of numbers, and
    // `format!` allocated for each one's decimals.
    let mut whole = abs / 1000;
    let start = out.len();
    loop {
        out.push(b'0' + digit(whole));
        whole /= 10;
        if whole == 0 {
            break;
        }
    }
    out[start..].reverse();
    let mut frac = abs % 1000;
    if frac != 0 {
        out.push(b'.');
        let mut places = 3;
        while frac.is_multiple_of(10) {
            frac /= 10;
            places -= 1;
        }
        let at = out.len();
        for _ in 0..places {
            out.push(b'0' + digit(frac));
            frac /= 10;
        }
        out[at..].reverse();
    }
}

/// The last decimal digit of `v`.
fn digit(v: u64) -> u8 {
    // `v % 10` is below 10.
    u8::try_from(v % 10).unwrap_or(0)
}

/// A text string for the document information: UTF-16BE with its byte order mark, in hex, so
/// Vietnamese titles survive every reader.
pub(crate) fn text_string(s: &str) -> String {
    let mut hex = String::from("<FEFF");
    for unit in s.encode_utf16() {
        hex.push_str(&format!("{unit:04X}"));
    }
    hex.push('>');
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(v: f32) -> String {
        let mut out = Vec::new();
        num(&mut out, v);
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn numbers_are_short_and_plain() {
        assert_eq!(n(0.0), "0");
        assert_eq!(n(12.5), "12.5");
        assert_eq!(n(-0.25), "-0.25");
        assert_eq!(n(841.8898), "841.89");
        assert_eq!(n(0.0004), "0");
        assert_eq!(n(f32::NAN), "0");
        assert_eq!(n(0.05), "0.05");
        assert_eq!(n(100.0), "100");
        assert_eq!(n(-3.0), "-3");
        assert_eq!(n(1000.001), "1000.001");
        assert_eq!(n(10.1), "10.1");
        assert_eq!(n(-0.0004), "0");
    }

    #[test]
    fn text_strings_are_utf16_with_a_bom() {
        assert_eq!(text_string("Ạ"), "<FEFF1EA0>");
        assert_eq!(text_string(""), "<FEFF>");
    }

    #[test]
    fn the_cross_reference_table_points_at_each_object() {
        let mut f = PdfFile::new();
        let a = f.reserve();
        f.object(a, b"<< /A 1 >>");
        let bytes = f.finish(&[0xAB; 16]);
        let needle = format!("{a} 0 obj");
        let at = bytes
            .windows(needle.len())
            .position(|w| w == needle.as_bytes())
            .unwrap_or(0);
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains(&format!("{at:010} 00000 n")));
        assert!(text.ends_with("%%EOF"));
        assert!(text.contains("/ID [<ABABABAB"));
    }
}
