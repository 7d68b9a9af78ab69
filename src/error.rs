//! The one error type of the application. Each variant knows its HTTP status and the message a
//! person may see; internal detail (database errors, I/O) is logged with a reference id and
//! never shown. A 5xx is always a bug or an outage, never the answer to bad input.

use rocket::Request;
use rocket::http::{ContentType, Status};
use rocket::response::{self, Responder};
use serde::Serialize;
use std::io::Cursor;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input: the field (if one is to blame), a stable code and a specific message.
    #[error("{message}")]
    Invalid {
        field: Option<String>,
        code: &'static str,
        message: String,
    },
    #[error("{0} was not found")]
    NotFound(String),
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("{0}")]
    Forbidden(String),
    /// No valid session or token, or wrong credentials (the message never says which).
    #[error("{message}")]
    Unauthorized { code: &'static str, message: String },
    /// Too many attempts (login throttling); the message says when to try again.
    #[error("{0}")]
    TooManyRequests(String),
    /// A request refused before it reaches an action: malformed (400), too large (413) or of
    /// a content type the endpoint does not take (415).
    #[error("{message}")]
    Request {
        status: u16,
        code: &'static str,
        message: String,
    },
    /// A configuration or start-up problem: the process should stop and say so.
    #[error("{0}")]
    Config(String),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Error::Invalid {
            field: Some(field.into()),
            code,
            message: message.into(),
        }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Error::Conflict {
            code,
            message: message.into(),
        }
    }

    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> Self {
        Error::Unauthorized {
            code,
            message: message.into(),
        }
    }

    #[must_use]
    pub fn config(message: String) -> Self {
        Error::Config(message)
    }

    #[must_use]
    pub fn status(&self) -> Status {
        match self {
            Error::Invalid { .. } => Status::UnprocessableEntity,
            Error::NotFound(_) => Status::NotFound,
            Error::Conflict { .. } => Status::Conflict,
            Error::Forbidden(_) => Status::Forbidden,
            Error::Unauthorized { .. } => Status::Unauthorized,
            Error::TooManyRequests(_) => Status::TooManyRequests,
            Error::Request { status, .. } => Status::new(*status),
            Error::Config(_) | Error::Db(_) | Error::Internal(_) => Status::InternalServerError,
        }
    }

    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid { code, .. }
            | Error::Conflict { code, .. }
            | Error::Unauthorized { code, .. }
            | Error::Request { code, .. } => code,
            Error::NotFound(_) => "not_found",
            Error::Forbidden(_) => "forbidden",
            Error::TooManyRequests(_) => "too_many_requests",
            Error::Config(_) | Error::Db(_) | Error::Internal(_) => "internal",
        }
    }

    #[must_use]
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => field.as_deref(),
            _ => None,
        }
    }
}

#[derive(Serialize)]
struct Body<'a> {
    error: Detail<'a>,
}

#[derive(Serialize)]
struct Detail<'a> {
    code: &'a str,
    message: String,
    field: Option<&'a str>,
}

/// A short random reference that ties a 500 shown to a person to the log line with the cause.
#[must_use]
pub fn reference_id() -> String {
    let mut b = [0_u8; 6];
    if getrandom::fill(&mut b).is_err() {
        return "unknown".to_string();
    }
    hex::encode(b)
}

/// An error kept for the catcher to show: set by a request guard that refused, or by a page
/// handler's error, so the catcher can answer in the page's form (HTML) with its message.
#[derive(Default)]
pub struct Deferred(pub Option<Error>);

impl<'r> Responder<'r, 'static> for Error {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let status = self.status();
        if !req.uri().path().starts_with("/api/") {
            // A page: the catcher renders the friendly page for this error.
            req.local_cache(|| Deferred(Some(self)));
            return Err(status);
        }
        let message = if status.code >= 500 {
            let reference = reference_id();
            rocket::error!("internal error [ref {reference}]: {self}");
            format!("an internal error occurred; quote reference {reference} when reporting it")
        } else {
            self.to_string()
        };
        let body = Body {
            error: Detail {
                code: self.code(),
                message,
                field: self.field(),
            },
        };
        let json = serde_json::to_string(&body)
            .unwrap_or_else(|_| "{\"error\":{\"code\":\"internal\"}}".to_string());
        response::Response::build()
            .status(status)
            .header(ContentType::JSON)
            .sized_body(json.len(), Cursor::new(json))
            .ok()
    }
}
