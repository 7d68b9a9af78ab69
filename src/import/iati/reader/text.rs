//! Text under the reader: bytes to UTF-8 (other encodings named and refused), and entity
//! and character references (only the predefined five and character references are read).

use super::{Pos, malformed};
use crate::import::iati::XmlRefusal;

/// Bytes to text: UTF-8 with or without a byte-order mark; anything else is named and refused.
pub(super) fn decode(xml: &[u8]) -> Result<&str, XmlRefusal> {
    let start = Pos { line: 1, column: 1 };
    if xml.starts_with(&[0xFF, 0xFE]) || xml.starts_with(&[0xFE, 0xFF]) {
        return Err(malformed(
            start,
            "the file is UTF-16; only UTF-8 is read (save the file as UTF-8)",
        ));
    }
    let body = xml.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(xml);
    std::str::from_utf8(body).map_err(|e| {
        let good = &body[..e.valid_up_to()];
        let line = 1 + good.iter().filter(|&&b| b == b'\n').count();
        malformed(
            Pos {
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: 1,
            },
            format!(
                "the file is not valid UTF-8 (byte {} of the file); save it as UTF-8",
                e.valid_up_to() + 1
            ),
        )
    })
}

pub(crate) fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Replaces the five predefined entities and character references; refuses every other
/// entity reference (no DTD can declare one, so any other is an attempt to expand something).
/// In attribute values, literal tabs and line breaks become spaces (XML 1.0 §3.3.3).
pub(super) fn unescape(raw: &str, pos: Pos, attribute: bool) -> Result<String, XmlRefusal> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find(['&', '\t', '\n', '\r']) {
        let (before, tail) = rest.split_at(i);
        out.push_str(before);
        let c = tail.as_bytes()[0];
        if c != b'&' {
            let crlf = tail.starts_with("\r\n");
            if attribute {
                out.push(' ');
            } else {
                out.push(if c == b'\r' { '\n' } else { c as char });
            }
            rest = &tail[if crlf { 2 } else { 1 }..];
            continue;
        }
        let Some(semi) = tail.find(';') else {
            return Err(malformed(
                pos,
                "an '&' that starts no reference (write &amp;)",
            ));
        };
        let name = &tail[1..semi];
        let ch = match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "apos" => '\'',
            "quot" => '"',
            _ => {
                let code = if let Some(hex) = name.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse::<u32>().ok()
                } else {
                    return Err(XmlRefusal::Entity {
                        name: name.chars().take(64).collect(),
                        line: pos.line,
                        column: pos.column,
                    });
                };
                match code.and_then(char::from_u32).filter(|c| is_xml_char(*c)) {
                    Some(c) => c,
                    None => {
                        return Err(malformed(
                            pos,
                            format!("&{name}; is not a character XML allows"),
                        ));
                    }
                }
            }
        };
        out.push(ch);
        rest = &tail[semi + 1..];
    }
    out.push_str(rest);
    Ok(out)
}
