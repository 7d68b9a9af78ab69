//! Reads the dashboard and the reviewer queue need across every aid item: disbursements in
//! one review state, oldest value date first. Scope is the action's business, not this file's.

use super::{Tx, on};
use crate::db::ledger::Disbursement;
use crate::domain::item::DisbursementStatus;
use crate::error::Result;

const COLUMNS: &str = "id, item_id, amount_minor, currency, value_date, tranche, milestone_id, reverses_id, status, entered_by, verified_by, \
                       verified_at, rejection_reason, created_at, rate_id, amount_vnd, amount_usd_cents, unconverted_reason";

/// Every disbursement in `status`, by value date then id.
pub async fn disbursements_in_status(
    tx: &mut Tx,
    status: DisbursementStatus,
) -> Result<Vec<Disbursement>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM disbursement WHERE status = $1 ORDER BY value_date, id"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(status).fetch_all(&mut *c).await)?)
}
