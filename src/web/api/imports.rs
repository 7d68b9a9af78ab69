//! Imports over the API: `POST /imports` takes the file itself as the body (its kind from
//! `?kind=` or the Content-Type, its name from `?name=`) and answers 201 with the stored
//! import and its preview; `POST /imports/{id}/apply` applies it (200), or answers 422 with the
//! new preview when rows fail now, or 409 when it was applied already. Both honour an
//! Idempotency-Key. Who may import what is `actions::imports`' decision.

use super::guard::{CurrentUser, QueryOnce, WriteMeta};
use super::reply::Reply;
use crate::actions::Ctx;
use crate::actions::imports::{self, ImportUpload};
use crate::domain::item::{ImportKind, ImportState};
use crate::error::{Error, Result};
use crate::interchange::read::MAX_FILE_BYTES;
use rocket::State;
use rocket::data::{Data, ToByteUnit};
use rocket::http::ContentType;
use serde_json::json;
use sha2::{Digest, Sha256};

/// The kind named by `?kind=`, else by the body's Content-Type.
fn kind_of(kind: Option<&str>, content_type: Option<&ContentType>) -> Result<ImportKind> {
    if let Some(k) = kind {
        return k
            .parse::<ImportKind>()
            .map_err(|e| Error::invalid("kind", "invalid_kind", e));
    }
    let by_type = content_type.and_then(|c| match (c.top().as_str(), c.sub().as_str()) {
        ("text", "csv") => Some(ImportKind::Csv),
        ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet") => {
            Some(ImportKind::Xlsx)
        }
        ("application" | "text", "xml") => Some(ImportKind::Iati),
        _ => None,
    });
    by_type.ok_or_else(|| Error::Request {
        status: 415,
        code: "unsupported_media_type",
        message: "say what the file is: ?kind=csv, xlsx or iati, or a Content-Type of text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet or application/xml".into(),
    })
}

/// The upload's query: `?kind=csv|xlsx|iati&name=FILE`, both optional.
#[derive(rocket::FromForm)]
pub struct UploadQuery<'r> {
    kind: Option<&'r str>,
    name: Option<&'r str>,
}

#[rocket::post("/imports?<q..>", data = "<data>")]
pub async fn upload(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    content_type: Option<&ContentType>,
    q: UploadQuery<'_>,
    _once: QueryOnce,
    data: Data<'_>,
) -> Result<Reply> {
    let (kind, name) = (q.kind, q.name);
    let kind = kind_of(kind, content_type)?;
    // One byte over the limit is enough to know the file is too large.
    let read = data
        .open((MAX_FILE_BYTES + 1).bytes())
        .into_bytes()
        .await
        .map_err(|e| {
            Error::invalid(
                "body",
                "unreadable_body",
                format!("the body could not be read: {e}"),
            )
        })?;
    if !read.is_complete() {
        return Err(Error::Request {
            status: 413,
            code: "import_too_large",
            message: format!(
                "the file is larger than the import limit of {} MB: split it by record type or by period",
                MAX_FILE_BYTES / 1_000_000
            ),
        });
    }
    let bytes = read.into_inner();
    let name = imports::safe_file_name(name.unwrap_or("import"), kind);
    // The key names the request by its kind, name and file, without copying the file.
    let fingerprint = format!("{kind}\n{name}\n{}", hex::encode(Sha256::digest(&bytes)));
    let idem = meta.idempotency(fingerprint.as_bytes())?;
    let upload = ImportUpload { name, kind, bytes };
    let answer = imports::preview_upload_keyed(ctx, &user.0, upload, idem.as_ref()).await?;
    Ok(answer.into())
}

#[rocket::post("/imports/<id>/apply")]
pub async fn apply(ctx: &State<Ctx>, user: CurrentUser, meta: WriteMeta, id: i64) -> Result<Reply> {
    let idem = meta.idempotency(b"")?;
    let actor = &user.0;
    if let Some(answer) = imports::replay_apply(ctx, actor, idem.as_ref()).await? {
        return Ok(answer.into());
    }
    let out = imports::apply_import_keyed(ctx, actor, id, idem.as_ref()).await?;
    if out.summary.state == ImportState::Applied {
        return Reply::ok(&out);
    }
    let message = format!(
        "nothing was applied: {} rows fail now that the data has changed since the preview; the import's preview lists them",
        out.summary.errors
    );
    Reply::with_status(
        422,
        &json!({
            "error": {"code": "import_has_errors", "message": message, "field": null},
            "import": out,
        }),
    )
}

#[rocket::get("/imports?<limit>")]
pub async fn list(
    ctx: &State<Ctx>,
    user: CurrentUser,
    limit: Option<&str>,
    _once: QueryOnce,
) -> Result<Reply> {
    let limit = super::parse::int("limit", limit, 100, 1..=500)?;
    Reply::ok(&imports::list_imports(ctx, &user.0, limit).await?)
}

#[rocket::get("/imports/<id>")]
pub async fn get(ctx: &State<Ctx>, user: CurrentUser, id: i64) -> Result<Reply> {
    Reply::ok(&imports::get_import(ctx, &user.0, id).await?)
}
