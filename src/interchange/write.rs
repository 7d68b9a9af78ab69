//! Writing templates: CSV (UTF-8 with a byte-order mark, so spreadsheet programs in Viet Nam
//! open the diacritics correctly, and CRLF line ends as RFC 4180 asks) and XLSX (one sheet per
//! record type, every cell a text cell, so nothing is guessed as a number or a date, with the
//! header row bold and frozen).

use super::{RecordType, Table};
use crate::domain::Lang;
use crate::domain::cell::guard;
use crate::error::{Error, Result};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
use std::io::Write;

/// The byte-order mark at the start of every CSV file written.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

fn io_err(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("writing the CSV file failed: {e}"))
}

/// The CSV file's name for a record type: `items.csv`.
#[must_use]
pub fn csv_name(record: RecordType) -> String {
    format!("{}.csv", record.key())
}

/// Writes `table` as CSV to `out`, headers in `lang`.
pub fn write_csv<W: Write>(mut out: W, table: &Table, lang: Lang) -> Result<()> {
    out.write_all(BOM).map_err(io_err)?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(table.record.header(lang)).map_err(io_err)?;
    for row in &table.rows {
        w.write_record(row.iter().map(|c| guard(c).into_owned()))
            .map_err(io_err)?;
    }
    w.flush().map_err(io_err)
}

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Internal(format!("writing the spreadsheet failed: {e}"))
}

/// The workbook of `tables` as bytes. The document's dates are fixed so the same data gives
/// the same file.
pub fn write_xlsx(tables: &[Table], lang: Lang) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let fixed = ExcelDateTime::from_ymd(2000, 1, 1).map_err(xlsx_err)?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&fixed)
            .set_title("aidledger records"),
    );
    let bold = Format::new().set_bold();
    // "@" is the text number format: a person typing into the sheet later gets text too.
    let text = Format::new().set_num_format("@");
    for t in tables {
        let ws = wb.add_worksheet();
        ws.set_name(t.record.sheet_name(lang)).map_err(xlsx_err)?;
        for (c, h) in t.record.header(lang).into_iter().enumerate() {
            let c = u16::try_from(c).map_err(|_| Error::Internal("too many columns".into()))?;
            ws.write_string_with_format(0, c, h, &bold)
                .map_err(xlsx_err)?;
            ws.set_column_width(c, 18).map_err(xlsx_err)?;
        }
        ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;
        for (r, row) in t.rows.iter().enumerate() {
            let r = u32::try_from(r + 1)
                .map_err(|_| Error::Internal("too many rows for one sheet".into()))?;
            for (c, cell) in row.iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                let c = u16::try_from(c).map_err(|_| Error::Internal("too many columns".into()))?;
                ws.write_string_with_format(r, c, guard(cell), &text)
                    .map_err(xlsx_err)?;
            }
        }
    }
    wb.save_to_buffer().map_err(xlsx_err)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn csv_has_a_bom_crlf_and_guarded_text() {
        let t = Table {
            record: RecordType::Rates,
            rows: vec![vec![
                "EUR".into(),
                "2025-01-02".into(),
                "27000".into(),
                "1.04".into(),
                "=HYPERLINK(\"x\")".into(),
            ]],
        };
        let mut out = Vec::new();
        write_csv(&mut out, &t, Lang::En).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(
            s,
            "\u{feff}Currency,Rate date,VND per unit,USD per unit,Source\r\n\
             EUR,2025-01-02,27000,1.04,\"'=HYPERLINK(\"\"x\"\")\"\r\n"
        );
    }
}
