//! Reads the dashboard, the reviewer queue and the overdue milestones need across every aid
//! item: how many disbursements are in one review state, and one page of them, oldest value
//! date first, with their item's code and titles and who entered them; how many milestones
//! are overdue, and one page of them, most overdue first. Scope is the action's business,
//! not this file's.
//!
//! Both use the `disbursement_status` index, led by (status, value_date): the count reads the
//! index's entries for one state, and a page starts where the previous one ended (keyset
//! paging), so the hundredth page costs what the first does. The milestones do the same
//! through `milestone_open`, which holds only the open ones by planned date.

use super::{Tx, on};
use crate::db::ledger::{Disbursement, Milestone};
use crate::domain::item::DisbursementStatus;
use crate::error::Result;
use chrono::NaiveDate;
use sqlx::FromRow;

/// How many disbursements are in `status`.
pub async fn count_in_status(tx: &mut Tx, status: DisbursementStatus) -> Result<i64> {
    const SQL: &str = "SELECT CAST(COUNT(*) AS BIGINT) FROM disbursement WHERE status = $1";
    Ok(on!(tx, c => sqlx::query_scalar(SQL).bind(status).fetch_one(&mut *c).await)?)
}

/// A disbursement in a review state with what the queue shows beside it.
#[derive(Debug, Clone, FromRow)]
pub struct Queued {
    #[sqlx(flatten)]
    pub d: Disbursement,
    pub item_code: String,
    pub title_vi: String,
    pub title_en: String,
    /// The display name of who entered it, when someone did.
    pub entered_by_name: Option<String>,
}

const SELECT: &str = "SELECT d.id, d.item_id, d.amount_minor, d.currency, d.value_date, d.tranche, d.milestone_id, \
                      d.reverses_id, d.status, d.entered_by, d.verified_by, d.verified_at, d.rejection_reason, \
                      d.created_at, d.rate_id, d.amount_vnd, d.amount_usd_cents, d.unconverted_reason, \
                      i.code AS item_code, i.title_vi, i.title_en, u.display_name AS entered_by_name \
                      FROM disbursement d JOIN aid_item i ON i.id = d.item_id \
                      LEFT JOIN app_user u ON u.id = d.entered_by \
                      WHERE d.status = $1";

/// Up to `limit` disbursements in `status` by value date then id, starting after the row
/// with id `after` (the last one of the previous page) when given. A row that has since
/// left the state still marks its place, since its value date and id do not change.
pub async fn page_in_status(
    tx: &mut Tx,
    status: DisbursementStatus,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<Queued>> {
    // The limit is written into the statement rather than bound, as in
    // `item_page::item_history`: a bound LIMIT makes SQLite plan the statement again on
    // every binding.
    Ok(match after {
        None => {
            let sql = sqlx::AssertSqlSafe(format!(
                "{SELECT} ORDER BY d.value_date, d.id LIMIT {limit}"
            ));
            on!(tx, c => sqlx::query_as(sql).bind(status).fetch_all(&mut *c).await)?
        }
        Some(after) => {
            let sql = sqlx::AssertSqlSafe(format!(
                "{SELECT} AND (d.value_date, d.id) > (SELECT value_date, id FROM disbursement WHERE id = $2) \
                 ORDER BY d.value_date, d.id LIMIT {limit}"
            ));
            on!(tx, c => sqlx::query_as(sql).bind(status).bind(after).fetch_all(&mut *c).await)?
        }
    })
}

/// The open milestones (planned or in progress) past their planned date on `today`.
const OVERDUE: &str = "m.status IN ('planned', 'in_progress') AND m.planned_date < $1";

/// How many milestones are overdue on `today`: the dashboard shows the count and a few.
pub async fn count_overdue(tx: &mut Tx, today: NaiveDate) -> Result<i64> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM milestone m WHERE {OVERDUE}"
    ));
    Ok(on!(tx, c => sqlx::query_scalar(sql).bind(today).fetch_one(&mut *c).await)?)
}

/// An overdue milestone with its item's code and titles.
#[derive(Debug, Clone, FromRow)]
pub struct Overdue {
    #[sqlx(flatten)]
    pub m: Milestone,
    pub item_code: String,
    pub item_title_vi: String,
    pub item_title_en: String,
}

/// Up to `limit` milestones overdue on `today`, the most overdue first (planned date, then
/// id), starting after the milestone with id `after` when given. One closed meanwhile still
/// marks its place, since its planned date and id do not change. Both forms read the
/// `milestone_open` index in its order, so a later page costs what the first does.
pub async fn overdue_milestones(
    tx: &mut Tx,
    today: NaiveDate,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<Overdue>> {
    const SELECT: &str = "SELECT m.id, m.item_id, m.title_vi, m.title_en, m.planned_date, m.actual_date, \
                          m.status, m.evidence, m.created_at, \
                          i.code AS item_code, i.title_vi AS item_title_vi, i.title_en AS item_title_en \
                          FROM milestone m JOIN aid_item i ON i.id = m.item_id";
    // The limit is written into the statement, as in `page_in_status`.
    Ok(match after {
        None => {
            let sql = sqlx::AssertSqlSafe(format!(
                "{SELECT} WHERE {OVERDUE} ORDER BY m.planned_date, m.id LIMIT {limit}"
            ));
            on!(tx, c => sqlx::query_as(sql).bind(today).fetch_all(&mut *c).await)?
        }
        Some(after) => {
            let sql = sqlx::AssertSqlSafe(format!(
                "{SELECT} WHERE {OVERDUE} \
                 AND (m.planned_date, m.id) > (SELECT planned_date, id FROM milestone WHERE id = $2) \
                 ORDER BY m.planned_date, m.id LIMIT {limit}"
            ));
            on!(tx, c => sqlx::query_as(sql).bind(today).bind(after).fetch_all(&mut *c).await)?
        }
    })
}
