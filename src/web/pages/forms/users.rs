//! User administration (administrators): the accounts with their role and whether they are
//! active, a new account, and changing an account's role, organisation, display name or
//! active flag. The action decides who may do this and ends the user's sessions when needed.

use super::{Form, Opt, t};
use crate::actions::{Ctx, queries, users};
use crate::domain::item::{OrgKind, Role};
use crate::domain::role::Permission;
use crate::error::Result;
use crate::web::pages::frame::{Frame, Page, Posted, Viewer};
use askama::Template;
use rocket::State;
use rocket::http::Status;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};
use std::collections::HashMap;

#[must_use]
pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![
        list,
        new_user,
        create_user,
        show_user,
        update_user,
        set_password
    ]
}

pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: &'static str,
    pub organisation: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "forms/users.html", config = "src/web/pages/askama.toml")]
struct ListPage {
    f: Frame,
    rows: Vec<UserRow>,
}

async fn ngo_options(ctx: &Ctx, v: &Viewer) -> Result<Vec<Opt>> {
    let orgs = queries::list_organisations(ctx, &v.actor, Some(OrgKind::ForeignNgo), None).await;
    // An administrator may not read organisations in every deployment: offer none then.
    Ok(orgs
        .unwrap_or_default()
        .iter()
        .map(|o| Opt::new(o.id, super::items::org_name(v.lang, &o.name_vi, &o.name_en)))
        .collect())
}

#[rocket::get("/admin/users")]
pub async fn list(ctx: &State<Ctx>, v: Viewer, flash: Option<FlashMessage<'_>>) -> Result<Page> {
    let all = users::list_users(ctx, &v.actor).await?;
    let orgs = ngo_options(ctx, &v).await?;
    let rows = all
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            organisation: u
                .organisation_id
                .and_then(|id| orgs.iter().find(|o| o.value == id.to_string()))
                .map(|o| o.label.clone())
                .unwrap_or_default(),
            username: u.username,
            display_name: u.display_name,
            role: u.role.label(v.lang),
            active: u.active,
        })
        .collect();
    Page::render(&ListPage {
        f: Frame::new(&v, "/admin/users", "forms.user.list_title", flash),
        rows,
    })
}

#[derive(Template)]
#[template(path = "forms/user.html", config = "src/web/pages/askama.toml")]
struct UserPage {
    f: Frame,
    fm: Form,
    action: String,
    username: Option<String>,
    roles: Vec<Opt>,
    orgs: Vec<Opt>,
}

async fn user_page(
    ctx: &Ctx,
    v: &Viewer,
    fm: Form,
    user: Option<(i64, String)>,
) -> Result<UserPage> {
    user_page_with(ctx, v, fm, user, None).await
}

async fn user_page_with(
    ctx: &Ctx,
    v: &Viewer,
    fm: Form,
    user: Option<(i64, String)>,
    flash: Option<FlashMessage<'_>>,
) -> Result<UserPage> {
    let (action, title) = match &user {
        Some((id, _)) => (format!("/admin/users/{id}"), "forms.user.title"),
        None => ("/admin/users/new".to_string(), "forms.user.new_title"),
    };
    Ok(UserPage {
        f: Frame::new(v, &action, title, flash),
        fm,
        action,
        username: user.map(|u| u.1),
        roles: Role::ALL
            .iter()
            .map(|r| Opt::new(r, r.label(v.lang)))
            .collect(),
        orgs: ngo_options(ctx, v).await?,
    })
}

#[rocket::get("/admin/users/new")]
pub async fn new_user(ctx: &State<Ctx>, v: Viewer) -> Result<Page> {
    v.actor.require(Permission::ManageUsers)?;
    let fm = Form::with(v.lang, &[("role", "coordinator".into())]);
    Page::render(&user_page(ctx, &v, fm, None).await?)
}

#[rocket::post("/admin/users/new", data = "<form>")]
pub async fn create_user(
    ctx: &State<Ctx>,
    v: Viewer,
    form: Posted<HashMap<String, String>>,
) -> Result<Result<Flash<Redirect>, Page>> {
    v.actor.require(Permission::ManageUsers)?;
    let mut fm = Form::new(v.lang, form.value);
    let username = fm.text("username");
    let display_name = fm.text("display_name");
    let role = fm.pick::<Role>("role");
    let organisation_id = fm.opt_pick::<i64>("organisation_id");
    let password = fm.v("password").to_string();
    if password.is_empty() {
        fm.fail("password", "forms.err.required");
    }
    if let (Some(role), false) = (role, fm.has_errors()) {
        let cmd = users::NewUser {
            username,
            display_name,
            role,
            organisation_id,
            password,
        };
        match users::create_user(ctx, &v.actor, cmd).await {
            Ok(_) => {
                return Ok(Ok(Flash::success(
                    Redirect::to("/admin/users"),
                    t(v.lang, "forms.user.created"),
                )));
            }
            Err(e) => fm.refused(e)?,
        }
    }
    // The password is never sent back to the browser.
    fm.set("password", "");
    let p = user_page(ctx, &v, fm, None).await?;
    Ok(Err(Page::with_status(Status::UnprocessableEntity, &p)?))
}

#[rocket::get("/admin/users/<id>")]
pub async fn show_user(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    flash: Option<FlashMessage<'_>>,
) -> Result<Page> {
    let u = users::get_user(ctx, &v.actor, id).await?;
    let fm = Form::with(
        v.lang,
        &[
            ("display_name", u.display_name.clone()),
            ("role", u.role.code().into()),
            (
                "organisation_id",
                u.organisation_id.map(|i| i.to_string()).unwrap_or_default(),
            ),
            ("active", if u.active { "1" } else { "" }.into()),
        ],
    );
    Page::render(&user_page_with(ctx, &v, fm, Some((id, u.username)), flash).await?)
}

#[rocket::post("/admin/users/<id>", data = "<form>")]
pub async fn update_user(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    form: Posted<HashMap<String, String>>,
) -> Result<Result<Flash<Redirect>, Page>> {
    let u = users::get_user(ctx, &v.actor, id).await?;
    let mut fm = Form::new(v.lang, form.value);
    let display_name = fm.text("display_name");
    let role = fm.pick::<Role>("role");
    let organisation_id = fm.opt_pick::<i64>("organisation_id");
    if !fm.has_errors() {
        let patch = users::UserPatch {
            display_name: Some(display_name),
            role,
            organisation_id: Some(organisation_id),
            active: Some(fm.v("active") == "1"),
            lang: None,
        };
        match users::update_user(ctx, &v.actor, id, &patch).await {
            Ok(_) => {
                return Ok(Ok(Flash::success(
                    Redirect::to("/admin/users"),
                    t(v.lang, "forms.user.saved"),
                )));
            }
            Err(e) => fm.refused(e)?,
        }
    }
    let p = user_page(ctx, &v, fm, Some((id, u.username))).await?;
    Ok(Err(Page::with_status(Status::UnprocessableEntity, &p)?))
}

#[derive(rocket::FromForm)]
pub struct PasswordForm {
    password: String,
}

/// An administrator sets a new password for someone who lost theirs; the action checks the
/// rules, hashes it and ends that person's sessions. The password is never shown again.
#[rocket::post("/admin/users/<id>/password", data = "<form>")]
pub async fn set_password(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    form: Posted<PasswordForm>,
) -> Result<Flash<Redirect>> {
    let u = users::get_user(ctx, &v.actor, id).await?;
    let back = Redirect::to(format!("/admin/users/{id}"));
    match users::set_password(ctx, &v.actor, &u.username, form.value.password).await {
        Ok(()) => Ok(Flash::success(back, t(v.lang, "forms.user.password_set"))),
        Err(crate::error::Error::Invalid { .. }) => {
            Ok(Flash::error(back, t(v.lang, "forms.user.password_hint")))
        }
        Err(e) => Err(e),
    }
}
