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
    match aidledger::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("aidledger: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
