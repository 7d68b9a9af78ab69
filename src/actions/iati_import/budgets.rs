//! An activity's budgets and planned disbursements, stored as the item's plans
//! ([`crate::db::budgets`]). The file is the truth for the item it describes: when its set
//! equals the stored one (in any order), each is unchanged; otherwise the added ones are new,
//! each stored one the file no longer holds is listed as removed, and the item's whole set is
//! replaced through [`crate::actions::budgets`], audited once for the set.
//!
//! Each amount is parsed exactly in its `currency`, else the activity's `default-currency`
//! (the transactions' rule, [`super::money::amount`]); a currency the ledger does not accept,
//! an amount finer than its currency, a type or status outside IATI's codes, or a period that
//! ends before it starts is an error row, which refuses the file like any other. NGO staff,
//! who may not edit items, see a differing set listed as not imported instead.

use super::item::ItemRef;
use super::money::amount;
use super::{Importer, Row};
use crate::db::budgets::{self, NewBudget};
use crate::domain::Money;
use crate::domain::item::BudgetKind;
use crate::domain::role::Permission;
use crate::error::{Error, Result};
use crate::import::activities::{Activity, Budget};
use crate::interchange::RecordType;
use crate::interchange::preview::{Change, OutcomeKind};

/// How a budget reads in the preview: `USD 1000.00, 2025-01-01 to 2025-12-31`.
fn describe(b: &NewBudget) -> String {
    let span = match b.period_end {
        Some(end) => format!("{} to {end}", b.period_start),
        None => format!("from {}", b.period_start),
    };
    let money = Money::from_minor(b.amount_minor, b.currency);
    format!("{} {}, {span}", money.canonical(), b.currency.code())
}

fn what(kind: BudgetKind) -> &'static str {
    match kind {
        BudgetKind::Budget => "budget",
        BudgetKind::Planned => "planned disbursement",
    }
}

/// The IATI codes each element's attributes take: BudgetType (1 original, 2 revised) for
/// both elements, BudgetStatus for a budget.
fn check_codes(kind: BudgetKind, b: &Budget, row: &mut Row) {
    let types: &[&str] = &["1", "2"];
    if let Some(t) = b.kind.as_deref().filter(|t| !types.contains(t)) {
        row.problem(
            Some("type"),
            "invalid_code",
            t,
            format!(
                "a {} type is one of {} (IATI BudgetType), not \"{t}\"",
                what(kind),
                types.join(", ")
            ),
        );
    }
    if let Some(s) = b.status.as_deref().filter(|s| !["1", "2"].contains(s)) {
        row.problem(
            Some("status"),
            "invalid_code",
            s,
            format!("a budget status is 1 (indicative) or 2 (committed), not \"{s}\""),
        );
    }
}

impl Importer<'_> {
    /// Checks the file's budgets and planned disbursements and, for an item that was applied,
    /// makes them the item's set (see the module).
    pub(super) async fn budgets(&mut self, a: &Activity, item: Option<&ItemRef>) -> Result<()> {
        let mut file: Vec<(u32, NewBudget)> = Vec::new();
        let mut bad = false;
        let lists = [
            (BudgetKind::Budget, &a.budgets),
            (BudgetKind::Planned, &a.planned_disbursements),
        ];
        for (kind, list) in lists {
            for b in list {
                let span = match b.end {
                    Some(end) => format!("{} to {end}", b.start),
                    None => format!("from {}", b.start),
                };
                let key = format!("{} {} {span}", a.identifier, what(kind));
                let mut row = Row::new(b.line, RecordType::Items, key);
                check_codes(kind, b, &mut row);
                if let Some(end) = b.end.filter(|e| *e < b.start) {
                    row.problem(
                        Some("period-end"),
                        "period_end_before_start",
                        &end.to_string(),
                        format!("the period ends ({end}) before it starts ({})", b.start),
                    );
                }
                let money = amount(a, &b.value, &mut row);
                match money {
                    Some(m) if row.problems.is_empty() => file.push((
                        b.line,
                        NewBudget {
                            kind,
                            type_code: b.kind.clone(),
                            status_code: b.status.clone(),
                            period_start: b.start,
                            period_end: b.end,
                            currency: m.currency(),
                            amount_minor: m.minor(),
                            value_date: b.value.value_date,
                        },
                    )),
                    _ => {
                        bad = true;
                        self.push(row, OutcomeKind::Error);
                    }
                }
            }
        }
        let Some(item) = item.filter(|_| !bad) else {
            return Ok(());
        };
        let stored = budgets::list_for_item(&mut self.tx, item.id).await?;
        let before: Vec<NewBudget> = stored.iter().map(budgets::StoredBudget::values).collect();
        let mut taken = vec![false; before.len()];
        let mut outcomes = Vec::with_capacity(file.len());
        for (_, b) in &file {
            let found = (0..before.len()).find(|&i| !taken[i] && before[i] == *b);
            if let Some(i) = found {
                taken[i] = true;
            }
            outcomes.push(if found.is_some() {
                OutcomeKind::Unchanged
            } else {
                OutcomeKind::New
            });
        }
        let same =
            taken.iter().all(|t| *t) && outcomes.iter().all(|o| *o == OutcomeKind::Unchanged);
        // Replacing an item's plans is editing the item, which NGO staff may not do: their
        // file's other plans are listed as not imported, without refusing what they may import
        // (their disbursement reports), as the transaction types the ledger lacks are.
        let refused = match self.actor.require(Permission::EditItems) {
            Err(Error::Forbidden(m)) if !same => Some(format!(
                "not imported: {m}; a coordinator's import of this file replaces the item's plans"
            )),
            Err(e) if !same => return Err(e),
            _ => None,
        };
        let finish = |imp: &mut Self, mut row: Row, outcome: OutcomeKind| match &refused {
            Some(m) if outcome != OutcomeKind::Unchanged => {
                row.problem(None, "not_imported", "", m.clone());
                imp.push_as(row, OutcomeKind::Unchanged);
            }
            _ => imp.push(row, outcome),
        };
        for ((line, b), outcome) in file.iter().zip(outcomes) {
            let key = format!("{} {} {}", a.identifier, what(b.kind), describe(b));
            finish(self, Row::new(*line, RecordType::Items, key), outcome);
        }
        for (b, _) in before.iter().zip(&taken).filter(|(_, t)| !**t) {
            let key = format!(
                "{} {} {} (removed)",
                a.identifier,
                what(b.kind),
                describe(b)
            );
            let mut row = Row::new(a.line, RecordType::Items, key);
            row.changes.push(Change {
                column: "value",
                old: describe(b),
                new: String::new(),
            });
            finish(self, row, OutcomeKind::Changed);
        }
        if same || refused.is_some() {
            return Ok(());
        }
        let after: Vec<NewBudget> = file.into_iter().map(|(_, b)| b).collect();
        crate::actions::budgets::replace_budgets_in(&mut self.tx, self.actor, item.id, &after).await
    }
}
