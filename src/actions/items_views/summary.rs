//! What an item has come to, in the four figures a list row and the item page open with:
//! committed, disbursed (verified), remaining and the disbursement rate. The sums are the
//! report's own ([`crate::rollup::sums::item_sums`] over all dates) and the rate is
//! [`crate::rollup::measures::rate_of`], so a page never states a figure the report would
//! state differently. Rows without an exchange rate are left out, as the report leaves them
//! out, and counted so the page can say so.

use crate::db::Tx;
use crate::db::ledger::{Commitment, Disbursement};
use crate::domain::item::DisbursementStatus;
use crate::error::Result;
use crate::rollup::figures::Pair;
use crate::rollup::measures::{Ratio, rate_of};
use crate::rollup::sums::{Flow, ItemSum, Window, item_sums, to_date_of_items};
use std::collections::HashMap;

/// One item's money to date, on both bases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ItemMoney {
    pub committed: Pair,
    pub disbursed: Pair,
    /// Commitments and submitted or verified disbursements without a usable rate (left out
    /// of the figures above until a rate is entered). Counted by [`ItemMoney::of_rows`]
    /// only; [`money_by_item`] leaves it at 0.
    pub unconverted: usize,
}

impl ItemMoney {
    /// Committed less disbursed; negative when more was disbursed than committed.
    #[must_use]
    pub fn remaining(&self) -> Pair {
        Pair {
            vnd: self.committed.vnd - self.disbursed.vnd,
            usd_cents: self.committed.usd_cents - self.disbursed.usd_cents,
        }
    }

    /// The disbursement rate as the report defines it (USD basis).
    #[must_use]
    pub fn rate(&self) -> Ratio {
        rate_of(self.disbursed, self.committed)
    }

    /// The figures of one item from its rows as [`super::item_view`] loads them: every
    /// converted commitment, and verified disbursements (reversals are verified negative
    /// rows, so the sum is net of them).
    #[must_use]
    pub fn of_rows(commitments: &[Commitment], disbursements: &[Disbursement]) -> ItemMoney {
        let mut m = ItemMoney::default();
        for c in commitments {
            match (c.conversion.amount_vnd, c.conversion.amount_usd_cents) {
                (Some(vnd), Some(usd)) if c.conversion.rate_id.is_some() => {
                    m.committed.vnd += i128::from(vnd);
                    m.committed.usd_cents += i128::from(usd);
                }
                _ => m.unconverted += 1,
            }
        }
        for d in disbursements {
            let counted = matches!(
                d.status,
                DisbursementStatus::Verified | DisbursementStatus::Submitted
            );
            let converted = d.conversion.rate_id.is_some();
            match (d.conversion.amount_vnd, d.conversion.amount_usd_cents) {
                (Some(vnd), Some(usd)) if converted && d.status == DisbursementStatus::Verified => {
                    m.disbursed.vnd += i128::from(vnd);
                    m.disbursed.usd_cents += i128::from(usd);
                }
                (Some(_), Some(_)) if converted => {}
                _ if counted => m.unconverted += 1,
                _ => {}
            }
        }
        m
    }
}

/// Committed and disbursed to date of every item that has any, by item id: two grouped
/// queries whatever the number of items (items without money are absent: all zero).
pub async fn money_by_item(tx: &mut Tx) -> Result<HashMap<i64, ItemMoney>> {
    let committed = item_sums(tx, Flow::Committed, Window::ever()).await?;
    let disbursed = item_sums(tx, Flow::Disbursed, Window::ever()).await?;
    Ok(by_item(committed, disbursed))
}

/// [`money_by_item`] for the items `ids` only (a page of the list).
pub async fn money_of_items(tx: &mut Tx, ids: &[i64]) -> Result<HashMap<i64, ItemMoney>> {
    let to = Window::ever().to;
    let committed = to_date_of_items(tx, Flow::Committed, ids, to).await?;
    let disbursed = to_date_of_items(tx, Flow::Disbursed, ids, to).await?;
    Ok(by_item(committed, disbursed))
}

fn by_item(committed: Vec<ItemSum>, disbursed: Vec<ItemSum>) -> HashMap<i64, ItemMoney> {
    let mut out: HashMap<i64, ItemMoney> = HashMap::new();
    for s in committed {
        let m = out.entry(s.item_id).or_default();
        m.committed.vnd += s.vnd;
        m.committed.usd_cents += s.usd_cents;
    }
    for s in disbursed {
        let m = out.entry(s.item_id).or_default();
        m.disbursed.vnd += s.vnd;
        m.disbursed.usd_cents += s.usd_cents;
    }
    out
}
