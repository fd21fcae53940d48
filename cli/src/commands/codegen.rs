//! `tim codegen SCHEMA_DIR [-o FILE]`: the formatted code `include_schema!` generates.

use std::process::ExitCode;

use tim_rest_codegen::{generate_formatted, Settings};

use crate::cli::CodegenArgs;

/// Runs `tim codegen`.
pub fn run(args: CodegenArgs) -> anyhow::Result<ExitCode> {
    super::write_generated(
        generate_formatted(&args.schema_dir, &Settings::standalone()),
        &args,
    )
}
