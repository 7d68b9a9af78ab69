//! What the API shows of money rows: every amount as a canonical decimal string beside its
//! currency (never a float, never bare minor units), and the conversion with the rate used.

use crate::db::ledger::{Commitment, Conversion, Disbursement};
use crate::domain::Currency;
use crate::rollup::table::{RollupTable, TableRow};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

pub(crate) fn amount(minor: impl Into<i128>, currency: Currency) -> String {
    crate::domain::money::canonical_sum(minor.into(), currency)
}

#[derive(Serialize)]
pub struct ConversionView {
    pub rate_id: Option<i64>,
    pub amount_vnd: Option<String>,
    pub amount_usd: Option<String>,
    pub unconverted_reason: Option<String>,
}

impl From<&Conversion> for ConversionView {
    fn from(c: &Conversion) -> Self {
        ConversionView {
            rate_id: c.rate_id,
            amount_vnd: c.amount_vnd.map(|m| amount(m, Currency::VND)),
            amount_usd: c.amount_usd_cents.map(|m| amount(m, Currency::USD)),
            unconverted_reason: c.unconverted_reason.clone(),
        }
    }
}

#[derive(Serialize)]
pub struct CommitmentView {
    pub id: i64,
    pub item_id: i64,
    pub kind: crate::domain::item::CommitmentKind,
    pub amount: String,
    pub currency: Currency,
    pub commitment_date: NaiveDate,
    pub reference: Option<String>,
    pub entered_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub conversion: ConversionView,
}

impl From<&Commitment> for CommitmentView {
    fn from(c: &Commitment) -> Self {
        CommitmentView {
            id: c.id,
            item_id: c.item_id,
            kind: c.kind,
            amount: amount(c.amount_minor, c.currency),
            currency: c.currency,
            commitment_date: c.commitment_date,
            reference: c.reference.clone(),
            entered_by: c.entered_by,
            created_at: c.created_at,
            conversion: (&c.conversion).into(),
        }
    }
}

#[derive(Serialize)]
pub struct DisbursementView {
    pub id: i64,
    pub item_id: i64,
    pub amount: String,
    pub currency: Currency,
    pub value_date: NaiveDate,
    pub tranche: Option<i64>,
    pub milestone_id: Option<i64>,
    pub reverses_id: Option<i64>,
    pub status: crate::domain::item::DisbursementStatus,
    pub entered_by: Option<i64>,
    pub verified_by: Option<i64>,
    pub verified_at: Option<DateTime<Utc>>,
    pub rejection_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub conversion: ConversionView,
}

impl From<&Disbursement> for DisbursementView {
    fn from(d: &Disbursement) -> Self {
        DisbursementView {
            id: d.id,
            item_id: d.item_id,
            amount: amount(d.amount_minor, d.currency),
            currency: d.currency,
            value_date: d.value_date,
            tranche: d.tranche,
            milestone_id: d.milestone_id,
            reverses_id: d.reverses_id,
            status: d.status,
            entered_by: d.entered_by,
            verified_by: d.verified_by,
            verified_at: d.verified_at,
            rejection_reason: d.rejection_reason.clone(),
            created_at: d.created_at,
            conversion: (&d.conversion).into(),
        }
    }
}

#[derive(Serialize)]
pub struct RollupRowView {
    pub key: String,
    pub name: String,
    pub committed_vnd: String,
    pub committed_usd: String,
    pub disbursed_vnd: String,
    pub disbursed_usd: String,
}

impl From<&TableRow> for RollupRowView {
    fn from(r: &TableRow) -> Self {
        RollupRowView {
            key: r.key.clone(),
            name: r.name.clone(),
            committed_vnd: amount(r.committed_vnd, Currency::VND),
            committed_usd: amount(r.committed_usd_cents, Currency::USD),
            disbursed_vnd: amount(r.disbursed_vnd, Currency::VND),
            disbursed_usd: amount(r.disbursed_usd_cents, Currency::USD),
        }
    }
}

#[derive(Serialize)]
pub struct UnconvertedView {
    pub table: String,
    pub id: i64,
    pub item_id: i64,
    pub amount: String,
    pub currency: Currency,
    pub date: NaiveDate,
    pub reason: String,
}

#[derive(Serialize)]
pub struct RollupView {
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: String,
    pub rows: Vec<RollupRowView>,
    pub total: RollupRowView,
    pub unconverted: Vec<UnconvertedView>,
}

impl RollupView {
    pub fn new(t: &RollupTable, by: &str) -> Self {
        RollupView {
            period: t.period.clone(),
            from: t.from,
            to: t.to,
            by: by.to_string(),
            rows: t.rows.iter().map(Into::into).collect(),
            total: (&t.total).into(),
            unconverted: t
                .unconverted
                .iter()
                .map(|u| UnconvertedView {
                    table: u.table_name.clone(),
                    id: u.id,
                    item_id: u.item_id,
                    amount: amount(u.amount_minor, u.currency),
                    currency: u.currency,
                    date: u.date,
                    reason: u.reason.clone(),
                })
                .collect(),
        }
    }
}
