//! The full transaction export as CSV: one header line of English snake_case names, then one
//! line per commitment, disbursement or pledge, written as each row arrives from the database
//! so memory stays flat whatever the row count. The file starts with a UTF-8 byte order mark.
//!
//! Amounts are canonical decimals with the currency's own number of decimals (`1234.50` USD,
//! `1500000` VND), so a spreadsheet reads them as numbers and summing them is exact. Text that
//! people typed (codes, titles, names, reasons) goes through [`cell::guard`] so it can never
//! run as a formula. Headers are English only: a second, Vietnamese header line would be read
//! as a data row by every CSV tool, and the names double as stable keys for the importer.

use super::{UTF8_BOM, write_error};
use crate::db::export::ExportRow;
use crate::domain::cell;
use crate::domain::{Currency, Money};
use crate::error::Result;
use chrono::SecondsFormat;
use rocket::futures::{Stream, TryStreamExt};
use std::future::Future;
use std::io::Write;

/// The header line, in the order every row is written.
pub const HEADERS: [&str; 19] = [
    "kind",
    "id",
    "item_code",
    "item_title_vi",
    "donor_id",
    "donor",
    "date",
    "amount",
    "currency",
    "amount_vnd",
    "amount_usd",
    "rate_id",
    "status",
    "reverses_id",
    "unconverted_reason",
    "entered_by",
    "verified_by",
    "audit_id",
    "created_at",
];

/// What was written: the row count and, per kind and currency (in that order), the rows and
/// their exact sum, so the caller can report totals without reading the file back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub rows: u64,
    pub totals: Vec<Total>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Total {
    pub kind: String,
    pub currency: Currency,
    pub rows: u64,
    pub amount_minor: i128,
}

impl Summary {
    /// Adds one row; the list stays as small as kinds × currencies, whatever the row count.
    fn add(&mut self, r: &ExportRow) {
        self.rows += 1;
        let i = match self
            .totals
            .iter()
            .position(|t| t.kind == r.kind && t.currency == r.currency)
        {
            Some(i) => i,
            None => {
                self.totals.push(Total {
                    kind: r.kind.clone(),
                    currency: r.currency,
                    rows: 0,
                    amount_minor: 0,
                });
                self.totals.len() - 1
            }
        };
        let t = &mut self.totals[i];
        t.rows += 1;
        t.amount_minor += i128::from(r.amount_minor);
    }
}

fn text(s: Option<&str>) -> String {
    s.map(|s| cell::guard(s).into_owned()).unwrap_or_default()
}

fn number(n: Option<i64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

fn money(minor: Option<i64>, currency: Currency) -> String {
    minor
        .map(|m| Money::from_minor(m, currency).canonical())
        .unwrap_or_default()
}

/// The cells of one row, in [`HEADERS`] order.
fn record(r: &ExportRow) -> [String; 19] {
    [
        text(Some(&r.kind)),
        r.id.to_string(),
        text(r.item_code.as_deref()),
        text(r.item_title_vi.as_deref()),
        r.donor_id.to_string(),
        text(Some(&r.donor_name_vi)),
        r.date.to_string(),
        money(Some(r.amount_minor), r.currency),
        r.currency.code().to_string(),
        money(r.amount_vnd, Currency::VND),
        money(r.amount_usd_cents, Currency::USD),
        number(r.rate_id),
        text(r.status.as_deref()),
        number(r.reverses_id),
        text(r.unconverted_reason.as_deref()),
        text(r.entered_by.as_deref()),
        text(r.verified_by.as_deref()),
        number(r.audit_id),
        r.created_at.to_rfc3339_opts(SecondsFormat::Micros, true),
    ]
}

/// How many bytes of CSV are handed on at a time: large enough that a channel or a file sees
/// few calls, small enough that memory stays flat.
pub const CHUNK: usize = 64 * 1024;

/// Writes the byte order mark, the header and every row of `rows` as CSV, handing the bytes to
/// `put` in chunks of about [`CHUNK`] bytes as rows arrive (the last one may be shorter). `put`
/// may wait (a full channel to an HTTP client) and so slows the reading to the writing.
pub async fn write_chunks<S, F, Fut>(mut rows: S, mut put: F) -> Result<Summary>
where
    S: Stream<Item = Result<ExportRow>> + Unpin,
    F: FnMut(Vec<u8>) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    let writer = |buf: Vec<u8>| {
        csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(buf)
    };
    let mut start = Vec::with_capacity(CHUNK + 16 * 1024);
    start.extend_from_slice(UTF8_BOM);
    let mut csv = writer(start);
    csv.write_record(HEADERS).map_err(write_error)?;
    let mut summary = Summary::default();
    while let Some(row) = rows.try_next().await? {
        csv.write_record(record(&row)).map_err(write_error)?;
        summary.add(&row);
        // The length seen lags the csv writer's own 8 KiB buffer, so chunks end a little past
        // CHUNK; each chunk gets a fresh writer so no bytes are ever copied twice.
        if csv.get_ref().len() >= CHUNK {
            let full = csv.into_inner().map_err(|e| write_error(e.error()))?;
            put(full).await?;
            csv = writer(Vec::with_capacity(CHUNK + 16 * 1024));
        }
    }
    let last = csv.into_inner().map_err(|e| write_error(e.error()))?;
    if !last.is_empty() {
        put(last).await?;
    }
    summary
        .totals
        .sort_by(|a, b| (&a.kind, a.currency.code()).cmp(&(&b.kind, b.currency.code())));
    Ok(summary)
}

/// [`write_chunks`] into a writer (a buffered file, a `Vec`), which is handed back for the
/// caller to sync or rename.
pub async fn write_csv<S, W>(rows: S, mut out: W) -> Result<(Summary, W)>
where
    S: Stream<Item = Result<ExportRow>> + Unpin,
    W: Write,
{
    let summary = write_chunks(rows, |chunk| {
        let written = out.write_all(&chunk).map_err(write_error);
        std::future::ready(written)
    })
    .await?;
    out.flush().map_err(write_error)?;
    Ok((summary, out))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};

    fn row(kind: &str, minor: i64, currency: Currency, title: &str) -> ExportRow {
        ExportRow {
            kind: kind.into(),
            id: 7,
            item_code: Some("VN-001".into()),
            item_title_vi: Some(title.into()),
            donor_id: 3,
            donor_name_vi: "Tổ chức Cứu trợ".into(),
            date: NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
            amount_minor: minor,
            currency,
            amount_vnd: Some(1_500_000),
            amount_usd_cents: Some(-123_450),
            rate_id: Some(4),
            status: Some("verified".into()),
            reverses_id: None,
            unconverted_reason: None,
            entered_by: Some("coord".into()),
            verified_by: None,
            audit_id: Some(99),
            created_at: Utc.with_ymd_and_hms(2025, 3, 2, 8, 0, 0).unwrap(),
        }
    }

    async fn write(rows: Vec<ExportRow>) -> (Summary, String) {
        let stream = rocket::futures::stream::iter(rows.into_iter().map(Ok));
        let (summary, bytes) = write_csv(stream, Vec::new()).await.unwrap();
        let text = String::from_utf8(bytes).unwrap();
        (summary, text)
    }

    #[rocket::async_test]
    async fn writes_bom_header_and_exact_amounts() {
        let (summary, text) = write(vec![
            row("disbursement", 123_450, Currency::USD, "Nước sạch"),
            row("disbursement", -50, Currency::USD, "Nước sạch"),
            row("commitment", 1_500_000, Currency::VND, "Trường học"),
        ])
        .await;
        let body = text.strip_prefix('\u{feff}').unwrap();
        let mut lines = body.split("\r\n");
        assert_eq!(lines.next().unwrap(), HEADERS.join(","));
        assert_eq!(
            lines.next().unwrap(),
            "disbursement,7,VN-001,Nước sạch,3,Tổ chức Cứu trợ,2025-03-01,1234.50,USD,1500000,-1234.50,4,verified,,,coord,,99,2025-03-02T08:00:00.000000Z"
        );
        assert!(lines.next().unwrap().contains(",-0.50,USD,"));
        assert!(lines.next().unwrap().contains(",1500000,VND,"));
        assert_eq!(summary.rows, 3);
        let usd = summary
            .totals
            .iter()
            .find(|t| t.kind == "disbursement" && t.currency == Currency::USD)
            .unwrap();
        assert_eq!((usd.rows, usd.amount_minor), (2, 123_400));
    }

    #[rocket::async_test]
    async fn long_exports_come_in_chunks_that_join_to_the_whole() {
        let rows: Vec<_> = (0..3000)
            .map(|i| row("disbursement", 100 + i, Currency::VND, "Nước sạch cho xã"))
            .collect();
        let (_, whole) = write(rows.clone()).await;
        let mut chunks: Vec<Vec<u8>> = Vec::new();
        let stream = rocket::futures::stream::iter(rows.into_iter().map(Ok));
        let summary = write_chunks(stream, |c| {
            chunks.push(c);
            std::future::ready(Ok(()))
        })
        .await
        .unwrap();
        assert_eq!(summary.rows, 3000);
        assert!(chunks.len() > 3, "{} chunks", chunks.len());
        assert!(chunks.iter().all(|c| c.len() < CHUNK + 16 * 1024));
        assert_eq!(chunks.concat(), whole.into_bytes());
    }

    #[rocket::async_test]
    async fn text_that_could_run_as_a_formula_is_guarded_and_numbers_are_not() {
        let (_, text) = write(vec![row(
            "commitment",
            -1000,
            Currency::USD,
            "=HYPERLINK(\"x\")",
        )])
        .await;
        let line = text.split("\r\n").nth(1).unwrap();
        assert!(line.contains(",\"'=HYPERLINK(\"\"x\"\")\","), "{line}");
        assert!(line.contains(",-10.00,USD,"), "{line}");
    }
}
