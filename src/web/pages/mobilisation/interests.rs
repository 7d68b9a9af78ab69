//! The review queue's section "NGO interest in proposals": the interest NGOs registered from
//! the portal that no coordinator has acknowledged yet, oldest first, each with an
//! acknowledge button. Only those who keep the proposals see the section (the action says so).

use super::{Names, in_lang, message, t};
use crate::actions::mobilisation::proposals;
use crate::actions::{Ctx, queries};
use crate::domain::role::Permission;
use crate::error::Result;
use crate::web::pages::fmt;
use crate::web::pages::frame::Posted;
use crate::web::pages::frame::Viewer;
use crate::web::pages::session::Empty;
use rocket::State;
use rocket::response::{Flash, Redirect};
use std::collections::HashMap;

/// One interest waiting to be acknowledged.
pub struct InterestLine {
    pub id: i64,
    pub proposal_id: i64,
    pub proposal: String,
    pub organisation: String,
    pub note: String,
    pub registered: String,
}

/// The section's rows, or `None` for a viewer who does not keep the proposals.
pub async fn rows(ctx: &Ctx, v: &Viewer) -> Result<Option<Vec<InterestLine>>> {
    if v.actor.require(Permission::EditMobilisation).is_err() {
        return Ok(None);
    }
    let lang = v.lang;
    let open = proposals::open_interests(ctx, &v.actor).await?;
    if open.is_empty() {
        return Ok(Some(Vec::new()));
    }
    let orgs = queries::list_organisations(ctx, &v.actor, None, None).await?;
    let names = Names::new(lang, &orgs, &[], &[]);
    let titles: HashMap<i64, String> = proposals::list_proposals(ctx, &v.actor, None)
        .await?
        .iter()
        .map(|p| (p.id, in_lang(lang, &p.title_vi, &p.title_en)))
        .collect();
    Ok(Some(
        open.iter()
            .map(|i| InterestLine {
                id: i.id,
                proposal_id: i.proposal_id,
                proposal: titles.get(&i.proposal_id).cloned().unwrap_or_default(),
                organisation: names.org(i.organisation_id, lang),
                note: i.note.clone(),
                registered: fmt::time(i.registered_at, lang),
            })
            .collect(),
    ))
}

/// Acknowledges an interest from the review queue and goes back to it.
#[rocket::post("/review/interests/<id>/acknowledge", data = "<_form>")]
pub async fn acknowledge(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    _form: Posted<Empty>,
) -> Result<Flash<Redirect>> {
    let back = Redirect::to("/review#interests");
    match proposals::acknowledge_interest(ctx, &v.actor, id).await {
        Ok(()) => Ok(Flash::success(
            back,
            t(v.lang, "mobil.interest.acknowledged"),
        )),
        Err(e @ (crate::error::Error::Invalid { .. } | crate::error::Error::Conflict { .. })) => {
            Ok(Flash::error(back, message(v.lang, "interest", &e)))
        }
        Err(e) => Err(e),
    }
}
