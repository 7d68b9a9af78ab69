//! The upload form's body: a multipart form with the file, its kind and the CSRF token,
//! checked against the session's token as every form is, and the file read whole up to the
//! import limit (one byte over is enough to say "too large"). A body over the limit is drained
//! (up to a bound) and dropped, so the browser gets the page that says why rather than a
//! reset connection.

use super::frame::{constant_eq, csrf_token, forged};
use crate::actions::imports::ImportUpload;
use crate::config::server::IMPORT_FILE_LIMIT;
use crate::domain::item::ImportKind;
use crate::error::Error;
use crate::interchange::read::MAX_FILE_BYTES;
use crate::web::api::guard::{GuardFailure, SESSION_COOKIE};
use rocket::data::{self, Data, FromData, ToByteUnit};
use rocket::form::{DataField, FromFormField, ValueField};
use rocket::http::Status;
use rocket::outcome::Outcome;
use rocket::request::Request;
use rocket::tokio;

/// An import's file field, read whole up to the import limit (one byte over says "too large").
pub struct ImportFile {
    name: String,
    bytes: Vec<u8>,
    complete: bool,
}

#[rocket::async_trait]
impl<'v> FromFormField<'v> for ImportFile {
    fn from_value(field: ValueField<'v>) -> rocket::form::Result<'v, Self> {
        Ok(ImportFile {
            name: String::new(),
            bytes: Vec::new(),
            complete: field.value.is_empty(),
        })
    }

    async fn from_data(f: DataField<'v, '_>) -> rocket::form::Result<'v, Self> {
        let key = IMPORT_FILE_LIMIT.trim_start_matches("limits.");
        let limit = f
            .request
            .limits()
            .get(key)
            .unwrap_or((MAX_FILE_BYTES + 1).bytes());
        let name = f
            .file_name
            .map(|n| n.dangerous_unsafe_unsanitized_raw().as_str().to_string())
            .unwrap_or_default();
        let read = f.data.open(limit).into_bytes().await?;
        Ok(ImportFile {
            name,
            complete: read.is_complete(),
            bytes: read.into_inner(),
        })
    }
}

#[derive(rocket::FromForm)]
struct Fields {
    #[field(name = "_csrf")]
    csrf: String,
    kind: Option<String>,
    file: Option<ImportFile>,
}

/// What the upload form brought.
pub enum Sent {
    File(ImportUpload),
    TooLarge,
    /// No file chosen, an unknown kind, or a form that could not be read.
    Nothing,
}

/// Reads the multipart upload and checks its `_csrf` field.
#[rocket::async_trait]
impl<'r> FromData<'r> for Sent {
    type Error = ();

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self, ()> {
        let refuse = |e: Error| {
            let status = e.status();
            req.local_cache(|| GuardFailure(Some(e)));
            Outcome::Error((status, ()))
        };
        if !req.content_type().is_some_and(|c| c.is_form_data()) {
            return refuse(Error::Request {
                status: 415,
                code: "unsupported_media_type",
                message: "files are sent as multipart/form-data".into(),
            });
        }
        let form_limit = MAX_FILE_BYTES + 1 + crate::config::server::UPLOAD_FORM_ROOM;
        let declared = req
            .headers()
            .get_one("Content-Length")
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > form_limit) {
            let drain = form_limit.saturating_mul(2).bytes();
            let _ = data.open(drain).stream_to(tokio::io::sink()).await;
            return Outcome::Success(Sent::TooLarge);
        }
        let fields = match rocket::form::Form::<Fields>::from_data(req, data).await {
            Outcome::Success(f) => f.into_inner(),
            Outcome::Error((_, errors)) => {
                let too_large = errors.iter().any(|e| {
                    matches!(e.kind, rocket::form::error::ErrorKind::InvalidLength { .. })
                        || e.status() == Status::PayloadTooLarge
                });
                return Outcome::Success(if too_large {
                    Sent::TooLarge
                } else {
                    Sent::Nothing
                });
            }
            Outcome::Forward(f) => return Outcome::Forward(f),
        };
        let expected = req
            .cookies()
            .get_private(SESSION_COOKIE)
            .map(|c| csrf_token(c.value()));
        if !expected.is_some_and(|e| constant_eq(&e, &fields.csrf)) {
            return refuse(forged());
        }
        let kind = fields
            .kind
            .as_deref()
            .and_then(|k| k.parse::<ImportKind>().ok());
        Outcome::Success(match (fields.file, kind) {
            (Some(f), _) if !f.complete => Sent::TooLarge,
            (Some(f), Some(kind)) if !f.bytes.is_empty() => Sent::File(ImportUpload {
                name: f.name,
                kind,
                bytes: f.bytes,
            }),
            _ => Sent::Nothing,
        })
    }
}
