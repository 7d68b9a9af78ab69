//! Turning the API's text fields into domain values, each refusal naming its field: amounts
//! through the one strict money parser, ISO dates, currencies, periods and ids.

use crate::domain::period::Period;
use crate::domain::{Currency, Lang, Money};
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};

/// A calendar date `YYYY-MM-DD` within the range the ledger reports on.
pub fn date(field: &str, s: &str) -> Result<NaiveDate> {
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
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
        })?;
    reportable_date(field, d)
}

/// Refuses a date no period can report on, giving the range.
pub fn reportable_date(field: &str, d: NaiveDate) -> Result<NaiveDate> {
    crate::domain::period::reportable_field(field, d)
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
    Money::parse(s, currency).map_err(|e| {
        let code = match e {
            crate::domain::AmountError::AboveMaximum(..) => "amount_above_maximum",
            _ => "invalid_amount",
        };
        Error::invalid(field, code, format!("{field}: {e}"))
    })
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

/// A one-line text field under the domain's text rule ([`crate::domain::text`]).
pub fn text(field: &str, s: &str, max: usize) -> Result<String> {
    crate::domain::text::clean_line(s, max).map_err(|e| e.into_error(field))
}

pub fn opt_text(field: &str, s: Option<&str>, max: usize) -> Result<Option<String>> {
    s.map(|s| text(field, s, max)).transpose()
}

/// A text field that may have several lines (notes, evidence, free-text sections).
pub fn multiline(field: &str, s: &str, max: usize) -> Result<String> {
    crate::domain::text::clean_multiline(s, max).map_err(|e| e.into_error(field))
}

pub fn opt_multiline(field: &str, s: Option<&str>, max: usize) -> Result<Option<String>> {
    s.map(|s| multiline(field, s, max)).transpose()
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

#[cfg(test)]
mod fuzz {
    //! The API's date and text parsers under arbitrary input (see `domain::fuzz`).
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    /// An independent reference: ten bytes `YYYY-MM-DD`, a real day, a reportable year.
    fn date_grammar(s: &str) -> bool {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return false;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            s.get(r)
                .filter(|t| t.bytes().all(|c| c.is_ascii_digit()))
                .and_then(|t| t.parse().ok())
        };
        let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
            return false;
        };
        let y = i32::try_from(y).unwrap();
        NaiveDate::from_ymd_opt(y, m, d).is_some()
            && (crate::domain::period::FIRST_YEAR..=crate::domain::period::LAST_YEAR).contains(&y)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::domain::fuzz_cases()))]

        #[test]
        fn dates_are_accepted_exactly_by_the_grammar(
            s in prop_oneof![
                "[0-9]{4}-[0-9]{2}-[0-9]{2}",
                "[-+0-9 ]{0,12}",
                "\\PC{0,12}",
            ]
        ) {
            prop_assert_eq!(date("d", &s).is_ok(), date_grammar(&s), "{:?}", s);
        }

        #[test]
        fn text_refusals_name_the_field(s in "\\PC{0,30}|[\\x00-\\x20\u{202e}\u{200b}a]{0,8}") {
            if let Err(Error::Invalid { field, .. }) = text("title_vi", &s, 20) {
                prop_assert_eq!(field.as_deref(), Some("title_vi"));
            }
        }
    }
}
