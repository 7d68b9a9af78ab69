//! The template rows of a set of database records: organisations named by code, items by
//! code, money rows and milestones by their per-item reference (`ITEM/C1`, `ITEM/D2`,
//! `ITEM/M3`, numbered in id order over ALL the item's rows, so a row's reference does not
//! depend on what else was selected). Pure: the records come in, text cells go out.

use super::{RecordType, Table};
use crate::db::interchange::OrgRow;
use crate::db::items::{AidItem, Allocation};
use crate::db::ledger::{Commitment, Disbursement, Milestone};
use crate::db::rates::RateRow;
use crate::domain::Money;
use crate::domain::allocation::Share;
use chrono::NaiveDate;
use std::collections::HashMap;

/// Everything an export may show, as read in one transaction.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub orgs: Vec<OrgRow>,
    pub org_sectors: Vec<(i64, String)>,
    pub org_provinces: Vec<(i64, String)>,
    pub items: Vec<AidItem>,
    pub sectors: Vec<Allocation>,
    pub localities: Vec<Allocation>,
    /// Milestones, commitments and disbursements ordered by item, then id.
    pub milestones: Vec<Milestone>,
    pub commitments: Vec<Commitment>,
    pub disbursements: Vec<Disbursement>,
    pub rates: Vec<RateRow>,
    pub users: Vec<(i64, String)>,
}

/// What to export: everything, or one organisation's items, or rows dated in a period, or
/// one record type; the filters combine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Selection {
    pub organisation: Option<i64>,
    /// Inclusive dates: money rows, milestones (planned date) and rates dated inside.
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub record: Option<RecordType>,
}

impl Selection {
    fn dated(&self, d: NaiveDate) -> bool {
        self.period.is_none_or(|(from, to)| d >= from && d <= to)
    }
    fn item(&self, i: &AidItem) -> bool {
        self.organisation.is_none_or(|o| {
            i.donor_id == o
                || i.funding_source_id == Some(o)
                || i.aid_owner_id == o
                || i.managing_agency_id == o
        })
    }
}

/// `ITEM/D3`: the reference of an item's `n`th row of a kind (`C`, `D` or `M`).
#[must_use]
pub fn reference(item_code: &str, letter: char, n: usize) -> String {
    format!("{item_code}/{letter}{n}")
}

/// References of rows ordered by item then id: numbered from 1 within each item.
fn numbered(
    rows: impl Iterator<Item = (i64, i64)>,
    codes: &HashMap<i64, &str>,
    letter: char,
) -> HashMap<i64, String> {
    let mut out = HashMap::new();
    let (mut last, mut n) = (None, 0);
    for (id, item) in rows {
        if last != Some(item) {
            (last, n) = (Some(item), 0);
        }
        n += 1;
        let code = codes.get(&item).copied().unwrap_or("?");
        out.insert(id, reference(code, letter, n));
    }
    out
}

fn opt(s: Option<&String>) -> String {
    s.cloned().unwrap_or_default()
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// `HEALTH.PHC:60.00;EDU:40.00`: percent with two decimals, in code order.
fn shares(list: &[&Allocation]) -> String {
    list.iter()
        .map(|a| {
            let pct = u32::try_from(a.share_bp)
                .ok()
                .and_then(|bp| Share::from_bp(bp).ok())
                .map_or_else(|| a.share_bp.to_string(), Share::percent_text);
            format!("{}:{pct}", a.code)
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Allocations by item, in their stored order: grouped once, not searched once per item (a
/// search per item made a national database's 50,000 items cost minutes).
fn by_item(list: &[Allocation]) -> HashMap<i64, Vec<&Allocation>> {
    let mut out: HashMap<i64, Vec<&Allocation>> = HashMap::new();
    for a in list {
        out.entry(a.item_id).or_default().push(a);
    }
    out
}

fn codes(list: &[(i64, String)], org: i64) -> String {
    list.iter()
        .filter(|(o, _)| *o == org)
        .map(|(_, c)| c.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// Every milestone's, commitment's and disbursement's reference, by id.
#[derive(Debug, Default)]
pub struct References {
    pub milestones: HashMap<i64, String>,
    pub commitments: HashMap<i64, String>,
    pub disbursements: HashMap<i64, String>,
}

#[must_use]
pub fn references(s: &Snapshot) -> References {
    let item_codes: HashMap<i64, &str> = s.items.iter().map(|i| (i.id, i.code.as_str())).collect();
    References {
        milestones: numbered(
            s.milestones.iter().map(|m| (m.id, m.item_id)),
            &item_codes,
            'M',
        ),
        commitments: numbered(
            s.commitments.iter().map(|c| (c.id, c.item_id)),
            &item_codes,
            'C',
        ),
        disbursements: numbered(
            s.disbursements.iter().map(|d| (d.id, d.item_id)),
            &item_codes,
            'D',
        ),
    }
}

/// The selected tables, in [`RecordType::ALL`] order.
#[must_use]
pub fn tables(s: &Snapshot, sel: &Selection) -> Vec<Table> {
    let items: Vec<&AidItem> = s.items.iter().filter(|i| sel.item(i)).collect();
    let chosen: std::collections::HashSet<i64> = items.iter().map(|i| i.id).collect();
    let org_codes: HashMap<i64, &str> = s.orgs.iter().map(|o| (o.id, o.code.as_str())).collect();
    let org = |id: i64| {
        org_codes
            .get(&id)
            .map(|c| (*c).to_string())
            .unwrap_or_default()
    };
    let users: HashMap<i64, &str> = s.users.iter().map(|(i, u)| (*i, u.as_str())).collect();
    let References {
        milestones: m_refs,
        commitments: c_refs,
        disbursements: d_refs,
    } = references(s);
    let rf = |map: &HashMap<i64, String>, id: Option<i64>| {
        id.and_then(|i| map.get(&i).cloned()).unwrap_or_default()
    };
    let used_orgs: std::collections::HashSet<i64> = items
        .iter()
        .flat_map(|i| {
            [
                Some(i.donor_id),
                i.funding_source_id,
                Some(i.aid_owner_id),
                Some(i.managing_agency_id),
            ]
        })
        .flatten()
        .chain(sel.organisation)
        .collect();
    let mut out = Vec::new();
    for record in RecordType::ALL {
        if sel.record.is_some_and(|r| r != record) {
            continue;
        }
        let rows: Vec<Vec<String>> = match record {
            RecordType::Organisations => s
                .orgs
                .iter()
                .filter(|o| sel.organisation.is_none() || used_orgs.contains(&o.id))
                .map(|o| {
                    vec![
                        o.code.clone(),
                        o.kind.code().into(),
                        o.name_vi.clone(),
                        o.name_en.clone(),
                        opt(o.acronym.as_ref()),
                        o.nationality.clone(),
                        opt(o.iati_ref.as_ref()),
                        o.cert_type
                            .map(|c| c.code().to_string())
                            .unwrap_or_default(),
                        opt(o.cert_number.as_ref()),
                        date(o.cert_valid_from),
                        date(o.cert_valid_to),
                        codes(&s.org_sectors, o.id),
                        codes(&s.org_provinces, o.id),
                    ]
                })
                .collect(),
            RecordType::Rates => s
                .rates
                .iter()
                .filter(|r| r.superseded_by.is_none() && sel.dated(r.rate_date))
                .map(|r| {
                    vec![
                        r.currency.code().into(),
                        date(Some(r.rate_date)),
                        r.to_vnd.canonical(),
                        r.to_usd.canonical(),
                        r.source.clone(),
                    ]
                })
                .collect(),
            RecordType::Items => {
                let (sectors, localities) = (by_item(&s.sectors), by_item(&s.localities));
                let of = |m: &HashMap<i64, Vec<&Allocation>>, id: i64| {
                    m.get(&id).map(|v| shares(v)).unwrap_or_default()
                };
                items
                    .iter()
                    .map(|i| {
                        vec![
                            i.code.clone(),
                            i.title_vi.clone(),
                            i.title_en.clone(),
                            i.modality.code().into(),
                            i.form.code().into(),
                            org(i.donor_id),
                            i.funding_source_id.map(org).unwrap_or_default(),
                            org(i.aid_owner_id),
                            org(i.managing_agency_id),
                            opt(i.approval_number.as_ref()),
                            date(i.approval_date),
                            opt(i.approval_authority.as_ref()),
                            i.legal_basis.clone(),
                            date(Some(i.planned_start)),
                            date(Some(i.planned_end)),
                            date(i.actual_start),
                            date(i.actual_end),
                            i.status.code().into(),
                            opt(i.beneficiaries.as_ref()),
                            of(&sectors, i.id),
                            of(&localities, i.id),
                        ]
                    })
                    .collect()
            }
            RecordType::Milestones => s
                .milestones
                .iter()
                .filter(|m| chosen.contains(&m.item_id) && sel.dated(m.planned_date))
                .map(|m| {
                    vec![
                        rf(&m_refs, Some(m.id)),
                        m.title_vi.clone(),
                        m.title_en.clone(),
                        date(Some(m.planned_date)),
                        date(m.actual_date),
                        m.status.code().into(),
                        opt(m.evidence.as_ref()),
                    ]
                })
                .collect(),
            RecordType::Commitments => s
                .commitments
                .iter()
                .filter(|c| chosen.contains(&c.item_id) && sel.dated(c.commitment_date))
                .map(|c| {
                    vec![
                        rf(&c_refs, Some(c.id)),
                        c.kind.code().into(),
                        Money::from_minor(c.amount_minor, c.currency).canonical(),
                        c.currency.code().into(),
                        date(Some(c.commitment_date)),
                        opt(c.reference.as_ref()),
                    ]
                })
                .collect(),
            RecordType::Disbursements => s
                .disbursements
                .iter()
                .filter(|d| chosen.contains(&d.item_id) && sel.dated(d.value_date))
                .map(|d| {
                    vec![
                        rf(&d_refs, Some(d.id)),
                        Money::from_minor(d.amount_minor, d.currency).canonical(),
                        d.currency.code().into(),
                        date(Some(d.value_date)),
                        d.tranche.map(|t| t.to_string()).unwrap_or_default(),
                        rf(&m_refs, d.milestone_id),
                        rf(&d_refs, d.reverses_id),
                        d.status.code().into(),
                        d.verified_by
                            .and_then(|u| users.get(&u).map(|s| (*s).to_string()))
                            .unwrap_or_default(),
                        opt(d.rejection_reason.as_ref()),
                    ]
                })
                .collect(),
        };
        out.push(Table { record, rows });
    }
    out
}
