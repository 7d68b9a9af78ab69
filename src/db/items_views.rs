//! Reads for the items pages that the other modules do not already offer.

use super::{Tx, on};
use crate::error::Result;
use chrono::NaiveDate;

/// The ids of items with a commitment or a disbursement dated from `from` to `to` inclusive.
pub async fn items_with_money_between(
    tx: &mut Tx,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<i64>> {
    const SQL: &str = "SELECT item_id FROM commitment WHERE commitment_date >= $1 AND commitment_date <= $2 \
                       UNION SELECT item_id FROM disbursement WHERE value_date >= $1 AND value_date <= $2";
    Ok(on!(tx, c => sqlx::query_scalar(SQL).bind(from).bind(to).fetch_all(&mut *c).await)?)
}
