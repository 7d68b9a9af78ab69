//! Evidence documents on the pages: the upload form's endpoint (multipart, with the same CSRF
//! token as every other form), the download (`attachment`, a safe file name, `nosniff`), the
//! removal, and the lists drawn on the item page and in the review queue. Who may attach,
//! see or remove is decided by `actions::evidence`; a refusal comes back to the page the form
//! was on as a message in the reader's language.

use super::frame::{Posted, Viewer};
use super::i18n::text;
use super::session::Empty;
use super::upload::{FileField, FileLimit, Read, read_form};
use crate::actions::Ctx;
use crate::actions::evidence::{self, Owner, Target, Upload};
use crate::db::evidence::Document;
use crate::db::ledger::{Disbursement, Milestone};
use crate::domain::Lang;
use crate::domain::document::{DocKind, ascii_name};
use crate::domain::item::Role;
use crate::error::{Error, Result};
use crate::web::pages::fmt;
use rocket::State;
use rocket::data::{self, Data, FromData, ToByteUnit};
use rocket::http::{ContentType, Header};
use rocket::outcome::Outcome;
use rocket::request::{FromParam, Request};
use rocket::response::{self, Flash, Redirect, Responder, Response};
use std::io::Cursor;

#[must_use]
pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![upload, download, remove]
}

/// The kind of record in an upload's path.
#[derive(Debug, Clone, Copy)]
pub enum On {
    Disbursement,
    Milestone,
    Activity,
}

impl<'a> FromParam<'a> for On {
    type Error = &'a str;
    fn from_param(p: &'a str) -> std::result::Result<Self, Self::Error> {
        match p {
            "disbursement" => Ok(On::Disbursement),
            "milestone" => Ok(On::Milestone),
            "activity" => Ok(On::Activity),
            _ => Err(p),
        }
    }
}

/// Evidence files are read up to the configured `file` limit.
pub struct EvidenceLimit;

impl FileLimit for EvidenceLimit {
    const KEY: &'static str = "file";
    const DEFAULT: u64 = 1024 * 1024;
}

#[derive(rocket::FromForm)]
struct Fields {
    #[field(name = "_csrf")]
    csrf: String,
    file: Option<FileField<EvidenceLimit>>,
}

/// What an upload request brought.
pub enum Received {
    File(Upload),
    /// Over the size limit: nothing was kept.
    TooLarge,
    /// No file chosen, or a form that could not be read.
    Nothing,
}

/// Reads a multipart upload and checks its `_csrf` field against the session's token, as
/// [`Posted`] does for ordinary forms. A body over the limit is read to the end (up to a
/// bound) and dropped, so the browser gets the page that says why rather than a reset.
#[rocket::async_trait]
impl<'r> FromData<'r> for Received {
    type Error = ();

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self, ()> {
        let form_limit = req
            .limits()
            .get("data-form")
            .unwrap_or(2.mebibytes())
            .as_u64();
        let fields = match read_form(req, data, form_limit, |f: &Fields| &f.csrf).await {
            Outcome::Success(Read::Form(f)) => f,
            Outcome::Success(Read::TooLarge) => return Outcome::Success(Received::TooLarge),
            Outcome::Success(Read::Unreadable) => return Outcome::Success(Received::Nothing),
            Outcome::Error(e) => return Outcome::Error(e),
            Outcome::Forward(f) => return Outcome::Forward(f),
        };
        Outcome::Success(match fields.file {
            Some(f) if !f.complete => Received::TooLarge,
            Some(f) if !f.bytes.is_empty() => Received::File(Upload {
                name: f.name,
                bytes: f.bytes,
            }),
            _ => Received::Nothing,
        })
    }
}

/// Where to go back to: a path on this site (never `//host` or a full URL), else `fallback`.
fn back_to(back: Option<&str>, fallback: String) -> String {
    match back {
        Some(b)
            if b.starts_with('/')
                && !b.starts_with("//")
                && b.len() <= 200
                && b.bytes().all(|c| {
                    c.is_ascii_alphanumeric() || matches!(c, b'/' | b'-' | b'_' | b'#' | b'.')
                }) =>
        {
            b.to_string()
        }
        _ => fallback,
    }
}

/// The limit as people read it: "10 MB".
#[must_use]
pub fn limit_text(max_bytes: u64, lang: Lang) -> String {
    let mib = max_bytes / (1024 * 1024);
    text(lang, "evidence.limit").replace("{mb}", &mib.to_string())
}

fn refusal(lang: Lang, e: &Error, max_bytes: u64) -> Option<String> {
    let Error::Invalid { code, .. } = e else {
        return None;
    };
    Some(match *code {
        "evidence_too_large" => {
            text(lang, "evidence.err.too_large").replace("{limit}", &limit_text(max_bytes, lang))
        }
        "evidence_type" => text(lang, "evidence.err.type").to_string(),
        "evidence_empty" => text(lang, "evidence.err.empty").to_string(),
        _ => return None,
    })
}

#[rocket::post("/evidence/<on>/<id>/attach?<back>", data = "<received>")]
pub async fn upload(
    ctx: &State<Ctx>,
    v: Viewer,
    on: On,
    id: i64,
    back: Option<&str>,
    received: Received,
) -> Result<Flash<Redirect>> {
    let lang = v.lang;
    let max = ctx.config.evidence_max_bytes;
    let target = match on {
        On::Disbursement => Target::Disbursement(id),
        On::Milestone => Target::Milestone(id),
        On::Activity => Target::Activity(id),
    };
    let go = |to: String, ok: bool, msg: String| {
        if ok {
            Flash::success(Redirect::to(to), msg)
        } else {
            Flash::error(Redirect::to(to), msg)
        }
    };
    let file = match received {
        Received::File(f) => f,
        Received::TooLarge => {
            let msg =
                text(lang, "evidence.err.too_large").replace("{limit}", &limit_text(max, lang));
            return Ok(go(back_to(back, "/".into()), false, msg));
        }
        Received::Nothing => {
            let msg = text(lang, "evidence.err.empty").to_string();
            return Ok(go(back_to(back, "/".into()), false, msg));
        }
    };
    match evidence::attach(ctx, &v.actor, target, &file).await {
        Ok((owner, doc)) => {
            let msg = format!("{} {}", text(lang, "evidence.attached"), doc.file_name);
            Ok(go(back_to(back, page_of(owner)), true, msg))
        }
        Err(e) => match refusal(lang, &e, max) {
            Some(msg) => Ok(go(back_to(back, "/".into()), false, msg)),
            None => Err(e),
        },
    }
}

/// The page that lists a document of `owner`.
fn page_of(owner: Owner) -> String {
    match owner {
        Owner::Item(id) => format!("/items/{id}"),
        Owner::Activity(id) => format!("/activities/{id}"),
    }
}

/// A stored file sent as a download.
pub struct FileDownload {
    bytes: Vec<u8>,
    content_type: ContentType,
    disposition: String,
}

impl<'r> Responder<'r, 'static> for FileDownload {
    fn respond_to(self, _req: &'r Request<'_>) -> response::Result<'static> {
        Response::build()
            .header(self.content_type)
            .header(Header::new("Content-Disposition", self.disposition))
            .header(Header::new("X-Content-Type-Options", "nosniff"))
            .sized_body(self.bytes.len(), Cursor::new(self.bytes))
            .ok()
    }
}

/// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded`.
fn disposition(name: &str) -> String {
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{encoded}",
        ascii_name(name)
    )
}

#[rocket::get("/evidence/<id>")]
pub async fn download(ctx: &State<Ctx>, v: Viewer, id: i64) -> Result<FileDownload> {
    let d = evidence::download(ctx, &v.actor, id).await?;
    let content_type = DocKind::from_mime(&d.doc.content_type)
        .and_then(|k| ContentType::parse_flexible(k.mime()))
        .unwrap_or(ContentType::Binary);
    Ok(FileDownload {
        disposition: disposition(&d.doc.file_name),
        content_type,
        bytes: d.bytes,
    })
}

#[rocket::post("/evidence/<id>/remove?<back>", data = "<_form>")]
pub async fn remove(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    back: Option<&str>,
    _form: Posted<Empty>,
) -> Result<Flash<Redirect>> {
    let owner = evidence::remove(ctx, &v.actor, id).await?;
    Ok(Flash::success(
        Redirect::to(back_to(back, page_of(owner))),
        text(v.lang, "evidence.removed"),
    ))
}

/// One document as a list shows it.
pub struct DocView {
    pub id: i64,
    pub name: String,
    /// "PDF · 1,2 MB · Nguyễn Văn A · 05/03/2025 10:12"
    pub about: String,
    pub removable: bool,
}

fn size_text(bytes: i64, lang: Lang) -> String {
    if bytes < 1024 * 1024 {
        let kb = (bytes + 1023) / 1024;
        format!("{kb}\u{a0}KB")
    } else {
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
        let sep = if lang == Lang::Vi { ',' } else { '.' };
        format!("{}{sep}{}\u{a0}MB", tenths / 10, tenths % 10)
    }
}

#[must_use]
pub fn doc_view(d: &Document, v: &Viewer) -> DocView {
    let kind = match DocKind::from_mime(&d.content_type) {
        Some(DocKind::Pdf) => "PDF",
        Some(DocKind::Jpeg) => "JPEG",
        Some(DocKind::Png) => "PNG",
        None => "",
    };
    DocView {
        id: d.id,
        name: d.file_name.clone(),
        about: format!(
            "{kind} · {} · {} · {}",
            size_text(d.size_bytes, v.lang),
            d.uploaded_by_name,
            fmt::time(d.uploaded_at, v.lang)
        ),
        removable: v.role() == Some(Role::Coordinator)
            || (v.role() == Some(Role::Ngo)
                && d.uploaded_by.is_some()
                && d.uploaded_by == v.actor.user_id),
    }
}

/// The documents of one record on the item page, and whether the viewer may add one.
pub struct Group {
    pub anchor: String,
    pub label: String,
    pub action: String,
    pub docs: Vec<DocView>,
    pub can_attach: bool,
}

/// The item page's evidence section.
pub struct ItemEvidence {
    pub groups: Vec<Group>,
    pub hint: String,
    pub back: String,
}

/// Builds the item page's evidence section from the item's rows and their documents.
pub fn item_section(
    config: &crate::Config,
    v: &Viewer,
    item_id: i64,
    docs: &[Document],
    disbursements: &[Disbursement],
    milestones: &[&Milestone],
) -> ItemEvidence {
    let lang = v.lang;
    let can_attach = matches!(v.role(), Some(Role::Coordinator | Role::Ngo));
    let back = format!("/items/{item_id}#item-evidence");
    let enc_back = back.replace('#', "%23");
    let mut groups = Vec::new();
    for d in disbursements {
        let mine: Vec<DocView> = docs
            .iter()
            .filter(|x| x.disbursement_id == Some(d.id))
            .map(|x| doc_view(x, v))
            .collect();
        groups.push(Group {
            anchor: format!("evidence-d{}", d.id),
            label: format!(
                "{} #{} · {} · {}",
                text(lang, "evidence.disbursement"),
                d.id,
                fmt::date(d.value_date, lang),
                fmt::money(d.amount_minor, d.currency, lang)
            ),
            action: format!("/evidence/disbursement/{}/attach?back={enc_back}", d.id),
            docs: mine,
            can_attach,
        });
    }
    for m in milestones {
        let mine: Vec<DocView> = docs
            .iter()
            .filter(|x| x.milestone_id == Some(m.id))
            .map(|x| doc_view(x, v))
            .collect();
        groups.push(Group {
            anchor: format!("evidence-m{}", m.id),
            label: format!(
                "{}: {}",
                text(lang, "evidence.milestone"),
                match lang {
                    Lang::Vi => &m.title_vi,
                    Lang::En => &m.title_en,
                }
            ),
            action: format!("/evidence/milestone/{}/attach?back={enc_back}", m.id),
            docs: mine,
            can_attach,
        });
    }
    groups.retain(|g| g.can_attach || !g.docs.is_empty());
    ItemEvidence {
        groups,
        hint: text(lang, "evidence.hint")
            .replace("{limit}", &limit_text(config.evidence_max_bytes, lang)),
        back: enc_back,
    }
}
