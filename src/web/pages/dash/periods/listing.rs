//! The list of reporting periods to pick from: for a chosen year (this year unless asked),
//! the year, its halves, quarters and months that have money in the ledger or are under
//! way, each with its state (open, locked, issued vN); below, every period ever locked or
//! reported on, custom ranges included; and a form for a custom range typed as two dates.

use super::{dates, field_message, parse_period, t};
use crate::actions::{Ctx, periods, today_in_vietnam};
use crate::domain::Lang;
use crate::domain::period::{Period, PeriodKind};
use crate::error::{Error, Result};
use crate::web::pages::forms::{date_text, parse_date};
use crate::web::pages::frame::{Frame, Page, Viewer};
use askama::Template;
use chrono::{Datelike, NaiveDate};
use rocket::State;
use rocket::http::Status;
use rocket::request::FlashMessage;
use rocket::response::Redirect;
use std::collections::BTreeSet;

pub struct PeriodRow {
    pub code: String,
    pub label: String,
    pub dates: String,
    /// `year`, `half`, `quarter`, `month` or `custom`: how the row is indented.
    pub kind: &'static str,
    pub locked: bool,
    /// "v2 (vi) · v1 (en)": the latest issued version in each language, if any.
    pub issued: Option<String>,
    /// The period today falls in.
    pub current: bool,
}

pub struct YearLink {
    pub year: i32,
    pub chosen: bool,
}

#[derive(Template)]
#[template(path = "dash/periods.html", config = "src/web/pages/askama.toml")]
struct ListPage {
    f: Frame,
    year: i32,
    years: Vec<YearLink>,
    periods: Vec<PeriodRow>,
    closed: Vec<PeriodRow>,
    from: String,
    to: String,
    from_error: Option<String>,
    to_error: Option<String>,
    code_error: Option<String>,
}

/// The government or calendar year a date is reported in.
fn year_of(d: NaiveDate, vn_cutoff: bool) -> i32 {
    if vn_cutoff && d.month() == 12 && d.day() >= 15 {
        d.year() + 1
    } else {
        d.year()
    }
}

/// The year, its halves, its quarters and its months, in that order.
fn standard(year: i32, vn_cutoff: bool) -> Vec<Period> {
    let mut kinds = vec![PeriodKind::Year, PeriodKind::Half(1), PeriodKind::Half(2)];
    kinds.extend((1..=4).map(PeriodKind::Quarter));
    kinds.extend((1..=12).map(PeriodKind::Month));
    kinds
        .into_iter()
        .map(|k| Period::of(year, k, vn_cutoff))
        .collect()
}

fn kind_name(k: PeriodKind) -> &'static str {
    match k {
        PeriodKind::Year => "year",
        PeriodKind::Half(_) => "half",
        PeriodKind::Quarter(_) => "quarter",
        PeriodKind::Month(_) => "month",
        PeriodKind::Custom => "custom",
    }
}

/// "Quý I năm 2025" rather than "quý I năm 2025": the label starts a table cell.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn row(p: &Period, s: Option<&periods::PeriodStatus>, today: NaiveDate, lang: Lang) -> PeriodRow {
    let issued = s.and_then(|s| {
        let mut latest: Vec<(&'static str, i64)> = Vec::new();
        for l in [Lang::Vi, Lang::En] {
            if let Some(v) = s
                .reports
                .iter()
                .filter(|r| r.lang == l)
                .map(|r| r.version)
                .max()
            {
                latest.push((l.code(), v));
            }
        }
        (!latest.is_empty()).then(|| {
            latest
                .iter()
                .map(|(l, v)| format!("v{v} ({l})"))
                .collect::<Vec<_>>()
                .join(" · ")
        })
    });
    PeriodRow {
        code: p.code(),
        label: capitalised(&p.label(lang)),
        dates: dates(p.from, p.to, lang),
        kind: kind_name(p.kind),
        locked: s.is_some_and(|s| s.locked),
        issued,
        current: p.kind != PeriodKind::Custom && p.from <= today && today <= p.to,
    }
}

#[rocket::get("/periods?<code>&<year>&<from>&<to>")]
pub async fn list(
    ctx: &State<Ctx>,
    v: Viewer,
    code: Option<&str>,
    year: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    flash: Option<FlashMessage<'_>>,
) -> Result<std::result::Result<Page, Redirect>> {
    let lang = v.lang;
    let vn = ctx.config.vn_reporting_periods;
    let mut code_error = None;
    if let Some(c) = code.map(str::trim).filter(|c| !c.is_empty()) {
        match parse_period(ctx, c) {
            Ok(p) => return Ok(Err(Redirect::to(format!("/periods/{}", p.code())))),
            Err(e) => code_error = Some(field_message(lang, &e)),
        }
    }
    // A custom range typed as two dates.
    let (from, to) = (
        from.unwrap_or_default().trim(),
        to.unwrap_or_default().trim(),
    );
    let (mut from_error, mut to_error) = (None, None);
    if !from.is_empty() || !to.is_empty() {
        let bad = || Some(t(lang, "forms.err.date").to_string());
        let (a, b) = (parse_date(from), parse_date(to));
        from_error = if a.is_none() { bad() } else { None };
        to_error = if b.is_none() { bad() } else { None };
        if let (Some(a), Some(b)) = (a, b) {
            match parse_period(ctx, &format!("{a}..{b}")) {
                Ok(p) => return Ok(Err(Redirect::to(format!("/periods/{}", p.code())))),
                Err(e) => to_error = Some(range_message(lang, &e, a, b)),
            }
        }
    }
    let today = today_in_vietnam();
    let list = periods::list_periods(ctx, &v.actor).await?;
    let span = periods::money_span(ctx, &v.actor).await?;
    let (lo, hi) = match span {
        Some((a, b)) => (a.min(today), b.max(today)),
        None => (today, today),
    };
    let mut offered: BTreeSet<i32> = (year_of(lo, vn)..=year_of(hi, vn)).collect();
    offered.extend(list.iter().map(|s| year_of(s.ends_on, vn)));
    let chosen = year
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| offered.contains(y))
        .unwrap_or_else(|| year_of(today, vn));
    let status = |p: &Period| {
        list.iter()
            .find(|s| s.starts_on == p.from && s.ends_on == p.to)
    };
    let rows: Vec<PeriodRow> = standard(chosen, vn)
        .iter()
        .filter(|p| p.from <= hi && p.to >= lo || status(p).is_some())
        .map(|p| row(p, status(p), today, lang))
        .collect();
    // Periods locked or reported on that are not one of the year's own (custom ranges).
    let closed: Vec<PeriodRow> = list
        .iter()
        .rev()
        .map(|s| {
            let p = parse_period(ctx, &s.period)
                .ok()
                .filter(|p| p.from == s.starts_on && p.to == s.ends_on)
                .unwrap_or(Period {
                    year: s.ends_on.year(),
                    kind: PeriodKind::Custom,
                    from: s.starts_on,
                    to: s.ends_on,
                    vn_cutoff: vn,
                });
            row(&p, Some(s), today, lang)
        })
        .collect();
    let page = ListPage {
        f: Frame::new(&v, "/periods", "dash.periods.title", flash),
        year: chosen,
        years: offered
            .iter()
            .rev()
            .map(|&y| YearLink {
                year: y,
                chosen: y == chosen,
            })
            .collect(),
        periods: rows,
        closed,
        from: shown(from),
        to: shown(to),
        from_error,
        to_error,
        code_error,
    };
    let refused = page.code_error.is_some() || page.from_error.is_some() || page.to_error.is_some();
    let status = if refused {
        Status::UnprocessableEntity
    } else {
        Status::Ok
    };
    Ok(Ok(Page::with_status(status, &page)?))
}

/// A typed date shown back as dd/mm/yyyy when it reads as one.
fn shown(typed: &str) -> String {
    parse_date(typed).map_or_else(|| typed.to_string(), date_text)
}

/// Why a range of two good dates is refused (reversed, too long, out of range).
fn range_message(lang: Lang, e: &Error, from: NaiveDate, to: NaiveDate) -> String {
    if to < from {
        t(lang, "periods.list.reversed").to_string()
    } else {
        field_message(lang, e)
    }
}
