//! Closing and reopening reporting periods. Once a period is locked nothing dated inside it is
//! created, verified, rejected, reversed or re-converted; [`ensure_open`] is the one check
//! every such write makes, inside its write transaction. Writers hold the global write lock
//! (`Store::write`), so a lock and an edit dated inside it are ordered: either the edit
//! committed before the lock was taken, or it sees the lock and is refused.
//!
//! Reopening needs a reason and is audited; issuing a report locks its period.

use super::{Actor, Ctx, record};
use crate::db::Tx;
use crate::db::periods;
use crate::db::reports::{self, IssuedReport};
use crate::domain::period::Period;
use crate::domain::role::Permission;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use std::collections::BTreeMap;

pub use crate::db::periods::PeriodLock;

/// A period that has been locked or reported on, with its current lock and its reports.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PeriodStatus {
    pub period: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub locked: bool,
    /// The active lock, or else the latest lock ever taken on these dates (showing who
    /// unlocked it and why).
    pub lock: Option<PeriodLock>,
    pub reports: Vec<IssuedReport>,
}

/// Refuses when an active lock covers `date`; `what` names the record, for example
/// "disbursement 12" or "a commitment".
pub async fn ensure_open(tx: &mut Tx, date: NaiveDate, what: &str) -> Result<()> {
    match periods::active_lock_covering(tx, date, date).await? {
        None => Ok(()),
        Some(l) => Err(locked(what, date, &l)),
    }
}

/// The refusal of a row dated `date` inside the locked period `l`.
pub(crate) fn locked(what: &str, date: NaiveDate, l: &crate::db::periods::PeriodLock) -> Error {
    Error::conflict(
        "period_locked",
        format!(
            "{what} is dated {date}, inside the locked period {p} ({from} to {to}); a locked period cannot change: \
             record an adjustment dated in an open period, or ask a reviewer to unlock {p} with a reason",
            p = l.period,
            from = l.starts_on,
            to = l.ends_on
        ),
    )
}

pub async fn lock_period(ctx: &Ctx, actor: &Actor, period: &Period) -> Result<PeriodLock> {
    let mut tx = ctx.store.write().await?;
    let lock = lock_period_in(&mut tx, actor, period).await?;
    tx.commit().await?;
    Ok(lock)
}

pub async fn lock_period_in(tx: &mut Tx, actor: &Actor, period: &Period) -> Result<PeriodLock> {
    actor.require(Permission::LockPeriods)?;
    if let Some(l) = periods::active_lock_on(tx, period.from, period.to).await? {
        return Err(Error::conflict(
            "already_locked",
            format!(
                "{} ({} to {}) is already locked since {}",
                l.period, l.starts_on, l.ends_on, l.locked_at
            ),
        ));
    }
    insert_lock(tx, actor, period).await
}

/// Takes the lock and audits it; the caller has checked the permission (issuing a report
/// locks its period as part of issuing).
pub(crate) async fn insert_lock(tx: &mut Tx, actor: &Actor, period: &Period) -> Result<PeriodLock> {
    let now = crate::db::now();
    let lock = periods::insert_lock(
        tx,
        &period.code(),
        period.from,
        period.to,
        actor.user_id,
        now,
    )
    .await?;
    record::<(), _>(
        tx,
        actor,
        "period.lock",
        "period_lock",
        lock.id,
        None,
        Some(&lock),
        now,
    )
    .await?;
    Ok(lock)
}

pub async fn unlock_period(
    ctx: &Ctx,
    actor: &Actor,
    period: &Period,
    reason: &str,
) -> Result<PeriodLock> {
    let mut tx = ctx.store.write().await?;
    let lock = unlock_period_in(&mut tx, actor, period, reason).await?;
    tx.commit().await?;
    Ok(lock)
}

pub async fn unlock_period_in(
    tx: &mut Tx,
    actor: &Actor,
    period: &Period,
    reason: &str,
) -> Result<PeriodLock> {
    actor.require(Permission::LockPeriods)?;
    let reason = crate::domain::text::note_field("reason", reason, 10, 1000, || {
        Error::invalid(
            "reason",
            "invalid_reason",
            "say why the period is reopened, in 10 to 1000 characters; the reason stays on record",
        )
    })?;
    let reason = reason.as_str();
    let Some(before) = periods::active_lock_on(tx, period.from, period.to).await? else {
        return Err(Error::conflict(
            "not_locked",
            format!(
                "{} ({} to {}) is not locked, so there is nothing to unlock",
                period.code(),
                period.from,
                period.to
            ),
        ));
    };
    let now = crate::db::now();
    let after = periods::unlock(tx, before.id, actor.user_id, now, reason).await?;
    record(
        tx,
        actor,
        "period.unlock",
        "period_lock",
        after.id,
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    Ok(after)
}

pub async fn list_periods(ctx: &Ctx, actor: &Actor) -> Result<Vec<PeriodStatus>> {
    let mut tx = ctx.store.read().await?;
    list_periods_in(&mut tx, actor).await
}

/// Every period that has a lock or an issued report, by dates.
pub async fn list_periods_in(tx: &mut Tx, actor: &Actor) -> Result<Vec<PeriodStatus>> {
    actor.require(Permission::ReadAll)?;
    let mut by_dates: BTreeMap<(NaiveDate, NaiveDate), PeriodStatus> = BTreeMap::new();
    let blank = |period: &str, from, to| PeriodStatus {
        period: period.to_string(),
        starts_on: from,
        ends_on: to,
        locked: false,
        lock: None,
        reports: Vec::new(),
    };
    // Oldest first, so the last lock seen per dates is the latest and an active one wins.
    for l in periods::list_locks(tx).await? {
        let s = by_dates
            .entry((l.starts_on, l.ends_on))
            .or_insert_with(|| blank(&l.period, l.starts_on, l.ends_on));
        if !s.locked {
            s.locked = l.unlocked_at.is_none();
            s.lock = Some(l);
        }
    }
    for r in reports::list_issued(tx, None).await? {
        by_dates
            .entry((r.period_from, r.period_to))
            .or_insert_with(|| blank(&r.period, r.period_from, r.period_to))
            .reports
            .push(r);
    }
    Ok(by_dates.into_values().collect())
}

/// The first and last value dates of any money in the ledger (`None` while there is none),
/// so the periods page can offer the periods that have data.
pub async fn money_span(ctx: &Ctx, actor: &Actor) -> Result<Option<(NaiveDate, NaiveDate)>> {
    actor.require(Permission::ReadAll)?;
    let mut tx = ctx.store.read().await?;
    periods::money_span(&mut tx).await
}
