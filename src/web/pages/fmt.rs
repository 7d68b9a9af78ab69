//! How pages write values for people: amounts with the language's grouping (vi
//! `1.234.567,89`, en `1,234,567.89`) and the currency code, dates as a Vietnamese or English
//! reader expects, and the labels of the records' vocabularies.

use crate::domain::{Currency, Lang};
use chrono::{DateTime, NaiveDate, Utc};

/// `1.234.567,89 EUR` / `1,234,567.89 EUR`.
#[must_use]
pub fn money(minor: impl Into<i128>, currency: Currency, lang: Lang) -> String {
    let text = crate::domain::money::format_sum(minor.into(), currency, lang);
    if currency == Currency::VND && lang == Lang::Vi {
        format!("{text} ₫")
    } else {
        format!("{text} {}", currency.code())
    }
}

/// An amount without its currency, for table columns whose header names it.
#[must_use]
pub fn amount(minor: impl Into<i128>, currency: Currency, lang: Lang) -> String {
    crate::domain::money::format_sum(minor.into(), currency, lang)
}

/// Đồng, for the VND columns.
#[must_use]
pub fn vnd(minor: impl Into<i128>, lang: Lang) -> String {
    amount(minor, Currency::VND, lang)
}

/// Dollars and cents, for the USD columns.
#[must_use]
pub fn usd(cents: impl Into<i128>, lang: Lang) -> String {
    amount(cents, Currency::USD, lang)
}

/// `05/07/2025` in Vietnamese, `2025-07-05` in English (unambiguous for every reader).
#[must_use]
pub fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Vi => d.format("%d/%m/%Y").to_string(),
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

#[must_use]
pub fn opt_date(d: Option<NaiveDate>, lang: Lang) -> String {
    d.map(|d| date(d, lang)).unwrap_or_default()
}

/// A moment in Vietnam's time (UTC+7), as the province reads its clock.
#[must_use]
pub fn time(t: DateTime<Utc>, lang: Lang) -> String {
    let local = t + chrono::Duration::hours(7);
    match lang {
        Lang::Vi => local.format("%H:%M %d/%m/%Y").to_string(),
        Lang::En => local.format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// A share in basis points as a percentage: `60%`, `33,33%` / `33.33%`.
#[must_use]
pub fn share(bp: i64, lang: Lang) -> String {
    let whole = bp / 100;
    let frac = bp % 100;
    let point = if lang == Lang::Vi { "," } else { "." };
    if frac == 0 {
        format!("{whole}%")
    } else {
        format!("{whole}{point}{frac:02}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_dates_and_shares_read_as_each_language_writes_them() {
        assert_eq!(
            money(
                123_456_789,
                "EUR".parse::<Currency>().unwrap_or(Currency::USD),
                Lang::Vi
            ),
            "1.234.567,89 EUR"
        );
        assert_eq!(
            money(
                123_456_789,
                "EUR".parse::<Currency>().unwrap_or(Currency::USD),
                Lang::En
            ),
            "1,234,567.89 EUR"
        );
        let d = NaiveDate::from_ymd_opt(2025, 7, 5).unwrap_or_default();
        assert_eq!(date(d, Lang::Vi), "05/07/2025");
        assert_eq!(share(3333, Lang::Vi), "33,33%");
        assert_eq!(share(6000, Lang::En), "60%");
    }
}
