//! Exporting aid items as IATI 2.03 activity XML: which items a selection and the actor's
//! scope take, loading each item's rows inside one read transaction (so the file is one
//! consistent picture of the ledger), and streaming them through [`crate::export::iati`].

use super::Actor;
use super::scope::{Scope, organisation_not_found};
use crate::db::items::{self, AidItem, Allocation};
use crate::db::{ledger, orgs, reference};
use crate::domain::item::DisbursementStatus;
use crate::domain::period::Period;
use crate::error::{Error, Result};
use crate::export::iati::{Activity, IatiWriter, Reference};
use crate::export::write_error;
use std::collections::HashMap;
use std::io::Write;

/// Which items to export; `None` means no restriction.
#[derive(Debug, Clone, Default)]
pub struct IatiSelection {
    /// Items whose planned or actual span overlaps the period.
    pub period: Option<Period>,
    /// Items this organisation takes part in (as donor, funder, aid owner or agency).
    pub organisation_id: Option<i64>,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IatiExport {
    pub activities: usize,
    pub transactions: usize,
    /// Organisations written with a placeholder identifier because they have no IATI one.
    pub organisations_without_ref: Vec<String>,
}

fn selected(item: &AidItem, sel: &IatiSelection, scope: Scope) -> bool {
    if !scope.sees_item(item) {
        return false;
    }
    if let Some(o) = sel.organisation_id {
        let parts = [
            Some(item.donor_id),
            item.funding_source_id,
            Some(item.aid_owner_id),
            Some(item.managing_agency_id),
        ];
        if !parts.contains(&Some(o)) {
            return false;
        }
    }
    match &sel.period {
        None => true,
        Some(p) => {
            let start = item
                .actual_start
                .map_or(item.planned_start, |a| a.min(item.planned_start));
            let end = item
                .actual_end
                .map_or(item.planned_end, |a| a.max(item.planned_end));
            start <= p.to && end >= p.from
        }
    }
}

fn by_item(rows: Vec<Allocation>) -> HashMap<i64, Vec<Allocation>> {
    let mut m: HashMap<i64, Vec<Allocation>> = HashMap::new();
    for r in rows {
        m.entry(r.item_id).or_default().push(r);
    }
    m
}

/// Writes the selection's items to `out` as one IATI activities document.
pub async fn export_iati<W: Write>(
    ctx: &super::Ctx,
    actor: &Actor,
    sel: &IatiSelection,
    out: W,
) -> Result<(W, IatiExport)> {
    let scope = Scope::of(actor)?;
    if let Some(o) = sel.organisation_id
        && !scope.sees_organisation(o)
    {
        return Err(organisation_not_found(o));
    }
    let mut tx = ctx.store.read_long().await?;
    let organisations: HashMap<i64, orgs::Organisation> = orgs::list_organisations(&mut tx, None)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    if let Some(o) = sel.organisation_id
        && !organisations.contains_key(&o)
    {
        return Err(organisation_not_found(o));
    }
    let r = Reference {
        sectors: reference::list_sectors(&mut tx)
            .await?
            .into_iter()
            .map(|s| (s.code.clone(), s))
            .collect(),
        units: reference::list_admin_units(&mut tx)
            .await?
            .into_iter()
            .map(|u| (u.code.clone(), u))
            .collect(),
        organisations,
        identifiers: crate::db::iati::item_identifiers(&mut tx)
            .await?
            .into_iter()
            .collect(),
    };
    let mut items: Vec<AidItem> = items::list_items(&mut tx)
        .await?
        .into_iter()
        .filter(|i| selected(i, sel, scope))
        .collect();
    if items.is_empty() {
        return Err(Error::invalid(
            "selection",
            "nothing_to_export",
            "no aid item matches the selection, and an IATI file must hold at least one activity"
                .to_string(),
        ));
    }
    items.sort_by(|a, b| a.code.cmp(&b.code));
    let sectors = by_item(items::all_sector_allocations(&mut tx).await?);
    let localities = by_item(items::all_locality_allocations(&mut tx).await?);
    let mut writer = IatiWriter::new(out).map_err(write_error)?;
    let mut transactions = 0;
    let mut without_ref = std::collections::BTreeSet::new();
    for item in &items {
        let commitments = ledger::list_commitments(&mut tx, item.id).await?;
        let disbursements = ledger::list_disbursements(&mut tx, item.id).await?;
        let milestones = ledger::list_milestones(&mut tx, item.id).await?;
        let budgets = crate::db::budgets::list_for_item(&mut tx, item.id).await?;
        transactions += commitments.len()
            + disbursements
                .iter()
                .filter(|d| d.status == DisbursementStatus::Verified)
                .count();
        for id in [
            Some(item.donor_id),
            item.funding_source_id,
            Some(item.aid_owner_id),
            Some(item.managing_agency_id),
        ]
        .into_iter()
        .flatten()
        {
            if let Some(o) = r.organisations.get(&id).filter(|o| o.iati_ref.is_none()) {
                without_ref.insert(o.name_en.clone());
            }
        }
        let a = Activity {
            item,
            sectors: sectors.get(&item.id).map_or(&[], Vec::as_slice),
            localities: localities.get(&item.id).map_or(&[], Vec::as_slice),
            commitments: &commitments,
            disbursements: &disbursements,
            milestones: &milestones,
            budgets: &budgets,
        };
        writer.activity(&r, &a).map_err(write_error)?;
    }
    let (out, activities) = writer.finish().map_err(write_error)?;
    Ok((
        out,
        IatiExport {
            activities,
            transactions,
            organisations_without_ref: without_ref.into_iter().collect(),
        },
    ))
}
