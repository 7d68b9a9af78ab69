//! Reads the forms pages need across items: the money rows still waiting for a rate, and
//! the dates of every foreign-currency money row (to find the months without a rate).

use super::{Tx, on};
use crate::domain::Currency;
use crate::error::Result;
use chrono::NaiveDate;
use sqlx::FromRow;

/// A commitment or disbursement stored without a conversion.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct UnconvertedRow {
    /// `commitment` or `disbursement`.
    pub kind: String,
    pub id: i64,
    pub item_id: i64,
    pub item_code: String,
    pub amount_minor: i64,
    pub currency: Currency,
    pub date: NaiveDate,
    pub reason: Option<String>,
}

pub async fn unconverted_rows(tx: &mut Tx) -> Result<Vec<UnconvertedRow>> {
    const SQL: &str = "SELECT 'commitment' AS kind, c.id AS id, c.item_id AS item_id, i.code AS item_code, c.amount_minor AS amount_minor, c.currency AS currency, \
                       c.commitment_date AS date, c.unconverted_reason AS reason \
                       FROM commitment c JOIN aid_item i ON i.id = c.item_id WHERE c.rate_id IS NULL \
                       UNION ALL \
                       SELECT 'disbursement' AS kind, d.id, d.item_id, i.code AS item_code, d.amount_minor, d.currency, \
                       d.value_date AS date, d.unconverted_reason AS reason \
                       FROM disbursement d JOIN aid_item i ON i.id = d.item_id WHERE d.rate_id IS NULL \
                       ORDER BY date, kind, id";
    Ok(on!(tx, c => sqlx::query_as(SQL).fetch_all(&mut *c).await)?)
}

/// One money row's currency and date.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Dated {
    pub currency: Currency,
    pub date: NaiveDate,
}

/// The currency and date of every money row, VND included (the caller skips it).
pub async fn money_dates(tx: &mut Tx) -> Result<Vec<Dated>> {
    const SQL: &str = "SELECT currency, commitment_date AS date FROM commitment \
                       UNION SELECT currency, value_date AS date FROM disbursement";
    Ok(on!(tx, c => sqlx::query_as(SQL).fetch_all(&mut *c).await)?)
}
