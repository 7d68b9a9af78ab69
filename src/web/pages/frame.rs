//! What every page shares: the signed-in viewer (from the session cookie only; pages never
//! take API tokens), the CSRF token bound to that session, posted forms checked against it in
//! one place, and the frame a template draws around its content (language, navigation, flash
//! message).

use crate::actions::{Actor, Ctx, auth};
use crate::domain::Lang;
use crate::domain::item::Role;
use crate::error::Error;
use crate::web::api::guard::{GuardFailure, SESSION_COOKIE};
use rocket::data::{self, Data, FromData, ToByteUnit};
use rocket::http::{ContentType, CookieJar, RawStr, Status};
use rocket::outcome::Outcome;
use rocket::request::{self, FlashMessage, FromRequest, Request};
use rocket::response::{self, Responder, Response};
use sha2::{Digest, Sha256};
use std::io::Cursor;

/// The cookie that remembers the language chosen before logging in.
pub const LANG_COOKIE: &str = "aidledger_lang";
/// The private cookie whose value the login form's CSRF token is derived from.
pub const LOGIN_COOKIE: &str = "aidledger_login";

/// A token only this site can put in its own forms: derived from a secret the browser holds
/// in a private (encrypted, HttpOnly) cookie, so another site can neither read nor guess it.
#[must_use]
pub fn csrf_token(secret: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"aidledger csrf\n");
    h.update(secret.as_bytes());
    hex::encode(h.finalize())
}

/// The language of a request without a session: the remembered choice, else Vietnamese.
#[must_use]
pub fn cookie_lang(cookies: &CookieJar<'_>) -> Lang {
    cookies
        .get(LANG_COOKIE)
        .and_then(|c| c.value().parse().ok())
        .unwrap_or_default()
}

/// The agency's name as the header shows it: the report's issuing body in `lang`.
#[must_use]
pub fn agency_name(config: &crate::Config, lang: Lang) -> String {
    match lang {
        Lang::Vi => config.issuing_agency_vi.clone(),
        Lang::En => config.issuing_agency_en.clone(),
    }
}

/// A signed-in person looking at pages.
pub struct Viewer {
    pub actor: Actor,
    pub display_name: String,
    pub lang: Lang,
    pub csrf: String,
    /// The agency running the site, in the viewer's language (the report's issuing body).
    pub agency: String,
}

impl Viewer {
    #[must_use]
    pub fn role(&self) -> Option<Role> {
        self.actor.role
    }
}

async fn viewer(req: &Request<'_>) -> Result<Viewer, Error> {
    let ctx = req
        .rocket()
        .state::<Ctx>()
        .ok_or_else(|| Error::Internal("the application state is missing".into()))?;
    let cookie = req
        .cookies()
        .get_private(SESSION_COOKIE)
        .ok_or_else(|| Error::unauthorized("authentication_required", "log in to see this page"))?;
    let secret = cookie.value().to_string();
    let Some(person) = auth::person_from_session(ctx, &secret).await? else {
        req.cookies().remove_private(SESSION_COOKIE);
        return Err(Error::unauthorized(
            "session_expired",
            "the session has ended; log in again",
        ));
    };
    Ok(Viewer {
        actor: person.actor,
        display_name: person.display_name,
        lang: person.lang,
        csrf: csrf_token(&secret),
        agency: agency_name(&ctx.config, person.lang),
    })
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Viewer {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        match viewer(req).await {
            Ok(v) => Outcome::Success(v),
            Err(e) => {
                let status = e.status();
                req.local_cache(|| GuardFailure(Some(e)));
                Outcome::Error((status, ()))
            }
        }
    }
}

/// A posted form whose `_csrf` field matched the token of the session (or, on the login
/// page, of the login cookie). Anything else is refused before a handler runs, with 403.
pub struct Posted<T> {
    pub value: T,
}

/// Forms are small; this bounds what one may send.
const FORM_LIMIT: u64 = 64 * 1024;

fn posted_token(req: &Request<'_>) -> Option<String> {
    req.cookies()
        .get_private(SESSION_COOKIE)
        .or_else(|| req.cookies().get_private(LOGIN_COOKIE))
        .map(|c| csrf_token(c.value()))
}

/// The refusal of a form whose token is missing or not this browser's.
pub(crate) fn forged() -> Error {
    Error::Request {
        status: 403,
        code: "form_expired",
        message:
            "this form has expired or did not come from this site: reload the page and send it again"
                .into(),
    }
}

#[rocket::async_trait]
impl<'r, T: rocket::form::FromForm<'r>> FromData<'r> for Posted<T> {
    type Error = ();

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self, ()> {
        let refuse = |e: Error| {
            let status = e.status();
            req.local_cache(|| GuardFailure(Some(e)));
            Outcome::Error((status, ()))
        };
        if req.content_type() != Some(&ContentType::Form) {
            return refuse(Error::Request {
                status: 415,
                code: "unsupported_media_type",
                message: "forms are sent as application/x-www-form-urlencoded".into(),
            });
        }
        let body = match data.open(FORM_LIMIT.bytes()).into_string().await {
            Ok(s) if s.is_complete() => s.into_inner(),
            _ => {
                return refuse(Error::Request {
                    status: 413,
                    code: "body_too_large",
                    message: "the form is too large".into(),
                });
            }
        };
        // Decoded once, kept for the request's lifetime so `T` may borrow from it.
        let pairs: Vec<(String, String)> = body
            .split('&')
            .filter(|kv| !kv.is_empty())
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                let decode = |x: &str| RawStr::new(x).url_decode_lossy().into_owned();
                (decode(k), decode(v))
            })
            .collect();
        let pairs: &'r [(String, String)] = rocket::request::local_cache!(req, pairs);
        let sent = pairs
            .iter()
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v.as_str());
        let expected = posted_token(req);
        let ok = matches!((sent, expected.as_deref()), (Some(s), Some(e)) if constant_eq(s, e));
        if !ok {
            return refuse(forged());
        }
        let fields = pairs
            .iter()
            .map(|(k, v)| rocket::form::ValueField::from((k.as_str(), v.as_str())));
        match rocket::form::Form::<T>::parse_iter(fields) {
            Ok(value) => Outcome::Success(Posted { value }),
            Err(errors) => refuse(Error::Request {
                status: 400,
                code: "bad_form",
                message: format!("the form could not be read: {errors}"),
            }),
        }
    }
}

/// Compares two tokens in time that does not depend on where they differ.
pub(crate) fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0_u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// One link of the navigation bar.
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// What a template draws around its content.
pub struct Frame {
    pub lang: Lang,
    pub title: String,
    pub user: Option<String>,
    pub role: Option<&'static str>,
    pub csrf: String,
    pub path: String,
    pub nav: Vec<NavItem>,
    pub flash: Option<(String, String)>,
    /// The agency's name beside the product's (empty when not known, e.g. on a catcher's page).
    pub agency: String,
}

impl Frame {
    /// The frame of a signed-in page; `title_key` names the page's title text.
    #[must_use]
    pub fn new(v: &Viewer, path: &str, title_key: &str, flash: Option<FlashMessage<'_>>) -> Frame {
        let lang = v.lang;
        let links: &[(&'static str, &str)] = match v.role() {
            Some(Role::Ngo) => &[
                ("/portal", "nav.portal"),
                ("/portal/proposals", "nav.portal_proposals"),
                ("/items", "nav.items"),
                ("/activities", "nav.activities"),
                ("/imports", "nav.imports"),
            ],
            Some(Role::Admin) => &[
                ("/", "nav.dashboard"),
                ("/admin/users", "nav.users"),
                ("/organisations", "nav.organisations"),
                ("/rates", "nav.rates"),
            ],
            Some(Role::Reviewer) => &[
                ("/", "nav.dashboard"),
                ("/items", "nav.items"),
                ("/review", "nav.review"),
                ("/periods", "nav.periods"),
                ("/rates", "nav.rates"),
                ("/programmes", "nav.mobilisation"),
            ],
            _ => &[
                ("/", "nav.dashboard"),
                ("/items", "nav.items"),
                ("/organisations", "nav.organisations"),
                ("/review", "nav.review"),
                ("/periods", "nav.periods"),
                ("/rates", "nav.rates"),
                ("/imports", "nav.imports"),
                ("/programmes", "nav.mobilisation"),
            ],
        };
        let nav = links
            .iter()
            .map(|(href, key)| NavItem {
                href,
                label: super::i18n::text(lang, key),
                current: if *href == "/" {
                    path == "/"
                } else if *href == "/programmes" {
                    // One entry for the whole of mobilisation; its pages have their own tabs.
                    ["/programmes", "/proposals", "/activities"]
                        .iter()
                        .any(|p| path.starts_with(p))
                } else {
                    path.starts_with(href)
                },
            })
            .collect();
        Frame {
            lang,
            title: super::i18n::text(lang, title_key).to_string(),
            user: Some(v.display_name.clone()),
            role: v.role().map(|r| r.label(lang)),
            csrf: v.csrf.clone(),
            path: path.to_string(),
            nav,
            flash: flash.map(|f| (f.kind().to_string(), f.message().to_string())),
            agency: v.agency.clone(),
        }
    }

    /// The frame of a page seen before logging in.
    #[must_use]
    pub fn public(lang: Lang, title_key: &str, csrf: String) -> Frame {
        Frame {
            lang,
            title: super::i18n::text(lang, title_key).to_string(),
            user: None,
            role: None,
            csrf,
            path: "/login".into(),
            nav: Vec::new(),
            flash: None,
            agency: String::new(),
        }
    }

    /// The same frame with the agency's name from the configuration in the page's language.
    #[must_use]
    pub fn with_agency(mut self, config: &crate::Config) -> Frame {
        self.agency = agency_name(config, self.lang);
        self
    }

    /// Whether the viewer's navigation leads to `href` (pages shared by province and NGO staff
    /// draw the province's tabs only for those who have them).
    #[must_use]
    pub fn has_nav(&self, href: &str) -> bool {
        self.nav.iter().any(|n| n.href == href)
    }

    /// Whether the account menu's `href` is the page shown (for `aria-current`).
    #[must_use]
    pub fn at(&self, href: &str) -> bool {
        self.path.starts_with(href)
    }

    /// The page's text for `key` in its language.
    #[must_use]
    pub fn t(&self, key: &str) -> &'static str {
        super::i18n::text(self.lang, key)
    }

    #[must_use]
    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    #[must_use]
    pub fn other_lang(&self) -> &'static str {
        match self.lang {
            Lang::Vi => "en",
            Lang::En => "vi",
        }
    }
}

/// A rendered HTML page with its status. The security headers (CSP, no-store) are added
/// for every page by the fairing in `web`.
pub struct Page {
    pub status: Status,
    pub html: String,
}

impl Page {
    /// Renders `template`; a template error is an internal error (a bug), never shown.
    pub fn render<T: askama::Template>(template: &T) -> Result<Page, Error> {
        Self::with_status(Status::Ok, template)
    }

    pub fn with_status<T: askama::Template>(status: Status, template: &T) -> Result<Page, Error> {
        let html = template
            .render()
            .map_err(|e| Error::Internal(format!("rendering a page failed: {e}")))?;
        Ok(Page { status, html })
    }
}

impl<'r> Responder<'r, 'static> for Page {
    fn respond_to(self, _req: &'r Request<'_>) -> response::Result<'static> {
        Response::build()
            .status(self.status)
            .header(ContentType::HTML)
            .sized_body(self.html.len(), Cursor::new(self.html))
            .ok()
    }
}
