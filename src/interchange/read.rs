//! Reading templates back: the checks every file passes before any row is read (size,
//! encoding), and row sources for CSV (streamed: one record in memory at a time) and XLSX
//! (one sheet at a time, as calamine reads it). Encodings other than UTF-8 are refused by
//! name, not read as garbage: a UTF-16 file (what "Unicode Text" saves) and a Windows-1258
//! or other single-byte file (what older Vietnamese Excel saves as "CSV") each get a message
//! saying how to save the file instead.

use super::RecordType;
use crate::domain::cell::unguard;
use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// The largest file an import reads (a CSV file: it is read one row at a time).
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;
/// The largest XLSX workbook: calamine holds a whole sheet in memory, and a compressed
/// workbook expands several times over.
pub const MAX_XLSX_BYTES: u64 = 64 * 1024 * 1024;
/// The longest CSV record (one row, all its cells) in bytes.
pub const MAX_ROW_BYTES: usize = 64 * 1024;
/// The most data rows one CSV file may hold.
pub const MAX_ROWS: u64 = 1_000_000;
/// The most data rows one workbook (all its sheets) may hold, since it is held in memory.
pub const MAX_XLSX_ROWS: u64 = 200_000;

fn refused(message: String) -> Error {
    Error::Request {
        status: 422,
        code: "unreadable_file",
        message,
    }
}

/// What the first bytes of a file say about its encoding, when they rule UTF-8 out.
fn utf16_signature(head: &[u8]) -> bool {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    // Without a BOM, UTF-16 text of Latin letters has a NUL in every other byte.
    let pairs = head.len() / 2;
    pairs >= 2 && {
        let nul_even = head
            .iter()
            .step_by(2)
            .take(pairs)
            .filter(|b| **b == 0)
            .count();
        let nul_odd = head
            .iter()
            .skip(1)
            .step_by(2)
            .take(pairs)
            .filter(|b| **b == 0)
            .count();
        nul_even * 2 > pairs || nul_odd * 2 > pairs
    }
}

/// Checks a file's size and encoding and returns its SHA-256 (hex), reading it once in
/// fixed-size chunks. `what` names the file in messages. `utf8`: a CSV file, which must be
/// UTF-8 and at most [`MAX_FILE_BYTES`]; otherwise a workbook, at most [`MAX_XLSX_BYTES`].
pub fn check_file(path: &Path, what: &str, utf8: bool) -> Result<String> {
    let io = |e: std::io::Error| refused(format!("cannot read {what}: {e}"));
    let size = std::fs::metadata(path).map_err(io)?.len();
    let max = if utf8 { MAX_FILE_BYTES } else { MAX_XLSX_BYTES };
    if size > max {
        return Err(refused(format!(
            "{what} is {} MB; an import takes {} of at most {} MB: split it by record type or by period",
            size / 1_000_000,
            if utf8 { "CSV files" } else { "workbooks" },
            max / 1_000_000
        )));
    }
    let mut f = std::fs::File::open(path).map_err(io)?;
    let mut hash = Sha256::new();
    let mut buf = vec![0_u8; 64 * 1024];
    // Bytes of a character cut by the chunk boundary, carried to the next chunk.
    let mut carry: Vec<u8> = Vec::new();
    let mut offset: u64 = 0;
    let mut first = true;
    loop {
        let n = f.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
        if utf8 {
            if first && utf16_signature(&buf[..n.min(512)]) {
                return Err(refused(format!(
                    "{what} is UTF-16 text (what \"Unicode Text\" saves); save it as \"CSV UTF-8\" and import that"
                )));
            }
            carry.extend_from_slice(&buf[..n]);
            match std::str::from_utf8(&carry) {
                Ok(_) => carry.clear(),
                Err(e) if e.error_len().is_none() => {
                    carry.drain(..e.valid_up_to());
                }
                Err(e) => {
                    let at = offset + e.valid_up_to() as u64;
                    return Err(refused(format!(
                        "{what} is not UTF-8 (byte {at} is not valid UTF-8): it was probably saved as Windows-1258 or another single-byte encoding; save it as \"CSV UTF-8\" and import that"
                    )));
                }
            }
            offset += n as u64 - carry.len() as u64;
        }
        first = false;
    }
    if !carry.is_empty() {
        return Err(refused(format!(
            "{what} ends in the middle of a character: it is not complete UTF-8; save it again as \"CSV UTF-8\""
        )));
    }
    Ok(hex::encode(hash.finalize()))
}

/// One data row: its line (CSV: the record's first line; XLSX: the sheet row) and its cells
/// as text, unguarded and trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    pub line: u64,
    pub cells: Vec<String>,
}

fn cell_text(s: &str) -> String {
    unguard(s.trim()).to_string()
}

/// Reads `\r\n` as `\n`. The csv crate counts a record's line from where it starts, and
/// after a CRLF line end that start is the `\n`, one line too early; reading LF only makes
/// every line number in a message the line a spreadsheet program shows. Cell text loses
/// nothing: multi-line text is stored with `\n` line breaks under the domain's text rule.
struct Lf<R> {
    inner: R,
    pending_cr: bool,
}

impl<R: Read> Read for Lf<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if out.len() < 2 {
            // Too small to merge a line end into: hand over a held carriage return first.
            if self.pending_cr && !out.is_empty() {
                self.pending_cr = false;
                out[0] = b'\r';
                return Ok(1);
            }
            return self.inner.read(out);
        }
        loop {
            let start = usize::from(self.pending_cr);
            let n = self.inner.read(&mut out[start..])?;
            if start == 1 {
                out[0] = b'\r';
            }
            self.pending_cr = false;
            if n == 0 {
                return Ok(start);
            }
            let total = start + n;
            let (mut w, mut i) = (0, 0);
            while i < total {
                let b = out[i];
                i += 1;
                if b == b'\r' {
                    if i == total {
                        self.pending_cr = true;
                        continue;
                    }
                    if out[i] == b'\n' {
                        continue;
                    }
                }
                out[w] = b;
                w += 1;
            }
            if w > 0 {
                return Ok(w);
            }
        }
    }
}

/// A CSV file read one record at a time.
pub struct CsvRows {
    reader: csv::Reader<Lf<std::io::BufReader<std::fs::File>>>,
    record: csv::ByteRecord,
    what: String,
    rows: u64,
}

impl CsvRows {
    /// Opens a file already passed through [`check_file`]; returns the header cells too.
    pub fn open(path: &Path, what: &str) -> Result<(CsvRows, Vec<String>)> {
        let io = |e: std::io::Error| refused(format!("cannot read {what}: {e}"));
        let mut file = std::io::BufReader::new(std::fs::File::open(path).map_err(io)?);
        // Skip the byte-order mark, if any.
        let mut bom = [0_u8; 3];
        let n = file.read(&mut bom).map_err(io)?;
        if bom[..n] != *b"\xEF\xBB\xBF" {
            file = std::io::BufReader::new(std::fs::File::open(path).map_err(io)?);
        }
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(Lf {
                inner: file,
                pending_cr: false,
            });
        let mut rows = CsvRows {
            reader,
            record: csv::ByteRecord::new(),
            what: what.to_string(),
            rows: 0,
        };
        let header = rows.next_row()?.ok_or_else(|| {
            refused(format!(
                "{what} is empty: the first line must be the header row"
            ))
        })?;
        rows.rows = 0;
        Ok((rows, header.cells))
    }

    /// The next row, or None at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<SourceRow>> {
        let what = &self.what;
        let more = self
            .reader
            .read_byte_record(&mut self.record)
            .map_err(|e| {
                let line = e.position().map_or(0, csv::Position::line);
                refused(format!("{what}, line {line}: the CSV cannot be read: {e}"))
            })?;
        if !more {
            return Ok(None);
        }
        let line = self.record.position().map_or(0, csv::Position::line);
        if self.record.as_slice().len() > MAX_ROW_BYTES {
            return Err(refused(format!(
                "{what}, line {line}: the row is longer than {} KB, the most one row may hold",
                MAX_ROW_BYTES / 1024
            )));
        }
        self.rows += 1;
        if self.rows > MAX_ROWS {
            return Err(refused(format!(
                "{what} has more than {MAX_ROWS} rows, the most one import takes: split it by record type or by period"
            )));
        }
        let mut cells = Vec::with_capacity(self.record.len());
        for c in &self.record {
            // check_file proved the whole file is UTF-8, so this only guards against a file
            // changed between the check and the read.
            let s = std::str::from_utf8(c).map_err(|_| {
                refused(format!(
                    "{what}, line {line}: the file changed while it was read"
                ))
            })?;
            cells.push(cell_text(s));
        }
        Ok(Some(SourceRow { line, cells }))
    }
}

/// One sheet of a workbook: its record type (from its name or header row), header cells and
/// data rows.
pub struct XlsxSheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<SourceRow>,
}

fn data_text(d: &calamine::Data) -> String {
    use calamine::{Data, DataType};
    match d {
        Data::Empty => String::new(),
        Data::String(s) => cell_text(s),
        Data::Int(i) => i.to_string(),
        // A number typed into the sheet: shown as the shortest text that reads back as the
        // same double, which for amounts typed by hand is what the person typed.
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(_) | Data::DateTimeIso(_) => d
            .as_date()
            .map(|x| x.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| d.to_string()),
        other => other.to_string(),
    }
}

/// Reads every sheet of a workbook already passed through [`check_file`].
pub fn xlsx_sheets(path: &Path, what: &str) -> Result<Vec<XlsxSheet>> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).map_err(|e| {
        refused(format!(
            "{what} is not an XLSX workbook that can be read: {e}"
        ))
    })?;
    let mut out = Vec::new();
    let mut total: u64 = 0;
    for name in wb.sheet_names() {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| refused(format!("{what}, sheet \"{name}\": cannot be read: {e}")))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let mut rows = range.rows().enumerate().map(|(i, r)| {
            let mut cells = vec![String::new(); col0 as usize];
            cells.extend(r.iter().map(data_text));
            SourceRow {
                line: u64::from(row0) + i as u64 + 1,
                cells,
            }
        });
        let Some(header) = rows.next() else { continue };
        let rows: Vec<SourceRow> = rows
            .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
            .collect();
        total += rows.len() as u64;
        if total > MAX_XLSX_ROWS {
            return Err(refused(format!(
                "{what} has more than {MAX_XLSX_ROWS} rows, the most one workbook import takes: split it, or save its sheets as CSV files (up to {MAX_ROWS} rows each)"
            )));
        }
        out.push(XlsxSheet {
            name,
            header: header.cells,
            rows,
        });
    }
    Ok(out)
}

/// The record type a CSV file's name announces (`items.csv`, `Giải ngân.csv`), if any.
#[must_use]
pub fn record_of_file_name(path: &Path) -> Option<RecordType> {
    path.file_stem()
        .and_then(|s| s.to_str())
        .and_then(RecordType::named)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::io::Write;

    fn file(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        f
    }

    #[test]
    fn utf16_and_single_byte_files_are_refused_by_name() {
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "Mã,Tên\r\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let e = check_file(file(&utf16).path(), "a.csv", true)
            .unwrap_err()
            .to_string();
        assert!(e.contains("UTF-16"), "{e}");
        let e = check_file(file(&utf16[2..]).path(), "a.csv", true)
            .unwrap_err()
            .to_string();
        assert!(e.contains("UTF-16"), "{e}");
        // "Mã" in Windows-1258: 'a' with a tilde is 0xE3.
        let e = check_file(file(b"M\xE3,T\xEAn\r\n").path(), "a.csv", true)
            .unwrap_err()
            .to_string();
        assert!(e.contains("Windows-1258") && e.contains("byte 1"), "{e}");
    }

    #[test]
    fn utf8_with_or_without_bom_reads_and_hashes() {
        let text = "Mã dòng,Số tiền\r\nA/D1,'-5\r\n";
        for bytes in [
            format!("\u{feff}{text}").into_bytes(),
            text.as_bytes().to_vec(),
        ] {
            let f = file(&bytes);
            let sha = check_file(f.path(), "a.csv", true).unwrap();
            assert_eq!(sha, hex::encode(Sha256::digest(&bytes)));
            let (mut rows, header) = CsvRows::open(f.path(), "a.csv").unwrap();
            assert_eq!(header, vec!["Mã dòng", "Số tiền"]);
            let r = rows.next_row().unwrap().unwrap();
            assert_eq!(
                (r.line, r.cells),
                (2, vec!["A/D1".to_string(), "-5".to_string()])
            );
            assert!(rows.next_row().unwrap().is_none());
        }
    }

    #[test]
    fn a_long_multibyte_file_split_across_chunks_is_valid_utf8() {
        let line = "Nước sạch cho Huế,Đồng\r\n".repeat(10_000);
        assert!(check_file(file(line.as_bytes()).path(), "a.csv", true).is_ok());
    }

    #[test]
    fn crlf_reads_as_lf_whatever_the_read_sizes() {
        let text = b"a\r\nb\r\r\n\rc\r";
        for chunk in 2..8 {
            let mut r = Lf {
                inner: std::io::Cursor::new(&text[..]),
                pending_cr: false,
            };
            let mut out = Vec::new();
            let mut buf = vec![0_u8; chunk];
            loop {
                let n = r.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&buf[..n]);
            }
            assert_eq!(out, b"a\nb\r\n\rc\r", "chunk {chunk}");
        }
    }

    #[test]
    fn an_overlong_row_is_refused_with_its_line() {
        let text = format!("Mã dòng\r\nA\r\n{}\r\n", "x".repeat(MAX_ROW_BYTES + 1));
        let f = file(text.as_bytes());
        let (mut rows, _) = CsvRows::open(f.path(), "a.csv").unwrap();
        assert!(rows.next_row().unwrap().is_some());
        let e = rows.next_row().unwrap_err().to_string();
        assert!(
            e.contains("line 3") && e.contains("longer than 64 KB"),
            "{e}"
        );
    }
}
