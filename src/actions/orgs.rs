//! Registering organisations: foreign NGOs with their certificate, funders, aid owners and
//! managing agencies.

use super::{Actor, Ctx, record};
use crate::db::orgs::{self, NewOrganisation};
use crate::db::{Tx, reference};
use crate::domain::item::{AdminLevel, OrgKind};
use crate::domain::role::Permission;
use crate::error::{Error, Result};

/// The rules an organisation's fields obey, on creation and on every update. Text is cleaned
/// in place under the domain's text rule.
pub(crate) fn validate(cmd: &mut NewOrganisation) -> Result<()> {
    use crate::domain::text::{line_field, opt_line_field};
    line_field("name_vi", &mut cmd.name_vi, 300)?;
    line_field("name_en", &mut cmd.name_en, 300)?;
    opt_line_field("acronym", &mut cmd.acronym, 40)?;
    opt_line_field("iati_ref", &mut cmd.iati_ref, 100)?;
    opt_line_field("cert_number", &mut cmd.cert_number, 100)?;
    for (field, d) in [
        ("cert_valid_from", cmd.cert_valid_from),
        ("cert_valid_to", cmd.cert_valid_to),
    ] {
        if let Some(d) = d {
            crate::domain::period::reportable_field(field, d)?;
        }
    }
    if cmd.nationality.len() != 2 || !cmd.nationality.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(Error::invalid(
            "nationality",
            "invalid_country",
            "nationality must be an ISO 3166 two-letter code in capitals, such as US or KR",
        ));
    }
    if cmd.kind == OrgKind::ForeignNgo && cmd.nationality == "VN" {
        return Err(Error::invalid(
            "nationality",
            "invalid_country",
            "a foreign NGO cannot have Vietnamese nationality",
        ));
    }
    if cmd.cert_type.is_some() != cmd.cert_number.is_some() {
        return Err(Error::invalid(
            "cert_number",
            "incomplete_certificate",
            "give both the certificate type and its number, or neither",
        ));
    }
    if let (Some(from), Some(to)) = (cmd.cert_valid_from, cmd.cert_valid_to)
        && to < from
    {
        return Err(Error::invalid(
            "cert_valid_to",
            "invalid_dates",
            "the certificate's end date is before its start date",
        ));
    }
    Ok(())
}

/// The registered sectors and provinces must exist, each named once: a wrong code is the
/// person's mistake to correct, not a foreign-key failure.
async fn check_references(tx: &mut Tx, cmd: &NewOrganisation) -> Result<()> {
    let sectors = reference::list_sectors(tx).await?;
    let units = reference::list_admin_units(tx).await?;
    for (field, codes) in [("sectors", &cmd.sectors), ("provinces", &cmd.provinces)] {
        if codes.len() > 100 {
            return Err(Error::invalid(
                field,
                "too_many",
                format!("{field} may list at most 100 codes"),
            ));
        }
        for (i, code) in codes.iter().enumerate() {
            if codes[..i].contains(code) {
                return Err(Error::invalid(
                    field,
                    "duplicate",
                    format!("{field} lists {code} twice"),
                ));
            }
            let known = if field == "sectors" {
                sectors.iter().any(|s| &s.code == code)
            } else {
                units
                    .iter()
                    .any(|u| &u.code == code && u.level == AdminLevel::Province)
            };
            if !known {
                let what = if field == "sectors" {
                    "sector"
                } else {
                    "province"
                };
                return Err(Error::invalid(
                    field,
                    "unknown_code",
                    format!(
                        "there is no {what} with code \"{}\"",
                        code.chars().take(40).collect::<String>()
                    ),
                ));
            }
        }
    }
    Ok(())
}

pub async fn create_organisation(ctx: &Ctx, actor: &Actor, cmd: NewOrganisation) -> Result<i64> {
    let mut tx = ctx.store.write().await?;
    let id = create_organisation_in(&mut tx, actor, cmd).await?;
    tx.commit().await?;
    Ok(id)
}

/// Like [`create_organisation`], returning the stored row.
pub async fn create_organisation_row(
    ctx: &Ctx,
    actor: &Actor,
    cmd: NewOrganisation,
) -> Result<orgs::Organisation> {
    let mut tx = ctx.store.write().await?;
    let id = create_organisation_in(&mut tx, actor, cmd).await?;
    let row = orgs::get_organisation(&mut tx, id)
        .await?
        .ok_or_else(|| Error::Internal(format!("organisation {id} vanished after insert")))?;
    tx.commit().await?;
    Ok(row)
}

pub async fn create_organisation_in(
    tx: &mut Tx,
    actor: &Actor,
    mut cmd: NewOrganisation,
) -> Result<i64> {
    actor.require(Permission::EditOrganisations)?;
    validate(&mut cmd)?;
    check_references(tx, &cmd).await?;
    let now = crate::db::now();
    let id = match orgs::insert_organisation(tx, &cmd, now).await {
        Err(Error::Db(e)) if crate::db::is_unique_violation(&e) => {
            return Err(Error::invalid(
                "iati_ref",
                "duplicate",
                "another organisation already has this IATI reference",
            ));
        }
        other => other?,
    };
    let after = orgs::get_organisation(tx, id).await?;
    record::<(), _>(
        tx,
        actor,
        "organisation.create",
        "organisation",
        id,
        None,
        after.as_ref(),
        now,
    )
    .await?;
    Ok(id)
}
