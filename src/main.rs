//! The `aidledger` binary: parses the command line and hands over to the library.

use clap::Parser;

#[rocket::main]
async fn main() -> std::process::ExitCode {
    let cli = aidledger::cli::Cli::parse();
    // Only the server reads the lookup data again and again; every other command reads it
    // at most once and should free it when done (a national report draws for a second after).
    if !matches!(cli.command, None | Some(aidledger::cli::Command::Serve(_))) {
        aidledger::rollup::keep_lookup_copies(false);
    }
    if matches!(cli.command, Some(aidledger::cli::Command::Report(_))) {
        purge_freed_memory_at_once();
    }
    match aidledger::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("aidledger: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// A report reads the ledger, builds the document and then draws it, each step on freed memory
/// of the one before. With mimalloc's default it holds freed memory for a while, so the steps'
/// peaks add up: 175 MiB for a national year against 131 MiB when freed memory goes back at once,
/// in the same time (BENCHMARKS.md, ninth round). mimalloc reads `MIMALLOC_PURGE_DELAY` only when
/// a process starts, so the command starts itself again with it set, unless the operator has
/// set it. The server keeps the default: under load, purging at once costs a fifth of its
/// throughput (README).
fn purge_freed_memory_at_once() {
    const PURGE: &str = "MIMALLOC_PURGE_DELAY";
    #[cfg(unix)]
    if std::env::var_os(PURGE).is_none()
        && let Ok(exe) = std::env::current_exe()
    {
        use std::os::unix::process::CommandExt;
        // `exec` returns only when it could not start the program: the report then runs here.
        let _ = std::process::Command::new(exe)
            .args(std::env::args_os().skip(1))
            .env(PURGE, "0")
            .exec();
    }
}
