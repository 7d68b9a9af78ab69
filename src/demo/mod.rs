//! The deterministic demo data set of one province, Thừa Thiên Huế (Huế City since 2025),
//! from January 2019 to October 2026: reference data, monthly exchange rates, about fifty
//! organisations, about two hundred aid items with their commitments, disbursements and
//! milestones, a few pledges, a few items' budgets and planned disbursements, and one account
//! per role.
//!
//! [`load`] owns the order of events: refuse a database that already holds data, plan
//! everything in memory from a fixed seed ([`plan`], [`schedule`]), hash the generated
//! passwords, then write it all in ONE write transaction through the audited `*_in` actions
//! as the system actor, rates first so every money row converts as it is inserted. The
//! generated data is the same on every run and on both backends; only `created_at`
//! timestamps and the passwords come from the clock and the OS.

mod budgets;
mod fates;
mod ledger;
mod mobilisation;
mod mobilisation_activities;
mod names;
mod orgs;
mod pick;
mod plan;
mod rates;
mod reference;
mod review;
mod rng;
mod schedule;
mod titles;
mod users;

#[cfg(test)]
mod tests;

use crate::actions::{Actor, Ctx};
use crate::db::{Tx, items, orgs as db_orgs, users as db_users};
use crate::domain::item::{ItemStatus, Role};
use crate::error::{Error, Result};
use chrono::{Months, NaiveDate};
use std::fmt::Write as _;

/// The last day anything in the data set is dated (rates also carry 1 November 2026).
pub const DATA_AS_OF: NaiveDate = date(2026, 10, 31);

/// A date written as literals (tables and fixed days of the story): in a constant an invalid
/// date fails the build; call it only with literal arguments.
pub(crate) const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(x) => x,
        None => panic!("invalid date in the demo tables"),
    }
}

/// `d` moved by `n` days (either way).
pub(crate) fn days(d: NaiveDate, n: i64) -> NaiveDate {
    d.checked_add_signed(chrono::Duration::days(n)).unwrap_or(d)
}

/// `d` moved `m` calendar months later (the last day of the month if `d`'s day is missing).
pub(crate) fn months_after(d: NaiveDate, m: i64) -> NaiveDate {
    let m = u32::try_from(m).unwrap_or(0);
    d.checked_add_months(Months::new(m))
        .unwrap_or_else(|| days(d, i64::from(m) * 30))
}

/// Writes only the reference data (sectors and the province's administrative units) into
/// a database that has none, so records can be imported from spreadsheets into it; returns
/// how many sectors and units were written.
pub async fn insert_reference(tx: &mut Tx) -> Result<(usize, usize)> {
    reference::insert(tx).await
}

async fn ensure_empty(tx: &mut Tx) -> Result<()> {
    let held = db_orgs::count_organisations(tx).await?
        + items::count_items(tx).await?
        + db_users::count_users(tx).await?;
    if held > 0 {
        return Err(Error::conflict(
            "not_empty",
            "the database already holds data; demo data is only loaded into an empty database",
        ));
    }
    Ok(())
}

/// Loads the demo data set into an empty database and returns a printable summary, which
/// includes the generated passwords of the demo accounts (shown once).
pub async fn load(ctx: &Ctx) -> Result<String> {
    {
        let mut tx = ctx.store.read().await?;
        ensure_empty(&mut tx).await?;
    }
    let month_rates = rates::monthly()?;
    let planned = plan::items();
    let ledgers = schedule::ledgers(&planned);
    let mut accounts = users::prepare().await?;
    let actor = Actor::system("demo");

    let mut tx = ctx.store.write().await?;
    ensure_empty(&mut tx).await?;
    let (sectors, units) = reference::insert(&mut tx).await?;
    let rate_rows = rates::insert(&mut tx, ctx, &actor, &month_rates).await?;
    let org_ids = orgs::insert(&mut tx, &actor).await?;
    let user_ids = users::insert(&mut tx, &actor, &org_ids, &mut accounts).await?;
    let written = ledger::insert(
        &mut tx, ctx, &actor, &org_ids, &user_ids, &planned, &ledgers, &rate_rows,
    )
    .await?;
    let mobilised = mobilisation::insert(
        &mut tx,
        &actor,
        &org_ids,
        (user_ids.ngo, org_ids.ngos[users::NGO_USER_ORG]),
    )
    .await?;
    let activities = mobilisation_activities::load_activities(
        &mut tx,
        &actor,
        &mut rng::Rng::stream("activities"),
        &mobilised.programme_ids,
        &mobilised.proposal_ids,
        &org_ids.ngos,
    )
    .await?;
    tx.commit().await?;

    let counts = Counts {
        mobilised,
        activities,
        sectors,
        units,
        rates: rate_rows.len(),
        written,
    };
    Ok(summary(&counts, &planned, &accounts))
}

struct Counts {
    mobilised: mobilisation::Written,
    activities: usize,
    sectors: usize,
    units: usize,
    rates: usize,
    written: ledger::Written,
}

fn summary(c: &Counts, planned: &[plan::Item], accounts: &[users::Prepared]) -> String {
    let w = &c.written;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Demo data loaded: Thừa Thiên Huế / Huế City, January 2019 to October 2026."
    );
    let _ = writeln!(
        s,
        "  reference: {} sectors, {} administrative units",
        c.sectors, c.units
    );
    let _ = writeln!(
        s,
        "  organisations: {} foreign NGOs from {} countries, {} funders, {} aid owners, 1 managing agency",
        names::NGOS.len(),
        countries(),
        names::FUNDERS.len(),
        names::OWNERS.len()
    );
    let by_status: Vec<String> = ItemStatus::ALL
        .iter()
        .map(|st| (st, planned.iter().filter(|i| i.status == *st).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(st, n)| format!("{n} {st}"))
        .collect();
    let _ = writeln!(s, "  aid items: {} ({})", w.items, by_status.join(", "));
    let _ = writeln!(
        s,
        "  commitments: {}, disbursements: {}, milestones: {}, pledges: {} (recorded, never summed)",
        w.commitments, w.disbursements, w.milestones, w.pledges
    );
    let _ = writeln!(
        s,
        "  budgets and planned disbursements: {} (plans, never summed)",
        w.budgets
    );
    let _ = writeln!(
        s,
        "  mobilisation: {} stage programmes (2021-2025, 2026-2030) with targets, {} proposals offered to NGOs, {} promotion activities",
        c.mobilised.programmes, c.mobilised.proposals, c.activities
    );
    let _ = writeln!(
        s,
        "  exchange rates: {} (monthly, USD VND EUR KRW JPY AUD; AUD missing for 2026-09 and 2026-10 on purpose)",
        c.rates
    );
    let _ = writeln!(
        s,
        "  unconverted transactions: {} (no usable rate; see the rate warnings)",
        w.unconverted
    );
    if w.committed_usd_cents > 0 {
        let permille = w.disbursed_usd_cents * 1000 / w.committed_usd_cents;
        let _ = writeln!(
            s,
            "  verified disbursements / commitments (USD equivalent): {}.{} %",
            permille / 10,
            permille % 10
        );
    }
    let _ = writeln!(
        s,
        "Demo accounts (passwords are shown once; write them down):"
    );
    for a in accounts {
        let role = a.cmd.role;
        let scope = if role == Role::Ngo {
            format!(" of {}", names::NGOS[users::NGO_USER_ORG].acronym)
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "  {:<12} {:<12} {}{}",
            a.cmd.username,
            role.code(),
            a.cmd.password,
            scope
        );
    }
    let _ = writeln!(
        s,
        "Start the server with `aidledger serve` (it prints the address it listens on): the JSON API is under /api/v1 (described at /api/v1/openapi.json); log in with POST /api/v1/auth/login or get a token with POST /api/v1/auth/token. Reports: `aidledger report --period 2025-H1`."
    );
    s
}

fn countries() -> usize {
    let mut c: Vec<&str> = names::NGOS.iter().map(|n| n.country).collect();
    c.sort_unstable();
    c.dedup();
    c.len()
}
