//! The reporting commands: `rollup`, `report`, `export` and `report-text`. Each parses its
//! arguments into typed values and calls one rollup or action; files are written atomically.

use crate::actions::{Actor, Ctx};
use crate::domain::Lang;
use crate::domain::period::Period;
use crate::error::{Error, Result};
use crate::rollup::table::rollup_table;
use crate::rollup::{Dimension, LookupData};
use clap::Args;
use std::io::Read;

#[derive(Args, Debug)]
pub struct ReportTextArgs {
    #[arg(long)]
    pub period: String,
    /// assessment, tasks or recommendations.
    #[arg(long)]
    pub section: String,
    #[arg(long, default_value = "vi")]
    pub lang: String,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// 2025-M03, 2025-Q1, 2025-H1, 2025 or 2025-01-01..2025-06-30.
    #[arg(long)]
    pub period: String,
    /// Language of names and headings: vi or en.
    #[arg(long, default_value = "vi")]
    pub lang: String,
    /// Where to write the workbook; defaults to rollup-<period>.xlsx.
    #[arg(long)]
    pub out: Option<std::path::PathBuf>,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// 2025-M03, 2025-Q1, 2025-H1, 2025 or 2025-01-01..2025-06-30.
    #[arg(long)]
    pub period: String,
    /// Language of the report: vi (default) or en.
    #[arg(long, default_value = "vi")]
    pub lang: String,
    /// The issue date printed in the header (YYYY-MM-DD); defaults to today.
    #[arg(long)]
    pub issued_on: Option<String>,
    /// The document number, e.g. 123/BC-SNgV; blank by default for the registry to fill in.
    #[arg(long, default_value = "      /BC-SNgV")]
    pub number: String,
    /// Where to write the PDF; defaults to report-<period>-<lang>.pdf.
    #[arg(long)]
    pub out: Option<std::path::PathBuf>,
}

#[derive(Args, Debug)]
pub struct RollupArgs {
    /// 2025-M03, 2025-Q1, 2025-H1, 2025 or 2025-01-01..2025-06-30.
    #[arg(long)]
    pub period: String,
    /// sector, sector_group, locality, donor, country, region, modality, aid_owner or status.
    #[arg(long, default_value = "sector")]
    pub by: String,
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Language of group names: vi or en.
    #[arg(long, default_value = "vi")]
    pub lang: String,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Table,
    Json,
    Csv,
}

/// Writes `bytes` to a temporary file beside `path`, syncs it, then renames it into place, so
/// a reader never sees half a PDF.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let io = |e: std::io::Error| Error::config(format!("cannot write {}: {e}", path.display()));
    let tmp = path.with_extension("part");
    let mut f = std::fs::File::create(&tmp).map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    f.sync_all().map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

pub(super) async fn rollup(ctx: &Ctx, a: RollupArgs) -> Result<()> {
    let period = Period::parse(&a.period, ctx.config.vn_reporting_periods)
        .map_err(|e| Error::invalid("period", "invalid_period", e.to_string()))?;
    let dim: Dimension =
        a.by.parse()
            .map_err(|e: String| Error::invalid("by", "invalid_dimension", e))?;
    let lang: Lang = a
        .lang
        .parse()
        .map_err(|e: String| Error::invalid("lang", "invalid_lang", e))?;
    let mut tx = ctx.store.read().await?;
    let look = LookupData::load(&mut tx).await?;
    let table = rollup_table(&mut tx, &look, &period, dim, lang).await?;
    match a.format {
        OutputFormat::Table => print!("{}", table.to_text()),
        OutputFormat::Csv => print!("{}", table.to_csv()),
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&table).map_err(|e| Error::Internal(e.to_string()))?
        ),
    }
    Ok(())
}

pub(super) async fn report(ctx: &Ctx, system: &Actor, a: ReportArgs) -> Result<()> {
    let period = Period::parse(&a.period, ctx.config.vn_reporting_periods)
        .map_err(|e| Error::invalid("period", "invalid_period", e.to_string()))?;
    let lang: Lang = a
        .lang
        .parse()
        .map_err(|e: String| Error::invalid("lang", "invalid_lang", e))?;
    let issued_on = match &a.issued_on {
        Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
            Error::invalid(
                "issued_on",
                "invalid_date",
                format!("--issued-on {d:?} is not a date in the form 2025-07-05"),
            )
        })?,
        None => crate::actions::today_in_vietnam(),
    };
    let cmd = crate::actions::reports::IssueCmd {
        period,
        lang,
        issued_on,
        number: a.number.clone(),
    };
    let (issued, pdf) = crate::actions::reports::issue_report(ctx, system, &cmd).await?;
    let out = a.out.unwrap_or_else(|| {
        format!(
            "report-{}-{}.pdf",
            period.code().replace("..", "_"),
            lang.code()
        )
        .into()
    });
    write_atomically(&out, &pdf)?;
    println!(
        "issued report {} version {} ({} bytes, SHA-256 {}) and wrote {}",
        issued.period,
        issued.version,
        issued.byte_size,
        issued.sha256,
        out.display()
    );
    Ok(())
}

pub(super) async fn export(ctx: &Ctx, a: ExportArgs) -> Result<()> {
    let period = Period::parse(&a.period, ctx.config.vn_reporting_periods)
        .map_err(|e| Error::invalid("period", "invalid_period", e.to_string()))?;
    let lang: Lang = a
        .lang
        .parse()
        .map_err(|e: String| Error::invalid("lang", "invalid_lang", e))?;
    let mut tx = ctx.store.read().await?;
    let look = LookupData::load(&mut tx).await?;
    let mut tables = Vec::new();
    for dim in [
        Dimension::SectorGroup,
        Dimension::Sector,
        Dimension::Locality,
        Dimension::Donor,
        Dimension::Country,
        Dimension::Region,
        Dimension::Modality,
        Dimension::AidOwner,
        Dimension::Status,
    ] {
        tables.push(rollup_table(&mut tx, &look, &period, dim, lang).await?);
    }
    let bytes = crate::reports::xlsx::workbook(&tables, lang)?;
    let out = a
        .out
        .unwrap_or_else(|| format!("rollup-{}.xlsx", period.code().replace("..", "_")).into());
    write_atomically(&out, &bytes)?;
    println!(
        "wrote {} ({} sheets, {} bytes)",
        out.display(),
        tables.len(),
        bytes.len()
    );
    if let Some(t) = tables.first().filter(|t| !t.unconverted.is_empty()) {
        println!(
            "note: {} transaction(s) without a usable rate are not in these figures; see `aidledger rollup`",
            t.unconverted.len()
        );
    }
    Ok(())
}

pub(super) async fn report_text(ctx: &Ctx, system: &Actor, a: ReportTextArgs) -> Result<()> {
    let period = Period::parse(&a.period, ctx.config.vn_reporting_periods)
        .map_err(|e| Error::invalid("period", "invalid_period", e.to_string()))?;
    let lang: Lang = a
        .lang
        .parse()
        .map_err(|e: String| Error::invalid("lang", "invalid_lang", e))?;
    let mut body = String::new();
    std::io::stdin()
        .take(100_000)
        .read_to_string(&mut body)
        .map_err(|e| Error::invalid("body", "unreadable", format!("cannot read the text: {e}")))?;
    crate::actions::reports::save_report_text(ctx, system, &period, lang, &a.section, body.trim())
        .await?;
    println!(
        "saved section {} of the {} report for {}",
        a.section,
        lang.code(),
        period.code()
    );
    Ok(())
}
