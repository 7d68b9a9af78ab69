//! The HTTP surface. Handlers parse requests into typed commands and call exactly one action;
//! they hold no SQL and no business rules.

pub mod health;

use crate::actions::Ctx;
use rocket::{Build, Rocket};

pub fn mount(rocket: Rocket<Build>, ctx: Ctx) -> Rocket<Build> {
    rocket
        .manage(ctx)
        .mount("/", rocket::routes![health::healthz])
        .register(
            "/",
            rocket::catchers![not_found, unprocessable, bad_request, internal],
        )
}

/// The JSON error body of the API, for errors Rocket raises before a handler runs (the
/// status itself comes from the catcher).
fn catcher_body(code: &str, message: &str) -> rocket::serde::json::Value {
    rocket::serde::json::json!({ "error": { "code": code, "message": message, "field": null } })
}

#[rocket::catch(404)]
fn not_found() -> rocket::serde::json::Value {
    catcher_body("not_found", "no such page or resource")
}

#[rocket::catch(422)]
fn unprocessable() -> rocket::serde::json::Value {
    catcher_body(
        "invalid_body",
        "the request body could not be read as the expected JSON",
    )
}

#[rocket::catch(400)]
fn bad_request() -> rocket::serde::json::Value {
    catcher_body("bad_request", "the request is malformed")
}

#[rocket::catch(500)]
fn internal() -> rocket::serde::json::Value {
    let reference = crate::error::reference_id();
    rocket::error!("unhandled internal error [ref {reference}]");
    catcher_body(
        "internal",
        &format!("an internal error occurred; quote reference {reference}"),
    )
}
