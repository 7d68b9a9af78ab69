//! The organisations an activity names, matched to the ledger's: the reporting organisation is
//! the item's donor (the NGO that publishes); participating organisations take the ledger
//! role aidledger's own `al:role` gives, else the one their IATI role means, as the export
//! writes them: 1 funding → funding source, 2 accountable → aid owner, 4 implementing →
//! managing agency (3 extending is the donor itself, already the reporting organisation).
//!
//! An organisation is matched by its IATI identifier (`organisations.iati_ref`), then by name
//! in Vietnamese or English, ignoring case and diacritics. One that matches nothing is created
//! (a row of its own in the preview) when the importing actor may edit organisations, with the
//! kind its role needs and the nationality its identifier's country prefix gives (Vietnamese
//! for the aid owner and managing agency); otherwise it is an error naming it.

use super::item::bilingual;
use super::{Importer, Row};
use crate::actions::sheets::savepoint;
use crate::db::Tx;
use crate::db::orgs::{NewOrganisation, Organisation};
use crate::domain::item::OrgKind;
use crate::domain::role::Permission;
use crate::error::Result;
use crate::import::activities::{Activity, OrgRef};
use crate::interchange::RecordType;
use crate::interchange::preview::OutcomeKind;
use crate::interchange::template::fold;

/// The ledger's organisations, kept up to date as the import creates some.
pub(crate) struct Known(Vec<Organisation>);

impl Known {
    pub async fn load(tx: &mut Tx) -> Result<Known> {
        Ok(Known(crate::db::orgs::list_organisations(tx, None).await?))
    }

    /// The organisation `r` names: by IATI identifier, else by a name in any language.
    fn find(&self, r: &OrgRef) -> Option<i64> {
        if let Some(ident) = &r.identifier
            && let Some(o) = self
                .0
                .iter()
                .find(|o| o.iati_ref.as_deref() == Some(ident.as_str()))
        {
            return Some(o.id);
        }
        let names: Vec<String> = r.name.0.iter().map(|n| fold(&n.text)).collect();
        self.0
            .iter()
            .find(|o| {
                let (vi, en) = (fold(&o.name_vi), fold(&o.name_en));
                names
                    .iter()
                    .any(|n| !n.is_empty() && (*n == vi || *n == en))
            })
            .map(|o| o.id)
    }
}

/// The organisations of one item, as far as they were matched or created.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Parties {
    pub donor: Option<i64>,
    pub funding_source: Option<i64>,
    pub aid_owner: Option<i64>,
    pub managing_agency: Option<i64>,
}

/// The ledger role of a participating organisation.
fn ledger_role(p: &OrgRef) -> Option<&str> {
    p.al_role.as_deref().or(match p.role.as_deref() {
        Some("1") => Some("funding_source"),
        Some("2") => Some("aid_owner"),
        Some("3") => Some("donor"),
        Some("4") => Some("managing_agency"),
        _ => None,
    })
}

/// The two-letter country an IATI organisation identifier starts with (`GB-CHC-…` → GB).
fn country_prefix(identifier: Option<&str>) -> Option<String> {
    let prefix = identifier?.split('-').next()?;
    (prefix.len() == 2 && prefix.bytes().all(|b| b.is_ascii_uppercase()))
        .then(|| prefix.to_string())
}

impl Importer<'_> {
    /// Matches or creates the activity's organisations; what cannot be is the item's problem.
    pub(super) async fn parties(&mut self, a: &Activity, row: &mut Row) -> Result<Parties> {
        let lang = a.lang.as_deref();
        let mut p = Parties {
            donor: self
                .organisation(&a.reporting_org, OrgKind::ForeignNgo, lang, row)
                .await?,
            ..Parties::default()
        };
        for o in &a.participating {
            let (slot, kind) = match ledger_role(o) {
                Some("funding_source") => (&mut p.funding_source, OrgKind::Funder),
                Some("aid_owner") => (&mut p.aid_owner, OrgKind::AidOwner),
                Some("managing_agency") => (&mut p.managing_agency, OrgKind::ManagingAgency),
                _ => continue,
            };
            if slot.is_none() {
                let found = self.organisation(o, kind, lang, row).await?;
                match (kind, found) {
                    // The NGO funding its own activity has no separate funding source.
                    (OrgKind::Funder, f) if f == p.donor => {}
                    (OrgKind::Funder, f) => p.funding_source = f,
                    (OrgKind::AidOwner, f) => p.aid_owner = f,
                    (_, f) => p.managing_agency = f,
                }
            }
        }
        for (have, role, what) in [
            (p.aid_owner.is_some(), "2 (accountable)", "aid owner"),
            (
                p.managing_agency.is_some(),
                "4 (implementing)",
                "managing agency",
            ),
        ] {
            let named = a
                .participating
                .iter()
                .any(|o| ledger_role(o) == Some(what.replace(' ', "_").as_str()));
            if !have && !named {
                row.problem(
                    Some("participating-org"), "role_missing",
                    "",
                    format!("the activity names no participating organisation with role {role}, which the ledger records as the item's {what}"),
                );
            }
        }
        Ok(p)
    }

    /// The ledger organisation `r` names, created when it matches none and the actor may.
    async fn organisation(
        &mut self,
        r: &OrgRef,
        kind: OrgKind,
        lang: Option<&str>,
        item: &mut Row,
    ) -> Result<Option<i64>> {
        if let Some(id) = self.orgs.find(r) {
            return Ok(Some(id));
        }
        let shown = r
            .identifier
            .clone()
            .or_else(|| r.name.first().map(str::to_string))
            .unwrap_or_default();
        let mut row = Row::new(r.line, RecordType::Organisations, shown.clone());
        let what = kind.label(crate::domain::Lang::En).to_lowercase();
        let names = bilingual(&r.name, lang);
        if let Err(e) = self.actor.require(Permission::EditOrganisations) {
            row.problem(
                Some("ref"), "unknown_organisation",
                &shown,
                format!("no organisation in the ledger has this IATI identifier or name, and this import cannot create it ({e}): ask a coordinator to add the {what} first"),
            );
        } else if let Some((name_vi, name_en)) = names {
            let nationality = match kind {
                OrgKind::AidOwner | OrgKind::ManagingAgency => "VN".to_string(),
                _ => country_prefix(r.identifier.as_deref())
                    .filter(|c| c != "VN")
                    .unwrap_or_else(|| "ZZ".to_string()),
            };
            let cmd = NewOrganisation {
                kind,
                name_vi,
                name_en,
                acronym: None,
                nationality,
                iati_ref: r.identifier.clone(),
                cert_type: None,
                cert_number: None,
                cert_valid_from: None,
                cert_valid_to: None,
                sectors: Vec::new(),
                provinces: Vec::new(),
            };
            let actor = self.actor;
            let created = savepoint(&mut self.tx, async move |tx: &mut Tx| {
                let id = crate::actions::orgs::create_organisation_in(tx, actor, cmd).await?;
                crate::db::orgs::get_organisation(tx, id)
                    .await?
                    .ok_or_else(|| crate::error::Error::NotFound(format!("organisation {id}")))
            })
            .await;
            match created {
                Ok(o) => {
                    let id = o.id;
                    self.orgs.0.push(o);
                    self.push(row, OutcomeKind::New);
                    return Ok(Some(id));
                }
                Err(e) => row.refused(e)?,
            }
        } else {
            row.problem(
                Some("narrative"), "organisation_name_required",
                &shown,
                format!("the {what} matches no organisation in the ledger and has no name to create it with"),
            );
        }
        item.problem(
            Some("participating-org"),
            "unknown_organisation",
            &shown,
            format!(
                "the {what} \"{shown}\" (line {}) is neither in the ledger nor created",
                r.line
            ),
        );
        self.push(row, OutcomeKind::Error);
        Ok(None)
    }
}
