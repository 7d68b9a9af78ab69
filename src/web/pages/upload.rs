//! Reading a multipart upload form on the pages (evidence documents, import files): the file
//! field read whole up to its limit, the form's `_csrf` field checked against the session's
//! token as [`super::frame::Posted`] does for ordinary forms, and a body over the limit read to
//! the end (up to a bound) and dropped, so the browser gets the page that says why rather
//! than a reset connection.

use super::frame::{constant_eq, csrf_token, forged};
use crate::error::Error;
use crate::web::api::guard::{GuardFailure, SESSION_COOKIE};
use rocket::data::{self, Data, FromData, ToByteUnit};
use rocket::form::{DataField, FromForm, FromFormField, ValueField};
use rocket::http::Status;
use rocket::outcome::Outcome;
use rocket::request::Request;
use rocket::tokio;

/// Which configured limit a file field is read up to.
pub trait FileLimit: Send + Sync + 'static {
    /// The key under `limits.` in the server configuration.
    const KEY: &'static str;
    /// The limit when the configuration has none.
    const DEFAULT: u64;
}

/// A file field read whole, with the name the browser sent (made safe later, by the action).
pub struct FileField<L> {
    pub name: String,
    pub bytes: Vec<u8>,
    /// False when the file was longer than the limit (one byte over says "too large").
    pub complete: bool,
    limit: std::marker::PhantomData<L>,
}

#[rocket::async_trait]
impl<'v, L: FileLimit> FromFormField<'v> for FileField<L> {
    fn from_value(field: ValueField<'v>) -> rocket::form::Result<'v, Self> {
        // A form sent without a file (or without multipart encoding) has no bytes to keep.
        Ok(FileField {
            name: String::new(),
            bytes: Vec::new(),
            complete: field.value.is_empty(),
            limit: std::marker::PhantomData,
        })
    }

    async fn from_data(f: DataField<'v, '_>) -> rocket::form::Result<'v, Self> {
        let limit = f.request.limits().get(L::KEY).unwrap_or(L::DEFAULT.bytes());
        let name = f
            .file_name
            .map(|n| n.dangerous_unsafe_unsanitized_raw().as_str().to_string())
            .unwrap_or_default();
        let read = f.data.open(limit).into_bytes().await?;
        Ok(FileField {
            name,
            complete: read.is_complete(),
            bytes: read.into_inner(),
            limit: std::marker::PhantomData,
        })
    }
}

/// What a multipart form brought, once its CSRF token checked out.
pub enum Read<T> {
    Form(T),
    /// Over the size limit: nothing was kept.
    TooLarge,
    /// A form that could not be read.
    Unreadable,
}

/// Refuses the request with `e`, which the error catcher shows as a page.
pub fn refuse<'r, T>(req: &'r Request<'_>, e: Error) -> data::Outcome<'r, T, ()> {
    let status = e.status();
    req.local_cache(|| GuardFailure(Some(e)));
    Outcome::Error((status, ()))
}

/// Reads multipart form `T` whose body may be up to `form_limit` bytes; `csrf` gives the
/// form's `_csrf` field.
pub async fn read_form<'r, T>(
    req: &'r Request<'_>,
    data: Data<'r>,
    form_limit: u64,
    csrf: fn(&T) -> &str,
) -> data::Outcome<'r, Read<T>, ()>
where
    T: FromForm<'r> + Send + 'r,
{
    if !req.content_type().is_some_and(|c| c.is_form_data()) {
        return refuse(
            req,
            Error::Request {
                status: 415,
                code: "unsupported_media_type",
                message: "files are sent as multipart/form-data".into(),
            },
        );
    }
    let declared = req
        .headers()
        .get_one("Content-Length")
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > form_limit) {
        let drain = form_limit.saturating_mul(2).bytes();
        let _ = data.open(drain).stream_to(tokio::io::sink()).await;
        return Outcome::Success(Read::TooLarge);
    }
    let fields = match rocket::form::Form::<T>::from_data(req, data).await {
        Outcome::Success(f) => f.into_inner(),
        Outcome::Error((_, errors)) => {
            let too_large = errors.iter().any(|e| {
                matches!(e.kind, rocket::form::error::ErrorKind::InvalidLength { .. })
                    || e.status() == Status::PayloadTooLarge
            });
            return Outcome::Success(if too_large {
                Read::TooLarge
            } else {
                Read::Unreadable
            });
        }
        Outcome::Forward(f) => return Outcome::Forward(f),
    };
    let expected = req
        .cookies()
        .get_private(SESSION_COOKIE)
        .map(|c| csrf_token(c.value()));
    if !expected.is_some_and(|e| constant_eq(&e, csrf(&fields))) {
        return refuse(req, forged());
    }
    Outcome::Success(Read::Form(fields))
}
