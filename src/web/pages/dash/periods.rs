//! Reporting periods: the list to pick one from (see `list`), and one period's page with its
//! lock (taken by a reviewer, lifted with a reason that stays on record), the report's
//! free-text sections IV-VI in both languages in one form with one save, the form that
//! previews a draft of the report or issues it after a confirmation step (see `issuing`), the
//! XLSX export of its tables (see `downloads`) and the history of issued reports with
//! version, signer and SHA-256.

use super::{field_message, may, parse_period, t};
use crate::actions::reports::FREE_TEXT_SECTIONS;
use crate::actions::{Ctx, dash_views, periods, queries, reports, today_in_vietnam};
use crate::domain::Lang;
use crate::domain::period::Period;
use crate::domain::role::Permission;
use crate::error::{Error, Result};
use crate::web::pages::fmt;
use crate::web::pages::forms::date_text;
use crate::web::pages::frame::{Frame, Page, Posted, Viewer};
use crate::web::pages::session::Empty;
use askama::Template;
use rocket::State;
use rocket::http::Status;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};
use std::collections::HashMap;

mod issuing;
mod listing;
pub use issuing::{draft, issue};
pub use listing::list;

pub struct Section {
    pub lang: &'static str,
    /// The language's name, heading its group of sections.
    pub lang_name: &'static str,
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
    /// The language of the report the issue form prepares (`?report=en`): its signer and
    /// recipients are that language's.
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

async fn page(
    ctx: &Ctx,
    v: &Viewer,
    p: &Period,
    flash: Option<FlashMessage<'_>>,
    report_lang: Lang,
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
    // The signer and recipients of the newest report issued in the report's language, for
    // any period: what the province used last is what it most likely uses again.
    let last = queries::list_issued_reports(ctx, &v.actor, None)
        .await?
        .into_iter()
        .filter(|r| r.lang == report_lang)
        .max_by_key(|r| r.issued_at);
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
                lang_name: t(lang, &format!("dash.lang.{}", l.code())),
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
        issue_lang: report_lang.code().to_string(),
        issue_on: date_text(today_in_vietnam()),
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
    .prefilled(&ctx.config.signing, report_lang, last.as_ref()))
}

impl PeriodPage {
    /// The signer and recipients fields for a report in `lang`: those of the last report
    /// issued in that language when it printed a full signature block (authority and
    /// title), else the configuration of that language.
    fn prefilled(
        mut self,
        c: &crate::config::Signing,
        lang: Lang,
        last: Option<&crate::db::reports::IssuedReport>,
    ) -> PeriodPage {
        let (authority, title, recipients) = match lang {
            Lang::Vi => (&c.authority_vi, &c.title_vi, &c.recipients_vi),
            Lang::En => (&c.authority_en, &c.title_en, &c.recipients_en),
        };
        self.signer_authority.clone_from(authority);
        self.signer_title.clone_from(title);
        self.signer_name.clone_from(&c.name);
        self.recipients = recipients.join("\n");
        let Some(r) = last else { return self };
        let lines: Vec<&str> = r.signer_lines.as_deref().unwrap_or("").lines().collect();
        if let ([authority, title], Some(name), Some(recipients)) =
            (lines.as_slice(), &r.signer_name, &r.recipients)
        {
            self.signer_authority = (*authority).to_string();
            self.signer_title = (*title).to_string();
            self.signer_name.clone_from(name);
            self.recipients.clone_from(recipients);
        }
        self
    }
}

/// The report language asked for by `?report=`, else the page's.
fn report_lang(asked: Option<&str>, page: Lang) -> Lang {
    asked.and_then(|l| l.parse().ok()).unwrap_or(page)
}

#[rocket::get("/periods/<code>?<report>", rank = 2)]
pub async fn show(
    ctx: &State<Ctx>,
    v: Viewer,
    code: &str,
    report: Option<&str>,
    flash: Option<FlashMessage<'_>>,
) -> Result<Page> {
    let p = parse_period(ctx, code).map_err(|_| Error::NotFound(format!("period {code}")))?;
    let lang = report_lang(report, v.lang);
    Page::render(&page(ctx, &v, &p, flash, lang).await?)
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
    let mut page = page(ctx, v, p, None, v.lang).await?;
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

/// The form field of a section's text: `text_vi_assessment`.
fn text_field(lang: Lang, section: &str) -> String {
    format!("text_{}_{section}", lang.code())
}

/// Saves every section IV-VI the form holds, in both languages, at once: all or none.
#[rocket::post("/periods/<code>/texts", data = "<form>")]
pub async fn save_text(
    ctx: &State<Ctx>,
    v: Viewer,
    code: &str,
    form: Posted<HashMap<String, String>>,
) -> Outcome {
    let p = parse_period(ctx, code)?;
    let values = form.value;
    let mut texts = Vec::new();
    for lang in [Lang::Vi, Lang::En] {
        for section in FREE_TEXT_SECTIONS {
            if let Some(body) = values.get(&text_field(lang, section)) {
                texts.push((lang, section, body.as_str()));
            }
        }
    }
    match reports::save_report_texts(ctx, &v.actor, &p, &texts, text_field).await {
        Ok(_) => Ok(Ok(back(&p, v.lang, "dash.period.text_saved"))),
        Err(e) => {
            refused(ctx, &v, &p, e, |page, field, m| {
                // Everything typed comes back, the refused section with its message.
                for s in &mut page.sections {
                    let name = format!("text_{}_{}", s.lang, s.key);
                    if let Some(body) = values.get(&name) {
                        s.body.clone_from(body);
                    }
                    if field == Some(name.as_str()) {
                        s.error = Some(m.clone());
                    }
                }
                page.sections.iter().any(|s| s.error.is_some())
            })
            .await
        }
    }
}
