//! Who is asking: a request guard that proves identity from an API token
//! (`Authorization: Bearer …`) or the session cookie, and the write metadata (idempotency key,
//! method and path) that idempotent writes need. Roles and organisation scope are not checked
//! here but in the actions, where no handler can forget them.

use crate::actions::idempotency::Idempotency;
use crate::actions::{Actor, Ctx, auth};
use crate::error::Error;
use rocket::outcome::Outcome;
use rocket::request::{self, FromRequest, Request};

/// The name of the (private, encrypted) session cookie.
pub const SESSION_COOKIE: &str = "aidledger_session";

/// A private cookie as every secret of ours travels: HttpOnly, SameSite=Strict, for the whole
/// site, Secure when the request came over TLS, and kept no longer than a session can live
/// (Rocket would otherwise keep a private cookie a week).
#[must_use]
pub fn secret_cookie(
    name: &'static str,
    value: String,
    tls: bool,
) -> rocket::http::Cookie<'static> {
    let lifetime = crate::auth::session::SESSION_ABSOLUTE.num_seconds();
    let mut c = rocket::http::Cookie::new(name, value);
    c.set_http_only(true);
    c.set_same_site(rocket::http::SameSite::Strict);
    c.set_secure(tls);
    c.set_path("/");
    c.set_max_age(rocket::time::Duration::seconds(lifetime));
    c.set_expires(
        rocket::time::OffsetDateTime::now_utc() + rocket::time::Duration::seconds(lifetime),
    );
    c
}

/// Why a guard refused the request, for the catcher to tell the client.
pub use crate::error::Deferred as GuardFailure;

/// An authenticated user, as the actor the actions check.
pub struct CurrentUser(pub Actor);

async fn identify(req: &Request<'_>) -> Result<Actor, Error> {
    let Some(ctx) = req.rocket().state::<Ctx>() else {
        return Err(Error::Internal("the application state is missing".into()));
    };
    if let Some(header) = req.headers().get_one("Authorization") {
        let token = header
            .strip_prefix("Bearer ")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                Error::unauthorized(
                    "invalid_authorization",
                    "the Authorization header must be \"Bearer <token>\"",
                )
            })?;
        return auth::actor_from_token(ctx, token).await?.ok_or_else(|| {
            Error::unauthorized(
                "invalid_token",
                "the API token is unknown or revoked: create a new one with POST /api/v1/auth/token",
            )
        });
    }
    let Some(cookie) = req.cookies().get_private(SESSION_COOKIE) else {
        return Err(Error::unauthorized(
            "authentication_required",
            "log in (POST /api/v1/auth/login) or send Authorization: Bearer <token>",
        ));
    };
    match auth::actor_from_session(ctx, cookie.value()).await? {
        Some(actor) => Ok(actor),
        None => {
            req.cookies().remove_private(SESSION_COOKIE);
            Err(Error::unauthorized(
                "session_expired",
                "the session has ended or expired: log in again",
            ))
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for CurrentUser {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        match identify(req).await {
            Ok(actor) => Outcome::Success(CurrentUser(actor)),
            Err(e) => {
                let status = e.status();
                req.local_cache(|| GuardFailure(Some(e)));
                Outcome::Error((status, ()))
            }
        }
    }
}

/// The parts of a write request an idempotent retry is recognised by.
pub struct WriteMeta {
    key: Option<String>,
    method: String,
    path: String,
}

impl WriteMeta {
    /// Refuses a key on an endpoint that carries a secret (a password, or a token shown
    /// once): storing a fingerprint of such a request, or its answer, would keep the secret.
    pub fn refuse_key(&self) -> Result<(), Error> {
        match self.key {
            None => Ok(()),
            Some(_) => Err(Error::invalid(
                "Idempotency-Key",
                "idempotency_not_supported",
                "this request carries a password or returns a new token, so no record of it is kept: send it without an Idempotency-Key",
            )),
        }
    }

    /// The request's idempotency, if the client sent a key.
    pub fn idempotency(&self, body: &[u8]) -> Result<Option<Idempotency>, Error> {
        self.key
            .as_deref()
            .map(|k| Idempotency::new(k, &self.method, &self.path, body))
            .transpose()
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for WriteMeta {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        Outcome::Success(WriteMeta {
            key: req.headers().get_one("Idempotency-Key").map(str::to_string),
            method: req.method().as_str().to_string(),
            path: req.uri().path().to_string(),
        })
    }
}

/// The client's address for login throttling: the socket's peer, unless a trusted proxy's
/// header is configured (`Config::trusted_ip_header`) and carries a valid address. Without
/// that setting no header is believed, so a client cannot pick the address it is counted as.
pub struct ClientAddress(pub String);

/// The address `req` is counted as (see [`ClientAddress`]).
#[must_use]
pub fn client_address(req: &Request<'_>) -> Option<std::net::IpAddr> {
    let trusted = req
        .rocket()
        .state::<Ctx>()
        .and_then(|ctx| ctx.config.trusted_ip_header.as_deref());
    let from_header = trusted.and_then(|h| {
        req.headers()
            .get_one(h)
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok())
    });
    from_header.or_else(|| req.remote().map(|r| r.ip()))
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ClientAddress {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        let ip = client_address(req).map_or_else(|| "unknown".to_string(), |ip| ip.to_string());
        Outcome::Success(ClientAddress(ip))
    }
}

/// Whether the request arrived over TLS (directly or through a proxy that says so), so the
/// session cookie is marked Secure.
pub struct Transport {
    pub tls: bool,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Transport {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        let tls = req.rocket().config().tls_enabled()
            || req
                .headers()
                .get_one("X-Forwarded-Proto")
                .is_some_and(|p| p.eq_ignore_ascii_case("https"));
        Outcome::Success(Transport { tls })
    }
}

/// Refuses a query string that names a parameter twice (`?status=a&status=b`): which of the
/// two the client meant cannot be known, and taking either would hide the mistake.
pub struct QueryOnce;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for QueryOnce {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        let mut seen = std::collections::BTreeSet::new();
        for field in req.query_fields() {
            let name = field.name.source().to_string();
            if !seen.insert(name.clone()) {
                let e = Error::invalid(
                    name.clone(),
                    "duplicate_parameter",
                    format!("the query parameter {name} is given more than once"),
                );
                let status = e.status();
                req.local_cache(|| GuardFailure(Some(e)));
                return Outcome::Error((status, ()));
            }
        }
        Outcome::Success(QueryOnce)
    }
}
