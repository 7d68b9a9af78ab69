//! Stage programmes: creating one from the People's Committee's decision, amending it (the
//! audit trail keeps every earlier version), and reading them. Stages do not overlap, so a
//! reporting period belongs to at most one programme.

use super::super::{Actor, Ctx, record};
use super::positive_amount;
use crate::actions::scope::Scope;
use crate::db::programmes::{self, NewProgramme, Programme, ProgrammeTarget};
use crate::db::{Tx, reference};
use crate::domain::Currency;
use crate::domain::mobilisation::TargetDimension;
use crate::domain::role::Permission;
use crate::error::{Error, Result};
use chrono::NaiveDate;

/// A programme with its priority sector groups and localities.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProgrammeView {
    pub programme: Programme,
    pub targets: Vec<ProgrammeTarget>,
}

pub fn programme_not_found(id: i64) -> Error {
    Error::NotFound(format!("programme {id}"))
}

fn validate(cmd: &mut NewProgramme) -> Result<()> {
    use crate::domain::text::line_field;
    line_field("name_vi", &mut cmd.name_vi, 500)?;
    line_field("name_en", &mut cmd.name_en, 500)?;
    line_field("decision_number", &mut cmd.decision_number, 100)?;
    line_field("decision_authority", &mut cmd.decision_authority, 300)?;
    for (field, d) in [
        ("decision_date", cmd.decision_date),
        ("starts_on", cmd.starts_on),
        ("ends_on", cmd.ends_on),
    ] {
        crate::domain::period::reportable_field(field, d)?;
    }
    if cmd.ends_on <= cmd.starts_on {
        return Err(Error::invalid(
            "ends_on",
            "invalid_dates",
            "the stage must end after it starts",
        ));
    }
    if !matches!(cmd.target_currency, Currency::USD | Currency::VND) {
        return Err(Error::invalid(
            "target_currency",
            "invalid_currency",
            "a stage's target is set in USD or VND",
        ));
    }
    positive_amount("target", cmd.target_minor, cmd.target_currency)?;
    check_items("target_items", cmd.target_items)?;
    if cmd.targets.len() > 200 {
        return Err(Error::invalid(
            "targets",
            "too_many",
            "a programme may list at most 200 priority sector groups and localities",
        ));
    }
    for (i, t) in cmd.targets.iter().enumerate() {
        if cmd.targets[..i]
            .iter()
            .any(|o| o.dimension == t.dimension && o.code == t.code)
        {
            return Err(Error::invalid(
                "targets",
                "duplicate",
                format!("targets list {} twice", shown(&t.code)),
            ));
        }
        if let Some(m) = t.target_minor {
            positive_amount("targets", m, cmd.target_currency)?;
            if m > cmd.target_minor {
                return Err(Error::invalid(
                    "targets",
                    "above_total",
                    format!(
                        "the target for {} is above the stage's whole target",
                        shown(&t.code)
                    ),
                ));
            }
        }
        check_items("targets", t.target_items)?;
    }
    Ok(())
}

fn shown(code: &str) -> String {
    format!("\"{}\"", code.chars().take(40).collect::<String>())
}

fn check_items(field: &str, n: Option<i64>) -> Result<()> {
    match n {
        Some(n) if !(1..=100_000).contains(&n) => Err(Error::invalid(
            field,
            "out_of_range",
            format!("{field}: a number of aid items from 1 to 100,000"),
        )),
        _ => Ok(()),
    }
}

/// Every code names a sector group (a top-level sector) or an administrative unit, and the
/// stage shares no day with another programme's.
async fn check_references(tx: &mut Tx, cmd: &NewProgramme, except: Option<i64>) -> Result<()> {
    let sectors = reference::list_sectors(tx).await?;
    let units = reference::list_admin_units(tx).await?;
    for t in &cmd.targets {
        let known = match t.dimension {
            TargetDimension::SectorGroup => sectors
                .iter()
                .any(|s| s.code == t.code && s.parent_code.is_none()),
            TargetDimension::Locality => units.iter().any(|u| u.code == t.code),
        };
        if !known {
            let what = match t.dimension {
                TargetDimension::SectorGroup => "sector group",
                TargetDimension::Locality => "administrative unit",
            };
            return Err(Error::invalid(
                "targets",
                "unknown_code",
                format!("there is no {what} with code {}", shown(&t.code)),
            ));
        }
    }
    if let Some(other) = programmes::overlapping(tx, cmd.starts_on, cmd.ends_on, except)
        .await?
        .first()
    {
        return Err(Error::invalid(
            "starts_on",
            "overlapping_stage",
            format!(
                "the stage overlaps programme {} ({} to {}); stages do not overlap",
                other.decision_number, other.starts_on, other.ends_on
            ),
        ));
    }
    Ok(())
}

pub async fn create_programme(ctx: &Ctx, actor: &Actor, cmd: NewProgramme) -> Result<i64> {
    let mut tx = ctx.store.write().await?;
    let id = create_programme_in(&mut tx, actor, cmd).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn create_programme_in(tx: &mut Tx, actor: &Actor, mut cmd: NewProgramme) -> Result<i64> {
    actor.require(Permission::EditMobilisation)?;
    validate(&mut cmd)?;
    check_references(tx, &cmd, None).await?;
    let now = crate::db::now();
    let id = programmes::insert_programme(tx, &cmd, now).await?;
    let after = view_in(tx, id).await?;
    record::<(), _>(
        tx,
        actor,
        "programme.create",
        "programme",
        id,
        None,
        Some(&after),
        now,
    )
    .await?;
    Ok(id)
}

/// Amends a programme (a new decision, a changed target); the entry keeps before and after.
pub async fn amend_programme(ctx: &Ctx, actor: &Actor, id: i64, cmd: NewProgramme) -> Result<()> {
    let mut tx = ctx.store.write().await?;
    amend_programme_in(&mut tx, actor, id, cmd).await?;
    tx.commit().await
}

pub async fn amend_programme_in(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    mut cmd: NewProgramme,
) -> Result<()> {
    actor.require(Permission::EditMobilisation)?;
    validate(&mut cmd)?;
    let before = view_in(tx, id).await?;
    check_references(tx, &cmd, Some(id)).await?;
    let now = crate::db::now();
    programmes::update_programme(tx, id, &cmd, now).await?;
    let after = view_in(tx, id).await?;
    record(
        tx,
        actor,
        "programme.amend",
        "programme",
        id,
        Some(&before),
        Some(&after),
        now,
    )
    .await
}

/// A programme with its targets, read in the caller's transaction.
pub async fn view_in(tx: &mut Tx, id: i64) -> Result<ProgrammeView> {
    let programme = programmes::get_programme(tx, id)
        .await?
        .ok_or_else(|| programme_not_found(id))?;
    let targets = programmes::targets_of(tx, id).await?;
    Ok(ProgrammeView { programme, targets })
}

/// Programmes are public decisions: every signed-in role may read them.
pub async fn list_programmes(ctx: &Ctx, actor: &Actor) -> Result<Vec<Programme>> {
    Scope::of(actor)?;
    let mut tx = ctx.store.read().await?;
    programmes::list_programmes(&mut tx).await
}

pub async fn programme(ctx: &Ctx, actor: &Actor, id: i64) -> Result<ProgrammeView> {
    Scope::of(actor)?;
    let mut tx = ctx.store.read().await?;
    view_in(&mut tx, id).await
}

/// The programme whose stage holds `day`, if any (stages do not overlap).
pub async fn programme_on(tx: &mut Tx, day: NaiveDate) -> Result<Option<ProgrammeView>> {
    match programmes::overlapping(tx, day, day, None)
        .await?
        .into_iter()
        .next()
    {
        Some(p) => Ok(Some(view_in(tx, p.id).await?)),
        None => Ok(None),
    }
}
