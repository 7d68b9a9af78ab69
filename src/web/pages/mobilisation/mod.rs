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
use crate::web::pages::forms::Opt;
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
