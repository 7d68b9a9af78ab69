//! Downloads of a period: an issued report's archived PDF, byte for byte, and the XLSX
//! export of the period's rollup tables (what `aidledger export` writes). File names are
//! built from stored codes only, never from request text.

use super::parse_period;
use crate::actions::{Ctx, dash_views, queries};
use crate::error::{Error, Result};
use crate::web::pages::frame::Viewer;
use rocket::State;
use rocket::http::{ContentType, Header};

/// A file to download, named from stored codes only (never from request text).
#[derive(rocket::Responder)]
pub struct Download {
    body: Vec<u8>,
    content_type: ContentType,
    disposition: Header<'static>,
}

pub(super) fn download(body: Vec<u8>, content_type: ContentType, name: &str) -> Download {
    Download {
        body,
        content_type,
        disposition: Header::new(
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ),
    }
}

#[rocket::get("/periods/<code>/reports/<file>")]
pub async fn pdf(ctx: &State<Ctx>, v: Viewer, code: &str, file: &str) -> Result<Download> {
    let missing = || Error::NotFound(format!("report {file}"));
    let id: i64 = file
        .strip_suffix(".pdf")
        .and_then(|s| s.parse().ok())
        .ok_or_else(missing)?;
    let p = parse_period(ctx, code).map_err(|_| missing())?;
    let (issued, body) = queries::get_issued_pdf(ctx, &v.actor, id).await?;
    if issued.period != p.code() {
        return Err(missing());
    }
    let name = format!(
        "aid-report-{}-{}-v{}.pdf",
        issued.period.replace("..", "_"),
        issued.lang.code(),
        issued.version
    );
    Ok(download(body, ContentType::PDF, &name))
}

#[rocket::get("/periods/<code>/export.xlsx?<lang>")]
pub async fn xlsx(ctx: &State<Ctx>, v: Viewer, code: &str, lang: Option<&str>) -> Result<Download> {
    let p = parse_period(ctx, code).map_err(|_| Error::NotFound(format!("period {code}")))?;
    let lang = match lang {
        Some(l) => crate::web::api::parse::lang("lang", Some(l))?,
        None => v.lang,
    };
    let body = dash_views::period_workbook(ctx, &v.actor, &p, lang).await?;
    let name = format!(
        "rollup-{}-{}.xlsx",
        p.code().replace("..", "_"),
        lang.code()
    );
    let xlsx = ContentType::new(
        "application",
        "vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    Ok(download(body, xlsx, &name))
}
