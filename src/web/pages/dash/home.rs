//! The dashboard: for a chosen period (default: this year so far), the committed and
//! disbursed (verified) totals and the disbursement rate, each against the same period a year
//! earlier; charts by sector group, by quarter and by donor country; and what needs someone's
//! attention. NGO staff have their own start page, the portal.

use super::charts::{self, Bar};
use super::{field_message, parse_period, t};
use crate::actions::dash_views::{self, Dashboard};
use crate::actions::{Ctx, today_in_vietnam};
use crate::domain::item::Role;
use crate::domain::period::{Period, PeriodKind};
use crate::domain::{Currency, Lang};
use crate::error::Result;
use crate::rollup::figures::Pair;
use crate::rollup::measures;
use crate::web::pages::fmt;
use crate::web::pages::frame::{Frame, Page, Viewer};
use askama::Template;
use chrono::Datelike;
use rocket::State;
use rocket::http::Status;
use rocket::request::FlashMessage;
use rocket::response::Redirect;

/// One of the three headline figures.
pub struct Card {
    pub id: &'static str,
    pub label: &'static str,
    /// The figure at a glance (tỷ/triệu đồng, or the rate).
    pub value: String,
    /// The exact amount behind it, for the `title` and the line under it.
    pub exact: String,
    pub usd: String,
    /// The exact VND amount in minor units (the disbursed amount on the rate card).
    pub vnd: i128,
    /// The rate in basis points, on the rate card only.
    pub bp: Option<i64>,
    pub earlier: String,
    pub change: String,
    pub change_class: &'static str,
}

pub struct ChartRow {
    pub name: String,
    pub vnd: String,
    pub usd: String,
}

pub struct Chart {
    pub id: &'static str,
    pub title: &'static str,
    /// SVG built by [`charts`] from numbers and text it escaped itself.
    pub svg: String,
    pub rows: Vec<ChartRow>,
}

pub struct Alert {
    pub text: String,
    pub href: String,
    pub link: &'static str,
}

#[derive(Template)]
#[template(path = "dash/home.html", config = "src/web/pages/askama.toml")]
struct HomePage {
    f: Frame,
    period: String,
    period_label: String,
    period_error: Option<String>,
    cards: Vec<Card>,
    charts: Vec<Chart>,
    unverified: String,
    unconverted: Vec<Alert>,
    queue: Vec<Alert>,
    overdue: Vec<Alert>,
    /// The link to every overdue milestone, worded with their number, when the dashboard
    /// lists only the most overdue.
    overdue_all: Option<String>,
    certificates: Vec<Alert>,
}

/// This calendar (or government) year from its first day to today.
fn year_so_far(vn_cutoff: bool) -> Period {
    let today = today_in_vietnam();
    let mut p = Period::of(today.year(), PeriodKind::Year, vn_cutoff);
    if p.from > today {
        p = Period::of(today.year() + 1, PeriodKind::Year, vn_cutoff);
    }
    Period {
        kind: PeriodKind::Custom,
        to: today.min(p.to),
        ..p
    }
}

/// Basis points as a percentage in the pages' notation ("71,49 %" / "71.49%").
fn percent_bp(bp: i128, lang: Lang) -> String {
    fmt::percent(rust_decimal::Decimal::from_i128_with_scale(bp, 2), lang)
}

fn signed_share(bp: i128, lang: Lang) -> String {
    let sign = if bp < 0 { "−" } else { "+" };
    format!("{sign}{}", percent_bp(bp.abs(), lang))
}

/// Signed percentage points with their unit: "−1,25 điểm phần trăm".
fn signed_points(bp: i128, lang: Lang) -> String {
    let sign = if bp < 0 { "−" } else { "+" };
    let digits = crate::domain::money::format_parts(
        bp.abs(),
        2,
        if lang == Lang::Vi { "." } else { "," },
        if lang == Lang::Vi { "," } else { "." },
    );
    format!("{sign}{digits}\u{a0}{}", t(lang, "dash.card.points"))
}

/// The disbursement rate as the report states it, with the over-100 % note.
fn rate_value(r: measures::Ratio, lang: Lang) -> Option<String> {
    let bp = r.basis_points()?;
    let mut text = percent_bp(bp, lang);
    if r.over_full() {
        text.push_str(&format!(" ({})", measures::over_full_note(lang)));
    }
    Some(text)
}

fn class_of(n: i128) -> &'static str {
    match n.signum() {
        1 => "up",
        -1 => "down",
        _ => "",
    }
}

/// The change from `earlier` to `now` in USD with the growth of [`measures::growth`], the
/// report's basis.
fn change(now: Pair, earlier: Pair, lang: Lang) -> (String, &'static str) {
    let diff = now.usd_cents.saturating_sub(earlier.usd_cents);
    let sign = if diff < 0 { "−" } else { "+" };
    let mut text = format!("{sign}{}", fmt::money(diff.abs(), Currency::USD, lang));
    if let Some(bp) = measures::growth(now, earlier).basis_points() {
        text.push_str(&format!(
            " ({}, {})",
            signed_share(bp, lang),
            measures::growth_basis(lang)
        ));
    }
    (text, class_of(diff))
}

fn cards(d: &Dashboard, lang: Lang) -> Vec<Card> {
    let f = &d.figures;
    let short = |v: i128| fmt::headline_vnd(v, lang).short;
    let usd = |c: i128| fmt::money(c, Currency::USD, lang);
    let earlier = t(lang, "dash.card.earlier");
    let mut out = Vec::new();
    for (id, label, now, ago) in [
        (
            "card-committed",
            "dash.card.committed",
            f.committed,
            f.year_earlier_committed,
        ),
        (
            "card-disbursed",
            "dash.card.disbursed",
            f.disbursed,
            f.year_earlier_disbursed,
        ),
    ] {
        let (change, change_class) = change(now, ago, lang);
        out.push(Card {
            id,
            label: t(lang, label),
            value: short(now.vnd),
            exact: fmt::money(now.vnd, Currency::VND, lang),
            usd: usd(now.usd_cents),
            vnd: now.vnd,
            bp: None,
            earlier: format!("{earlier} {}", short(ago.vnd)),
            change,
            change_class,
        });
    }
    let bp = d.rate.basis_points();
    let ago = d.rate_year_earlier.basis_points();
    let none = || "—".to_string();
    let (change, change_class) = match (bp, ago) {
        (Some(a), Some(b)) => (signed_points(a - b, lang), class_of(a - b)),
        _ => (none(), ""),
    };
    out.push(Card {
        id: "card-rate",
        label: t(lang, "dash.card.rate"),
        value: rate_value(d.rate, lang).unwrap_or_else(none),
        // The definition under the figure, in the report's own words (it says "cumulative").
        exact: measures::rate_label(lang).to_string(),
        usd: String::new(),
        vnd: f.cumulative_disbursed.vnd,
        bp: bp.and_then(|b| i64::try_from(b).ok()),
        earlier: format!(
            "{earlier} {}",
            rate_value(d.rate_year_earlier, lang).unwrap_or_else(none)
        ),
        change,
        change_class,
    });
    out
}

fn chart(
    id: &'static str,
    title_key: &'static str,
    vertical: bool,
    rows: &[dash_views::NamedPair],
    lang: Lang,
) -> Chart {
    let title = t(lang, title_key);
    let bars: Vec<Bar> = rows
        .iter()
        .map(|r| Bar {
            name: r.name.clone(),
            value: r.value.vnd,
            shown: fmt::headline_vnd(r.value.vnd, lang).short,
        })
        .collect();
    let svg = if vertical {
        charts::columns(id, title, &bars)
    } else {
        charts::horizontal(id, title, &bars)
    };
    Chart {
        id,
        title,
        svg,
        rows: rows
            .iter()
            .map(|r| ChartRow {
                name: r.name.clone(),
                vnd: fmt::vnd(r.value.vnd, lang),
                usd: fmt::usd(r.value.usd_cents, lang),
            })
            .collect(),
    }
}

fn alerts(d: &Dashboard, lang: Lang) -> (Vec<Alert>, Vec<Alert>, Vec<Alert>, Vec<Alert>) {
    let unconverted = d
        .unconverted
        .iter()
        .map(|u| Alert {
            text: format!(
                "{} · {} · {} · {}: {}",
                u.item_code,
                t(
                    lang,
                    if u.row.table_name == "commitment" {
                        "dash.att.commitment"
                    } else {
                        "dash.att.disbursement"
                    }
                ),
                fmt::money(u.row.amount_minor, u.row.currency, lang),
                fmt::date(u.row.date, lang),
                fmt::unconverted(&u.row.reason, lang),
            ),
            href: "/rates".into(),
            link: t(lang, "dash.att.enter_rate"),
        })
        .collect();
    let mut queue = Vec::new();
    if d.awaiting_verification > 0 {
        queue.push(Alert {
            text: fmt::count(
                lang,
                "lang.att.awaiting",
                i64::try_from(d.awaiting_verification).unwrap_or(i64::MAX),
            ),
            href: "/review".into(),
            link: t(lang, "dash.att.review"),
        });
    }
    if d.drafts > 0 {
        queue.push(Alert {
            text: fmt::count(
                lang,
                "lang.att.drafts",
                i64::try_from(d.drafts).unwrap_or(i64::MAX),
            ),
            href: "/review#drafts".into(),
            link: t(lang, "dash.att.review"),
        });
    }
    let overdue = d
        .overdue
        .rows
        .iter()
        .map(|o| Alert {
            text: format!(
                "{} · {} · {} {} ({})",
                o.item_code,
                if lang == Lang::Vi {
                    &o.milestone.title_vi
                } else {
                    &o.milestone.title_en
                },
                t(lang, "dash.att.planned"),
                fmt::date(o.milestone.planned_date, lang),
                fmt::count(lang, "lang.att.days_late", o.days_late),
            ),
            href: format!("/items/{}", o.milestone.item_id),
            link: t(lang, "dash.att.open_item"),
        })
        .collect();
    let certificates = d
        .certificates
        .iter()
        .map(|c| Alert {
            text: format!(
                "{} · {} {}",
                if lang == Lang::Vi {
                    &c.organisation.name_vi
                } else {
                    &c.organisation.name_en
                },
                t(
                    lang,
                    if c.expired {
                        "dash.att.cert_expired"
                    } else {
                        "dash.att.cert_expires"
                    }
                ),
                fmt::date(c.valid_to, lang),
            ),
            href: format!("/organisations/{}", c.organisation.id),
            link: t(lang, "dash.att.open_org"),
        })
        .collect();
    (unconverted, queue, overdue, certificates)
}

#[rocket::get("/?<period>")]
pub async fn dashboard(
    ctx: &State<Ctx>,
    v: Viewer,
    period: Option<&str>,
    flash: Option<FlashMessage<'_>>,
) -> Result<std::result::Result<Page, Redirect>> {
    if v.role() == Some(Role::Ngo) {
        return Ok(Err(Redirect::to("/portal")));
    }
    let lang = v.lang;
    let asked = period.map(str::trim).filter(|p| !p.is_empty());
    let (p, period_error) = match asked.map(|c| parse_period(ctx, c)) {
        None => (year_so_far(ctx.config.vn_reporting_periods), None),
        Some(Ok(p)) => (p, None),
        Some(Err(e)) => (
            year_so_far(ctx.config.vn_reporting_periods),
            Some(field_message(lang, &e)),
        ),
    };
    let d = dash_views::dashboard(ctx, &v.actor, &p, lang).await?;
    let (unconverted, queue, overdue, certificates) = alerts(&d, lang);
    let page = HomePage {
        f: Frame::new(&v, "/", "dash.title", flash),
        period: asked.map_or_else(|| p.code(), str::to_string),
        period_label: p.label(lang),
        period_error,
        cards: cards(&d, lang)
            .into_iter()
            .chain(super::stage::card(&d, lang))
            .collect(),
        charts: super::stage::chart(&d, lang)
            .into_iter()
            .chain([
                chart(
                    "chart-sector",
                    "dash.chart.sector",
                    false,
                    &d.by_sector_group,
                    lang,
                ),
                chart(
                    "chart-quarter",
                    "dash.chart.quarter",
                    true,
                    &d.quarterly,
                    lang,
                ),
                chart(
                    "chart-country",
                    "dash.chart.country",
                    false,
                    &d.by_country,
                    lang,
                ),
            ])
            .collect(),
        unverified: fmt::money(d.figures.unverified.vnd, Currency::VND, lang),
        unconverted,
        queue,
        overdue,
        overdue_all: (usize::try_from(d.overdue.total).unwrap_or(usize::MAX)
            > d.overdue.rows.len())
        .then(|| fmt::count(lang, "dash.att.overdue_all", d.overdue.total)),
        certificates,
    };
    let status = if page.period_error.is_some() {
        Status::UnprocessableEntity
    } else {
        Status::Ok
    };
    Ok(Ok(Page::with_status(status, &page)?))
}
