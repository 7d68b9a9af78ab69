//! The JSON API, version 1, under `/api/v1`. Handlers parse the request into typed commands
//! and call one action; the actions check roles and organisation scope. Amounts travel as
//! canonical decimal strings beside a `currency`, dates as ISO 8601, and every refusal as
//! `{"error": {"code", "message", "field"}}` with a 4xx status. `openapi.json` describes all
//! of it, and a test keeps the document and the mounted routes equal.

pub mod activities;
pub mod auth;
pub mod body;
pub mod guard;
pub mod imports;
pub mod items;
pub mod ledger_admin;
pub mod milestones;
pub mod mobilisation;
pub mod money;
pub mod openapi;
pub mod orgs;
pub mod parse;
pub mod reply;
pub mod users;
pub mod views;

/// Where the API is mounted.
pub const BASE: &str = "/api/v1";

#[must_use]
pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![
        openapi::document,
        auth::login,
        auth::logout,
        auth::whoami,
        auth::change_password,
        auth::token,
        auth::list_tokens,
        auth::create_token,
        auth::revoke_token,
        users::list,
        users::get,
        users::create,
        users::update,
        orgs::list,
        orgs::get,
        orgs::create,
        orgs::update,
        items::list,
        items::get,
        items::create,
        items::update,
        money::list_commitments,
        money::create_commitment,
        money::list_disbursements,
        money::create_disbursement,
        money::get_disbursement,
        money::verify,
        money::reject,
        money::reverse,
        money::accept,
        money::give_back,
        mobilisation::list_programmes,
        mobilisation::get_programme,
        mobilisation::create_programme,
        mobilisation::amend_programme,
        mobilisation::programme_progress,
        mobilisation::list_proposals,
        mobilisation::get_proposal,
        mobilisation::create_proposal,
        mobilisation::edit_proposal,
        mobilisation::move_proposal,
        mobilisation::present_proposal,
        mobilisation::register_interest,
        mobilisation::open_interests,
        mobilisation::acknowledge_interest,
        milestones::list,
        milestones::create,
        milestones::update,
        milestones::list_reports,
        milestones::report,
        milestones::accept,
        milestones::give_back,
        ledger_admin::list_rates,
        ledger_admin::put_rate,
        ledger_admin::rollup,
        ledger_admin::list_periods,
        ledger_admin::lock,
        ledger_admin::unlock,
        ledger_admin::list_reports,
        ledger_admin::issue,
        ledger_admin::download,
        ledger_admin::audit,
        imports::upload,
        imports::apply,
        imports::list,
        imports::get,
        activities::list,
        activities::get,
        activities::create,
        activities::update,
    ]
}
