//! The pages of aid mobilisation by stage: the stage programmes (`/programmes`) with their
//! targets and amendments, the list of proposals offered to NGOs (`/proposals`) with their
//! status path, presentations and the NGOs' interest, the NGO portal's page of published
//! proposals (`/portal/proposals`) where NGO staff register interest, and the "NGO interest"
//! section of the review queue. Who may see or do what is decided by
//! `actions::mobilisation`, never here: these handlers parse, call one action and draw.

pub mod interests;
pub mod portal;
pub mod programmes;
pub mod proposals;

use crate::db::orgs::Organisation;
use crate::db::reference::{AdminUnit, Sector};
use crate::domain::Lang;
use crate::error::{Error, Result};
use crate::web::pages::forms::{Form, Opt};
use crate::web::pages::frame::Frame;
use std::collections::HashMap;

#[must_use]
pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![
        programmes::list,
        programmes::new_programme,
        programmes::create_programme,
        programmes::show,
        programmes::amend,
        proposals::list,
        proposals::new_proposal,
        proposals::create_proposal,
        proposals::show,
        proposals::edit,
        proposals::move_to,
        proposals::present,
        proposals::acknowledge,
        portal::list,
        portal::register,
        interests::acknowledge,
    ]
}

/// This area's wording in `lang`.
fn t(lang: Lang, key: &str) -> &'static str {
    super::i18n::text(lang, key)
}

/// The reader's wording of an action's refusal: this area's text for the refusal's code in
/// `scope` (`mobil.err.<scope>.<code>`), else for the code alone (`mobil.err.<code>`), else
/// the forms' wording of the domain refusal; never the action's English message.
fn message(lang: Lang, scope: &str, e: &Error) -> String {
    let code = e.code();
    [
        format!("mobil.err.{scope}.{code}"),
        format!("mobil.err.{code}"),
    ]
    .iter()
    .map(|k| t(lang, k))
    .find(|s| *s != "?")
    .map_or_else(
        || super::forms::refusal_text(lang, code, &e.to_string()),
        ToString::to_string,
    )
}

/// Shows an action's refusal of a form beside the field it is about (the action's field
/// names renamed to the form's by `renames`), in this area's wording where it has one.
/// Errors that are not refusals are passed on.
fn refuse(
    fm: &mut Form,
    lang: Lang,
    scope: &str,
    fields: &[(&str, &str)],
    renames: &[(&str, &str)],
    e: Error,
) -> Result<()> {
    if !matches!(e, Error::Invalid { .. } | Error::Conflict { .. }) {
        return Err(e);
    }
    let field = e.field().map(|f| {
        renames
            .iter()
            .find(|(from, _)| *from == f)
            .map_or(f, |(_, to)| *to)
    });
    let field = field
        .filter(|f| fields.iter().any(|(n, _)| n == f))
        .unwrap_or("_form");
    fm.fail_text(field, message(lang, scope, &e));
    Ok(())
}

/// A text in the reader's language (the Vietnamese one when the English one is empty).
fn in_lang(lang: Lang, vi: &str, en: &str) -> String {
    if lang == Lang::En && !en.trim().is_empty() {
        en.to_string()
    } else {
        vi.to_string()
    }
}

/// One choice of a `<select>`.
fn opt(value: impl ToString, label: impl ToString) -> Opt {
    Opt {
        value: value.to_string(),
        label: label.to_string(),
    }
}

/// Marks the navigation link `href` as the page's place (a proposal's page belongs to the
/// "Vận động" entry, the portal's proposals to their own entry rather than to "/portal").
fn mark_nav(f: &mut Frame, href: &str) {
    for n in &mut f.nav {
        n.current = n.href == href;
    }
}

/// Names by id or code, in the reader's language, for the rows the pages show.
#[derive(Default)]
struct Names {
    orgs: HashMap<i64, String>,
    sectors: HashMap<String, String>,
    units: HashMap<String, String>,
}

impl Names {
    fn new(lang: Lang, orgs: &[Organisation], sectors: &[Sector], units: &[AdminUnit]) -> Names {
        Names {
            orgs: orgs
                .iter()
                .map(|o| (o.id, in_lang(lang, &o.name_vi, &o.name_en)))
                .collect(),
            sectors: sectors
                .iter()
                .map(|s| (s.code.clone(), in_lang(lang, &s.name_vi, &s.name_en)))
                .collect(),
            units: units
                .iter()
                .map(|u| (u.code.clone(), in_lang(lang, &u.name_vi, &u.name_en)))
                .collect(),
        }
    }

    /// An organisation's name; one the viewer may not see is named as "an organisation".
    fn org(&self, id: i64, lang: Lang) -> String {
        self.org_opt(id)
            .unwrap_or_else(|| t(lang, "mobil.unknown_org").to_string())
    }

    fn org_opt(&self, id: i64) -> Option<String> {
        self.orgs.get(&id).cloned()
    }

    fn sector(&self, code: &str) -> String {
        self.sectors
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    fn unit(&self, code: &str) -> String {
        self.units
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }
}
