//! Read actions the forms pages need beyond `queries`: the reference lists a form offers
//! (sectors, localities), what an amount would convert to before it is saved, and the
//! exchange-rate overview with its gaps. Scope is checked here like `queries` does.

use super::convert::convert_at;
use super::scope::Scope;
use super::{Actor, Ctx};
use crate::db::forms_views::{self, UnconvertedRow};
use crate::db::rates::{self, RateRow};
use crate::db::reference::{self, AdminUnit, Sector};
use crate::domain::Money;
use crate::domain::rate::{Converted, Unconverted};
use crate::domain::role::Permission;
use crate::error::Result;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeSet;

/// The sectors and administrative units a form may offer. Reference data: any signed-in
/// actor with a read scope may see it.
pub async fn reference_lists(ctx: &Ctx, actor: &Actor) -> Result<(Vec<Sector>, Vec<AdminUnit>)> {
    Scope::of(actor)?;
    let mut tx = ctx.store.read().await?;
    let sectors = reference::list_sectors(&mut tx).await?;
    let units = reference::list_admin_units(&mut tx).await?;
    Ok((sectors, units))
}

/// What `amount` dated `date` would convert to with today's rate table (nothing is stored).
pub async fn preview_conversion(
    ctx: &Ctx,
    actor: &Actor,
    amount: Money,
    date: NaiveDate,
) -> Result<std::result::Result<Converted, Unconverted>> {
    Scope::of(actor)?;
    let mut tx = ctx.store.read().await?;
    convert_at(&mut tx, amount, date, ctx.config.rate_max_age_days).await
}

/// The rate table with what is missing from it.
#[derive(Debug, Clone)]
pub struct RatesOverview {
    /// Current (not superseded) rates, newest first.
    pub rates: Vec<RateRow>,
    /// (currency code, year, month) of every month a foreign-currency money row is dated in.
    pub money_months: BTreeSet<(String, i32, u32)>,
    pub unconverted: Vec<UnconvertedRow>,
}

/// Staff only: the unconverted rows name items across every organisation.
pub async fn rates_overview(ctx: &Ctx, actor: &Actor) -> Result<RatesOverview> {
    actor.require(Permission::ReadAll)?;
    let mut tx = ctx.store.read().await?;
    let mut list = rates::list_rates(&mut tx, None, false).await?;
    list.retain(|r| r.superseded_by.is_none());
    list.sort_by(|a, b| (a.currency.code(), b.rate_date).cmp(&(b.currency.code(), a.rate_date)));
    let money_months = forms_views::money_dates(&mut tx)
        .await?
        .into_iter()
        .filter(|d| d.currency != crate::domain::Currency::VND)
        .map(|d| (d.currency.code().to_string(), d.date.year(), d.date.month()))
        .collect();
    let unconverted = forms_views::unconverted_rows(&mut tx).await?;
    Ok(RatesOverview {
        rates: list,
        money_months,
        unconverted,
    })
}
