//! `/programmes`, `/proposals` and `/interests`: the stage programmes with their targets and
//! progress, the proposals offered to NGOs with their path, presentations and NGO interest.
//! Amounts travel as canonical decimal strings beside their currency, as everywhere in the API;
//! the actions decide who may do what and what an NGO user sees.

use super::body::JsonBody;
use super::guard::{CurrentUser, QueryOnce, WriteMeta};
use super::parse;
use super::reply::Reply;
use super::views::amount;
use crate::actions::Ctx;
use crate::actions::idempotency::write;
use crate::actions::mobilisation::programmes::{self, ProgrammeView};
use crate::actions::mobilisation::progress;
use crate::actions::mobilisation::proposals::{self, ProposalView};
use crate::actions::scope::Scope;
use crate::db::programmes::{NewProgramme, ProgrammeTarget};
use crate::db::proposals::{Interest, NewProposal, Presentation, Proposal};
use crate::domain::Currency;
use crate::domain::mobilisation::{ProposalStatus, TargetDimension};
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use rocket::State;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetBody {
    dimension: TargetDimension,
    code: String,
    target: Option<String>,
    target_items: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeBody {
    name_vi: String,
    name_en: String,
    decision_number: String,
    decision_date: String,
    decision_authority: String,
    starts_on: String,
    ends_on: String,
    target: String,
    target_currency: String,
    target_items: Option<i64>,
    #[serde(default)]
    targets: Vec<TargetBody>,
}

impl ProgrammeBody {
    fn into_cmd(self) -> Result<NewProgramme> {
        let currency = parse::currency("target_currency", &self.target_currency)?;
        let mut targets = Vec::with_capacity(self.targets.len());
        for t in self.targets {
            targets.push(ProgrammeTarget {
                dimension: t.dimension,
                code: parse::text("targets", &t.code, 40)?,
                target_minor: t
                    .target
                    .map(|a| parse::amount("targets", &a, currency).map(|m| m.minor()))
                    .transpose()?,
                target_items: t.target_items,
            });
        }
        Ok(NewProgramme {
            name_vi: parse::text("name_vi", &self.name_vi, 500)?,
            name_en: parse::text("name_en", &self.name_en, 500)?,
            decision_number: parse::text("decision_number", &self.decision_number, 100)?,
            decision_date: parse::date("decision_date", &self.decision_date)?,
            decision_authority: parse::text("decision_authority", &self.decision_authority, 300)?,
            starts_on: parse::date("starts_on", &self.starts_on)?,
            ends_on: parse::date("ends_on", &self.ends_on)?,
            target_minor: parse::amount("target", &self.target, currency)?.minor(),
            target_currency: currency,
            target_items: self.target_items,
            targets,
        })
    }
}

#[derive(Serialize)]
pub struct TargetOut {
    dimension: TargetDimension,
    code: String,
    target: Option<String>,
    target_items: Option<i64>,
}

#[derive(Serialize)]
pub struct ProgrammeOut {
    id: i64,
    name_vi: String,
    name_en: String,
    decision_number: String,
    decision_date: NaiveDate,
    decision_authority: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    target: String,
    target_currency: Currency,
    target_items: Option<i64>,
    targets: Vec<TargetOut>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<ProgrammeView> for ProgrammeOut {
    fn from(v: ProgrammeView) -> Self {
        let p = v.programme;
        let cur = p.target_currency;
        ProgrammeOut {
            id: p.id,
            name_vi: p.name_vi,
            name_en: p.name_en,
            decision_number: p.decision_number,
            decision_date: p.decision_date,
            decision_authority: p.decision_authority,
            starts_on: p.starts_on,
            ends_on: p.ends_on,
            target: amount(p.target_minor, cur),
            target_currency: cur,
            target_items: p.target_items,
            targets: v
                .targets
                .into_iter()
                .map(|t| TargetOut {
                    dimension: t.dimension,
                    code: t.code,
                    target: t.target_minor.map(|m| amount(m, cur)),
                    target_items: t.target_items,
                })
                .collect(),
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[rocket::get("/programmes")]
pub async fn list_programmes(ctx: &State<Ctx>, user: CurrentUser) -> Result<Reply> {
    let mut out = Vec::new();
    for p in programmes::list_programmes(ctx, &user.0).await? {
        out.push(ProgrammeOut::from(
            programmes::programme(ctx, &user.0, p.id).await?,
        ));
    }
    Reply::ok(&out)
}

#[rocket::get("/programmes/<id>")]
pub async fn get_programme(ctx: &State<Ctx>, user: CurrentUser, id: i64) -> Result<Reply> {
    Reply::ok(&ProgrammeOut::from(
        programmes::programme(ctx, &user.0, id).await?,
    ))
}

#[rocket::post("/programmes", data = "<body>")]
pub async fn create_programme(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    body: Result<JsonBody<ProgrammeBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let actor = &user.0;
    user.0
        .require(crate::domain::role::Permission::EditMobilisation)?;
    let cmd = body.value.into_cmd()?;
    let answer = write(ctx, actor, idem.as_ref(), 201, async |tx| {
        let id = programmes::create_programme_in(tx, actor, cmd).await?;
        Ok(ProgrammeOut::from(programmes::view_in(tx, id).await?))
    })
    .await?;
    Ok(answer.into())
}

#[rocket::put("/programmes/<id>", data = "<body>")]
pub async fn amend_programme(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
    body: Result<JsonBody<ProgrammeBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let actor = &user.0;
    actor.require(crate::domain::role::Permission::EditMobilisation)?;
    let cmd = body.value.into_cmd()?;
    let answer = write(ctx, actor, idem.as_ref(), 200, async |tx| {
        programmes::amend_programme_in(tx, actor, id, cmd).await?;
        Ok(ProgrammeOut::from(programmes::view_in(tx, id).await?))
    })
    .await?;
    Ok(answer.into())
}

#[derive(Serialize)]
pub struct PairOut {
    vnd: String,
    usd: String,
}

fn pair(p: crate::rollup::figures::Pair) -> PairOut {
    PairOut {
        vnd: amount(p.vnd, Currency::VND),
        usd: amount(p.usd_cents, Currency::USD),
    }
}

#[derive(Serialize)]
pub struct TargetProgressOut {
    dimension: TargetDimension,
    code: String,
    target: Option<String>,
    target_items: Option<i64>,
    committed: PairOut,
    items: usize,
}

#[derive(Serialize)]
pub struct ProgressOut {
    programme_id: i64,
    through: NaiveDate,
    target: String,
    target_currency: Currency,
    /// The committed value in the target's currency, as the percentage is computed.
    achieved: String,
    committed: PairOut,
    committed_in_period: PairOut,
    items: usize,
    items_in_period: usize,
    target_items: Option<i64>,
    targets: Vec<TargetProgressOut>,
    proposals_by_status: std::collections::BTreeMap<String, usize>,
    from_proposals: PairOut,
}

/// A stage's progress to `to` (default: the stage's end), with the period from `from`.
#[rocket::get("/programmes/<id>/progress?<from>&<to>")]
pub async fn programme_progress(
    ctx: &State<Ctx>,
    user: CurrentUser,
    id: i64,
    from: Option<&str>,
    to: Option<&str>,
    _once: QueryOnce,
) -> Result<Reply> {
    let view = programmes::programme(ctx, &user.0, id).await?;
    let to = parse::opt_date("to", to)?.unwrap_or(view.programme.ends_on);
    let from = parse::opt_date("from", from)?.unwrap_or(view.programme.starts_on);
    let s = progress::progress(ctx, &user.0, id, from, to).await?;
    let cur = s.programme.target_currency;
    Reply::ok(&ProgressOut {
        programme_id: id,
        through: s.through,
        target: amount(s.programme.target_minor, cur),
        target_currency: cur,
        achieved: amount(s.achieved(), cur),
        committed: pair(s.committed),
        committed_in_period: pair(s.committed_in_period),
        items: s.items.len(),
        items_in_period: s.items_in_period.len(),
        target_items: s.programme.target_items,
        proposals_by_status: s
            .by_status()
            .into_iter()
            .map(|(st, n)| (st.code().to_string(), n))
            .collect(),
        from_proposals: pair(s.from_proposals),
        targets: s
            .targets
            .into_iter()
            .map(|t| TargetProgressOut {
                dimension: t.target.dimension,
                target: t.target.target_minor.map(|m| amount(m, cur)),
                code: t.target.code,
                target_items: t.target.target_items,
                committed: pair(t.committed),
                items: t.items,
            })
            .collect(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalBody {
    programme_id: i64,
    title_vi: String,
    title_en: String,
    sector_code: String,
    unit_code: String,
    estimate: String,
    currency: String,
    aid_owner_id: i64,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    published: bool,
}

impl ProposalBody {
    fn into_cmd(self) -> Result<NewProposal> {
        let currency = parse::currency("currency", &self.currency)?;
        Ok(NewProposal {
            programme_id: self.programme_id,
            title_vi: parse::text("title_vi", &self.title_vi, 500)?,
            title_en: parse::text("title_en", &self.title_en, 500)?,
            sector_code: parse::text("sector_code", &self.sector_code, 40)?,
            unit_code: parse::text("unit_code", &self.unit_code, 40)?,
            estimate_minor: parse::amount("estimate", &self.estimate, currency)?.minor(),
            currency,
            aid_owner_id: self.aid_owner_id,
            summary: self.summary,
            published: self.published,
        })
    }
}

#[derive(Serialize)]
pub struct ProposalOut {
    id: i64,
    programme_id: i64,
    title_vi: String,
    title_en: String,
    sector_code: String,
    unit_code: String,
    estimate: String,
    currency: Currency,
    aid_owner_id: i64,
    summary: String,
    status: ProposalStatus,
    published: bool,
    item_id: Option<i64>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<Proposal> for ProposalOut {
    fn from(p: Proposal) -> Self {
        ProposalOut {
            id: p.id,
            programme_id: p.programme_id,
            title_vi: p.title_vi,
            title_en: p.title_en,
            sector_code: p.sector_code,
            unit_code: p.unit_code,
            estimate: amount(p.estimate_minor, p.currency),
            currency: p.currency,
            aid_owner_id: p.aid_owner_id,
            summary: p.summary,
            status: p.status,
            published: p.published,
            item_id: p.item_id,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[derive(Serialize)]
pub struct ProposalDetail {
    #[serde(flatten)]
    proposal: ProposalOut,
    presentations: Vec<Presentation>,
    interests: Vec<Interest>,
    activity_ids: Vec<i64>,
}

impl From<ProposalView> for ProposalDetail {
    fn from(v: ProposalView) -> Self {
        ProposalDetail {
            proposal: v.proposal.into(),
            presentations: v.presentations,
            interests: v.interests,
            activity_ids: v.activity_ids,
        }
    }
}

#[rocket::get("/proposals?<programme_id>&<status>")]
pub async fn list_proposals(
    ctx: &State<Ctx>,
    user: CurrentUser,
    programme_id: Option<&str>,
    status: Option<&str>,
    _once: QueryOnce,
) -> Result<Reply> {
    let programme_id = parse::opt_id("programme_id", programme_id)?;
    let status = status
        .map(|s| parse::code::<ProposalStatus>("status", s))
        .transpose()?;
    let list: Vec<ProposalOut> = proposals::list_proposals(ctx, &user.0, programme_id)
        .await?
        .into_iter()
        .filter(|p| status.is_none_or(|s| p.status == s))
        .map(ProposalOut::from)
        .collect();
    Reply::ok(&list)
}

#[rocket::get("/proposals/<id>")]
pub async fn get_proposal(ctx: &State<Ctx>, user: CurrentUser, id: i64) -> Result<Reply> {
    Reply::ok(&ProposalDetail::from(
        proposals::proposal(ctx, &user.0, id).await?,
    ))
}

#[rocket::post("/proposals", data = "<body>")]
pub async fn create_proposal(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    body: Result<JsonBody<ProposalBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let actor = &user.0;
    actor.require(crate::domain::role::Permission::EditMobilisation)?;
    let cmd = body.value.into_cmd()?;
    let answer = write(ctx, actor, idem.as_ref(), 201, async |tx| {
        let id = proposals::create_proposal_in(tx, actor, cmd).await?;
        Ok(ProposalDetail::from(
            proposals::proposal_in(tx, Scope::All, id).await?,
        ))
    })
    .await?;
    Ok(answer.into())
}

#[rocket::put("/proposals/<id>", data = "<body>")]
pub async fn edit_proposal(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
    body: Result<JsonBody<ProposalBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let actor = &user.0;
    actor.require(crate::domain::role::Permission::EditMobilisation)?;
    let cmd = body.value.into_cmd()?;
    let answer = write(ctx, actor, idem.as_ref(), 200, async |tx| {
        proposals::edit_proposal_in(tx, actor, id, cmd).await?;
        Ok(ProposalDetail::from(
            proposals::proposal_in(tx, Scope::All, id).await?,
        ))
    })
    .await?;
    Ok(answer.into())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
    status: String,
    item_id: Option<i64>,
}

#[rocket::post("/proposals/<id>/status", data = "<body>")]
pub async fn move_proposal(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
    body: Result<JsonBody<MoveBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let actor = &user.0;
    let next = parse::code::<ProposalStatus>("status", &body.value.status)?;
    let item = body.value.item_id;
    let answer = write(ctx, actor, idem.as_ref(), 200, async |tx| {
        proposals::move_proposal_in(tx, actor, id, next, item).await?;
        Ok(ProposalDetail::from(
            proposals::proposal_in(tx, Scope::All, id).await?,
        ))
    })
    .await?;
    Ok(answer.into())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresentationBody {
    organisation_id: i64,
    presented_on: String,
}

#[rocket::post("/proposals/<id>/presentations", data = "<body>")]
pub async fn present_proposal(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
    body: Result<JsonBody<PresentationBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let actor = &user.0;
    let on = parse::date("presented_on", &body.value.presented_on)?;
    let org = body.value.organisation_id;
    let answer = write(ctx, actor, idem.as_ref(), 201, async |tx| {
        let pid = proposals::record_presentation_in(tx, actor, id, org, on, None).await?;
        let view = proposals::proposal_in(tx, Scope::All, id).await?;
        view.presentations
            .into_iter()
            .find(|p| p.id == pid)
            .ok_or_else(|| crate::error::Error::Internal(format!("presentation {pid} vanished")))
    })
    .await?;
    Ok(answer.into())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterestBody {
    #[serde(default)]
    note: String,
}

/// NGO staff register their organisation's interest in a published proposal.
#[rocket::post("/proposals/<id>/interest", data = "<body>")]
pub async fn register_interest(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
    body: Result<JsonBody<InterestBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let actor = &user.0;
    actor.require(crate::domain::role::Permission::RegisterInterest)?;
    let Some(org) = actor.organisation_id else {
        return Err(crate::error::Error::Forbidden(
            "this account belongs to no organisation, so it may not register interest".into(),
        ));
    };
    let note = body.value.note;
    let answer = write(ctx, actor, idem.as_ref(), 201, async |tx| {
        let iid = proposals::register_interest_in(tx, actor, id, org, note).await?;
        crate::db::proposals::get_interest(tx, iid)
            .await?
            .ok_or_else(|| crate::error::Error::Internal(format!("interest {iid} vanished")))
    })
    .await?;
    Ok(answer.into())
}

#[rocket::get("/interests")]
pub async fn open_interests(ctx: &State<Ctx>, user: CurrentUser) -> Result<Reply> {
    Reply::ok(&proposals::open_interests(ctx, &user.0).await?)
}

#[rocket::post("/interests/<id>/acknowledge")]
pub async fn acknowledge_interest(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
) -> Result<Reply> {
    let idem = meta.idempotency(b"")?;
    let actor = &user.0;
    let answer = write(ctx, actor, idem.as_ref(), 200, async |tx| {
        proposals::acknowledge_interest_in(tx, actor, id).await?;
        crate::db::proposals::get_interest(tx, id)
            .await?
            .ok_or_else(|| crate::error::Error::Internal(format!("interest {id} vanished")))
    })
    .await?;
    Ok(answer.into())
}
