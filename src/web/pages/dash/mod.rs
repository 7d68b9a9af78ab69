//! The province staff's overview pages: the dashboard (`/`) with its cards, charts and
//! "needs attention" list, the overdue milestones (`/milestones/overdue`), the reviewer
//! queue (`/review`) and the reporting periods (`/periods`): locks, the report's free-text
//! sections, issuing, downloads and history.
//! Reads come from `actions::dash_views`, changes from the review, periods and reports
//! actions, which decide who may do what.

pub mod charts;
pub mod downloads;
pub mod home;
pub mod overdue;
pub mod periods;
pub mod review;
pub mod stage;

use crate::domain::Lang;
use crate::domain::item::Role;
use crate::domain::period::Period;
use crate::domain::role::{Permission, allows};
use crate::error::Error;

#[must_use]
pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![
        home::dashboard,
        review::queue,
        review::verify,
        review::reject,
        review::accept,
        review::return_report,
        overdue::list,
        periods::list,
        periods::show,
        periods::lock,
        periods::unlock,
        periods::save_text,
        periods::issue,
        periods::draft,
        downloads::pdf,
        downloads::xlsx,
    ]
}

/// This area's wording in `lang`.
fn t(lang: Lang, key: &str) -> &'static str {
    super::i18n::text(lang, key)
}

/// Whether the viewer's role holds `p`, to decide which buttons to draw (the action still
/// decides whether the press is allowed).
fn may(role: Option<Role>, p: Permission) -> bool {
    role.is_some_and(|r| allows(r, p))
}

/// Parses a period code from a URL or form.
fn parse_period(ctx: &crate::actions::Ctx, code: &str) -> Result<Period, Error> {
    Period::parse(code, ctx.config.vn_reporting_periods)
        .map_err(|e| Error::invalid("period", "invalid_period", e.to_string()))
}

/// The message for a refused form field: this area's text for the error's code when there
/// is one, else the forms' wording of the domain refusal (never the action's English message).
fn field_message(lang: Lang, e: &Error) -> String {
    let code = match e {
        Error::Invalid { code, .. } | Error::Conflict { code, .. } => *code,
        _ => "",
    };
    let key = format!("dash.err.{code}");
    match super::i18n::text(lang, &key) {
        "?" => super::forms::refusal_text(lang, code, &e.to_string()),
        s => s.to_string(),
    }
}
