//! `/items/<id>`: one aid item: its facts, sector and locality shares, commitments,
//! disbursements (status, who entered and verified), budgets and planned disbursements (when
//! it has any), milestone timeline (overdue marked) and,
//! for province staff, the audit history of the item and its rows. Another organisation's
//! item is "not found" for NGO staff, because the action says so.
//!
//! The page opens with four cards: committed, disbursed (verified), remaining and the
//! disbursement rate to date, as the report defines them ([`items_views::ItemMoney`]).

use super::{item_title, text};
use crate::actions::Ctx;
use crate::actions::items_views;
use crate::actions::today_in_vietnam;
use crate::db::ledger::Conversion;
use crate::domain::Lang;
use crate::domain::item::{DisbursementStatus, MilestoneStatus, Role};
use crate::error::Result;
use crate::rollup::measures;
use crate::web::pages::fmt;
use crate::web::pages::frame::{Frame, Page, Viewer};
use askama::Template;
use rocket::State;
use rocket::request::FlashMessage;

pub struct Fact {
    pub label: &'static str,
    pub value: String,
    /// The language of a value entered in one language only, for its `lang` attribute (a
    /// screen reader then reads a Vietnamese authority on an English page in Vietnamese).
    pub lang: Option<&'static str>,
}

pub struct Share {
    pub name: String,
    pub share: String,
}

/// A money row's converted amounts, or why it has none.
pub struct Converted {
    pub vnd: String,
    pub usd: String,
    pub reason: Option<String>,
}

pub fn converted(c: &Conversion, lang: Lang) -> Converted {
    Converted {
        vnd: c.amount_vnd.map(|v| fmt::vnd(v, lang)).unwrap_or_default(),
        usd: c
            .amount_usd_cents
            .map(|v| fmt::usd(v, lang))
            .unwrap_or_default(),
        reason: c
            .unconverted_reason
            .as_deref()
            .map(|r| fmt::unconverted(r, lang))
            .or_else(|| c.amount_vnd.is_none().then(String::new)),
    }
}

pub struct CommitmentRow {
    pub kind: &'static str,
    pub amount: String,
    pub date: String,
    pub reference: String,
    pub conv: Converted,
}

pub struct DisbursementRow {
    pub id: i64,
    pub amount: String,
    pub date: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub entered_by: String,
    pub verified_by: String,
    pub note: String,
    pub conv: Converted,
    /// Verified and not yet reversed: a coordinator may record its reversal.
    pub reversible: bool,
}

pub struct MilestoneRow {
    pub id: i64,
    pub title: String,
    pub planned: String,
    pub actual: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub overdue: bool,
    pub evidence: String,
    pub pending_reports: usize,
}

/// One of the four cards the page opens with.
pub struct Figure {
    /// `committed`, `disbursed`, `remaining` or `rate`: the card's id and class.
    pub key: &'static str,
    pub label: &'static str,
    /// The headline: USD (the basis of the rate), or the rate itself.
    pub main: String,
    /// The VND equivalent under it, or the rate's definition.
    pub sub: String,
    /// Exact values for tests and scripts: minor units of the money cards
    /// (`data-usd-cents`, `data-vnd`), the rate card's basis points (`data-bp`, empty
    /// without a base).
    pub usd_cents: String,
    pub vnd: String,
    pub bp: String,
    pub warn: bool,
}

fn figures(m: &items_views::ItemMoney, lang: Lang) -> Vec<Figure> {
    let money = |key: &'static str, p: crate::rollup::figures::Pair| Figure {
        key,
        label: text(lang, &format!("lists.card.{key}")),
        main: format!("{} USD", fmt::usd(p.usd_cents, lang)),
        sub: fmt::money(p.vnd, crate::domain::Currency::VND, lang),
        usd_cents: p.usd_cents.to_string(),
        vnd: p.vnd.to_string(),
        bp: String::new(),
        warn: p.usd_cents < 0,
    };
    let rate = m.rate();
    vec![
        money("committed", m.committed),
        money("disbursed", m.disbursed),
        money("remaining", m.remaining()),
        Figure {
            key: "rate",
            label: text(lang, "lists.card.rate"),
            main: measures::rate_text(rate, lang),
            sub: measures::rate_label(lang).to_string(),
            usd_cents: String::new(),
            vnd: String::new(),
            bp: rate
                .basis_points()
                .map(|b| b.to_string())
                .unwrap_or_default(),
            warn: rate.over_full(),
        },
    ]
}

pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub what: String,
}

#[derive(Template)]
#[template(path = "items/show.html", config = "src/web/pages/askama.toml")]
struct ShowPage {
    f: Frame,
    id: i64,
    figures: Vec<Figure>,
    /// Money rows left out of the figures for want of a rate.
    unconverted: usize,
    facts: Vec<Fact>,
    sectors: Vec<Share>,
    localities: Vec<Share>,
    commitments: Vec<CommitmentRow>,
    disbursements: Vec<DisbursementRow>,
    milestones: Vec<MilestoneRow>,
    budgets: Vec<super::budgets::BudgetRow>,
    audit: Option<Vec<AuditRow>>,
    can_edit: bool,
    evidence: crate::web::pages::evidence::ItemEvidence,
}

#[rocket::get("/items/<id>")]
pub async fn show(
    ctx: &State<Ctx>,
    v: Viewer,
    flash: Option<FlashMessage<'_>>,
    id: i64,
) -> Result<Page> {
    let lang = v.lang;
    let view = items_views::item_view(ctx, &v.actor, id, lang).await?;
    let it = &view.detail.item;
    let who = |u: Option<i64>| {
        u.and_then(|u| view.people.get(&u).cloned())
            .unwrap_or_default()
    };
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let fact = |key: &str, value: String| Fact {
        label: text(lang, key),
        value,
        lang: None,
    };
    // Fields the province records in Vietnamese only (the official record's language), and
    // the two titles, each in its own language.
    let in_lang = |key: &str, value: String, l: &'static str| Fact {
        lang: Some(l),
        ..fact(key, value)
    };
    let facts = vec![
        fact("items.col.code", it.code.clone()),
        in_lang("items.f.title_vi", it.title_vi.clone(), "vi"),
        in_lang("items.f.title_en", it.title_en.clone(), "en"),
        fact("items.status", it.status.label(lang).to_string()),
        fact("items.modality", it.modality.label(lang).to_string()),
        fact("items.f.form", it.form.label(lang).to_string()),
        fact("items.donor", view.donor.clone()),
        fact("items.f.funder", opt(&view.funder)),
        fact("items.f.owner", view.owner.clone()),
        fact("items.f.agency", view.agency.clone()),
        fact("items.f.approval_number", opt(&it.approval_number)),
        fact(
            "items.f.approval_date",
            fmt::opt_date(it.approval_date, lang),
        ),
        in_lang(
            "items.f.approval_authority",
            opt(&it.approval_authority),
            "vi",
        ),
        in_lang("items.f.legal_basis", it.legal_basis.clone(), "vi"),
        fact(
            "items.f.planned",
            format!(
                "{} – {}",
                fmt::date(it.planned_start, lang),
                fmt::date(it.planned_end, lang)
            ),
        ),
        fact(
            "items.f.actual",
            format!(
                "{} – {}",
                fmt::opt_date(it.actual_start, lang),
                fmt::opt_date(it.actual_end, lang)
            ),
        ),
        in_lang("items.f.beneficiaries", opt(&it.beneficiaries), "vi"),
    ];
    let shares = |list: &[(String, i64)]| {
        list.iter()
            .map(|(name, bp)| Share {
                name: name.clone(),
                share: fmt::share(*bp, lang),
            })
            .collect()
    };
    let milestones: Vec<_> = view.milestones.iter().map(|(m, _)| m).collect();
    let evidence = crate::web::pages::evidence::item_section(
        &ctx.config,
        &v,
        id,
        &view.documents,
        &view.disbursements,
        &milestones,
    );
    let today = today_in_vietnam();
    let mut f = Frame::new(&v, "/items", "items.item_title", flash);
    f.title = format!("{} · {}", it.code, item_title(it, lang));
    let page = ShowPage {
        f,
        id,
        figures: figures(&view.money, lang),
        unconverted: view.money.unconverted,
        facts,
        sectors: shares(&view.sectors),
        localities: shares(&view.localities),
        commitments: view
            .commitments
            .iter()
            .map(|c| CommitmentRow {
                kind: c.kind.label(lang),
                amount: fmt::money(c.amount_minor, c.currency, lang),
                date: fmt::date(c.commitment_date, lang),
                reference: opt(&c.reference),
                conv: converted(&c.conversion, lang),
            })
            .collect(),
        disbursements: view
            .disbursements
            .iter()
            .map(|d| DisbursementRow {
                id: d.id,
                amount: fmt::money(d.amount_minor, d.currency, lang),
                date: fmt::date(d.value_date, lang),
                status: d.status.code(),
                status_label: d.status.label(lang),
                entered_by: who(d.entered_by),
                verified_by: who(d.verified_by),
                note: match (d.reverses_id, &d.rejection_reason) {
                    (Some(r), _) => format!("{} #{r}", text(lang, "items.reverses")),
                    (None, Some(reason)) => reason.clone(),
                    (None, None) => String::new(),
                },
                conv: converted(&d.conversion, lang),
                reversible: d.status == DisbursementStatus::Verified
                    && d.reverses_id.is_none()
                    && !view
                        .disbursements
                        .iter()
                        .any(|x| x.reverses_id == Some(d.id)),
            })
            .collect(),
        milestones: view
            .milestones
            .iter()
            .map(|(m, reports)| MilestoneRow {
                id: m.id,
                title: match lang {
                    Lang::Vi => m.title_vi.clone(),
                    Lang::En => m.title_en.clone(),
                },
                planned: fmt::date(m.planned_date, lang),
                actual: fmt::opt_date(m.actual_date, lang),
                status: m.status.code(),
                status_label: m.status.label(lang),
                overdue: m.planned_date < today
                    && matches!(
                        m.status,
                        MilestoneStatus::Planned | MilestoneStatus::InProgress
                    ),
                evidence: opt(&m.evidence),
                pending_reports: reports
                    .iter()
                    .filter(|r| r.decision == crate::domain::item::ReportDecision::Pending)
                    .count(),
            })
            .collect(),
        budgets: super::budgets::rows(&view.budgets, lang),
        audit: view.audit.as_ref().map(|entries| {
            entries
                .iter()
                .map(|e| history_row(&view, e, lang))
                .collect()
        }),
        can_edit: v.role() == Some(Role::Coordinator),
        evidence,
    };
    Page::render(&page)
}

/// One line of the item's history in words: who (a person's name, or what the system was
/// doing), what they did, and to which record, named by its code, amount or title rather than
/// its table and row number.
fn history_row(
    view: &items_views::ItemView,
    e: &crate::db::audit::AuditEntry,
    lang: Lang,
) -> AuditRow {
    AuditRow {
        at: fmt::time(e.at, lang),
        actor: history_actor(view, e, lang),
        action: history_action(&e.action, lang),
        what: history_target(view, e, lang),
    }
}

fn history_actor(
    view: &items_views::ItemView,
    e: &crate::db::audit::AuditEntry,
    lang: Lang,
) -> String {
    if let Some(name) = e.actor_id.and_then(|id| view.people.get(&id)) {
        return name.clone();
    }
    match e.actor.strip_prefix("system:") {
        Some("demo") => text(lang, "lang.actor.demo").to_string(),
        Some("cli") => text(lang, "lang.actor.cli").to_string(),
        Some(_) => text(lang, "lang.actor.system").to_string(),
        // A person no longer listed among the item's people keeps the name they signed in with.
        None => e.actor.clone(),
    }
}

/// The action's name from the i18n files; an action the files do not know yet reads as a
/// change to the record rather than as its code.
#[must_use]
pub fn history_action(action: &str, lang: Lang) -> String {
    let key = format!("lang.action.{action}");
    let found = text(lang, &key);
    if found == "?" {
        text(lang, "lang.action.other").to_string()
    } else {
        found.to_string()
    }
}

fn history_target(
    view: &items_views::ItemView,
    e: &crate::db::audit::AuditEntry,
    lang: Lang,
) -> String {
    let id: Option<i64> = e.entity_id.parse().ok();
    let named = |kind: &str, what: String| format!("{} {what}", text(lang, kind));
    let found = match e.entity.as_str() {
        "aid_item" => Some(named("lang.entity.aid_item", view.detail.item.code.clone())),
        "item_budget" => Some(named(
            "lang.entity.item_budget",
            view.detail.item.code.clone(),
        )),
        "commitment" => view.commitments.iter().find(|c| Some(c.id) == id).map(|c| {
            named(
                "lang.entity.commitment",
                format!(
                    "{} ({})",
                    fmt::money(c.amount_minor, c.currency, lang),
                    fmt::date(c.commitment_date, lang)
                ),
            )
        }),
        "disbursement" => view
            .disbursements
            .iter()
            .find(|d| Some(d.id) == id)
            .map(|d| {
                named(
                    "lang.entity.disbursement",
                    format!(
                        "{} ({})",
                        fmt::money(d.amount_minor, d.currency, lang),
                        fmt::date(d.value_date, lang)
                    ),
                )
            }),
        "milestone" => view
            .milestones
            .iter()
            .find(|(m, _)| Some(m.id) == id)
            .map(|(m, _)| named("lang.entity.milestone", milestone_title(m, lang))),
        "milestone_report" => view
            .milestones
            .iter()
            .find(|(_, rs)| rs.iter().any(|r| Some(r.id) == id))
            .map(|(m, _)| named("lang.entity.milestone_report", milestone_title(m, lang))),
        _ => None,
    };
    found.unwrap_or_else(|| text(lang, "lang.entity.other").to_string())
}

fn milestone_title(m: &crate::db::ledger::Milestone, lang: Lang) -> String {
    match lang {
        Lang::Vi => m.title_vi.clone(),
        Lang::En => m.title_en.clone(),
    }
}
