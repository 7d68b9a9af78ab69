//! The read side, scoped: every listing and look-up the web layer serves. Each has a ctx form
//! that opens a read transaction (one consistent snapshot) and an `_in` form that joins the
//! caller's. Organisation scope comes from [`super::scope`]: NGO staff get their own records
//! only, and anything else reads as "not found".

use super::scope::{self, Scope};
use super::{Actor, Ctx};
use crate::db::Tx;
use crate::db::audit::{self, AuditEntry};
use crate::db::items::{self, AidItem, Allocation};
use crate::db::ledger::{self, Commitment, Disbursement, Milestone};
use crate::db::orgs::{self, Organisation};
use crate::db::rates::{self, RateRow};
use crate::db::reports::{self, IssuedReport};
use crate::domain::item::{ItemStatus, Modality, OrgKind};
use crate::domain::period::Period;
use crate::domain::role::Permission;
use crate::domain::{Currency, Lang};
use crate::error::{Error, Result};
use crate::rollup::table::{RollupTable, rollup_table};
use crate::rollup::{Dimension, LookupData};
use chrono::{DateTime, NaiveDate, Utc};
use unicode_normalization::UnicodeNormalization;

/// Text folded for matching: decomposed, accents and case dropped, đ read as d, so
/// "nuoc sach" matches "Nước sạch" whether it was typed in NFC or NFD.
#[must_use]
pub fn search_key(s: &str) -> String {
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| if c == 'đ' || c == 'Đ' { 'd' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

fn matches(q: Option<&str>, fields: &[&str]) -> bool {
    let Some(q) = q.map(search_key).filter(|q| !q.trim().is_empty()) else {
        return true;
    };
    let q = q.trim();
    fields.iter().any(|f| search_key(f).contains(q))
}

fn check_query(q: Option<&str>) -> Result<()> {
    if q.is_some_and(|q| q.chars().count() > 200) {
        return Err(Error::invalid(
            "q",
            "too_long",
            "a search text may have at most 200 characters",
        ));
    }
    Ok(())
}

pub async fn list_organisations(
    ctx: &Ctx,
    actor: &Actor,
    kind: Option<OrgKind>,
    q: Option<&str>,
) -> Result<Vec<Organisation>> {
    list_organisations_in(&mut ctx.store.read().await?, actor, kind, q).await
}

pub async fn list_organisations_in(
    tx: &mut Tx,
    actor: &Actor,
    kind: Option<OrgKind>,
    q: Option<&str>,
) -> Result<Vec<Organisation>> {
    let scope = Scope::of(actor)?;
    check_query(q)?;
    let all = orgs::list_organisations(tx, kind).await?;
    Ok(all
        .into_iter()
        .filter(|o| scope.sees_organisation(o.id))
        .filter(|o| {
            matches(
                q,
                &[&o.name_vi, &o.name_en, o.acronym.as_deref().unwrap_or("")],
            )
        })
        .collect())
}

pub async fn get_organisation(ctx: &Ctx, actor: &Actor, id: i64) -> Result<Organisation> {
    get_organisation_in(&mut ctx.store.read().await?, actor, id).await
}

pub async fn get_organisation_in(tx: &mut Tx, actor: &Actor, id: i64) -> Result<Organisation> {
    scope::organisation(tx, Scope::of(actor)?, id).await
}

/// Which items to list. `q` matches the code and both titles, ignoring case and accents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ItemFilter {
    pub status: Option<ItemStatus>,
    pub modality: Option<Modality>,
    pub donor_id: Option<i64>,
    pub q: Option<String>,
    /// 1 to 500; 100 unless given.
    pub limit: i64,
    pub offset: i64,
}

impl Default for ItemFilter {
    fn default() -> Self {
        ItemFilter {
            status: None,
            modality: None,
            donor_id: None,
            q: None,
            limit: 100,
            offset: 0,
        }
    }
}

pub async fn list_items(ctx: &Ctx, actor: &Actor, f: &ItemFilter) -> Result<Vec<AidItem>> {
    list_items_in(&mut ctx.store.read().await?, actor, f).await
}

/// The filters the item list page and `GET /aid-items` share, over the cached lookup: the
/// actor's scope, status, modality, donor and the accent-folded text (code or either title).
pub(crate) struct ItemMatch<'a> {
    scope: Scope,
    status: Option<ItemStatus>,
    modality: Option<Modality>,
    donor_id: Option<i64>,
    text: Option<String>,
    folded: &'a [[String; 3]],
}

impl<'a> ItemMatch<'a> {
    pub(crate) fn new(
        look: &'a crate::rollup::LookupData,
        scope: Scope,
        (status, modality, donor_id): (Option<ItemStatus>, Option<Modality>, Option<i64>),
        q: Option<&str>,
    ) -> ItemMatch<'a> {
        let text = q
            .map(search_key)
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        ItemMatch {
            scope,
            status,
            modality,
            donor_id,
            text,
            folded: look.folded(search_key),
        }
    }

    /// Whether item `i`, at `ix` in the lookup's items, passes.
    pub(crate) fn keeps(&self, ix: usize, i: &AidItem) -> bool {
        self.scope.sees_item(i)
            && self.status.is_none_or(|s| i.status == s)
            && self.modality.is_none_or(|m| i.modality == m)
            && self.donor_id.is_none_or(|d| i.donor_id == d)
            && self.text.as_deref().is_none_or(|t| {
                self.folded
                    .get(ix)
                    .is_some_and(|k| k.iter().any(|x| x.contains(t)))
            })
    }
}

pub async fn list_items_in(tx: &mut Tx, actor: &Actor, f: &ItemFilter) -> Result<Vec<AidItem>> {
    let scope = Scope::of(actor)?;
    if !(1..=500).contains(&f.limit) {
        return Err(Error::invalid(
            "limit",
            "out_of_range",
            "limit must be 1 to 500",
        ));
    }
    if f.offset < 0 {
        return Err(Error::invalid(
            "offset",
            "out_of_range",
            "offset must be 0 or more",
        ));
    }
    check_query(f.q.as_deref())?;
    // Over the cached lookup (items in code order, as `items::list_items` reads them) with the
    // folded code and titles kept beside it: folding Vietnamese accents the same way on both
    // engines is exact in Rust, and at national scale nothing is read or folded per request.
    let look = crate::rollup::LookupData::load(tx).await?;
    let shared = ItemMatch::new(
        &look,
        scope,
        (f.status, f.modality, f.donor_id),
        f.q.as_deref(),
    );
    Ok(look
        .items
        .iter()
        .enumerate()
        .filter(|(ix, i)| shared.keeps(*ix, i))
        .skip(usize::try_from(f.offset).unwrap_or(usize::MAX))
        .take(usize::try_from(f.limit).unwrap_or(0))
        .map(|(_, i)| i.clone())
        .collect())
}

/// An item with its sector and locality shares.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ItemDetail {
    pub item: AidItem,
    pub sectors: Vec<Allocation>,
    pub localities: Vec<Allocation>,
}

pub async fn get_item(ctx: &Ctx, actor: &Actor, id: i64) -> Result<ItemDetail> {
    get_item_in(&mut ctx.store.read().await?, actor, id).await
}

pub async fn get_item_in(tx: &mut Tx, actor: &Actor, id: i64) -> Result<ItemDetail> {
    let item = scope::item(tx, Scope::of(actor)?, id).await?;
    let (sectors, localities) = items::item_allocations(tx, id).await?;
    Ok(ItemDetail {
        item,
        sectors,
        localities,
    })
}

pub async fn list_commitments(ctx: &Ctx, actor: &Actor, item_id: i64) -> Result<Vec<Commitment>> {
    list_commitments_in(&mut ctx.store.read().await?, actor, item_id).await
}

pub async fn list_commitments_in(
    tx: &mut Tx,
    actor: &Actor,
    item_id: i64,
) -> Result<Vec<Commitment>> {
    scope::item(tx, Scope::of(actor)?, item_id).await?;
    ledger::list_commitments(tx, item_id).await
}

pub async fn list_disbursements(
    ctx: &Ctx,
    actor: &Actor,
    item_id: i64,
) -> Result<Vec<Disbursement>> {
    list_disbursements_in(&mut ctx.store.read().await?, actor, item_id).await
}

pub async fn list_disbursements_in(
    tx: &mut Tx,
    actor: &Actor,
    item_id: i64,
) -> Result<Vec<Disbursement>> {
    scope::item(tx, Scope::of(actor)?, item_id).await?;
    ledger::list_disbursements(tx, item_id).await
}

pub async fn get_disbursement(ctx: &Ctx, actor: &Actor, id: i64) -> Result<Disbursement> {
    get_disbursement_in(&mut ctx.store.read().await?, actor, id).await
}

pub async fn get_disbursement_in(tx: &mut Tx, actor: &Actor, id: i64) -> Result<Disbursement> {
    scope::disbursement(tx, Scope::of(actor)?, id).await
}

pub async fn list_milestones(ctx: &Ctx, actor: &Actor, item_id: i64) -> Result<Vec<Milestone>> {
    list_milestones_in(&mut ctx.store.read().await?, actor, item_id).await
}

pub async fn list_milestones_in(
    tx: &mut Tx,
    actor: &Actor,
    item_id: i64,
) -> Result<Vec<Milestone>> {
    scope::item(tx, Scope::of(actor)?, item_id).await?;
    ledger::list_milestones(tx, item_id).await
}

pub async fn get_milestone(ctx: &Ctx, actor: &Actor, id: i64) -> Result<Milestone> {
    get_milestone_in(&mut ctx.store.read().await?, actor, id).await
}

pub async fn get_milestone_in(tx: &mut Tx, actor: &Actor, id: i64) -> Result<Milestone> {
    scope::milestone(tx, Scope::of(actor)?, id).await
}

pub async fn list_rates(
    ctx: &Ctx,
    actor: &Actor,
    currency: Option<Currency>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<RateRow>> {
    list_rates_in(&mut ctx.store.read().await?, actor, currency, from, to).await
}

/// Every rate, superseded ones included (they show what past reports used). Rates are
/// public: any signed-in actor may read them.
pub async fn list_rates_in(
    tx: &mut Tx,
    actor: &Actor,
    currency: Option<Currency>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<RateRow>> {
    Scope::of(actor)?;
    let rows = rates::list_rates(tx, currency, true).await?;
    Ok(rows
        .into_iter()
        .filter(|r| from.is_none_or(|f| r.rate_date >= f) && to.is_none_or(|t| r.rate_date <= t))
        .collect())
}

/// Which audit entries to list, newest first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// 1 to 1000; 100 unless given.
    pub limit: i64,
}

impl Default for AuditFilter {
    fn default() -> Self {
        AuditFilter {
            entity: None,
            entity_id: None,
            from: None,
            to: None,
            limit: 100,
        }
    }
}

pub async fn list_audit(ctx: &Ctx, actor: &Actor, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
    list_audit_in(&mut ctx.store.read().await?, actor, f).await
}

/// The audit trail names every organisation's records, so only province staff read it.
pub async fn list_audit_in(tx: &mut Tx, actor: &Actor, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
    actor.require(Permission::ReadAll)?;
    if !(1..=1000).contains(&f.limit) {
        return Err(Error::invalid(
            "limit",
            "out_of_range",
            "limit must be 1 to 1000",
        ));
    }
    audit::list_filtered(
        tx,
        f.entity.as_deref(),
        f.entity_id.as_deref(),
        f.from,
        f.to,
        f.limit,
    )
    .await
}

pub async fn rollup(
    ctx: &Ctx,
    actor: &Actor,
    period: &Period,
    dim: Dimension,
    lang: Lang,
) -> Result<RollupTable> {
    rollup_in(&mut ctx.store.read().await?, actor, period, dim, lang).await
}

/// The period's table by `dim`; NGO staff get it over their own organisation's items only.
pub async fn rollup_in(
    tx: &mut Tx,
    actor: &Actor,
    period: &Period,
    dim: Dimension,
    lang: Lang,
) -> Result<RollupTable> {
    let scope = Scope::of(actor)?;
    let look = LookupData::load(tx).await?;
    let look = match scope {
        Scope::All => look,
        Scope::Organisation(_) => std::sync::Arc::new(look.restricted(|i| scope.sees_item(i))),
    };
    rollup_table(tx, &look, period, dim, lang).await
}

pub async fn list_issued_reports(
    ctx: &Ctx,
    actor: &Actor,
    period: Option<&str>,
) -> Result<Vec<IssuedReport>> {
    list_issued_reports_in(&mut ctx.store.read().await?, actor, period).await
}

/// The province's reports name every organisation, so only province staff read them.
pub async fn list_issued_reports_in(
    tx: &mut Tx,
    actor: &Actor,
    period: Option<&str>,
) -> Result<Vec<IssuedReport>> {
    actor.require(Permission::ReadAll)?;
    reports::list_issued(tx, period).await
}

pub async fn get_issued_pdf(ctx: &Ctx, actor: &Actor, id: i64) -> Result<(IssuedReport, Vec<u8>)> {
    get_issued_pdf_in(&mut ctx.store.read().await?, actor, id).await
}

/// An NGO user asking for a report gets "not found", as for any record outside its scope.
pub async fn get_issued_pdf_in(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
) -> Result<(IssuedReport, Vec<u8>)> {
    let missing = || Error::NotFound(format!("issued report {id}"));
    if Scope::of(actor)? != Scope::All {
        return Err(missing());
    }
    reports::get_issued_pdf(tx, id).await?.ok_or_else(missing)
}
