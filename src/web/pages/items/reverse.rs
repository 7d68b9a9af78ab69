//! Undoing a verified disbursement from its item's page: a coordinator records a reversal
//! (the negated amount, dated in an open period, with the reason), which goes to the
//! reviewers' queue like any disbursement. The row itself is never edited.

use super::super::frame::{Posted, Viewer};
use super::super::i18n::text;
use crate::actions::review::{self, Reversal};
use crate::actions::{Ctx, queries};
use crate::error::{Error, Result};
use rocket::State;
use rocket::response::{Flash, Redirect};

#[derive(rocket::FromForm)]
pub struct ReverseForm {
    value_date: String,
    reason: String,
}

#[rocket::post("/items/<item>/disbursements/<id>/reverse", data = "<form>")]
pub async fn reverse(
    ctx: &State<Ctx>,
    v: Viewer,
    item: i64,
    id: i64,
    form: Posted<ReverseForm>,
) -> Result<Flash<Redirect>> {
    let back = Redirect::to(format!("/items/{item}"));
    // The disbursement must be this item's (and visible to the viewer), or it is not found.
    let d = queries::get_disbursement(ctx, &v.actor, id).await?;
    if d.item_id != item {
        return Err(Error::NotFound(format!("disbursement {id}")));
    }
    let form = form.value;
    let Some(value_date) = crate::web::pages::forms::parse_date(&form.value_date) else {
        return Ok(Flash::error(back, text(v.lang, "items.reverse.bad_date")));
    };
    let cmd = Reversal {
        value_date,
        reason: form.reason,
    };
    match review::reverse_disbursement(ctx, &v.actor, id, &cmd).await {
        Ok(r) => Ok(Flash::success(
            back,
            format!("{} #{}", text(v.lang, "items.reverse.done"), r.id),
        )),
        // A refusal the coordinator can act on (a locked period, a short reason, a row that
        // is not verified or already reversed) comes back as the page's message.
        Err(e @ (Error::Invalid { .. } | Error::Conflict { .. })) => Ok(Flash::error(
            back,
            format!("{} {e}", text(v.lang, "items.reverse.refused")),
        )),
        Err(e) => Err(e),
    }
}
