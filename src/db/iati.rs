//! What the IATI import and export need beyond the item and ledger queries: the IATI activity
//! identifier stored on aid items (migration 0009), and an item's pledges, which the import
//! compares with the file's pledge transactions so that a second import adds none.

use super::{Tx, exec, on};
use crate::domain::Currency;
use crate::error::Result;
use chrono::NaiveDate;
use sqlx::FromRow;

/// Every item that has an IATI activity identifier, as (item id, identifier).
pub async fn item_identifiers(tx: &mut Tx) -> Result<Vec<(i64, String)>> {
    const SQL: &str =
        "SELECT id, iati_identifier FROM aid_item WHERE iati_identifier IS NOT NULL ORDER BY id";
    Ok(on!(tx, c => sqlx::query_as(SQL).fetch_all(&mut *c).await)?)
}

/// Stores the identifier an item is known under in IATI (unique across items).
pub async fn set_item_identifier(tx: &mut Tx, item_id: i64, identifier: &str) -> Result<()> {
    exec!(tx, c => sqlx::query("UPDATE aid_item SET iati_identifier = $1 WHERE id = $2")
        .bind(identifier).bind(item_id).execute(&mut *c).await)?;
    Ok(())
}

/// A pledge as the import compares it: amount, currency and date.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PledgeRow {
    pub amount_minor: i64,
    pub currency: Currency,
    pub pledge_date: NaiveDate,
}

/// The pledges recorded against one item, oldest first.
pub async fn item_pledges(tx: &mut Tx, item_id: i64) -> Result<Vec<PledgeRow>> {
    const SQL: &str = "SELECT amount_minor, currency, pledge_date FROM pledge WHERE item_id = $1 ORDER BY pledge_date, id";
    Ok(on!(tx, c => sqlx::query_as(SQL).bind(item_id).fetch_all(&mut *c).await)?)
}
