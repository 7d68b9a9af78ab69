//! An activity's transactions in the ledger, after its milestones ([`super::results`]), which
//! disbursements may name.
//!
//! - Transactions 2 (outgoing commitment) and 11 (incoming commitment) are commitments: the
//!   kind in `al:kind`, else the item's first positive one is the original and the others are
//!   amendments. 3 (disbursement) and 4 (expenditure) are disbursements, entered as submitted
//!   for a reviewer (NGO staff: as drafts), except that a file aidledger exported, imported by
//!   the system, holds only rows its ledger had verified, which are verified again here (when
//!   they convert). 12 (outgoing pledge) and 13 (incoming pledge) are pledges, which the ledger
//!   has and never sums into committed value. Other types are listed as not imported.
//! - The amount is in the value's `currency`, else the activity's `default-currency`, dated by
//!   its `value-date`; the ledger's actions convert it, or store it unconverted with the reason
//!   when no rate exists.
//! - Money rows are never updated: a transaction whose `ref` is the position of a stored row
//!   (`CODE/C3`, `CODE/D2`, as our export writes) or, failing that, whose type, date, amount
//!   and currency equal a stored row's, is unchanged; a `ref` naming a stored row with other
//!   values is an error; anything else is added.

use super::item::ItemRef;
use super::{Importer, Row};
use crate::actions::sheets::savepoint;
use crate::actions::{ledger, review};
use crate::db::Tx;
use crate::db::ledger::{NewCommitment, NewDisbursement, NewPledge};
use crate::domain::item::{CommitmentKind, DisbursementStatus};
use crate::domain::{Currency, Money};
use crate::error::Result;
use crate::import::activities::{Activity, Value};
use crate::interchange::RecordType;
use crate::interchange::preview::OutcomeKind;
use chrono::NaiveDate;
use std::collections::HashMap;

/// The n of a positional reference `CODE/Ln` of this item, if `r` is one.
pub(super) fn position(r: Option<&str>, code: &str, letter: char) -> Option<usize> {
    let rest = r?
        .strip_prefix(code)?
        .strip_prefix('/')?
        .strip_prefix(letter)?;
    rest.parse::<usize>().ok().filter(|n| *n > 0)
}

/// What kind of ledger row a transaction type becomes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Commitment,
    Disbursement,
    Pledge,
}

impl Importer<'_> {
    pub(super) async fn money(&mut self, a: &Activity, item: &ItemRef) -> Result<()> {
        let milestones = self.milestones(a, item).await?;
        self.transactions(a, item, &milestones).await
    }

    async fn transactions(
        &mut self,
        a: &Activity,
        item: &ItemRef,
        milestones: &HashMap<String, i64>,
    ) -> Result<()> {
        let commitments = crate::db::ledger::list_commitments(&mut self.tx, item.id).await?;
        let disbursements = crate::db::ledger::list_disbursements(&mut self.tx, item.id).await?;
        let pledges = crate::db::iati::item_pledges(&mut self.tx, item.id).await?;
        let verified: Vec<usize> = (0..disbursements.len())
            .filter(|&i| disbursements[i].status == DisbursementStatus::Verified)
            .collect();
        let mut refs: HashMap<String, i64> = verified
            .iter()
            .enumerate()
            .map(|(n, &i)| (format!("{}/D{}", item.code, n + 1), disbursements[i].id))
            .collect();
        let (mut c_taken, mut d_taken, mut p_taken) = (
            vec![false; commitments.len()],
            vec![false; disbursements.len()],
            vec![false; pledges.len()],
        );
        let mut has_original = commitments
            .iter()
            .any(|c| c.kind == CommitmentKind::Original);
        for t in &a.transactions {
            let class = match t.type_code.as_str() {
                "2" | "11" => Class::Commitment,
                "3" | "4" => Class::Disbursement,
                "12" | "13" => Class::Pledge,
                other => {
                    let mut row = Row::new(
                        t.line,
                        RecordType::Commitments,
                        t.reference.clone().unwrap_or_default(),
                    );
                    row.problem(Some("transaction-type"), "not_imported", other, format!("not imported: the ledger records transaction types 2, 3, 4, 11, 12 and 13, not {other}"));
                    self.push_as(row, OutcomeKind::Unchanged);
                    continue;
                }
            };
            let record = if class == Class::Disbursement {
                RecordType::Disbursements
            } else {
                RecordType::Commitments
            };
            let mut row = Row::new(t.line, record, String::new());
            let Some(money) = amount(a, &t.value, &mut row) else {
                row.key = t.reference.clone().unwrap_or_default();
                self.push(row, OutcomeKind::Error);
                continue;
            };
            let date = t.value.value_date;
            row.key = t.reference.clone().unwrap_or_else(|| {
                format!(
                    "type {} {date} {} {}",
                    t.type_code,
                    money.canonical(),
                    money.currency().code()
                )
            });
            let same = |m: i64, c: Currency, d: NaiveDate| {
                m == money.minor() && c == money.currency() && d == date
            };
            // The stored row this transaction is, by position or by its values.
            let matched: Option<Option<usize>> = match class {
                Class::Commitment => match position(t.reference.as_deref(), &item.code, 'C')
                    .filter(|n| *n <= commitments.len())
                {
                    Some(n) => Some(Some(n - 1).filter(|&i| {
                        let c = &commitments[i];
                        same(c.amount_minor, c.currency, c.commitment_date)
                    })),
                    None => commitments
                        .iter()
                        .enumerate()
                        .position(|(i, c)| {
                            !c_taken[i] && same(c.amount_minor, c.currency, c.commitment_date)
                        })
                        .map(Some),
                },
                Class::Disbursement => match position(t.reference.as_deref(), &item.code, 'D')
                    .filter(|n| *n <= verified.len())
                {
                    Some(n) => Some(Some(verified[n - 1]).filter(|&i| {
                        let d = &disbursements[i];
                        same(d.amount_minor, d.currency, d.value_date)
                    })),
                    None => disbursements
                        .iter()
                        .enumerate()
                        .position(|(i, d)| {
                            !d_taken[i] && same(d.amount_minor, d.currency, d.value_date)
                        })
                        .map(Some),
                },
                Class::Pledge => pledges
                    .iter()
                    .enumerate()
                    .position(|(i, p)| {
                        !p_taken[i] && same(p.amount_minor, p.currency, p.pledge_date)
                    })
                    .map(Some),
            };
            match matched {
                Some(Some(i)) => {
                    match class {
                        Class::Commitment => c_taken[i] = true,
                        Class::Disbursement => {
                            d_taken[i] = true;
                            if let Some(r) = &t.reference {
                                refs.insert(r.clone(), disbursements[i].id);
                            }
                        }
                        Class::Pledge => p_taken[i] = true,
                    }
                    self.push(row, OutcomeKind::Unchanged);
                    continue;
                }
                Some(None) => {
                    row.problem(Some("value"), "money_row_changed", &money.canonical(), format!("{} is a stored row with another amount, currency or date; money rows are never updated: record the change as a new row (an amendment, or a reversal)", row.key));
                    self.push(row, OutcomeKind::Error);
                    continue;
                }
                None => {}
            }
            let (actor, max_age) = (self.actor, self.max_age_days);
            let created = match class {
                Class::Commitment => {
                    let kind = t.al.get("kind").and_then(|k| k.parse().ok()).unwrap_or(
                        if money.minor() > 0 && !has_original {
                            CommitmentKind::Original
                        } else {
                            CommitmentKind::Amendment
                        },
                    );
                    let cmd = NewCommitment {
                        item_id: item.id,
                        kind,
                        amount_minor: money.minor(),
                        currency: money.currency(),
                        date,
                        // Our export writes a commitment's document reference as its description; other
                        // publishers' descriptions are prose, so their transaction ref is kept instead.
                        reference: if item.ours {
                            t.description.first().map(str::to_string)
                        } else {
                            t.reference.as_ref().map(|r| r.chars().take(200).collect())
                        },
                        entered_by: None,
                    };
                    let r = savepoint(&mut self.tx, async move |tx: &mut Tx| {
                        ledger::record_commitment_in(tx, actor, cmd, max_age).await
                    })
                    .await;
                    if r.is_ok() && kind == CommitmentKind::Original {
                        has_original = true;
                    }
                    r.map(|_| ())
                }
                Class::Disbursement => {
                    let link = |attr: &str, map: &HashMap<String, i64>, row: &mut Row| {
                        let r = t.al.get(attr)?;
                        let id = map.get(r).copied();
                        if id.is_none() {
                            row.problem(Some(attr), "unknown_reference", r, format!("\"{r}\" names no row of this activity (stored, or earlier in the file)"));
                        }
                        id
                    };
                    let reverses_id = link("reverses", &refs, &mut row);
                    let milestone_id = link("milestone", milestones, &mut row);
                    if !row.problems.is_empty() {
                        self.push(row, OutcomeKind::Error);
                        continue;
                    }
                    let cmd = NewDisbursement {
                        item_id: item.id,
                        amount_minor: money.minor(),
                        currency: money.currency(),
                        value_date: date,
                        tranche: t.al.get("tranche").and_then(|x| x.parse().ok()),
                        milestone_id,
                        reverses_id,
                        status: DisbursementStatus::Submitted,
                        entered_by: None,
                        verified_by: None,
                        verified_at: None,
                    };
                    // See the module: only the system re-verifies what aidledger published.
                    let reverify = item.ours && actor.role.is_none();
                    let r = savepoint(&mut self.tx, async move |tx: &mut Tx| {
                        let d = ledger::record_disbursement_row_in(tx, actor, cmd, max_age).await?;
                        if reverify && d.conversion.amount_vnd.is_some() {
                            review::verify_disbursement_in(tx, actor, d.id).await?;
                        }
                        Ok(d.id)
                    })
                    .await;
                    if let (Ok(id), Some(r)) = (&r, &t.reference) {
                        refs.insert(r.clone(), *id);
                    }
                    r.map(|_| ())
                }
                Class::Pledge => {
                    let cmd = NewPledge {
                        donor_id: item.donor_id,
                        item_id: Some(item.id),
                        amount_minor: money.minor(),
                        currency: money.currency(),
                        date,
                        note: Some(
                            format!(
                                "IATI transaction type {} {}",
                                t.type_code,
                                t.reference.as_deref().unwrap_or("")
                            )
                            .trim_end()
                            .to_string(),
                        ),
                        entered_by: None,
                    };
                    savepoint(&mut self.tx, async move |tx: &mut Tx| {
                        ledger::record_pledge_in(tx, actor, cmd).await
                    })
                    .await
                    .map(|_| ())
                }
            };
            if let Err(e) = created {
                row.refused(e)?;
            }
            self.push(row, OutcomeKind::New);
        }
        Ok(())
    }
}

/// A value's amount in its currency (or the activity's default), exactly: in minor units with
/// the currency's ISO 4217 exponent. A currency the ledger does not accept, or an amount with
/// more decimals than the currency has, is a problem on `row` naming the field and value.
pub(super) fn amount(a: &Activity, v: &Value, row: &mut Row) -> Option<Money> {
    let code = v.currency.as_deref().or(a.default_currency.as_deref());
    let Some(code) = code else {
        row.problem(
            Some("currency"),
            "currency_required",
            "",
            "the value has no currency and the activity no default-currency",
        );
        return None;
    };
    let currency: Currency = match code.parse() {
        Ok(c) => c,
        Err(e) => {
            row.problem(Some("currency"), "invalid_currency", code, format!("{e}"));
            return None;
        }
    };
    let amount = v.amount.normalize().to_string();
    match Money::parse(&amount, currency) {
        Ok(m) => Some(m),
        Err(e) => {
            row.problem(Some("value"), "invalid_amount", &amount, format!("{e}"));
            None
        }
    }
}
