//! `/aid-items`: programmes, projects, non-project aid and relief, with their sector and
//! locality allocations. Lists are filtered, searched and paged; NGO staff see their own
//! organisation's items only (the actions decide that).

use super::body::JsonBody;
use super::guard::{CurrentUser, QueryOnce, WriteMeta};
use super::parse;
use super::reply::Reply;
use crate::actions::idempotency::write;
use crate::actions::queries::{self, ItemFilter};
use crate::actions::updates::{self, ItemPatch};
use crate::actions::{Ctx, items};
use crate::db::items::NewAidItem;
use crate::domain::item::{AidForm, ItemStatus, Modality};
use crate::error::Result;
use rocket::State;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareBody {
    code: String,
    share_bp: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewItemBody {
    code: String,
    title_vi: String,
    title_en: String,
    modality: Modality,
    form: AidForm,
    donor_id: i64,
    funding_source_id: Option<i64>,
    aid_owner_id: i64,
    managing_agency_id: i64,
    approval_number: Option<String>,
    approval_date: Option<String>,
    approval_authority: Option<String>,
    legal_basis: String,
    planned_start: String,
    planned_end: String,
    actual_start: Option<String>,
    actual_end: Option<String>,
    status: ItemStatus,
    beneficiaries: Option<String>,
    sectors: Vec<ShareBody>,
    localities: Vec<ShareBody>,
}

impl NewItemBody {
    fn into_cmd(self) -> Result<NewAidItem> {
        let shares = |v: Vec<ShareBody>| v.into_iter().map(|s| (s.code, s.share_bp)).collect();
        Ok(NewAidItem {
            code: parse::text("code", &self.code, 40)?,
            title_vi: parse::text("title_vi", &self.title_vi, 500)?,
            title_en: parse::text("title_en", &self.title_en, 500)?,
            modality: self.modality,
            form: self.form,
            donor_id: self.donor_id,
            funding_source_id: self.funding_source_id,
            aid_owner_id: self.aid_owner_id,
            managing_agency_id: self.managing_agency_id,
            approval_number: parse::opt_text(
                "approval_number",
                self.approval_number.as_deref(),
                100,
            )?,
            approval_date: parse::opt_date("approval_date", self.approval_date.as_deref())?,
            approval_authority: parse::opt_text(
                "approval_authority",
                self.approval_authority.as_deref(),
                200,
            )?,
            legal_basis: parse::text("legal_basis", &self.legal_basis, 100)?,
            planned_start: parse::date("planned_start", &self.planned_start)?,
            planned_end: parse::date("planned_end", &self.planned_end)?,
            actual_start: parse::opt_date("actual_start", self.actual_start.as_deref())?,
            actual_end: parse::opt_date("actual_end", self.actual_end.as_deref())?,
            status: self.status,
            beneficiaries: parse::opt_multiline(
                "beneficiaries",
                self.beneficiaries.as_deref(),
                2000,
            )?,
            sectors: shares(self.sectors),
            localities: shares(self.localities),
        })
    }
}

#[allow(clippy::too_many_arguments)]
#[rocket::get("/aid-items?<status>&<modality>&<donor_id>&<q>&<limit>&<offset>")]
pub async fn list(
    ctx: &State<Ctx>,
    user: CurrentUser,
    status: Option<&str>,
    modality: Option<&str>,
    donor_id: Option<&str>,
    q: Option<&str>,
    limit: Option<&str>,
    offset: Option<&str>,
    _once: QueryOnce,
) -> Result<Reply> {
    let limit = parse::int("limit", limit, 100, 1..=500)?;
    let offset = parse::int("offset", offset, 0, 0..=i64::from(i32::MAX))?;
    let donor_id = parse::opt_id("donor_id", donor_id)?;
    let filter = ItemFilter {
        status: status.map(|s| parse::code("status", s)).transpose()?,
        modality: modality.map(|s| parse::code("modality", s)).transpose()?,
        donor_id,
        q: q.map(|s| s.chars().take(200).collect()),
        limit,
        offset,
    };
    Reply::ok(&queries::list_items(ctx, &user.0, &filter).await?)
}

#[rocket::get("/aid-items/<id>")]
pub async fn get(ctx: &State<Ctx>, user: CurrentUser, id: i64) -> Result<Reply> {
    Reply::ok(&queries::get_item(ctx, &user.0, id).await?)
}

#[rocket::post("/aid-items", data = "<body>")]
pub async fn create(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    body: Result<JsonBody<NewItemBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let cmd = body.value.into_cmd()?;
    let actor = &user.0;
    let answer = write(ctx, actor, idem.as_ref(), 201, async |tx| {
        let id = items::create_item_in(tx, actor, cmd).await?;
        queries::get_item_in(tx, actor, id).await
    })
    .await?;
    Ok(answer.into())
}

#[rocket::patch("/aid-items/<id>", data = "<body>")]
pub async fn update(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
    body: Result<JsonBody<ItemPatch>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let patch = body.value;
    let actor = &user.0;
    let answer = write(ctx, actor, idem.as_ref(), 200, async |tx| {
        updates::update_item_in(tx, actor, id, &patch).await
    })
    .await?;
    Ok(answer.into())
}
