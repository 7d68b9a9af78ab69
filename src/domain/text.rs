//! The one rule for text people and machines type into the ledger: names, titles, reasons,
//! notes, decision numbers. Every entry point (API, pages, CLI, import) cleans text through
//! [`clean_line`] or [`clean_multiline`], so what is stored is the same whichever way it came.
//!
//! The rule: Unicode NFC; no C0 or C1 control characters (a line break only in multi-line
//! fields, where CRLF becomes LF); no bidirectional overrides, isolates or marks, which can make
//! a name read differently from what it is; not blank once whitespace and zero-width characters
//! are set aside; trimmed; at most `max` characters (counted after cleaning).

use unicode_normalization::UnicodeNormalization;

/// Why a text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("is empty (spaces and invisible characters do not count)")]
    Blank,
    #[error("has {got} characters; at most {max} are allowed")]
    TooLong { max: usize, got: usize },
    #[error("has {got} characters; at least {min} are needed")]
    TooShort { min: usize, got: usize },
    #[error("contains the control character U+{0:04X}, which is not allowed in text")]
    Control(u32),
    #[error("is a single line: remove the line break")]
    LineBreak,
    #[error(
        "contains the invisible direction control U+{0:04X}, which can disguise text; remove it"
    )]
    Bidi(u32),
}

impl TextError {
    /// The stable code the API and the pages key their wording on.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            TextError::Blank | TextError::TooLong { .. } | TextError::TooShort { .. } => {
                "invalid_text"
            }
            TextError::Control(_) => "text_control",
            TextError::LineBreak => "text_line_break",
            TextError::Bidi(_) => "text_bidi",
        }
    }

    /// The refusal of `field`, for the API (422) and the pages.
    #[must_use]
    pub fn into_error(self, field: &str) -> crate::error::Error {
        crate::error::Error::invalid(field, self.code(), format!("{field} {self}"))
    }
}

/// True for the characters that change the direction text is shown in.
#[must_use]
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// True for characters that take no room: they do not make a text non-blank.
#[must_use]
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// A one-line text of 1 to `max` characters.
pub fn clean_line(input: &str, max: usize) -> Result<String, TextError> {
    clean(input, max, false)
}

/// A text of 1 to `max` characters that may have several lines.
pub fn clean_multiline(input: &str, max: usize) -> Result<String, TextError> {
    clean(input, max, true)
}

/// Like [`clean_line`], with empty (or blank) input meaning "no value".
pub fn clean_opt_line(input: Option<&str>, max: usize) -> Result<Option<String>, TextError> {
    optional(input, |s| clean_line(s, max))
}

/// Like [`clean_multiline`], with empty (or blank) input meaning "no value".
pub fn clean_opt_multiline(input: Option<&str>, max: usize) -> Result<Option<String>, TextError> {
    optional(input, |s| clean_multiline(s, max))
}

fn optional(
    input: Option<&str>,
    f: impl Fn(&str) -> Result<String, TextError>,
) -> Result<Option<String>, TextError> {
    match input {
        None => Ok(None),
        Some(s) if s.chars().all(is_invisible) => Ok(None),
        Some(s) => f(s).map(Some),
    }
}

/// Cleans a one-line `field` in place, refusing it with an error naming the field.
pub fn line_field(field: &str, value: &mut String, max: usize) -> crate::error::Result<()> {
    *value = clean_line(value, max).map_err(|e| e.into_error(field))?;
    Ok(())
}

/// Cleans a multi-line `field` in place, refusing it with an error naming the field.
pub fn multiline_field(field: &str, value: &mut String, max: usize) -> crate::error::Result<()> {
    *value = clean_multiline(value, max).map_err(|e| e.into_error(field))?;
    Ok(())
}

/// Cleans an optional one-line `field` in place; a blank value becomes `None`.
pub fn opt_line_field(
    field: &str,
    value: &mut Option<String>,
    max: usize,
) -> crate::error::Result<()> {
    *value = clean_opt_line(value.as_deref(), max).map_err(|e| e.into_error(field))?;
    Ok(())
}

/// Cleans an optional multi-line `field` in place; a blank value becomes `None`.
pub fn opt_multiline_field(
    field: &str,
    value: &mut Option<String>,
    max: usize,
) -> crate::error::Result<()> {
    *value = clean_opt_multiline(value.as_deref(), max).map_err(|e| e.into_error(field))?;
    Ok(())
}

/// A multi-line note of `min` to `max` characters (reasons, review notes). A blank, short or
/// long note is refused with `on_length`, the caller's own wording of the length rule; any other
/// breach of the rule with the rule's own error.
pub fn note_field(
    field: &str,
    input: &str,
    min: usize,
    max: usize,
    on_length: impl FnOnce() -> crate::error::Error,
) -> crate::error::Result<String> {
    match clean_multiline(input, max).and_then(|t| at_least(t, min)) {
        Ok(t) => Ok(t),
        Err(e) if e.code() == "invalid_text" => Err(on_length()),
        Err(e) => Err(e.into_error(field)),
    }
}

/// Checks a cleaned text's length against a minimum too (reasons, review notes).
pub fn at_least(text: String, min: usize) -> Result<String, TextError> {
    let got = text.chars().count();
    if got < min {
        return Err(TextError::TooShort { min, got });
    }
    Ok(text)
}

fn clean(input: &str, max: usize, multiline: bool) -> Result<String, TextError> {
    // Refuse controls on the input itself, so a megabyte of junk is not normalised first.
    for c in input.chars() {
        match c {
            '\n' | '\r' | '\u{2028}' | '\u{2029}' if !multiline => {
                return Err(TextError::LineBreak);
            }
            '\n' | '\r' => {}
            c if c.is_control() => return Err(TextError::Control(u32::from(c))),
            c if is_bidi_control(c) => return Err(TextError::Bidi(u32::from(c))),
            _ => {}
        }
    }
    let unix = if multiline {
        input.replace("\r\n", "\n")
    } else {
        input.to_string()
    };
    if unix.contains('\r') {
        return Err(TextError::Control(0x0D));
    }
    if unix.chars().all(is_invisible) {
        return Err(TextError::Blank);
    }
    // Refuses a huge input before normalising it. A canonical decomposition has at most four
    // characters, so composition shortens a text at most fourfold; eight leaves a margin.
    if unix.chars().count() > max.saturating_mul(8).saturating_add(16) {
        return Err(TextError::TooLong {
            max,
            got: unix.chars().count(),
        });
    }
    let text: String = unix.trim().nfc().collect();
    let got = text.chars().count();
    if got > max {
        return Err(TextError::TooLong { max, got });
    }
    Ok(text)
}

#[cfg(test)]
mod tests;
