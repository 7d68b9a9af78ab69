//! The period page's report form: "Xem bản dự thảo" returns the draft PDF (nothing archived,
//! locked or audited) and "Ban hành báo cáo" issues it, both with the signer, recipients and
//! the empty-sections confirmation the form carries. Refusals come back on the page, by the
//! field they concern, in the viewer's language.

use super::{PeriodPage, refused, t};
use crate::actions::Ctx;
use crate::actions::reports::{self, IssueCmd, SignerInput};
use crate::domain::period::Period;
use crate::error::{Error, Result};
use crate::web::api::parse;
use crate::web::pages::dash::downloads::{Download, download};
use crate::web::pages::dash::parse_period;
use crate::web::pages::frame::{Page, Posted, Viewer};
use rocket::State;
use rocket::http::ContentType;
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
}

fn command(p: Period, f: &IssueForm) -> Result<IssueCmd> {
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
            parse::date("issued_on", f.issued_on.trim())?,
            parse::text("number", &f.number, 50)?,
        )
    })
}

/// Puts a refusal of the report form by its field, keeping what was typed; false when the
/// refusal concerns no field of the form.
fn place(page: &mut PeriodPage, f: IssueForm, code: &str, field: Option<&str>, m: String) -> bool {
    let lang = f.lang.clone();
    page.issue_lang = f.lang;
    page.issue_on = f.issued_on;
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

#[rocket::post("/periods/<code>/reports", data = "<form>")]
pub async fn issue(
    ctx: &State<Ctx>,
    v: Viewer,
    code: &str,
    form: Posted<IssueForm>,
) -> super::Outcome {
    let p = parse_period(ctx, code)?;
    let f = form.value;
    let result = match command(p, &f) {
        Ok(cmd) => reports::issue_report(ctx, &v.actor, &cmd).await,
        Err(e) => Err(e),
    };
    match result {
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
    let result = match command(p, &f) {
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
