//! Creating aid items with their sector and locality allocations, and moving them through
//! their statuses.

use super::{Actor, Ctx, record};
use crate::db::items::{self, NewAidItem};
use crate::db::{Tx, orgs, reference};
use crate::domain::allocation::{Share, validate_shares};
use crate::domain::item::{ItemStatus, OrgKind};
use crate::domain::role::Permission;
use crate::error::{Error, Result};

pub async fn create_item(ctx: &Ctx, actor: &Actor, cmd: NewAidItem) -> Result<i64> {
    let mut tx = ctx.store.write().await?;
    let id = create_item_in(&mut tx, actor, cmd).await?;
    tx.commit().await?;
    Ok(id)
}

/// Like [`create_item`], returning the stored item with its allocations.
pub async fn create_item_row(
    ctx: &Ctx,
    actor: &Actor,
    cmd: NewAidItem,
) -> Result<super::queries::ItemDetail> {
    let mut tx = ctx.store.write().await?;
    let id = create_item_in(&mut tx, actor, cmd).await?;
    let item = items::get_item(&mut tx, id)
        .await?
        .ok_or_else(|| Error::Internal(format!("aid item {id} vanished after insert")))?;
    let (sectors, localities) = items::item_allocations(&mut tx, id).await?;
    tx.commit().await?;
    Ok(super::queries::ItemDetail {
        item,
        sectors,
        localities,
    })
}

/// The rules an item's own fields obey, on creation and on every update (allocations and
/// organisations are checked against the database separately).
/// Text is cleaned in place under the domain's text rule, so what is stored is NFC.
pub(crate) fn validate_fields(cmd: &mut NewAidItem) -> Result<()> {
    use crate::domain::text::{line_field, opt_line_field, opt_multiline_field};
    line_field("code", &mut cmd.code, 40)?;
    line_field("title_vi", &mut cmd.title_vi, 500)?;
    line_field("title_en", &mut cmd.title_en, 500)?;
    line_field("legal_basis", &mut cmd.legal_basis, 100)?;
    opt_line_field("approval_number", &mut cmd.approval_number, 100)?;
    opt_line_field("approval_authority", &mut cmd.approval_authority, 200)?;
    opt_multiline_field("beneficiaries", &mut cmd.beneficiaries, 2000)?;
    for (field, d) in [
        ("planned_start", Some(cmd.planned_start)),
        ("planned_end", Some(cmd.planned_end)),
        ("approval_date", cmd.approval_date),
        ("actual_start", cmd.actual_start),
        ("actual_end", cmd.actual_end),
    ] {
        if let Some(d) = d {
            crate::domain::period::reportable_field(field, d)?;
        }
    }
    if cmd.planned_end < cmd.planned_start {
        return Err(Error::invalid(
            "planned_end",
            "invalid_dates",
            "the planned end is before the planned start",
        ));
    }
    if cmd.status != ItemStatus::Pipeline
        && (cmd.approval_number.is_none()
            || cmd.approval_date.is_none()
            || cmd.approval_authority.is_none())
    {
        return Err(Error::invalid(
            "approval_number",
            "approval_required",
            "an item past the pipeline needs its approval decision: number, date and authority",
        ));
    }
    if cmd.actual_end.is_some() && cmd.actual_start.is_none() {
        return Err(Error::invalid(
            "actual_start",
            "invalid_dates",
            "an item that has ended has also started: give the actual start too",
        ));
    }
    if let (Some(s), Some(e)) = (cmd.actual_start, cmd.actual_end)
        && e < s
    {
        return Err(Error::invalid(
            "actual_end",
            "invalid_dates",
            "the actual end is before the actual start",
        ));
    }
    Ok(())
}

fn shares(field: &str, list: &[(String, u32)]) -> Result<()> {
    let parsed: Result<Vec<(String, Share)>> = list
        .iter()
        .map(|(k, bp)| {
            Share::from_bp(*bp)
                .map(|s| (k.clone(), s))
                .map_err(|e| Error::invalid(field, "invalid_share", e.to_string()))
        })
        .collect();
    validate_shares(&parsed?).map_err(|e| Error::invalid(field, "invalid_shares", e.to_string()))
}

async fn require_org(tx: &mut Tx, field: &str, id: i64, kinds: &[OrgKind]) -> Result<()> {
    match orgs::get_organisation(tx, id).await? {
        Some(o) if kinds.contains(&o.kind) => Ok(()),
        Some(o) => Err(Error::invalid(
            field,
            "wrong_organisation_kind",
            format!(
                "organisation {id} is a {}, not a {}",
                o.kind.label(crate::domain::Lang::En),
                kinds[0].label(crate::domain::Lang::En)
            ),
        )),
        None => Err(Error::invalid(
            field,
            "unknown_organisation",
            format!("organisation {id} does not exist"),
        )),
    }
}

pub async fn create_item_in(tx: &mut Tx, actor: &Actor, mut cmd: NewAidItem) -> Result<i64> {
    actor.require(Permission::EditItems)?;
    validate_fields(&mut cmd)?;
    shares("sectors", &cmd.sectors)?;
    shares("localities", &cmd.localities)?;
    require_org(tx, "donor_id", cmd.donor_id, &[OrgKind::ForeignNgo]).await?;
    if let Some(f) = cmd.funding_source_id {
        require_org(
            tx,
            "funding_source_id",
            f,
            &[OrgKind::Funder, OrgKind::ForeignNgo],
        )
        .await?;
    }
    require_org(tx, "aid_owner_id", cmd.aid_owner_id, &[OrgKind::AidOwner]).await?;
    require_org(
        tx,
        "managing_agency_id",
        cmd.managing_agency_id,
        &[OrgKind::ManagingAgency],
    )
    .await?;
    let sectors = reference::list_sectors(tx).await?;
    for (code, _) in &cmd.sectors {
        if !sectors.iter().any(|s| &s.code == code) {
            return Err(Error::invalid(
                "sectors",
                "unknown_sector",
                format!("sector {code} does not exist"),
            ));
        }
    }
    let units = reference::list_admin_units(tx).await?;
    for (code, _) in &cmd.localities {
        if !units.iter().any(|u| &u.code == code) {
            return Err(Error::invalid(
                "localities",
                "unknown_locality",
                format!("locality {code} does not exist"),
            ));
        }
    }
    let now = crate::db::now();
    let id = match items::insert_item(tx, &cmd, now).await {
        Err(Error::Db(e)) if crate::db::is_unique_violation(&e) => {
            return Err(Error::invalid(
                "code",
                "duplicate",
                format!("an aid item with code {} already exists", cmd.code),
            ));
        }
        other => other?,
    };
    // The allocations are part of what was decided, so the audit entry carries them too.
    let after = serde_json::json!({
        "item": items::get_item(tx, id).await?,
        "sectors": cmd.sectors,
        "localities": cmd.localities,
    });
    record::<(), _>(
        tx,
        actor,
        "aid_item.create",
        "aid_item",
        id,
        None,
        Some(&after),
        now,
    )
    .await?;
    Ok(id)
}

pub async fn change_item_status_in(
    tx: &mut Tx,
    actor: &Actor,
    item_id: i64,
    next: ItemStatus,
) -> Result<()> {
    actor.require(Permission::EditItems)?;
    let before = items::get_item(tx, item_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("aid item {item_id}")))?;
    if !before.status.can_become(next) {
        return Err(Error::conflict(
            "invalid_transition",
            format!("an item that is {} cannot become {}", before.status, next),
        ));
    }
    if !matches!(next, ItemStatus::Pipeline | ItemStatus::Cancelled)
        && before.approval_number.is_none()
    {
        return Err(Error::conflict(
            "approval_required",
            "record the approval decision before moving the item past the pipeline",
        ));
    }
    items::set_item_status(tx, item_id, next).await?;
    let after = items::get_item(tx, item_id).await?;
    record(
        tx,
        actor,
        "aid_item.status",
        "aid_item",
        item_id,
        Some(&before),
        after.as_ref(),
        crate::db::now(),
    )
    .await
}
