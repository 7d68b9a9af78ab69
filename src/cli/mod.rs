//! The `aidledger` command line: parses arguments with clap, opens the store and runs one
//! command. `main.rs` only calls [`run`].

use crate::actions::users::{NewUser, add_user, set_password};
use crate::actions::{Actor, Ctx};
use crate::auth::password;
use crate::config::Config;
use crate::db::{Store, users};
use crate::domain::item::Role;
use crate::error::{Error, Result};
use clap::{Args, Parser, Subcommand};
pub use reports::{ExportArgs, OutputFormat, ReportArgs, ReportTextArgs, RollupArgs};

/// The command line's `print!` and `println!`. Those panic when standard output is closed
/// (`aidledger import csv f --format json | head` ended in a panic message): here a reader
/// that went away ends the command as a Unix tool ends, quietly with status 141
/// (128 + SIGPIPE), and nothing of an unfinished import is stored, since it is one
/// transaction. Any other write error is reported and ends with status 74 (EX_IOERR).
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::emit(format_args!($($arg)*), false) };
}
macro_rules! outln {
    ($($arg:tt)*) => { $crate::cli::emit(format_args!($($arg)*), true) };
}

/// Writes for [`out!`] and [`outln!`].
pub(crate) fn emit(args: std::fmt::Arguments<'_>, newline: bool) {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_fmt(args)
        .and_then(|()| {
            if newline {
                stdout.write_all(b"\n")
            } else {
                Ok(())
            }
        })
        .and_then(|()| stdout.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(141),
        Err(e) => {
            eprintln!("aidledger: writing to standard output failed: {e}");
            std::process::exit(74);
        }
    }
}

pub mod export;
pub mod import;
pub mod maintenance;
mod progress;
mod reports;
mod restore_sqlite;
pub mod sheets;
pub use maintenance::{BackupArgs, RestoreArgs};
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
    /// Write a consistent backup of the database (safe while the server runs).
    Backup(BackupArgs),
    /// Load a backup into an empty database, verify its audit trail and print its counts.
    Restore(RestoreArgs),
    /// Print a period's committed and disbursed totals by one dimension, then the total row.
    Rollup(RollupArgs),
    /// Issue the period's official report: archive the PDF (with its SHA-256), LOCK THE
    /// PERIOD and write the PDF; or write a draft (--draft) or an archived version (--version).
    Report(ReportArgs),
    /// Write the period's rollup as an XLSX workbook (`export --period P`), or every
    /// transaction of a selection as CSV (`export transactions --out FILE`).
    Export(export::ExportCmd),
    /// Save a free-text section of the period's report (IV assessment, V tasks, VI
    /// recommendations), read from standard input.
    ReportText(ReportTextArgs),
    /// Bring data in: spreadsheet templates (CSV, XLSX) with a preview, or check IATI XML.
    #[command(subcommand)]
    Import(import::ImportCmd),
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
    /// Check the hash chain, every issued report's anchor, and that the money, rate, period
    /// lock and user rows equal what their audit entries recorded.
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

/// Runs the web server with the checked settings; prints the address it really listens on
/// once it does.
async fn serve(config: Config, store: Store, server: crate::config::server::Server) -> Result<()> {
    let (address, port) = (server.address, server.port);
    let banner = rocket::fairing::AdHoc::on_liftoff("banner", |rocket| {
        Box::pin(async move {
            let c = rocket.config();
            outln!(
                "aidledger is listening on {} (stop it with Ctrl+C)",
                crate::config::server::url(c.address, c.port, c.tls_enabled())
            );
        })
    });
    crate::build(config, store)
        .configure(server.figment)
        .attach(banner)
        .launch()
        .await
        .map(drop)
        .map_err(|e| match e.kind() {
            rocket::error::ErrorKind::Bind(io) => Error::config(format!(
                "cannot listen on {address}:{port} (set by ROCKET_ADDRESS and ROCKET_PORT): {io}"
            )),
            _ => Error::config(format!("the server stopped: {e}")),
        })
}

/// Runs the command line; returns the process exit code.
pub async fn run(cli: Cli) -> Result<()> {
    let mut config = Config::from_env()?;
    if let Some(url) = cli.database_url {
        config.database_url = url;
    }
    let command = cli.command.unwrap_or(Command::Serve(ServeArgs::default()));
    // Everything the server needs is checked before the database is opened (which creates
    // the file) or demo data is loaded, so a bad setting leaves nothing behind.
    let server = match &command {
        Command::Serve(_) => {
            let server = crate::config::server::check(&config)?;
            crate::config::server::check_bind(&server)?;
            Some(server)
        }
        _ => None,
    };
    let store = open(&config).await?;
    let ctx = Ctx {
        store: store.clone(),
        config: config.clone(),
    };
    let system = Actor::system("cli");
    match command {
        Command::Migrate => {
            outln!(
                "database is at schema version {} ({:?})",
                store.schema_version().await?,
                store.backend()
            );
        }
        Command::Demo => {
            let summary = crate::demo::load(&ctx).await?;
            out!("{summary}");
        }
        Command::Serve(args) => {
            if args.demo {
                match crate::demo::load(&ctx).await {
                    Ok(summary) => out!("{summary}"),
                    Err(Error::Conflict {
                        code: "not_empty", ..
                    }) => outln!(
                        "The database already holds data; serving it as it is (demo data is only loaded into an empty database)."
                    ),
                    Err(e) => return Err(e),
                }
            }
            let mut tx = store.read().await?;
            if users::count_users(&mut tx).await? == 0 {
                outln!(
                    "No users yet. Create the first administrator with:\n    aidledger user add admin --role admin\n(cargo run -- user add admin --role admin, from a checkout)"
                );
            }
            drop(tx);
            maintenance::check_at_start(&config.database_url).await?;
            let Some(server) = server else {
                return Err(Error::Internal("serve without checked settings".into()));
            };
            serve(config, store.clone(), server).await?;
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
            outln!("created user {} (id {id}, role {})", cmd.username, cmd.role);
            if generated {
                outln!("password (shown once): {pw}");
            }
        }
        Command::User(UserCommand::Passwd(a)) => {
            let (pw, generated) = read_password(a.password_stdin)?;
            set_password(&ctx, &system, &a.username, pw.clone()).await?;
            outln!("password of {} changed", a.username);
            if generated {
                outln!("new password (shown once): {pw}");
            }
        }
        Command::Rollup(a) => reports::rollup(&ctx, a).await?,
        Command::Report(a) => reports::report(&ctx, &system, a).await?,
        Command::Export(a) => export::run(&ctx, &system, a).await?,
        Command::ReportText(a) => reports::report_text(&ctx, &system, a).await?,
        Command::Audit(AuditCommand::Verify) => maintenance::audit_verify(&store).await?,
        Command::Backup(a) => maintenance::backup(&store, &config.database_url, &a).await?,
        Command::Restore(a) => maintenance::restore(&store, &config.database_url, &a).await?,
        Command::Import(import::ImportCmd::Csv(a)) => {
            sheets::import(&ctx, crate::interchange::SheetFormat::Csv, a).await?;
        }
        Command::Import(import::ImportCmd::Xlsx(a)) => {
            sheets::import(&ctx, crate::interchange::SheetFormat::Xlsx, a).await?;
        }
        Command::Import(import::ImportCmd::Iati(a)) if !a.schema_only => {
            import::import_iati(&ctx, a).await?;
        }
        Command::Import(c) => {
            // A file that breaks the schema is an answer, not an error: its own exit code.
            let code = import::run(c)?;
            if code != 0 {
                store.close().await;
                std::process::exit(i32::from(code));
            }
        }
    }
    store.close().await;
    Ok(())
}
