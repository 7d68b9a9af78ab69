//! The exchange-rate page: the transactions stored unconverted, the form that enters a rate
//! or corrects one (for reviewers; entering a rate for a currency and date that already has
//! one corrects it), and the rate table, filtered by currency and year (the current year by
//! default), a page at a time, with the months that have no rate for a currency in use as
//! rows to fill in: each links to the form prefilled with its currency and month.

use super::{Form, Opt, t};
use crate::actions::rates_views::{self, RateFilter, RateLine as Line};
use crate::actions::{Ctx, rates, today_in_vietnam};
use crate::domain::rate::RateValue;
use crate::domain::role::Permission;
use crate::domain::{Currency, Lang};
use crate::error::Result;
use crate::web::pages::fmt;
use crate::web::pages::frame::{Frame, Page, Posted, Viewer};
use crate::web::pages::pager::Pager;
use askama::Template;
use chrono::Datelike;
use rocket::State;
use rocket::http::Status;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};
use std::collections::HashMap;

/// The rate table's query: every value read leniently (one not understood is ignored).
#[derive(rocket::FromForm, Default)]
pub struct RateParams {
    /// Filters the table and preselects the form's currency.
    currency: Option<String>,
    /// A year, or `all`; the current year when absent.
    year: Option<String>,
    missing: Option<String>,
    page: Option<String>,
    /// Prefills the form's date (a missing month's link gives its first day).
    date: Option<String>,
}

/// One line of the rate table: a rate, or a month that has no rate.
pub struct RateLine {
    pub currency: String,
    pub month: String,
    pub date: String,
    /// `YYYY-MM-DD`, for the entry or correction link.
    pub iso_date: String,
    pub to_vnd: String,
    pub to_usd: String,
    pub source: String,
    pub gap: bool,
    /// The form prefilled for this line.
    pub href: String,
}

pub struct UnconvertedLine {
    pub what: &'static str,
    pub item_id: i64,
    pub item_code: String,
    pub amount: String,
    pub date: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "forms/rates.html", config = "src/web/pages/askama.toml")]
struct RatesPage {
    f: Frame,
    fm: Form,
    can_enter: bool,
    currencies: Vec<Opt>,
    /// The filter's choices: currencies in use and years, with the chosen ones.
    filter_currencies: Vec<Opt>,
    filter_years: Vec<Opt>,
    chosen_currency: String,
    chosen_year: String,
    missing_only: bool,
    missing_href: String,
    lines: Vec<RateLine>,
    total: usize,
    gaps: usize,
    pager: Pager,
    unconverted: Vec<UnconvertedLine>,
}

/// The filter as read, with the address of any of its pages.
struct Chosen {
    currency: Option<Currency>,
    /// `None`: all years.
    year: Option<i32>,
    missing_only: bool,
}

impl Chosen {
    fn read(p: &RateParams) -> Chosen {
        let this_year = today_in_vietnam().year();
        let year = match p.year.as_deref().map(str::trim) {
            Some("all") => None,
            Some(y) => Some(
                y.parse()
                    .ok()
                    .filter(|y| (1900..=9999).contains(y))
                    .unwrap_or(this_year),
            ),
            None => Some(this_year),
        };
        Chosen {
            currency: p.currency.as_deref().and_then(|c| c.trim().parse().ok()),
            year,
            missing_only: p.missing.as_deref() == Some("1"),
        }
    }

    fn year_value(&self) -> String {
        self.year
            .map_or_else(|| "all".to_string(), |y| y.to_string())
    }

    fn href(&self, missing_only: bool, page: usize) -> String {
        let mut parts = Vec::new();
        if let Some(c) = self.currency {
            parts.push(format!("currency={}", c.code()));
        }
        if self.year != Some(today_in_vietnam().year()) {
            parts.push(format!("year={}", self.year_value()));
        }
        if missing_only {
            parts.push("missing=1".to_string());
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() {
            "/rates".into()
        } else {
            format!("/rates?{}", parts.join("&"))
        }
    }
}

fn line(l: &Line, lang: Lang) -> RateLine {
    let entry = |c: Currency, d: chrono::NaiveDate| {
        format!(
            "/rates?currency={}&year={}&date={d}#rate-form",
            c.code(),
            d.year()
        )
    };
    match l {
        Line::Missing { currency, month } => RateLine {
            currency: currency.code().to_string(),
            month: format!("{:02}/{}", month.month, month.year),
            date: String::new(),
            iso_date: month.first_day().to_string(),
            to_vnd: String::new(),
            to_usd: String::new(),
            source: String::new(),
            gap: true,
            href: entry(*currency, month.first_day()),
        },
        Line::Rate(r) => RateLine {
            currency: r.currency.code().to_string(),
            month: format!("{:02}/{}", r.rate_date.month(), r.rate_date.year()),
            date: fmt::date(r.rate_date, lang),
            iso_date: r.rate_date.to_string(),
            to_vnd: fmt::rate(r.to_vnd.value(), lang),
            to_usd: fmt::rate(r.to_usd.value(), lang),
            source: r.source.clone(),
            gap: false,
            href: entry(r.currency, r.rate_date),
        },
    }
}

async fn page(
    ctx: &Ctx,
    v: &Viewer,
    fm: Form,
    p: &RateParams,
    flash: Option<FlashMessage<'_>>,
) -> Result<RatesPage> {
    let lang = v.lang;
    let chosen = Chosen::read(p);
    let filter = RateFilter {
        currency: chosen.currency,
        year: chosen.year,
        missing_only: chosen.missing_only,
        page: p
            .page
            .as_deref()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(1),
    };
    let table = rates_views::rate_table(ctx, &v.actor, &filter).await?;
    let link = |n: usize| chosen.href(chosen.missing_only, n);
    let mut filter_years: Vec<Opt> = table
        .years
        .iter()
        .map(|y| Opt::new(y, y.to_string()))
        .collect();
    if let Some(y) = chosen.year.filter(|y| !table.years.contains(y)) {
        filter_years.insert(0, Opt::new(y, y.to_string()));
    }
    filter_years.push(Opt::new("all", t(lang, "lists.rates.all_years")));
    Ok(RatesPage {
        f: Frame::new(v, "/rates", "forms.rates.title", flash),
        fm,
        can_enter: v.actor.require(Permission::EditRates).is_ok(),
        // VND has a rate too (to USD, with 1 to VND), so its missing months can be filled in.
        currencies: Currency::all()
            .map(|c| Opt::new(c.code(), format!("{} · {}", c.code(), c.name(lang))))
            .collect(),
        filter_currencies: table
            .currencies
            .iter()
            .map(|c| Opt::new(c.code(), format!("{} · {}", c.code(), c.name(lang))))
            .collect(),
        filter_years,
        chosen_currency: chosen
            .currency
            .map(|c| c.code().to_string())
            .unwrap_or_default(),
        chosen_year: chosen.year_value(),
        missing_only: chosen.missing_only,
        missing_href: chosen.href(!chosen.missing_only, 1),
        lines: table.lines.iter().map(|l| line(l, lang)).collect(),
        total: table.total,
        gaps: table.missing,
        pager: Pager::new(table.page, table.pages, link),
        unconverted: table
            .unconverted
            .iter()
            .map(|u| UnconvertedLine {
                what: if u.kind == "commitment" {
                    t(lang, "forms.rates.commitment")
                } else {
                    t(lang, "forms.rates.disbursement")
                },
                item_id: u.item_id,
                item_code: u.item_code.clone(),
                amount: fmt::money(u.amount_minor, u.currency, lang),
                date: fmt::date(u.date, lang),
                reason: u
                    .reason
                    .as_deref()
                    .map(|r| fmt::unconverted(r, lang))
                    .unwrap_or_default(),
            })
            .collect(),
    })
}

#[rocket::get("/rates?<p..>")]
pub async fn show(
    ctx: &State<Ctx>,
    v: Viewer,
    p: RateParams,
    flash: Option<FlashMessage<'_>>,
) -> Result<Page> {
    let fm = Form::with(
        v.lang,
        &[
            (
                "currency",
                p.currency
                    .as_deref()
                    .unwrap_or_default()
                    .chars()
                    .take(3)
                    .collect(),
            ),
            (
                "date",
                p.date
                    .as_deref()
                    .unwrap_or_default()
                    .chars()
                    .take(10)
                    .collect(),
            ),
            ("source", t(v.lang, "forms.rates.default_source").into()),
        ],
    );
    Page::render(&page(ctx, &v, fm, &p, flash).await?)
}

/// A rate as typed: a plain decimal; in Vietnamese the decimal comma is accepted too.
fn rate(fm: &mut Form, name: &str) -> Option<RateValue> {
    let s = fm.v(name).trim().to_string();
    if s.is_empty() {
        fm.fail(name, "forms.err.required");
        return None;
    }
    let s = if fm.lang == crate::domain::Lang::Vi && !s.contains('.') {
        s.replace(',', ".")
    } else {
        s
    };
    let v = s.parse::<RateValue>().ok();
    if v.is_none() {
        fm.fail(name, "forms.err.rate");
    }
    v
}

#[rocket::post("/rates", data = "<form>")]
pub async fn enter(
    ctx: &State<Ctx>,
    v: Viewer,
    form: Posted<HashMap<String, String>>,
) -> Result<Result<Flash<Redirect>, Page>> {
    v.actor.require(Permission::EditRates)?;
    let mut fm = Form::new(v.lang, form.value);
    let currency = fm.pick::<Currency>("currency");
    let date = fm.date("date");
    let to_vnd = rate(&mut fm, "to_vnd");
    let to_usd = rate(&mut fm, "to_usd");
    let source = fm.text("source");
    if let (Some(currency), Some(date), Some(to_vnd), Some(to_usd), false) =
        (currency, date, to_vnd, to_usd, fm.has_errors())
    {
        let cmd = rates::RateCmd {
            currency,
            date,
            to_vnd,
            to_usd,
            source,
        };
        match rates::enter_rate(ctx, &v.actor, cmd).await {
            Ok(out) => {
                let key = if out.supersedes.is_some() {
                    "forms.rates.corrected"
                } else {
                    "forms.rates.entered"
                };
                let text = format!(
                    "{} {} {}",
                    t(v.lang, key),
                    out.reconverted,
                    t(v.lang, "forms.rates.reconverted")
                );
                // Back to the table at the month just filled in.
                let back = format!("/rates?currency={}&year={}", currency.code(), date.year());
                return Ok(Ok(Flash::success(Redirect::to(back), text)));
            }
            Err(e) => fm.refused(e)?,
        }
    }
    let params = RateParams {
        currency: Some(fm.v("currency").to_string()),
        year: fm
            .v("date")
            .get(..4)
            .filter(|y| y.chars().all(|c| c.is_ascii_digit()))
            .map(str::to_string),
        ..RateParams::default()
    };
    Ok(Err(Page::with_status(
        Status::UnprocessableEntity,
        &page(ctx, &v, fm, &params, None).await?,
    )?))
}
