//! `aidledger export csv|xlsx` and `aidledger import csv|xlsx`: the spreadsheet round-trip on
//! the command line. The argument structs and the two runners know nothing of
//! where they are wired, so they can move under `export` / `import` unchanged.

use super::reports::write_atomically;
use crate::actions::{Actor, Ctx, sheets};
use crate::domain::Lang;
use crate::error::{Error, Result};
use crate::interchange::rows::Selection;
use crate::interchange::write::{csv_name, write_csv, write_xlsx};
use crate::interchange::{RecordType, SheetFormat};
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug, Clone)]
pub struct SheetImportArgs {
    /// The file (or, for CSV, the folder) to import.
    pub file: PathBuf,
    /// The record type of a CSV file whose name and header row do not say it.
    #[arg(long)]
    pub record: Option<String>,
    /// Print the preview and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// How to print the preview: table (default) or json.
    #[arg(long, default_value = "table")]
    pub format: String,
}

/// How an import ended, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportExit {
    /// Every row is fine (and was applied, unless it was a dry run).
    Clean,
    /// Some row has an error: nothing was applied.
    Refused,
}

#[derive(Args, Debug, Clone)]
pub struct SheetExportArgs {
    /// CSV: the folder to write (created if missing), or the file with --record. XLSX: the file.
    #[arg(long)]
    pub out: PathBuf,
    /// Only this record type: organisations, rates, items, milestones, commitments or
    /// disbursements.
    #[arg(long)]
    pub record: Option<String>,
    /// Only money rows, milestones and rates dated in this period (2025-Q1, 2025, ...).
    #[arg(long)]
    pub period: Option<String>,
    /// Only the aid items of this organisation (by id) and the organisations they name.
    #[arg(long)]
    pub organisation: Option<i64>,
    /// Language of the header row and sheet names: vi (default) or en.
    #[arg(long, default_value = "vi")]
    pub lang: String,
}

/// Runs `import csv|xlsx` as the command-line (system) actor; a file with any error row
/// changes nothing and ends the command with an error after the preview.
pub async fn import(ctx: &Ctx, format: SheetFormat, a: SheetImportArgs) -> Result<()> {
    finish(run_import(ctx, format, a).await?)
}

fn selection(ctx: &Ctx, a: &SheetExportArgs) -> Result<Selection> {
    let record = a
        .record
        .as_deref()
        .map(str::parse::<RecordType>)
        .transpose()
        .map_err(|e| Error::invalid("record", "invalid_record", e))?;
    let period = super::export::parse_period(ctx, a.period.as_deref())?.map(|p| (p.from, p.to));
    Ok(Selection {
        organisation: a.organisation,
        period,
        record,
    })
}

/// Writes the selected records as CSV (a folder, or one file with `--record`) or XLSX.
pub async fn run_export(ctx: &Ctx, format: SheetFormat, a: SheetExportArgs) -> Result<()> {
    let sel = selection(ctx, &a)?;
    let lang: Lang = a
        .lang
        .parse()
        .map_err(|e: String| Error::invalid("lang", "invalid_lang", e))?;
    let tables = sheets::export_tables(ctx, &Actor::system("cli"), sel).await?;
    let rows: usize = tables.iter().map(|t| t.rows.len()).sum();
    match format {
        SheetFormat::Xlsx => {
            write_atomically(&a.out, &write_xlsx(&tables, lang)?)?;
            outln!(
                "wrote {} ({} sheets, {rows} rows)",
                a.out.display(),
                tables.len()
            );
        }
        SheetFormat::Csv if sel.record.is_some() => {
            let mut bytes = Vec::new();
            for t in &tables {
                write_csv(&mut bytes, t, lang)?;
            }
            write_atomically(&a.out, &bytes)?;
            outln!("wrote {} ({rows} rows)", a.out.display());
        }
        SheetFormat::Csv => {
            std::fs::create_dir_all(&a.out).map_err(|e| {
                Error::config(format!("cannot create the folder {}: {e}", a.out.display()))
            })?;
            for t in &tables {
                let mut bytes = Vec::new();
                write_csv(&mut bytes, t, lang)?;
                write_atomically(&a.out.join(csv_name(t.record)), &bytes)?;
            }
            outln!(
                "wrote {} CSV files to {} ({rows} rows)",
                tables.len(),
                a.out.display()
            );
        }
    }
    Ok(())
}

/// Whether `--format` asks for JSON (`json`) or the table (`table`).
pub(super) fn json_format(format: &str) -> Result<bool> {
    match format {
        "table" => Ok(false),
        "json" => Ok(true),
        other => Err(Error::invalid(
            "format",
            "invalid_format",
            format!(
                "output format \"{}\" is not known; use table or json",
                other.chars().take(20).collect::<String>()
            ),
        )),
    }
}

/// Prints a preview as a table or JSON and says how the import ended.
pub(super) fn show(
    preview: &crate::interchange::preview::Preview,
    json: bool,
) -> Result<ImportExit> {
    if json {
        let text = serde_json::to_string_pretty(preview)
            .map_err(|e| Error::Internal(format!("cannot print the preview: {e}")))?;
        outln!("{text}");
    } else {
        out!("{}", preview.table());
    }
    Ok(if preview.errors == 0 {
        ImportExit::Clean
    } else {
        ImportExit::Refused
    })
}

/// Ends an import command: an error after the preview when some row had one.
pub(super) fn finish(exit: ImportExit) -> Result<()> {
    match exit {
        ImportExit::Clean => Ok(()),
        ImportExit::Refused => Err(Error::conflict(
            "import_refused",
            "some rows have errors (listed above); nothing was imported",
        )),
    }
}

/// Prints the preview of importing `a.file` (a table, or JSON with `--format json`) and
/// applies it unless `--dry-run` or a row has an error.
pub async fn run_import(ctx: &Ctx, format: SheetFormat, a: SheetImportArgs) -> Result<ImportExit> {
    let json = json_format(&a.format)?;
    let record = a
        .record
        .as_deref()
        .map(str::parse::<RecordType>)
        .transpose()
        .map_err(|e| Error::invalid("record", "invalid_record", e))?;
    let req = sheets::ImportRequest {
        path: a.file,
        format,
        record,
        dry_run: a.dry_run,
    };
    let bar = super::progress::counter("checking rows", false);
    let tick = bar.clone();
    let preview = sheets::import_file_with(ctx, &Actor::system("cli"), &req, &move |n| {
        tick.set_position(n)
    })
    .await;
    bar.finish_and_clear();
    show(&preview?, json)
}
