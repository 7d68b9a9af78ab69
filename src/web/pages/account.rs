//! The signed-in person's own API tokens (an administrator's page lists everyone's): listed
//! with their last use, created (the secret is shown once, on the page that created it) and
//! revoked. This module is also the pattern the
//! other pages follow: a `Viewer` guard, one action per request, `Posted` forms, a
//! redirect with a flash message after a change, and the form shown again with the person's
//! input and the field's error when something is refused.

use super::fmt;
use super::frame::{Frame, Page, Posted, Viewer};
use crate::actions::{Ctx, tokens, users};
use crate::domain::item::Role;
use crate::error::{Error, Result};
use askama::Template;
use rocket::State;
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
