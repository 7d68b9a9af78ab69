//! Logging in and out of the pages, and choosing their language. The login form carries a
//! CSRF token bound to a private cookie set when the form is shown (never to a session
//! cookie the browser may still hold from a session that has ended, so the first login after
//! an idle timeout or a role change works); a successful login opens a session (a new id each
//! time) in the same cookie the API accepts. A form without the right token gets the login
//! page again saying the form expired, in the page's language. A language chosen on the login
//! page itself (its language link) becomes the person's language when they log in, so it is
//! not undone by the login; without such a choice the person's own remembered language wins.

use super::frame::{
    Frame, LANG_COOKIE, LOGIN_COOKIE, Page, Posted, Viewer, constant_eq, cookie_lang, csrf_token,
};
use super::i18n;
use crate::actions::{Ctx, account, auth};
use crate::domain::Lang;
use crate::error::{Error, Result};
use crate::web::api::guard::{ClientAddress, SESSION_COOKIE, Transport, secret_cookie};
use askama::Template;
use rocket::State;
use rocket::form::Form;
use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::response::Redirect;

#[derive(Template)]
#[template(path = "login.html", config = "src/web/pages/askama.toml")]
struct LoginPage {
    f: Frame,
    /// Whether the page's language was chosen on it (then the form sends it along).
    chosen: bool,
    next: String,
    username: String,
    error: Option<String>,
}

/// Every field is optional so a partial or forged form still gets the login page (with the
/// reason) rather than a bare 422.
#[derive(rocket::FromForm)]
pub struct LoginForm {
    #[field(name = "_csrf")]
    csrf: Option<String>,
    username: Option<String>,
    password: Option<String>,
    next: Option<String>,
    /// The language the login page was shown in.
    lang: Option<String>,
}

#[derive(rocket::FromForm)]
pub struct LangForm {
    lang: String,
    next: Option<String>,
}

/// Only a local path may be a place to go back to, never another site: a path starting with
/// one `/`, of visible ASCII without quotes, backslashes or angle brackets, that parses as
/// an origin-form URI. Anything else (spaces, control characters, `//host`, `\\host`,
/// `http:`…) goes to `/`, so a redirect is never malformed and never leaves the site.
#[must_use]
pub fn safe_next(next: Option<&str>) -> String {
    const MAX: usize = 2000;
    let ok = |n: &str| {
        n.len() <= MAX
            && n.starts_with('/')
            && !n.starts_with("//")
            && n.bytes().all(|b| {
                b.is_ascii_graphic() && !matches!(b, b'"' | b'\'' | b'\\' | b'<' | b'>' | b'`')
            })
            && rocket::http::uri::Origin::parse(n).is_ok()
    };
    match next {
        Some(n) if ok(n) => n.to_string(),
        _ => "/".to_string(),
    }
}

/// The language of a login page and whether it was chosen there.
#[derive(Clone, Copy)]
struct PageLang {
    lang: Lang,
    chosen: bool,
}

fn login_page(
    config: &crate::Config,
    cookies: &CookieJar<'_>,
    transport: &Transport,
    PageLang { lang, chosen }: PageLang,
    next: String,
    username: String,
    error: Option<String>,
) -> Result<LoginPage> {
    let secret = match cookies.get_private(LOGIN_COOKIE) {
        Some(c) => c.value().to_string(),
        None => {
            let s = crate::auth::random_secret()?;
            cookies.add_private(secret_cookie(LOGIN_COOKIE, s.clone(), transport.tls));
            s
        }
    };
    Ok(LoginPage {
        f: Frame::public(lang, "login.title", csrf_token(&secret)).with_agency(config),
        chosen,
        next,
        username,
        error,
    })
}

#[rocket::get("/login?<lang>&<next>")]
pub async fn show_login(
    ctx: &State<Ctx>,
    cookies: &CookieJar<'_>,
    transport: Transport,
    lang: Option<&str>,
    next: Option<&str>,
) -> Result<Page> {
    let lang = match lang.and_then(|l| l.parse::<Lang>().ok()) {
        Some(l) => {
            cookies.add(
                Cookie::build((LANG_COOKIE, l.code()))
                    .path("/")
                    .same_site(SameSite::Lax),
            );
            PageLang {
                lang: l,
                chosen: true,
            }
        }
        None => PageLang {
            lang: cookie_lang(cookies),
            chosen: false,
        },
    };
    clear_ended_session(ctx, cookies).await?;
    Page::render(&login_page(
        &ctx.config,
        cookies,
        &transport,
        lang,
        safe_next(next),
        String::new(),
        None,
    )?)
}

/// Forgets a session cookie whose session has ended (idle, logged out elsewhere, role
/// changed), so the browser stops sending it.
async fn clear_ended_session(ctx: &Ctx, cookies: &CookieJar<'_>) -> Result<()> {
    if let Some(c) = cookies.get_private(SESSION_COOKIE)
        && auth::actor_from_session(ctx, c.value()).await?.is_none()
    {
        cookies.remove_private(SESSION_COOKIE);
    }
    Ok(())
}

/// Whether the posted `_csrf` is the token of this browser's login cookie.
fn login_token_ok(cookies: &CookieJar<'_>, sent: Option<&str>) -> bool {
    let expected = cookies
        .get_private(LOGIN_COOKIE)
        .map(|c| csrf_token(c.value()));
    matches!((sent, expected), (Some(s), Some(e)) if constant_eq(s, &e))
}

#[rocket::post("/login", data = "<form>")]
pub async fn login(
    ctx: &State<Ctx>,
    cookies: &CookieJar<'_>,
    addr: ClientAddress,
    transport: Transport,
    form: Form<LoginForm>,
) -> Result<std::result::Result<Redirect, Page>> {
    let form = form.into_inner();
    let chosen = form.lang.as_deref().and_then(|l| l.parse::<Lang>().ok());
    let page_lang = PageLang {
        lang: chosen.unwrap_or_else(|| cookie_lang(cookies)),
        chosen: chosen.is_some(),
    };
    let lang = page_lang.lang;
    let next = safe_next(form.next.as_deref());
    let username = form.username.unwrap_or_default();
    if !login_token_ok(cookies, form.csrf.as_deref()) {
        clear_ended_session(ctx, cookies).await?;
        let page = login_page(
            &ctx.config,
            cookies,
            &transport,
            page_lang,
            next,
            username,
            Some(i18n::text(lang, "login.expired").to_string()),
        )?;
        return Ok(Err(Page::with_status(Status::Forbidden, &page)?));
    }
    let password = form.password.unwrap_or_default();
    match auth::login(ctx, username.trim(), &password, &addr.0).await {
        Ok(out) => {
            if let Some(lang) = chosen
                && let Some(actor) = auth::actor_from_session(ctx, &out.session).await?
            {
                account::set_language(ctx, &actor, lang).await?;
            }
            cookies.remove_private(LOGIN_COOKIE);
            cookies.add_private(secret_cookie(SESSION_COOKIE, out.session, transport.tls));
            Ok(Ok(Redirect::to(next)))
        }
        Err(e @ (Error::Unauthorized { .. } | Error::TooManyRequests(_))) => {
            let key = if matches!(e, Error::TooManyRequests(_)) {
                "login.throttled"
            } else {
                "login.wrong"
            };
            let status = e.status();
            let page = login_page(
                &ctx.config,
                cookies,
                &transport,
                page_lang,
                next,
                username,
                Some(i18n::text(lang, key).to_string()),
            )?;
            Ok(Err(Page::with_status(status, &page)?))
        }
        Err(e) => Err(e),
    }
}

#[rocket::post("/logout", data = "<_form>")]
pub async fn logout(
    ctx: &State<Ctx>,
    cookies: &CookieJar<'_>,
    _form: Posted<Empty>,
) -> Result<Redirect> {
    if let Some(c) = cookies.get_private(SESSION_COOKIE) {
        auth::logout(ctx, c.value()).await?;
    }
    cookies.remove_private(SESSION_COOKIE);
    Ok(Redirect::to("/login"))
}

/// A form with nothing but its CSRF token (which [`Posted`] has already checked).
#[derive(rocket::FromForm)]
pub struct Empty {
    #[field(name = "_csrf")]
    _token: String,
}

#[rocket::post("/lang", data = "<form>")]
pub async fn set_lang(
    ctx: &State<Ctx>,
    viewer: Viewer,
    cookies: &CookieJar<'_>,
    form: Posted<LangForm>,
) -> Result<Redirect> {
    let form = form.value;
    let lang: Lang = form
        .lang
        .parse()
        .map_err(|m: String| Error::invalid("lang", "invalid_lang", m))?;
    account::set_language(ctx, &viewer.actor, lang).await?;
    cookies.add(
        Cookie::build((LANG_COOKIE, lang.code()))
            .path("/")
            .same_site(SameSite::Lax),
    );
    Ok(Redirect::to(safe_next(form.next.as_deref())))
}

/// Where an unauthenticated page request is sent.
#[must_use]
pub fn login_redirect(path: &str) -> Redirect {
    let next: String = url_escape(path);
    Redirect::to(format!("/login?next={next}"))
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
