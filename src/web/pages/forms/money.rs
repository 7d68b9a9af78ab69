//! Recording a commitment or a disbursement of an aid item. The amount is typed in the
//! person's own format (vi `1.234.567,89`, en `1,234,567.89`) and must fit the currency's
//! minor unit. The first post shows what was understood (and what it converts to, if a rate
//! exists) with a Confirm button; only the confirmed post (`confirm=1`) saves.

use super::{Form, Opt, t};
use crate::actions::{Ctx, forms_views, ledger, queries};
use crate::db::ledger::{NewCommitment, NewDisbursement};
use crate::domain::item::{CommitmentKind, DisbursementStatus};
use crate::domain::money::AmountError;
use crate::domain::role::Permission;
use crate::domain::{Currency, Lang, Money};
use crate::error::Result;
use crate::web::pages::fmt;
use crate::web::pages::frame::{Frame, Page, Posted, Viewer};
use askama::Template;
use chrono::NaiveDate;
use rocket::State;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use std::collections::HashMap;

/// Which money form: its fields differ a little.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Commitment,
    Disbursement,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Commitment => "commitment",
            Kind::Disbursement => "disbursement",
        }
    }
    fn date_field(self) -> &'static str {
        match self {
            Kind::Commitment => "date",
            Kind::Disbursement => "value_date",
        }
    }
}

/// What the confirmation step shows.
pub struct Understood {
    pub amount: String,
    /// The canonical amount, carried to the confirmed post to check nothing changed.
    pub canonical: String,
    pub date: String,
    pub converted: Option<String>,
    /// The rate the conversion used: its value, date and source.
    pub rate: Option<UsedRate>,
    pub unconverted: Option<String>,
}

/// The exchange rate a confirmation step names.
pub struct UsedRate {
    /// `1 EUR = 27.150,00 ₫ · 1 EUR = 1,08 USD` (an identity rate is left out; no unit
    /// wraps away from its number).
    pub value: String,
    pub date: String,
    pub source: String,
}

#[derive(Template)]
#[template(path = "forms/money.html", config = "src/web/pages/askama.toml")]
struct MoneyPage {
    f: Frame,
    fm: Form,
    kind: &'static str,
    date_field: &'static str,
    action: String,
    item_id: i64,
    item_label: String,
    currencies: Vec<Opt>,
    kinds: Vec<Opt>,
    milestones: Vec<Opt>,
    understood: Option<Understood>,
}

async fn page(
    ctx: &Ctx,
    v: &Viewer,
    kind: Kind,
    item_id: i64,
    fm: Form,
    understood: Option<Understood>,
) -> Result<MoneyPage> {
    let lang = v.lang;
    let d = queries::get_item(ctx, &v.actor, item_id).await?;
    let milestones = if kind == Kind::Disbursement {
        queries::list_milestones(ctx, &v.actor, item_id)
            .await?
            .into_iter()
            .map(|m| Opt::new(m.id, super::items::org_name(lang, &m.title_vi, &m.title_en)))
            .collect()
    } else {
        Vec::new()
    };
    let path = format!("/items/{item_id}/{}s/new", kind.name());
    let title = match kind {
        Kind::Commitment => "forms.money.commitment_title",
        Kind::Disbursement => "forms.money.disbursement_title",
    };
    Ok(MoneyPage {
        f: Frame::new(v, &path, title, None),
        fm,
        kind: kind.name(),
        date_field: kind.date_field(),
        action: path,
        item_id,
        item_label: format!(
            "{} · {}",
            d.item.code,
            super::items::org_name(lang, &d.item.title_vi, &d.item.title_en)
        ),
        currencies: Currency::all()
            .map(|c| Opt::new(c.code(), format!("{} · {}", c.code(), c.name(lang))))
            .collect(),
        kinds: CommitmentKind::ALL
            .iter()
            .map(|k| Opt::new(k, k.label(lang)))
            .collect(),
        milestones,
        understood,
    })
}

fn may_enter(v: &Viewer, kind: Kind) -> Result<()> {
    match kind {
        Kind::Commitment => v.actor.require(Permission::EditLedger),
        Kind::Disbursement => v
            .actor
            .require(Permission::EditLedger)
            .or_else(|_| v.actor.require(Permission::ReportProgress)),
    }
}

async fn show(ctx: &Ctx, v: &Viewer, kind: Kind, id: i64) -> Result<Page> {
    may_enter(v, kind)?;
    let mut fm = Form::new(v.lang, HashMap::new());
    if kind == Kind::Commitment {
        fm.set("kind", "original");
    }
    Page::render(&page(ctx, v, kind, id, fm, None).await?)
}

#[rocket::get("/items/<id>/commitments/new")]
pub async fn new_commitment(ctx: &State<Ctx>, v: Viewer, id: i64) -> Result<Page> {
    show(ctx, &v, Kind::Commitment, id).await
}

#[rocket::get("/items/<id>/disbursements/new")]
pub async fn new_disbursement(ctx: &State<Ctx>, v: Viewer, id: i64) -> Result<Page> {
    show(ctx, &v, Kind::Disbursement, id).await
}

/// The amount typed in `lang` for the chosen currency, or the field's error.
fn amount(fm: &mut Form, lang: Lang) -> Option<Money> {
    amount_named(fm, lang, "amount", "currency")
}

/// The amount typed in the field `field` in `lang` for the currency chosen in `currency_field`,
/// or the field's error (also for the forms of other areas, e.g. a proposal's estimate).
pub(crate) fn amount_named(
    fm: &mut Form,
    lang: Lang,
    field: &str,
    currency_field: &str,
) -> Option<Money> {
    let currency: Option<Currency> = fm.pick(currency_field);
    let Some(currency) = currency else {
        if fm.err(currency_field) == Some(t(lang, "forms.err.choice")) {
            let text = t(lang, "forms.err.currency");
            fm.errors.insert(currency_field.into(), text.into());
        }
        return None;
    };
    if fm.v(field).trim().is_empty() {
        fm.fail(field, "forms.err.required");
        return None;
    }
    match Money::parse_localized(fm.v(field), currency, lang) {
        Ok(m) => Some(m),
        Err(AmountError::TooManyDecimals(_, _, allowed)) => {
            let text = format!(
                "{} {}: {allowed}.",
                t(lang, "forms.err.amount_decimals"),
                currency.code()
            );
            fm.errors.insert(field.into(), text);
            None
        }
        Err(AmountError::BadGrouping(..)) if misplaced_point(fm.v(field), lang) => {
            fm.fail(field, "periods.err.decimal_point");
            None
        }
        Err(AmountError::BadGrouping(..)) => {
            fm.fail(field, "forms.err.amount_grouping");
            None
        }
        Err(AmountError::AboveMaximum(..)) => {
            let max = crate::domain::money::limits::max_minor(currency);
            let text = format!(
                "{} {}.",
                t(lang, "forms.err.amount_maximum"),
                Money::from_minor(max, currency).format_with_currency(lang)
            );
            fm.errors.insert(field.into(), text);
            None
        }
        Err(_) => {
            fm.fail(field, "forms.err.amount");
            None
        }
    }
}

/// Whether a refused amount went wrong at its decimal separator (the comma in Vietnamese,
/// the point in English): more than one, or a group separator after it (`12,5,0`,
/// `12,5.0`), so the message can speak of that mark rather than of thousands.
fn misplaced_point(typed: &str, lang: Lang) -> bool {
    let (group, point) = match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    };
    let typed = typed.trim();
    typed.matches(point).count() > 1
        || typed
            .split_once(point)
            .is_some_and(|(_, after)| after.contains(group))
}

/// Refuses at the first post an amount whose sign cannot fit what is recorded, in words
/// that say what to do instead (the action would refuse it too, but only after the
/// confirmation step, and in a sentence about "signs").
fn check_sign(fm: &mut Form, kind: Kind, ckind: Option<CommitmentKind>, money: Money) {
    let minor = money.minor();
    let key = match (kind, ckind) {
        (Kind::Disbursement, _) if minor <= 0 => "periods.err.disbursement_positive",
        (Kind::Commitment, Some(k)) if k.check_sign(minor).is_err() => match k {
            CommitmentKind::Original => "periods.err.commitment_positive",
            CommitmentKind::Amendment => "periods.err.amendment_zero",
            CommitmentKind::Cancellation => "periods.err.cancellation_negative",
        },
        _ => return,
    };
    fm.fail("amount", key);
}

async fn understood(ctx: &Ctx, v: &Viewer, money: Money, date: NaiveDate) -> Result<Understood> {
    let lang = v.lang;
    let conv = forms_views::preview_conversion(ctx, &v.actor, money, date).await?;
    let mut rate = None;
    let (converted, unconverted) = match conv {
        Ok(c) => {
            let rows = queries::list_rates(ctx, &v.actor, Some(money.currency()), None, Some(date))
                .await?;
            rate = rows
                .into_iter()
                .find(|r| r.id == c.rate_id)
                .map(|r| used_rate(&r, lang));
            (
                Some(format!(
                    "{} · {}",
                    fmt::money(c.vnd, Currency::VND, lang),
                    fmt::money(c.usd_cents, Currency::USD, lang)
                )),
                None,
            )
        }
        Err(u) => (None, Some(fmt::unconverted_reason(&u, lang))),
    };
    Ok(Understood {
        amount: fmt::money(money.minor(), money.currency(), lang),
        canonical: money.canonical(),
        date: fmt::date(date, lang),
        converted,
        rate,
        unconverted,
    })
}

fn used_rate(r: &crate::db::rates::RateRow, lang: Lang) -> UsedRate {
    let code = r.currency.code();
    let mut parts = Vec::new();
    if r.currency != Currency::VND {
        let unit = match lang {
            Lang::Vi => "₫",
            Lang::En => "VND",
        };
        parts.push(format!(
            "1\u{a0}{code} = {}\u{a0}{unit}",
            fmt::rate(r.to_vnd.value(), lang)
        ));
    }
    if r.currency != Currency::USD {
        parts.push(format!(
            "1\u{a0}{code} = {}\u{a0}USD",
            fmt::rate(r.to_usd.value(), lang)
        ));
    }
    UsedRate {
        value: parts.join(" · "),
        date: fmt::date(r.rate_date, lang),
        source: r.source.clone(),
    }
}

enum Outcome {
    Saved,
    Again(Box<(Form, Option<Understood>, Status)>),
}

async fn post(ctx: &Ctx, v: &Viewer, kind: Kind, id: i64, fm: Form) -> Result<Outcome> {
    let mut fm = fm;
    let lang = v.lang;
    let money = amount(&mut fm, lang);
    let date = fm.date(kind.date_field());
    let ckind: Option<CommitmentKind> = if kind == Kind::Commitment {
        fm.pick("kind")
    } else {
        None
    };
    if let Some(m) = money {
        check_sign(&mut fm, kind, ckind, m);
    }
    let tranche: Option<i64> = fm.opt_pick("tranche");
    let milestone_id: Option<i64> = fm.opt_pick("milestone_id");
    let (Some(money), Some(date)) = (money, date) else {
        return Ok(Outcome::Again(Box::new((
            fm,
            None,
            Status::UnprocessableEntity,
        ))));
    };
    if fm.has_errors() {
        return Ok(Outcome::Again(Box::new((
            fm,
            None,
            Status::UnprocessableEntity,
        ))));
    }
    let confirmed = fm.v("confirm") == "1" && fm.v("understood") == money.canonical();
    if !confirmed || fm.v("edit") == "1" {
        let u = if fm.v("edit") == "1" {
            None
        } else {
            Some(understood(ctx, v, money, date).await?)
        };
        return Ok(Outcome::Again(Box::new((fm, u, Status::Ok))));
    }
    let result = match kind {
        Kind::Commitment => ledger::record_commitment(
            ctx,
            &v.actor,
            NewCommitment {
                item_id: id,
                kind: ckind.unwrap_or(CommitmentKind::Original),
                amount_minor: money.minor(),
                currency: money.currency(),
                date,
                reference: fm.opt_text("reference"),
                entered_by: v.actor.user_id,
            },
        )
        .await
        .map(|_| ()),
        Kind::Disbursement => ledger::record_disbursement(
            ctx,
            &v.actor,
            NewDisbursement {
                item_id: id,
                amount_minor: money.minor(),
                currency: money.currency(),
                value_date: date,
                tranche,
                milestone_id,
                reverses_id: None,
                status: DisbursementStatus::Submitted,
                entered_by: v.actor.user_id,
                verified_by: None,
                verified_at: None,
            },
        )
        .await
        .map(|_| ()),
    };
    match result {
        Ok(()) => Ok(Outcome::Saved),
        Err(e) => {
            fm.refused(e)?;
            Ok(Outcome::Again(Box::new((
                fm,
                None,
                Status::UnprocessableEntity,
            ))))
        }
    }
}

async fn handle(
    ctx: &Ctx,
    v: &Viewer,
    kind: Kind,
    id: i64,
    values: HashMap<String, String>,
) -> Result<Result<Flash<Redirect>, Page>> {
    // An item the viewer may not see is "not found" before anything is read from the form.
    queries::get_item(ctx, &v.actor, id).await?;
    let fm = Form::new(v.lang, values);
    match post(ctx, v, kind, id, fm).await? {
        Outcome::Saved => {
            let key = match kind {
                Kind::Commitment => "forms.money.commitment_saved",
                Kind::Disbursement => "forms.money.disbursement_saved",
            };
            Ok(Ok(Flash::success(
                Redirect::to(format!("/items/{id}")),
                t(v.lang, key),
            )))
        }
        Outcome::Again(again) => {
            let (fm, u, status) = *again;
            Ok(Err(Page::with_status(
                status,
                &page(ctx, v, kind, id, fm, u).await?,
            )?))
        }
    }
}

#[rocket::post("/items/<id>/commitments/new", data = "<form>")]
pub async fn post_commitment(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    form: Posted<HashMap<String, String>>,
) -> Result<Result<Flash<Redirect>, Page>> {
    handle(ctx, &v, Kind::Commitment, id, form.value).await
}

#[rocket::post("/items/<id>/disbursements/new", data = "<form>")]
pub async fn post_disbursement(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    form: Posted<HashMap<String, String>>,
) -> Result<Result<Flash<Redirect>, Page>> {
    handle(ctx, &v, Kind::Disbursement, id, form.value).await
}
