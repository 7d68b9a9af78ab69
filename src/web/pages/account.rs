//! The signed-in person's own API tokens (an administrator's page lists everyone's): listed
//! with their last use, created (the secret is shown once, on the page that created it) and
//! revoked. This module is also the pattern the
//! other pages follow. The person also changes their own password here (`/account/password`).
//! The token pages are the pattern the other pages follow: a `Viewer` guard, one action per request, `Posted` forms, a
//! redirect with a flash message after a change, and the form shown again with the person's
//! input and the field's error when something is refused.

use super::fmt;
use super::frame::{Frame, Page, Posted, Viewer};
use super::i18n::text;
use crate::actions::{Ctx, account, tokens, users};
use crate::domain::item::Role;
use crate::error::{Error, Result};
use crate::web::api::guard::{ClientAddress, SESSION_COOKIE};
use askama::Template;
use rocket::State;
use rocket::http::CookieJar;
use rocket::http::Status;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};
use std::collections::HashMap;

struct TokenRow {
    id: i64,
    /// Whose token it is, on an administrator's page (which lists everyone's).
    owner: Option<String>,
    name: String,
    prefix: String,
    created: String,
    last_used: String,
    revoked: Option<String>,
}

#[derive(Template)]
#[template(path = "account/tokens.html", config = "src/web/pages/askama.toml")]
struct TokensPage {
    f: Frame,
    admin: bool,
    tokens: Vec<TokenRow>,
    /// The secret of a token just created: shown this once.
    new_secret: Option<String>,
    name: String,
    name_error: Option<String>,
}

#[derive(rocket::FromForm)]
pub struct NewTokenForm {
    name: String,
}

#[derive(rocket::FromForm)]
pub struct RevokeForm {
    #[field(name = "_csrf")]
    _token: String,
}

async fn page(ctx: &Ctx, v: &Viewer, flash: Option<FlashMessage<'_>>) -> Result<TokensPage> {
    let lang = v.lang;
    // The action lists an administrator's view of everyone's tokens, anyone else's own.
    let list = tokens::list_tokens(ctx, &v.actor).await?;
    let admin = v.role() == Some(Role::Admin);
    let names: HashMap<i64, String> = if admin {
        users::list_users(ctx, &v.actor)
            .await?
            .into_iter()
            .map(|u| (u.id, u.username))
            .collect()
    } else {
        HashMap::new()
    };
    let never = super::i18n::text(lang, "tokens.never");
    Ok(TokensPage {
        f: Frame::new(v, "/account/tokens", "tokens.title", flash),
        admin,
        tokens: list
            .into_iter()
            .map(|t| TokenRow {
                owner: admin.then(|| names.get(&t.user_id).cloned().unwrap_or_default()),
                id: t.id,
                name: t.name,
                prefix: t.prefix,
                created: fmt::time(t.created_at, lang),
                last_used: t
                    .last_used_at
                    .map_or_else(|| never.to_string(), |u| fmt::time(u, lang)),
                revoked: t.revoked_at.map(|r| fmt::time(r, lang)),
            })
            .collect(),
        new_secret: None,
        name: String::new(),
        name_error: None,
    })
}

#[rocket::get("/account/tokens")]
pub async fn list(ctx: &State<Ctx>, v: Viewer, flash: Option<FlashMessage<'_>>) -> Result<Page> {
    Page::render(&page(ctx, &v, flash).await?)
}

#[rocket::post("/account/tokens", data = "<form>")]
pub async fn create(ctx: &State<Ctx>, v: Viewer, form: Posted<NewTokenForm>) -> Result<Page> {
    let name = form.value.name;
    match tokens::create_token(ctx, &v.actor, name.trim()).await {
        Ok(new) => {
            let mut p = page(ctx, &v, None).await?;
            p.new_secret = Some(new.secret);
            Page::with_status(Status::Created, &p)
        }
        Err(Error::Invalid { .. }) => {
            let mut p = page(ctx, &v, None).await?;
            p.name_error = Some(super::i18n::text(v.lang, "tokens.name_error").to_string());
            p.name = name;
            Page::with_status(Status::UnprocessableEntity, &p)
        }
        Err(e) => Err(e),
    }
}

#[rocket::post("/account/tokens/<id>/revoke", data = "<_form>")]
pub async fn revoke(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    _form: Posted<RevokeForm>,
) -> Result<Flash<Redirect>> {
    tokens::revoke_token(ctx, &v.actor, id).await?;
    Ok(Flash::success(
        Redirect::to("/account/tokens"),
        super::i18n::text(v.lang, "tokens.revoked"),
    ))
}

#[derive(Template)]
#[template(path = "account/password.html", config = "src/web/pages/askama.toml")]
struct PasswordPage {
    f: Frame,
    current_error: Option<String>,
    new_error: Option<String>,
}

#[derive(rocket::FromForm)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
}

#[rocket::get("/account/password")]
pub fn password(v: Viewer, flash: Option<FlashMessage<'_>>) -> Result<Page> {
    Page::render(&PasswordPage {
        f: Frame::new(&v, "/account/password", "account.password.title", flash),
        current_error: None,
        new_error: None,
    })
}

/// Changes the viewer's own password; this session stays open, the others end and every API
/// token is revoked. A refusal shows the form again with the reason beside the field.
#[rocket::post("/account/password", data = "<form>")]
pub async fn change_password(
    ctx: &State<Ctx>,
    v: Viewer,
    addr: ClientAddress,
    cookies: &CookieJar<'_>,
    form: Posted<PasswordForm>,
) -> Result<std::result::Result<Flash<Redirect>, Page>> {
    let form = form.value;
    let session = cookies
        .get_private(SESSION_COOKIE)
        .map(|c| c.value().to_string());
    let cmd = account::PasswordChange {
        current: &form.current_password,
        new: form.new_password,
        address: &addr.0,
        keep_session: session.as_deref(),
    };
    let lang = v.lang;
    let (current_error, new_error) = match account::change_password(ctx, &v.actor, cmd).await {
        Ok(()) => {
            return Ok(Ok(Flash::success(
                Redirect::to("/account/tokens"),
                text(lang, "account.password.changed"),
            )));
        }
        Err(Error::Invalid {
            code: "wrong_password",
            ..
        }) => (Some(text(lang, "account.password.wrong").to_string()), None),
        Err(Error::Invalid { code, .. }) => {
            let key = match code {
                "password_too_short" => "forms.err.password_too_short",
                "password_too_long" => "forms.err.password_too_long",
                _ => "account.password.hint",
            };
            (None, Some(text(lang, key).to_string()))
        }
        Err(e @ Error::TooManyRequests(_)) => {
            let page = PasswordPage {
                f: Frame::new(&v, "/account/password", "account.password.title", None),
                current_error: Some(text(lang, "login.throttled").to_string()),
                new_error: None,
            };
            return Ok(Err(Page::with_status(e.status(), &page)?));
        }
        Err(e) => return Err(e),
    };
    let page = PasswordPage {
        f: Frame::new(&v, "/account/password", "account.password.title", None),
        current_error,
        new_error,
    };
    Ok(Err(Page::with_status(Status::UnprocessableEntity, &page)?))
}
