//! The read side of the dashboard, the reviewer queue and the periods pages: one snapshot per
//! page, province staff only (`ReadAll`; NGO staff are refused here and the page sends them to
//! their portal). Names are resolved here, in the reader's language, so pages only format.

use super::overdue::{self, OverduePage};
use super::reports::FREE_TEXT_SECTIONS;
use super::{Actor, Ctx, today_in_vietnam};
use crate::db::dash_views;
use crate::db::ledger::Disbursement;
use crate::db::orgs::Organisation;
use crate::db::{Tx, reports};
use crate::domain::Lang;
use crate::domain::item::{DisbursementStatus, OrgKind};
use crate::domain::period::Period;
use crate::domain::role::Permission;
use crate::error::Result;
use crate::rollup::figures::{Figures, Pair, headline};
use crate::rollup::measures::{self, Ratio};
use crate::rollup::sums::{UnconvertedRow, Window, unconverted};
use crate::rollup::table::{group_name, rollup_table};
use crate::rollup::{Dimension, LookupData};
use chrono::NaiveDate;

/// How many days ahead a certificate's expiry counts as needing attention.
pub const CERT_WARNING_DAYS: i64 = 60;

/// One named bar of a chart.
#[derive(Debug, Clone)]
pub struct NamedPair {
    pub name: String,
    pub value: Pair,
}

/// A transaction without a usable rate, with its item's code.
#[derive(Debug, Clone)]
pub struct Unconverted {
    pub row: UnconvertedRow,
    pub item_code: String,
}

#[derive(Debug, Clone)]
pub struct CertificateAlert {
    pub organisation: Organisation,
    pub valid_to: NaiveDate,
    pub expired: bool,
}

/// Everything the dashboard shows for a period. The rates are those of
/// [`crate::rollup::measures`], the report's own.
#[derive(Debug, Clone)]
pub struct Dashboard {
    /// The headline figures ([`crate::rollup::figures::headline`]): the report's per-item,
    /// NGO, milestone and rate figures are empty here.
    pub figures: Figures,
    /// Cumulative disbursement rate at the end of the period, and a year earlier.
    pub rate: Ratio,
    pub rate_year_earlier: Ratio,
    /// Growth on the same period a year earlier (USD basis).
    pub committed_growth: Ratio,
    pub disbursed_growth: Ratio,
    pub by_sector_group: Vec<NamedPair>,
    pub by_country: Vec<NamedPair>,
    pub quarterly: Vec<NamedPair>,
    /// The stage programme's priority sector groups and localities, named, with what the
    /// stage committed in each (empty without a programme covering the period's end).
    pub stage_targets: Vec<NamedPair>,
    pub unconverted: Vec<Unconverted>,
    pub awaiting_verification: usize,
    pub drafts: usize,
    /// How many milestones are overdue, and the most overdue few.
    pub overdue: OverduePage,
    pub certificates: Vec<CertificateAlert>,
}

fn stage_targets(look: &LookupData, f: &Figures, lang: Lang) -> Vec<NamedPair> {
    use crate::domain::mobilisation::TargetDimension;
    f.stage
        .iter()
        .flat_map(|s| &s.targets)
        .map(|t| NamedPair {
            name: group_name(
                look,
                match t.target.dimension {
                    TargetDimension::SectorGroup => Dimension::SectorGroup,
                    TargetDimension::Locality => Dimension::Locality,
                },
                &t.target.code,
                lang,
            ),
            value: t.committed,
        })
        .collect()
}

fn named(look: &LookupData, dim: Dimension, f: &Figures, lang: Lang) -> Vec<NamedPair> {
    let key = match dim {
        Dimension::Country => "country",
        _ => "sector_group",
    };
    let mut out: Vec<NamedPair> = f
        .disbursed_by
        .get(key)
        .map(|b| {
            b.rows
                .iter()
                .map(|r| NamedPair {
                    name: group_name(look, dim, &r.key, lang),
                    value: Pair {
                        vnd: r.vnd,
                        usd_cents: r.usd_cents,
                    },
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort_by(|a, b| b.value.vnd.cmp(&a.value.vnd).then(a.name.cmp(&b.name)));
    out
}

fn code_of(look: &LookupData, item: i64) -> String {
    look.item(item)
        .map_or_else(|| item.to_string(), |i| i.code.clone())
}

pub async fn dashboard(ctx: &Ctx, actor: &Actor, period: &Period, lang: Lang) -> Result<Dashboard> {
    actor.require(Permission::ReadAll)?;
    let mut tx = ctx.store.read().await?;
    dashboard_in(&mut tx, period, lang).await
}

/// The dashboard of `period` read in `tx` (the page's snapshot; tests compare it with the
/// report's figures).
pub async fn dashboard_in(tx: &mut Tx, period: &Period, lang: Lang) -> Result<Dashboard> {
    let look = LookupData::load(tx).await?;
    let fig = headline(tx, &look, period).await?;
    let today = today_in_vietnam();
    let unconverted = unconverted(tx, Window::ever())
        .await?
        .into_iter()
        .map(|row| Unconverted {
            item_code: code_of(&look, row.item_id),
            row,
        })
        .collect();
    // Counted in SQL through the status index: the dashboard shows only how many.
    let count = |n: i64| usize::try_from(n).unwrap_or_default();
    let awaiting_verification =
        count(dash_views::count_in_status(tx, DisbursementStatus::Submitted).await?);
    let drafts = count(dash_views::count_in_status(tx, DisbursementStatus::Draft).await?);
    let overdue = overdue::page_in(tx, today, None, overdue::ON_DASHBOARD, lang).await?;
    let warn_until = today + chrono::Duration::days(CERT_WARNING_DAYS);
    let mut certificates: Vec<CertificateAlert> = look
        .organisations
        .iter()
        .filter(|o| o.kind == OrgKind::ForeignNgo)
        .filter_map(|o| {
            let to = o.cert_valid_to?;
            (to <= warn_until).then(|| CertificateAlert {
                organisation: o.clone(),
                valid_to: to,
                expired: to < today,
            })
        })
        .collect();
    certificates.sort_by_key(|c| c.valid_to);
    let quarterly = fig
        .quarterly_disbursed
        .iter()
        .map(|(code, p)| NamedPair {
            name: measures::quarter_label(code, lang),
            value: *p,
        })
        .collect();
    Ok(Dashboard {
        rate: measures::disbursement_rate(&fig),
        rate_year_earlier: measures::disbursement_rate_year_earlier(&fig),
        committed_growth: measures::growth(fig.committed, fig.year_earlier_committed),
        disbursed_growth: measures::growth(fig.disbursed, fig.year_earlier_disbursed),
        by_sector_group: named(&look, Dimension::SectorGroup, &fig, lang),
        by_country: named(&look, Dimension::Country, &fig, lang),
        quarterly,
        stage_targets: stage_targets(&look, &fig, lang),
        figures: fig,
        unconverted,
        awaiting_verification,
        drafts,
        overdue,
        certificates,
    })
}

/// A disbursement in the queue with what a reviewer needs to judge it.
#[derive(Debug, Clone)]
pub struct QueueRow {
    pub d: Disbursement,
    pub item_code: String,
    pub item_title: String,
    pub entered_by: String,
}

/// How many rows one section of the queue shows at a time.
pub const QUEUE_PAGE: i64 = 50;

/// One section of the queue: how many rows wait in all, and one page of them.
#[derive(Debug, Clone)]
pub struct QueueSection {
    pub total: i64,
    pub rows: Vec<QueueRow>,
    /// The id to continue after, when rows follow this page.
    pub next_after: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct ReviewQueue {
    /// Submitted rows awaiting a reviewer.
    pub submitted: QueueSection,
    /// NGO disbursement reports awaiting a coordinator.
    pub drafts: QueueSection,
}

/// Where each section of the queue starts: after the row with that id, or at the oldest.
#[derive(Debug, Clone, Copy, Default)]
pub struct QueueStart {
    pub submitted: Option<i64>,
    pub drafts: Option<i64>,
}

async fn section(
    tx: &mut Tx,
    status: DisbursementStatus,
    after: Option<i64>,
    lang: Lang,
) -> Result<QueueSection> {
    let total = dash_views::count_in_status(tx, status).await?;
    // One row more than a page says whether another page follows.
    let page = dash_views::page_in_status(tx, status, after, QUEUE_PAGE + 1).await?;
    let (page, next_after) = super::keyset_page(page, QUEUE_PAGE, |q| q.d.id);
    let rows = page
        .into_iter()
        .map(|q| QueueRow {
            item_code: q.item_code,
            item_title: if lang == Lang::Vi {
                q.title_vi
            } else {
                q.title_en
            },
            entered_by: q.entered_by_name.unwrap_or_else(|| "—".into()),
            d: q.d,
        })
        .collect();
    Ok(QueueSection {
        total,
        rows,
        next_after,
    })
}

/// One page of each section of the queue, oldest value date first, from one snapshot.
pub async fn review_queue(
    ctx: &Ctx,
    actor: &Actor,
    lang: Lang,
    start: QueueStart,
) -> Result<ReviewQueue> {
    actor.require(Permission::ReadAll)?;
    let mut tx = ctx.store.read().await?;
    let submitted = section(
        &mut tx,
        DisbursementStatus::Submitted,
        start.submitted,
        lang,
    )
    .await?;
    let drafts = section(&mut tx, DisbursementStatus::Draft, start.drafts, lang).await?;
    Ok(ReviewQueue { submitted, drafts })
}

/// The saved free-text sections of a period: (language, section, text).
pub async fn report_texts(
    ctx: &Ctx,
    actor: &Actor,
    period: &Period,
) -> Result<Vec<(Lang, &'static str, String)>> {
    actor.require(Permission::ReadAll)?;
    let mut tx = ctx.store.read().await?;
    let mut out = Vec::new();
    for lang in [Lang::Vi, Lang::En] {
        for section in FREE_TEXT_SECTIONS {
            let text = reports::get_text(&mut tx, &period.code(), lang, section).await?;
            out.push((lang, section, text.unwrap_or_default()));
        }
    }
    Ok(out)
}

/// The period's rollup tables by every dimension as an XLSX workbook (what `aidledger
/// export` writes), from one snapshot.
pub async fn period_workbook(
    ctx: &Ctx,
    actor: &Actor,
    period: &Period,
    lang: Lang,
) -> Result<Vec<u8>> {
    actor.require(Permission::ReadAll)?;
    let mut tx = ctx.store.read().await?;
    let look = LookupData::load(&mut tx).await?;
    let mut tables = Vec::new();
    for dim in [
        Dimension::SectorGroup,
        Dimension::Sector,
        Dimension::Locality,
        Dimension::Donor,
        Dimension::Country,
        Dimension::Region,
        Dimension::Modality,
        Dimension::AidOwner,
        Dimension::Status,
    ] {
        tables.push(rollup_table(&mut tx, &look, period, dim, lang).await?);
    }
    crate::reports::xlsx::workbook(&tables, lang)
}
