//! One aid item as an IATI 2.03 `<iati-activity>`, in the order the official schema requires
//! (budgets and planned disbursements after the default types, before the transactions).
//!
//! IATI has a place for most of what the ledger holds; what it has no element for (the item's
//! own code, modality, form, exact status and approval decision, the exact locality shares, a
//! commitment's kind, a milestone's dates and status) is written as attributes in the
//! aidledger namespace ([`NS`]), which the schema allows on every element (`##other`). IATI
//! readers ignore them; aidledger's own import reads them back, so a round trip is exact.

use super::xml::XmlWriter;
use crate::db::budgets::StoredBudget;
use crate::db::items::{AidItem, Allocation};
use crate::db::ledger::{Commitment, Disbursement, Milestone};
use crate::db::orgs::Organisation;
use crate::db::reference::{AdminUnit, Sector};
use crate::domain::Money;
use crate::domain::item::{BudgetKind, DisbursementStatus, ItemStatus, Modality, OrgKind};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::io::{self, Write};

/// The namespace of aidledger's extension attributes.
pub const NS: &str = "urn:aidledger:iati:1";

/// The organisations, sectors and administrative units activities refer to.
pub struct Reference {
    pub organisations: HashMap<i64, Organisation>,
    pub sectors: HashMap<String, Sector>,
    pub units: HashMap<String, AdminUnit>,
    /// The IATI identifiers items were imported under, by item id: written as they are, so a
    /// published activity keeps its identifier through aidledger.
    pub identifiers: HashMap<i64, String>,
}

/// An item with everything its activity element holds.
pub struct Activity<'a> {
    pub item: &'a AidItem,
    pub sectors: &'a [Allocation],
    pub localities: &'a [Allocation],
    pub commitments: &'a [Commitment],
    /// All the item's disbursements; only verified ones are published.
    pub disbursements: &'a [Disbursement],
    pub milestones: &'a [Milestone],
    /// The item's budgets, then its planned disbursements (as [`crate::db::budgets`] lists them).
    pub budgets: &'a [StoredBudget],
}

/// The IATI organisation identifier of `o`: its own, or a placeholder in the user-assigned
/// `ZZ` space that no registered identifier can collide with.
#[must_use]
pub fn organisation_ref(o: &Organisation) -> String {
    o.iati_ref
        .clone()
        .unwrap_or_else(|| format!("ZZ-AIDLEDGER-{}", o.id))
}

/// The activity's IATI identifier: the reporting organisation's identifier and the item code.
#[must_use]
pub fn activity_identifier(reporting: &Organisation, item: &AidItem) -> String {
    format!("{}-{}", organisation_ref(reporting), item.code)
}

/// IATI ActivityStatus codes (1 pipeline, 2 implementation, 4 closed, 5 cancelled, 6 suspended).
fn status_code(s: ItemStatus) -> &'static str {
    match s {
        ItemStatus::Pipeline | ItemStatus::Approved => "1",
        ItemStatus::Implementing => "2",
        ItemStatus::Completed => "4",
        ItemStatus::Cancelled | ItemStatus::Revoked => "5",
        ItemStatus::Suspended => "6",
    }
}

/// IATI OrganisationType: international NGO (21) or government (10); none for funders,
/// whose kind the ledger does not record.
fn organisation_type(k: OrgKind) -> Option<&'static str> {
    match k {
        OrgKind::ForeignNgo => Some("21"),
        OrgKind::AidOwner | OrgKind::ManagingAgency => Some("10"),
        OrgKind::Funder => None,
    }
}

/// A share in basis points as an IATI percentage (`6000` → `60`, `3333` → `33.33`).
#[must_use]
pub fn percentage(share_bp: i64) -> String {
    Decimal::new(share_bp, 2).normalize().to_string()
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Writes the bilingual narratives of one text element.
fn narratives<W: Write>(w: &mut XmlWriter<W>, vi: &str, en: &str) -> io::Result<()> {
    w.text("narrative", &[("xml:lang", "vi")], vi)?;
    w.text("narrative", &[("xml:lang", "en")], en)
}

fn description_texts(item: &AidItem) -> (String, String) {
    let mut vi = format!("Cơ sở pháp lý: {}.", item.legal_basis);
    let mut en = format!("Legal basis: {}.", item.legal_basis);
    if let (Some(n), Some(d), Some(a)) = (
        &item.approval_number,
        item.approval_date,
        &item.approval_authority,
    ) {
        vi.push_str(&format!(
            " Phê duyệt: {a}, quyết định số {n} ngày {}.",
            dmy(d)
        ));
        en.push_str(&format!(" Approved by {a}, decision {n} of {}.", dmy(d)));
    }
    (vi, en)
}

/// Writes one activity. `org` looks up organisations the item names.
pub fn write<W: Write>(w: &mut XmlWriter<W>, r: &Reference, a: &Activity<'_>) -> io::Result<()> {
    let item = a.item;
    let org = |id: i64| {
        r.organisations
            .get(&id)
            .ok_or_else(|| io::Error::other(format!("organisation {id} is missing")))
    };
    let donor = org(item.donor_id)?;
    let mut attrs: Vec<(&str, String)> = vec![
        ("xml:lang", "vi".into()),
        ("al:code", item.code.clone()),
        ("al:modality", item.modality.code().into()),
        ("al:form", item.form.code().into()),
        ("al:status", item.status.code().into()),
        ("al:legal-basis", item.legal_basis.clone()),
    ];
    if item.modality == Modality::EmergencyRelief {
        attrs.push(("humanitarian", "1".into()));
    }
    if let Some(n) = &item.approval_number {
        attrs.push(("al:approval-number", n.clone()));
    }
    if let Some(d) = item.approval_date {
        attrs.push(("al:approval-date", date(d)));
    }
    if let Some(au) = &item.approval_authority {
        attrs.push(("al:approval-authority", au.clone()));
    }
    let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    w.open("iati-activity", &attrs)?;
    let identifier = r
        .identifiers
        .get(&item.id)
        .cloned()
        .unwrap_or_else(|| activity_identifier(donor, item));
    w.text("iati-identifier", &[], &identifier)?;

    let donor_ref = organisation_ref(donor);
    let mut rep = vec![("ref", donor_ref.as_str())];
    rep.push(("type", organisation_type(donor.kind).unwrap_or("21")));
    w.open("reporting-org", &rep)?;
    narratives(w, &donor.name_vi, &donor.name_en)?;
    w.close()?;

    w.open("title", &[])?;
    narratives(w, &item.title_vi, &item.title_en)?;
    w.close()?;
    let (dvi, den) = description_texts(item);
    w.open("description", &[("type", "1")])?;
    narratives(w, &dvi, &den)?;
    w.close()?;
    if let Some(b) = &item.beneficiaries {
        // Target groups, in the language they were entered in (the activity's default, vi).
        w.open("description", &[("type", "3")])?;
        w.text("narrative", &[], b)?;
        w.close()?;
    }

    // Participating organisations: IATI roles 1 funding, 2 accountable, 3 extending,
    // 4 implementing; al:role keeps the ledger's own role when two coincide.
    let funder = item.funding_source_id.unwrap_or(item.donor_id);
    for (role, al_role, id) in [
        ("1", "funding_source", funder),
        ("2", "aid_owner", item.aid_owner_id),
        ("3", "donor", item.donor_id),
        ("4", "managing_agency", item.managing_agency_id),
    ] {
        if al_role == "funding_source" && item.funding_source_id.is_none() {
            continue;
        }
        let o = org(id)?;
        let oref = organisation_ref(o);
        let mut p = vec![("ref", oref.as_str()), ("role", role), ("al:role", al_role)];
        if let Some(t) = organisation_type(o.kind) {
            p.push(("type", t));
        }
        w.open("participating-org", &p)?;
        narratives(w, &o.name_vi, &o.name_en)?;
        w.close()?;
    }
    w.empty("other-identifier", &[("ref", &item.code), ("type", "A1")])?;
    w.empty("activity-status", &[("code", status_code(item.status))])?;
    for (kind, d) in [
        ("1", Some(item.planned_start)),
        ("2", item.actual_start),
        ("3", Some(item.planned_end)),
        ("4", item.actual_end),
    ] {
        if let Some(d) = d {
            w.empty("activity-date", &[("type", kind), ("iso-date", &date(d))])?;
        }
    }
    w.empty(
        "recipient-country",
        &[("code", "VN"), ("percentage", "100")],
    )?;
    write_locations(w, r, a)?;
    write_sectors(w, r, a)?;
    // Flow: private development finance (NGO funds); finance: standard grant.
    w.empty("default-flow-type", &[("code", "30")])?;
    w.empty("default-finance-type", &[("code", "110")])?;
    write_budgets(w, a)?;
    write_transactions(w, a, &donor_ref, org(item.aid_owner_id)?)?;
    write_milestones(w, a)?;
    w.close()
}

fn write_locations<W: Write>(
    w: &mut XmlWriter<W>,
    r: &Reference,
    a: &Activity<'_>,
) -> io::Result<()> {
    for l in a.localities {
        let unit = r.units.get(&l.code).ok_or_else(|| {
            io::Error::other(format!("administrative unit {} is missing", l.code))
        })?;
        let share = l.share_bp.to_string();
        w.open("location", &[("ref", &l.code), ("al:share-bp", &share)])?;
        // Reach 1: the activity happens here (not only its beneficiaries live here).
        w.empty("location-reach", &[("code", "1")])?;
        w.open("name", &[])?;
        narratives(w, &unit.name_vi, &unit.name_en)?;
        w.close()?;
        w.close()?;
    }
    Ok(())
}

/// Sectors as OECD-DAC purpose codes when every share has one (vocabulary 1), otherwise all
/// in the reporting organisation's vocabulary (99) with the ledger's codes, so that each
/// vocabulary's percentages sum to 100 as IATI's rules ask.
fn write_sectors<W: Write>(
    w: &mut XmlWriter<W>,
    r: &Reference,
    a: &Activity<'_>,
) -> io::Result<()> {
    let dac: Option<Vec<&str>> = a
        .sectors
        .iter()
        .map(|s| r.sectors.get(&s.code).and_then(|x| x.dac_code.as_deref()))
        .collect();
    for (i, s) in a.sectors.iter().enumerate() {
        let sector = r
            .sectors
            .get(&s.code)
            .ok_or_else(|| io::Error::other(format!("sector {} is missing", s.code)))?;
        let pct = percentage(s.share_bp);
        let (vocabulary, code) = match &dac {
            Some(codes) => ("1", codes[i]),
            None => ("99", s.code.as_str()),
        };
        w.open(
            "sector",
            &[
                ("vocabulary", vocabulary),
                ("code", code),
                ("percentage", &pct),
                ("al:code", &s.code),
            ],
        )?;
        narratives(w, &sector.name_vi, &sector.name_en)?;
        w.close()?;
    }
    Ok(())
}

fn value<W: Write>(w: &mut XmlWriter<W>, m: Money, value_date: NaiveDate) -> io::Result<()> {
    w.text(
        "value",
        &[
            ("currency", m.currency().code()),
            ("value-date", &date(value_date)),
        ],
        &m.canonical(),
    )
}

/// Budgets and planned disbursements with the type and status they were published with: the
/// schema wants every budget before the first planned disbursement, which is how they are
/// listed. A planned disbursement's period-end is optional, as in the schema.
fn write_budgets<W: Write>(w: &mut XmlWriter<W>, a: &Activity<'_>) -> io::Result<()> {
    for b in a.budgets {
        let mut attrs = Vec::new();
        if let Some(t) = &b.type_code {
            attrs.push(("type", t.as_str()));
        }
        if let Some(s) = &b.status_code {
            attrs.push(("status", s.as_str()));
        }
        let name = match b.kind {
            BudgetKind::Budget => "budget",
            BudgetKind::Planned => "planned-disbursement",
        };
        w.open(name, &attrs)?;
        w.empty("period-start", &[("iso-date", &date(b.period_start))])?;
        if let Some(end) = b.period_end {
            w.empty("period-end", &[("iso-date", &date(end))])?;
        }
        value(
            w,
            Money::from_minor(b.amount_minor, b.currency),
            b.value_date,
        )?;
        w.close()?;
    }
    Ok(())
}

/// Commitments (type 2, every kind; a cancellation is negative) and verified disbursements
/// (type 3; a reversal is negative and names the row it reverses). `ref` is the row's stable
/// reference inside the item: the n-th commitment, the n-th verified disbursement.
fn write_transactions<W: Write>(
    w: &mut XmlWriter<W>,
    a: &Activity<'_>,
    donor_ref: &str,
    owner: &Organisation,
) -> io::Result<()> {
    let owner_ref = organisation_ref(owner);
    for (n, c) in a.commitments.iter().enumerate() {
        let r = format!("{}/C{}", a.item.code, n + 1);
        w.open("transaction", &[("ref", &r), ("al:kind", c.kind.code())])?;
        w.empty("transaction-type", &[("code", "2")])?;
        w.empty(
            "transaction-date",
            &[("iso-date", &date(c.commitment_date))],
        )?;
        value(
            w,
            Money::from_minor(c.amount_minor, c.currency),
            c.commitment_date,
        )?;
        if let Some(text) = &c.reference {
            w.open("description", &[])?;
            w.text("narrative", &[], text)?;
            w.close()?;
        }
        parties(w, donor_ref, owner, &owner_ref)?;
        w.close()?;
    }
    let verified: Vec<&Disbursement> = a
        .disbursements
        .iter()
        .filter(|d| d.status == DisbursementStatus::Verified)
        .collect();
    let refs: HashMap<i64, String> = verified
        .iter()
        .enumerate()
        .map(|(n, d)| (d.id, format!("{}/D{}", a.item.code, n + 1)))
        .collect();
    for d in &verified {
        let r = &refs[&d.id];
        let mut attrs = vec![("ref", r.as_str())];
        let reverses = d.reverses_id.and_then(|id| refs.get(&id));
        if let Some(rv) = reverses {
            attrs.push(("al:reverses", rv.as_str()));
        }
        let tranche = d.tranche.map(|t| t.to_string());
        if let Some(t) = &tranche {
            attrs.push(("al:tranche", t.as_str()));
        }
        let milestone = d.milestone_id.and_then(|id| milestone_ref(a, id));
        if let Some(m) = &milestone {
            attrs.push(("al:milestone", m.as_str()));
        }
        w.open("transaction", &attrs)?;
        w.empty("transaction-type", &[("code", "3")])?;
        w.empty("transaction-date", &[("iso-date", &date(d.value_date))])?;
        value(
            w,
            Money::from_minor(d.amount_minor, d.currency),
            d.value_date,
        )?;
        parties(w, donor_ref, owner, &owner_ref)?;
        w.close()?;
    }
    Ok(())
}

/// The stable reference of a milestone of the item: its ordinal in date order.
fn milestone_ref(a: &Activity<'_>, id: i64) -> Option<String> {
    let n = a.milestones.iter().position(|m| m.id == id)?;
    Some(format!("{}/M{}", a.item.code, n + 1))
}

/// The money goes from the NGO to the Vietnamese aid owner.
fn parties<W: Write>(
    w: &mut XmlWriter<W>,
    donor_ref: &str,
    owner: &Organisation,
    owner_ref: &str,
) -> io::Result<()> {
    w.empty("provider-org", &[("ref", donor_ref)])?;
    w.open("receiver-org", &[("ref", owner_ref)])?;
    narratives(w, &owner.name_vi, &owner.name_en)?;
    w.close()
}

/// Milestones as one output result whose indicators are the milestones (qualitative), each
/// with one period from the planned date to the date it was done (or planned).
fn write_milestones<W: Write>(w: &mut XmlWriter<W>, a: &Activity<'_>) -> io::Result<()> {
    if a.milestones.is_empty() {
        return Ok(());
    }
    w.open("result", &[("type", "1"), ("al:kind", "milestones")])?;
    w.open("title", &[])?;
    narratives(w, "Mốc tiến độ", "Milestones")?;
    w.close()?;
    for (n, m) in a.milestones.iter().enumerate() {
        let r = format!("{}/M{}", a.item.code, n + 1);
        let planned = date(m.planned_date);
        let actual = m.actual_date.map(date);
        let mut attrs = vec![
            ("measure", "5"),
            ("al:ref", r.as_str()),
            ("al:status", m.status.code()),
            ("al:planned", planned.as_str()),
        ];
        if let Some(d) = &actual {
            attrs.push(("al:actual", d.as_str()));
        }
        w.open("indicator", &attrs)?;
        w.open("title", &[])?;
        narratives(w, &m.title_vi, &m.title_en)?;
        w.close()?;
        let end = m.actual_date.unwrap_or(m.planned_date);
        let (from, to) = (m.planned_date.min(end), m.planned_date.max(end));
        w.open("period", &[])?;
        w.empty("period-start", &[("iso-date", &date(from))])?;
        w.empty("period-end", &[("iso-date", &date(to))])?;
        w.close()?;
        w.close()?;
    }
    w.close()
}
