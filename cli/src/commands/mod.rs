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

/// Writes what a command generated from a schema directory to `args.output` (or standard
/// output), or prints the schema's located errors: exit status 0 or 1.
pub fn write_generated(
    generated: Result<String, tim_rest_codegen::Diagnostics>,
    args: &crate::cli::CodegenArgs,
) -> anyhow::Result<ExitCode> {
    use anyhow::Context;
    match generated {
        Ok(text) => {
            match &args.output {
                Some(path) => std::fs::write(path, text)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => out(&text),
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(diagnostics) => {
            for d in &diagnostics {
                eprintln!("error: {d}");
            }
            eprintln!(
                "{} error{} in {}",
                diagnostics.len(),
                if diagnostics.len() == 1 { "" } else { "s" },
                args.schema_dir.display()
            );
            Ok(ExitCode::from(1))
        }
    }
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
