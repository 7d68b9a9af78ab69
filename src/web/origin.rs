//! Cross-site request refusal and the TLS test behind `Strict-Transport-Security`.
//!
//! Forms carry CSRF tokens and cookies are SameSite=Strict; checking `Origin` is a third,
//! independent line: a browser names the site a request comes from, so a state-changing
//! request (POST, PUT, PATCH, DELETE) whose `Origin` is another site than the one in `Host`
//! is refused with 403 before any route (or guard) runs: JSON for the API, a page for the
//! pages. A request without `Origin` (command-line clients, older browsers) is let through to
//! the usual checks. Behind a configured proxy, `X-Forwarded-Host` counts as the host too.

use super::{Caught, body, is_api};
use crate::actions::Ctx;
use crate::error::Error;
use rocket::fairing::AdHoc;
use rocket::http::uri::Origin;
use rocket::http::{Method, Status};
use rocket::request::Request;
use rocket::response::{self, Responder};

/// Where a refused request is routed, so no route of the application ever sees it.
const REFUSED: &str = "/__refused/cross-site";

/// A refusal kept for [`refused`]: whether the request was for the API, and its `Origin`.
#[derive(Default)]
struct CrossSite(Option<(bool, String)>);

#[must_use]
pub fn fairing() -> AdHoc {
    AdHoc::on_request("origin check", |req, _| {
        Box::pin(async move {
            if !matches!(
                req.method(),
                Method::Post | Method::Put | Method::Patch | Method::Delete
            ) {
                return;
            }
            let Some(origin) = req.headers().get_one("Origin").map(str::to_string) else {
                return;
            };
            if same_site(req, &origin) {
                return;
            }
            let Ok(to) = Origin::parse(REFUSED) else {
                return;
            };
            let api = is_api(req);
            let shown: String = origin.chars().take(100).collect();
            req.local_cache(|| CrossSite(Some((api, shown))));
            req.set_method(Method::Get);
            req.set_uri(to);
        })
    })
}

/// Whether a proxy in front is configured (then its forwarded headers are believed).
fn proxied(req: &Request<'_>) -> bool {
    req.rocket()
        .state::<Ctx>()
        .is_some_and(|c| c.config.trusted_ip_header.is_some())
}

/// Whether `origin` (`scheme://host[:port]`) is the site the request was sent to.
fn same_site(req: &Request<'_>, origin: &str) -> bool {
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "http" => ":80",
        "https" => ":443",
        _ => return false,
    };
    let norm = |a: &str| {
        let a = a.trim().to_ascii_lowercase();
        match a.strip_suffix(default_port) {
            Some(short) => short.to_string(),
            None => a,
        }
    };
    let wanted = norm(authority);
    if wanted.is_empty() {
        return false;
    }
    let mut hosts = vec![req.headers().get_one("Host")];
    if proxied(req) {
        hosts.push(req.headers().get_one("X-Forwarded-Host"));
    }
    hosts.into_iter().flatten().any(|h| norm(h) == wanted)
}

/// Whether the request came over TLS: Rocket's own, or a configured proxy's
/// `X-Forwarded-Proto: https` (never believed without a proxy configured).
#[must_use]
pub fn over_tls(req: &Request<'_>) -> bool {
    req.rocket().config().tls_enabled()
        || (proxied(req)
            && req
                .headers()
                .get_one("X-Forwarded-Proto")
                .is_some_and(|p| p.trim().eq_ignore_ascii_case("https")))
}

#[rocket::get("/__refused/cross-site")]
#[must_use]
pub fn refused() -> Refusal {
    Refusal
}

/// The answer to a refused cross-site request (a 404 for anyone who asks for it directly).
pub struct Refusal;

impl<'r> Responder<'r, 'static> for Refusal {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let CrossSite(kept) = req.local_cache(CrossSite::default);
        let Some((api, origin)) = kept else {
            return Err(Status::NotFound);
        };
        let e = Error::Request {
            status: 403,
            code: "cross_origin",
            message: format!(
                "a request that changes data must come from this site's own pages, not from {origin}"
            ),
        };
        if *api {
            Caught {
                status: Status::Forbidden,
                body: body(e.code(), &e.to_string(), None),
                allow: None,
            }
            .respond_to(req)
        } else {
            super::pages::errors::page(Status::Forbidden, Some(&e), None, req).respond_to(req)
        }
    }
}
