//! `/organisations`: foreign NGOs, funders, aid owners and managing agencies. NGO staff see
//! only their own organisation; the actions decide that.

use super::body::JsonBody;
use super::guard::{CurrentUser, QueryOnce, WriteMeta};
use super::parse;
use super::reply::Reply;
use crate::actions::idempotency::write;
use crate::actions::updates::{self, OrganisationPatch};
use crate::actions::{Ctx, orgs, queries};
use crate::db::orgs::NewOrganisation;
use crate::domain::item::{CertificateType, OrgKind};
use crate::error::Result;
use rocket::State;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisationBody {
    kind: OrgKind,
    name_vi: String,
    name_en: String,
    acronym: Option<String>,
    nationality: String,
    iati_ref: Option<String>,
    cert_type: Option<CertificateType>,
    cert_number: Option<String>,
    cert_valid_from: Option<String>,
    cert_valid_to: Option<String>,
    #[serde(default)]
    sectors: Vec<String>,
    #[serde(default)]
    provinces: Vec<String>,
}

impl NewOrganisationBody {
    fn into_cmd(self) -> Result<NewOrganisation> {
        Ok(NewOrganisation {
            kind: self.kind,
            name_vi: parse::text("name_vi", &self.name_vi, 300)?,
            name_en: parse::text("name_en", &self.name_en, 300)?,
            acronym: parse::opt_text("acronym", self.acronym.as_deref(), 40)?,
            nationality: self.nationality,
            iati_ref: parse::opt_text("iati_ref", self.iati_ref.as_deref(), 100)?,
            cert_type: self.cert_type,
            cert_number: parse::opt_text("cert_number", self.cert_number.as_deref(), 100)?,
            cert_valid_from: parse::opt_date("cert_valid_from", self.cert_valid_from.as_deref())?,
            cert_valid_to: parse::opt_date("cert_valid_to", self.cert_valid_to.as_deref())?,
            sectors: self.sectors,
            provinces: self.provinces,
        })
    }
}

#[rocket::get("/organisations?<kind>&<q>")]
pub async fn list(
    ctx: &State<Ctx>,
    user: CurrentUser,
    kind: Option<&str>,
    q: Option<&str>,
    _once: QueryOnce,
) -> Result<Reply> {
    let kind = kind
        .map(|k| parse::code::<OrgKind>("kind", k))
        .transpose()?;
    Reply::ok(&queries::list_organisations(ctx, &user.0, kind, q).await?)
}

#[rocket::get("/organisations/<id>")]
pub async fn get(ctx: &State<Ctx>, user: CurrentUser, id: i64) -> Result<Reply> {
    Reply::ok(&queries::get_organisation(ctx, &user.0, id).await?)
}

#[rocket::post("/organisations", data = "<body>")]
pub async fn create(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    body: Result<JsonBody<NewOrganisationBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let cmd = body.value.into_cmd()?;
    let actor = &user.0;
    let answer = write(ctx, actor, idem.as_ref(), 201, async |tx| {
        let id = orgs::create_organisation_in(tx, actor, cmd).await?;
        queries::get_organisation_in(tx, actor, id).await
    })
    .await?;
    Ok(answer.into())
}

#[rocket::patch("/organisations/<id>", data = "<body>")]
pub async fn update(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
    body: Result<JsonBody<OrganisationPatch>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let patch = body.value;
    let actor = &user.0;
    let answer = write(ctx, actor, idem.as_ref(), 200, async |tx| {
        updates::update_organisation_in(tx, actor, id, &patch).await
    })
    .await?;
    Ok(answer.into())
}
