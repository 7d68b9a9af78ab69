//! A few demo items' plans, so the demo's item pages and IATI export show budgets and
//! planned disbursements: every thirtieth approved project gets a committed budget for its
//! first year, an indicative one for the rest of its span when it runs longer, and a planned
//! disbursement two months in (the first without a period end, which IATI allows). Amounts
//! are shares of the original commitment in its currency, in whole minor units.

use super::plan::Item;
use super::{days, months_after};
use crate::actions::Actor;
use crate::actions::budgets::replace_budgets_in;
use crate::db::Tx;
use crate::db::budgets::NewBudget;
use crate::domain::item::{BudgetKind, ItemStatus};
use crate::error::Result;

/// The plans of one item (see the module).
fn plans(it: &Item, open_ended: bool) -> Vec<NewBudget> {
    let start = it.planned_start;
    let first_end = days(months_after(start, 12), -1).min(it.planned_end);
    let first = if first_end < it.planned_end {
        it.value * 6 / 10
    } else {
        it.value
    };
    let budget = |status: &str, from, to, amount| NewBudget {
        kind: BudgetKind::Budget,
        type_code: Some("1".to_string()),
        status_code: Some(status.to_string()),
        period_start: from,
        period_end: Some(to),
        currency: it.currency,
        amount_minor: amount,
        value_date: start,
    };
    let mut out = vec![budget("2", start, first_end, first)];
    if first_end < it.planned_end {
        out.push(budget(
            "1",
            days(first_end, 1),
            it.planned_end,
            it.value - first,
        ));
    }
    let paid_from = months_after(start, 2).min(it.planned_end);
    out.push(NewBudget {
        kind: BudgetKind::Planned,
        type_code: Some("1".to_string()),
        status_code: None,
        period_start: paid_from,
        period_end: (!open_ended).then(|| days(months_after(paid_from, 1), -1)),
        currency: it.currency,
        amount_minor: it.value * 3 / 10,
        value_date: paid_from,
    });
    out
}

/// Writes the plans; returns how many budgets and planned disbursements were written.
pub async fn insert(tx: &mut Tx, actor: &Actor, items: &[Item], item_ids: &[i64]) -> Result<usize> {
    let chosen = items
        .iter()
        .zip(item_ids)
        .filter(|(it, _)| it.is_project() && it.status != ItemStatus::Pipeline)
        .step_by(30);
    let mut n = 0;
    for (k, (it, id)) in chosen.enumerate() {
        let list = plans(it, k == 0);
        replace_budgets_in(tx, actor, *id, &list).await?;
        n += list.len();
    }
    Ok(n)
}
