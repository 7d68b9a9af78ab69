//! Reads for one aid item's page that name only what the item names: its sector and
//! locality shares with their names, the organisations and people it mentions, its
//! milestones with their reports, and its audit history, each in one statement. The page
//! once loaded every administrative unit and looked each person and each money row's
//! history up one by one; at national scale that was dozens of statements and seconds per
//! page.

use super::audit::AuditEntry;
use super::ledger::Milestone;
use super::milestone_reports::MilestoneReport;
use super::{Tx, on};
use crate::domain::item::{MilestoneStatus, ReportDecision};
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

/// A sector or locality share with the name of what it names; the names are empty when the
/// code is not (or no longer) in the reference table.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct NamedShare {
    pub code: String,
    pub share_bp: i64,
    pub name_vi: Option<String>,
    pub name_en: Option<String>,
}

/// One share as [`shares`] reads it: which list it belongs to (`kind`: `l` locality, `s`
/// sector).
#[derive(FromRow)]
struct KindShare {
    kind: String,
    #[sqlx(flatten)]
    share: NamedShare,
}

/// The item's sector shares and its locality shares, each in code order with the names of
/// what they name, in one statement (every item page reads both).
pub async fn shares(tx: &mut Tx, item_id: i64) -> Result<(Vec<NamedShare>, Vec<NamedShare>)> {
    const SQL: &str = "SELECT 's' AS kind, a.sector_code AS code, a.share_bp, s.name_vi, s.name_en \
                       FROM aid_item_sector a LEFT JOIN sector s ON s.code = a.sector_code WHERE a.item_id = $1 \
                       UNION ALL \
                       SELECT 'l' AS kind, a.unit_code AS code, a.share_bp, u.name_vi, u.name_en \
                       FROM aid_item_locality a LEFT JOIN admin_unit u ON u.code = a.unit_code WHERE a.item_id = $1 \
                       ORDER BY kind, code";
    let rows: Vec<KindShare> =
        on!(tx, c => sqlx::query_as(SQL).bind(item_id).fetch_all(&mut *c).await)?;
    let (sectors, localities): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.kind == "s");
    let share = |r: KindShare| r.share;
    Ok((
        sectors.into_iter().map(share).collect(),
        localities.into_iter().map(share).collect(),
    ))
}

/// An organisation's or a person's id and names.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Named {
    pub id: i64,
    pub name_vi: String,
    pub name_en: String,
}

/// `$first, $first+1, …` for `n` bound values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One name as [`names`] reads it: `o` an organisation, `p` a person (whose display name
/// fills both languages).
#[derive(FromRow)]
struct KindNamed {
    kind: String,
    #[sqlx(flatten)]
    named: Named,
}

/// The names of the organisations `orgs` (a handful: donor, funder, owner, agency) and the
/// display names of the users `people`, in one statement while the people fit in one (an
/// item names few); otherwise each list on its own, the people in chunks.
pub async fn names(
    tx: &mut Tx,
    orgs: &[i64],
    people: &[i64],
) -> Result<(Vec<Named>, Vec<(i64, String)>)> {
    if orgs.is_empty() || people.is_empty() || people.len() > PEOPLE_CHUNK {
        let named = organisation_names(tx, orgs).await?;
        return Ok((named, display_names(tx, people).await?));
    }
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT 'o' AS kind, id, name_vi, name_en FROM organisation WHERE id IN ({}) \
         UNION ALL SELECT 'p' AS kind, id, display_name AS name_vi, display_name AS name_en \
         FROM app_user WHERE id IN ({})",
        placeholders(1, orgs.len()),
        placeholders(orgs.len() + 1, people.len())
    ));
    let rows: Vec<KindNamed> = on!(tx, c => {
        let mut q = sqlx::query_as(sql);
        for id in orgs.iter().chain(people) {
            q = q.bind(id);
        }
        q.fetch_all(&mut *c).await
    })?;
    let (o, p): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.kind == "o");
    Ok((
        o.into_iter().map(|r| r.named).collect(),
        p.into_iter()
            .map(|r| (r.named.id, r.named.name_vi))
            .collect(),
    ))
}

/// The most users named in one statement (both engines' limits on bound values are higher).
const PEOPLE_CHUNK: usize = 500;

/// The names of the organisations among `ids`.
async fn organisation_names(tx: &mut Tx, ids: &[i64]) -> Result<Vec<Named>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT id, name_vi, name_en FROM organisation WHERE id IN ({})",
        placeholders(1, ids.len())
    ));
    Ok(on!(tx, c => {
        let mut q = sqlx::query_as(sql);
        for id in ids {
            q = q.bind(id);
        }
        q.fetch_all(&mut *c).await
    })?)
}

/// Display names of the users among `ids`, in chunks that stay under both engines' limits on
/// bound values (an item with thousands of rows still names few people, but nothing
/// guarantees it).
async fn display_names(tx: &mut Tx, ids: &[i64]) -> Result<Vec<(i64, String)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(PEOPLE_CHUNK) {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT id, display_name FROM app_user WHERE id IN ({})",
            placeholders(1, chunk.len())
        ));
        let rows: Vec<(i64, String)> = on!(tx, c => {
            let mut q = sqlx::query_as(sql);
            for id in chunk {
                q = q.bind(id);
            }
            q.fetch_all(&mut *c).await
        })?;
        out.extend(rows);
    }
    Ok(out)
}

/// A milestone with one of its reports, or with none (`r_id` empty): one row of
/// [`milestones`]' outer join.
#[derive(FromRow)]
struct MilestoneAndReport {
    #[sqlx(flatten)]
    milestone: Milestone,
    r_id: Option<i64>,
    r_reported_by: Option<i64>,
    r_status: Option<MilestoneStatus>,
    r_actual_date: Option<NaiveDate>,
    r_evidence: Option<String>,
    r_created_at: Option<DateTime<Utc>>,
    r_decision: Option<ReportDecision>,
    r_decided_by: Option<i64>,
    r_decided_at: Option<DateTime<Utc>>,
    r_decision_note: Option<String>,
}

impl MilestoneAndReport {
    /// The report of this row, if it has one. The join fills a report's columns together, so
    /// a report without its required columns cannot be read; it is an error, not a panic.
    fn report(&mut self) -> Result<Option<MilestoneReport>> {
        let Some(id) = self.r_id else {
            return Ok(None);
        };
        let missing = || Error::Internal(format!("milestone report {id} was read incomplete"));
        Ok(Some(MilestoneReport {
            id,
            milestone_id: self.milestone.id,
            reported_by: self.r_reported_by.ok_or_else(missing)?,
            status: self.r_status.ok_or_else(missing)?,
            actual_date: self.r_actual_date,
            evidence: self.r_evidence.take().ok_or_else(missing)?,
            created_at: self.r_created_at.ok_or_else(missing)?,
            decision: self.r_decision.ok_or_else(missing)?,
            decided_by: self.r_decided_by,
            decided_at: self.r_decided_at,
            decision_note: self.r_decision_note.take(),
        }))
    }
}

/// The item's milestones by planned date then id, each with its reports by id, in one
/// statement (an outer join) rather than one for the milestones and one for their reports.
pub async fn milestones(
    tx: &mut Tx,
    item_id: i64,
) -> Result<Vec<(Milestone, Vec<MilestoneReport>)>> {
    const SQL: &str = "SELECT m.id, m.item_id, m.title_vi, m.title_en, m.planned_date, m.actual_date, m.status, \
                       m.evidence, m.created_at, r.id AS r_id, r.reported_by AS r_reported_by, \
                       r.status AS r_status, r.actual_date AS r_actual_date, r.evidence AS r_evidence, \
                       r.created_at AS r_created_at, r.decision AS r_decision, r.decided_by AS r_decided_by, \
                       r.decided_at AS r_decided_at, r.decision_note AS r_decision_note \
                       FROM milestone m LEFT JOIN milestone_report r ON r.milestone_id = m.id \
                       WHERE m.item_id = $1 ORDER BY m.planned_date, m.id, r.id";
    let rows: Vec<MilestoneAndReport> =
        on!(tx, c => sqlx::query_as(SQL).bind(item_id).fetch_all(&mut *c).await)?;
    let mut out: Vec<(Milestone, Vec<MilestoneReport>)> = Vec::new();
    for mut row in rows {
        let report = row.report()?;
        match out.last_mut() {
            Some((m, reports)) if m.id == row.milestone.id => reports.extend(report),
            _ => out.push((row.milestone, report.into_iter().collect())),
        }
    }
    Ok(out)
}

/// The newest `limit` audit entries about the item, its budgets and plans, and its
/// commitments, disbursements, milestones and milestone reports, newest first.
///
/// Each branch looks its rows up through the `(entity, entity_id)` index: by the item's id,
/// or by the ids of the item's own rows (found through their `item_id` index), so the cost
/// follows the item's history, not the size of the audit table.
pub async fn item_history(tx: &mut Tx, item_id: i64, limit: i64) -> Result<Vec<AuditEntry>> {
    const COLS: &str =
        "id, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash";
    let of_rows = |entity: &str, ids: &str| {
        format!("SELECT {COLS} FROM audit_entry WHERE entity = '{entity}' AND entity_id IN ({ids})")
    };
    let branches = [
        format!("SELECT {COLS} FROM audit_entry WHERE entity = 'aid_item' AND entity_id = $1"),
        format!("SELECT {COLS} FROM audit_entry WHERE entity = 'item_budget' AND entity_id = $1"),
        of_rows(
            "commitment",
            "SELECT CAST(id AS TEXT) FROM commitment WHERE item_id = $2",
        ),
        of_rows(
            "disbursement",
            "SELECT CAST(id AS TEXT) FROM disbursement WHERE item_id = $2",
        ),
        of_rows(
            "milestone",
            "SELECT CAST(id AS TEXT) FROM milestone WHERE item_id = $2",
        ),
        of_rows(
            "milestone_report",
            "SELECT CAST(r.id AS TEXT) FROM milestone_report r JOIN milestone m ON m.id = r.milestone_id \
             WHERE m.item_id = $2",
        ),
    ];
    // The limit is written into the statement, not bound: SQLite plans a bound LIMIT by its
    // value, so each new binding would make it parse and plan this six-branch statement again
    // (BENCHMARKS.md, sixth round). Callers pass a constant, so it stays one cached statement.
    let sql = sqlx::AssertSqlSafe(format!(
        "{} ORDER BY id DESC LIMIT {limit}",
        branches.join(" UNION ALL ")
    ));
    let key = item_id.to_string();
    Ok(on!(tx, c => sqlx::query_as(sql)
        .bind(&key).bind(item_id)
        .fetch_all(&mut *c).await)?)
}
