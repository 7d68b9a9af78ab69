//! Monthly exchange rates of the demo, 1 January 2019 to 1 November 2026, for the six
//! currencies the demo's aid arrives in: USD, VND, EUR, KRW, JPY and AUD.
//!
//! Each series follows a few anchor points shaped like the real market (the đồng near 23,000
//! per dollar in 2020–22, the 2022 spike, 25,000–26,400 in 2024–26), interpolated with
//! integers and given a little seeded noise. Every rate is computed as a `rust_decimal`
//! against the month's USD/VND rate, so the VND and USD factors of one currency are always
//! consistent, and written out with at most 12 decimals. One gap is left on purpose: there
//! are no AUD rates for September and October 2026, so an AUD disbursement dated 15 October
//! 2026 stays unconverted and the app has something to flag.

use super::rng::Rng;
use crate::actions::rates::{RateCmd, enter_rate_in};
use crate::actions::{Actor, Ctx};
use crate::db::Tx;
use crate::domain::Currency;
use crate::domain::rate::{Rate, RateValue};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rust_decimal::Decimal;

pub const FIRST_YEAR: i32 = 2019;
/// Months from January 2019 to November 2026 inclusive.
pub const MONTHS: i64 = 95;
/// The deliberate gap: AUD rates missing for these (year, month) pairs.
pub const AUD_GAP: [(i32, u32); 2] = [(2026, 9), (2026, 10)];

const SOURCE_CENTRAL: &str = "Ngân hàng Nhà nước Việt Nam (tỷ giá trung tâm)";
const SOURCE_CROSS: &str = "Ngân hàng Nhà nước Việt Nam (tỷ giá tính chéo)";

/// An anchor: month index (0 = January 2019), VND per USD, USD per EUR ×10⁴, USD per AUD
/// ×10⁴, KRW per USD, JPY per USD ×100.
type Anchor = (i64, i64, i64, i64, i64, i64);

const ANCHORS: &[Anchor] = &[
    (0, 23_200, 11_450, 7_150, 1_120, 10_900),
    (11, 23_170, 11_150, 6_900, 1_160, 10_900),
    (14, 23_450, 11_000, 6_100, 1_230, 10_800),
    (23, 23_080, 12_150, 7_600, 1_090, 10_350),
    (35, 22_850, 11_300, 7_200, 1_185, 11_500),
    (41, 23_250, 10_500, 6_900, 1_290, 13_500),
    (45, 24_870, 9_800, 6_400, 1_420, 14_800),
    (48, 23_450, 10_800, 6_900, 1_240, 13_000),
    (58, 24_300, 10_900, 6_550, 1_300, 14_900),
    (63, 25_250, 10_700, 6_550, 1_370, 15_400),
    (66, 25_400, 10_850, 6_700, 1_380, 16_100),
    (71, 25_450, 10_400, 6_250, 1_460, 15_300),
    (77, 26_050, 11_500, 6_500, 1_370, 14_500),
    (81, 26_300, 11_650, 6_550, 1_420, 15_100),
    (87, 26_250, 11_700, 6_600, 1_430, 15_600),
    (94, 26_400, 11_600, 6_600, 1_400, 15_400),
];

/// One month's rates as entered: currency, date, to VND, to USD.
pub type MonthRate = (Currency, NaiveDate, RateValue, RateValue);

fn interpolate(m: i64, pick: fn(&Anchor) -> i64) -> i64 {
    let mut prev = &ANCHORS[0];
    for a in ANCHORS {
        if a.0 >= m {
            if a.0 == prev.0 {
                return pick(a);
            }
            let (x0, y0, x1, y1) = (prev.0, pick(prev), a.0, pick(a));
            return y0 + (y1 - y0) * (m - x0) / (x1 - x0);
        }
        prev = a;
    }
    pick(prev)
}

fn value(d: Decimal) -> Result<RateValue> {
    let text = d.round_dp(12).normalize().to_string();
    text.parse()
        .map_err(|e| Error::Internal(format!("demo rate {text}: {e}")))
}

fn currency(code: &str) -> Result<Currency> {
    code.parse()
        .map_err(|e| Error::Internal(format!("demo currency {code}: {e}")))
}

/// Every rate of the demo, ordered by date then currency.
pub fn monthly() -> Result<Vec<MonthRate>> {
    let mut rng = Rng::stream("rates");
    let (eur, krw, jpy, aud) = (
        currency("EUR")?,
        currency("KRW")?,
        currency("JPY")?,
        currency("AUD")?,
    );
    let mut out = Vec::new();
    for m in 0..MONTHS {
        let year = FIRST_YEAR + i32::try_from(m / 12).unwrap_or(0);
        let month = u32::try_from(m % 12).unwrap_or(0) + 1;
        let date = NaiveDate::from_ymd_opt(year, month, 1)
            .ok_or_else(|| Error::Internal(format!("demo rate date {year}-{month}")))?;
        let usd_vnd = Decimal::from(interpolate(m, |a| a.1) + rng.range(-30, 30));
        let eur_usd = Decimal::new(interpolate(m, |a| a.2) + rng.range(-60, 60), 4);
        let aud_usd = Decimal::new(interpolate(m, |a| a.3) + rng.range(-50, 50), 4);
        let usd_krw = Decimal::from(interpolate(m, |a| a.4) + rng.range(-8, 8));
        let usd_jpy = Decimal::new(interpolate(m, |a| a.5) + rng.range(-80, 80), 2);
        let one = Decimal::ONE;
        out.push((Currency::USD, date, value(usd_vnd)?, RateValue::one()));
        out.push((Currency::VND, date, RateValue::one(), value(one / usd_vnd)?));
        out.push((
            eur,
            date,
            value((usd_vnd * eur_usd).round_dp(2))?,
            value(eur_usd)?,
        ));
        // KRW and JPY are quoted in VND (two decimals); their USD factor follows from it.
        let krw_vnd = (usd_vnd / usd_krw).round_dp(2);
        out.push((krw, date, value(krw_vnd)?, value(krw_vnd / usd_vnd)?));
        let jpy_vnd = (usd_vnd / usd_jpy).round_dp(2);
        out.push((jpy, date, value(jpy_vnd)?, value(jpy_vnd / usd_vnd)?));
        if !AUD_GAP.contains(&(year, month)) {
            out.push((
                aud,
                date,
                value((usd_vnd * aud_usd).round_dp(2))?,
                value(aud_usd)?,
            ));
        }
    }
    Ok(out)
}

/// Enters every rate through the audited action and returns them with their ids. Runs before
/// any money row exists, so the re-conversion each entry triggers finds nothing to do.
pub async fn insert(
    tx: &mut Tx,
    ctx: &Ctx,
    actor: &Actor,
    rates: &[MonthRate],
) -> Result<Vec<Rate>> {
    let mut out = Vec::with_capacity(rates.len());
    for (cur, date, to_vnd, to_usd) in rates {
        let source = if matches!(*cur, Currency::USD | Currency::VND) {
            SOURCE_CENTRAL
        } else {
            SOURCE_CROSS
        };
        let cmd = RateCmd {
            currency: *cur,
            date: *date,
            to_vnd: *to_vnd,
            to_usd: *to_usd,
            source: source.to_string(),
        };
        let done = enter_rate_in(tx, actor, &cmd, ctx.config.rate_max_age_days).await?;
        out.push(Rate {
            id: done.id,
            currency: *cur,
            date: *date,
            to_vnd: *to_vnd,
            to_usd: *to_usd,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn rates_are_plausible_and_consistent() {
        let rates = monthly().unwrap();
        assert_eq!(rates.len(), 95 * 6 - 2);
        for (cur, date, to_vnd, to_usd) in &rates {
            Rate::validate(*cur, *to_vnd, *to_usd).unwrap();
            let usd = rates
                .iter()
                .find(|r| r.0 == Currency::USD && r.1 == *date)
                .unwrap();
            let cross = to_vnd.value() / usd.2.value();
            assert!(
                (cross - to_usd.value()).abs() < Decimal::new(1, 4),
                "{cur} {date}"
            );
            let v = to_vnd.value();
            let (lo, hi) = match cur.code() {
                "USD" => (22_500, 26_600),
                "KRW" => (16, 22),
                "JPY" => (150, 225),
                "EUR" => (23_000, 31_500),
                "AUD" => (14_000, 18_500),
                _ => (1, 1),
            };
            assert!(
                v >= Decimal::from(lo) && v <= Decimal::from(hi),
                "{cur} {date} {v}"
            );
        }
    }
}
