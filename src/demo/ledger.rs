//! Writes the planned items and their ledgers through the audited actions, inside the load's
//! one transaction: each item with its status changes, then its commitments, milestones and
//! disbursements, then the pledges and a few items' plans. Disbursements name the demo
//! coordinator as enterer (the NGO account for its own organisation's unreviewed ones) and the
//! demo reviewer as verifier.
//!
//! While writing it predicts each row's conversion from the rates in memory, with the same
//! domain rule the action applies, so the summary can count the unconverted rows and the
//! disbursement rate without reading every row back.

use super::plan::Item;
use super::schedule::Ledger;
use super::users::{NGO_USER_ORG, UserIds};
use super::{DATA_AS_OF, date, orgs::OrgIds};
use crate::actions::items::{change_item_status_in, create_item_in};
use crate::actions::ledger::{
    record_commitment_in, record_disbursement_in, record_milestone_in, record_pledge_in,
};
use crate::actions::{Actor, Ctx};
use crate::db::Tx;
use crate::db::items::NewAidItem;
use crate::db::ledger::{NewCommitment, NewDisbursement, NewMilestone, NewPledge};
use crate::domain::item::{DisbursementStatus, ItemStatus};
use crate::domain::rate::{Rate, convert, pick_rate};
use crate::domain::{Currency, Money};
use crate::error::{Error, Result};
use chrono::NaiveDate;

/// What was written, for the summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Written {
    pub items: usize,
    pub commitments: usize,
    pub disbursements: usize,
    pub milestones: usize,
    pub pledges: usize,
    /// Budgets and planned disbursements (plans, never summed).
    pub budgets: usize,
    pub unconverted: usize,
    /// Committed and verified-disbursed value in US cents, over converted rows.
    pub committed_usd_cents: i64,
    pub disbursed_usd_cents: i64,
}

struct Predictor<'a> {
    rates: &'a [Rate],
    max_age: u32,
}

impl Predictor<'_> {
    fn usd_cents(&self, minor: i64, currency: Currency, on: NaiveDate) -> Option<i64> {
        pick_rate(self.rates, currency, on, self.max_age)
            .and_then(|r| convert(Money::from_minor(minor, currency), r))
            .ok()
            .map(|c| c.usd_cents)
    }
}

fn verified_at(on: NaiveDate) -> Result<chrono::DateTime<chrono::Utc>> {
    // 09:30 in Viet Nam (UTC+7).
    on.and_hms_opt(2, 30, 0)
        .map(|t| t.and_utc())
        .ok_or_else(|| Error::Internal(format!("demo verification time on {on}")))
}

fn new_item(it: &Item, orgs: &OrgIds) -> NewAidItem {
    let approval = it.approval.as_ref();
    NewAidItem {
        code: it.code.clone(),
        title_vi: it.title_vi.clone(),
        title_en: it.title_en.clone(),
        modality: it.modality,
        form: it.form,
        donor_id: orgs.ngos[it.donor],
        funding_source_id: it.funder.map(|f| orgs.funders[f]),
        aid_owner_id: orgs.owners[it.owner],
        managing_agency_id: orgs.agency,
        approval_number: approval.map(|a| a.number.clone()),
        approval_date: approval.map(|a| a.date),
        approval_authority: approval.map(|a| a.authority.to_string()),
        legal_basis: it.legal_basis.to_string(),
        planned_start: it.planned_start,
        planned_end: it.planned_end,
        actual_start: it.actual_start,
        actual_end: it.actual_end,
        status: if it.status == ItemStatus::Pipeline {
            ItemStatus::Pipeline
        } else {
            ItemStatus::Approved
        },
        beneficiaries: it.beneficiaries.clone(),
        sectors: it.sectors.clone(),
        localities: it.localities.clone(),
    }
}

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    tx: &mut Tx,
    ctx: &Ctx,
    actor: &Actor,
    orgs: &OrgIds,
    users: &UserIds,
    items: &[Item],
    ledgers: &[Ledger],
    rates: &[Rate],
) -> Result<Written> {
    let max_age = ctx.config.rate_max_age_days;
    let predict = Predictor { rates, max_age };
    let mut w = Written::default();
    let mut item_ids = Vec::with_capacity(items.len());
    for (it, l) in items.iter().zip(ledgers) {
        let id = create_item_in(tx, actor, new_item(it, orgs)).await?;
        item_ids.push(id);
        w.items += 1;
        for next in it.path() {
            change_item_status_in(tx, actor, id, next).await?;
        }
        for c in &l.commitments {
            let cmd = NewCommitment {
                item_id: id,
                kind: c.kind,
                amount_minor: c.amount,
                currency: it.currency,
                date: c.date,
                reference: Some(c.reference.clone()),
                entered_by: None,
            };
            record_commitment_in(tx, actor, cmd, max_age).await?;
            w.commitments += 1;
            match predict.usd_cents(c.amount, it.currency, c.date) {
                Some(usd) => w.committed_usd_cents += usd,
                None => w.unconverted += 1,
            }
        }
        let mut milestone_ids = Vec::with_capacity(l.milestones.len());
        for m in &l.milestones {
            let cmd = NewMilestone {
                item_id: id,
                title_vi: m.title_vi.to_string(),
                title_en: m.title_en.to_string(),
                planned_date: m.planned,
                actual_date: m.actual,
                status: m.status,
                evidence: m.evidence.clone(),
            };
            milestone_ids.push(record_milestone_in(tx, actor, cmd).await?);
            w.milestones += 1;
        }
        for t in &l.tranches {
            let verified = t.status == DisbursementStatus::Verified;
            let by_ngo = !verified && it.donor == NGO_USER_ORG;
            let cmd = NewDisbursement {
                item_id: id,
                amount_minor: t.amount,
                currency: it.currency,
                value_date: t.date,
                tranche: Some(t.number),
                milestone_id: t.milestone.and_then(|m| milestone_ids.get(m).copied()),
                reverses_id: None,
                status: t.status,
                entered_by: Some(if by_ngo { users.ngo } else { users.coordinator }),
                verified_by: verified.then_some(users.reviewer),
                verified_at: match t.verified_on.filter(|_| verified) {
                    Some(on) => Some(verified_at(on)?),
                    None => None,
                },
            };
            record_disbursement_in(tx, actor, cmd, max_age).await?;
            w.disbursements += 1;
            match predict.usd_cents(t.amount, it.currency, t.date) {
                Some(usd) if verified => w.disbursed_usd_cents += usd,
                Some(_) => {}
                None => w.unconverted += 1,
            }
        }
    }
    w.pledges = pledges(tx, actor, orgs, items, &item_ids).await?;
    w.budgets = super::budgets::insert(tx, actor, items, &item_ids).await?;
    Ok(w)
}

/// Pledges are recorded for follow-up and never summed: three for pipeline items, two for a
/// donor's next phase without an item yet.
async fn pledges(
    tx: &mut Tx,
    actor: &Actor,
    orgs: &OrgIds,
    items: &[Item],
    item_ids: &[i64],
) -> Result<usize> {
    let mut n = 0;
    let pipeline = items
        .iter()
        .zip(item_ids)
        .filter(|(it, _)| it.status == ItemStatus::Pipeline);
    for (k, (it, id)) in (0_i64..).zip(pipeline.take(3)) {
        let cmd = NewPledge {
            donor_id: orgs.ngos[it.donor],
            item_id: Some(*id),
            amount_minor: it.value,
            currency: it.currency,
            date: super::days(date(2026, 7, 20), k * 29),
            note: Some("Thư cam kết tài trợ, chờ phê duyệt khoản viện trợ".to_string()),
            entered_by: None,
        };
        record_pledge_in(tx, actor, cmd).await?;
        n += 1;
    }
    let eur: Currency = "EUR".parse().unwrap_or(Currency::USD);
    let krw: Currency = "KRW".parse().unwrap_or(Currency::USD);
    // Lindenhof (DE) and Saeron (KR) announce their next phase.
    for (donor, amount, currency, on) in [
        (9, 45_000_000, eur, date(2026, 9, 15)),
        (15, 650_000_000, krw, DATA_AS_OF),
    ] {
        let cmd = NewPledge {
            donor_id: orgs.ngos[donor],
            item_id: None,
            amount_minor: amount,
            currency,
            date: on,
            note: Some("Dự kiến vận động giai đoạn 2027–2029".to_string()),
            entered_by: None,
        };
        record_pledge_in(tx, actor, cmd).await?;
        n += 1;
    }
    Ok(n)
}
