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

fn catcher_body(
    status: rocket::http::Status,
    code: &str,
    message: &str,
) -> rocket::serde::json::Value {
    let _ = status;
    rocket::serde::json::json!({ "error": { "code": code, "message": message, "field": null } })
}

#[rocket::catch(404)]
fn not_found() -> rocket::serde::json::Value {
    catcher_body(
        rocket::http::Status::NotFound,
        "not_found",
        "no such page or resource",
    )
}

#[rocket::catch(422)]
fn unprocessable() -> rocket::serde::json::Value {
    catcher_body(
        rocket::http::Status::UnprocessableEntity,
        "invalid_body",
        "the request body could not be read as the expected JSON",
    )
}

#[rocket::catch(400)]
fn bad_request() -> rocket::serde::json::Value {
    catcher_body(
        rocket::http::Status::BadRequest,
        "bad_request",
        "the request is malformed",
    )
}

#[rocket::catch(500)]
fn internal() -> rocket::serde::json::Value {
    let reference = crate::error::reference_id();
    rocket::error!("unhandled internal error [ref {reference}]");
    catcher_body(
        rocket::http::Status::InternalServerError,
        "internal",
        &format!("an internal error occurred; quote reference {reference}"),
    )
}
