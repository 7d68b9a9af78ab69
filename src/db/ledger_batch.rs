//! New disbursements inserted many to a statement, for imports of thousands of rows. The rows
//! arrive checked (by `actions::ledger_batch`, with the same rules as the one-row path);
//! this module only stores them and says which id each got.

use super::ledger::{Conversion, NewDisbursement};
use super::{Tx, on, placeholders};
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};

/// Inserts `rows` in order and returns their ids in the same order. Ids come back sorted:
/// both engines number the rows of one INSERT in the order of its VALUES, whatever order
/// RETURNING lists them in.
pub async fn insert_disbursements(
    tx: &mut Tx,
    rows: &[(NewDisbursement, Conversion)],
    at: DateTime<Utc>,
) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(super::rows_per_statement(tx, 16)) {
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO disbursement (item_id, amount_minor, currency, value_date, tranche, milestone_id, reverses_id, status, \
             entered_by, verified_by, verified_at, created_at, rate_id, amount_vnd, amount_usd_cents, unconverted_reason) \
             VALUES {} RETURNING id",
            placeholders(chunk.len(), 16)
        ));
        let mut got: Vec<i64> = on!(tx, c => {
            let mut q = sqlx::query_scalar(sql);
            for (d, conv) in chunk {
                q = q.bind(d.item_id).bind(d.amount_minor).bind(d.currency).bind(d.value_date)
                    .bind(d.tranche).bind(d.milestone_id).bind(d.reverses_id).bind(d.status)
                    .bind(d.entered_by).bind(d.verified_by).bind(d.verified_at).bind(at)
                    .bind(conv.rate_id).bind(conv.amount_vnd).bind(conv.amount_usd_cents)
                    .bind(&conv.unconverted_reason);
            }
            q.fetch_all(&mut *c).await
        })?;
        if got.len() != chunk.len() {
            return Err(Error::Internal(format!(
                "{} disbursements inserted but {} ids returned",
                chunk.len(),
                got.len()
            )));
        }
        got.sort_unstable();
        ids.extend(got);
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_number_rows_then_columns() {
        assert_eq!(placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(placeholders(1, 1), "($1)");
    }
}
