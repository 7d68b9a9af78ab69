//! The HTTP surface. Handlers parse requests into typed commands and call exactly one action;
//! they hold no SQL and no business rules. Errors Rocket raises before a handler runs (no
//! route, a failed guard, a bad path segment) reach the catchers here and get the same JSON
//! error body as the handlers' own refusals; a path that exists under other methods answers
//! 405 with `Allow`.
//!
//! Two fairings guard every request: a state-changing request (POST, PUT, PATCH, DELETE)
//! whose `Origin` names another site is refused before any route runs (see [`origin`]), and
//! every answer carries the security headers (and `Strict-Transport-Security` over TLS).

pub mod api;
pub mod health;
pub mod origin;
pub mod pages;

use crate::actions::Ctx;
use api::guard::GuardFailure;
use rocket::fairing::AdHoc;
use rocket::http::{ContentType, Header, Method, Status};
use rocket::response::{self, Responder, Response};
use rocket::serde::json::{Value, json};
use rocket::{Build, Request, Rocket};
use std::io::Cursor;

pub fn mount(rocket: Rocket<Build>, ctx: Ctx) -> Rocket<Build> {
    let figment = crate::config::server::figment_over(rocket.figment().clone(), &ctx.config);
    rocket
        .configure(figment)
        .manage(ctx)
        .manage(health::ProbeCache::default())
        .mount("/", rocket::routes![health::healthz, origin::refused])
        .attach(origin::fairing())
        .mount(api::BASE, api::routes())
        .mount("/", pages::routes())
        .register("/", rocket::catchers![default_catcher])
        .attach(AdHoc::on_response("security headers", |req, res| {
            Box::pin(async move {
                let path = req.uri().path();
                // Answers about people's data must not be kept by a browser or a proxy.
                if !path.starts_with("/static/") {
                    res.set_header(Header::new("Cache-Control", "no-store"));
                }
                if !path.starts_with(api::BASE) {
                    res.set_header(Header::new("Content-Security-Policy", CSP));
                    res.set_header(Header::new("Referrer-Policy", "same-origin"));
                }
                if origin::over_tls(req) {
                    res.set_header(Header::new("Strict-Transport-Security", HSTS));
                }
            })
        }))
}

/// Browsers that saw the site over TLS use only TLS for it for a year.
const HSTS: &str = "max-age=31536000";

/// No inline script or style, nothing from elsewhere, no framing, forms only to this site.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'";

/// Whether the request is for the JSON API (or the health check), which answer in JSON.
pub(crate) fn is_api(req: &Request<'_>) -> bool {
    let path = req.uri().path();
    path.starts_with(api::BASE) || path == "/healthz"
}

/// A catcher's answer: the JSON error body, and `Allow` for a 405.
pub(crate) struct Caught {
    pub(crate) status: Status,
    pub(crate) body: Value,
    pub(crate) allow: Option<String>,
}

impl<'r> Responder<'r, 'static> for Caught {
    fn respond_to(self, _req: &'r Request<'_>) -> response::Result<'static> {
        let text = self.body.to_string();
        let mut r = Response::build();
        r.status(self.status)
            .header(ContentType::JSON)
            .sized_body(text.len(), Cursor::new(text));
        if let Some(allow) = self.allow {
            r.header(Header::new("Allow", allow));
        }
        r.ok()
    }
}

pub(crate) fn body(code: &str, message: &str, field: Option<&str>) -> Value {
    json!({ "error": { "code": code, "message": message, "field": field } })
}

fn internal() -> Value {
    let reference = crate::error::reference_id();
    rocket::error!("internal error before a handler ran [ref {reference}]");
    body(
        "internal",
        &format!("an internal error occurred; quote reference {reference} when reporting it"),
        None,
    )
}

/// The methods of the mounted routes whose path pattern matches the request's path.
fn methods_for_path(req: &Request<'_>) -> Vec<Method> {
    let path: Vec<&str> = req.uri().path().segments().collect();
    let mut methods: Vec<Method> = req
        .rocket()
        .routes()
        .filter(|r| {
            let pattern: Vec<&str> = r.uri.path().split('/').filter(|s| !s.is_empty()).collect();
            pattern.len() == path.len()
                && pattern
                    .iter()
                    .zip(&path)
                    .all(|(p, s)| p.starts_with('<') || p == s)
        })
        .map(|r| r.method)
        .collect();
    methods.sort_by_key(|m| m.as_str());
    methods.dedup();
    methods
}

/// A catcher's answer: JSON for the API, a page for the pages.
enum Answer {
    Api(Caught),
    Page(pages::errors::Caught),
}

impl<'r> Responder<'r, 'static> for Answer {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        match self {
            Answer::Api(c) => c.respond_to(req),
            Answer::Page(c) => c.respond_to(req),
        }
    }
}

#[rocket::catch(default)]
async fn default_catcher(status: Status, req: &Request<'_>) -> Answer {
    if is_api(req) {
        return Answer::Api(api_error(status, req));
    }
    let kept = &req.local_cache(GuardFailure::default).0;
    let status = kept.as_ref().map_or(status, crate::error::Error::status);
    // A signed-in person keeps the navigation on an error page; the session is looked up
    // again only for that.
    let viewer = if status == Status::Unauthorized {
        None
    } else {
        req.guard::<pages::frame::Viewer>().await.succeeded()
    };
    Answer::Page(pages::errors::page(
        status,
        kept.as_ref(),
        viewer.as_ref(),
        req,
    ))
}

fn api_error(status: Status, req: &Request<'_>) -> Caught {
    if let Some(e) = &req.local_cache(GuardFailure::default).0 {
        let body = if e.status().code >= 500 {
            rocket::error!("a request guard failed: {e}");
            internal()
        } else {
            body(e.code(), &e.to_string(), e.field())
        };
        return Caught {
            status: e.status(),
            body,
            allow: None,
        };
    }
    if status == Status::NotFound {
        let methods = methods_for_path(req);
        if !methods.is_empty() && !methods.contains(&req.method()) {
            let allow = methods
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            return Caught {
                status: Status::MethodNotAllowed,
                body: body(
                    "method_not_allowed",
                    &format!("{} is not allowed here; use {allow}", req.method()),
                    None,
                ),
                allow: Some(allow),
            };
        }
    }
    let (code, message) = match status.code {
        400 => ("bad_request", "the request is malformed"),
        401 => (
            "authentication_required",
            "log in (POST /api/v1/auth/login) or send Authorization: Bearer <token>",
        ),
        404 => ("not_found", "no such page or resource"),
        413 => ("body_too_large", "the request body is too large"),
        415 => (
            "unsupported_media_type",
            "send the body as JSON with Content-Type: application/json",
        ),
        422 => (
            "unprocessable",
            "a path segment or query parameter is not in the expected form (ids are whole numbers)",
        ),
        s if s >= 500 => {
            return Caught {
                status,
                body: internal(),
                allow: None,
            };
        }
        _ => (
            "error",
            status.reason().unwrap_or("the request was refused"),
        ),
    };
    Caught {
        status,
        body: body(code, message, None),
        allow: None,
    }
}
