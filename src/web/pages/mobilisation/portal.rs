//! `/portal/proposals`: the proposals the province publishes to NGOs, as the NGO's staff see
//! them (the action shows them published proposals only, and only their own organisation's
//! interest), each with a "register interest" form and a note for the province. A coordinator
//! sees the interest in the review queue. Province staff are sent to `/proposals`.

use super::{Names, in_lang, mark_nav, message, t};
use crate::actions::mobilisation::proposals;
use crate::actions::{Ctx, forms_views, queries};
use crate::domain::item::Role;
use crate::error::{Error, Result};
use crate::web::pages::fmt;
use crate::web::pages::frame::{Frame, Page, Posted, Viewer};
use askama::Template;
use rocket::State;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};

/// One published proposal as the portal shows it.
pub struct Card {
    pub id: i64,
    pub title: String,
    pub sector: String,
    pub locality: String,
    pub aid_owner: String,
    pub estimate: String,
    pub summary: String,
    pub status_label: &'static str,
    /// Still offered (interest may be registered).
    pub open: bool,
    /// When the organisation registered its interest, and whether the province has seen it.
    pub registered: Option<String>,
    pub acknowledged: bool,
    /// The note kept after a refusal, and why it was refused.
    pub note: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(
    path = "mobilisation/portal.html",
    config = "src/web/pages/askama.toml"
)]
struct PortalPage {
    f: Frame,
    cards: Vec<Card>,
}

/// The page, with a refused note kept on the card it was typed in.
async fn page(
    ctx: &Ctx,
    v: &Viewer,
    flash: Option<FlashMessage<'_>>,
    kept: Option<(i64, String, String)>,
) -> Result<PortalPage> {
    let lang = v.lang;
    let all = proposals::list_proposals(ctx, &v.actor, None).await?;
    let orgs = queries::list_organisations(ctx, &v.actor, None, None).await?;
    let (sectors, units) = forms_views::reference_lists(ctx, &v.actor).await?;
    let names = Names::new(lang, &orgs, &sectors, &units);
    let mut cards = Vec::with_capacity(all.len());
    for p in all.iter().filter(|p| p.published) {
        // The action shows an NGO only its own organisation's interest.
        let view = proposals::proposal(ctx, &v.actor, p.id).await?;
        let own = view.interests.first();
        let (note, error) = match &kept {
            Some((id, note, error)) if *id == p.id => (note.clone(), Some(error.clone())),
            _ => (String::new(), None),
        };
        cards.push(Card {
            id: p.id,
            title: in_lang(lang, &p.title_vi, &p.title_en),
            sector: names.sector(&p.sector_code),
            locality: names.unit(&p.unit_code),
            aid_owner: names.org_opt(p.aid_owner_id).unwrap_or_default(),
            estimate: fmt::money(p.estimate_minor, p.currency, lang),
            summary: p.summary.clone(),
            status_label: p.status.label(lang),
            open: p.status.is_open(),
            registered: own.map(|i| fmt::date(i.registered_at.date_naive(), lang)),
            acknowledged: own.is_some_and(|i| i.acknowledged_at.is_some()),
            note,
            error,
        });
    }
    // Those still offered first, then the rest, each newest first.
    cards.sort_by_key(|c| (!c.open, std::cmp::Reverse(c.id)));
    let mut f = Frame::new(v, "/portal/proposals", "mobil.portal.title", flash);
    mark_nav(&mut f, "/portal/proposals");
    Ok(PortalPage { f, cards })
}

#[rocket::get("/portal/proposals")]
pub async fn list(
    ctx: &State<Ctx>,
    v: Viewer,
    flash: Option<FlashMessage<'_>>,
) -> Result<std::result::Result<Page, Redirect>> {
    if v.role() != Some(Role::Ngo) {
        return Ok(Err(Redirect::to("/proposals")));
    }
    Ok(Ok(Page::render(&page(ctx, &v, flash, None).await?)?))
}

#[derive(rocket::FromForm)]
pub struct InterestForm {
    note: String,
}

#[rocket::post("/portal/proposals/<id>/interest", data = "<form>")]
pub async fn register(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    form: Posted<InterestForm>,
) -> Result<std::result::Result<Flash<Redirect>, Page>> {
    let note = form.value.note;
    match proposals::register_interest(ctx, &v.actor, id, note.clone()).await {
        Ok(_) => Ok(Ok(Flash::success(
            Redirect::to(format!("/portal/proposals#proposal-{id}")),
            t(v.lang, "mobil.portal.registered"),
        ))),
        Err(e @ (Error::Invalid { .. } | Error::Conflict { .. })) => {
            let status = e.status();
            let kept = Some((id, note, message(v.lang, "interest", &e)));
            let p = page(ctx, &v, None, kept).await?;
            Ok(Err(Page::with_status(status, &p)?))
        }
        Err(e) => Err(e),
    }
}
