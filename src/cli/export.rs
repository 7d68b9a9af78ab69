//! `aidledger export`: the period's rollup workbook (`export --period P`, or `export rollup`)
//! and the full transaction export (`export transactions --out FILE`). This module parses the
//! arguments and owns the output file; the rows and the permission check are the action's.

use super::reports::{self, ExportArgs};
use crate::actions::export::{TransactionSelection, export_transactions};
use crate::actions::{Actor, Ctx};
use crate::domain::money::canonical_sum;
use crate::domain::period::Period;
use crate::error::{Error, Result};
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
        (None, None) => Err(Error::invalid(
            "period",
            "missing_period",
            "say what to export: `export --period 2025` (the rollup workbook) or `export transactions --out FILE`",
        )),
    }
}

/// The temporary file beside `path` the export is written to before it is renamed into place,
/// so a reader never sees half a file and a failed export leaves the old one as it was.
fn temporary_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.part", std::process::id()))
}

async fn transactions(ctx: &Ctx, system: &Actor, a: TransactionExportArgs) -> Result<()> {
    let period = a
        .period
        .as_deref()
        .map(|p| Period::parse(p, ctx.config.vn_reporting_periods))
        .transpose()
        .map_err(|e| Error::invalid("period", "invalid_period", e.to_string()))?;
    let cannot = |e: std::io::Error| {
        Error::invalid(
            "out",
            "unwritable_out",
            format!("cannot write {}: {e}", a.out.display()),
        )
    };
    if a.out.is_dir() {
        return Err(Error::invalid(
            "out",
            "unwritable_out",
            format!(
                "cannot write {}: it is a folder; give a file name",
                a.out.display()
            ),
        ));
    }
    let tmp = temporary_name(&a.out);
    let file = std::fs::File::create(&tmp).map_err(cannot)?;
    let sel = TransactionSelection {
        period,
        organisation_id: a.organisation,
    };
    let written = async {
        let out = std::io::BufWriter::with_capacity(1 << 16, file);
        let (summary, out) = export_transactions(ctx, system, sel, out).await?;
        let file = out.into_inner().map_err(|e| cannot(e.into_error()))?;
        file.sync_all().map_err(cannot)?;
        std::fs::rename(&tmp, &a.out).map_err(cannot)?;
        Ok::<_, Error>(summary)
    }
    .await;
    let summary = match written {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
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
