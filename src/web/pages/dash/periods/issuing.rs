//! The period page's report form: "Xem bản dự thảo" returns the draft PDF (nothing archived,
//! locked or audited) and "Ban hành báo cáo" first runs every check issuing makes, then shows
//! a confirmation step that says what will be issued and that issuing locks the period; only
//! the confirmed post (`confirm=1`) issues. Refusals come back on the period page, by the
//! field they concern, in the viewer's language. No JavaScript is needed.

use super::{PeriodPage, dates, refused, t};
use crate::actions::Ctx;
use crate::actions::dash_views;
use crate::actions::reports::{self, IssueCmd, SignerInput};
use crate::domain::Lang;
use crate::domain::period::Period;
use crate::error::{Error, Result};
use crate::web::api::parse;
use crate::web::pages::dash::downloads::{Download, download};
use crate::web::pages::dash::parse_period;
use crate::web::pages::forms::{date_text, parse_date};
use crate::web::pages::frame::{Frame, Page, Posted, Viewer};
use askama::Template;
use rocket::State;
use rocket::http::{ContentType, Status};
use rocket::response::{Flash, Redirect};

#[derive(rocket::FromForm)]
pub struct IssueForm {
    lang: String,
    issued_on: String,
    number: String,
    /// The signer fields and recipients (one per line); a field left out of the form keeps
    /// the configuration, a field sent empty is empty.
    signer_authority: Option<String>,
    signer_title: Option<String>,
    signer_name: Option<String>,
    recipients: Option<String>,
    allow_empty_sections: bool,
    /// `1` on the confirmation step's button: issue now.
    confirm: Option<String>,
    /// `1` on the confirmation step's "change" button: back to the form, as typed.
    edit: Option<String>,
}

/// The confirmation step: what will be issued, and that issuing locks the period.
#[derive(Template)]
#[template(path = "dash/period_issue.html", config = "src/web/pages/askama.toml")]
struct ConfirmPage {
    f: Frame,
    code: String,
    label: String,
    dates: String,
    lang_name: &'static str,
    issued_on: String,
    number: String,
    signer: Vec<String>,
    recipients: Vec<String>,
    /// The titles of sections IV-VI that are empty and will print "Không có nội dung".
    empty: Vec<String>,
    /// Every field of the form, carried to the confirmed post.
    hidden: Vec<(&'static str, String)>,
}

/// The command the form asks for. An issued report needs its number; a draft may leave it
/// blank, and then prints the clerk's blank ("Số:      /BC-SNgV"), as the command line does.
fn command(p: Period, f: &IssueForm, draft: bool) -> Result<IssueCmd> {
    let issued_on = parse_date(&f.issued_on).ok_or_else(|| {
        Error::invalid(
            "issued_on",
            "invalid_date",
            "issued_on must be a date written dd/mm/yyyy or yyyy-mm-dd",
        )
    })?;
    Ok(IssueCmd {
        signer: SignerInput {
            authority: f.signer_authority.clone(),
            title: f.signer_title.clone(),
            name: f.signer_name.clone(),
        },
        recipients: f.recipients.as_ref().map(|r| vec![r.clone()]),
        allow_empty_sections: f.allow_empty_sections,
        ..IssueCmd::new(
            p,
            parse::lang("lang", Some(f.lang.as_str()))?,
            parse::reportable_date("issued_on", issued_on)?,
            if draft && f.number.trim().is_empty() {
                String::new()
            } else {
                parse::text("number", &f.number, 50)?
            },
        )
    })
}

/// Puts what was typed back in the form, and a refusal by its field; false when the refusal
/// concerns no field of the form.
fn place(page: &mut PeriodPage, f: IssueForm, code: &str, field: Option<&str>, m: String) -> bool {
    let lang = f.lang.clone();
    page.issue_lang = f.lang;
    page.issue_on = parse_date(&f.issued_on).map_or(f.issued_on, date_text);
    page.issue_number = f.number;
    if let Some(v) = f.signer_authority {
        page.signer_authority = v;
    }
    if let Some(v) = f.signer_title {
        page.signer_title = v;
    }
    if let Some(v) = f.signer_name {
        page.signer_name = v;
    }
    if let Some(v) = f.recipients {
        page.recipients = v;
    }
    page.allow_empty = f.allow_empty_sections;
    match field {
        Some("issued_on") => page.issue_date_error = Some(m),
        Some("number") => page.issue_number_error = Some(m),
        Some("signer_name" | "signer_title" | "signer_authority") => page.signer_error = Some(m),
        Some("recipients") => page.recipients_error = Some(m),
        Some("allow_empty_sections") if code == "empty_sections" => {
            // Name the empty sections by the titles the page shows them under.
            let empty: Vec<&str> = page
                .sections
                .iter()
                .filter(|s| s.lang == lang && s.body.trim().is_empty())
                .map(|s| s.title.as_str())
                .collect();
            page.sections_error = Some(format!("{m} {}", empty.join("; ")));
        }
        // Back from the confirmation step: the form as typed, with no message.
        Some("") => {}
        _ => return false,
    }
    true
}

async fn refuse(ctx: &Ctx, v: &Viewer, p: &Period, e: Error, f: IssueForm) -> super::Outcome {
    let code = match &e {
        Error::Invalid { code, .. } | Error::Conflict { code, .. } => *code,
        _ => "",
    };
    refused(ctx, v, p, e, |page, field, m| {
        place(page, f, code, field, m)
    })
    .await
}

/// The period page with the form as typed (the confirmation step's "change" button).
async fn again(ctx: &Ctx, v: &Viewer, p: &Period, f: IssueForm) -> super::Outcome {
    let lang: Lang = f.lang.parse().unwrap_or(v.lang);
    let mut page = super::page(ctx, v, p, None, lang).await?;
    place(&mut page, f, "", Some(""), String::new());
    Ok(Err(Page::render(&page)?))
}

/// The lines of a text area, trimmed, without the empty ones.
fn lines(s: Option<&str>) -> Vec<String> {
    s.unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

async fn confirm_page(
    ctx: &Ctx,
    v: &Viewer,
    p: &Period,
    cmd: &IssueCmd,
    f: IssueForm,
) -> Result<ConfirmPage> {
    let lang = v.lang;
    let empty = dash_views::report_texts(ctx, &v.actor, p)
        .await?
        .into_iter()
        .filter(|(l, _, body)| *l == cmd.lang && body.trim().is_empty())
        .map(|(_, key, _)| t(lang, &format!("dash.sec.{key}")).to_string())
        .collect();
    let signer = [&f.signer_authority, &f.signer_title, &f.signer_name]
        .into_iter()
        .filter_map(|l| l.as_deref().map(str::trim))
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let mut hidden = vec![
        ("lang", f.lang),
        ("issued_on", date_text(cmd.issued_on)),
        ("number", f.number.clone()),
    ];
    for (name, value) in [
        ("signer_authority", &f.signer_authority),
        ("signer_title", &f.signer_title),
        ("signer_name", &f.signer_name),
        ("recipients", &f.recipients),
    ] {
        if let Some(v) = value {
            hidden.push((name, v.clone()));
        }
    }
    if f.allow_empty_sections {
        hidden.push(("allow_empty_sections", "true".into()));
    }
    Ok(ConfirmPage {
        f: Frame::new(v, "/periods", "periods.confirm.title", None),
        code: p.code(),
        label: p.label(lang),
        dates: dates(p.from, p.to, lang),
        lang_name: t(lang, &format!("dash.lang.{}", cmd.lang.code())),
        issued_on: crate::web::pages::fmt::date(cmd.issued_on, lang),
        number: f.number,
        signer,
        recipients: lines(f.recipients.as_deref()),
        empty,
        hidden,
    })
}

#[rocket::post("/periods/<code>/reports", data = "<form>")]
pub async fn issue(
    ctx: &State<Ctx>,
    v: Viewer,
    code: &str,
    form: Posted<IssueForm>,
) -> super::Outcome {
    let p = parse_period(ctx, code)?;
    let f = form.value;
    if f.edit.as_deref() == Some("1") {
        return again(ctx, &v, &p, f).await;
    }
    let cmd = match command(p, &f, false) {
        Ok(cmd) => cmd,
        Err(e) => return refuse(ctx, &v, &p, e, f).await,
    };
    if f.confirm.as_deref() != Some("1") {
        // The first press: check everything, then ask.
        return match reports::check_issue(ctx, &v.actor, &cmd).await {
            Ok(()) => {
                let page = confirm_page(ctx, &v, &p, &cmd, f).await?;
                Ok(Err(Page::with_status(Status::Ok, &page)?))
            }
            Err(e) => refuse(ctx, &v, &p, e, f).await,
        };
    }
    match reports::issue_report(ctx, &v.actor, &cmd).await {
        Ok((issued, _pdf)) => Ok(Ok(Flash::success(
            Redirect::to(format!("/periods/{}#reports", p.code())),
            format!(
                "{} {}. {}",
                t(v.lang, "dash.period.issued_done"),
                issued.version,
                t(v.lang, "dash.period.issued_locked")
            ),
        ))),
        Err(e) => refuse(ctx, &v, &p, e, f).await,
    }
}

#[rocket::post("/periods/<code>/draft", data = "<form>")]
pub async fn draft(
    ctx: &State<Ctx>,
    v: Viewer,
    code: &str,
    form: Posted<IssueForm>,
) -> Result<std::result::Result<Download, Page>> {
    let p = parse_period(ctx, code)?;
    let f = form.value;
    let result = match command(p, &f, true) {
        Ok(cmd) => reports::draft_report(ctx, &v.actor, &cmd)
            .await
            .map(|pdf| (pdf, cmd.lang)),
        Err(e) => Err(e),
    };
    match result {
        Ok((pdf, lang)) => {
            let name = format!(
                "draft-report-{}-{}.pdf",
                p.code().replace("..", "_"),
                lang.code()
            );
            Ok(Ok(download(pdf, ContentType::PDF, &name)))
        }
        Err(e) => match refuse(ctx, &v, &p, e, f).await? {
            Err(page) => Ok(Err(page)),
            // A refusal always renders the page; a redirect cannot come back from it.
            Ok(_) => Err(Error::Internal("a refused draft redirected".into())),
        },
    }
}
