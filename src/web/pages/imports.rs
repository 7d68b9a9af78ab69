//! Imports on the pages: `/imports` (the upload form and the recent imports in the viewer's
//! scope), `/imports/{id}` (the preview: counts, then the rows that need attention, errors
//! first, and an Apply button when nothing is wrong) and the apply itself. The upload is a
//! multipart form with the same CSRF token as every other form; who may import what, and
//! what an import changes, are `actions::imports`' decisions. Problems are worded in the
//! reader's language by their code, with the importer's English message as the fallback.

use super::frame::{Frame, Page, Posted, Viewer};
use super::i18n::text;
use super::imports_upload::Sent;
use super::session::Empty;
use crate::actions::Ctx;
use crate::actions::imports::{self, RowOutcome, RowProblem, StoredImport};
use crate::domain::Lang;
use crate::domain::item::{ImportKind, ImportState, Role};
use crate::error::{Error, Result};
use crate::interchange::RecordType;
use crate::interchange::read::MAX_FILE_BYTES;
use crate::web::pages::fmt;
use askama::Template;
use rocket::State;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};

#[must_use]
pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![list, upload, show, apply]
}

/// One import in the list.
struct ListRow {
    id: i64,
    file: String,
    kind: &'static str,
    state: &'static str,
    state_code: &'static str,
    counts: String,
    by: String,
    at: String,
}

#[derive(Template)]
#[template(path = "imports/list.html", config = "src/web/pages/askama.toml")]
struct ListPage {
    f: Frame,
    can_upload: bool,
    limit: String,
    kinds: Vec<(&'static str, &'static str)>,
    rows: Vec<ListRow>,
}

fn counts_text(lang: Lang, new: i64, changed: i64, unchanged: i64, errors: i64) -> String {
    text(lang, "imports.counts")
        .replace("{new}", &new.to_string())
        .replace("{changed}", &changed.to_string())
        .replace("{unchanged}", &unchanged.to_string())
        .replace("{errors}", &errors.to_string())
}

fn may_upload(v: &Viewer) -> bool {
    matches!(
        v.role(),
        Some(Role::Coordinator | Role::Ngo | Role::Reviewer)
    )
}

#[rocket::get("/imports")]
pub async fn list(ctx: &State<Ctx>, v: Viewer, flash: Option<FlashMessage<'_>>) -> Result<Page> {
    let lang = v.lang;
    let rows = imports::list_imports(ctx, &v.actor, 50).await?;
    Page::render(&ListPage {
        f: Frame::new(&v, "/imports", "imports.title", flash),
        can_upload: may_upload(&v),
        limit: text(lang, "imports.limit")
            .replace("{mb}", &(MAX_FILE_BYTES / 1_000_000).to_string()),
        kinds: [ImportKind::Csv, ImportKind::Xlsx, ImportKind::Iati]
            .iter()
            .map(|k| (k.code(), k.label(lang)))
            .collect(),
        rows: rows
            .iter()
            .map(|r| ListRow {
                id: r.id,
                file: r.file_name.clone(),
                kind: r.kind.label(lang),
                state: r.state.label(lang),
                state_code: r.state.code(),
                counts: counts_text(lang, r.new, r.changed, r.unchanged, r.errors),
                by: r.uploaded_by_name.clone(),
                at: fmt::time(r.created_at, lang),
            })
            .collect(),
    })
}

/// A refusal of an upload or an apply, in the reader's language where the code is worded.
fn refusal(lang: Lang, e: &Error) -> Option<String> {
    let (code, message) = match e {
        Error::Invalid { code, message, .. }
        | Error::Conflict { code, message }
        | Error::Request { code, message, .. } => (*code, message.as_str()),
        Error::Forbidden(m) => ("forbidden", m.as_str()),
        _ => return None,
    };
    let key = format!("imports.err.{code}");
    let worded = text(lang, &key);
    Some(if worded == "?" {
        super::forms::known_refusal(lang, code, message).unwrap_or_else(|| message.to_string())
    } else {
        worded.replace("{mb}", &(MAX_FILE_BYTES / 1_000_000).to_string())
    })
}

#[rocket::post("/imports", data = "<sent>")]
pub async fn upload(ctx: &State<Ctx>, v: Viewer, sent: Sent) -> Result<Flash<Redirect>> {
    let lang = v.lang;
    let back = |key: &str| Flash::error(Redirect::to("/imports"), text(lang, key));
    let upload = match sent {
        Sent::File(u) => u,
        Sent::TooLarge => {
            let msg = text(lang, "imports.err.import_too_large")
                .replace("{mb}", &(MAX_FILE_BYTES / 1_000_000).to_string());
            return Ok(Flash::error(Redirect::to("/imports"), msg));
        }
        Sent::Nothing => return Ok(back("imports.err.import_empty")),
    };
    match imports::preview_upload(ctx, &v.actor, upload).await {
        Ok(done) => {
            // A file with error rows was read fine but cannot be applied: a warning, not a
            // success.
            let (kind, key) = if done.summary.state == ImportState::Refused {
                ("warning", "imports.uploaded_with_errors")
            } else {
                ("success", "imports.uploaded")
            };
            Ok(Flash::new(
                Redirect::to(format!("/imports/{}", done.summary.id)),
                kind,
                text(lang, key),
            ))
        }
        Err(e) => match refusal(lang, &e) {
            Some(msg) if e.status().code < 500 && !matches!(e, Error::NotFound(_)) => {
                Ok(Flash::error(Redirect::to("/imports"), msg))
            }
            _ => Err(e),
        },
    }
}

/// One row that needs attention, as the preview table shows it.
struct AttentionRow {
    outcome: &'static str,
    label: &'static str,
    place: String,
    record: String,
    key: String,
    column: String,
    value: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "imports/show.html", config = "src/web/pages/askama.toml")]
struct ShowPage {
    f: Frame,
    id: i64,
    file: String,
    kind: &'static str,
    state: &'static str,
    state_code: &'static str,
    about: String,
    counts: String,
    applied: Option<String>,
    can_apply: bool,
    rows: Vec<AttentionRow>,
    hidden: String,
}

/// The problem in the reader's language: its code's wording if the pages have one, else the
/// importer's English message. The one place a preview problem is worded.
fn problem_text(lang: Lang, p: &RowProblem) -> String {
    if p.code.is_empty() {
        return p.message.clone();
    }
    super::forms::known_refusal(lang, &p.code, &p.message).unwrap_or_else(|| p.message.clone())
}

fn record_label(record: &str, lang: Lang) -> String {
    RecordType::ALL
        .into_iter()
        .find(|r| r.key() == record)
        .map_or_else(|| record.to_string(), |r| r.sheet_name(lang).to_string())
}

fn column_label(record: &str, column: &str, lang: Lang) -> String {
    RecordType::ALL
        .into_iter()
        .find(|r| r.key() == record)
        .and_then(|r| r.columns().iter().find(|c| c.key == column))
        .map_or_else(|| column.to_string(), |c| c.header(lang).to_string())
}

/// At most this many rows are drawn; the counts say how many there are in all.
const SHOWN: usize = 500;

fn attention(s: &StoredImport, lang: Lang) -> (Vec<AttentionRow>, usize) {
    let mut out = Vec::new();
    let order = [RowOutcome::Error, RowOutcome::Changed, RowOutcome::New];
    for kind in order {
        for r in s.preview.rows.iter().filter(|r| r.outcome == kind) {
            let place = format!("{}:{}", r.source, r.line);
            let record = record_label(&r.record, lang);
            let (outcome, label) = match kind {
                RowOutcome::Error => ("error", text(lang, "imports.row.error")),
                RowOutcome::Changed => ("changed", text(lang, "imports.row.changed")),
                _ => ("new", text(lang, "imports.row.new")),
            };
            let base = |column: String, value: String, detail: String| AttentionRow {
                outcome,
                label,
                place: place.clone(),
                record: record.clone(),
                key: r.key.clone(),
                column,
                value,
                detail,
            };
            match kind {
                RowOutcome::Error => out.extend(r.problems.iter().map(|p| {
                    let column = p.column.as_deref().map_or_else(
                        || text(lang, "imports.whole_row").to_string(),
                        |c| column_label(&r.record, c, lang),
                    );
                    base(column, p.value.clone(), problem_text(lang, p))
                })),
                RowOutcome::Changed => out.extend(r.changes.iter().map(|c| {
                    base(
                        column_label(&r.record, &c.column, lang),
                        c.new.clone(),
                        format!("{} → {}", c.old, c.new),
                    )
                })),
                _ => out.push(base(String::new(), String::new(), String::new())),
            }
        }
    }
    let all = out.len();
    out.truncate(SHOWN);
    let unlisted = usize::try_from(s.preview.unlisted).unwrap_or(usize::MAX);
    (out, all.saturating_sub(SHOWN).saturating_add(unlisted))
}

#[rocket::get("/imports/<id>")]
pub async fn show(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    flash: Option<FlashMessage<'_>>,
) -> Result<Page> {
    let lang = v.lang;
    let s = imports::get_import(ctx, &v.actor, id).await?;
    let (rows, hidden) = attention(&s, lang);
    let sm = &s.summary;
    let own = v.actor.user_id.is_some() && v.actor.user_id == sm.uploaded_by;
    Page::render(&ShowPage {
        f: Frame::new(&v, "/imports", "imports.preview.title", flash),
        id,
        file: sm.file_name.clone(),
        kind: sm.kind.label(lang),
        state: sm.state.label(lang),
        state_code: sm.state.code(),
        about: text(lang, "imports.about")
            .replace("{by}", &sm.uploaded_by_name)
            .replace("{at}", &fmt::time(sm.created_at, lang))
            .replace("{sha}", &sm.sha256[..sm.sha256.len().min(12)]),
        counts: counts_text(lang, sm.new, sm.changed, sm.unchanged, sm.errors),
        applied: sm.applied_at.map(|at| {
            text(lang, "imports.applied_at")
                .replace("{at}", &fmt::time(at, lang))
                .replace("{by}", sm.applied_by_name.as_deref().unwrap_or_default())
        }),
        can_apply: sm.state == ImportState::Previewed
            && sm.errors == 0
            && (own || v.role() == Some(Role::Coordinator)),
        rows,
        hidden: if hidden > 0 {
            text(lang, "imports.hidden").replace("{n}", &hidden.to_string())
        } else {
            String::new()
        },
    })
}

#[rocket::post("/imports/<id>/apply", data = "<_form>")]
pub async fn apply(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    _form: Posted<Empty>,
) -> Result<Flash<Redirect>> {
    let lang = v.lang;
    let to = Redirect::to(format!("/imports/{id}"));
    match imports::apply_import(ctx, &v.actor, id).await {
        Ok(done) if done.summary.state == ImportState::Applied => {
            Ok(Flash::success(to, text(lang, "imports.applied")))
        }
        Ok(_) => Ok(Flash::error(to, text(lang, "imports.err.changed_since"))),
        Err(e @ (Error::Conflict { .. } | Error::Request { .. } | Error::Forbidden(_))) => {
            Ok(Flash::error(to, refusal(lang, &e).unwrap_or_default()))
        }
        Err(e) => Err(e),
    }
}
