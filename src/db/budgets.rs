//! An aid item's budgets and planned disbursements (migration 0012): plans, not money that
//! moved, so they are kept apart from the ledger's money rows and never summed into committed
//! or disbursed value. An item's set is read whole and replaced whole (an IATI file is the
//! truth for the plans of the activities it holds); the caller audits the replacement.

use super::{Tx, exec, on};
use crate::domain::Currency;
use crate::domain::item::BudgetKind;
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

/// A budget or planned disbursement to store. `type_code` and `status_code` are IATI's codes
/// as published (see the migration); `amount_minor` is in minor units of `currency`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewBudget {
    pub kind: BudgetKind,
    pub type_code: Option<String>,
    pub status_code: Option<String>,
    pub period_start: NaiveDate,
    pub period_end: Option<NaiveDate>,
    pub currency: Currency,
    pub amount_minor: i64,
    pub value_date: NaiveDate,
}

/// A stored budget or planned disbursement.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct StoredBudget {
    pub id: i64,
    pub item_id: i64,
    pub kind: BudgetKind,
    pub type_code: Option<String>,
    pub status_code: Option<String>,
    pub period_start: NaiveDate,
    pub period_end: Option<NaiveDate>,
    pub currency: Currency,
    pub amount_minor: i64,
    pub value_date: NaiveDate,
    pub created_at: DateTime<Utc>,
}

impl StoredBudget {
    /// The row's values without its identity, to compare with what a file says.
    #[must_use]
    pub fn values(&self) -> NewBudget {
        NewBudget {
            kind: self.kind,
            type_code: self.type_code.clone(),
            status_code: self.status_code.clone(),
            period_start: self.period_start,
            period_end: self.period_end,
            currency: self.currency,
            amount_minor: self.amount_minor,
            value_date: self.value_date,
        }
    }
}

/// The item's budgets, then its planned disbursements, each by period start (then id).
pub async fn list_for_item(tx: &mut Tx, item_id: i64) -> Result<Vec<StoredBudget>> {
    const SQL: &str = "SELECT id, item_id, kind, type_code, status_code, period_start, period_end, currency, \
                       amount_minor, value_date, created_at FROM item_budget WHERE item_id = $1 \
                       ORDER BY kind, period_start, id";
    Ok(on!(tx, c => sqlx::query_as(SQL).bind(item_id).fetch_all(&mut *c).await)?)
}

/// Replaces the item's whole set with `budgets` (in that order, so ids follow the file).
pub async fn replace_for_item(tx: &mut Tx, item_id: i64, budgets: &[NewBudget]) -> Result<()> {
    const DELETE: &str = "DELETE FROM item_budget WHERE item_id = $1";
    const INSERT: &str = "INSERT INTO item_budget (item_id, kind, type_code, status_code, period_start, period_end, \
                          currency, amount_minor, value_date, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
    exec!(&mut *tx, c => sqlx::query(DELETE).bind(item_id).execute(&mut *c).await)?;
    let at = super::now();
    for b in budgets {
        exec!(&mut *tx, c => sqlx::query(INSERT)
            .bind(item_id).bind(b.kind).bind(&b.type_code).bind(&b.status_code).bind(b.period_start)
            .bind(b.period_end).bind(b.currency).bind(b.amount_minor).bind(b.value_date).bind(at)
            .execute(&mut *c).await)?;
    }
    Ok(())
}
