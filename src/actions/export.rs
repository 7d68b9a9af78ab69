//! The full transaction export as a use case: who may pull which rows, then one read
//! transaction streamed straight into the CSV writer, so the file is one consistent snapshot
//! and memory does not grow with the ledger. Province staff may export everything; NGO staff
//! only their own organisation's rows, decided by [`scope`] like every other read.

use super::scope::{self, Scope};
use super::{Actor, Ctx};
use crate::db::Tx;
use crate::db::export::{self, Filter};
use crate::domain::period::Period;
use crate::error::Result;
use crate::export::transactions::{self as csv_out, Summary};
use std::future::Future;
use std::io::Write;

/// Which transactions to export: a period (by each row's own date) and an organisation (the
/// donor of the row's item, or the pledging donor). `None` means no restriction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TransactionSelection {
    pub period: Option<Period>,
    pub organisation_id: Option<i64>,
}

/// The rows `actor` may export with `sel`, as a database filter. An organisation the actor
/// may not see is answered as one that does not exist; an NGO user who names none gets their
/// own organisation's rows.
async fn filter(tx: &mut Tx, actor: &Actor, sel: TransactionSelection) -> Result<Filter> {
    let scope = Scope::of(actor)?;
    let donor_id = match (scope, sel.organisation_id) {
        (_, Some(id)) => Some(scope::organisation(tx, scope, id).await?.id),
        (Scope::Organisation(own), None) => Some(own),
        (Scope::All, None) => None,
    };
    Ok(Filter {
        from: sel.period.map(|p| p.from),
        to: sel.period.map(|p| p.to),
        donor_id,
    })
}

/// An export `actor` may make, its snapshot open and ready to stream: opening it is where a
/// refusal (403, 404) or a busy server (503) is told, so a web download can answer with a
/// proper page before its status line; the rows then come from the same snapshot.
pub struct TransactionStream {
    tx: Tx,
    filter: Filter,
}

/// Opens the export of `sel` for `actor` (one of the store's long reads).
pub async fn open_transaction_stream(
    ctx: &Ctx,
    actor: &Actor,
    sel: TransactionSelection,
) -> Result<TransactionStream> {
    let mut tx = ctx.store.read_long().await?;
    let filter = filter(&mut tx, actor, sel).await?;
    Ok(TransactionStream { tx, filter })
}

impl TransactionStream {
    /// Writes the CSV (see [`crate::export::transactions`]), handing it to `put` in chunks as
    /// it is written (for a streamed HTTP response: `put` waits while the client is slow).
    pub async fn write_chunks<F, Fut>(mut self, put: F) -> Result<Summary>
    where
        F: FnMut(Vec<u8>) -> Fut,
        Fut: Future<Output = Result<()>>,
    {
        csv_out::write_chunks(export::transactions(&mut self.tx, self.filter), put).await
    }
}

/// Writes every commitment, disbursement and pledge of `sel` that `actor` may read to `out` as
/// CSV (see [`crate::export::transactions`]) and returns what was written.
pub async fn export_transactions<W: Write>(
    ctx: &Ctx,
    actor: &Actor,
    sel: TransactionSelection,
    out: W,
) -> Result<(Summary, W)> {
    let mut stream = open_transaction_stream(ctx, actor, sel).await?;
    csv_out::write_csv(export::transactions(&mut stream.tx, stream.filter), out).await
}
