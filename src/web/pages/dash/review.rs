//! The reviewer queue: submitted disbursements with what a reviewer needs to judge them and
//! verify / reject forms, the four-eyes rule visible on rows the viewer entered; and for
//! coordinators the NGOs' disbursement reports (drafts) to accept into review or return.

use super::{field_message, may, t};
use crate::actions::dash_views::{self, QueueRow, QueueSection, QueueStart};
use crate::actions::{Ctx, evidence, review};
use crate::db::evidence::Document;
use crate::domain::Lang;
use crate::domain::role::Permission;
use crate::error::{Error, Result};
use crate::web::pages::evidence::{DocView, doc_view};
use crate::web::pages::fmt;
use crate::web::pages::frame::{Frame, Page, Posted, Viewer};
use crate::web::pages::session::Empty;
use askama::Template;
use rocket::State;
use rocket::http::Status;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};

pub struct Row {
    pub id: i64,
    pub item_id: i64,
    pub item_code: String,
    pub item_title: String,
    pub amount: String,
    pub value_date: String,
    pub vnd: String,
    pub usd: String,
    /// What is missing before the row can be verified, in the reader's language: the row has
    /// no exchange rate, so "Xác minh" is not offered.
    pub unconverted: Option<String>,
    pub entered_by: String,
    /// The verify button's accessible name: which row it verifies.
    pub verify_label: String,
    /// The evidence documents attached to the row.
    pub docs: Vec<DocView>,
    /// The viewer entered this row, so another person must verify it.
    pub own: bool,
    pub reversal: bool,
}

#[derive(Template)]
#[template(path = "dash/review.html", config = "src/web/pages/askama.toml")]
struct ReviewPage {
    f: Frame,
    submitted: Vec<Row>,
    drafts: Vec<Row>,
    /// How many rows wait in each section, formatted (the tables show one page).
    submitted_total: String,
    drafts_total: String,
    /// Links to the next page of each section, when one follows, and back to the first
    /// rows when the page starts further on.
    submitted_next: Option<String>,
    drafts_next: Option<String>,
    first: Option<String>,
    can_verify: bool,
    can_accept: bool,
    /// A refusal that is not about one field (four-eyes, a locked period…).
    error: Option<String>,
    /// The row whose note was refused, the note as typed and why.
    note_for: Option<i64>,
    note: String,
    note_error: Option<String>,
    /// The NGOs' interest in proposals awaiting acknowledgement (for those who keep them).
    interests: Option<Vec<crate::web::pages::mobilisation::interests::InterestLine>>,
}

impl ReviewPage {
    fn noted(&self, id: &i64) -> bool {
        self.note_for == Some(*id)
    }
}

fn row(q: QueueRow, v: &Viewer, docs: &[Document]) -> Row {
    let lang = v.lang;
    let d = q.d;
    Row {
        id: d.id,
        item_id: d.item_id,
        item_code: q.item_code.clone(),
        item_title: q.item_title,
        amount: fmt::money(d.amount_minor, d.currency, lang),
        value_date: fmt::date(d.value_date, lang),
        vnd: d
            .conversion
            .amount_vnd
            .map(|x| fmt::vnd(x, lang))
            .unwrap_or_default(),
        usd: d
            .conversion
            .amount_usd_cents
            .map(|x| fmt::usd(x, lang))
            .unwrap_or_default(),
        // The stored reason says which rate is missing or too old; without one, the plain
        // "no rate for this currency and date".
        unconverted: match d.conversion.unconverted_reason {
            Some(r) => Some(fmt::unconverted(&r, lang)),
            None => d.conversion.amount_vnd.is_none().then(|| {
                t(lang, "evidence.review.no_rate")
                    .replace("{currency}", d.currency.code())
                    .replace("{date}", &fmt::date(d.value_date, lang))
            }),
        },
        verify_label: t(lang, "evidence.review.verify_label")
            .replace("{code}", &q.item_code)
            .replace("{date}", &fmt::date(d.value_date, lang))
            .replace("{amount}", &fmt::money(d.amount_minor, d.currency, lang)),
        docs: docs
            .iter()
            .filter(|x| x.disbursement_id == Some(d.id))
            .map(|x| doc_view(x, v))
            .collect(),
        entered_by: q.entered_by,
        own: d.entered_by.is_some() && d.entered_by == v.actor.user_id,
        reversal: d.reverses_id.is_some(),
    }
}

/// The queue's address starting each section after the given rows.
fn href(start: QueueStart) -> String {
    let params: Vec<String> = [("after", start.submitted), ("drafts_after", start.drafts)]
        .into_iter()
        .filter_map(|(name, id)| id.map(|id| format!("{name}={id}")))
        .collect();
    if params.is_empty() {
        "/review".to_string()
    } else {
        format!("/review?{}", params.join("&"))
    }
}

async fn page(
    ctx: &Ctx,
    v: &Viewer,
    flash: Option<FlashMessage<'_>>,
    start: QueueStart,
) -> Result<ReviewPage> {
    let q = dash_views::review_queue(ctx, &v.actor, v.lang, start).await?;
    let ids: Vec<i64> = q
        .submitted
        .rows
        .iter()
        .chain(&q.drafts.rows)
        .map(|r| r.d.id)
        .collect();
    let docs = evidence::of_disbursements(ctx, &v.actor, &ids).await?;
    let total = |key: &str, s: &QueueSection| fmt::count(v.lang, key, s.total);
    // The next page of one section keeps the other where it is.
    let submitted_next = q.submitted.next_after.map(|id| {
        href(QueueStart {
            submitted: Some(id),
            ..start
        })
    });
    let drafts_next = q.drafts.next_after.map(|id| {
        href(QueueStart {
            drafts: Some(id),
            ..start
        })
    });
    let further = start.submitted.is_some() || start.drafts.is_some();
    Ok(ReviewPage {
        f: Frame::new(v, "/review", "dash.review.title", flash),
        submitted_total: total("dash.review.waiting", &q.submitted),
        drafts_total: total("dash.review.reports", &q.drafts),
        submitted_next,
        drafts_next,
        first: further.then(|| href(QueueStart::default())),
        submitted: q
            .submitted
            .rows
            .into_iter()
            .map(|r| row(r, v, &docs))
            .collect(),
        drafts: q
            .drafts
            .rows
            .into_iter()
            .map(|r| row(r, v, &docs))
            .collect(),
        can_verify: may(v.role(), Permission::VerifyDisbursements),
        can_accept: may(v.role(), Permission::EditLedger),
        error: None,
        note_for: None,
        note: String::new(),
        note_error: None,
        interests: crate::web::pages::mobilisation::interests::rows(ctx, v).await?,
    })
}

/// `/review`, each section from its oldest row, or after the row named by `after`
/// (submitted) or `drafts_after` (NGO reports).
#[rocket::get("/review?<after>&<drafts_after>")]
pub async fn queue(
    ctx: &State<Ctx>,
    v: Viewer,
    flash: Option<FlashMessage<'_>>,
    after: Option<i64>,
    drafts_after: Option<i64>,
) -> Result<Page> {
    let start = QueueStart {
        submitted: after,
        drafts: drafts_after,
    };
    Page::render(&page(ctx, &v, flash, start).await?)
}

/// Back to the queue with `key`'s text after a change.
fn done(lang: Lang, key: &str) -> Flash<Redirect> {
    Flash::success(Redirect::to("/review"), t(lang, key))
}

/// The queue again with the refusal shown: by the note field when the note is to blame,
/// at the top otherwise. Errors that are not refusals (not found, forbidden) go to the
/// error page.
async fn refused(
    ctx: &Ctx,
    v: &Viewer,
    id: i64,
    note: String,
    e: Error,
) -> Result<std::result::Result<Flash<Redirect>, Page>> {
    let status = match &e {
        Error::Invalid { .. } => Status::UnprocessableEntity,
        Error::Conflict { .. } => Status::Conflict,
        _ => return Err(e),
    };
    let mut p = page(ctx, v, None, QueueStart::default()).await?;
    // A row without a rate: the queue's own sentence for that row names the currency and
    // the date; the general wording only names the date.
    let missing = (e.code() == "rate_missing")
        .then(|| p.submitted.iter().find(|r| r.id == id))
        .flatten()
        .and_then(|r| r.unconverted.clone());
    let message = match missing {
        Some(why) => format!("{} {why}", t(v.lang, "evidence.review.cannot_verify")),
        None => field_message(v.lang, &e),
    };
    // The queue is shown from its oldest rows: a row further on is not on this page, so
    // its refusal goes at the top rather than by a note field the page does not have.
    let shown = p.submitted.iter().chain(&p.drafts).any(|r| r.id == id);
    if matches!(e, Error::Invalid { .. }) && shown {
        p.note_for = Some(id);
        p.note = note;
        p.note_error = Some(message);
    } else {
        p.error = Some(message);
    }
    Ok(Err(Page::with_status(status, &p)?))
}

#[derive(rocket::FromForm)]
pub struct NoteForm {
    note: String,
}

type Outcome = Result<std::result::Result<Flash<Redirect>, Page>>;

#[rocket::post("/review/<id>/verify", data = "<_form>")]
pub async fn verify(ctx: &State<Ctx>, v: Viewer, id: i64, _form: Posted<Empty>) -> Outcome {
    match review::verify_disbursement(ctx, &v.actor, id).await {
        Ok(_) => Ok(Ok(done(v.lang, "dash.review.verified"))),
        Err(e) => refused(ctx, &v, id, String::new(), e).await,
    }
}

#[rocket::post("/review/<id>/reject", data = "<form>")]
pub async fn reject(ctx: &State<Ctx>, v: Viewer, id: i64, form: Posted<NoteForm>) -> Outcome {
    let note = form.value.note;
    match review::reject_disbursement(ctx, &v.actor, id, &note).await {
        Ok(_) => Ok(Ok(done(v.lang, "dash.review.rejected"))),
        Err(e) => refused(ctx, &v, id, note, e).await,
    }
}

#[rocket::post("/review/<id>/accept", data = "<_form>")]
pub async fn accept(ctx: &State<Ctx>, v: Viewer, id: i64, _form: Posted<Empty>) -> Outcome {
    match review::accept_disbursement_report(ctx, &v.actor, id).await {
        Ok(_) => Ok(Ok(done(v.lang, "dash.review.accepted"))),
        Err(e) => refused(ctx, &v, id, String::new(), e).await,
    }
}

#[rocket::post("/review/<id>/return", data = "<form>")]
pub async fn return_report(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    form: Posted<NoteForm>,
) -> Outcome {
    let note = form.value.note;
    match review::return_disbursement_report(ctx, &v.actor, id, &note).await {
        Ok(_) => Ok(Ok(done(v.lang, "dash.review.returned"))),
        Err(e) => refused(ctx, &v, id, note, e).await,
    }
}
