//! The JSON request body of the API: bounded in size, `application/json` only, parsed with
//! unknown fields refused, and kept as raw bytes too so an idempotent retry can be recognised.
//! A body that does not parse is refused with the path of the offending field.

use crate::error::Error;
use rocket::data::{self, Data, FromData, ToByteUnit};
use rocket::http::Status;
use rocket::request::Request;
use serde::de::DeserializeOwned;

/// The largest body any endpoint accepts. Aid records are small; this is ample.
pub const LIMIT_BYTES: u64 = 64 * 1024;

pub struct JsonBody<T> {
    pub value: T,
    pub raw: Vec<u8>,
}

fn refuse<'r, T>(status: u16, code: &'static str, message: String) -> data::Outcome<'r, T, Error> {
    rocket::outcome::Outcome::Error((
        Status::new(status),
        Error::Request {
            status,
            code,
            message,
        },
    ))
}

/// Turns serde's complaint into a field error: the dotted path of the field and a message
/// without serde's line/column noise.
fn field_error(err: &serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = err.path().to_string();
    let inner = err.inner();
    let message = inner.to_string();
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_string();
    let field = if path == "." {
        // Unknown and missing fields are reported on the enclosing object: name them.
        ["unknown field `", "missing field `"]
            .iter()
            .find_map(|p| message.strip_prefix(p))
            .and_then(|rest| rest.split('`').next())
            .unwrap_or("body")
            .to_string()
    } else {
        path
    };
    if inner.is_syntax() || inner.is_eof() {
        return Error::invalid(
            "body",
            "invalid_json",
            format!("the body is not valid JSON: {message}"),
        );
    }
    Error::invalid(field, "invalid_field", message)
}

#[rocket::async_trait]
impl<'r, T: DeserializeOwned> FromData<'r> for JsonBody<T> {
    type Error = Error;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        if !req.content_type().is_some_and(|c| c.is_json()) {
            return refuse(
                415,
                "unsupported_media_type",
                "send the body as JSON with Content-Type: application/json".into(),
            );
        }
        let raw = match data.open(LIMIT_BYTES.bytes()).into_bytes().await {
            Ok(b) if b.is_complete() => b.into_inner(),
            Ok(_) => {
                return refuse(
                    413,
                    "body_too_large",
                    format!("the body may have at most {LIMIT_BYTES} bytes"),
                );
            }
            Err(e) => {
                return refuse(
                    400,
                    "unreadable_body",
                    format!("the body could not be read: {e}"),
                );
            }
        };
        // serde would also read a struct from an array of its fields in order; an API body is
        // an object with named fields, nothing else.
        if raw.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return rocket::outcome::Outcome::Error((
                Status::UnprocessableEntity,
                Error::invalid("body", "invalid_json", "the body must be a JSON object"),
            ));
        }
        let mut de = serde_json::Deserializer::from_slice(&raw);
        let value = match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Ok(v) => v,
            Err(e) => {
                return rocket::outcome::Outcome::Error((
                    Status::UnprocessableEntity,
                    field_error(&e),
                ));
            }
        };
        if let Err(e) = de.end() {
            return rocket::outcome::Outcome::Error((
                Status::UnprocessableEntity,
                Error::invalid(
                    "body",
                    "invalid_json",
                    format!("the body is not valid JSON: {e}"),
                ),
            ));
        }
        rocket::outcome::Outcome::Success(JsonBody { value, raw })
    }
}
