//! The exchange-rate page: the rate table per currency and month with its gaps highlighted
//! (months in which a currency has transactions but no rate), the transactions stored
//! unconverted, and for reviewers the form that enters a rate or corrects one (entering a
//! rate for a currency and date that already has one corrects it).

use super::{Form, Opt, t};
use crate::actions::forms_views::{self, RatesOverview};
use crate::actions::{Ctx, rates};
use crate::domain::Currency;
use crate::domain::rate::RateValue;
use crate::domain::role::Permission;
use crate::error::Result;
use crate::web::pages::fmt;
use crate::web::pages::frame::{Frame, Page, Posted, Viewer};
use askama::Template;
use chrono::Datelike;
use rocket::State;
use rocket::http::Status;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};
use std::collections::{BTreeMap, HashMap};

/// One line of the rate table: a rate, or a month that has transactions and no rate.
pub struct RateLine {
    pub currency: String,
    pub month: String,
    pub date: String,
    /// `YYYY-MM-DD`, for the correction link.
    pub iso_date: String,
    pub to_vnd: String,
    pub to_usd: String,
    pub source: String,
    pub gap: bool,
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
    lines: Vec<RateLine>,
    gaps: usize,
    unconverted: Vec<UnconvertedLine>,
}

fn lines(o: &RatesOverview, lang: crate::domain::Lang) -> Vec<RateLine> {
    // (currency, year, month) → the rates dated in that month, newest first.
    let mut months: BTreeMap<(String, i32, u32), Vec<&crate::db::rates::RateRow>> = BTreeMap::new();
    for r in &o.rates {
        let key = (
            r.currency.code().to_string(),
            r.rate_date.year(),
            r.rate_date.month(),
        );
        months.entry(key).or_default().push(r);
    }
    for m in &o.money_months {
        months.entry(m.clone()).or_default();
    }
    let mut out = Vec::new();
    // Currency by code, months newest first.
    let mut keys: Vec<_> = months.keys().cloned().collect();
    keys.sort_by(|a, b| a.0.cmp(&b.0).then((b.1, b.2).cmp(&(a.1, a.2))));
    for key in keys {
        let month = format!("{:02}/{}", key.2, key.1);
        let list = &months[&key];
        if list.is_empty() {
            out.push(RateLine {
                currency: key.0.clone(),
                month,
                date: String::new(),
                iso_date: format!("{}-{:02}-01", key.1, key.2),
                to_vnd: String::new(),
                to_usd: String::new(),
                source: String::new(),
                gap: true,
            });
            continue;
        }
        let mut list = list.clone();
        list.sort_by_key(|r| std::cmp::Reverse(r.rate_date));
        for r in list {
            out.push(RateLine {
                currency: key.0.clone(),
                month: month.clone(),
                date: fmt::date(r.rate_date, lang),
                iso_date: r.rate_date.to_string(),
                to_vnd: fmt::rate(r.to_vnd.value(), lang),
                to_usd: fmt::rate(r.to_usd.value(), lang),
                source: r.source.clone(),
                gap: false,
            });
        }
    }
    out
}

async fn page(
    ctx: &Ctx,
    v: &Viewer,
    fm: Form,
    flash: Option<FlashMessage<'_>>,
) -> Result<RatesPage> {
    let lang = v.lang;
    let o = forms_views::rates_overview(ctx, &v.actor).await?;
    let lines = lines(&o, lang);
    Ok(RatesPage {
        f: Frame::new(v, "/rates", "forms.rates.title", flash),
        fm,
        can_enter: v.actor.require(Permission::EditRates).is_ok(),
        currencies: Currency::all()
            .filter(|c| *c != Currency::VND)
            .map(|c| Opt::new(c.code(), format!("{} · {}", c.code(), c.name(lang))))
            .collect(),
        gaps: lines.iter().filter(|l| l.gap).count(),
        lines,
        unconverted: o
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

#[rocket::get("/rates?<currency>&<date>")]
pub async fn show(
    ctx: &State<Ctx>,
    v: Viewer,
    currency: Option<&str>,
    date: Option<&str>,
    flash: Option<FlashMessage<'_>>,
) -> Result<Page> {
    let fm = Form::with(
        v.lang,
        &[
            (
                "currency",
                currency.unwrap_or_default().chars().take(3).collect(),
            ),
            ("date", date.unwrap_or_default().chars().take(10).collect()),
            ("source", t(v.lang, "forms.rates.default_source").into()),
        ],
    );
    Page::render(&page(ctx, &v, fm, flash).await?)
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
                return Ok(Ok(Flash::success(Redirect::to("/rates"), text)));
            }
            Err(e) => fm.refused(e)?,
        }
    }
    Ok(Err(Page::with_status(
        Status::UnprocessableEntity,
        &page(ctx, &v, fm, None).await?,
    )?))
}
