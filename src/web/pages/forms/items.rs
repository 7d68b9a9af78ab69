//! The aid item form: a new item with its sector and locality shares (entered as
//! percentages with up to two decimals), and the edit form for the fields an item may
//! change after it is registered (title, status and approval, dates, beneficiaries).

use super::{Form, Opt, bp_text, percent_bp, t};
use crate::actions::{Ctx, forms_views, items, queries, updates};
use crate::db::items::NewAidItem;
use crate::domain::Lang;
use crate::domain::item::{AidForm, ItemStatus, Modality, OrgKind};
use crate::error::Result;
use crate::web::pages::frame::{Frame, Page, Posted, Viewer};
use askama::Template;
use rocket::State;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use std::collections::HashMap;

/// How many sector and locality rows the form offers.
const SHARE_ROWS: usize = 4;

/// One row of the allocations: the names of its four fields.
pub struct ShareRow {
    pub sector: String,
    pub share: String,
    pub locality: String,
    pub lshare: String,
}

#[derive(Template)]
#[template(path = "forms/item.html", config = "src/web/pages/askama.toml")]
struct ItemPage {
    f: Frame,
    fm: Form,
    action: String,
    cancel: String,
    edit: bool,
    modalities: Vec<Opt>,
    aid_forms: Vec<Opt>,
    statuses: Vec<Opt>,
    donors: Vec<Opt>,
    funders: Vec<Opt>,
    owners: Vec<Opt>,
    agencies: Vec<Opt>,
    sectors: Vec<Opt>,
    localities: Vec<Opt>,
    rows: Vec<ShareRow>,
}

async fn page(ctx: &Ctx, v: &Viewer, fm: Form, edit: Option<i64>) -> Result<ItemPage> {
    let lang = v.lang;
    let orgs = queries::list_organisations(ctx, &v.actor, None, None).await?;
    let of = |kinds: &[OrgKind]| -> Vec<Opt> {
        orgs.iter()
            .filter(|o| kinds.contains(&o.kind))
            .map(|o| Opt::new(o.id, org_name(lang, &o.name_vi, &o.name_en)))
            .collect()
    };
    let (sectors, units) = forms_views::reference_lists(ctx, &v.actor).await?;
    let (path, title, action, cancel) = match edit {
        Some(id) => (
            format!("/items/{id}/edit"),
            "forms.item.edit_title",
            format!("/items/{id}/edit"),
            format!("/items/{id}"),
        ),
        None => (
            "/items/new".into(),
            "forms.item.new_title",
            "/items/new".into(),
            "/items".into(),
        ),
    };
    Ok(ItemPage {
        f: Frame::new(v, &path, title, None),
        action,
        cancel,
        edit: edit.is_some(),
        modalities: Modality::ALL
            .iter()
            .map(|m| Opt::new(m, m.label(lang)))
            .collect(),
        aid_forms: AidForm::ALL
            .iter()
            .map(|m| Opt::new(m, m.label(lang)))
            .collect(),
        statuses: ItemStatus::ALL
            .iter()
            .map(|m| Opt::new(m, m.label(lang)))
            .collect(),
        donors: of(&[OrgKind::ForeignNgo]),
        funders: of(&[OrgKind::Funder, OrgKind::ForeignNgo]),
        owners: of(&[OrgKind::AidOwner]),
        agencies: of(&[OrgKind::ManagingAgency]),
        sectors: sectors
            .iter()
            .map(|s| {
                let name = org_name(lang, &s.name_vi, &s.name_en);
                Opt::new(&s.code, format!("{} {name}", s.code))
            })
            .collect(),
        localities: units
            .iter()
            .filter(|u| u.valid_to.is_none())
            .map(|u| Opt::new(&u.code, org_name(lang, &u.name_vi, &u.name_en)))
            .collect(),
        rows: (1..=SHARE_ROWS)
            .map(|i| ShareRow {
                sector: format!("sector_{i}"),
                share: format!("share_{i}"),
                locality: format!("locality_{i}"),
                lshare: format!("lshare_{i}"),
            })
            .collect(),
        fm,
    })
}

/// A name in the reader's language (the Vietnamese one when there is no English one).
pub fn org_name(lang: Lang, vi: &str, en: &str) -> String {
    if lang == Lang::En && !en.trim().is_empty() {
        en.to_string()
    } else {
        vi.to_string()
    }
}

#[rocket::get("/items/new")]
pub async fn new_item(ctx: &State<Ctx>, v: Viewer) -> Result<Page> {
    v.actor
        .require(crate::domain::role::Permission::EditItems)?;
    let fm = Form::with(
        v.lang,
        &[("status", "pipeline".into()), ("share_1", "100".into())],
    );
    Page::render(&page(ctx, &v, fm, None).await?)
}

/// The allocation rows filled in, as (code, basis points); a half-filled row is an error.
fn shares(fm: &mut Form, code: &str, share: &str) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for i in 1..=SHARE_ROWS {
        let (c, s) = (format!("{code}_{i}"), format!("{share}_{i}"));
        let (cv, sv) = (fm.v(&c).trim().to_string(), fm.v(&s).trim().to_string());
        match (cv.is_empty(), sv.is_empty()) {
            (true, true) => {}
            (true, false) => fm.fail(&c, "forms.err.required"),
            (false, true) => fm.fail(&s, "forms.err.required"),
            (false, false) => match percent_bp(&sv) {
                Some(bp) => out.push((cv, bp)),
                None => fm.fail(&s, "forms.err.percent"),
            },
        }
    }
    if out.is_empty() && fm.err(&format!("{code}_1")).is_none() {
        fm.fail(&format!("{share}_1"), "forms.err.shares_needed");
    }
    out
}

fn read_new(fm: &mut Form) -> Option<NewAidItem> {
    let code = fm.text("code");
    let title_vi = fm.text("title_vi");
    let title_en = fm.text("title_en");
    let modality = fm.pick("modality");
    let form = fm.pick("form");
    let donor_id = fm.pick("donor_id");
    let funding_source_id = fm.opt_pick("funding_source_id");
    let aid_owner_id = fm.pick("aid_owner_id");
    let managing_agency_id = fm.pick("managing_agency_id");
    let legal_basis = fm.text("legal_basis");
    let planned_start = fm.date("planned_start");
    let planned_end = fm.date("planned_end");
    let actual_start = fm.opt_date("actual_start");
    let actual_end = fm.opt_date("actual_end");
    let status = fm.pick("status");
    let approval_date = fm.opt_date("approval_date");
    let sectors = shares(fm, "sector", "share");
    let localities = shares(fm, "locality", "lshare");
    if fm.has_errors() {
        return None;
    }
    Some(NewAidItem {
        code,
        title_vi,
        title_en,
        modality: modality?,
        form: form?,
        donor_id: donor_id?,
        funding_source_id,
        aid_owner_id: aid_owner_id?,
        managing_agency_id: managing_agency_id?,
        approval_number: fm.opt_text("approval_number"),
        approval_date,
        approval_authority: fm.opt_text("approval_authority"),
        legal_basis,
        planned_start: planned_start?,
        planned_end: planned_end?,
        actual_start,
        actual_end,
        status: status?,
        beneficiaries: fm.opt_text("beneficiaries"),
        sectors,
        localities,
    })
}

#[rocket::post("/items/new", data = "<form>")]
pub async fn create_item(
    ctx: &State<Ctx>,
    v: Viewer,
    form: Posted<HashMap<String, String>>,
) -> Result<Result<Flash<Redirect>, Page>> {
    let mut fm = Form::new(v.lang, form.value);
    if let Some(cmd) = read_new(&mut fm) {
        match items::create_item(ctx, &v.actor, cmd).await {
            Ok(id) => {
                return Ok(Ok(Flash::success(
                    Redirect::to(format!("/items/{id}")),
                    t(v.lang, "forms.item.created"),
                )));
            }
            Err(e) => fm.refused(e)?,
        }
    }
    Ok(Err(Page::with_status(
        Status::UnprocessableEntity,
        &page(ctx, &v, fm, None).await?,
    )?))
}

#[rocket::get("/items/<id>/edit")]
pub async fn edit_item(ctx: &State<Ctx>, v: Viewer, id: i64) -> Result<Page> {
    v.actor
        .require(crate::domain::role::Permission::EditItems)?;
    let d = queries::get_item(ctx, &v.actor, id).await?;
    let i = d.item;
    let opt = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut fm = Form::with(
        v.lang,
        &[
            ("code", i.code.clone()),
            ("title_vi", i.title_vi.clone()),
            ("title_en", i.title_en.clone()),
            ("status", i.status.code().into()),
            (
                "approval_number",
                i.approval_number.clone().unwrap_or_default(),
            ),
            ("approval_date", opt(i.approval_date)),
            (
                "approval_authority",
                i.approval_authority.clone().unwrap_or_default(),
            ),
            ("planned_start", i.planned_start.to_string()),
            ("planned_end", i.planned_end.to_string()),
            ("actual_start", opt(i.actual_start)),
            ("actual_end", opt(i.actual_end)),
            ("beneficiaries", i.beneficiaries.clone().unwrap_or_default()),
        ],
    );
    for (n, s) in d.sectors.iter().enumerate().take(SHARE_ROWS) {
        fm.set(&format!("sector_{}", n + 1), s.code.clone());
        fm.set(&format!("share_{}", n + 1), bp_text(s.share_bp, v.lang));
    }
    for (n, s) in d.localities.iter().enumerate().take(SHARE_ROWS) {
        fm.set(&format!("locality_{}", n + 1), s.code.clone());
        fm.set(&format!("lshare_{}", n + 1), bp_text(s.share_bp, v.lang));
    }
    Page::render(&page(ctx, &v, fm, Some(id)).await?)
}

fn read_patch(fm: &mut Form) -> Option<updates::ItemPatch> {
    let title_vi = fm.text("title_vi");
    let title_en = fm.text("title_en");
    let status = fm.pick("status");
    let planned_start = fm.date("planned_start");
    let planned_end = fm.date("planned_end");
    let approval_date = fm.opt_date("approval_date");
    let actual_start = fm.opt_date("actual_start");
    let actual_end = fm.opt_date("actual_end");
    if fm.has_errors() {
        return None;
    }
    Some(updates::ItemPatch {
        title_vi: Some(title_vi),
        title_en: Some(title_en),
        status,
        approval_number: Some(fm.opt_text("approval_number")),
        approval_date: Some(approval_date),
        approval_authority: Some(fm.opt_text("approval_authority")),
        planned_start,
        planned_end,
        actual_start: Some(actual_start),
        actual_end: Some(actual_end),
        beneficiaries: Some(fm.opt_text("beneficiaries")),
    })
}

#[rocket::post("/items/<id>/edit", data = "<form>")]
pub async fn update_item(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    form: Posted<HashMap<String, String>>,
) -> Result<Result<Flash<Redirect>, Page>> {
    // Reading the item first makes one the viewer may not see "not found".
    let current = queries::get_item(ctx, &v.actor, id).await?;
    let mut fm = Form::new(v.lang, form.value);
    fm.set("code", current.item.code);
    if let Some(patch) = read_patch(&mut fm) {
        match updates::update_item(ctx, &v.actor, id, &patch).await {
            Ok(_) => {
                return Ok(Ok(Flash::success(
                    Redirect::to(format!("/items/{id}")),
                    t(v.lang, "forms.item.saved"),
                )));
            }
            Err(e) => fm.refused(e)?,
        }
    }
    Ok(Err(Page::with_status(
        Status::UnprocessableEntity,
        &page(ctx, &v, fm, Some(id)).await?,
    )?))
}
