//! The commands, one module each.

use std::process::ExitCode;

use crate::cli::{Cli, Command};

pub mod codegen;
pub mod emulator;
pub mod import;
pub mod migrate;
pub mod openapi;
pub mod usersig;

/// Writes `text` to standard output, ignoring a closed pipe (`tim ... | head`).
pub fn out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Runs the command `cli` names. Errors are printed; the exit code says how it went.
pub async fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Import(args) => import::run(args).await,
        Command::Migrate(args) => migrate::run(args).await,
        Command::Emulator(args) => emulator::run(args).await,
        Command::Usersig(command) => usersig::run(command),
        Command::Codegen(args) => codegen::run(args),
        Command::Openapi(args) => openapi::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
