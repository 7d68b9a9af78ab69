//! The web pages people use every day, server-rendered with askama templates (in
//! `templates/`, beside these handlers), in Vietnamese or English. Every core flow works
//! without JavaScript; `assets/app.js` only adds conveniences. Pages read the session cookie
//! (never API tokens), every form carries a CSRF token checked by [`frame::Posted`], and the
//! actions decide who may see or do what, exactly as for the API.

pub mod account;
pub mod activities;
pub mod activities_show;
pub mod assets;
pub mod dash;
pub mod errors;
pub mod evidence;
pub mod exports;
pub mod exports_page;
pub mod fmt;
pub mod forms;
pub mod frame;
pub mod i18n;
pub mod imports;
pub mod imports_upload;
pub mod items;
pub mod mobilisation;
pub mod pager;
pub mod session;
pub mod upload;

#[must_use]
pub fn routes() -> Vec<rocket::Route> {
    let mut routes = rocket::routes![
        assets::css,
        assets::js,
        session::show_login,
        session::login,
        session::logout,
        session::set_lang,
        account::list,
        account::create,
        account::revoke,
        account::password,
        account::change_password,
    ];
    routes.extend(dash::routes());
    routes.extend(items::routes());
    routes.extend(forms::routes());
    routes.extend(evidence::routes());
    routes.extend(exports::routes());
    routes.extend(imports::routes());
    routes.extend(exports_page::routes());
    routes.extend(mobilisation::routes());
    routes.extend(activities::routes());
    routes
}
