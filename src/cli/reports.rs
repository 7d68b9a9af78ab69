//! The reporting commands: `rollup`, `report`, `export` and `report-text`. Each parses its
//! arguments into typed values and calls one rollup or action; files are written atomically.

use crate::actions::reports::{self, IssueCmd, SignerInput};
use crate::actions::{Actor, Ctx};
use crate::domain::Lang;
use crate::domain::period::Period;
use crate::error::{Error, Result};
use crate::rollup::table::rollup_table;
use crate::rollup::{Dimension, LookupData};
use clap::Args;
use sha2::Digest;
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
#[command(
    after_help = "Issuing archives the PDF (with its SHA-256) and LOCKS THE PERIOD: nothing dated in it can then be entered or changed until a reviewer unlocks it with a reason, and the same report cannot be issued again before that. Use --draft to look at the report first; it archives, locks and audits nothing."
)]
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
    /// Where to write the PDF (its folder must exist); defaults to report-<period>-<lang>.pdf.
    #[arg(long)]
    pub out: Option<std::path::PathBuf>,
    /// Render a draft marked "DỰ THẢO" / "DRAFT": nothing is archived, locked or audited.
    #[arg(long, conflicts_with = "version")]
    pub draft: bool,
    /// Write an archived version's stored PDF again instead of issuing.
    #[arg(long)]
    pub version: Option<i64>,
    /// The signer's full name (default AIDLEDGER_SIGNER_NAME).
    #[arg(long)]
    pub signer_name: Option<String>,
    /// The signer's title, e.g. "PHÓ GIÁM ĐỐC" (default AIDLEDGER_SIGNER_TITLE_VI / _EN).
    #[arg(long)]
    pub signer_title: Option<String>,
    /// The authority line above the title, e.g. "KT. GIÁM ĐỐC"; "" for none (default
    /// AIDLEDGER_SIGNER_AUTHORITY_VI / _EN).
    #[arg(long)]
    pub signer_authority: Option<String>,
    /// A recipient ("Nơi nhận"), repeated in order, the last being the archive line such as
    /// "Lưu: VT, QLNN"; replaces AIDLEDGER_RECIPIENTS_VI / _EN.
    #[arg(long = "recipient")]
    pub recipients: Vec<String>,
    /// Issue even though sections IV-VI are empty; they then print "Không có nội dung".
    #[arg(long)]
    pub allow_empty_sections: bool,
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

/// The temporary name beside `path` that [`write_atomically`] (and the streamed exports) write
/// first, so a reader never sees half a file and a failed write leaves the old one as it was.
pub(super) fn temporary_name(path: &std::path::Path) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.part", std::process::id()))
}

/// Refuses an output path that cannot be written (a missing or read-only folder, a folder
/// where the file should be) by creating and removing the temporary file there, so a report
/// is never archived and locked when its PDF could not then be written.
fn check_writable(path: &std::path::Path) -> Result<()> {
    let refuse = |why: String| {
        Error::invalid(
            "out",
            "unwritable_out",
            format!("cannot write {}: {why}", path.display()),
        )
    };
    if path.is_dir() {
        return Err(refuse("it is a folder; give a file name".into()));
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    if !parent.is_dir() {
        return Err(refuse(format!(
            "the folder {} does not exist",
            parent.display()
        )));
    }
    let tmp = temporary_name(path);
    std::fs::File::create(&tmp).map_err(|e| refuse(e.to_string()))?;
    let _ = std::fs::remove_file(&tmp);
    if path.exists() {
        std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|e| refuse(e.to_string()))?;
    }
    Ok(())
}

/// Writes `bytes` to a temporary file beside `path`, syncs it, then renames it into place, so
/// a reader never sees half a PDF.
pub(super) fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let io = |e: std::io::Error| Error::config(format!("cannot write {}: {e}", path.display()));
    let tmp = temporary_name(path);
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.map_err(io)
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
        OutputFormat::Table => out!("{}", table.to_text()),
        OutputFormat::Csv => out!("{}", table.to_csv()),
        OutputFormat::Json => outln!(
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
    let out = a.out.clone().unwrap_or_else(|| {
        let draft = if a.draft { "-draft" } else { "" };
        format!(
            "report-{}-{}{draft}.pdf",
            period.code().replace("..", "_"),
            lang.code()
        )
        .into()
    });
    check_writable(&out)?;
    if let Some(version) = a.version {
        return rewrite_version(ctx, system, &period, lang, version, &out).await;
    }
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
    let cmd = IssueCmd {
        signer: SignerInput {
            authority: a.signer_authority,
            title: a.signer_title,
            name: a.signer_name,
        },
        recipients: (!a.recipients.is_empty()).then_some(a.recipients),
        allow_empty_sections: a.allow_empty_sections,
        ..IssueCmd::new(period, lang, issued_on, a.number.clone())
    };
    if a.draft {
        let pdf = reports::draft_report(ctx, system, &cmd).await?;
        write_atomically(&out, &pdf)?;
        outln!(
            "wrote the DRAFT of the {} report for {} to {} ({} bytes); nothing was archived, locked or audited",
            lang.code(),
            period.code(),
            out.display(),
            pdf.len()
        );
        return Ok(());
    }
    let (issued, pdf) = reports::issue_report(ctx, system, &cmd).await?;
    write_atomically(&out, &pdf)?;
    outln!(
        "issued report {} ({}) version {} ({} bytes, SHA-256 {}) and wrote {}",
        issued.period,
        lang.code(),
        issued.version,
        issued.byte_size,
        issued.sha256,
        out.display()
    );
    outln!(
        "the period {} is now LOCKED: nothing dated in it can be entered or changed until a reviewer unlocks it with a reason",
        issued.period
    );
    Ok(())
}

/// Writes the stored bytes of an archived version again and checks them against the SHA-256
/// recorded when it was issued.
async fn rewrite_version(
    ctx: &Ctx,
    system: &Actor,
    period: &Period,
    lang: Lang,
    version: i64,
    out: &std::path::Path,
) -> Result<()> {
    let mut tx = ctx.store.read().await?;
    let id = crate::db::reports::find_version(&mut tx, &period.code(), lang, version)
        .await?
        .ok_or_else(|| {
            Error::NotFound(format!(
                "version {version} of the {} report for {}",
                lang.code(),
                period.code()
            ))
        })?;
    drop(tx);
    let (issued, pdf) = crate::actions::queries::get_issued_pdf(ctx, system, id).await?;
    let sha256 = hex::encode(sha2::Sha256::digest(&pdf));
    if sha256 != issued.sha256 {
        return Err(Error::Internal(format!(
            "the archived PDF of version {version} does not match its recorded SHA-256 {} (it hashes to {sha256})",
            issued.sha256
        )));
    }
    write_atomically(out, &pdf)?;
    outln!(
        "wrote archived version {version} of the {} report for {} ({} bytes, SHA-256 {sha256}, as recorded) to {}",
        lang.code(),
        issued.period,
        pdf.len(),
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
    outln!(
        "wrote {} ({} sheets, {} bytes)",
        out.display(),
        tables.len(),
        bytes.len()
    );
    if let Some(t) = tables.first().filter(|t| !t.unconverted.is_empty()) {
        outln!(
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
    reports::save_report_text(ctx, system, &period, lang, &a.section, body.trim()).await?;
    outln!(
        "saved section {} of the {} report for {}",
        a.section,
        lang.code(),
        period.code()
    );
    Ok(())
}
