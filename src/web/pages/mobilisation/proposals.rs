//! `/proposals`: the list of programmes and projects the province offers to NGOs ("danh mục
//! kêu gọi vận động viện trợ"), filtered by programme and status; a new proposal; a
//! proposal's page with its facts, the status moves it may make (one button each; approval
//! asks which aid item it became), the NGOs it was presented to, the NGOs' interest with an
//! acknowledge button, and the edit form. Coordinators change; everyone else reads; NGO staff
//! are sent to the portal's page of published proposals.

use super::{Names, in_lang, mark_nav, message, opt, refuse, t};
use crate::actions::mobilisation::{programmes, proposals};
use crate::actions::queries::{self, ItemFilter};
use crate::actions::{Ctx, forms_views};
use crate::db::proposals::{Interest, NewProposal, Proposal};
use crate::domain::item::{OrgKind, Role};
use crate::domain::mobilisation::ProposalStatus;
use crate::domain::role::Permission;
use crate::domain::{Currency, Lang, Money};
use crate::error::{Error, Result};
use crate::web::pages::fmt;
use crate::web::pages::forms::money::amount_named;
use crate::web::pages::forms::{Form, Opt, parse_date};
use crate::web::pages::frame::{Frame, Page, Posted, Viewer};
use crate::web::pages::session::Empty;
use askama::Template;
use rocket::State;
use rocket::http::Status;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};
use std::collections::HashMap;

/// The proposal form's fields with their labels, in the order the form shows them.
const FIELDS: &[(&str, &str)] = &[
    ("programme_id", "mobil.proposal.programme"),
    ("title_vi", "mobil.proposal.title_vi"),
    ("title_en", "mobil.proposal.title_en"),
    ("sector_code", "mobil.proposal.sector"),
    ("unit_code", "mobil.proposal.locality"),
    ("estimate", "mobil.proposal.estimate"),
    ("currency", "mobil.proposal.currency"),
    ("aid_owner_id", "mobil.proposal.aid_owner"),
    ("summary", "mobil.proposal.summary"),
    ("published", "mobil.proposal.published"),
];

/// A proposal as the list and its page show it.
pub struct ProposalRow {
    pub id: i64,
    pub title: String,
    pub programme_id: i64,
    pub programme: String,
    pub sector: String,
    pub locality: String,
    pub estimate: String,
    pub aid_owner: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub published: bool,
    pub summary: String,
    pub item_id: Option<i64>,
}

fn row(p: &Proposal, names: &Names, programmes: &HashMap<i64, String>, lang: Lang) -> ProposalRow {
    ProposalRow {
        id: p.id,
        title: in_lang(lang, &p.title_vi, &p.title_en),
        programme_id: p.programme_id,
        programme: programmes.get(&p.programme_id).cloned().unwrap_or_default(),
        sector: names.sector(&p.sector_code),
        locality: names.unit(&p.unit_code),
        estimate: fmt::money(p.estimate_minor, p.currency, lang),
        aid_owner: names.org_opt(p.aid_owner_id).unwrap_or_default(),
        status: p.status.code(),
        status_label: p.status.label(lang),
        published: p.published,
        summary: p.summary.clone(),
        item_id: p.item_id,
    }
}

/// The names the rows need: organisations, sectors, localities and programmes.
async fn names(ctx: &Ctx, v: &Viewer) -> Result<(Names, HashMap<i64, String>)> {
    let orgs = queries::list_organisations(ctx, &v.actor, None, None).await?;
    let (sectors, units) = forms_views::reference_lists(ctx, &v.actor).await?;
    let programmes = programmes::list_programmes(ctx, &v.actor)
        .await?
        .into_iter()
        .map(|p| (p.id, in_lang(v.lang, &p.name_vi, &p.name_en)))
        .collect();
    Ok((Names::new(v.lang, &orgs, &sectors, &units), programmes))
}

/// The list's filters, read leniently: a value that is not understood is ignored.
#[derive(rocket::FromForm, Default)]
pub struct ListParams {
    programme: Option<String>,
    status: Option<String>,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(
    path = "mobilisation/proposals.html",
    config = "src/web/pages/askama.toml"
)]
struct ListPage {
    f: Frame,
    rows: Vec<ProposalRow>,
    programmes: Vec<Choice>,
    statuses: Vec<Choice>,
    can_edit: bool,
    new_href: String,
}

#[rocket::get("/proposals?<p..>")]
pub async fn list(
    ctx: &State<Ctx>,
    v: Viewer,
    flash: Option<FlashMessage<'_>>,
    p: ListParams,
) -> Result<std::result::Result<Page, Redirect>> {
    if v.role() == Some(Role::Ngo) {
        return Ok(Err(Redirect::to("/portal/proposals")));
    }
    let lang = v.lang;
    let programme: Option<i64> = p.programme.as_deref().and_then(|s| s.trim().parse().ok());
    let status: Option<ProposalStatus> = p.status.as_deref().and_then(|s| s.trim().parse().ok());
    let all = proposals::list_proposals(ctx, &v.actor, programme).await?;
    let (names, programme_names) = names(ctx, &v).await?;
    let rows = all
        .iter()
        .filter(|x| status.is_none_or(|s| x.status == s))
        .map(|x| row(x, &names, &programme_names, lang))
        .collect();
    let mut programme_choices: Vec<(i64, String)> = programme_names.into_iter().collect();
    programme_choices.sort_by_key(|(id, _)| std::cmp::Reverse(*id));
    let mut f = Frame::new(&v, "/proposals", "mobil.proposals.title", flash);
    mark_nav(&mut f, "/programmes");
    Ok(Ok(Page::render(&ListPage {
        f,
        rows,
        programmes: programme_choices
            .into_iter()
            .map(|(id, label)| Choice {
                value: id.to_string(),
                label,
                selected: programme == Some(id),
            })
            .collect(),
        statuses: ProposalStatus::ALL
            .iter()
            .map(|s| Choice {
                value: s.code().to_string(),
                label: s.label(lang).to_string(),
                selected: status == Some(*s),
            })
            .collect(),
        can_edit: v.actor.require(Permission::EditMobilisation).is_ok(),
        new_href: programme.map_or_else(
            || "/proposals/new".to_string(),
            |id| format!("/proposals/new?programme={id}"),
        ),
    })?))
}

/// One NGO a proposal was presented to.
pub struct PresentationRow {
    pub organisation: String,
    pub on: String,
    pub activity_id: Option<i64>,
}

/// One NGO's interest in the proposal.
pub struct InterestRow {
    pub id: i64,
    pub organisation: String,
    pub note: String,
    pub registered: String,
    /// "Acknowledged on … by …" once a coordinator has, else empty.
    pub acknowledged: String,
}

/// A status move the proposal may make: one button, or for approval a form with the item.
pub struct MoveButton {
    pub status: &'static str,
    pub label: String,
    /// Withdrawing or stepping back (drawn as a secondary button).
    pub back: bool,
}

/// A refusal on the proposal's page, by the form it is about.
#[derive(Default)]
pub struct Refusal {
    /// `move`, `approve`, `present`, `acknowledge` (also the scope of its wording).
    pub form: &'static str,
    pub message: String,
}

#[derive(Template)]
#[template(
    path = "mobilisation/proposal.html",
    config = "src/web/pages/askama.toml"
)]
struct ProposalPage {
    f: Frame,
    fm: Form,
    action: String,
    row: Option<ProposalRow>,
    presentations: Vec<PresentationRow>,
    interests: Vec<InterestRow>,
    moves: Vec<MoveButton>,
    /// Approval is one of the moves: the items it may link.
    approvable: bool,
    items: Vec<Opt>,
    item_chosen: String,
    ngos: Vec<Opt>,
    present_org: String,
    present_on: String,
    refusal: Option<Refusal>,
    can_edit: bool,
    programmes: Vec<Opt>,
    sectors: Vec<Opt>,
    units: Vec<Opt>,
    owners: Vec<Opt>,
    currencies: Vec<Opt>,
    date_placeholder: &'static str,
}

impl ProposalPage {
    fn refused(&self, form: &str) -> Option<&str> {
        self.refusal
            .as_ref()
            .filter(|r| r.form == form)
            .map(|r| r.message.as_str())
    }
}

/// What the proposal's page shows around its form, and what its move forms keep.
#[derive(Default)]
struct Shown {
    view: Option<proposals::ProposalView>,
    refusal: Option<Refusal>,
    item_chosen: String,
    present_org: String,
    present_on: String,
}

fn interest_row(i: &Interest, names: &Names, lang: Lang) -> InterestRow {
    InterestRow {
        id: i.id,
        organisation: names.org(i.organisation_id, lang),
        note: i.note.clone(),
        registered: fmt::time(i.registered_at, lang),
        acknowledged: i
            .acknowledged_at
            .map(|at| {
                t(lang, "mobil.interest.acknowledged_on").replace("{date}", &fmt::time(at, lang))
            })
            .unwrap_or_default(),
    }
}

async fn page(
    ctx: &Ctx,
    v: &Viewer,
    fm: Form,
    shown: Shown,
    flash: Option<FlashMessage<'_>>,
) -> Result<ProposalPage> {
    let lang = v.lang;
    let orgs = queries::list_organisations(ctx, &v.actor, None, None).await?;
    let (sectors, units) = forms_views::reference_lists(ctx, &v.actor).await?;
    let all_programmes = programmes::list_programmes(ctx, &v.actor).await?;
    let programme_names: HashMap<i64, String> = all_programmes
        .iter()
        .map(|p| (p.id, in_lang(lang, &p.name_vi, &p.name_en)))
        .collect();
    let names = Names::new(lang, &orgs, &sectors, &units);
    let can_edit = v.actor.require(Permission::EditMobilisation).is_ok();
    let view = shown.view.as_ref();
    let (path, title) = match view {
        Some(x) => (
            format!("/proposals/{}", x.proposal.id),
            "mobil.proposal.title",
        ),
        None => ("/proposals/new".to_string(), "mobil.proposal.new_title"),
    };
    let status = view.map(|x| x.proposal.status);
    let moves = match status {
        Some(s) if can_edit => ProposalStatus::ALL
            .iter()
            .filter(|n| s.can_become(**n) && **n != ProposalStatus::Approved)
            .map(|n| MoveButton {
                status: n.code(),
                label: t(lang, "mobil.move.to").replace("{status}", n.label(lang)),
                back: matches!(n, ProposalStatus::Withdrawn)
                    || (s != ProposalStatus::Withdrawn && rank(*n) < rank(s)),
            })
            .collect(),
        _ => Vec::new(),
    };
    let approvable = can_edit && status.is_some_and(|s| s.can_become(ProposalStatus::Approved));
    let items = if approvable {
        approvable_items(ctx, v, view.map(|x| &x.proposal)).await?
    } else {
        Vec::new()
    };
    let mut f = Frame::new(v, &path, title, flash);
    mark_nav(&mut f, "/programmes");
    if let Some(x) = view {
        f.title = in_lang(lang, &x.proposal.title_vi, &x.proposal.title_en);
    }
    Ok(ProposalPage {
        action: path,
        row: view.map(|x| row(&x.proposal, &names, &programme_names, lang)),
        presentations: view
            .map(|x| {
                x.presentations
                    .iter()
                    .map(|p| PresentationRow {
                        organisation: names.org(p.organisation_id, lang),
                        on: fmt::date(p.presented_on, lang),
                        activity_id: p.activity_id,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        interests: view
            .map(|x| {
                x.interests
                    .iter()
                    .map(|i| interest_row(i, &names, lang))
                    .collect()
            })
            .unwrap_or_default(),
        moves,
        approvable,
        items,
        item_chosen: shown.item_chosen,
        ngos: orgs
            .iter()
            .filter(|o| o.kind == OrgKind::ForeignNgo)
            .map(|o| opt(o.id, in_lang(lang, &o.name_vi, &o.name_en)))
            .collect(),
        present_org: shown.present_org,
        present_on: shown.present_on,
        refusal: shown.refusal,
        can_edit,
        programmes: all_programmes
            .iter()
            .map(|p| opt(p.id, in_lang(lang, &p.name_vi, &p.name_en)))
            .collect(),
        sectors: sectors
            .iter()
            .map(|s| {
                opt(
                    &s.code,
                    format!("{} {}", s.code, in_lang(lang, &s.name_vi, &s.name_en)),
                )
            })
            .collect(),
        units: units
            .iter()
            .filter(|u| u.valid_to.is_none())
            .map(|u| opt(&u.code, in_lang(lang, &u.name_vi, &u.name_en)))
            .collect(),
        owners: orgs
            .iter()
            .filter(|o| o.kind == OrgKind::AidOwner)
            .map(|o| opt(o.id, in_lang(lang, &o.name_vi, &o.name_en)))
            .collect(),
        currencies: Currency::all()
            .map(|c| opt(c.code(), format!("{} · {}", c.code(), c.name(lang))))
            .collect(),
        date_placeholder: t(lang, "periods.date_placeholder"),
        fm,
        f,
    })
}

/// Where a status stands on the path, to tell a step back from a step forward.
fn rank(s: ProposalStatus) -> u8 {
    match s {
        ProposalStatus::Proposed | ProposalStatus::Withdrawn => 0,
        ProposalStatus::Presented => 1,
        ProposalStatus::Interested => 2,
        ProposalStatus::Agreed => 3,
        ProposalStatus::Approved => 4,
    }
}

/// The aid items an approval may link: those no other proposal became, the proposal's own
/// aid owner's first, then by code.
async fn approvable_items(ctx: &Ctx, v: &Viewer, p: Option<&Proposal>) -> Result<Vec<Opt>> {
    let taken: Vec<i64> = proposals::list_proposals(ctx, &v.actor, None)
        .await?
        .iter()
        .filter_map(|x| x.item_id)
        .collect();
    let filter = ItemFilter {
        limit: 500,
        ..ItemFilter::default()
    };
    let mut items: Vec<_> = queries::list_items(ctx, &v.actor, &filter)
        .await?
        .into_iter()
        .filter(|i| !taken.contains(&i.id) && i.status.was_approved())
        .collect();
    let owner = p.map(|p| p.aid_owner_id);
    items.sort_by(|a, b| {
        (Some(b.aid_owner_id) == owner)
            .cmp(&(Some(a.aid_owner_id) == owner))
            .then_with(|| a.code.cmp(&b.code))
    });
    Ok(items
        .iter()
        .map(|i| {
            opt(
                i.id,
                format!("{} · {}", i.code, in_lang(v.lang, &i.title_vi, &i.title_en)),
            )
        })
        .collect())
}

#[derive(rocket::FromForm, Default)]
pub struct NewParams {
    programme: Option<String>,
}

#[rocket::get("/proposals/new?<p..>")]
pub async fn new_proposal(ctx: &State<Ctx>, v: Viewer, p: NewParams) -> Result<Page> {
    v.actor.require(Permission::EditMobilisation)?;
    let fm = Form::with(
        v.lang,
        &[
            ("programme_id", p.programme.unwrap_or_default()),
            ("currency", "USD".into()),
            ("published", "1".into()),
        ],
    )
    .labelled(FIELDS);
    Page::render(&page(ctx, &v, fm, Shown::default(), None).await?)
}

fn read(fm: &mut Form, lang: Lang) -> Option<NewProposal> {
    let programme_id = fm.pick("programme_id");
    let title_vi = fm.text("title_vi");
    let title_en = fm.text("title_en");
    let sector_code = fm.text("sector_code");
    let unit_code = fm.text("unit_code");
    let estimate = amount_named(fm, lang, "estimate", "currency");
    let aid_owner_id = fm.pick("aid_owner_id");
    let summary = fm.v("summary").trim().to_string();
    let published = !fm.v("published").is_empty();
    if fm.has_errors() {
        return None;
    }
    let estimate = estimate?;
    Some(NewProposal {
        programme_id: programme_id?,
        title_vi,
        title_en,
        sector_code,
        unit_code,
        currency: estimate.currency(),
        estimate_minor: estimate.minor(),
        aid_owner_id: aid_owner_id?,
        summary,
        published,
    })
}

type Outcome = Result<std::result::Result<Flash<Redirect>, Page>>;

#[rocket::post("/proposals/new", data = "<form>")]
pub async fn create_proposal(
    ctx: &State<Ctx>,
    v: Viewer,
    form: Posted<HashMap<String, String>>,
) -> Outcome {
    let mut fm = Form::new(v.lang, form.value).labelled(FIELDS);
    if let Some(cmd) = read(&mut fm, v.lang) {
        match proposals::create_proposal(ctx, &v.actor, cmd).await {
            Ok(id) => {
                return Ok(Ok(Flash::success(
                    Redirect::to(format!("/proposals/{id}")),
                    t(v.lang, "mobil.proposal.created"),
                )));
            }
            Err(e) => refuse(&mut fm, v.lang, "proposal", FIELDS, &[], e)?,
        }
    }
    let p = page(ctx, &v, fm, Shown::default(), None).await?;
    Ok(Err(Page::with_status(Status::UnprocessableEntity, &p)?))
}

/// The form filled with the proposal as stored.
fn values(lang: Lang, p: &Proposal) -> Form {
    Form::with(
        lang,
        &[
            ("programme_id", p.programme_id.to_string()),
            ("title_vi", p.title_vi.clone()),
            ("title_en", p.title_en.clone()),
            ("sector_code", p.sector_code.clone()),
            ("unit_code", p.unit_code.clone()),
            (
                "estimate",
                Money::from_minor(p.estimate_minor, p.currency).format(lang),
            ),
            ("currency", p.currency.code().to_string()),
            ("aid_owner_id", p.aid_owner_id.to_string()),
            ("summary", p.summary.clone()),
            ("published", if p.published { "1" } else { "" }.to_string()),
        ],
    )
    .labelled(FIELDS)
}

#[rocket::get("/proposals/<id>")]
pub async fn show(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    flash: Option<FlashMessage<'_>>,
) -> Result<Page> {
    let view = proposals::proposal(ctx, &v.actor, id).await?;
    let fm = values(v.lang, &view.proposal);
    let shown = Shown {
        view: Some(view),
        ..Shown::default()
    };
    Page::render(&page(ctx, &v, fm, shown, flash).await?)
}

#[rocket::post("/proposals/<id>", data = "<form>")]
pub async fn edit(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    form: Posted<HashMap<String, String>>,
) -> Outcome {
    let view = proposals::proposal(ctx, &v.actor, id).await?;
    let mut fm = Form::new(v.lang, form.value).labelled(FIELDS);
    if let Some(cmd) = read(&mut fm, v.lang) {
        match proposals::edit_proposal(ctx, &v.actor, id, cmd).await {
            Ok(()) => return Ok(Ok(saved(v.lang, id, "mobil.proposal.saved"))),
            Err(e) => refuse(&mut fm, v.lang, "proposal", FIELDS, &[], e)?,
        }
    }
    let shown = Shown {
        view: Some(view),
        ..Shown::default()
    };
    let p = page(ctx, &v, fm, shown, None).await?;
    Ok(Err(Page::with_status(Status::UnprocessableEntity, &p)?))
}

/// Back to the proposal's page with `key`'s text.
fn saved(lang: Lang, id: i64, key: &str) -> Flash<Redirect> {
    Flash::success(Redirect::to(format!("/proposals/{id}")), t(lang, key))
}

/// The proposal's page again with a refusal by the form it is about; errors that are not
/// refusals (not found, forbidden) go to the error page.
async fn refused(ctx: &Ctx, v: &Viewer, id: i64, e: Error, mut shown: Shown) -> Outcome {
    let status = match &e {
        Error::Invalid { .. } => Status::UnprocessableEntity,
        Error::Conflict { .. } => Status::Conflict,
        _ => return Err(e),
    };
    let view = proposals::proposal(ctx, &v.actor, id).await?;
    let fm = values(v.lang, &view.proposal);
    if let Some(r) = shown.refusal.as_mut() {
        r.message = message(v.lang, r.form, &e);
    }
    shown.view = Some(view);
    let p = page(ctx, v, fm, shown, None).await?;
    Ok(Err(Page::with_status(status, &p)?))
}

#[derive(rocket::FromForm)]
pub struct MoveForm {
    status: String,
    item_id: Option<String>,
}

#[rocket::post("/proposals/<id>/move", data = "<form>")]
pub async fn move_to(ctx: &State<Ctx>, v: Viewer, id: i64, form: Posted<MoveForm>) -> Outcome {
    let input = form.value;
    let next: ProposalStatus = input
        .status
        .parse()
        .map_err(|_| Error::invalid("status", "invalid_status", "unknown proposal status"))?;
    let typed_item = input.item_id.unwrap_or_default();
    let which = if next == ProposalStatus::Approved {
        "approve"
    } else {
        "move"
    };
    let item_id = match typed_item.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                let e = Error::invalid("item_id", "item_required", "choose the aid item");
                let shown = Shown {
                    refusal: Some(Refusal {
                        form: which,
                        message: String::new(),
                    }),
                    ..Shown::default()
                };
                return refused(ctx, &v, id, e, shown).await;
            }
        },
    };
    match proposals::move_proposal(ctx, &v.actor, id, next, item_id).await {
        Ok(()) => {
            let text = t(v.lang, "mobil.move.done").replace("{status}", next.label(v.lang));
            Ok(Ok(Flash::success(
                Redirect::to(format!("/proposals/{id}")),
                text,
            )))
        }
        Err(e) => {
            let shown = Shown {
                refusal: Some(Refusal {
                    form: which,
                    message: String::new(),
                }),
                item_chosen: typed_item,
                ..Shown::default()
            };
            refused(ctx, &v, id, e, shown).await
        }
    }
}

#[derive(rocket::FromForm)]
pub struct PresentForm {
    organisation_id: String,
    presented_on: String,
}

#[rocket::post("/proposals/<id>/present", data = "<form>")]
pub async fn present(ctx: &State<Ctx>, v: Viewer, id: i64, form: Posted<PresentForm>) -> Outcome {
    let input = form.value;
    let org: Option<i64> = input.organisation_id.trim().parse().ok();
    let on = parse_date(&input.presented_on);
    let shown = || Shown {
        refusal: Some(Refusal {
            form: "present",
            message: String::new(),
        }),
        present_org: input.organisation_id.clone(),
        present_on: input.presented_on.clone(),
        ..Shown::default()
    };
    let (Some(org), Some(on)) = (org, on) else {
        let e = if org.is_none() {
            Error::invalid("organisation_id", "organisation_required", "choose the NGO")
        } else {
            Error::invalid(
                "presented_on",
                "invalid_date",
                "type the date as dd/mm/yyyy",
            )
        };
        return refused(ctx, &v, id, e, shown()).await;
    };
    match proposals::record_presentation(ctx, &v.actor, id, org, on).await {
        Ok(_) => Ok(Ok(saved(v.lang, id, "mobil.present.saved"))),
        Err(e) => refused(ctx, &v, id, e, shown()).await,
    }
}

#[rocket::post("/proposals/<id>/interests/<interest>/acknowledge", data = "<_form>")]
pub async fn acknowledge(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    interest: i64,
    _form: Posted<Empty>,
) -> Outcome {
    match proposals::acknowledge_interest(ctx, &v.actor, interest).await {
        Ok(()) => Ok(Ok(saved(v.lang, id, "mobil.interest.acknowledged"))),
        Err(e) => {
            let shown = Shown {
                refusal: Some(Refusal {
                    form: "acknowledge",
                    message: String::new(),
                }),
                ..Shown::default()
            };
            refused(ctx, &v, id, e, shown).await
        }
    }
}
