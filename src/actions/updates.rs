//! Correcting the descriptive records: organisations, aid items and milestones. Each patch
//! names only the fields it changes; the merged record is checked by the same rules as a new
//! one, written, and audited with the record before and after. Money rows are never patched:
//! they are corrected by amendments and reversals.
//!
//! A field that may be empty takes `Option<Option<T>>`: absent leaves it, `null` clears it.

use super::{Actor, Ctx, items as item_actions, orgs as org_actions, record, today_in_vietnam};
use crate::db::Tx;
use crate::db::items::{self, AidItem, NewAidItem};
use crate::db::ledger::{self, Milestone};
use crate::db::orgs::{self, NewOrganisation, Organisation};
use crate::domain::item::{CertificateType, ItemStatus, MilestoneStatus};
use crate::domain::role::Permission;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};

/// Reads a present field (even `null`) as `Some`, so `null` can mean "clear it".
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

fn pick<T: Clone>(patch: Option<&T>, current: &T) -> T {
    patch.unwrap_or(current).clone()
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationPatch {
    pub name_vi: Option<String>,
    pub name_en: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub acronym: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub iati_ref: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub cert_type: Option<Option<CertificateType>>,
    #[serde(default, deserialize_with = "present")]
    pub cert_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub cert_valid_from: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "present")]
    pub cert_valid_to: Option<Option<NaiveDate>>,
}

pub async fn update_organisation(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    patch: &OrganisationPatch,
) -> Result<Organisation> {
    let mut tx = ctx.store.write().await?;
    let o = update_organisation_in(&mut tx, actor, id, patch).await?;
    tx.commit().await?;
    Ok(o)
}

pub async fn update_organisation_in(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    p: &OrganisationPatch,
) -> Result<Organisation> {
    actor.require(Permission::EditOrganisations)?;
    let before = orgs::get_organisation(tx, id)
        .await?
        .ok_or_else(|| super::scope::organisation_not_found(id))?;
    let mut next = before.clone();
    next.name_vi = pick(p.name_vi.as_ref(), &before.name_vi);
    next.name_en = pick(p.name_en.as_ref(), &before.name_en);
    next.acronym = pick(p.acronym.as_ref(), &before.acronym);
    next.iati_ref = pick(p.iati_ref.as_ref(), &before.iati_ref);
    next.cert_type = pick(p.cert_type.as_ref(), &before.cert_type);
    next.cert_number = pick(p.cert_number.as_ref(), &before.cert_number);
    next.cert_valid_from = pick(p.cert_valid_from.as_ref(), &before.cert_valid_from);
    next.cert_valid_to = pick(p.cert_valid_to.as_ref(), &before.cert_valid_to);
    let mut checked = NewOrganisation {
        kind: next.kind,
        name_vi: next.name_vi.clone(),
        name_en: next.name_en.clone(),
        acronym: next.acronym.clone(),
        nationality: next.nationality.clone(),
        iati_ref: next.iati_ref.clone(),
        cert_type: next.cert_type,
        cert_number: next.cert_number.clone(),
        cert_valid_from: next.cert_valid_from,
        cert_valid_to: next.cert_valid_to,
        sectors: vec![],
        provinces: vec![],
    };
    org_actions::validate(&mut checked)?;
    next.name_vi = checked.name_vi;
    next.name_en = checked.name_en;
    next.acronym = checked.acronym;
    next.iati_ref = checked.iati_ref;
    next.cert_number = checked.cert_number;
    match orgs::update_organisation(tx, &next).await {
        Err(Error::Db(e)) if crate::db::is_unique_violation(&e) => {
            return Err(Error::invalid(
                "iati_ref",
                "duplicate",
                "another organisation already has this IATI reference",
            ));
        }
        other => other?,
    }
    let after = orgs::get_organisation(tx, id)
        .await?
        .ok_or_else(|| super::scope::organisation_not_found(id))?;
    record(
        tx,
        actor,
        "organisation.update",
        "organisation",
        id,
        Some(&before),
        Some(&after),
        crate::db::now(),
    )
    .await?;
    Ok(after)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemPatch {
    pub title_vi: Option<String>,
    pub title_en: Option<String>,
    pub status: Option<ItemStatus>,
    #[serde(default, deserialize_with = "present")]
    pub approval_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub approval_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "present")]
    pub approval_authority: Option<Option<String>>,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    #[serde(default, deserialize_with = "present")]
    pub actual_start: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "present")]
    pub actual_end: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "present")]
    pub beneficiaries: Option<Option<String>>,
}

pub async fn update_item(ctx: &Ctx, actor: &Actor, id: i64, patch: &ItemPatch) -> Result<AidItem> {
    let mut tx = ctx.store.write().await?;
    let i = update_item_in(&mut tx, actor, id, patch).await?;
    tx.commit().await?;
    Ok(i)
}

pub async fn update_item_in(tx: &mut Tx, actor: &Actor, id: i64, p: &ItemPatch) -> Result<AidItem> {
    actor.require(Permission::EditItems)?;
    let before = items::get_item(tx, id)
        .await?
        .ok_or_else(|| super::scope::item_not_found(id))?;
    let mut next = before.clone();
    next.title_vi = pick(p.title_vi.as_ref(), &before.title_vi);
    next.title_en = pick(p.title_en.as_ref(), &before.title_en);
    next.status = pick(p.status.as_ref(), &before.status);
    next.approval_number = pick(p.approval_number.as_ref(), &before.approval_number);
    next.approval_date = pick(p.approval_date.as_ref(), &before.approval_date);
    next.approval_authority = pick(p.approval_authority.as_ref(), &before.approval_authority);
    next.planned_start = pick(p.planned_start.as_ref(), &before.planned_start);
    next.planned_end = pick(p.planned_end.as_ref(), &before.planned_end);
    next.actual_start = pick(p.actual_start.as_ref(), &before.actual_start);
    next.actual_end = pick(p.actual_end.as_ref(), &before.actual_end);
    next.beneficiaries = pick(p.beneficiaries.as_ref(), &before.beneficiaries);
    if next.status != before.status && !before.status.can_become(next.status) {
        return Err(Error::conflict(
            "invalid_transition",
            format!(
                "an item that is {} cannot become {}",
                before.status, next.status
            ),
        ));
    }
    for (field, d) in [
        ("actual_start", next.actual_start),
        ("actual_end", next.actual_end),
    ] {
        if d.is_some_and(|d| d > today_in_vietnam()) {
            return Err(Error::invalid(
                field,
                "future_date",
                format!("{field} cannot be in the future"),
            ));
        }
    }
    let mut checked = NewAidItem {
        code: next.code.clone(),
        title_vi: next.title_vi.clone(),
        title_en: next.title_en.clone(),
        modality: next.modality,
        form: next.form,
        donor_id: next.donor_id,
        funding_source_id: next.funding_source_id,
        aid_owner_id: next.aid_owner_id,
        managing_agency_id: next.managing_agency_id,
        approval_number: next.approval_number.clone(),
        approval_date: next.approval_date,
        approval_authority: next.approval_authority.clone(),
        legal_basis: next.legal_basis.clone(),
        planned_start: next.planned_start,
        planned_end: next.planned_end,
        actual_start: next.actual_start,
        actual_end: next.actual_end,
        status: next.status,
        beneficiaries: next.beneficiaries.clone(),
        sectors: vec![],
        localities: vec![],
    };
    item_actions::validate_fields(&mut checked)?;
    next.code = checked.code;
    next.title_vi = checked.title_vi;
    next.title_en = checked.title_en;
    next.legal_basis = checked.legal_basis;
    next.approval_number = checked.approval_number;
    next.approval_authority = checked.approval_authority;
    next.beneficiaries = checked.beneficiaries;
    items::update_item(tx, &next).await?;
    let after = items::get_item(tx, id)
        .await?
        .ok_or_else(|| super::scope::item_not_found(id))?;
    record(
        tx,
        actor,
        "aid_item.update",
        "aid_item",
        id,
        Some(&before),
        Some(&after),
        crate::db::now(),
    )
    .await?;
    Ok(after)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestonePatch {
    pub title_vi: Option<String>,
    pub title_en: Option<String>,
    pub planned_date: Option<NaiveDate>,
    #[serde(default, deserialize_with = "present")]
    pub actual_date: Option<Option<NaiveDate>>,
    pub status: Option<MilestoneStatus>,
    #[serde(default, deserialize_with = "present")]
    pub evidence: Option<Option<String>>,
}

/// The rules a milestone's fields obey after any change.
/// Text is cleaned in place under the domain's text rule.
pub(crate) fn validate_milestone(m: &mut Milestone) -> Result<()> {
    crate::domain::text::line_field("title_vi", &mut m.title_vi, 300)?;
    crate::domain::text::line_field("title_en", &mut m.title_en, 300)?;
    crate::domain::text::opt_multiline_field("evidence", &mut m.evidence, 5000)?;
    crate::domain::period::reportable_field("planned_date", m.planned_date)?;
    if let Some(d) = m.actual_date {
        crate::domain::period::reportable_field("actual_date", d)?;
    }
    if m.actual_date.is_some_and(|d| d > today_in_vietnam()) {
        return Err(Error::invalid(
            "actual_date",
            "future_date",
            "a milestone's actual date cannot be in the future",
        ));
    }
    if m.status == MilestoneStatus::Done && m.actual_date.is_none() {
        return Err(Error::invalid(
            "actual_date",
            "actual_date_required",
            "a milestone that is done needs the date it was reached",
        ));
    }
    Ok(())
}

pub async fn update_milestone(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    patch: &MilestonePatch,
) -> Result<Milestone> {
    let mut tx = ctx.store.write().await?;
    let m = update_milestone_in(&mut tx, actor, id, patch).await?;
    tx.commit().await?;
    Ok(m)
}

pub async fn update_milestone_in(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    p: &MilestonePatch,
) -> Result<Milestone> {
    actor.require(Permission::EditMilestones)?;
    let before = ledger::get_milestone(tx, id)
        .await?
        .ok_or_else(|| super::scope::milestone_not_found(id))?;
    let mut next = before.clone();
    next.title_vi = pick(p.title_vi.as_ref(), &before.title_vi);
    next.title_en = pick(p.title_en.as_ref(), &before.title_en);
    next.planned_date = pick(p.planned_date.as_ref(), &before.planned_date);
    next.actual_date = pick(p.actual_date.as_ref(), &before.actual_date);
    next.status = pick(p.status.as_ref(), &before.status);
    next.evidence = pick(p.evidence.as_ref(), &before.evidence);
    write_milestone(tx, actor, "milestone.update", &before, &next).await
}

/// Validates, writes and audits a milestone change; shared with accepting a progress report.
pub(crate) async fn write_milestone(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    before: &Milestone,
    next: &Milestone,
) -> Result<Milestone> {
    let mut next = next.clone();
    validate_milestone(&mut next)?;
    ledger::update_milestone(tx, &next).await?;
    let after = ledger::get_milestone(tx, before.id)
        .await?
        .ok_or_else(|| super::scope::milestone_not_found(before.id))?;
    record(
        tx,
        actor,
        action,
        "milestone",
        before.id,
        Some(before),
        Some(&after),
        crate::db::now(),
    )
    .await?;
    Ok(after)
}
