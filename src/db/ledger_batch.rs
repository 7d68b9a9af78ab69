//! New disbursements inserted many to a statement, for imports of thousands of rows. The rows
//! arrive checked (by `actions::ledger_batch`, with the same rules as the one-row path);
//! this module numbers and stores them.

use super::ledger::{Conversion, NewDisbursement};
use super::{Tx, placeholders};
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};

/// Takes `n` new disbursement ids, in increasing order. The caller holds the write lock
/// (`Store::write`), so no other writer takes ids meanwhile: on SQLite they follow the
/// highest stored id, as SQLite would number the rows itself; on PostgreSQL they come from
/// the table's identity sequence, so later rows numbered by the database never collide.
pub async fn reserve_ids(tx: &mut Tx, n: usize) -> Result<Vec<i64>> {
    let count = i64::try_from(n).map_err(|e| Error::Internal(e.to_string()))?;
    match tx {
        Tx::Sqlite(t) => {
            let max: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM disbursement")
                .fetch_one(&mut **t)
                .await?;
            Ok((1..=count).map(|i| max + i).collect())
        }
        Tx::Pg(t) => {
            let mut ids: Vec<i64> = sqlx::query_scalar(
                "SELECT nextval(pg_get_serial_sequence('disbursement', 'id')) FROM generate_series(1, $1)",
            )
            .bind(count)
            .fetch_all(&mut **t)
            .await?;
            ids.sort_unstable();
            Ok(ids)
        }
    }
}

/// Inserts `rows` under the ids [`reserve_ids`] gave, in statements of many rows.
pub async fn insert_disbursements(
    tx: &mut Tx,
    rows: &[(NewDisbursement, Conversion)],
    ids: &[i64],
    at: DateTime<Utc>,
) -> Result<()> {
    if ids.len() != rows.len() {
        return Err(Error::Internal(format!(
            "{} disbursements to insert under {} ids",
            rows.len(),
            ids.len()
        )));
    }
    if let (Tx::Sqlite(t), Some((first, _))) = (&mut *tx, rows.first())
        && rows.iter().all(|(d, _)| shares_entry(d, first))
    {
        return insert_alike_sqlite(t, rows, ids, at).await;
    }
    let per = super::rows_per_statement(tx, 17);
    for (chunk, ids) in rows.chunks(per).zip(ids.chunks(per)) {
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO disbursement (id, item_id, amount_minor, currency, value_date, tranche, milestone_id, reverses_id, status, \
             entered_by, verified_by, verified_at, created_at, rate_id, amount_vnd, amount_usd_cents, unconverted_reason) \
             VALUES {}",
            placeholders(tx.backend(), chunk.len(), 17)
        ));
        super::exec!(tx, c => {
            let mut q = sqlx::query(sql);
            for ((d, conv), id) in chunk.iter().zip(ids) {
                q = q.bind(id).bind(d.item_id).bind(d.amount_minor).bind(d.currency).bind(d.value_date)
                    .bind(d.tranche).bind(d.milestone_id).bind(d.reverses_id).bind(d.status)
                    .bind(d.entered_by).bind(d.verified_by).bind(d.verified_at).bind(at)
                    .bind(conv.rate_id).bind(conv.amount_vnd).bind(conv.amount_usd_cents)
                    .bind(&conv.unconverted_reason);
            }
            q.execute(&mut *c).await
        })?;
    }
    Ok(())
}

/// Whether two new rows were entered alike (same person, nothing reversed or verified),
/// as an import's rows are.
fn shares_entry(d: &NewDisbursement, first: &NewDisbursement) -> bool {
    d.reverses_id == first.reverses_id
        && d.entered_by == first.entered_by
        && d.verified_by == first.verified_by
        && d.verified_at == first.verified_at
}

/// [`insert_disbursements`] on SQLite for rows entered alike: what they share is bound once
/// per statement (see `db::sqlite_insert_shared`).
async fn insert_alike_sqlite(
    t: &mut super::SqliteTx,
    rows: &[(NewDisbursement, Conversion)],
    ids: &[i64],
    at: DateTime<Utc>,
) -> Result<()> {
    const VARYING: [&str; 12] = [
        "id",
        "item_id",
        "amount_minor",
        "currency",
        "value_date",
        "tranche",
        "milestone_id",
        "status",
        "rate_id",
        "amount_vnd",
        "amount_usd_cents",
        "unconverted_reason",
    ];
    const SHARED: [&str; 5] = [
        "reverses_id",
        "entered_by",
        "verified_by",
        "verified_at",
        "created_at",
    ];
    let Some((first, _)) = rows.first() else {
        return Ok(());
    };
    let per = 16_000 / VARYING.len();
    for (chunk, ids) in rows.chunks(per).zip(ids.chunks(per)) {
        let sql = sqlx::AssertSqlSafe(super::sqlite_insert_shared(
            "disbursement",
            &VARYING,
            &SHARED,
            chunk.len(),
        ));
        let mut q = sqlx::query(sql);
        for ((d, conv), id) in chunk.iter().zip(ids) {
            q = q
                .bind(id)
                .bind(d.item_id)
                .bind(d.amount_minor)
                .bind(d.currency)
                .bind(d.value_date)
                .bind(d.tranche)
                .bind(d.milestone_id)
                .bind(d.status)
                .bind(conv.rate_id)
                .bind(conv.amount_vnd)
                .bind(conv.amount_usd_cents)
                .bind(&conv.unconverted_reason);
        }
        q.bind(first.reverses_id)
            .bind(first.entered_by)
            .bind(first.verified_by)
            .bind(first.verified_at)
            .bind(at)
            .execute(&mut **t)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::placeholders;
    use crate::db::Backend;

    #[test]
    fn placeholders_number_rows_then_columns() {
        assert_eq!(
            placeholders(Backend::Postgres, 2, 3),
            "($1, $2, $3), ($4, $5, $6)"
        );
        assert_eq!(placeholders(Backend::Sqlite, 2, 2), "(?, ?), (?, ?)");
        assert_eq!(placeholders(Backend::Postgres, 1, 1), "($1)");
    }
}
