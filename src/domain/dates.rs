//! Dates as people type them: one parser for forms, the API's date fields and spreadsheet
//! imports, so a date that one accepts the others accept too.

use chrono::NaiveDate;

/// Reads a date typed as `dd/mm/yyyy` (how people in Viet Nam write it, whatever their
/// browser's language) or `yyyy-mm-dd` (what an older form, a date picker or an exported
/// spreadsheet sends).
#[must_use]
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let (d, m, y) = if let Some((y, rest)) = s.split_once('-') {
        let (m, d) = rest.split_once('-')?;
        (d, m, y)
    } else {
        let mut parts = s.split('/');
        let d = parts.next()?;
        let m = parts.next()?;
        let y = parts.next()?;
        if parts.next().is_some() {
            return None;
        }
        (d, m, y)
    };
    let digits = |t: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(d, 1..=2) && digits(m, 1..=2) && digits(y, 4..=4)) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}
