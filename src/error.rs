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
    /// The database cannot take the request now (unreachable, read-only, full, or the audit
    /// trail failed verification): 503, with a plain message and no internal detail.
    #[error("{message}")]
    Unavailable { code: &'static str, message: String },
    #[error("database error: {0}")]
    Db(sqlx::Error),
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

    /// A long read (an export, a drafted report) that found the server busy with others.
    #[must_use]
    pub fn busy() -> Self {
        Error::Unavailable {
            code: "busy",
            message: "the server is busy with other exports and reports; nothing was changed, please try again in a minute".into(),
        }
    }

    /// The storage outage error every write gets while the database cannot take it.
    #[must_use]
    pub fn storage_unavailable(why: &str) -> Self {
        Error::Unavailable {
            code: "storage_unavailable",
            message: format!(
                "the database cannot save changes right now ({why}); nothing was saved, please try again later"
            ),
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
            Error::Unavailable { .. } => Status::ServiceUnavailable,
            Error::Config(_) | Error::Db(_) | Error::Internal(_) => Status::InternalServerError,
        }
    }

    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid { code, .. }
            | Error::Conflict { code, .. }
            | Error::Unauthorized { code, .. }
            | Error::Request { code, .. }
            | Error::Unavailable { code, .. } => code,
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

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        match storage_fault(&e) {
            Some(why) => {
                rocket::warn!("storage unavailable: {e}");
                Error::storage_unavailable(why)
            }
            None => Error::Db(e),
        }
    }
}

/// Whether `e` is the storage failing (as opposed to a bug or a constraint), and in what plain
/// words: those become a 503 `storage_unavailable` instead of a 500.
#[must_use]
pub fn storage_fault(e: &sqlx::Error) -> Option<&'static str> {
    match e {
        sqlx::Error::PoolTimedOut => Some("the database did not answer in time"),
        sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed => Some("the database is closed"),
        sqlx::Error::Io(_) | sqlx::Error::Tls(_) => Some("the database cannot be reached"),
        sqlx::Error::Database(d) => {
            let code = d.code().unwrap_or_default();
            // SQLite result codes, primary part: BUSY 5, LOCKED 6, READONLY 8, IOERR 10,
            // FULL 13, CANTOPEN 14; PostgreSQL SQLSTATE classes 08 (connection), 53 (disk,
            // memory), 57P (shutdown) and 25006 (read-only transaction).
            let sqlite = code.parse::<i64>().ok().map(|c| c & 0xff);
            match (sqlite, code.as_ref()) {
                (Some(8), _) | (_, "25006") => Some("the database is read-only"),
                (Some(13), _) | (_, "53100") => Some("the disk is full"),
                (Some(5 | 6), _) => Some("the database is busy"),
                (Some(10 | 14), _) => Some("the database file cannot be written"),
                (_, c) if c.starts_with("08") || c.starts_with("57P") => {
                    Some("the database cannot be reached")
                }
                (_, c) if c.starts_with("53") => Some("the database is out of resources"),
                _ => None,
            }
        }
        _ => None,
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
        // An outage says what is wrong in plain words; anything else on a 5xx is a bug.
        let message = if status.code >= 500 && !matches!(self, Error::Unavailable { .. }) {
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
