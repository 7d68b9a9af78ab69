//! The HTTP surface. Handlers parse requests into typed commands and call exactly one action;
//! they hold no SQL and no business rules. Errors Rocket raises before a handler runs (no
//! route, a failed guard, a bad path segment) reach the catchers here and get the same JSON
//! error body as the handlers' own refusals.

pub mod api;
pub mod health;

use crate::actions::Ctx;
use api::guard::AuthFailure;
use rocket::fairing::AdHoc;
use rocket::http::{Header, Status};
use rocket::serde::json::{Value, json};
use rocket::{Build, Request, Rocket};

pub fn mount(rocket: Rocket<Build>, ctx: Ctx) -> Rocket<Build> {
    rocket
        .manage(ctx)
        .mount("/", rocket::routes![health::healthz])
        .mount(api::BASE, api::routes())
        .register("/", rocket::catchers![unauthorized, default_catcher])
        .attach(AdHoc::on_response("no-store", |req, res| {
            Box::pin(async move {
                // Authenticated answers must not be kept by a browser or a proxy.
                if req.uri().path().starts_with(api::BASE) {
                    res.set_header(Header::new("Cache-Control", "no-store"));
                }
            })
        }))
}

fn body(code: &str, message: &str, field: Option<&str>) -> Value {
    json!({ "error": { "code": code, "message": message, "field": field } })
}

#[rocket::catch(401)]
fn unauthorized(req: &Request<'_>) -> Value {
    match &req.local_cache(AuthFailure::default).0 {
        Some(e) => body(e.code(), &e.to_string(), None),
        None => body(
            "authentication_required",
            "log in (POST /api/v1/auth/login) or send Authorization: Bearer <token>",
            None,
        ),
    }
}

#[rocket::catch(default)]
fn default_catcher(status: Status, req: &Request<'_>) -> Value {
    if let Some(e) = &req.local_cache(AuthFailure::default).0 {
        // The identity guard failed on a database problem: log it, show a reference.
        let reference = crate::error::reference_id();
        rocket::error!("identifying the caller failed [ref {reference}]: {e}");
        return body(
            "internal",
            &format!("an internal error occurred; quote reference {reference} when reporting it"),
            None,
        );
    }
    let (code, message) = match status.code {
        400 => ("bad_request", "the request is malformed"),
        404 => ("not_found", "no such page or resource"),
        405 => ("method_not_allowed", "this method is not allowed here"),
        413 => ("body_too_large", "the request body is too large"),
        415 => ("unsupported_media_type", "send the body as JSON with Content-Type: application/json"),
        422 => (
            "unprocessable",
            "a path segment or query parameter is not in the expected form (ids are whole numbers)",
        ),
        s if s >= 500 => {
            let reference = crate::error::reference_id();
            rocket::error!("unhandled internal error {s} [ref {reference}]");
            return body(
                "internal",
                &format!("an internal error occurred; quote reference {reference} when reporting it"),
                None,
            );
        }
        _ => ("error", status.reason().unwrap_or("the request was refused")),
    };
    body(code, message, None)
}
