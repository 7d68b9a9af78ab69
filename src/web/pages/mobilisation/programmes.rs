//! `/programmes`: the stage programmes a People's Committee approved ("chương trình vận động
//! viện trợ giai đoạn …"), newest stage first; a programme's page with its decision, overall
//! and per sector group or locality targets, the proposals offered under it, the amendment
//! form (coordinators) and the history of its amendments from the audit trail.
//!
//! Targets are typed as amounts in the programme's currency (USD or VND) in the reader's own
//! number format, like every amount; a row of the per-dimension targets is one choice of
//! sector group or locality with an optional amount and number of items.

use super::{Names, in_lang, mark_nav, opt, refuse, t};
use crate::actions::mobilisation::{programmes, progress, proposals};
use crate::actions::queries::{self, AuditFilter};
use crate::actions::{Ctx, forms_views};
use crate::db::programmes::{NewProgramme, Programme, ProgrammeTarget};
use crate::domain::mobilisation::TargetDimension;
use crate::domain::role::Permission;
use crate::domain::{Currency, Lang, Money};
use crate::error::Result;
use crate::rollup::progress::in_currency;
use crate::web::pages::fmt;
use crate::web::pages::forms::money::amount_named;
use crate::web::pages::forms::{Form, Opt};
use crate::web::pages::frame::{Frame, Page, Posted, Viewer};
use crate::web::pages::items::show::history_action;
use askama::Template;
use rocket::State;
use rocket::http::Status;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};
use std::collections::HashMap;

/// How many per-dimension target rows the form offers.
pub const TARGET_ROWS: usize = 4;

/// The programme form's fields with their labels, in the order the form shows them.
const FIELDS: &[(&str, &str)] = &[
    ("name_vi", "mobil.programme.name_vi"),
    ("name_en", "mobil.programme.name_en"),
    ("decision_number", "mobil.programme.decision_number"),
    ("decision_date", "mobil.programme.decision_date"),
    ("decision_authority", "mobil.programme.decision_authority"),
    ("starts_on", "mobil.programme.starts_on"),
    ("ends_on", "mobil.programme.ends_on"),
    ("target_currency", "mobil.programme.target_currency"),
    ("target_amount", "mobil.programme.target_amount"),
    ("target_items", "mobil.programme.target_items"),
    ("targets", "mobil.programme.targets"),
    ("target_1", "mobil.programme.target_1"),
    ("tamount_1", "mobil.programme.tamount_1"),
    ("titems_1", "mobil.programme.titems_1"),
    ("target_2", "mobil.programme.target_2"),
    ("tamount_2", "mobil.programme.tamount_2"),
    ("titems_2", "mobil.programme.titems_2"),
    ("target_3", "mobil.programme.target_3"),
    ("tamount_3", "mobil.programme.tamount_3"),
    ("titems_3", "mobil.programme.titems_3"),
    ("target_4", "mobil.programme.target_4"),
    ("tamount_4", "mobil.programme.tamount_4"),
    ("titems_4", "mobil.programme.titems_4"),
];

/// The action's names of the fields whose form names differ.
const RENAMES: &[(&str, &str)] = &[("target", "target_amount")];

/// A programme as its list row and facts show it.
pub struct ProgrammeRow {
    pub id: i64,
    pub name: String,
    pub decision: String,
    pub authority: String,
    pub stage: String,
    pub target: String,
    pub target_items: String,
}

fn row(p: &Programme, lang: Lang) -> ProgrammeRow {
    ProgrammeRow {
        id: p.id,
        name: in_lang(lang, &p.name_vi, &p.name_en),
        decision: t(lang, "mobil.programme.decision_of")
            .replace("{number}", &p.decision_number)
            .replace("{date}", &fmt::date(p.decision_date, lang)),
        authority: p.decision_authority.clone(),
        stage: format!(
            "{} – {}",
            fmt::date(p.starts_on, lang),
            fmt::date(p.ends_on, lang)
        ),
        target: fmt::money(p.target_minor, p.target_currency, lang),
        target_items: p
            .target_items
            .map(|n| fmt::count(lang, "mobil.items_count", n))
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(
    path = "mobilisation/programmes.html",
    config = "src/web/pages/askama.toml"
)]
struct ListPage {
    f: Frame,
    rows: Vec<ProgrammeRow>,
    can_edit: bool,
}

#[rocket::get("/programmes")]
pub async fn list(ctx: &State<Ctx>, v: Viewer, flash: Option<FlashMessage<'_>>) -> Result<Page> {
    let all = programmes::list_programmes(ctx, &v.actor).await?;
    let mut f = Frame::new(&v, "/programmes", "mobil.programmes.title", flash);
    mark_nav(&mut f, "/programmes");
    Page::render(&ListPage {
        f,
        rows: all.iter().map(|p| row(p, v.lang)).collect(),
        can_edit: v.actor.require(Permission::EditMobilisation).is_ok(),
    })
}

/// One per-dimension target as the programme's page lists it.
pub struct TargetRow {
    pub dimension: &'static str,
    pub name: String,
    pub amount: String,
    pub items: String,
    /// What the stage committed here so far, and its share of the target (province staff).
    pub achieved: String,
    pub share: String,
}

/// How far the stage has come, as the report and the dashboard state it.
pub struct ProgressLine {
    pub through: String,
    pub achieved: String,
    pub share: String,
    pub items: String,
    pub from_proposals: String,
}

/// One proposal under the programme.
pub struct ProposalLine {
    pub id: i64,
    pub title: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub estimate: String,
}

/// One amendment from the audit trail, in words.
pub struct HistoryLine {
    pub at: String,
    pub actor: String,
    pub action: String,
}

/// One row of the target rows of the form: its field names.
pub struct FormRow {
    pub n: usize,
    pub target: String,
    pub amount: String,
    pub items: String,
}

/// A choice of the target rows' select, grouped by dimension.
pub struct TargetGroup {
    pub label: &'static str,
    pub options: Vec<Opt>,
}

#[derive(Template)]
#[template(
    path = "mobilisation/programme.html",
    config = "src/web/pages/askama.toml"
)]
struct ProgrammePage {
    f: Frame,
    fm: Form,
    action: String,
    row: Option<ProgrammeRow>,
    progress: Option<ProgressLine>,
    targets: Vec<TargetRow>,
    proposals: Vec<ProposalLine>,
    history: Option<Vec<HistoryLine>>,
    can_edit: bool,
    currencies: Vec<Opt>,
    groups: Vec<TargetGroup>,
    rows: Vec<FormRow>,
}

impl ProgrammePage {
    /// Whether the row's select has `value` chosen.
    fn chosen(&self, name: &str, value: &str) -> bool {
        self.fm.is(name, value)
    }
}

/// What a programme page needs beyond the programme itself.
#[derive(Default)]
struct Extra {
    progress: Option<ProgressLine>,
    targets: Vec<TargetRow>,
    proposals: Vec<ProposalLine>,
    history: Option<Vec<HistoryLine>>,
}

async fn page(
    ctx: &Ctx,
    v: &Viewer,
    fm: Form,
    programme: Option<&Programme>,
    extra: Extra,
    flash: Option<FlashMessage<'_>>,
) -> Result<ProgrammePage> {
    let lang = v.lang;
    let (path, title) = match programme {
        Some(p) => (format!("/programmes/{}", p.id), "mobil.programme.title"),
        None => ("/programmes/new".to_string(), "mobil.programme.new_title"),
    };
    let (sectors, units) = forms_views::reference_lists(ctx, &v.actor).await?;
    let groups = vec![
        TargetGroup {
            label: TargetDimension::SectorGroup.label(lang),
            options: sectors
                .iter()
                .filter(|s| s.parent_code.is_none())
                .map(|s| {
                    opt(
                        format!("sector_group:{}", s.code),
                        in_lang(lang, &s.name_vi, &s.name_en),
                    )
                })
                .collect(),
        },
        TargetGroup {
            label: TargetDimension::Locality.label(lang),
            options: units
                .iter()
                .filter(|u| u.valid_to.is_none())
                .map(|u| {
                    opt(
                        format!("locality:{}", u.code),
                        in_lang(lang, &u.name_vi, &u.name_en),
                    )
                })
                .collect(),
        },
    ];
    let mut f = Frame::new(v, &path, title, flash);
    mark_nav(&mut f, "/programmes");
    if let Some(p) = programme {
        f.title = in_lang(lang, &p.name_vi, &p.name_en);
    }
    Ok(ProgrammePage {
        f,
        fm,
        action: path,
        row: programme.map(|p| row(p, lang)),
        progress: extra.progress,
        targets: extra.targets,
        proposals: extra.proposals,
        history: extra.history,
        can_edit: v.actor.require(Permission::EditMobilisation).is_ok(),
        currencies: [Currency::VND, Currency::USD]
            .iter()
            .map(|c| opt(c.code(), format!("{} · {}", c.code(), c.name(lang))))
            .collect(),
        groups,
        rows: (1..=TARGET_ROWS)
            .map(|n| FormRow {
                n,
                target: format!("target_{n}"),
                amount: format!("tamount_{n}"),
                items: format!("titems_{n}"),
            })
            .collect(),
    })
}

#[rocket::get("/programmes/new")]
pub async fn new_programme(ctx: &State<Ctx>, v: Viewer) -> Result<Page> {
    v.actor.require(Permission::EditMobilisation)?;
    let fm = Form::with(v.lang, &[("target_currency", "USD".into())]).labelled(FIELDS);
    Page::render(&page(ctx, &v, fm, None, Extra::default(), None).await?)
}

/// An optional whole number above zero (a number of items).
fn count(fm: &mut Form, name: &str) -> Option<i64> {
    let s = fm.v(name).trim().replace(['.', ','], "");
    if s.is_empty() {
        return None;
    }
    match s.parse::<i64>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            fm.fail(name, "mobil.err.count");
            None
        }
    }
}

/// An amount in the programme's currency, or its field's error.
fn minor(fm: &mut Form, lang: Lang, name: &str) -> Option<i64> {
    amount_named(fm, lang, name, "target_currency").map(Money::minor)
}

/// The per-dimension target rows filled in; a row with an amount or a number but no choice
/// is an error, as is a choice listed twice.
fn target_rows(fm: &mut Form, lang: Lang) -> Vec<ProgrammeTarget> {
    let mut out: Vec<ProgrammeTarget> = Vec::new();
    for n in 1..=TARGET_ROWS {
        let (tn, an, iname) = (
            format!("target_{n}"),
            format!("tamount_{n}"),
            format!("titems_{n}"),
        );
        let chosen = fm.v(&tn).trim().to_string();
        let has_amount = !fm.v(&an).trim().is_empty();
        let has_items = !fm.v(&iname).trim().is_empty();
        if chosen.is_empty() {
            if has_amount || has_items {
                fm.fail(&tn, "forms.err.required");
            }
            continue;
        }
        let parsed = chosen
            .split_once(':')
            .and_then(|(d, c)| Some((d.parse::<TargetDimension>().ok()?, c.to_string())));
        let Some((dimension, code)) = parsed else {
            fm.fail(&tn, "forms.err.choice");
            continue;
        };
        if out
            .iter()
            .any(|r| r.dimension == dimension && r.code == code)
        {
            fm.fail(&tn, "mobil.err.target_twice");
            continue;
        }
        let target_minor = if has_amount {
            minor(fm, lang, &an)
        } else {
            None
        };
        let target_items = count(fm, &iname);
        out.push(ProgrammeTarget {
            dimension,
            code,
            target_minor,
            target_items,
        });
    }
    out
}

fn read(fm: &mut Form, lang: Lang) -> Option<NewProgramme> {
    let name_vi = fm.text("name_vi");
    let name_en = fm.text("name_en");
    let decision_number = fm.text("decision_number");
    let decision_date = fm.date("decision_date");
    let decision_authority = fm.text("decision_authority");
    let starts_on = fm.date("starts_on");
    let ends_on = fm.date("ends_on");
    let target_minor = minor(fm, lang, "target_amount");
    let target_currency: Option<Currency> = fm.v("target_currency").trim().parse().ok();
    let target_items = count(fm, "target_items");
    let targets = target_rows(fm, lang);
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e <= s
    {
        fm.fail("ends_on", "mobil.err.ends_before_start");
    }
    if fm.has_errors() {
        return None;
    }
    Some(NewProgramme {
        name_vi,
        name_en,
        decision_number,
        decision_date: decision_date?,
        decision_authority,
        starts_on: starts_on?,
        ends_on: ends_on?,
        target_currency: target_currency?,
        target_minor: target_minor?,
        target_items,
        targets,
    })
}

type Outcome = Result<std::result::Result<Flash<Redirect>, Page>>;

#[rocket::post("/programmes/new", data = "<form>")]
pub async fn create_programme(
    ctx: &State<Ctx>,
    v: Viewer,
    form: Posted<HashMap<String, String>>,
) -> Outcome {
    let mut fm = Form::new(v.lang, form.value).labelled(FIELDS);
    if let Some(cmd) = read(&mut fm, v.lang) {
        match programmes::create_programme(ctx, &v.actor, cmd).await {
            Ok(id) => {
                return Ok(Ok(Flash::success(
                    Redirect::to(format!("/programmes/{id}")),
                    t(v.lang, "mobil.programme.created"),
                )));
            }
            Err(e) => refuse(&mut fm, v.lang, "programme", FIELDS, RENAMES, e)?,
        }
    }
    let p = page(ctx, &v, fm, None, Extra::default(), None).await?;
    Ok(Err(Page::with_status(Status::UnprocessableEntity, &p)?))
}

/// The form filled with the programme as stored.
fn values(lang: Lang, p: &Programme, targets: &[ProgrammeTarget]) -> Form {
    let amount = |m: i64| Money::from_minor(m, p.target_currency).format(lang);
    let mut v: Vec<(String, String)> = vec![
        ("name_vi".into(), p.name_vi.clone()),
        ("name_en".into(), p.name_en.clone()),
        ("decision_number".into(), p.decision_number.clone()),
        ("decision_date".into(), p.decision_date.to_string()),
        ("decision_authority".into(), p.decision_authority.clone()),
        ("starts_on".into(), p.starts_on.to_string()),
        ("ends_on".into(), p.ends_on.to_string()),
        ("target_currency".into(), p.target_currency.code().into()),
        ("target_amount".into(), amount(p.target_minor)),
        (
            "target_items".into(),
            p.target_items.map(|n| n.to_string()).unwrap_or_default(),
        ),
    ];
    for (i, r) in targets.iter().take(TARGET_ROWS).enumerate() {
        let n = i + 1;
        v.push((
            format!("target_{n}"),
            format!("{}:{}", r.dimension.code(), r.code),
        ));
        v.push((
            format!("tamount_{n}"),
            r.target_minor.map(amount).unwrap_or_default(),
        ));
        v.push((
            format!("titems_{n}"),
            r.target_items.map(|x| x.to_string()).unwrap_or_default(),
        ));
    }
    Form::new(lang, v.into_iter().collect()).labelled(FIELDS)
}

/// The targets, proposals and history the programme's page shows.
async fn extra(ctx: &Ctx, v: &Viewer, view: &programmes::ProgrammeView) -> Result<Extra> {
    let lang = v.lang;
    let p = &view.programme;
    let (sectors, units) = forms_views::reference_lists(ctx, &v.actor).await?;
    let names = Names::new(lang, &[], &sectors, &units);
    // Progress to today (or the stage's end) for those who read every NGO's figures.
    let cut = crate::actions::today_in_vietnam();
    let stage = match progress::progress(ctx, &v.actor, p.id, p.starts_on, cut).await {
        Ok(s) => Some(s),
        Err(crate::error::Error::Forbidden(_)) => None,
        Err(e) => return Err(e),
    };
    let cur = p.target_currency;
    let share = |num: i128, den: i128| {
        crate::web::pages::dash::stage::share(num, den, lang).unwrap_or_else(|| "-".into())
    };
    let targets = view
        .targets
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let got = stage
                .as_ref()
                .and_then(|s| s.targets.get(i))
                .map(|t| (in_currency(t.committed, cur), t.items));
            TargetRow {
                dimension: r.dimension.label(lang),
                name: match r.dimension {
                    TargetDimension::SectorGroup => names.sector(&r.code),
                    TargetDimension::Locality => names.unit(&r.code),
                },
                amount: r
                    .target_minor
                    .map(|m| fmt::money(m, cur, lang))
                    .unwrap_or_default(),
                items: match (r.target_items, got) {
                    (Some(n), Some((_, k))) => {
                        format!("{k} / {}", fmt::count(lang, "mobil.items_count", n))
                    }
                    (Some(n), None) => fmt::count(lang, "mobil.items_count", n),
                    (None, Some((_, k))) => fmt::count(lang, "mobil.items_count", k as i64),
                    (None, None) => String::new(),
                },
                achieved: got.map_or_else(String::new, |(g, _)| fmt::money(g, cur, lang)),
                share: match (r.target_minor, got) {
                    (Some(m), Some((g, _))) => share(g, m.into()),
                    _ => String::new(),
                },
            }
        })
        .collect();
    let progress = stage.as_ref().map(|s| ProgressLine {
        through: fmt::date(s.through, lang),
        achieved: fmt::money(s.achieved(), cur, lang),
        share: share(s.achieved(), p.target_minor.into()),
        items: match p.target_items {
            Some(n) => format!(
                "{} / {} ({})",
                s.items.len(),
                fmt::count(lang, "mobil.items_count", n),
                share(s.items.len() as i128, n.into())
            ),
            None => fmt::count(lang, "mobil.items_count", s.items.len() as i64),
        },
        from_proposals: fmt::money(in_currency(s.from_proposals, cur), cur, lang),
    });
    let proposals = proposals::list_proposals(ctx, &v.actor, Some(p.id))
        .await?
        .iter()
        .map(|x| ProposalLine {
            id: x.id,
            title: in_lang(lang, &x.title_vi, &x.title_en),
            status: x.status.code(),
            status_label: x.status.label(lang),
            estimate: fmt::money(x.estimate_minor, x.currency, lang),
        })
        .collect();
    // The audit trail names every organisation's records: only those who read everything
    // see the history (the action decides; a refusal leaves the section out).
    let filter = AuditFilter {
        entity: Some("programme".into()),
        entity_id: Some(p.id.to_string()),
        ..AuditFilter::default()
    };
    let history = match queries::list_audit(ctx, &v.actor, &filter).await {
        Ok(entries) => Some(
            entries
                .iter()
                .map(|e| HistoryLine {
                    at: fmt::time(e.at, lang),
                    actor: match e.actor.strip_prefix("system:") {
                        Some("demo") => t(lang, "lang.actor.demo").to_string(),
                        Some("cli") => t(lang, "lang.actor.cli").to_string(),
                        Some(_) => t(lang, "lang.actor.system").to_string(),
                        None => e.actor.clone(),
                    },
                    action: history_action(&e.action, lang),
                })
                .collect(),
        ),
        Err(crate::error::Error::Forbidden(_)) => None,
        Err(e) => return Err(e),
    };
    Ok(Extra {
        progress,
        targets,
        proposals,
        history,
    })
}

#[rocket::get("/programmes/<id>")]
pub async fn show(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    flash: Option<FlashMessage<'_>>,
) -> Result<Page> {
    let view = programmes::programme(ctx, &v.actor, id).await?;
    let fm = values(v.lang, &view.programme, &view.targets);
    let x = extra(ctx, &v, &view).await?;
    Page::render(&page(ctx, &v, fm, Some(&view.programme), x, flash).await?)
}

#[rocket::post("/programmes/<id>", data = "<form>")]
pub async fn amend(
    ctx: &State<Ctx>,
    v: Viewer,
    id: i64,
    form: Posted<HashMap<String, String>>,
) -> Outcome {
    let view = programmes::programme(ctx, &v.actor, id).await?;
    let mut fm = Form::new(v.lang, form.value).labelled(FIELDS);
    if let Some(cmd) = read(&mut fm, v.lang) {
        match programmes::amend_programme(ctx, &v.actor, id, cmd).await {
            Ok(()) => {
                return Ok(Ok(Flash::success(
                    Redirect::to(format!("/programmes/{id}")),
                    t(v.lang, "mobil.programme.saved"),
                )));
            }
            Err(e) => refuse(&mut fm, v.lang, "programme", FIELDS, RENAMES, e)?,
        }
    }
    let x = extra(ctx, &v, &view).await?;
    let p = page(ctx, &v, fm, Some(&view.programme), x, None).await?;
    Ok(Err(Page::with_status(Status::UnprocessableEntity, &p)?))
}
