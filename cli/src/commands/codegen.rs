//! `tim codegen SCHEMA_DIR [-o FILE]`: the formatted code `include_schema!` generates.

use std::process::ExitCode;

use anyhow::Context;
use tim_rest_codegen::{generate_formatted, Settings};

use crate::cli::CodegenArgs;

/// Runs `tim codegen`.
pub fn run(args: CodegenArgs) -> anyhow::Result<ExitCode> {
    match generate_formatted(&args.schema_dir, &Settings::standalone()) {
        Ok(code) => {
            match &args.output {
                Some(path) => std::fs::write(path, code)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => super::out(&code),
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
