//! Milestones of an aid item: a new one (`/items/<id>/milestones/new`) and the edit form
//! (`/milestones/<id>/edit`).

use super::{Form, Opt, t};
use crate::actions::{Ctx, ledger, queries, updates};
use crate::db::ledger::NewMilestone;
use crate::domain::item::MilestoneStatus;
use crate::domain::role::Permission;
use crate::error::Result;
use crate::web::pages::frame::{Frame, Page, Posted, Viewer};
use askama::Template;
use rocket::State;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "forms/milestone.html", config = "src/web/pages/askama.toml")]
struct MilestonePage {
    f: Frame,
    fm: Form,
    action: String,
    item_id: i64,
    statuses: Vec<Opt>,
}

fn page(v: &Viewer, fm: Form, item_id: i64, edit: Option<i64>) -> MilestonePage {
    let (action, title) = match edit {
        Some(id) => (
            format!("/milestones/{id}/edit"),
            "forms.milestone.edit_title",
        ),
        None => (
            format!("/items/{item_id}/milestones/new"),
            "forms.milestone.new_title",
        ),
    };
    MilestonePage {
        f: Frame::new(v, &action, title, None),
        fm,
        action,
        item_id,
        statuses: MilestoneStatus::ALL
            .iter()
            .map(|s| Opt::new(s, s.label(v.lang)))
            .collect(),
    }
}

struct Fields {
    title_vi: String,
    title_en: String,
    planned_date: chrono::NaiveDate,
    actual_date: Option<chrono::NaiveDate>,
    status: MilestoneStatus,
    evidence: Option<String>,
}

fn read(fm: &mut Form) -> Option<Fields> {
    let title_vi = fm.text("title_vi");
    let title_en = fm.text("title_en");
    let planned_date = fm.date("planned_date");
    let actual_date = fm.opt_date("actual_date");
    let status = fm.pick("status");
    if fm.has_errors() {
        return None;
    }
    Some(Fields {
        title_vi,
        title_en,
        planned_date: planned_date?,
        actual_date,
        status: status?,
        evidence: fm.opt_text("evidence"),
    })
}

#[rocket::get("/items/<id>/milestones/new")]
pub async fn new_milestone(ctx: &State<Ctx>, v: Viewer, id: i64) -> Result<Page> {
    v.actor.require(Permission::EditMilestones)?;
    queries::get_item(ctx, &v.actor, id).await?;
    let fm = Form::with(v.lang, &[("status", "planned".into())]);
    Page::render(&page(&v, fm, id, None))
}

#[rocket::post("/items/<id>/milestones/new", data = "<form>")]
pub async fn create_milestone(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    form: Posted<HashMap<String, String>>,
) -> Result<Result<Flash<Redirect>, Page>> {
    queries::get_item(ctx, &v.actor, id).await?;
    let mut fm = Form::new(v.lang, form.value);
    if let Some(x) = read(&mut fm) {
        let cmd = NewMilestone {
            item_id: id,
            title_vi: x.title_vi,
            title_en: x.title_en,
            planned_date: x.planned_date,
            actual_date: x.actual_date,
            status: x.status,
            evidence: x.evidence,
        };
        match ledger::record_milestone(ctx, &v.actor, cmd).await {
            Ok(_) => {
                return Ok(Ok(Flash::success(
                    Redirect::to(format!("/items/{id}")),
                    t(v.lang, "forms.milestone.saved"),
                )));
            }
            Err(e) => fm.refused(e)?,
        }
    }
    let p = page(&v, fm, id, None);
    Ok(Err(Page::with_status(Status::UnprocessableEntity, &p)?))
}

#[rocket::get("/milestones/<id>/edit")]
pub async fn edit_milestone(ctx: &State<Ctx>, v: Viewer, id: i64) -> Result<Page> {
    v.actor.require(Permission::EditMilestones)?;
    let m = queries::get_milestone(ctx, &v.actor, id).await?;
    let opt = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let fm = Form::with(
        v.lang,
        &[
            ("title_vi", m.title_vi.clone()),
            ("title_en", m.title_en.clone()),
            ("planned_date", m.planned_date.to_string()),
            ("actual_date", opt(m.actual_date)),
            ("status", m.status.code().into()),
            ("evidence", m.evidence.clone().unwrap_or_default()),
        ],
    );
    Page::render(&page(&v, fm, m.item_id, Some(id)))
}

#[rocket::post("/milestones/<id>/edit", data = "<form>")]
pub async fn update_milestone(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    form: Posted<HashMap<String, String>>,
) -> Result<Result<Flash<Redirect>, Page>> {
    let m = queries::get_milestone(ctx, &v.actor, id).await?;
    let mut fm = Form::new(v.lang, form.value);
    if let Some(x) = read(&mut fm) {
        let patch = updates::MilestonePatch {
            title_vi: Some(x.title_vi),
            title_en: Some(x.title_en),
            planned_date: Some(x.planned_date),
            actual_date: Some(x.actual_date),
            status: Some(x.status),
            evidence: Some(x.evidence),
        };
        match updates::update_milestone(ctx, &v.actor, id, &patch).await {
            Ok(_) => {
                return Ok(Ok(Flash::success(
                    Redirect::to(format!("/items/{}", m.item_id)),
                    t(v.lang, "forms.milestone.saved"),
                )));
            }
            Err(e) => fm.refused(e)?,
        }
    }
    let p = page(&v, fm, m.item_id, Some(id));
    Ok(Err(Page::with_status(Status::UnprocessableEntity, &p)?))
}
