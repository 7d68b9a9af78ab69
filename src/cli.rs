//! The `aidledger` command line: parses arguments with clap, opens the store and runs one
//! command. `main.rs` only calls [`run`].

use crate::actions::users::{NewUser, add_user, set_password};
use crate::actions::{Actor, Ctx};
use crate::auth::password;
use crate::config::Config;
use crate::db::{Store, audit, users};
use crate::domain::Lang;
use crate::domain::item::Role;
use crate::domain::period::Period;
use crate::error::{Error, Result};
use crate::rollup::table::rollup_table;
use crate::rollup::{Dimension, LookupData};
use clap::{Args, Parser, Subcommand};
use std::io::Read;

#[derive(Parser, Debug)]
#[command(
    name = "aidledger",
    version,
    about = "Monitoring of foreign NGO aid: exact ledger, rollups and the official report"
)]
pub struct Cli {
    /// Database to use: sqlite://path (created if missing) or postgres://user@host/db.
    #[arg(long, global = true, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Start the web application (the default command).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Load the demo data set (one province, 2019-2026) into an empty database.
    Demo,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Check the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Print a period's committed and disbursed totals by one dimension, then the total row.
    Rollup(RollupArgs),
    /// Issue the period's official report: archive the PDF (with its SHA-256) and write it.
    Report(ReportArgs),
    /// Write the period's rollup by every dimension as an XLSX workbook (one sheet each).
    Export(ExportArgs),
    /// Save a free-text section of the period's report (IV assessment, V tasks, VI
    /// recommendations), read from standard input.
    ReportText(ReportTextArgs),
}

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

#[derive(Args, Debug, Default)]
pub struct ServeArgs {
    /// Load the demo data first if the database is empty.
    #[arg(long)]
    pub demo: bool,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a user. The password is read from standard input, or generated and printed once.
    Add(UserAddArgs),
    /// Set a new password for a user (read from standard input, or generated and printed once).
    Passwd(UserPasswdArgs),
}

#[derive(Args, Debug)]
pub struct UserAddArgs {
    /// Login name: lower-case letters, digits, '.', '_' or '-'.
    pub username: String,
    /// One of admin, coordinator, reviewer, ngo.
    #[arg(long)]
    pub role: Role,
    /// The NGO's organisation id (required for the ngo role, refused for the others).
    #[arg(long)]
    pub organisation: Option<i64>,
    /// Name shown in the application (defaults to the username).
    #[arg(long)]
    pub display_name: Option<String>,
    /// Read the password from standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Args, Debug)]
pub struct UserPasswdArgs {
    pub username: String,
    /// Read the password from standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Recompute the hash chain and report the first entry that does not match.
    Verify,
}

/// Opens the configured store and applies migrations.
pub async fn open(config: &Config) -> Result<Store> {
    let store = Store::connect(&config.database_url).await?;
    store.migrate().await?;
    Ok(store)
}

fn read_password(from_stdin: bool) -> Result<(String, bool)> {
    if from_stdin {
        let mut s = String::new();
        std::io::stdin()
            .take(4096)
            .read_to_string(&mut s)
            .map_err(|e| Error::config(format!("cannot read the password: {e}")))?;
        Ok((s.trim_end_matches(['\r', '\n']).to_string(), false))
    } else {
        let p = password::generate();
        if p.is_empty() {
            return Err(Error::config(
                "the operating system gave no randomness to generate a password".into(),
            ));
        }
        Ok((p, true))
    }
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

/// Runs the command line; returns the process exit code.
pub async fn run(cli: Cli) -> Result<()> {
    let mut config = Config::from_env()?;
    if let Some(url) = cli.database_url {
        config.database_url = url;
    }
    let command = cli.command.unwrap_or(Command::Serve(ServeArgs::default()));
    let store = open(&config).await?;
    let ctx = Ctx {
        store: store.clone(),
        config: config.clone(),
    };
    let system = Actor::system("cli");
    match command {
        Command::Migrate => {
            println!(
                "database is at schema version {} ({:?})",
                store.schema_version().await?,
                store.backend()
            );
        }
        Command::Demo => {
            let summary = crate::demo::load(&ctx).await?;
            print!("{summary}");
        }
        Command::Serve(args) => {
            if args.demo {
                match crate::demo::load(&ctx).await {
                    Ok(summary) => print!("{summary}"),
                    Err(Error::Conflict {
                        code: "not_empty", ..
                    }) => println!(
                        "The database already holds data; serving it as it is (demo data is only loaded into an empty database)."
                    ),
                    Err(e) => return Err(e),
                }
            }
            let mut tx = store.read().await?;
            if users::count_users(&mut tx).await? == 0 {
                println!(
                    "No users yet. Create the first administrator with:\n    aidledger user add admin --role admin\n(cargo run -- user add admin --role admin, from a checkout)"
                );
            }
            drop(tx);
            crate::build(config, store.clone())
                .launch()
                .await
                .map_err(|e| Error::config(format!("the server stopped: {e}")))?;
        }
        Command::User(UserCommand::Add(a)) => {
            let (pw, generated) = read_password(a.password_stdin)?;
            let cmd = NewUser {
                display_name: a.display_name.unwrap_or_else(|| a.username.clone()),
                username: a.username,
                role: a.role,
                organisation_id: a.organisation,
                password: pw.clone(),
            };
            let id = add_user(&ctx, &system, cmd.clone()).await?;
            println!("created user {} (id {id}, role {})", cmd.username, cmd.role);
            if generated {
                println!("password (shown once): {pw}");
            }
        }
        Command::User(UserCommand::Passwd(a)) => {
            let (pw, generated) = read_password(a.password_stdin)?;
            set_password(&ctx, &system, &a.username, pw.clone()).await?;
            println!("password of {} changed", a.username);
            if generated {
                println!("new password (shown once): {pw}");
            }
        }
        Command::Rollup(a) => {
            let period = Period::parse(&a.period, config.vn_reporting_periods)
                .map_err(|e| Error::invalid("period", "invalid_period", e.to_string()))?;
            let dim: Dimension =
                a.by.parse()
                    .map_err(|e: String| Error::invalid("by", "invalid_dimension", e))?;
            let lang: Lang = a
                .lang
                .parse()
                .map_err(|e: String| Error::invalid("lang", "invalid_lang", e))?;
            let mut tx = store.read().await?;
            let look = LookupData::load(&mut tx).await?;
            let table = rollup_table(&mut tx, &look, &period, dim, lang).await?;
            match a.format {
                OutputFormat::Table => print!("{}", table.to_text()),
                OutputFormat::Csv => print!("{}", table.to_csv()),
                OutputFormat::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&table)
                        .map_err(|e| Error::Internal(e.to_string()))?
                ),
            }
        }
        Command::Report(a) => {
            let period = Period::parse(&a.period, config.vn_reporting_periods)
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
            let (issued, pdf) = crate::actions::reports::issue_report(&ctx, &system, &cmd).await?;
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
        }
        Command::Export(a) => {
            let period = Period::parse(&a.period, config.vn_reporting_periods)
                .map_err(|e| Error::invalid("period", "invalid_period", e.to_string()))?;
            let lang: Lang = a
                .lang
                .parse()
                .map_err(|e: String| Error::invalid("lang", "invalid_lang", e))?;
            let mut tx = store.read().await?;
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
            let out = a.out.unwrap_or_else(|| {
                format!("rollup-{}.xlsx", period.code().replace("..", "_")).into()
            });
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
        }
        Command::ReportText(a) => {
            let period = Period::parse(&a.period, config.vn_reporting_periods)
                .map_err(|e| Error::invalid("period", "invalid_period", e.to_string()))?;
            let lang: Lang = a
                .lang
                .parse()
                .map_err(|e: String| Error::invalid("lang", "invalid_lang", e))?;
            let mut body = String::new();
            std::io::stdin()
                .take(100_000)
                .read_to_string(&mut body)
                .map_err(|e| {
                    Error::invalid("body", "unreadable", format!("cannot read the text: {e}"))
                })?;
            crate::actions::reports::save_report_text(
                &ctx,
                &system,
                &period,
                lang,
                &a.section,
                body.trim(),
            )
            .await?;
            println!(
                "saved section {} of the {} report for {}",
                a.section,
                lang.code(),
                period.code()
            );
        }
        Command::Audit(AuditCommand::Verify) => {
            let mut tx = store.read().await?;
            let report = audit::verify_chain(&mut tx).await?;
            match report.broken_at {
                None => println!("audit trail intact: {} entries verified", report.entries),
                Some((id, why)) => {
                    return Err(Error::conflict(
                        "audit_broken",
                        format!("audit trail broken at entry {id}: {why}"),
                    ));
                }
            }
        }
    }
    store.close().await;
    Ok(())
}
