//! Writes the organisations of [`super::names`] through the audited action, in a fixed
//! order (foreign NGOs, funders, aid owners, the managing agency), and hands back their ids
//! by table position so the items can refer to them.

use super::names::{AGENCY, FUNDERS, NGOS, OWNERS};
use super::reference::PROVINCE;
use crate::actions::Actor;
use crate::actions::orgs::create_organisation_in;
use crate::db::Tx;
use crate::db::orgs::NewOrganisation;
use crate::domain::item::OrgKind;
use crate::error::Result;

/// Database ids, indexed like the tables in `names`.
pub struct OrgIds {
    pub ngos: Vec<i64>,
    pub funders: Vec<i64>,
    pub owners: Vec<i64>,
    pub agency: i64,
}

fn plain(kind: OrgKind, name_vi: &str, name_en: &str, country: &str) -> NewOrganisation {
    NewOrganisation {
        kind,
        name_vi: name_vi.to_string(),
        name_en: name_en.to_string(),
        acronym: None,
        nationality: country.to_string(),
        iati_ref: None,
        cert_type: None,
        cert_number: None,
        cert_valid_from: None,
        cert_valid_to: None,
        sectors: Vec::new(),
        provinces: Vec::new(),
    }
}

pub async fn insert(tx: &mut Tx, actor: &Actor) -> Result<OrgIds> {
    let mut ngos = Vec::with_capacity(NGOS.len());
    for n in NGOS {
        let cmd = NewOrganisation {
            acronym: Some(n.acronym.to_string()),
            iati_ref: Some(n.iati.to_string()),
            cert_type: Some(n.cert),
            cert_number: Some(n.cert_no.to_string()),
            cert_valid_from: Some(n.valid_from),
            cert_valid_to: Some(n.valid_to),
            sectors: n.sectors.iter().map(|s| (*s).to_string()).collect(),
            provinces: vec![PROVINCE.to_string()],
            ..plain(OrgKind::ForeignNgo, n.name_vi, n.name_en, n.country)
        };
        ngos.push(create_organisation_in(tx, actor, cmd).await?);
    }
    let mut funders = Vec::with_capacity(FUNDERS.len());
    for (en, vi, acronym, country, iati) in FUNDERS {
        let cmd = NewOrganisation {
            acronym: Some((*acronym).to_string()),
            iati_ref: Some((*iati).to_string()),
            ..plain(OrgKind::Funder, vi, en, country)
        };
        funders.push(create_organisation_in(tx, actor, cmd).await?);
    }
    let mut owners = Vec::with_capacity(OWNERS.len());
    for o in OWNERS {
        let cmd = plain(OrgKind::AidOwner, o.name_vi, o.name_en, "VN");
        owners.push(create_organisation_in(tx, actor, cmd).await?);
    }
    let cmd = NewOrganisation {
        acronym: Some("UBND".to_string()),
        provinces: vec![PROVINCE.to_string()],
        ..plain(OrgKind::ManagingAgency, AGENCY.0, AGENCY.1, "VN")
    };
    let agency = create_organisation_in(tx, actor, cmd).await?;
    Ok(OrgIds {
        ngos,
        funders,
        owners,
        agency,
    })
}
