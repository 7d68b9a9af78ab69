//! Exchange rates and conversion into the two reporting currencies, VND and USD.
//!
//! The rules the international systems get wrong are made impossible here: there is no default
//! rate, a transaction only ever uses the latest rate dated on or before its value date and no
//! older than the staleness window, and the converted amount is rounded once, half away from
//! zero, to the reporting currency's minor unit. Everything is `rust_decimal`; no floats.
#![deny(clippy::float_arithmetic, clippy::cast_precision_loss)]

use super::{Currency, Money};
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

/// The most decimal places a rate may carry (VND→USD needs about nine significant decimals).
pub const MAX_RATE_DECIMALS: usize = 12;
const MAX_RATE_INTEGER_DIGITS: usize = 9;

/// A positive exchange-rate factor, parsed strictly (no exponent, no separators, no sign).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RateValue(Decimal);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateError {
    #[error("rate \"{0}\" is not a plain decimal number such as 25410 or 0.0000393")]
    Malformed(String),
    #[error("rate \"{0}\" must be greater than zero")]
    NotPositive(String),
    #[error("rate \"{0}\" has more than {max} decimal places", max = MAX_RATE_DECIMALS)]
    TooPrecise(String),
    #[error("rate \"{0}\" is implausibly large (more than {max} digits before the decimal point)", max = MAX_RATE_INTEGER_DIGITS)]
    TooLarge(String),
    #[error("a {0} rate to {0} is 1 by definition; enter {1}")]
    Identity(Currency, &'static str),
    #[error(
        "a {currency} rate to {target} may be at most {max}: at a larger rate the largest {currency} transaction could not be converted exactly"
    )]
    AboveMaximum {
        currency: Currency,
        target: &'static str,
        max: String,
    },
}

impl RateValue {
    #[must_use]
    pub fn value(self) -> Decimal {
        self.0
    }

    #[must_use]
    pub fn one() -> Self {
        RateValue(Decimal::ONE)
    }

    /// The canonical text stored in the database: no trailing zeros.
    #[must_use]
    pub fn canonical(self) -> String {
        self.0.normalize().to_string()
    }
}

impl serde::Serialize for RateValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.canonical())
    }
}

impl FromStr for RateValue {
    type Err = RateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let shown: String = s.chars().take(30).collect();
        let (i, f) = s.split_once('.').unwrap_or((s, ""));
        let digits_ok = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        let grammar = !i.is_empty()
            && digits_ok(i)
            && digits_ok(f)
            && (i == "0" || !i.starts_with('0'))
            && (!s.contains('.') || !f.is_empty());
        if !grammar {
            return Err(if s.starts_with('-') {
                RateError::NotPositive(shown)
            } else {
                RateError::Malformed(shown)
            });
        }
        if f.len() > MAX_RATE_DECIMALS {
            return Err(RateError::TooPrecise(shown));
        }
        if i.len() > MAX_RATE_INTEGER_DIGITS {
            return Err(RateError::TooLarge(shown));
        }
        let d = Decimal::from_str_exact(s).map_err(|_| RateError::Malformed(shown.clone()))?;
        if d <= Decimal::ZERO {
            return Err(RateError::NotPositive(shown));
        }
        Ok(RateValue(d))
    }
}

/// One dated rate for a currency: how many VND and how many USD one unit is worth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rate {
    pub id: i64,
    pub currency: Currency,
    pub date: NaiveDate,
    pub to_vnd: RateValue,
    pub to_usd: RateValue,
}

impl Rate {
    /// Checks that identity rates are exactly 1 (a VND rate to VND, a USD rate to USD) and that
    /// both rates are within the bounds that keep every conversion exact
    /// ([`super::money::limits`]).
    pub fn validate(
        currency: Currency,
        to_vnd: RateValue,
        to_usd: RateValue,
    ) -> Result<(), RateError> {
        if currency == Currency::VND && to_vnd != RateValue::one() {
            return Err(RateError::Identity(currency, "only the rate to USD"));
        }
        if currency == Currency::USD && to_usd != RateValue::one() {
            return Err(RateError::Identity(currency, "only the rate to VND"));
        }
        use super::money::limits::{max_rate_to_usd, max_rate_to_vnd};
        for (value, max, target) in [
            (to_vnd, max_rate_to_vnd(currency), "VND"),
            (to_usd, max_rate_to_usd(currency), "USD"),
        ] {
            if value.value() > max {
                return Err(RateError::AboveMaximum {
                    currency,
                    target,
                    max: max.normalize().to_string(),
                });
            }
        }
        Ok(())
    }
}

/// The result of converting one transaction: exact integers in both reporting currencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Converted {
    pub rate_id: i64,
    /// Whole đồng.
    pub vnd: i64,
    /// US cents.
    pub usd_cents: i64,
}

/// Why a transaction could not be converted; stored beside it and shown to the reviewer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unconverted {
    #[error("no {currency} rate dated on or before {date}")]
    NoRate { currency: Currency, date: NaiveDate },
    #[error(
        "the latest {currency} rate before {date} is dated {rate_date}, more than {max_age_days} days earlier"
    )]
    Stale {
        currency: Currency,
        date: NaiveDate,
        rate_date: NaiveDate,
        max_age_days: u32,
    },
    #[error("the converted value of {amount} is too large to store")]
    Overflow { amount: String },
}

impl Unconverted {
    /// Reads back a reason stored as text (its `Display` form), so pages can word it in the
    /// reader's language while the API keeps the English sentence. `None` for text this
    /// version did not write.
    #[must_use]
    pub fn parse(text: &str) -> Option<Unconverted> {
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        if let Some(rest) = text.strip_prefix("no ") {
            let (cur, d) = rest.split_once(" rate dated on or before ")?;
            return Some(Unconverted::NoRate {
                currency: cur.parse().ok()?,
                date: date(d)?,
            });
        }
        if let Some(rest) = text.strip_prefix("the latest ") {
            let (cur, rest) = rest.split_once(" rate before ")?;
            let (d, rest) = rest.split_once(" is dated ")?;
            let (rd, rest) = rest.split_once(", more than ")?;
            let days = rest.strip_suffix(" days earlier")?;
            return Some(Unconverted::Stale {
                currency: cur.parse().ok()?,
                date: date(d)?,
                rate_date: date(rd)?,
                max_age_days: days.parse().ok()?,
            });
        }
        let amount = text
            .strip_prefix("the converted value of ")?
            .strip_suffix(" is too large to store")?;
        Some(Unconverted::Overflow {
            amount: amount.to_string(),
        })
    }
}

/// Chooses the rate for a transaction on `date`: the latest one dated on or before it, if it
/// is at most `max_age_days` old. `rates` may be in any order and hold any currency's rates.
pub fn pick_rate(
    rates: &[Rate],
    currency: Currency,
    date: NaiveDate,
    max_age_days: u32,
) -> Result<&Rate, Unconverted> {
    let best = rates
        .iter()
        .filter(|r| r.currency == currency && r.date <= date)
        .max_by_key(|r| r.date);
    match best {
        None => Err(Unconverted::NoRate { currency, date }),
        Some(r) if (date - r.date).num_days() > i64::from(max_age_days) => {
            Err(Unconverted::Stale {
                currency,
                date,
                rate_date: r.date,
                max_age_days,
            })
        }
        Some(r) => Ok(r),
    }
}

/// Converts `amount` with `rate`, rounding each result once, half away from zero.
pub fn convert(amount: Money, rate: &Rate) -> Result<Converted, Unconverted> {
    let overflow = || Unconverted::Overflow {
        amount: amount.to_string(),
    };
    let major = amount.to_decimal();
    let vnd = round_to_minor(
        major
            .checked_mul(rate.to_vnd.value())
            .ok_or_else(overflow)?,
        0,
    )
    .ok_or_else(overflow)?;
    let usd_cents = round_to_minor(
        major
            .checked_mul(rate.to_usd.value())
            .ok_or_else(overflow)?,
        2,
    )
    .ok_or_else(overflow)?;
    Ok(Converted {
        rate_id: rate.id,
        vnd,
        usd_cents,
    })
}

/// The one rounding rule of the ledger: half away from zero, to `minor_units` decimals,
/// returned as an integer count of minor units (`None` if it does not fit an `i64`).
#[must_use]
pub fn round_to_minor(value: Decimal, minor_units: u32) -> Option<i64> {
    let rounded = value.round_dp_with_strategy(minor_units, RoundingStrategy::MidpointAwayFromZero);
    let scaled = rounded.checked_mul(Decimal::from(10_i64.pow(minor_units)))?;
    i64::try_from(scaled.trunc()).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn rate(id: i64, cur: Currency, date: &str, to_vnd: &str, to_usd: &str) -> Rate {
        Rate {
            id,
            currency: cur,
            date: d(date),
            to_vnd: to_vnd.parse().unwrap(),
            to_usd: to_usd.parse().unwrap(),
        }
    }
    fn eur() -> Currency {
        "EUR".parse().unwrap()
    }

    #[test]
    fn rate_text_is_strict() {
        assert!("25410".parse::<RateValue>().is_ok());
        assert!("0.0000393".parse::<RateValue>().is_ok());
        for bad in [
            "",
            "1e3",
            "-1",
            "0",
            "0.000",
            "1,5",
            " 1",
            "+2",
            "1.",
            ".5",
            "01",
            "NaN",
            "1.0000000000001",
        ] {
            assert!(bad.parse::<RateValue>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn picks_latest_rate_on_or_before_and_never_a_later_one() {
        let rates = vec![
            rate(1, eur(), "2025-01-01", "27000", "1.05"),
            rate(2, eur(), "2025-02-01", "27500", "1.06"),
            rate(3, eur(), "2025-03-01", "28000", "1.08"),
        ];
        assert_eq!(pick_rate(&rates, eur(), d("2025-02-15"), 31).unwrap().id, 2);
        assert_eq!(pick_rate(&rates, eur(), d("2025-02-01"), 31).unwrap().id, 2);
        assert!(matches!(
            pick_rate(&rates, eur(), d("2024-12-31"), 31),
            Err(Unconverted::NoRate { .. })
        ));
        assert!(matches!(
            pick_rate(&rates, eur(), d("2025-05-01"), 31),
            Err(Unconverted::Stale { .. })
        ));
        assert!(matches!(
            pick_rate(&rates, Currency::USD, d("2025-02-15"), 31),
            Err(Unconverted::NoRate { .. })
        ));
    }

    #[test]
    fn converts_and_rounds_half_away_from_zero() {
        let r = rate(7, eur(), "2025-01-01", "27000.5", "1.005");
        let c = convert(Money::from_minor(1, eur()), &r).unwrap(); // 0.01 EUR
        assert_eq!(c.vnd, 270); // 270.005 → 270
        assert_eq!(c.usd_cents, 1); // 0.01005 → 0.01
        let c = convert(Money::from_minor(-100, eur()), &r).unwrap(); // -1 EUR
        assert_eq!(c.vnd, -27001); // -27000.5 → -27001
        assert_eq!(c.usd_cents, -101); // -1.005 → -1.01
        assert_eq!(c.rate_id, 7);
    }

    #[test]
    fn identity_rates_must_be_one() {
        assert!(
            Rate::validate(
                Currency::VND,
                "2".parse().unwrap(),
                "0.00004".parse().unwrap()
            )
            .is_err()
        );
        assert!(
            Rate::validate(
                Currency::USD,
                "25000".parse().unwrap(),
                "1.01".parse().unwrap()
            )
            .is_err()
        );
        assert!(
            Rate::validate(
                Currency::USD,
                "25000".parse().unwrap(),
                "1".parse().unwrap()
            )
            .is_ok()
        );
    }

    proptest! {
        #[test]
        fn conversion_never_uses_a_later_or_missing_rate(
            days in proptest::collection::vec(0_i64..400, 0..12),
            tx_day in 0_i64..400,
            max_age in 0_u32..60,
        ) {
            let base = d("2024-01-01");
            let rates: Vec<Rate> = days.iter().enumerate().map(|(i, &k)| Rate {
                id: i64::try_from(i).unwrap(), currency: eur(), date: base + chrono::Duration::days(k),
                to_vnd: "27000".parse().unwrap(), to_usd: "1.1".parse().unwrap(),
            }).collect();
            let date = base + chrono::Duration::days(tx_day);
            match pick_rate(&rates, eur(), date, max_age) {
                Ok(r) => {
                    prop_assert!(r.date <= date);
                    prop_assert!((date - r.date).num_days() <= i64::from(max_age));
                    prop_assert!(rates.iter().all(|o| o.date > date || o.date <= r.date));
                }
                Err(Unconverted::NoRate { .. }) => prop_assert!(rates.iter().all(|o| o.date > date)),
                Err(Unconverted::Stale { rate_date, .. }) => {
                    prop_assert!((date - rate_date).num_days() > i64::from(max_age));
                    prop_assert!(rates.iter().all(|o| o.date > date || o.date <= rate_date));
                }
                Err(Unconverted::Overflow { .. }) => prop_assert!(false),
            }
        }

        #[test]
        fn conversion_is_within_half_a_minor_unit(minor in -10_000_000_000_i64..10_000_000_000, vnd in 1_u32..40_000) {
            let r = Rate { id: 1, currency: eur(), date: d("2025-01-01"), to_vnd: vnd.to_string().parse().unwrap(), to_usd: "1.0837".parse().unwrap() };
            let c = convert(Money::from_minor(minor, eur()), &r).unwrap();
            let exact = Decimal::new(minor, 2) * Decimal::from(vnd);
            prop_assert!((Decimal::from(c.vnd) - exact).abs() <= Decimal::new(5, 1));
        }
    }

    #[test]
    fn every_reason_reads_back_from_its_stored_text() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
        let aud: Currency = "AUD".parse().unwrap_or(Currency::USD);
        for reason in [
            Unconverted::NoRate {
                currency: aud,
                date: d(2026, 9, 14),
            },
            Unconverted::Stale {
                currency: aud,
                date: d(2026, 9, 14),
                rate_date: d(2026, 7, 31),
                max_age_days: 31,
            },
            Unconverted::Overflow {
                amount: "99999999999999.00 USD".to_string(),
            },
        ] {
            assert_eq!(Unconverted::parse(&reason.to_string()), Some(reason));
        }
        assert_eq!(Unconverted::parse("something else"), None);
        assert_eq!(
            Unconverted::parse("no XYZ rate dated on or before 2026-01-01"),
            None
        );
    }
}
