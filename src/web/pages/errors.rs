//! The friendly error pages: what went wrong in the reader's language, a way back, and for an
//! internal error the reference to quote (the cause goes to the log only). A page that needs
//! a signed-in user sends the visitor to the login page instead.

use super::frame::{Frame, Viewer, cookie_lang};
use super::session::login_redirect;
use crate::domain::Lang;
use crate::error::Error;
use askama::Template;
use rocket::http::Status;
use rocket::request::Request;
use rocket::response::{self, Responder};

#[derive(Template)]
#[template(path = "error.html", config = "src/web/pages/askama.toml")]
struct ErrorPage {
    f: Frame,
    message: String,
    reference: Option<String>,
}

/// What a catcher answers on a page path.
pub enum Caught {
    Login(Box<rocket::response::Redirect>),
    Page(Status, String),
}

impl<'r> Responder<'r, 'static> for Caught {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        match self {
            Caught::Login(r) => (*r).respond_to(req),
            Caught::Page(status, html) => super::frame::Page { status, html }.respond_to(req),
        }
    }
}

fn title_key(status: Status, error: Option<&Error>) -> &'static str {
    if let Some(Error::Unavailable { .. }) = error {
        // Busy or an outage: nothing is broken in the system, so not "System error".
        return "error.unavailable.title";
    }
    match status.code {
        403 => "error.forbidden.title",
        404 => "error.not_found.title",
        401 => "error.forbidden.title",
        s if s >= 500 => "error.internal.title",
        _ => "error.refused.title",
    }
}

/// The page for `status` (and the error that caused it, if one was kept).
#[must_use]
pub fn page(
    status: Status,
    error: Option<&Error>,
    viewer: Option<&Viewer>,
    req: &Request<'_>,
) -> Caught {
    if status == Status::Unauthorized {
        return Caught::Login(Box::new(login_redirect(req.uri().path().as_str())));
    }
    let lang: Lang = viewer.map_or_else(|| cookie_lang(req.cookies()), |v| v.lang);
    let (message, reference) = if let Some(Error::Unavailable { code, .. }) = error {
        // An outage is not a bug: say it plainly, with no reference to quote.
        let key = match *code {
            "busy" => "lang.err.busy",
            _ => "lang.err.storage_unavailable",
        };
        (super::i18n::text(lang, key).to_string(), None)
    } else if status.code >= 500 {
        let reference = crate::error::reference_id();
        match error {
            Some(e) => rocket::error!("internal error on a page [ref {reference}]: {e}"),
            None => rocket::error!("internal error on a page [ref {reference}]"),
        }
        (
            super::i18n::text(lang, "error.internal.text").to_string(),
            Some(reference),
        )
    } else {
        let text = match status.code {
            403 => {
                let key = match error.map(Error::code) {
                    Some("cross_origin") => "error.cross_origin.text",
                    Some("form_expired") => "error.expired.text",
                    _ => "error.forbidden.text",
                };
                super::i18n::text(lang, key).to_string()
            }
            404 => super::i18n::text(lang, "error.not_found.text").to_string(),
            // A refusal with a specific reason (a bad form, a locked period) says it, in the
            // reader's language; a reason the i18n files do not word reads as a refusal.
            _ => error
                .and_then(|e| super::forms::known_refusal(lang, e.code(), &e.to_string()))
                .unwrap_or_else(|| super::i18n::text(lang, "error.refused.text").to_string()),
        };
        (text, None)
    };
    let f = match viewer {
        Some(v) => Frame::new(v, req.uri().path().as_str(), title_key(status, error), None),
        None => Frame::public(lang, title_key(status, error), String::new()),
    };
    let html = ErrorPage {
        f,
        message,
        reference,
    }
    .render()
    .unwrap_or_else(|_| "<!doctype html><title>Error</title><p>Error</p>".to_string());
    Caught::Page(status, html)
}

#[cfg(test)]
mod tests {
    use super::{Caught, page};
    use crate::error::Error;
    use rocket::http::{Cookie, Status};
    use rocket::local::blocking::Client;

    /// The page a visitor reading `lang` gets for `error`.
    fn html(lang: &str, error: &Error) -> String {
        let client = Client::untracked(rocket::build()).expect("a local Rocket client");
        let req = client.get("/exports/transactions.csv").cookie(Cookie::new(
            super::super::frame::LANG_COOKIE,
            lang.to_string(),
        ));
        match page(error.status(), Some(error), None, req.inner()) {
            Caught::Page(status, html) => {
                assert_eq!(status, Status::ServiceUnavailable);
                html
            }
            Caught::Login(_) => panic!("an error page, not the login"),
        }
    }

    #[test]
    fn a_busy_server_or_an_outage_is_told_plainly_not_as_a_system_error() {
        let busy = html("vi", &Error::busy());
        assert!(busy.contains("Tạm thời chưa thực hiện được"), "{busy}");
        assert!(busy.contains("Máy chủ đang bận xuất dữ liệu và lập báo cáo khác"));
        let busy = html("en", &Error::busy());
        assert!(busy.contains("Temporarily unavailable"), "{busy}");
        assert!(busy.contains("busy with other exports and reports"));
        let outage = html("en", &Error::storage_unavailable("disk full"));
        assert!(outage.contains("cannot save changes right now"), "{outage}");
        for h in [&busy, &outage] {
            assert!(!h.contains("System error") && !h.contains("<code>"), "{h}");
        }
    }
}
