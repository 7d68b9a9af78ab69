//! How pages write values for people: amounts with the language's grouping (vi
//! `1.234.567,89`, en `1,234,567.89`) and the currency code, exchange rates and percentages
//! in the same notation, headline sums in tỷ/triệu đồng, dates as a Vietnamese or English
//! reader expects, country names, and counted nouns from the i18n files.
//!
//! A unit and its number are joined by a non-breaking space (U+00A0), so "₫", "%" or "tỷ"
//! never wraps onto a line of its own.

use crate::domain::money::format_parts;
use crate::domain::{Currency, Lang};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

/// The space that keeps a number and its unit on one line.
pub const NBSP: char = '\u{a0}';

fn separators(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::Vi => (".", ","),
        Lang::En => (",", "."),
    }
}

/// `1.234.567,89 EUR` / `1,234,567.89 EUR`, `1.234.567 ₫` in Vietnamese; the space before the
/// currency does not break.
#[must_use]
pub fn money(minor: impl Into<i128>, currency: Currency, lang: Lang) -> String {
    let text = crate::domain::money::format_sum(minor.into(), currency, lang);
    if currency == Currency::VND && lang == Lang::Vi {
        format!("{text}{NBSP}₫")
    } else {
        format!("{text}{NBSP}{}", currency.code())
    }
}

/// A decimal written with `lang`'s grouping and decimal mark, keeping its own decimals.
fn decimal(d: Decimal, lang: Lang) -> String {
    let (group, point) = separators(lang);
    let scale = d.scale();
    // The mantissa is the decimal's digits as an integer; its scale says where the point goes.
    format_parts(d.mantissa(), scale, group, point)
}

/// An exchange rate as the source states it, in the reader's notation: `17.359,98` (vi),
/// `17,359.98` (en). It keeps every decimal the source gave and shows at least two, so a
/// column of rates lines up (`17.260,60`, not `17.260,6`).
#[must_use]
pub fn rate(r: Decimal, lang: Lang) -> String {
    let mut r = r;
    if r.scale() < 2 {
        r.rescale(2);
    }
    decimal(r, lang)
}

/// A percentage given in percent (`71.49` is 71.49 %), rounded to two decimals half away from
/// zero: `71,49 %` in Vietnamese (with a non-breaking space), `71.49%` in English.
#[must_use]
pub fn percent(v: Decimal, lang: Lang) -> String {
    let mut r = v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    let digits = decimal(r, lang);
    match lang {
        Lang::Vi => format!("{digits}{NBSP}%"),
        Lang::En => format!("{digits}%"),
    }
}

/// A headline amount: the short form a reader takes in at a glance, and the exact amount for
/// the `title` attribute and the table under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headline {
    pub short: String,
    pub exact: String,
}

const TRIEU: i128 = 1_000_000;
const TY: i128 = 1_000_000_000;

/// Đồng in tỷ (10⁹) or triệu (10⁶) with two decimals: `12,35 tỷ ₫` / `VND 12.35 billion`,
/// `345,60 triệu ₫` / `VND 345.60 million`; under one triệu, the exact amount. The unit is
/// chosen after rounding, so 999,996 triệu reads `1,00 tỷ ₫`.
#[must_use]
pub fn headline_vnd(minor: i128, lang: Lang) -> Headline {
    let exact = money(minor, Currency::VND, lang);
    let hundredths = |unit: i128| -> i128 {
        // minor / unit in hundredths, half away from zero, without overflow for any i128 sum.
        let q = minor / (unit / 100);
        let r = minor % (unit / 100);
        if r.unsigned_abs() * 2 >= (unit / 100).unsigned_abs() {
            q + minor.signum()
        } else {
            q
        }
    };
    let in_ty = hundredths(TY);
    let (value, unit) = if in_ty.abs() >= 100 {
        (in_ty, "ty")
    } else {
        let in_trieu = hundredths(TRIEU);
        if in_trieu.abs() >= 100_000 {
            (in_ty, "ty")
        } else if in_trieu.abs() >= 100 {
            (in_trieu, "trieu")
        } else {
            return Headline {
                short: exact.clone(),
                exact,
            };
        }
    };
    let (group, point) = separators(lang);
    let digits = format_parts(value, 2, group, point);
    let short = match (lang, unit) {
        (Lang::Vi, "ty") => format!("{digits}{NBSP}tỷ{NBSP}₫"),
        (Lang::Vi, _) => format!("{digits}{NBSP}triệu{NBSP}₫"),
        (Lang::En, "ty") => format!("VND{NBSP}{digits}{NBSP}billion"),
        (Lang::En, _) => format!("VND{NBSP}{digits}{NBSP}million"),
    };
    Headline { short, exact }
}

/// The name of a country from its ISO 3166 code: `Hoa Kỳ` / `United States`; a code the
/// product does not know is shown as it is.
#[must_use]
pub fn country(code: &str, lang: Lang) -> String {
    crate::domain::item::country_name(code, lang)
}

/// A counted noun from the i18n files: `<key>.one` for one (in English), `<key>.other`
/// otherwise, with `{n}` replaced by the number in `lang`'s grouping.
#[must_use]
pub fn count(lang: Lang, key: &str, n: i64) -> String {
    let form = if n == 1 { "one" } else { "other" };
    let text = super::i18n::text(lang, &format!("{key}.{form}"));
    let (group, point) = separators(lang);
    text.replace("{n}", &format_parts(n, 0, group, point))
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

/// Why a transaction has no converted amounts, in the reader's language, from the reason
/// stored beside it (see [`crate::domain::rate::Unconverted::parse`]): currency, dates and
/// the allowed age filled in. A reason this version cannot read says only that a usable rate
/// is missing.
#[must_use]
pub fn unconverted(reason: &str, lang: Lang) -> String {
    crate::domain::rate::Unconverted::parse(reason).map_or_else(
        || super::i18n::text(lang, "lang.unconverted.unknown").to_string(),
        |u| unconverted_reason(&u, lang),
    )
}

/// The reason a conversion is impossible, in the reader's language.
#[must_use]
pub fn unconverted_reason(u: &crate::domain::rate::Unconverted, lang: Lang) -> String {
    use crate::domain::rate::Unconverted;
    let t = |key: &str| super::i18n::text(lang, key);
    match u {
        Unconverted::NoRate { currency, date: d } => t("lang.unconverted.no_rate")
            .replace("{currency}", currency.code())
            .replace("{date}", &date(*d, lang)),
        Unconverted::Stale {
            currency,
            date: d,
            rate_date,
            max_age_days,
        } => t("lang.unconverted.stale")
            .replace("{currency}", currency.code())
            .replace("{date}", &date(*d, lang))
            .replace("{rate_date}", &date(*rate_date, lang))
            .replace("{days}", &max_age_days.to_string()),
        Unconverted::Overflow { .. } => t("lang.unconverted.overflow").to_string(),
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
            "1.234.567,89\u{a0}EUR"
        );
        assert_eq!(
            money(
                123_456_789,
                "EUR".parse::<Currency>().unwrap_or(Currency::USD),
                Lang::En
            ),
            "1,234,567.89\u{a0}EUR"
        );
        let d = NaiveDate::from_ymd_opt(2025, 7, 5).unwrap_or_default();
        assert_eq!(date(d, Lang::Vi), "05/07/2025");
        assert_eq!(share(3333, Lang::Vi), "33,33%");
        assert_eq!(share(6000, Lang::En), "60%");
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn money_keeps_its_unit_on_the_line() {
        assert_eq!(
            money(1_234_567, Currency::VND, Lang::Vi),
            "1.234.567\u{a0}₫"
        );
        assert_eq!(
            money(1_234_567, Currency::VND, Lang::En),
            "1,234,567\u{a0}VND"
        );
        assert_eq!(money(-500, Currency::USD, Lang::En), "-5.00\u{a0}USD");
        assert!(!money(7, Currency::VND, Lang::Vi).contains(' '));
    }

    #[test]
    fn rates_are_written_in_the_readers_notation_with_their_own_decimals() {
        assert_eq!(rate(dec("17359.98"), Lang::Vi), "17.359,98");
        assert_eq!(rate(dec("17359.98"), Lang::En), "17,359.98");
        assert_eq!(rate(dec("25450"), Lang::Vi), "25.450,00");
        assert_eq!(rate(dec("17260.6"), Lang::Vi), "17.260,60");
        assert_eq!(rate(dec("0.0393"), Lang::Vi), "0,0393");
        assert_eq!(rate(dec("1234567.5"), Lang::En), "1,234,567.50");
        assert_eq!(rate(dec("0.6576"), Lang::En), "0.6576");
    }

    #[test]
    fn percentages_have_two_decimals_rounded_half_away_from_zero() {
        assert_eq!(percent(dec("71.49"), Lang::Vi), "71,49\u{a0}%");
        assert_eq!(percent(dec("71.49"), Lang::En), "71.49%");
        assert_eq!(percent(dec("71.485"), Lang::En), "71.49%");
        assert_eq!(percent(dec("-3.125"), Lang::En), "-3.13%");
        assert_eq!(percent(dec("100"), Lang::Vi), "100,00\u{a0}%");
        assert_eq!(percent(dec("1234.5"), Lang::Vi), "1.234,50\u{a0}%");
    }

    #[test]
    fn headlines_read_in_ty_and_trieu_with_the_exact_amount_beside() {
        let h = headline_vnd(12_345_678_901, Lang::Vi);
        assert_eq!(h.short, "12,35\u{a0}tỷ\u{a0}₫");
        assert_eq!(h.exact, "12.345.678.901\u{a0}₫");
        assert_eq!(
            headline_vnd(12_345_678_901, Lang::En).short,
            "VND\u{a0}12.35\u{a0}billion"
        );
        assert_eq!(
            headline_vnd(345_600_000, Lang::Vi).short,
            "345,60\u{a0}triệu\u{a0}₫"
        );
        assert_eq!(
            headline_vnd(345_600_000, Lang::En).short,
            "VND\u{a0}345.60\u{a0}million"
        );
        // Rounding up to a thousand triệu reads as one tỷ.
        assert_eq!(
            headline_vnd(999_996_000, Lang::Vi).short,
            "1,00\u{a0}tỷ\u{a0}₫"
        );
        assert_eq!(
            headline_vnd(2_345_678_000_000, Lang::Vi).short,
            "2.345,68\u{a0}tỷ\u{a0}₫"
        );
        assert_eq!(
            headline_vnd(-1_500_000_000, Lang::En).short,
            "VND\u{a0}-1.50\u{a0}billion"
        );
        let small = headline_vnd(950_000, Lang::Vi);
        assert_eq!(small.short, "950.000\u{a0}₫");
        assert_eq!(small.short, small.exact);
    }

    #[test]
    fn countries_are_named_and_unknown_codes_shown_as_they_are() {
        assert_eq!(country("US", Lang::Vi), "Hoa Kỳ");
        assert_eq!(country("US", Lang::En), "United States");
        assert_eq!(country("KR", Lang::Vi), "Hàn Quốc");
        assert_eq!(country("ZZ", Lang::Vi), "ZZ");
        for code in [
            "AU", "CH", "DE", "FR", "GB", "JP", "KR", "NL", "NO", "SE", "US", "VN",
        ] {
            assert_ne!(country(code, Lang::Vi), code);
            assert_ne!(country(code, Lang::En), code);
        }
    }

    #[test]
    fn counted_nouns_come_from_the_i18n_files() {
        assert_eq!(
            count(Lang::En, "lang.count.disbursement", 1),
            "1 disbursement"
        );
        assert_eq!(
            count(Lang::En, "lang.count.disbursement", 12),
            "12 disbursements"
        );
        assert_eq!(
            count(Lang::Vi, "lang.count.disbursement", 1234),
            "1.234 khoản giải ngân"
        );
    }

    #[test]
    fn a_missing_rate_is_explained_in_the_readers_language() {
        let stale =
            "the latest AUD rate before 2026-09-14 is dated 2026-07-31, more than 31 days earlier";
        let vi = unconverted(stale, Lang::Vi);
        assert!(
            vi.contains("AUD") && vi.contains("14/09/2026") && vi.contains("31/07/2026"),
            "{vi}"
        );
        assert!(
            !vi.contains("the latest") && !vi.contains("rate before"),
            "{vi}"
        );
        let en = unconverted(stale, Lang::En);
        assert!(en.contains("2026-09-14") && en.contains("31 days"), "{en}");
        let none = unconverted("no AUD rate dated on or before 2026-09-14", Lang::Vi);
        assert!(
            none.contains("AUD") && none.contains("14/09/2026"),
            "{none}"
        );
        assert_eq!(
            unconverted("written by an older version", Lang::Vi),
            crate::web::pages::i18n::text(Lang::Vi, "lang.unconverted.unknown")
        );
    }
}
