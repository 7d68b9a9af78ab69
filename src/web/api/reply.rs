//! The API's answers: JSON with a status, and the marker that says an answer is the replay of
//! an earlier idempotent request.

use crate::actions::idempotency::Answer;
use crate::error::{Error, Result};
use rocket::http::{ContentType, Header, Status};
use rocket::request::Request;
use rocket::response::{self, Responder, Response};
use std::io::Cursor;

pub struct Reply {
    status: Status,
    body: String,
    replayed: bool,
}

impl Reply {
    /// A 200 answer with `value` as its JSON body.
    pub fn ok<T: serde::Serialize>(value: &T) -> Result<Reply> {
        Ok(Reply {
            status: Status::Ok,
            body: serde_json::to_string(value).map_err(|e| Error::Internal(e.to_string()))?,
            replayed: false,
        })
    }
}

impl Reply {
    /// An answer with `status` and `value` as its JSON body (a refusal that carries more
    /// than the error, such as an import's preview).
    pub fn with_status<T: serde::Serialize>(status: u16, value: &T) -> Result<Reply> {
        let mut r = Reply::ok(value)?;
        r.status = Status::new(status);
        Ok(r)
    }
}

impl From<Answer> for Reply {
    fn from(a: Answer) -> Self {
        Reply {
            status: Status::new(a.status),
            body: a.body,
            replayed: a.replayed,
        }
    }
}

impl<'r> Responder<'r, 'static> for Reply {
    fn respond_to(self, _req: &'r Request<'_>) -> response::Result<'static> {
        let mut r = Response::build();
        r.status(self.status)
            .header(ContentType::JSON)
            .sized_body(self.body.len(), Cursor::new(self.body));
        if self.replayed {
            r.header(Header::new("Idempotent-Replayed", "true"));
        }
        r.ok()
    }
}
