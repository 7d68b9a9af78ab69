//! `/exports`: the page that links every export for a chosen period and organisation, and the
//! downloads it links besides the transaction CSV: the templates as one XLSX workbook, each
//! template as its own CSV (what an import takes back), and the items as IATI 2.03 activity
//! XML. What a download holds is the actions' decision (NGO staff get their own
//! organisation's records whatever they ask for).

use super::exports::parse_selection;
use super::frame::{Frame, Page, Viewer};
use crate::actions::iati_export::{IatiSelection, export_iati};
use crate::actions::sheets::export_tables;
use crate::actions::{Ctx, queries};
use crate::domain::Lang;
use crate::error::{Error, Result};
use crate::interchange::RecordType;
use crate::interchange::rows::Selection;
use crate::interchange::write::{csv_name, write_csv, write_xlsx};
use askama::Template;
use rocket::State;
use rocket::http::{ContentType, Header};
use rocket::request::{FlashMessage, Request};
use rocket::response::{self, Responder, Response};
use std::io::Cursor;

#[must_use]
pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![page, workbook, template_csv, iati]
}

/// A file made whole in memory, sent as an attachment named from parsed values only.
pub struct FileAttachment {
    bytes: Vec<u8>,
    content_type: ContentType,
    name: String,
}

impl<'r> Responder<'r, 'static> for FileAttachment {
    fn respond_to(self, _req: &'r Request<'_>) -> response::Result<'static> {
        Response::build()
            .header(self.content_type)
            .header(Header::new(
                "Content-Disposition",
                format!("attachment; filename=\"{}\"", self.name),
            ))
            .header(Header::new("X-Content-Type-Options", "nosniff"))
            .sized_body(self.bytes.len(), Cursor::new(self.bytes))
            .ok()
    }
}

struct OrgOption {
    id: i64,
    name: String,
    chosen: bool,
}

struct Link {
    href: String,
    label: String,
    id: String,
}

#[derive(Template)]
#[template(path = "imports/exports.html", config = "src/web/pages/askama.toml")]
struct ExportsPage {
    f: Frame,
    period: String,
    orgs: Vec<OrgOption>,
    links: Vec<Link>,
}

/// `?period=P&organisation=ID`, as the links carry them on.
fn query(period: Option<&str>, organisation: Option<i64>) -> String {
    let mut parts = Vec::new();
    if let Some(p) = period.filter(|p| !p.trim().is_empty()) {
        let safe: String = p
            .trim()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
            .collect();
        parts.push(format!("period={safe}"));
    }
    if let Some(o) = organisation {
        parts.push(format!("organisation={o}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

#[rocket::get("/exports?<period>&<organisation>")]
pub async fn page(
    ctx: &State<Ctx>,
    v: Viewer,
    period: Option<&str>,
    organisation: Option<&str>,
    flash: Option<FlashMessage<'_>>,
) -> Result<Page> {
    let lang = v.lang;
    let sel = parse_selection(ctx, period, organisation)?;
    let orgs = queries::list_organisations(ctx, &v.actor, None, None).await?;
    let q = query(period, sel.organisation_id);
    let t = |k: &str| super::i18n::text(lang, k).to_string();
    let mut links = vec![
        Link {
            href: format!("/exports/transactions.csv{q}"),
            label: t("exports.transactions"),
            id: "export-transactions".into(),
        },
        Link {
            href: format!("/exports/records.xlsx{q}"),
            label: t("exports.workbook"),
            id: "export-workbook".into(),
        },
    ];
    for r in RecordType::ALL {
        links.push(Link {
            href: format!("/exports/templates/{}{q}", csv_name(r)),
            label: format!("{} ({})", t("exports.template_csv"), r.sheet_name(lang)),
            id: format!("export-{}", r.key()),
        });
    }
    links.push(Link {
        href: format!("/exports/activities.xml{q}"),
        label: t("exports.iati"),
        id: "export-iati".into(),
    });
    Page::render(&ExportsPage {
        f: Frame::new(&v, "/exports", "exports.title", flash),
        period: period.unwrap_or_default().trim().to_string(),
        orgs: orgs
            .into_iter()
            .map(|o| OrgOption {
                chosen: sel.organisation_id == Some(o.id),
                id: o.id,
                name: match lang {
                    Lang::Vi => o.name_vi,
                    Lang::En => o.name_en,
                },
            })
            .collect(),
        links,
    })
}

/// The templates' selection from the page's query.
fn sheet_selection(
    ctx: &Ctx,
    period: Option<&str>,
    organisation: Option<&str>,
    record: Option<RecordType>,
) -> Result<(Selection, String)> {
    let sel = parse_selection(ctx, period, organisation)?;
    let stem = format!(
        "{}{}",
        sel.period
            .map_or_else(|| "all".to_string(), |p| p.code().replace("..", "_")),
        sel.organisation_id
            .map(|id| format!("-org{id}"))
            .unwrap_or_default()
    );
    Ok((
        Selection {
            organisation: sel.organisation_id,
            period: sel.period.map(|p| (p.from, p.to)),
            record,
        },
        stem,
    ))
}

#[rocket::get("/exports/records.xlsx?<period>&<organisation>")]
pub async fn workbook(
    ctx: &State<Ctx>,
    v: Viewer,
    period: Option<&str>,
    organisation: Option<&str>,
) -> Result<FileAttachment> {
    let (sel, stem) = sheet_selection(ctx, period, organisation, None)?;
    let tables = export_tables(ctx, &v.actor, sel).await?;
    Ok(FileAttachment {
        bytes: write_xlsx(&tables, v.lang)?,
        content_type: ContentType::new(
            "application",
            "vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        name: format!("aidledger-{stem}.xlsx"),
    })
}

#[rocket::get("/exports/templates/<file>?<period>&<organisation>")]
pub async fn template_csv(
    ctx: &State<Ctx>,
    v: Viewer,
    file: &str,
    period: Option<&str>,
    organisation: Option<&str>,
) -> Result<FileAttachment> {
    let record = RecordType::ALL
        .into_iter()
        .find(|r| csv_name(*r) == file)
        .ok_or_else(|| Error::NotFound(format!("export template {file}")))?;
    let (sel, stem) = sheet_selection(ctx, period, organisation, Some(record))?;
    let tables = export_tables(ctx, &v.actor, sel).await?;
    let mut bytes = Vec::new();
    for t in tables.iter().filter(|t| t.record == record) {
        write_csv(&mut bytes, t, v.lang)?;
    }
    Ok(FileAttachment {
        bytes,
        content_type: ContentType::CSV,
        name: format!("{}-{stem}.csv", record.key()),
    })
}

#[rocket::get("/exports/activities.xml?<period>&<organisation>")]
pub async fn iati(
    ctx: &State<Ctx>,
    v: Viewer,
    period: Option<&str>,
    organisation: Option<&str>,
) -> Result<FileAttachment> {
    let sel = parse_selection(ctx, period, organisation)?;
    let iati_sel = IatiSelection {
        period: sel.period,
        organisation_id: sel.organisation_id,
    };
    let (bytes, _) = export_iati(ctx, &v.actor, &iati_sel, Vec::new()).await?;
    Ok(FileAttachment {
        bytes,
        content_type: ContentType::XML,
        name: "aidledger-activities.xml".into(),
    })
}
