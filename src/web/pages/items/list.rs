//! `/items`: the aid items the viewer may see, filtered (status, modality, sector, locality,
//! donor, period), searched without regard to accents ("nuoc sach" finds "Nước sạch"),
//! sorted by a column header link and paged 25 at a time. Every control is a plain link or a
//! GET form, so it works without JavaScript and every view has its own address.
//!
//! Each row answers "how far along is it": committed, disbursed (verified) and the
//! disbursement rate to date, in USD as the report's rate is defined (the VND equivalent on
//! hover). The list opens newest first (by planned start, latest first).

use super::{enc, item_title, text};
use crate::actions::Ctx;
use crate::actions::items_views::{self, ItemQuery, SortKey};
use crate::domain::Currency;
use crate::domain::item::{ItemStatus, Modality, Role};
use crate::domain::period::Period;
use crate::error::Result;
use crate::rollup::measures;
use crate::web::pages::fmt;
use crate::web::pages::frame::{Frame, Page, Viewer};
use crate::web::pages::pager::Pager;
use askama::Template;
use rocket::State;
use rocket::request::FlashMessage;

/// The list's query parameters, read leniently: a value that is not understood is ignored
/// (a period that is not understood is said so beside its field).
#[derive(rocket::FromForm, Default, Clone)]
pub struct ListParams {
    status: Option<String>,
    modality: Option<String>,
    sector: Option<String>,
    locality: Option<String>,
    donor: Option<String>,
    period: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
}

impl ListParams {
    /// The query string of these filters with `sort`, `dir` and `page` as given.
    fn href(&self, sort: &str, dir: &str, page: usize) -> String {
        let mut parts: Vec<String> = [
            ("q", &self.q),
            ("status", &self.status),
            ("modality", &self.modality),
            ("sector", &self.sector),
            ("locality", &self.locality),
            ("donor", &self.donor),
            ("period", &self.period),
        ]
        .iter()
        .filter_map(|(k, v)| {
            v.as_deref()
                .filter(|v| !v.trim().is_empty())
                .map(|v| format!("{k}={}", enc(v)))
        })
        .collect();
        // The default view (newest first) has the shortest address.
        let default = sort == SortKey::default().code() && (dir == "desc") == SortKey::DEFAULT_DESC;
        if !default {
            parts.push(format!("sort={sort}"));
            parts.push(format!("dir={dir}"));
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() {
            "/items".into()
        } else {
            format!("/items?{}", parts.join("&"))
        }
    }
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn choices<I: IntoIterator<Item = (String, String)>>(all: I, chosen: Option<&str>) -> Vec<Choice> {
    all.into_iter()
        .map(|(value, label)| Choice {
            selected: chosen == Some(value.as_str()),
            value,
            label,
        })
        .collect()
}

pub struct Row {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub donor: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub start: String,
    /// In USD, the basis of the rate; the VND equivalent is the cell's title.
    pub committed: String,
    pub committed_vnd: String,
    pub disbursed: String,
    pub disbursed_vnd: String,
    pub rate: String,
    /// More disbursed than committed (the cell is flagged).
    pub over: bool,
}

/// A sortable column header: its link and its `aria-sort` state.
pub struct SortHead {
    pub label: &'static str,
    /// A money or rate column, aligned right.
    pub numeric: bool,
    pub href: String,
    pub aria: &'static str,
    pub mark: &'static str,
}

#[derive(Template)]
#[template(path = "items/list.html", config = "src/web/pages/askama.toml")]
struct ListPage {
    f: Frame,
    rows: Vec<Row>,
    total: usize,
    heads: Vec<SortHead>,
    pager: Pager,
    q: String,
    period: String,
    period_error: Option<String>,
    statuses: Vec<Choice>,
    modalities: Vec<Choice>,
    sectors: Vec<Choice>,
    localities: Vec<Choice>,
    donors: Vec<Choice>,
    can_create: bool,
    /// The rate's definition and what "(vượt)" means, under the table.
    rate_label: &'static str,
    over_note: &'static str,
    any_over: bool,
}

fn nonempty(s: Option<&String>) -> Option<&str> {
    s.map(|s| s.trim()).filter(|s| !s.is_empty())
}

#[rocket::get("/items?<p..>")]
pub async fn list(
    ctx: &State<Ctx>,
    v: Viewer,
    flash: Option<FlashMessage<'_>>,
    p: ListParams,
) -> Result<Page> {
    let lang = v.lang;
    let (period, period_error) = match nonempty(p.period.as_ref()) {
        Some(s) => match Period::parse(s, ctx.config.vn_reporting_periods) {
            Ok(per) => (Some(per), None),
            Err(_) => (None, Some(text(lang, "items.period_error").to_string())),
        },
        None => (None, None),
    };
    let chosen = nonempty(p.sort.as_ref()).and_then(SortKey::parse);
    let sort = chosen.unwrap_or_default();
    // Newest first unless a column was chosen; a chosen column runs ascending unless asked.
    let desc = match p.dir.as_deref() {
        Some("desc") => true,
        Some("asc") => false,
        _ => chosen.is_none() && SortKey::DEFAULT_DESC,
    };
    let query = ItemQuery {
        status: nonempty(p.status.as_ref()).and_then(|s| s.parse().ok()),
        modality: nonempty(p.modality.as_ref()).and_then(|s| s.parse().ok()),
        sector: nonempty(p.sector.as_ref()).map(str::to_string),
        locality: nonempty(p.locality.as_ref()).map(str::to_string),
        donor_id: nonempty(p.donor.as_ref()).and_then(|s| s.parse().ok()),
        period,
        q: nonempty(p.q.as_ref()).map(|s| s.chars().take(200).collect::<String>()),
        sort,
        desc,
        page: nonempty(p.page.as_ref())
            .and_then(|s| s.parse().ok())
            .unwrap_or(1),
    };
    let list = items_views::list_item_page(ctx, &v.actor, &query, lang).await?;
    let rows: Vec<Row> = list
        .rows
        .iter()
        .map(|r| Row {
            id: r.item.id,
            code: r.item.code.clone(),
            title: item_title(&r.item, lang).to_string(),
            donor: r.donor.clone(),
            status: r.item.status.code(),
            status_label: r.item.status.label(lang),
            start: fmt::date(r.item.planned_start, lang),
            committed: fmt::usd(r.money.committed.usd_cents, lang),
            committed_vnd: fmt::money(r.money.committed.vnd, Currency::VND, lang),
            disbursed: fmt::usd(r.money.disbursed.usd_cents, lang),
            disbursed_vnd: fmt::money(r.money.disbursed.vnd, Currency::VND, lang),
            rate: measures::rate_cell(r.money.rate(), lang),
            over: r.money.rate().over_full(),
        })
        .collect();
    let heads = SortKey::ALL
        .iter()
        .map(|k| {
            let active = *k == sort;
            let next_dir = if active && !desc { "desc" } else { "asc" };
            SortHead {
                label: match k {
                    SortKey::Committed | SortKey::Disbursed | SortKey::Rate => {
                        text(lang, &format!("lists.col.{}", k.code()))
                    }
                    _ => text(lang, &format!("items.col.{}", k.code())),
                },
                numeric: matches!(k, SortKey::Committed | SortKey::Disbursed | SortKey::Rate),
                href: p.href(k.code(), next_dir, 1),
                aria: match (active, desc) {
                    (false, _) => "none",
                    (true, false) => "ascending",
                    (true, true) => "descending",
                },
                mark: match (active, desc) {
                    (false, _) => "",
                    (true, false) => " ▲",
                    (true, true) => " ▼",
                },
            }
        })
        .collect();
    let dir = if desc { "desc" } else { "asc" };
    let link = |n: usize| p.href(sort.code(), dir, n);
    let pager = Pager::new(list.page, list.pages, link);
    let any_over = rows.iter().any(|r| r.over);
    let page = ListPage {
        rate_label: measures::rate_label(lang),
        over_note: measures::over_full_note(lang),
        any_over,
        f: Frame::new(&v, "/items", "items.title", flash),
        rows,
        total: list.total,
        heads,
        pager,
        q: p.q.clone().unwrap_or_default(),
        period: p.period.clone().unwrap_or_default(),
        period_error,
        statuses: choices(
            ItemStatus::ALL
                .iter()
                .map(|s| (s.code().to_string(), s.label(lang).to_string())),
            nonempty(p.status.as_ref()),
        ),
        modalities: choices(
            Modality::ALL
                .iter()
                .map(|m| (m.code().to_string(), m.label(lang).to_string())),
            nonempty(p.modality.as_ref()),
        ),
        sectors: choices(list.sectors, nonempty(p.sector.as_ref())),
        localities: choices(list.localities, nonempty(p.locality.as_ref())),
        donors: choices(
            list.donors.into_iter().map(|(id, n)| (id.to_string(), n)),
            nonempty(p.donor.as_ref()),
        ),
        can_create: v.role() == Some(Role::Coordinator),
    };
    Page::render(&page)
}
