//! The largest amount one transaction may carry, per currency, and the bounds on exchange rates
//! that follow from it, so that no accepted amount converted at any accepted rate can leave an
//! `i64` and no sum of accepted rows can overflow.
//!
//! The maximum is about USD 10 billion in every currency, in round figures: far above any aid
//! transaction (a whole province's annual foreign aid is a few hundred million USD), yet small
//! enough that a single mistyped amount cannot break the arithmetic. The bounds proved here:
//!
//! * one amount: at most 2.5·10^14 minor units (VND), so `|minor| < 2^63` with a wide margin;
//! * one converted amount: a rate is accepted only if `max_major × rate ≤ 10^18` for VND and
//!   `max_major × rate × 100 ≤ 10^18` for US cents, so after rounding half away from zero every
//!   converted value is at most `10^18 + 1 < 9.22·10^18 = i64::MAX`;
//! * sums: the database sums `amount / 10^9` and `amount % 10^9` separately; with `|amount| ≤
//!   10^18 + 1` each quotient is at most `10^9 + 1` and each remainder below `10^9`, so both sums
//!   stay within `i64` for up to 9.2·10^9 rows (more than the ledger will ever hold), and the
//!   exact total `q·10^9 + r` is rebuilt as `i128`.

use crate::domain::Currency;
use rust_decimal::Decimal;

/// The bound every converted amount stays under, in minor units of VND or US cents.
pub const MAX_CONVERTED_MINOR: i64 = 1_000_000_000_000_000_000;

/// The divisor the database splits money columns by before summing them (see the module note).
pub const SUM_SPLIT: i128 = 1_000_000_000;

/// The largest amount of one transaction in `currency`, in major units.
#[must_use]
pub fn max_major(currency: Currency) -> i64 {
    match currency.code() {
        "VND" => 250_000_000_000_000,
        "KRW" => 15_000_000_000_000,
        "JPY" => 1_500_000_000_000,
        "THB" | "TWD" => 500_000_000_000,
        "CNY" | "DKK" | "HKD" | "NOK" | "SEK" => 100_000_000_000,
        _ => 10_000_000_000,
    }
}

/// The largest amount of one transaction in `currency`, in minor units.
#[must_use]
pub fn max_minor(currency: Currency) -> i64 {
    max_major(currency).saturating_mul(10_i64.pow(currency.minor_units()))
}

/// The largest rate to VND a `currency` rate may carry.
#[must_use]
pub fn max_rate_to_vnd(currency: Currency) -> Decimal {
    Decimal::from(MAX_CONVERTED_MINOR) / Decimal::from(max_major(currency))
}

/// The largest rate to USD a `currency` rate may carry.
#[must_use]
pub fn max_rate_to_usd(currency: Currency) -> Decimal {
    Decimal::from(MAX_CONVERTED_MINOR / 100) / Decimal::from(max_major(currency))
}

/// Refuses an amount of `minor` units of `currency` above the maximum for one transaction,
/// naming `field` (for amounts that reach an action without passing the parser: CLI, import).
pub fn amount_field(field: &str, minor: i64, currency: Currency) -> crate::error::Result<()> {
    let max = max_minor(currency);
    if minor.unsigned_abs() > max.unsigned_abs() {
        return Err(crate::error::Error::invalid(
            field,
            "amount_above_maximum",
            format!(
                "{field} {} is above the maximum for one transaction, {}",
                crate::domain::Money::from_minor(minor, currency),
                crate::domain::Money::from_minor(max, currency)
            ),
        ));
    }
    Ok(())
}

/// Rebuilds an exact sum from the database's split sums (`SUM(x / 10^9)`, `SUM(x % 10^9)`).
#[must_use]
pub fn join_split(quotients: i64, remainders: i64) -> i128 {
    i128::from(quotients) * SUM_SPLIT + i128::from(remainders)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_maximum_and_rate_bound_keeps_conversions_inside_i64() {
        for c in Currency::all() {
            let max = max_minor(c);
            assert!(max > 0 && max <= 250_000_000_000_000, "{c}");
            let vnd = Decimal::from(max_major(c)) * max_rate_to_vnd(c);
            let cents = Decimal::from(max_major(c)) * max_rate_to_usd(c) * Decimal::from(100);
            assert!(vnd <= Decimal::from(MAX_CONVERTED_MINOR), "{c}: {vnd}");
            assert!(cents <= Decimal::from(MAX_CONVERTED_MINOR), "{c}: {cents}");
            // Real rates sit far below the bounds (GBP is about 35,000 đồng, 1.35 USD).
            if c != Currency::VND {
                assert!(max_rate_to_vnd(c) >= Decimal::from(50_000), "{c}");
            }
            assert!(max_rate_to_usd(c) >= Decimal::from(10), "{c}");
        }
    }

    #[test]
    fn split_sums_rebuild_the_exact_total() {
        let xs: [i64; 4] = [
            MAX_CONVERTED_MINOR + 1,
            -999_999_999,
            1_999_999_999,
            -(10_i64.pow(18)),
        ];
        let q: i64 = xs.iter().map(|x| x / 1_000_000_000).sum();
        let r: i64 = xs.iter().map(|x| x % 1_000_000_000).sum();
        let exact: i128 = xs.iter().map(|&x| i128::from(x)).sum();
        assert_eq!(join_split(q, r), exact);
    }
}
