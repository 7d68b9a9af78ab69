//! Evidence files: which kinds are taken (PDF, JPEG, PNG) and how a file is recognised, by its
//! content only. The name a person gave the file and the type their browser declared are
//! never believed: an HTML page or a program renamed `report.pdf` is refused because its bytes
//! are not a PDF. Beyond the leading signature each kind gets a minimal structural check (a
//! PDF ends with its end-of-file marker, a PNG opens with its header chunk and closes with its
//! end chunk, a JPEG ends with its end-of-image marker), so a file that only starts like one
//! is refused too. Also the one place that makes a stored file name safe.

use serde::Serialize;

/// The kinds of evidence file taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DocKind {
    Pdf,
    Jpeg,
    Png,
}

impl DocKind {
    pub const ALL: [DocKind; 3] = [DocKind::Pdf, DocKind::Jpeg, DocKind::Png];

    /// The media type stored and sent back on download.
    #[must_use]
    pub fn mime(self) -> &'static str {
        match self {
            DocKind::Pdf => "application/pdf",
            DocKind::Jpeg => "image/jpeg",
            DocKind::Png => "image/png",
        }
    }

    #[must_use]
    pub fn from_mime(s: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.mime() == s)
    }

    /// The file name extension a file of this kind is given when its name has another one.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            DocKind::Pdf => "pdf",
            DocKind::Jpeg => "jpg",
            DocKind::Png => "png",
        }
    }

    fn accepts_extension(self, ext: &str) -> bool {
        let ext = ext.to_ascii_lowercase();
        match self {
            DocKind::Pdf => ext == "pdf",
            DocKind::Jpeg => ext == "jpg" || ext == "jpeg",
            DocKind::Png => ext == "png",
        }
    }

    /// What the bytes are, or `None` when they are none of the kinds taken.
    #[must_use]
    pub fn sniff(bytes: &[u8]) -> Option<DocKind> {
        if is_pdf(bytes) {
            Some(DocKind::Pdf)
        } else if is_png(bytes) {
            Some(DocKind::Png)
        } else if is_jpeg(bytes) {
            Some(DocKind::Jpeg)
        } else {
            None
        }
    }
}

/// The last `n` bytes (or all of them).
fn tail(bytes: &[u8], n: usize) -> &[u8] {
    &bytes[bytes.len().saturating_sub(n)..]
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// `%PDF-1.x` or `%PDF-2.x` at the start, an object, and `%%EOF` near the end (writers may
/// add a line ending or a little padding after it).
fn is_pdf(b: &[u8]) -> bool {
    b.len() >= 16
        && (b.starts_with(b"%PDF-1.") || b.starts_with(b"%PDF-2."))
        && contains(b, b" obj")
        && contains(tail(b, 1024), b"%%EOF")
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
const PNG_END: &[u8] = b"\x00\x00\x00\x00IEND\xaeB`\x82";

/// The signature, an `IHDR` chunk of 13 bytes with a width and height above zero first, and
/// the `IEND` chunk last.
fn is_png(b: &[u8]) -> bool {
    if b.len() < 8 + 25 + 12 || !b.starts_with(PNG_SIGNATURE) {
        return false;
    }
    let ihdr = &b[8..33];
    let be = |s: &[u8]| u32::from_be_bytes([s[0], s[1], s[2], s[3]]);
    ihdr[0..4] == [0, 0, 0, 13]
        && &ihdr[4..8] == b"IHDR"
        && be(&ihdr[8..12]) > 0
        && be(&ihdr[12..16]) > 0
        && b.ends_with(PNG_END)
}

/// Start-of-image followed by a marker, and end-of-image in the last kilobyte (cameras may
/// append padding or a trailer after it).
fn is_jpeg(b: &[u8]) -> bool {
    b.len() >= 8 && b.starts_with(&[0xFF, 0xD8, 0xFF]) && contains(tail(b, 1024), &[0xFF, 0xD9])
}

/// Longest stored file name, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// A file name safe to store and show: only the last path component, no control or
/// direction-changing characters, at most [`MAX_NAME_CHARS`], ending with an extension of its
/// real kind (`scan.pdf` holding a PNG is stored as `scan.png`). Empty becomes `document`.
#[must_use]
pub fn safe_name(raw: &str, kind: DocKind) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !super::text::is_bidi_control(*c))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    let (stem, ext) = match cleaned.rsplit_once('.') {
        Some((s, e)) if !s.trim().is_empty() => (s.trim(), Some(e)),
        _ => (cleaned, None),
    };
    let stem = if stem.is_empty() { "document" } else { stem };
    let ext = match ext {
        Some(e) if kind.accepts_extension(e) => e.to_string(),
        _ => kind.extension().to_string(),
    };
    let room = MAX_NAME_CHARS - 1 - ext.chars().count();
    let stem: String = stem.chars().take(room).collect();
    format!("{}.{ext}", stem.trim_end())
}

/// The ASCII-only form of a stored name for the plain `filename=` of `Content-Disposition`
/// (the full name goes in `filename*`): letters, digits, `.`, `-` and `_`, others as `_`.
#[must_use]
pub fn ascii_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn pdf() -> Vec<u8> {
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
            .to_vec()
    }

    fn png() -> Vec<u8> {
        let mut b = PNG_SIGNATURE.to_vec();
        b.extend_from_slice(&[0, 0, 0, 13]);
        b.extend_from_slice(b"IHDR");
        b.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
        b.extend_from_slice(&[0x90, 0x77, 0x53, 0xDE]);
        b.extend_from_slice(PNG_END);
        b
    }

    #[test]
    fn each_kind_is_known_by_its_content() {
        assert_eq!(DocKind::sniff(&pdf()), Some(DocKind::Pdf));
        assert_eq!(DocKind::sniff(&png()), Some(DocKind::Png));
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', 0xFF, 0xD9];
        assert_eq!(DocKind::sniff(&jpeg), Some(DocKind::Jpeg));
    }

    #[test]
    fn disguised_and_truncated_files_are_refused() {
        let html = b"<!DOCTYPE html><html><script>alert(1)</script></html>";
        assert_eq!(DocKind::sniff(html), None);
        assert_eq!(
            DocKind::sniff(b"MZ\x90\x00\x03\x00\x00\x00 this program"),
            None
        );
        let cut = &pdf()[..30];
        assert_eq!(DocKind::sniff(cut), None, "a PDF without its end marker");
        let p = png();
        assert_eq!(
            DocKind::sniff(&p[..p.len() - 12]),
            None,
            "a PNG without IEND"
        );
        assert_eq!(DocKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4]), None);
        assert_eq!(DocKind::sniff(b""), None);
    }

    #[test]
    fn names_lose_paths_and_controls_and_get_their_real_extension() {
        assert_eq!(
            safe_name("C:\\x\\..\\báo cáo.PDF", DocKind::Pdf),
            "báo cáo.PDF"
        );
        assert_eq!(safe_name("../../etc/passwd", DocKind::Png), "passwd.png");
        assert_eq!(safe_name("scan.pdf", DocKind::Png), "scan.png");
        assert_eq!(safe_name("a\u{202e}gpj.exe", DocKind::Jpeg), "agpj.jpg");
        assert_eq!(safe_name("  ", DocKind::Pdf), "document.pdf");
        assert_eq!(safe_name(".pdf", DocKind::Pdf), "pdf.pdf");
        let long = "x".repeat(500);
        assert_eq!(
            safe_name(&long, DocKind::Pdf).chars().count(),
            MAX_NAME_CHARS
        );
        assert_eq!(ascii_name("báo cáo \"1\".pdf"), "b_o_c_o__1_.pdf");
    }
}
