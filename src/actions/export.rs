//! The full transaction export as a use case: who may pull which rows, then one read
//! transaction streamed straight into the CSV writer, so the file is one consistent snapshot
//! and memory does not grow with the ledger. Province staff may export everything; NGO staff
//! only their own organisation's rows, decided by [`scope`] like every other read.

use super::scope::{self, Scope};
use super::{Actor, Ctx};
use crate::db::export::{self, Filter};
use crate::domain::period::Period;
use crate::error::Result;
use crate::export::transactions::{self as csv_out, Summary};
use std::io::Write;

/// Which transactions to export: a period (by each row's own date) and an organisation (the
/// donor of the row's item, or the pledging donor). `None` means no restriction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TransactionSelection {
    pub period: Option<Period>,
    pub organisation_id: Option<i64>,
}

/// Writes every commitment, disbursement and pledge of `sel` that `actor` may read to `out` as
/// CSV (see [`crate::export::transactions`]) and returns what was written. An organisation the
/// actor may not see is answered as one that does not exist; an NGO user without an
/// organisation given gets their own.
pub async fn export_transactions<W: Write>(
    ctx: &Ctx,
    actor: &Actor,
    sel: TransactionSelection,
    out: W,
) -> Result<(Summary, W)> {
    let scope = Scope::of(actor)?;
    let mut tx = ctx.store.read().await?;
    let donor_id = match (scope, sel.organisation_id) {
        (_, Some(id)) => Some(scope::organisation(&mut tx, scope, id).await?.id),
        (Scope::Organisation(own), None) => Some(own),
        (Scope::All, None) => None,
    };
    let filter = Filter {
        from: sel.period.map(|p| p.from),
        to: sel.period.map(|p| p.to),
        donor_id,
    };
    let written = csv_out::write_csv(export::transactions(&mut tx, filter), out).await?;
    drop(tx);
    Ok(written)
}
