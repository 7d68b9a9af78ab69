//! The period's rollup tables as an XLSX workbook for finance reviewers who work in
//! spreadsheets: one sheet per dimension, then the total row.
//!
//! A spreadsheet stores every number as a binary double. An amount is written as a number only
//! when the double prints back as exactly our decimal (always true for đồng below 2^53 and for
//! USD with up to 13 integer digits); otherwise the cell holds the exact decimal as text, so a
//! reviewer never sees a figure the ledger does not hold.

use crate::domain::money::canonical_sum;
use crate::domain::{Currency, Lang};
use crate::error::{Error, Result};
use crate::rollup::table::{RollupTable, TableRow};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet};

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Internal(format!("writing the spreadsheet failed: {e}"))
}

/// Writes `m` as a number if that is exact, else as its canonical text.
fn write_amount(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    (minor, currency): (i128, Currency),
    fmt: &Format,
) -> Result<()> {
    let text = canonical_sum(minor, currency);
    let decimals = currency.minor_units() as usize;
    match text.parse::<f64>() {
        Ok(v) if format!("{v:.decimals$}") == text => ws
            .write_number_with_format(row, col, v, fmt)
            .map(|_| ())
            .map_err(xlsx_err),
        _ => ws
            .write_string_with_format(row, col, &text, fmt)
            .map(|_| ())
            .map_err(xlsx_err),
    }
}

fn write_row(
    ws: &mut Worksheet,
    n: u32,
    r: &TableRow,
    text: &Format,
    vnd: &Format,
    usd: &Format,
) -> Result<()> {
    ws.write_string_with_format(n, 0, &r.key, text)
        .map_err(xlsx_err)?;
    ws.write_string_with_format(n, 1, &r.name, text)
        .map_err(xlsx_err)?;
    write_amount(ws, n, 2, (r.committed_vnd, Currency::VND), vnd)?;
    write_amount(ws, n, 3, (r.committed_usd_cents, Currency::USD), usd)?;
    write_amount(ws, n, 4, (r.disbursed_vnd, Currency::VND), vnd)?;
    write_amount(ws, n, 5, (r.disbursed_usd_cents, Currency::USD), usd)
}

/// One sheet per table. The document's dates are fixed so the same data gives the same file.
pub fn workbook(tables: &[RollupTable], lang: Lang) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let fixed = ExcelDateTime::from_ymd(2000, 1, 1).map_err(xlsx_err)?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&fixed)
            .set_title("aidledger rollup"),
    );
    let bold = Format::new().set_bold();
    let plain = Format::new();
    let vnd = Format::new().set_num_format("#,##0");
    let usd = Format::new().set_num_format("#,##0.00");
    let headers = match lang {
        Lang::Vi => [
            "Mã",
            "Tên",
            "Cam kết (đồng)",
            "Cam kết (USD)",
            "Giải ngân (đồng)",
            "Giải ngân (USD)",
        ],
        Lang::En => [
            "Key",
            "Name",
            "Committed (VND)",
            "Committed (USD)",
            "Disbursed (VND)",
            "Disbursed (USD)",
        ],
    };
    for t in tables {
        let ws = wb.add_worksheet();
        let dim = serde_json::to_value(t.dimension)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        ws.set_name(
            format!("{dim} {}", t.period.replace("..", "_"))
                .chars()
                .take(31)
                .collect::<String>(),
        )
        .map_err(xlsx_err)?;
        for (c, h) in (0_u16..).zip(headers) {
            ws.write_string_with_format(0, c, h, &bold)
                .map_err(xlsx_err)?;
        }
        ws.set_column_width(1, 48).map_err(xlsx_err)?;
        for c in 2..6 {
            ws.set_column_width(c, 20).map_err(xlsx_err)?;
        }
        let mut n = 1_u32;
        for r in &t.rows {
            write_row(ws, n, r, &plain, &vnd, &usd)?;
            n += 1;
        }
        write_row(
            ws,
            n,
            &t.total,
            &bold,
            &vnd.clone().set_bold(),
            &usd.clone().set_bold(),
        )?;
        ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;
    }
    wb.save_to_buffer().map_err(xlsx_err)
}
