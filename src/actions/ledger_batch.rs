//! Many new disbursements recorded at once, for imports of up to a million rows. Each row
//! passes the same checks as [`super::ledger::record_disbursement_row_in`] (its field
//! checks, the locked periods, the conversion by the ledger's rate rule), but against facts
//! read once: the current rates and the active locks. Checked rows wait in the batch and go
//! to the database many to a statement, each with the audit entry the one-row path would
//! write. Only rows that need nothing else from the database take this path: a staff
//! member's or the system's new draft or submitted row that reverses nothing; anything else
//! (an NGO's report, which needs the scope check; a reversal; a reviewed row) takes the
//! one-row path after the batch is flushed.

use super::{Actor, ledger, periods};
use crate::db::Tx;
use crate::db::audit::{self, NewAuditEntry};
use crate::db::ledger::{Conversion, Disbursement, NewDisbursement};
use crate::db::periods::PeriodLock;
use crate::db::{ledger_batch, rates};
use crate::domain::Currency;
use crate::domain::rate::{self, Rate};
use crate::domain::role::Permission;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use std::collections::HashMap;

/// How many checked rows wait before they are written.
const FLUSH_AT: usize = 16_000;

/// The facts a batch checks against, and the rows waiting to be written.
/// came under.
pub struct DisbursementBatch {
    /// Current (not superseded) rates by currency, oldest first.
    rates: HashMap<Currency, Vec<Rate>>,
    /// Active locks in the order `active_lock_covering` picks them.
    locks: Vec<PeriodLock>,
    max_age_days: u32,
    pending: Vec<Checked>,
}

impl DisbursementBatch {
    /// Reads the facts. Call it after every rate and lock the import itself changes.
    pub async fn load(tx: &mut Tx, max_age_days: u32) -> Result<Self> {
        let mut by_currency: HashMap<Currency, Vec<Rate>> = HashMap::new();
        for r in rates::list_rates(tx, None, false).await? {
            by_currency.entry(r.currency).or_default().push(r.to_rate());
        }
        for v in by_currency.values_mut() {
            v.sort_by_key(|r| (r.date, r.id));
        }
        let mut locks: Vec<PeriodLock> = crate::db::periods::list_locks(tx)
            .await?
            .into_iter()
            .filter(|l| l.unlocked_at.is_none())
            .collect();
        locks.sort_by_key(|l| (l.starts_on, l.id));
        Ok(Self {
            rates: by_currency,
            locks,
            max_age_days,
            pending: Vec::new(),
        })
    }

    /// Whether `cmd` may take the batch path for `actor` (see the module comment).
    #[must_use]
    pub fn takes(actor: &Actor, cmd: &NewDisbursement) -> bool {
        actor.require(Permission::EditLedger).is_ok()
            && cmd.reverses_id.is_none()
            && cmd.verified_by.is_none()
            && matches!(
                cmd.status,
                crate::domain::item::DisbursementStatus::Draft
                    | crate::domain::item::DisbursementStatus::Submitted
            )
    }

    /// Checks a new disbursement of an existing item (the caller knows the item and that any
    /// milestone is the item's) and queues it; refused exactly as the one-row path
    /// refuses it. Returns true when the batch is full and should be flushed.
    pub fn push(&mut self, actor: &Actor, mut cmd: NewDisbursement) -> Result<bool> {
        actor.require(Permission::EditLedger)?;
        ledger::check_disbursement_fields(&cmd)?;
        if let Some(l) = self.lock_covering(cmd.value_date) {
            return Err(periods::locked("a disbursement", cmd.value_date, l));
        }
        ledger::stamp_entry(actor, &mut cmd)?;
        let money = crate::domain::Money::from_minor(cmd.amount_minor, cmd.currency);
        let latest: Vec<Rate> = self.latest_on_or_before(cmd.currency, cmd.value_date);
        let conv = Conversion::from(
            &rate::pick_rate(&latest, cmd.currency, cmd.value_date, self.max_age_days)
                .and_then(|r| rate::convert(money, r)),
        );
        self.pending.push((cmd, conv));
        Ok(self.pending.len() >= FLUSH_AT)
    }

    fn lock_covering(&self, date: NaiveDate) -> Option<&PeriodLock> {
        self.locks
            .iter()
            .find(|l| l.starts_on <= date && l.ends_on >= date)
    }

    /// What `latest_rate_on_or_before` would return, as the one-row path's candidate list.
    fn latest_on_or_before(&self, currency: Currency, date: NaiveDate) -> Vec<Rate> {
        let Some(rs) = self.rates.get(&currency) else {
            return Vec::new();
        };
        let n = rs.partition_point(|r| r.date <= date);
        n.checked_sub(1)
            .and_then(|i| rs.get(i))
            .cloned()
            .into_iter()
            .collect()
    }

    /// The rows waiting to be written, taken out of the batch; the batch takes more rows
    /// while [`write`] stores these.
    pub fn take(&mut self) -> Vec<Checked> {
        std::mem::take(&mut self.pending)
    }
}

/// A checked row waiting to be written, with its conversion.
pub type Checked = (NewDisbursement, Conversion);

/// Writes checked rows and their audit entries; returns their ids. It owns what
/// it uses, so an import can run it as a task of its own and read its next rows meanwhile.
/// The rows are numbered first, so their audit entries (JSON and hash chain, a fifth of an
/// import's work) are computed on another thread while the database stores the rows.
pub async fn write(tx: &mut Tx, actor: &Actor, rows: Vec<Checked>) -> Result<Vec<i64>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let now = crate::db::now();
    let ids = ledger_batch::reserve_ids(tx, rows.len()).await?;
    let prev = audit::chain_head(tx).await?;
    let rows = std::sync::Arc::new(rows);
    let describing = {
        let (rows, ids, actor) = (rows.clone(), ids.clone(), actor.clone());
        tokio::task::spawn_blocking(move || describe(&actor, &rows, &ids, now, prev))
    };
    let stored = ledger_batch::insert_disbursements(tx, &rows, &ids, now).await;
    let described = describing
        .await
        .map_err(|e| Error::Internal(format!("describing the import's rows stopped: {e}")))?;
    stored?;
    let (afters, links) = described?;
    let entries: Vec<NewAuditEntry<'_>> = ids
        .iter()
        .zip(afters)
        .map(|(id, after)| entry(actor, *id, after))
        .collect();
    audit::insert_chained(tx, &entries, &links, now).await?;
    Ok(ids)
}

/// The audit entry of a new row, as the one-row path writes it.
fn entry(actor: &Actor, id: i64, after: String) -> NewAuditEntry<'_> {
    NewAuditEntry {
        actor_id: actor.user_id,
        actor: &actor.name,
        action: "disbursement.record",
        entity: "disbursement",
        entity_id: id.to_string(),
        before: None,
        after: Some(after),
    }
}

/// Each row's audit text (the row exactly as the one-row path reads it back after its
/// insert) and the entries' chain links after `prev`.
fn describe(
    actor: &Actor,
    rows: &[(NewDisbursement, Conversion)],
    ids: &[i64],
    now: chrono::DateTime<chrono::Utc>,
    prev: String,
) -> Result<(Vec<String>, Vec<audit::Link>)> {
    let mut afters = Vec::with_capacity(rows.len());
    for (&id, (d, conv)) in ids.iter().zip(rows) {
        let row = Disbursement {
            id,
            item_id: d.item_id,
            amount_minor: d.amount_minor,
            currency: d.currency,
            value_date: d.value_date,
            tranche: d.tranche,
            milestone_id: d.milestone_id,
            reverses_id: d.reverses_id,
            status: d.status,
            entered_by: d.entered_by,
            verified_by: d.verified_by,
            verified_at: d.verified_at,
            rejection_reason: None,
            created_at: now,
            conversion: conv.clone(),
        };
        afters.push(serde_json::to_string(&row).map_err(|e| Error::Internal(e.to_string()))?);
    }
    let entries: Vec<NewAuditEntry<'_>> = ids
        .iter()
        .zip(afters)
        .map(|(id, after)| entry(actor, *id, after))
        .collect();
    let links = audit::chain(prev, &entries, now)?;
    // The entries borrow the actor, which stays on this thread; their texts go back.
    let afters = entries.into_iter().filter_map(|e| e.after).collect();
    Ok((afters, links))
}
