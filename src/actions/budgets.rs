//! Replacing an aid item's budgets and planned disbursements (its plans, [`crate::db::budgets`])
//! as one audited change: the IATI import calls it when a file's set differs from the stored
//! one, the demo loader to give items plans. One audit entry per replaced set, entity
//! `item_budget` keyed by the item id, with the set before and after.

use super::{Actor, record};
use crate::db::Tx;
use crate::db::budgets::{self, NewBudget, StoredBudget};
use crate::domain::role::Permission;
use crate::error::Result;

/// Makes `next` the item's whole set of plans, inside the caller's transaction. The caller
/// has checked that the actor sees the item; replacing its plans is editing it.
pub async fn replace_budgets_in(
    tx: &mut Tx,
    actor: &Actor,
    item_id: i64,
    next: &[NewBudget],
) -> Result<()> {
    actor.require(Permission::EditItems)?;
    let before: Vec<NewBudget> = budgets::list_for_item(tx, item_id)
        .await?
        .iter()
        .map(StoredBudget::values)
        .collect();
    budgets::replace_for_item(tx, item_id, next).await?;
    record(
        tx,
        actor,
        "item_budget.replace",
        "item_budget",
        item_id,
        Some(&before),
        Some(&next),
        crate::db::now(),
    )
    .await
}
