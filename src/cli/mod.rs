//! The `aidledger` command line: parses arguments with clap, opens the store and runs one
//! command. `main.rs` only calls [`run`].

use crate::actions::users::{NewUser, add_user, set_password};
use crate::actions::{Actor, Ctx};
use crate::auth::password;
use crate::config::Config;
use crate::db::{Store, audit, users};
use crate::domain::item::Role;
use crate::error::{Error, Result};
use clap::{Args, Parser, Subcommand};
pub use reports::{ExportArgs, OutputFormat, ReportArgs, ReportTextArgs, RollupArgs};

mod reports;
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
    /// Issue the period's official report: archive the PDF (with its SHA-256), LOCK THE
    /// PERIOD and write the PDF; or write a draft (--draft) or an archived version (--version).
    Report(ReportArgs),
    /// Write the period's rollup by every dimension as an XLSX workbook (one sheet each).
    Export(ExportArgs),
    /// Save a free-text section of the period's report (IV assessment, V tasks, VI
    /// recommendations), read from standard input.
    ReportText(ReportTextArgs),
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
        Command::Rollup(a) => reports::rollup(&ctx, a).await?,
        Command::Report(a) => reports::report(&ctx, &system, a).await?,
        Command::Export(a) => reports::export(&ctx, a).await?,
        Command::ReportText(a) => reports::report_text(&ctx, &system, a).await?,
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
