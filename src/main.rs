//! The `aidledger` binary: parses the command line and hands over to the library.

use clap::Parser;

#[rocket::main]
async fn main() -> std::process::ExitCode {
    let cli = aidledger::cli::Cli::parse();
    match aidledger::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("aidledger: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
