//! Converting money rows with the rate table: on entry, and again for every row a new or
//! corrected rate can affect.

use crate::db::ledger::{self, Conversion, MoneyTable};
use crate::db::{Tx, rates};
use crate::domain::rate::{self, Converted, Unconverted};
use crate::domain::{Currency, Money};
use crate::error::Result;
use chrono::{Duration, NaiveDate};

/// Converts one amount dated `date` with the latest usable rate, or says why it cannot.
pub async fn convert_at(
    tx: &mut Tx,
    amount: Money,
    date: NaiveDate,
    max_age_days: u32,
) -> Result<std::result::Result<Converted, Unconverted>> {
    let latest = rates::latest_rate_on_or_before(tx, amount.currency(), date).await?;
    let candidates: Vec<_> = latest.into_iter().collect();
    Ok(
        rate::pick_rate(&candidates, amount.currency(), date, max_age_days)
            .and_then(|r| rate::convert(amount, r)),
    )
}

/// Re-converts every commitment and disbursement in `currency` that a rate dated `date` can
/// affect (those dated from `date` to `date + max_age_days`). Returns how many rows changed.
/// Refuses (`period_locked`) if any row that would change is dated inside a locked period.
pub async fn reconvert(
    tx: &mut Tx,
    currency: Currency,
    date: NaiveDate,
    max_age_days: u32,
) -> Result<u64> {
    let window = Duration::days(i64::from(max_age_days));
    let rates = rates::current_rates_between(tx, currency, date - window, date + window).await?;
    let mut changed = 0_u64;
    for table in [MoneyTable::Commitment, MoneyTable::Disbursement] {
        let rows = ledger::rows_to_convert(tx, table, currency, date, date + window).await?;
        for row in rows {
            let amount = Money::from_minor(row.amount_minor, row.currency);
            let fresh = rate::pick_rate(&rates, currency, row.date, max_age_days)
                .and_then(|r| rate::convert(amount, r));
            let conv = Conversion::from(&fresh);
            if conv != row.conversion {
                // A rate may not move a figure of a locked period: the error aborts the
                // caller's transaction, so the rate entry is refused as a whole.
                let what = format!(
                    "{} {}, whose conversion this rate would change,",
                    table.name(),
                    row.id
                );
                super::periods::ensure_open(tx, row.date, &what).await?;
                ledger::set_conversion(tx, table, row.id, &conv).await?;
                changed += 1;
            }
        }
    }
    Ok(changed)
}
