//! `GET /exports/transactions.csv?period=P&organisation=ID`: the full transaction export (what
//! `aidledger export transactions` writes) as a download, streamed: the action writes the CSV
//! in chunks into a small channel that the response drains, so neither side holds the file.
//! Who may export which rows is the action's decision (NGO staff get their own organisation's
//! rows); it is checked, and the export's snapshot opened, before the first byte, so a refusal
//! is a proper 403 or 404 page and a server busy with other exports a 503 page.

use crate::actions::Ctx;
use crate::actions::export::{TransactionSelection, open_transaction_stream};
use crate::domain::period::Period;
use crate::error::{Error, Result};
use crate::web::pages::frame::Viewer;
use rocket::futures::stream::{BoxStream, StreamExt, unfold};
use rocket::http::{ContentType, Header};
use rocket::response::stream::ByteStream;
use rocket::response::{self, Responder, Response};
use rocket::{Request, State};

/// Chunks in flight between the export and the client: a slow client pauses the export.
const CHANNEL_CHUNKS: usize = 4;

/// A streamed CSV attachment, named from parsed values only (never from request text).
pub struct CsvStream {
    body: ByteStream<BoxStream<'static, Vec<u8>>>,
    name: String,
}

impl<'r> Responder<'r, 'r> for CsvStream {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'r> {
        Response::build_from(self.body.respond_to(req)?)
            .header(ContentType::CSV)
            .header(Header::new(
                "Content-Disposition",
                format!("attachment; filename=\"{}\"", self.name),
            ))
            .header(Header::new("X-Content-Type-Options", "nosniff"))
            .ok()
    }
}

#[must_use]
pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![transactions]
}

pub(crate) fn parse_selection(
    ctx: &Ctx,
    period: Option<&str>,
    organisation: Option<&str>,
) -> Result<TransactionSelection> {
    let period = period
        .filter(|p| !p.trim().is_empty())
        .map(|p| Period::parse(p.trim(), ctx.config.vn_reporting_periods))
        .transpose()
        .map_err(|e| Error::invalid("period", "invalid_period", e.to_string()))?;
    let organisation_id = organisation
        .filter(|o| !o.trim().is_empty())
        .map(|o| {
            o.trim().parse::<i64>().map_err(|_| {
                Error::invalid(
                    "organisation",
                    "invalid_organisation",
                    format!("organisation {o:?} is not an organisation id (a whole number)"),
                )
            })
        })
        .transpose()?;
    Ok(TransactionSelection {
        period,
        organisation_id,
    })
}

#[rocket::get("/exports/transactions.csv?<period>&<organisation>")]
pub async fn transactions(
    ctx: &State<Ctx>,
    v: Viewer,
    period: Option<&str>,
    organisation: Option<&str>,
) -> Result<CsvStream> {
    let sel = parse_selection(ctx, period, organisation)?;
    let export = open_transaction_stream(ctx, &v.actor, sel).await?;
    let name = format!(
        "transactions-{}{}.csv",
        sel.period
            .map_or_else(|| "all".to_string(), |p| p.code().replace("..", "_")),
        sel.organisation_id
            .map(|id| format!("-org{id}"))
            .unwrap_or_default()
    );
    let (sender, receiver) = rocket::tokio::sync::mpsc::channel::<Vec<u8>>(CHANNEL_CHUNKS);
    let actor = v.actor.name;
    rocket::tokio::spawn(async move {
        let put = |chunk: Vec<u8>| {
            let sender = sender.clone();
            async move {
                sender.send(chunk).await.map_err(|_| Error::Unavailable {
                    code: "download_stopped",
                    message: "the client stopped the download".into(),
                })
            }
        };
        // The status line is already sent: a failure can only end the file early, so it is
        // logged for the administrator.
        if let Err(e) = export.write_chunks(put).await {
            rocket::warn!("the transaction export for {actor} stopped: {e}");
        }
    });
    let chunks = unfold(
        receiver,
        |mut r| async move { r.recv().await.map(|c| (c, r)) },
    );
    Ok(CsvStream {
        body: ByteStream::from(chunks.boxed()),
        name,
    })
}
