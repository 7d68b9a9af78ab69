//! Spreadsheet round-trip use cases: reading a selection of records into the templates
//! (export), and checking then applying a filled-in template (import).

use super::scope::Scope;
use super::{Actor, Ctx};
use crate::db::{Tx, interchange as dbx, items, rates};
use crate::error::Result;
use crate::interchange::Table;
use crate::interchange::rows::{Selection, Snapshot, tables};

/// Reads everything an export may show, in one transaction.
pub(crate) async fn snapshot(tx: &mut Tx) -> Result<Snapshot> {
    Ok(Snapshot {
        orgs: dbx::organisations(tx).await?,
        org_sectors: dbx::organisation_sectors(tx).await?,
        org_provinces: dbx::organisation_provinces(tx).await?,
        items: {
            let mut all = items::list_items(tx).await?;
            all.sort_by_key(|i| i.id);
            all
        },
        sectors: items::all_sector_allocations(tx).await?,
        localities: items::all_locality_allocations(tx).await?,
        milestones: dbx::milestones(tx).await?,
        commitments: dbx::commitments(tx).await?,
        disbursements: dbx::disbursements(tx).await?,
        rates: rates::list_rates(tx, None, false).await?,
        users: dbx::usernames(tx).await?,
    })
}

/// The selected records as template tables. NGO staff export only their own organisation's
/// items (whatever organisation they ask for), as the scope rule says.
pub async fn export_tables(ctx: &Ctx, actor: &Actor, selection: Selection) -> Result<Vec<Table>> {
    let mut sel = selection;
    if let Scope::Organisation(own) = Scope::of(actor)? {
        sel.organisation = Some(own);
    }
    let mut tx = ctx.store.read().await?;
    let snap = snapshot(&mut tx).await?;
    drop(tx);
    Ok(tables(&snap, &sel))
}
