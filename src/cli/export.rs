//! `aidledger export`: the period's rollup workbook (`export --period P`, or `export rollup`)
//! the full transaction export (`export transactions --out FILE`) and IATI activity XML
//! (`export iati --out FILE`). This module parses the
//! arguments and owns the output file; the rows and the permission check are the action's.

use super::progress::{self, Counted};
use super::reports::{self, ExportArgs};
use crate::actions::export::{TransactionSelection, export_transactions};
use crate::actions::iati_export::{IatiSelection, export_iati};
use crate::actions::{Actor, Ctx};
use crate::domain::money::canonical_sum;
use crate::domain::period::Period;
use crate::error::{Error, Result};
use crate::interchange::SheetFormat;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ExportCmd {
    #[command(subcommand)]
    pub what: Option<ExportWhat>,
    /// Without a subcommand: the rollup workbook, as `export rollup`.
    #[command(flatten)]
    pub rollup: Option<ExportArgs>,
}

#[derive(Subcommand, Debug)]
pub enum ExportWhat {
    /// The period's rollup by every dimension as an XLSX workbook (as `export --period P`).
    Rollup(ExportArgs),
    /// Every commitment, disbursement and pledge of a selection as CSV, streamed.
    Transactions(TransactionExportArgs),
    /// Aid items as IATI 2.03 activity XML (valid against the official schema).
    Iati(IatiExportArgs),
    /// Records in the spreadsheet templates: a folder of CSV files, one per record type (or
    /// one file with --record).
    Csv(super::sheets::SheetExportArgs),
    /// Records in the spreadsheet templates: one XLSX workbook, one sheet per record type.
    Xlsx(super::sheets::SheetExportArgs),
}

#[derive(Args, Debug)]
#[command(
    after_help = "One <iati-activity> per aid item, with the NGO as reporting organisation, the participating organisations, sectors (OECD-DAC codes where every share has one), localities, commitments and verified disbursements in their original currency with value dates, and milestones as result indicators. What IATI has no element for is kept in attributes of the aidledger namespace (urn:aidledger:iati:1), which IATI readers ignore. Organisations without an IATI identifier are written as ZZ-AIDLEDGER-<id> and listed."
)]
pub struct IatiExportArgs {
    /// Where to write the XML (written beside it first, then renamed into place).
    #[arg(long)]
    pub out: PathBuf,
    /// Only items whose planned or actual span overlaps 2025, 2025-Q1, ... or a..b.
    #[arg(long)]
    pub period: Option<String>,
    /// Only items this organisation takes part in (donor, funder, aid owner or agency).
    #[arg(long)]
    pub organisation: Option<i64>,
}

#[derive(Args, Debug)]
#[command(
    after_help = "The CSV is UTF-8 with a byte order mark, one header line of English column names, amounts as exact decimals in each currency's minor units (1234.50 USD, 1500000 VND), ordered by date, kind and id. Rows are written as they are read, so memory stays flat for any number of rows."
)]
pub struct TransactionExportArgs {
    /// Where to write the CSV (written beside it first, then renamed into place).
    #[arg(long)]
    pub out: PathBuf,
    /// Only rows dated in 2025-M03, 2025-Q1, 2025-H1, 2025 or 2025-01-01..2025-06-30.
    #[arg(long)]
    pub period: Option<String>,
    /// Only rows of this organisation: the donor of the row's aid item, or the pledging donor.
    #[arg(long)]
    pub organisation: Option<i64>,
}

pub(super) async fn run(ctx: &Ctx, system: &Actor, cmd: ExportCmd) -> Result<()> {
    match (cmd.what, cmd.rollup) {
        (Some(ExportWhat::Rollup(a)), _) | (None, Some(a)) => reports::export(ctx, a).await,
        (Some(ExportWhat::Transactions(a)), _) => transactions(ctx, system, a).await,
        (Some(ExportWhat::Iati(a)), _) => iati(ctx, system, a).await,
        (Some(ExportWhat::Csv(a)), _) => super::sheets::run_export(ctx, SheetFormat::Csv, a).await,
        (Some(ExportWhat::Xlsx(a)), _) => {
            super::sheets::run_export(ctx, SheetFormat::Xlsx, a).await
        }
        (None, None) => Err(Error::invalid(
            "period",
            "missing_period",
            "say what to export: `export --period 2025` (the rollup workbook) or `export transactions --out FILE`",
        )),
    }
}

/// An optional `--period` argument, parsed as every command parses periods.
pub(super) fn parse_period(ctx: &Ctx, p: Option<&str>) -> Result<Option<Period>> {
    p.map(|p| Period::parse(p, ctx.config.vn_reporting_periods))
        .transpose()
        .map_err(|e| Error::invalid("period", "invalid_period", e.to_string()))
}

fn unwritable(out: &Path, e: impl std::fmt::Display) -> Error {
    Error::invalid(
        "out",
        "unwritable_out",
        format!("cannot write {}: {e}", out.display()),
    )
}

type Buffered = std::io::BufWriter<std::fs::File>;

/// Opens the temporary file an export to `out` is written to.
fn create_beside(out: &Path) -> Result<(PathBuf, Buffered)> {
    if out.is_dir() {
        return Err(unwritable(out, "it is a folder; give a file name"));
    }
    let tmp = reports::temporary_name(out);
    let file = std::fs::File::create(&tmp).map_err(|e| unwritable(out, e))?;
    Ok((tmp, std::io::BufWriter::with_capacity(1 << 16, file)))
}

/// Makes a finished export durable and moves it into place; on an earlier failure, removes
/// the temporary file and returns that failure.
fn put_in_place<T>(out: &Path, tmp: &Path, written: Result<(T, Buffered)>) -> Result<T> {
    let done = written.and_then(|(summary, w)| {
        let file = w
            .into_inner()
            .map_err(|e| unwritable(out, e.into_error()))?;
        file.sync_all().map_err(|e| unwritable(out, e))?;
        std::fs::rename(tmp, out).map_err(|e| unwritable(out, e))?;
        Ok(summary)
    });
    if done.is_err() {
        let _ = std::fs::remove_file(tmp);
    }
    done
}

async fn transactions(ctx: &Ctx, system: &Actor, a: TransactionExportArgs) -> Result<()> {
    let sel = TransactionSelection {
        period: parse_period(ctx, a.period.as_deref())?,
        organisation_id: a.organisation,
    };
    let (tmp, out) = create_beside(&a.out)?;
    let out = Counted::new(out, progress::counter("writing transactions", true));
    let written = export_transactions(ctx, system, sel, out)
        .await
        .map(|(s, w)| (s, w.into_inner()));
    let summary = put_in_place(&a.out, &tmp, written)?;
    let mut stdout = std::io::stdout().lock();
    let print = |w: &mut std::io::StdoutLock<'_>, line: String| {
        writeln!(w, "{line}").map_err(|e| Error::config(format!("cannot print: {e}")))
    };
    print(
        &mut stdout,
        format!(
            "wrote {} transaction(s) to {}",
            summary.rows,
            a.out.display()
        ),
    )?;
    for t in &summary.totals {
        print(
            &mut stdout,
            format!(
                "  {:<12} {:>9} row(s)  {:>22} {}",
                t.kind,
                t.rows,
                canonical_sum(t.amount_minor, t.currency),
                t.currency.code()
            ),
        )?;
    }
    Ok(())
}

async fn iati(ctx: &Ctx, system: &Actor, a: IatiExportArgs) -> Result<()> {
    let sel = IatiSelection {
        period: parse_period(ctx, a.period.as_deref())?,
        organisation_id: a.organisation,
    };
    let (tmp, out) = create_beside(&a.out)?;
    let out = Counted::new(out, progress::counter("writing activities", true));
    let written = export_iati(ctx, system, &sel, out)
        .await
        .map(|(w, s)| (s, w.into_inner()));
    let summary = put_in_place(&a.out, &tmp, written)?;
    outln!(
        "wrote {} activities with {} transactions to {}",
        summary.activities,
        summary.transactions,
        a.out.display()
    );
    if !summary.organisations_without_ref.is_empty() {
        outln!(
            "{} organisation(s) have no IATI identifier and were written as ZZ-AIDLEDGER-<id>: {}",
            summary.organisations_without_ref.len(),
            summary.organisations_without_ref.join("; ")
        );
    }
    Ok(())
}
