//! Reporting periods: the periods that have a lock or a report, and one period's page with
//! its lock (taken by a reviewer, lifted with a reason that stays on record), the report's
//! free-text sections IV-VI in each language, the form that previews a draft of the report or
//! issues it (see `issue`), the XLSX export of its tables (see `downloads`) and the history of
//! issued reports with version, signer and SHA-256.

use super::{field_message, may, parse_period, t};
use crate::actions::{Ctx, dash_views, periods, queries, reports, today_in_vietnam};
use crate::domain::Lang;
use crate::domain::period::Period;
use crate::domain::role::Permission;
use crate::error::{Error, Result};
use crate::web::pages::fmt;
use crate::web::pages::frame::{Frame, Page, Posted, Viewer};
use crate::web::pages::session::Empty;
use askama::Template;
use rocket::State;
use rocket::http::Status;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};

mod issuing;
pub use issuing::{draft, issue};

pub struct PeriodRow {
    pub code: String,
    pub dates: String,
    pub locked: bool,
    pub reports: usize,
}

#[derive(Template)]
#[template(path = "dash/periods.html", config = "src/web/pages/askama.toml")]
struct ListPage {
    f: Frame,
    periods: Vec<PeriodRow>,
    code: String,
    code_error: Option<String>,
}

pub struct Section {
    pub lang: &'static str,
    pub key: &'static str,
    pub title: String,
    pub body: String,
    pub error: Option<String>,
}

pub struct ReportRow {
    pub id: i64,
    pub version: i64,
    pub lang: &'static str,
    pub issued_on: String,
    pub issued_at: String,
    pub sha256: String,
    pub size: i64,
    pub signer: String,
}

#[derive(Template)]
#[template(path = "dash/period.html", config = "src/web/pages/askama.toml")]
struct PeriodPage {
    f: Frame,
    code: String,
    label: String,
    dates: String,
    locked: bool,
    lock_info: Option<String>,
    unlock_info: Option<String>,
    can_lock: bool,
    can_issue: bool,
    error: Option<String>,
    unlock_reason: String,
    unlock_error: Option<String>,
    sections: Vec<Section>,
    issue_lang: String,
    issue_on: String,
    issue_number: String,
    issue_date_error: Option<String>,
    issue_number_error: Option<String>,
    signer_authority: String,
    signer_title: String,
    signer_name: String,
    signer_error: Option<String>,
    recipients: String,
    recipients_error: Option<String>,
    allow_empty: bool,
    sections_error: Option<String>,
    reports: Vec<ReportRow>,
}

fn dates(from: chrono::NaiveDate, to: chrono::NaiveDate, lang: Lang) -> String {
    format!("{} – {}", fmt::date(from, lang), fmt::date(to, lang))
}

#[rocket::get("/periods?<code>")]
pub async fn list(
    ctx: &State<Ctx>,
    v: Viewer,
    code: Option<&str>,
    flash: Option<FlashMessage<'_>>,
) -> Result<std::result::Result<Page, Redirect>> {
    let lang = v.lang;
    let mut code_error = None;
    if let Some(c) = code.map(str::trim).filter(|c| !c.is_empty()) {
        match parse_period(ctx, c) {
            Ok(p) => return Ok(Err(Redirect::to(format!("/periods/{}", p.code())))),
            Err(e) => code_error = Some(field_message(lang, &e)),
        }
    }
    let list = periods::list_periods(ctx, &v.actor).await?;
    let page = ListPage {
        f: Frame::new(&v, "/periods", "dash.periods.title", flash),
        periods: list
            .into_iter()
            .rev()
            .map(|s| PeriodRow {
                dates: dates(s.starts_on, s.ends_on, lang),
                code: s.period,
                locked: s.locked,
                reports: s.reports.len(),
            })
            .collect(),
        code: code.unwrap_or_default().to_string(),
        code_error,
    };
    let status = if page.code_error.is_some() {
        Status::UnprocessableEntity
    } else {
        Status::Ok
    };
    Ok(Ok(Page::with_status(status, &page)?))
}

async fn page(
    ctx: &Ctx,
    v: &Viewer,
    p: &Period,
    flash: Option<FlashMessage<'_>>,
) -> Result<PeriodPage> {
    let lang = v.lang;
    let code = p.code();
    let status = periods::list_periods(ctx, &v.actor)
        .await?
        .into_iter()
        .find(|s| s.starts_on == p.from && s.ends_on == p.to);
    let lock = status.as_ref().and_then(|s| s.lock.clone());
    let locked = status.as_ref().is_some_and(|s| s.locked);
    let texts = dash_views::report_texts(ctx, &v.actor, p).await?;
    let issued = queries::list_issued_reports(ctx, &v.actor, Some(&code)).await?;
    Ok(PeriodPage {
        f: Frame::new(v, "/periods", "dash.period.title", flash),
        label: p.label(lang),
        dates: dates(p.from, p.to, lang),
        locked,
        lock_info: lock
            .as_ref()
            .filter(|_| locked)
            .map(|l| fmt::time(l.locked_at, lang)),
        unlock_info: lock.as_ref().and_then(|l| {
            l.unlocked_at.map(|at| {
                format!(
                    "{} — {}",
                    fmt::time(at, lang),
                    l.unlock_reason.clone().unwrap_or_default()
                )
            })
        }),
        can_lock: may(v.role(), Permission::LockPeriods),
        can_issue: may(v.role(), Permission::IssueReports),
        error: None,
        unlock_reason: String::new(),
        unlock_error: None,
        sections: texts
            .into_iter()
            .map(|(l, key, body)| Section {
                lang: l.code(),
                key,
                title: format!(
                    "{} ({})",
                    t(lang, &format!("dash.sec.{key}")),
                    t(lang, &format!("dash.lang.{}", l.code()))
                ),
                body,
                error: None,
            })
            .collect(),
        issue_lang: lang.code().to_string(),
        issue_on: today_in_vietnam().format("%Y-%m-%d").to_string(),
        issue_number: String::new(),
        issue_date_error: None,
        issue_number_error: None,
        signer_authority: String::new(),
        signer_title: String::new(),
        signer_name: String::new(),
        signer_error: None,
        recipients: String::new(),
        recipients_error: None,
        allow_empty: false,
        sections_error: None,
        reports: issued
            .into_iter()
            .rev()
            .map(|r| ReportRow {
                id: r.id,
                version: r.version,
                lang: r.lang.code(),
                issued_on: fmt::date(r.issued_on, lang),
                issued_at: fmt::time(r.issued_at, lang),
                sha256: r.sha256,
                size: r.byte_size,
                signer: r.signer_name.unwrap_or_default(),
            })
            .collect(),
        code,
    }
    .prefilled(&ctx.config.signing, lang))
}

impl PeriodPage {
    /// The signer and recipients fields as configured for the report's language.
    fn prefilled(mut self, c: &crate::config::Signing, lang: Lang) -> PeriodPage {
        let (authority, title, recipients) = match lang {
            Lang::Vi => (&c.authority_vi, &c.title_vi, &c.recipients_vi),
            Lang::En => (&c.authority_en, &c.title_en, &c.recipients_en),
        };
        self.signer_authority.clone_from(authority);
        self.signer_title.clone_from(title);
        self.signer_name.clone_from(&c.name);
        self.recipients = recipients.join("\n");
        self
    }
}

#[rocket::get("/periods/<code>", rank = 2)]
pub async fn show(
    ctx: &State<Ctx>,
    v: Viewer,
    code: &str,
    flash: Option<FlashMessage<'_>>,
) -> Result<Page> {
    let p = parse_period(ctx, code).map_err(|_| Error::NotFound(format!("period {code}")))?;
    Page::render(&page(ctx, &v, &p, flash).await?)
}

type Outcome = Result<std::result::Result<Flash<Redirect>, Page>>;

fn back(p: &Period, lang: Lang, key: &str) -> Flash<Redirect> {
    Flash::success(Redirect::to(format!("/periods/{}", p.code())), t(lang, key))
}

/// The period's page again with a refusal: `place` puts a field's error by its field;
/// anything else is said at the top. Errors that are not refusals go to the error page.
async fn refused(
    ctx: &Ctx,
    v: &Viewer,
    p: &Period,
    e: Error,
    place: impl FnOnce(&mut PeriodPage, Option<&str>, String) -> bool,
) -> Outcome {
    let status = match &e {
        Error::Invalid { .. } => Status::UnprocessableEntity,
        Error::Conflict { .. } => Status::Conflict,
        _ => return Err(e),
    };
    let mut page = page(ctx, v, p, None).await?;
    let message = field_message(v.lang, &e);
    let field = match &e {
        Error::Invalid { field, .. } => field.clone(),
        _ => None,
    };
    if !place(&mut page, field.as_deref(), message.clone()) {
        page.error = Some(match &e {
            // The blocking transactions are named in the action's message.
            Error::Conflict {
                code: "missing_rates",
                message: detail,
            } => format!("{message} {detail}"),
            _ => message,
        });
    }
    Ok(Err(Page::with_status(status, &page)?))
}

#[rocket::post("/periods/<code>/lock", data = "<_form>")]
pub async fn lock(ctx: &State<Ctx>, v: Viewer, code: &str, _form: Posted<Empty>) -> Outcome {
    let p = parse_period(ctx, code)?;
    match periods::lock_period(ctx, &v.actor, &p).await {
        Ok(_) => Ok(Ok(back(&p, v.lang, "dash.period.locked_done"))),
        Err(e) => refused(ctx, &v, &p, e, |_, _, _| false).await,
    }
}

#[derive(rocket::FromForm)]
pub struct UnlockForm {
    reason: String,
}

#[rocket::post("/periods/<code>/unlock", data = "<form>")]
pub async fn unlock(ctx: &State<Ctx>, v: Viewer, code: &str, form: Posted<UnlockForm>) -> Outcome {
    let p = parse_period(ctx, code)?;
    let reason = form.value.reason;
    match periods::unlock_period(ctx, &v.actor, &p, &reason).await {
        Ok(_) => Ok(Ok(back(&p, v.lang, "dash.period.unlocked_done"))),
        Err(e) => {
            refused(ctx, &v, &p, e, |page, field, m| {
                page.unlock_reason = reason;
                if field == Some("reason") {
                    page.unlock_error = Some(m);
                    return true;
                }
                false
            })
            .await
        }
    }
}

#[derive(rocket::FromForm)]
pub struct TextForm {
    lang: String,
    section: String,
    body: String,
}

#[rocket::post("/periods/<code>/texts", data = "<form>")]
pub async fn save_text(ctx: &State<Ctx>, v: Viewer, code: &str, form: Posted<TextForm>) -> Outcome {
    let p = parse_period(ctx, code)?;
    let TextForm {
        lang,
        section,
        body,
    } = form.value;
    let text_lang: Lang = lang
        .parse()
        .map_err(|m: String| Error::invalid("lang", "invalid_lang", m))?;
    match reports::save_report_text(ctx, &v.actor, &p, text_lang, &section, &body).await {
        Ok(()) => Ok(Ok(back(&p, v.lang, "dash.period.text_saved"))),
        Err(e) => {
            refused(ctx, &v, &p, e, |page, _, m| {
                let hit = page
                    .sections
                    .iter_mut()
                    .find(|s| s.lang == text_lang.code() && s.key == section);
                match hit {
                    Some(s) => {
                        s.body = body;
                        s.error = Some(m);
                        true
                    }
                    None => false,
                }
            })
            .await
        }
    }
}
