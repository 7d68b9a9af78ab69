//! `/activities`: the promotion activities (conferences, meetings, delegations, field visits),
//! filtered by programme and kind, newest first; recording a new one; and the activity's page
//! with its edit form and documents (in `activities_show`). NGO staff reach the same list from
//! their navigation and see only the activities their organisation took part in.
//!
//! The organisations and proposals are checkboxes (`org_<id>`, `proposal_<id>`), so the form
//! works without JavaScript; a refusal comes back beside its field in the reader's language.

use super::forms::{Form, Opt};
use super::frame::{Frame, Page, Posted, Viewer};
use super::i18n::text;
use crate::actions::Ctx;
use crate::actions::mobilisation::activities::{self as act, ActivityView};
use crate::actions::mobilisation::activities_views::{Choices, choices};
use crate::db::activities::{Activity, NewActivity};
use crate::domain::Lang;
use crate::domain::item::{OrgKind, Role};
use crate::domain::mobilisation::ActivityKind;
use crate::domain::role::Permission;
use crate::error::Result;
use crate::web::pages::fmt;
use askama::Template;
use rocket::State;
use rocket::http::Status;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};
use std::collections::HashMap;

#[must_use]
pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![
        list,
        new_activity,
        create,
        super::activities_show::show,
        super::activities_show::update
    ]
}

/// The form's own fields and their labels, in the order it shows them.
pub(super) const LABELS: &[(&str, &str)] = &[
    ("programme_id", "activities.programme"),
    ("kind", "activities.kind"),
    ("title", "activities.name"),
    ("held_on", "activities.held_on"),
    ("place", "activities.place"),
    ("outcome", "activities.outcome"),
    ("organisation_ids", "activities.organisations"),
    ("proposal_ids", "activities.proposals"),
];

/// A name in the reader's language.
pub(super) fn pick<'a>(lang: Lang, vi: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// One choice of a filter's `<select>`.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One row of the list (a card on a phone).
pub struct Row {
    pub id: i64,
    pub date: String,
    pub kind: &'static str,
    pub kind_code: &'static str,
    pub title: String,
    pub place: String,
    pub programme: String,
}

fn programme_name(c: &Choices, id: Option<i64>, lang: Lang) -> String {
    id.and_then(|id| c.programmes.iter().find(|p| p.id == id))
        .map_or_else(
            || text(lang, "activities.no_programme").to_string(),
            |p| pick(lang, &p.name_vi, &p.name_en).to_string(),
        )
}

pub(super) fn row(a: &Activity, c: &Choices, lang: Lang) -> Row {
    Row {
        id: a.id,
        date: fmt::date(a.held_on, lang),
        kind: a.kind.label(lang),
        kind_code: a.kind.code(),
        title: a.title.clone(),
        place: a.place.clone(),
        programme: programme_name(c, a.programme_id, lang),
    }
}

#[derive(Template)]
#[template(path = "activities/list.html", config = "src/web/pages/askama.toml")]
struct ListPage {
    f: Frame,
    rows: Vec<Row>,
    programmes: Vec<Choice>,
    kinds: Vec<Choice>,
    can_edit: bool,
    ngo: bool,
}

#[rocket::get("/activities?<programme>&<kind>")]
pub async fn list(
    ctx: &State<Ctx>,
    v: Viewer,
    programme: Option<&str>,
    kind: Option<&str>,
    flash: Option<FlashMessage<'_>>,
) -> Result<Page> {
    let lang = v.lang;
    // Read leniently, as the item list does: a value not understood is no filter.
    let programme = programme.and_then(|p| p.trim().parse::<i64>().ok());
    let kind = kind.and_then(|k| k.trim().parse::<ActivityKind>().ok());
    let c = choices(ctx, &v.actor).await?;
    let mut all = act::list_activities(ctx, &v.actor, programme).await?;
    if let Some(k) = kind {
        all.retain(|a| a.kind == k);
    }
    let ngo = v.role() == Some(Role::Ngo);
    let title = if ngo {
        "activities.portal_title"
    } else {
        "activities.list_title"
    };
    Page::render(&ListPage {
        f: Frame::new(&v, "/activities", title, flash),
        rows: all.iter().map(|a| row(a, &c, lang)).collect(),
        programmes: c
            .programmes
            .iter()
            .map(|p| Choice {
                value: p.id.to_string(),
                label: pick(lang, &p.name_vi, &p.name_en).to_string(),
                selected: programme == Some(p.id),
            })
            .collect(),
        kinds: ActivityKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.code().to_string(),
                label: k.label(lang).to_string(),
                selected: kind == Some(*k),
            })
            .collect(),
        can_edit: v.actor.require(Permission::EditMobilisation).is_ok(),
        ngo,
    })
}

/// A checkbox of the form: its field name and label.
pub struct Check {
    pub name: String,
    pub label: String,
}

/// The choices the form offers, in the reader's language.
pub struct Parts {
    pub programmes: Vec<Opt>,
    pub kinds: Vec<Opt>,
    pub ngos: Vec<Check>,
    pub others: Vec<Check>,
    pub proposals: Vec<Check>,
}

pub(super) fn parts(c: &Choices, lang: Lang) -> Parts {
    let mut orgs: Vec<(String, Check, bool)> = c
        .organisations
        .iter()
        .map(|o| {
            let name = match &o.acronym {
                Some(acr) => format!("{} ({acr})", pick(lang, &o.name_vi, &o.name_en)),
                None => pick(lang, &o.name_vi, &o.name_en).to_string(),
            };
            let check = Check {
                name: format!("org_{}", o.id),
                label: name.clone(),
            };
            (
                crate::actions::queries::search_key(&name),
                check,
                o.kind == OrgKind::ForeignNgo,
            )
        })
        .collect();
    orgs.sort_by(|a, b| a.0.cmp(&b.0));
    let (ngos, others): (Vec<_>, Vec<_>) = orgs.into_iter().partition(|o| o.2);
    Parts {
        programmes: c
            .programmes
            .iter()
            .map(|p| Opt {
                value: p.id.to_string(),
                label: pick(lang, &p.name_vi, &p.name_en).to_string(),
            })
            .collect(),
        kinds: ActivityKind::ALL
            .iter()
            .map(|k| Opt {
                value: k.code().to_string(),
                label: k.label(lang).to_string(),
            })
            .collect(),
        ngos: ngos.into_iter().map(|o| o.1).collect(),
        others: others.into_iter().map(|o| o.1).collect(),
        proposals: c
            .proposals
            .iter()
            .map(|p| Check {
                name: format!("proposal_{}", p.id),
                label: format!(
                    "#{} {} ({})",
                    p.id,
                    pick(lang, &p.title_vi, &p.title_en),
                    p.status.label(lang)
                ),
            })
            .collect(),
    }
}

/// Reads the posted form into a command; `None` when a field could not be read (its error is
/// on the form).
pub(super) fn read(fm: &mut Form) -> Option<NewActivity> {
    let programme_id = fm.opt_pick::<i64>("programme_id");
    let kind = fm.pick::<ActivityKind>("kind");
    let title = fm.text("title");
    let held_on = fm.date("held_on");
    let place = fm.text("place");
    let outcome = fm.v("outcome").to_string();
    let ids = |prefix: &str| -> Vec<i64> {
        fm.hidden()
            .into_iter()
            .filter(|(_, v)| *v == "1")
            .filter_map(|(k, _)| k.strip_prefix(prefix)?.parse().ok())
            .collect()
    };
    let organisation_ids = ids("org_");
    let proposal_ids = ids("proposal_");
    if fm.has_errors() {
        return None;
    }
    Some(NewActivity {
        programme_id,
        kind: kind?,
        title,
        held_on: held_on?,
        place,
        outcome,
        organisation_ids,
        proposal_ids,
    })
}

/// The form's values for an activity as stored.
pub(super) fn values(lang: Lang, v: &ActivityView) -> Form {
    let a = &v.activity;
    let mut fields: Vec<(String, String)> = vec![
        (
            "programme_id".into(),
            a.programme_id.map(|p| p.to_string()).unwrap_or_default(),
        ),
        ("kind".into(), a.kind.code().to_string()),
        ("title".into(), a.title.clone()),
        ("held_on".into(), a.held_on.to_string()),
        ("place".into(), a.place.clone()),
        ("outcome".into(), a.outcome.clone()),
    ];
    fields.extend(
        v.organisation_ids
            .iter()
            .map(|id| (format!("org_{id}"), "1".into())),
    );
    fields.extend(
        v.proposal_ids
            .iter()
            .map(|id| (format!("proposal_{id}"), "1".into())),
    );
    Form::new(lang, fields.into_iter().collect()).labelled(LABELS)
}

#[derive(Template)]
#[template(path = "activities/new.html", config = "src/web/pages/askama.toml")]
struct NewPage {
    f: Frame,
    fm: Form,
    p: Parts,
}

#[rocket::get("/activities/new")]
pub async fn new_activity(ctx: &State<Ctx>, v: Viewer) -> Result<Page> {
    v.actor.require(Permission::EditMobilisation)?;
    let c = choices(ctx, &v.actor).await?;
    let fm = Form::with(v.lang, &[("kind", "meeting".into())]).labelled(LABELS);
    Page::render(&NewPage {
        f: Frame::new(&v, "/activities/new", "activities.new_title", None),
        fm,
        p: parts(&c, v.lang),
    })
}

#[rocket::post("/activities/new", data = "<form>")]
pub async fn create(
    ctx: &State<Ctx>,
    v: Viewer,
    form: Posted<HashMap<String, String>>,
) -> Result<Result<Flash<Redirect>, Page>> {
    v.actor.require(Permission::EditMobilisation)?;
    let mut fm = Form::new(v.lang, form.value).labelled(LABELS);
    if let Some(cmd) = read(&mut fm) {
        match act::create_activity(ctx, &v.actor, cmd).await {
            Ok(id) => {
                return Ok(Ok(Flash::success(
                    Redirect::to(format!("/activities/{id}")),
                    text(v.lang, "activities.created"),
                )));
            }
            Err(e) => fm.refused(e)?,
        }
    }
    let c = choices(ctx, &v.actor).await?;
    let page = NewPage {
        f: Frame::new(&v, "/activities/new", "activities.new_title", None),
        fm,
        p: parts(&c, v.lang),
    };
    Ok(Err(Page::with_status(Status::UnprocessableEntity, &page)?))
}
