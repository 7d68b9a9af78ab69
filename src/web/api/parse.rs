//! Turning the API's text fields into domain values, each refusal naming its field: amounts
//! through the one strict money parser, ISO dates, currencies, periods and ids.

use crate::domain::period::Period;
use crate::domain::{Currency, Lang, Money};
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};

pub fn date(field: &str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|_| s.len() == 10)
        .ok_or_else(|| {
            Error::invalid(
                field,
                "invalid_date",
                format!(
                    "{field} must be a real calendar date written YYYY-MM-DD (got \"{}\")",
                    s.chars().take(40).collect::<String>()
                ),
            )
        })
}

pub fn opt_date(field: &str, s: Option<&str>) -> Result<Option<NaiveDate>> {
    s.map(|s| date(field, s)).transpose()
}

pub fn timestamp(field: &str, s: &str) -> Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    date(field, s)
        .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
        .map_err(|_| {
            Error::invalid(
                field,
                "invalid_timestamp",
                format!("{field} must be an RFC 3339 timestamp (2025-07-01T00:00:00Z) or a date YYYY-MM-DD"),
            )
        })
}

pub fn currency(field: &str, s: &str) -> Result<Currency> {
    s.parse::<Currency>()
        .map_err(|e| Error::invalid(field, "invalid_currency", e.to_string()))
}

/// An amount in `currency`, in canonical form only (`1234.50`): the API never guesses a locale.
pub fn amount(field: &str, s: &str, currency: Currency) -> Result<Money> {
    Money::parse(s, currency).map_err(|e| Error::invalid(field, "invalid_amount", e.to_string()))
}

pub fn period(field: &str, s: &str, vn_cutoff: bool) -> Result<Period> {
    Period::parse(s, vn_cutoff).map_err(|e| Error::invalid(field, "invalid_period", e.to_string()))
}

pub fn lang(field: &str, s: Option<&str>) -> Result<Lang> {
    s.map_or(Ok(Lang::Vi), |s| {
        s.parse()
            .map_err(|e: String| Error::invalid(field, "invalid_lang", e))
    })
}

/// Parses a vocabulary code (status, modality, kind…) with the vocabulary's own message.
pub fn code<T: std::str::FromStr>(field: &str, s: &str) -> Result<T>
where
    T::Err: std::fmt::Display,
{
    s.parse::<T>()
        .map_err(|e| Error::invalid(field, "invalid_code", e.to_string()))
}

/// A text field: trimmed, NFC, 1 to `max` characters.
pub fn text(field: &str, s: &str, max: usize) -> Result<String> {
    use unicode_normalization::UnicodeNormalization;
    let t: String = s.trim().nfc().collect();
    let n = t.chars().count();
    if n == 0 || n > max {
        return Err(Error::invalid(
            field,
            "invalid_text",
            format!("{field} must have 1 to {max} characters"),
        ));
    }
    Ok(t)
}

pub fn opt_text(field: &str, s: Option<&str>, max: usize) -> Result<Option<String>> {
    s.map(|s| text(field, s, max)).transpose()
}

/// A whole number from a query string, within `range`.
pub fn int(
    field: &str,
    s: Option<&str>,
    default: i64,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64> {
    let Some(s) = s else { return Ok(default) };
    s.parse::<i64>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| {
            Error::invalid(
                field,
                "invalid_number",
                format!(
                    "{field} must be a whole number from {} to {}",
                    range.start(),
                    range.end()
                ),
            )
        })
}

/// An id from a query string.
pub fn opt_id(field: &str, s: Option<&str>) -> Result<Option<i64>> {
    s.map(|s| int(field, Some(s), 0, 1..=i64::MAX)).transpose()
}
