//! `/portal`: an NGO's own page: its organisation and certificate, what the province's report
//! shows for it, its items, milestone progress reports (with evidence; pending, accepted or
//! returned with the coordinator's note) and disbursement reports, which are stored as drafts
//! for a coordinator. An amount is read in the person's own format and shown back, as
//! understood, for confirmation before anything is saved. Province staff are sent to `/`.

use super::portal_view::{DisbForm, Forms, PortalPage, ProgressForm, build};
use super::text;
use crate::actions::ledger;
use crate::actions::progress::{self, ProgressReport};
use crate::actions::{Ctx, items_views};
use crate::db::ledger::NewDisbursement;
use crate::domain::item::{DisbursementStatus, Role};
use crate::domain::{Currency, Lang, Money};
use crate::error::{Error, Result};
use crate::web::pages::fmt;
use crate::web::pages::forms::parse_date;
use crate::web::pages::frame::{Page, Posted, Viewer};
use rocket::State;
use rocket::http::Status;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};

type Answer = std::result::Result<Page, Flash<Redirect>>;

#[rocket::get("/portal")]
pub async fn show(
    ctx: &State<Ctx>,
    v: Viewer,
    flash: Option<FlashMessage<'_>>,
) -> Result<std::result::Result<Page, Redirect>> {
    if v.role() != Some(Role::Ngo) {
        return Ok(Err(Redirect::to("/")));
    }
    let data = items_views::portal(ctx, &v.actor, v.lang).await?;
    Ok(Ok(Page::render(&build(
        &v,
        flash,
        &data,
        Forms::default(),
    ))?))
}

async fn refused(ctx: &Ctx, v: &Viewer, forms: Forms) -> Result<Answer> {
    let data = items_views::portal(ctx, &v.actor, v.lang).await?;
    let page: PortalPage = build(v, None, &data, forms);
    Ok(Ok(Page::with_status(Status::UnprocessableEntity, &page)?))
}

/// The message for a refused field, in the reader's language where the code is known.
fn field_message(lang: Lang, code: &str, fallback: &str) -> String {
    let key = match code {
        "actual_date_required" => "items.portal.err.actual_date_required",
        "future_date" => "items.portal.err.future_date",
        "invalid_evidence" => "items.portal.err.evidence",
        "invalid_status" => "items.portal.err.status",
        "invalid_amount" => "items.portal.err.amount",
        "period_locked" => "items.portal.err.locked",
        "text_control" => "forms.err.text_control",
        "text_bidi" => "forms.err.text_bidi",
        "date_out_of_range" => "forms.err.date_out_of_range",
        "amount_above_maximum" => "forms.err.amount_above_maximum",
        _ => return fallback.to_string(),
    };
    text(lang, key).to_string()
}

#[derive(rocket::FromForm)]
pub struct ProgressInput {
    status: String,
    actual_date: String,
    evidence: String,
}

#[rocket::post("/portal/milestones/<id>/progress", data = "<form>")]
pub async fn report_progress(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    form: Posted<ProgressInput>,
) -> Result<Answer> {
    let lang = v.lang;
    let input = form.value;
    let mut kept = ProgressForm {
        milestone_id: id,
        status: input.status.clone(),
        actual_date: input.actual_date.clone(),
        evidence: input.evidence.clone(),
        error: None,
    };
    let date = if input.actual_date.trim().is_empty() {
        None
    } else if let Some(d) = parse_date(&input.actual_date) {
        Some(d)
    } else {
        kept.error = Some((
            "actual_date".into(),
            text(lang, "items.portal.err.date").into(),
        ));
        return refused(ctx, &v, Forms::progress(kept)).await;
    };
    let Ok(status) = input.status.parse() else {
        kept.error = Some((
            "status".into(),
            text(lang, "items.portal.err.status").into(),
        ));
        return refused(ctx, &v, Forms::progress(kept)).await;
    };
    let report = ProgressReport {
        status,
        actual_date: date,
        evidence: input.evidence,
    };
    match progress::report_milestone_progress(ctx, &v.actor, id, &report).await {
        Ok(_) => Ok(Err(Flash::success(
            Redirect::to("/portal"),
            text(lang, "items.portal.progress_saved"),
        ))),
        Err(Error::Invalid {
            field,
            code,
            message,
        }) => {
            kept.error = Some((
                field.unwrap_or_default(),
                field_message(lang, code, &message),
            ));
            refused(ctx, &v, Forms::progress(kept)).await
        }
        Err(e) => Err(e),
    }
}

#[derive(rocket::FromForm)]
pub struct DisbInput {
    item_id: String,
    amount: String,
    currency: String,
    value_date: String,
    confirm: Option<String>,
}

#[rocket::post("/portal/disbursements", data = "<form>")]
pub async fn report_disbursement(
    ctx: &State<Ctx>,
    v: Viewer,
    form: Posted<DisbInput>,
) -> Result<Answer> {
    let lang = v.lang;
    let input = form.value;
    let mut kept = DisbForm {
        item_id: input.item_id.clone(),
        amount: input.amount.clone(),
        currency: input.currency.clone(),
        value_date: input.value_date.clone(),
        error: None,
        understood: None,
    };
    let fail = |field: &str, msg: String| Some((field.to_string(), msg));
    let Ok(item_id) = input.item_id.trim().parse::<i64>() else {
        kept.error = fail("item_id", text(lang, "items.portal.err.item").into());
        return refused(ctx, &v, Forms::disbursement(kept)).await;
    };
    let Ok(currency) = input.currency.trim().parse::<Currency>() else {
        kept.error = fail("currency", text(lang, "items.portal.err.currency").into());
        return refused(ctx, &v, Forms::disbursement(kept)).await;
    };
    let money = match Money::parse_localized(&input.amount, currency, lang) {
        Ok(m) => m,
        Err(e) => {
            let msg = format!("{} ({e})", text(lang, "items.portal.err.amount_format"));
            kept.error = fail("amount", msg);
            return refused(ctx, &v, Forms::disbursement(kept)).await;
        }
    };
    let Some(value_date) = parse_date(&input.value_date) else {
        kept.error = fail("value_date", text(lang, "items.portal.err.date").into());
        return refused(ctx, &v, Forms::disbursement(kept)).await;
    };
    if input.confirm.as_deref() != Some("1") {
        // The first send only shows what was understood; nothing is saved yet.
        kept.understood = Some(money.format_with_currency(lang));
        kept.amount = money.format(lang);
        let data = items_views::portal(ctx, &v.actor, lang).await?;
        return Ok(Ok(Page::render(&build(
            &v,
            None,
            &data,
            Forms::disbursement(kept),
        ))?));
    }
    let cmd = NewDisbursement {
        item_id,
        amount_minor: money.minor(),
        currency,
        value_date,
        tranche: None,
        milestone_id: None,
        reverses_id: None,
        status: DisbursementStatus::Draft,
        entered_by: None,
        verified_by: None,
        verified_at: None,
    };
    match ledger::record_disbursement_row(ctx, &v.actor, cmd).await {
        Ok(row) => Ok(Err(Flash::success(
            Redirect::to("/portal"),
            format!(
                "{} {}",
                text(lang, "items.portal.disbursement_saved"),
                fmt::money(row.amount_minor, row.currency, lang)
            ),
        ))),
        Err(Error::Invalid {
            field,
            code,
            message,
        }) => {
            let field = match field.as_deref() {
                Some(f @ ("amount" | "value_date")) => f.to_string(),
                _ => "item_id".to_string(),
            };
            kept.error = Some((field, field_message(lang, code, &message)));
            refused(ctx, &v, Forms::disbursement(kept)).await
        }
        Err(Error::Conflict { code, message, .. }) => {
            kept.error = Some(("value_date".into(), field_message(lang, code, &message)));
            refused(ctx, &v, Forms::disbursement(kept)).await
        }
        Err(e) => Err(e),
    }
}
