//! `/activities/<id>`: one promotion activity: what, when, where, under which programme, who
//! took part, which proposals were presented, the outcome and the documents; for coordinators
//! the edit form and the upload. NGO staff see it only if their organisation took part, with
//! their own organisation and the published proposals (the action decides that).

use super::activities::{LABELS, Parts, Row, parts, pick, read, row, values};
use super::evidence::{DocView, doc_view, limit_text};
use super::forms::Form;
use super::frame::{Frame, Page, Posted, Viewer};
use super::i18n::text;
use crate::actions::Ctx;
use crate::actions::evidence;
use crate::actions::mobilisation::activities::{self as act, ActivityView};
use crate::actions::mobilisation::activities_views::{Choices, choices};
use crate::domain::role::Permission;
use crate::error::Result;
use askama::Template;
use rocket::State;
use rocket::http::Status;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};
use std::collections::HashMap;

/// A record the activity names, with the page it links to (none for NGO staff's view of a
/// record they may not open).
pub struct Named {
    pub label: String,
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "activities/show.html", config = "src/web/pages/askama.toml")]
struct ShowPage {
    f: Frame,
    a: Row,
    outcome: String,
    organisations: Vec<Named>,
    proposals: Vec<Named>,
    docs: Vec<DocView>,
    can_edit: bool,
    fm: Form,
    p: Parts,
    upload_action: String,
    upload_hint: String,
    back: String,
}

async fn page(
    ctx: &Ctx,
    v: &Viewer,
    view: &ActivityView,
    c: &Choices,
    fm: Form,
    flash: Option<FlashMessage<'_>>,
) -> Result<ShowPage> {
    let lang = v.lang;
    let id = view.activity.id;
    let staff = v.actor.require(Permission::ReadAll).is_ok();
    let organisations = view
        .organisation_ids
        .iter()
        .map(|oid| {
            let label = c.organisations.iter().find(|o| o.id == *oid).map_or_else(
                || format!("#{oid}"),
                |o| pick(lang, &o.name_vi, &o.name_en).to_string(),
            );
            Named {
                label,
                href: staff.then(|| format!("/organisations/{oid}")),
            }
        })
        .collect();
    let proposals = view
        .proposal_ids
        .iter()
        .map(|pid| {
            let label = c.proposals.iter().find(|p| p.id == *pid).map_or_else(
                || format!("#{pid}"),
                |p| {
                    format!(
                        "{} ({})",
                        pick(lang, &p.title_vi, &p.title_en),
                        p.status.label(lang)
                    )
                },
            );
            Named {
                label,
                href: staff.then(|| format!("/proposals/{pid}")),
            }
        })
        .collect();
    let docs = evidence::of_activity(ctx, &v.actor, id).await?;
    let back = format!("/activities/{id}%23activity-evidence");
    Ok(ShowPage {
        f: Frame::new(v, &format!("/activities/{id}"), "activities.title", flash),
        a: row(&view.activity, c, lang),
        outcome: view.activity.outcome.clone(),
        organisations,
        proposals,
        docs: docs.iter().map(|d| doc_view(d, v)).collect(),
        can_edit: v.actor.require(Permission::EditMobilisation).is_ok(),
        fm,
        p: parts(c, lang),
        upload_action: format!("/evidence/activity/{id}/attach?back={back}"),
        upload_hint: text(lang, "activities.evidence_hint")
            .replace("{limit}", &limit_text(ctx.config.evidence_max_bytes, lang)),
        back,
    })
}

#[rocket::get("/activities/<id>")]
pub async fn show(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    flash: Option<FlashMessage<'_>>,
) -> Result<Page> {
    let view = act::activity(ctx, &v.actor, id).await?;
    let c = choices(ctx, &v.actor).await?;
    let fm = values(v.lang, &view);
    Page::render(&page(ctx, &v, &view, &c, fm, flash).await?)
}

#[rocket::post("/activities/<id>", data = "<form>")]
pub async fn update(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    form: Posted<HashMap<String, String>>,
) -> Result<Result<Flash<Redirect>, Page>> {
    let view = act::activity(ctx, &v.actor, id).await?;
    v.actor.require(Permission::EditMobilisation)?;
    let mut fm = Form::new(v.lang, form.value).labelled(LABELS);
    if let Some(cmd) = read(&mut fm) {
        match act::edit_activity(ctx, &v.actor, id, cmd).await {
            Ok(()) => {
                return Ok(Ok(Flash::success(
                    Redirect::to(format!("/activities/{id}")),
                    text(v.lang, "activities.saved"),
                )));
            }
            Err(e) => fm.refused(e)?,
        }
    }
    let c = choices(ctx, &v.actor).await?;
    let p = page(ctx, &v, &view, &c, fm, None).await?;
    Ok(Err(Page::with_status(Status::UnprocessableEntity, &p)?))
}
