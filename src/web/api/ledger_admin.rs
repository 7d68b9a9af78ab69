//! The reviewer's side of the ledger: exchange rates, rollups, periods and their locks, issued
//! reports, and the audit trail.

use super::body::JsonBody;
use super::guard::{CurrentUser, QueryOnce, WriteMeta};
use super::parse;
use super::reply::Reply;
use super::views::RollupView;
use crate::actions::idempotency::write;
use crate::actions::queries::{self, AuditFilter};
use crate::actions::rates::{self, RateCmd};
use crate::actions::reports::IssueCmd;
use crate::actions::{Ctx, periods};
use crate::domain::rate::RateValue;
use crate::error::{Error, Result};
use crate::rollup::Dimension;
use rocket::State;
use rocket::http::{ContentType, Header};
use rocket::request::FromParam;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateBody {
    currency: String,
    date: String,
    to_vnd: String,
    to_usd: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnlockBody {
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueBody {
    period: String,
    lang: Option<String>,
    issued_on: Option<String>,
    number: Option<String>,
    /// Overrides of the configured signer; absent keeps the configuration.
    signer_authority: Option<String>,
    signer_title: Option<String>,
    signer_name: Option<String>,
    /// Replaces the configured recipients when present.
    recipients: Option<Vec<String>>,
    #[serde(default)]
    allow_empty_sections: bool,
}

fn rate_value(field: &str, s: &str) -> Result<RateValue> {
    s.parse::<RateValue>()
        .map_err(|e| Error::invalid(field, "invalid_rate", e.to_string()))
}

#[rocket::get("/exchange-rates?<currency>&<from>&<to>")]
pub async fn list_rates(
    ctx: &State<Ctx>,
    user: CurrentUser,
    currency: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    _once: QueryOnce,
) -> Result<Reply> {
    let currency = currency
        .map(|c| parse::currency("currency", c))
        .transpose()?;
    let from = parse::opt_date("from", from)?;
    let to = parse::opt_date("to", to)?;
    Reply::ok(&queries::list_rates(ctx, &user.0, currency, from, to).await?)
}

#[rocket::put("/exchange-rates", data = "<body>")]
pub async fn put_rate(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    body: Result<JsonBody<RateBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let b = body.value;
    let cmd = RateCmd {
        currency: parse::currency("currency", &b.currency)?,
        date: parse::date("date", &b.date)?,
        to_vnd: rate_value("to_vnd", &b.to_vnd)?,
        to_usd: rate_value("to_usd", &b.to_usd)?,
        source: b.source,
    };
    let actor = &user.0;
    let max_age = ctx.config.rate_max_age_days;
    let answer = write(ctx, actor, idem.as_ref(), 200, async |tx| {
        rates::enter_rate_in(tx, actor, &cmd, max_age).await
    })
    .await?;
    Ok(answer.into())
}

#[rocket::get("/rollups?<period>&<by>&<lang>")]
pub async fn rollup(
    ctx: &State<Ctx>,
    user: CurrentUser,
    period: Option<&str>,
    by: Option<&str>,
    lang: Option<&str>,
    _once: QueryOnce,
) -> Result<Reply> {
    let period = period.ok_or_else(|| {
        Error::invalid(
            "period",
            "missing_period",
            "give a period, for example period=2025-H1",
        )
    })?;
    let period = parse::period("period", period, ctx.config.vn_reporting_periods)?;
    let by = by.unwrap_or("sector");
    let dim: Dimension = by
        .parse()
        .map_err(|e: String| Error::invalid("by", "invalid_dimension", e))?;
    let lang = parse::lang("lang", lang)?;
    let table = queries::rollup(ctx, &user.0, &period, dim, lang).await?;
    Reply::ok(&RollupView::new(&table, by))
}

#[rocket::get("/periods")]
pub async fn list_periods(ctx: &State<Ctx>, user: CurrentUser) -> Result<Reply> {
    Reply::ok(&periods::list_periods(ctx, &user.0).await?)
}

#[rocket::post("/periods/<period>/lock")]
pub async fn lock(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    period: &str,
) -> Result<Reply> {
    let idem = meta.idempotency(b"")?;
    let period = parse::period("period", period, ctx.config.vn_reporting_periods)?;
    let actor = &user.0;
    let answer = write(ctx, actor, idem.as_ref(), 200, async |tx| {
        periods::lock_period_in(tx, actor, &period).await
    })
    .await?;
    Ok(answer.into())
}

#[rocket::post("/periods/<period>/unlock", data = "<body>")]
pub async fn unlock(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    period: &str,
    body: Result<JsonBody<UnlockBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let period = parse::period("period", period, ctx.config.vn_reporting_periods)?;
    let reason = body.value.reason;
    let actor = &user.0;
    let answer = write(ctx, actor, idem.as_ref(), 200, async |tx| {
        periods::unlock_period_in(tx, actor, &period, &reason).await
    })
    .await?;
    Ok(answer.into())
}

#[rocket::get("/reports?<period>")]
pub async fn list_reports(
    ctx: &State<Ctx>,
    user: CurrentUser,
    period: Option<&str>,
    _once: QueryOnce,
) -> Result<Reply> {
    Reply::ok(&queries::list_issued_reports(ctx, &user.0, period).await?)
}

#[rocket::post("/reports", data = "<body>")]
pub async fn issue(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    body: Result<JsonBody<IssueBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let b = body.value;
    let cmd = IssueCmd {
        period: parse::period("period", &b.period, ctx.config.vn_reporting_periods)?,
        lang: parse::lang("lang", b.lang.as_deref())?,
        issued_on: parse::opt_date("issued_on", b.issued_on.as_deref())?
            .unwrap_or_else(crate::actions::today_in_vietnam),
        number: parse::opt_text("number", b.number.as_deref(), 50)?.unwrap_or_default(),
        signer: crate::actions::reports::SignerInput {
            authority: b.signer_authority,
            title: b.signer_title,
            name: b.signer_name,
        },
        recipients: b.recipients,
        allow_empty_sections: b.allow_empty_sections,
    };
    let actor = &user.0;
    let config = &ctx.config;
    let answer = write(ctx, actor, idem.as_ref(), 201, async |tx| {
        crate::actions::reports::issue_report_in(tx, config, actor, &cmd)
            .await
            .map(|(issued, _pdf)| issued)
    })
    .await?;
    Ok(answer.into())
}

/// `12.pdf`: the id of an issued report as its file name.
pub struct PdfName(i64);

impl<'a> FromParam<'a> for PdfName {
    type Error = ();
    fn from_param(param: &'a str) -> std::result::Result<Self, ()> {
        param
            .strip_suffix(".pdf")
            .and_then(|id| id.parse().ok())
            .map(PdfName)
            .ok_or(())
    }
}

#[derive(rocket::Responder)]
pub struct Pdf {
    body: Vec<u8>,
    content_type: ContentType,
    disposition: Header<'static>,
    checksum: Header<'static>,
}

#[rocket::get("/reports/<file>")]
pub async fn download(ctx: &State<Ctx>, user: CurrentUser, file: PdfName) -> Result<Pdf> {
    let (issued, body) = queries::get_issued_pdf(ctx, &user.0, file.0).await?;
    // The name is built from stored codes only, never from request text.
    let name = format!(
        "aid-report-{}-{}-v{}.pdf",
        issued.period,
        issued.lang.code(),
        issued.version
    );
    Ok(Pdf {
        body,
        content_type: ContentType::PDF,
        disposition: Header::new(
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ),
        checksum: Header::new("X-Content-SHA256", issued.sha256),
    })
}

// Each query parameter is a handler argument in Rocket.
#[allow(clippy::too_many_arguments)]
#[rocket::get("/audit?<entity>&<entity_id>&<from>&<to>&<limit>")]
pub async fn audit(
    ctx: &State<Ctx>,
    user: CurrentUser,
    entity: Option<&str>,
    entity_id: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    limit: Option<&str>,
    _once: QueryOnce,
) -> Result<Reply> {
    let limit = parse::int("limit", limit, 100, 1..=1000)?;
    let filter = AuditFilter {
        entity: entity.map(|s| s.chars().take(64).collect()),
        entity_id: entity_id.map(|s| s.chars().take(64).collect()),
        from: from.map(|s| parse::timestamp("from", s)).transpose()?,
        to: to.map(|s| parse::timestamp("to", s)).transpose()?,
        limit,
    };
    Reply::ok(&queries::list_audit(ctx, &user.0, &filter).await?)
}
