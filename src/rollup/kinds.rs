//! Cancellations of commitments per item, so tables can show them in their own column instead
//! of letting them turn a group's commitment negative. Rows are read one by one and summed
//! here in `i128`, so no database sum can overflow.

use super::sums::{ItemSum, Window, reform_date};
use crate::db::{Tx, on};
use crate::error::{Error, Result};
use std::collections::BTreeMap;

/// Converted cancellation rows dated in `window`, summed per item and side of the reform
/// date; amounts are negative, as stored.
pub async fn cancellations(tx: &mut Tx, window: Window) -> Result<Vec<ItemSum>> {
    const SQL: &str = "SELECT item_id, commitment_date, amount_vnd, amount_usd_cents FROM commitment \
        WHERE kind = 'cancellation' AND rate_id IS NOT NULL AND commitment_date >= $1 AND commitment_date <= $2 \
        ORDER BY item_id, commitment_date, id";
    let rows: Vec<(i64, chrono::NaiveDate, Option<i64>, Option<i64>)> = on!(tx, c => sqlx::query_as(SQL).bind(window.from).bind(window.to).fetch_all(&mut *c).await)?;
    let overflow = || Error::conflict("overflow", "a total is too large to hold exactly");
    let mut acc: BTreeMap<(i64, bool), (i128, i128, i64)> = BTreeMap::new();
    for (item, date, vnd, usd) in rows {
        let e = acc.entry((item, date >= reform_date())).or_default();
        e.0 =
            e.0.checked_add(i128::from(vnd.unwrap_or(0)))
                .ok_or_else(overflow)?;
        e.1 =
            e.1.checked_add(i128::from(usd.unwrap_or(0)))
                .ok_or_else(overflow)?;
        e.2 += 1;
    }
    Ok(acc
        .into_iter()
        .map(
            |((item_id, after_reform), (vnd, usd_cents, rows))| ItemSum {
                item_id,
                after_reform,
                vnd,
                usd_cents,
                rows,
            },
        )
        .collect())
}

/// `all` less `part`, matched by item and side of the reform date (commitments without their
/// cancellations).
#[must_use]
pub fn without(all: &[ItemSum], part: &[ItemSum]) -> Vec<ItemSum> {
    all.iter()
        .map(|s| {
            let mut s = s.clone();
            for p in part
                .iter()
                .filter(|p| p.item_id == s.item_id && p.after_reform == s.after_reform)
            {
                s.vnd -= p.vnd;
                s.usd_cents -= p.usd_cents;
                s.rows -= p.rows;
            }
            s
        })
        .collect()
}

/// The same sums as if dated after the reform, so every locality follows the July 2025
/// successor mapping: one row per current unit whatever the date of the money.
#[must_use]
pub fn as_current_units(sums: &[ItemSum]) -> Vec<ItemSum> {
    sums.iter()
        .map(|s| ItemSum {
            after_reform: true,
            ..s.clone()
        })
        .collect()
}
