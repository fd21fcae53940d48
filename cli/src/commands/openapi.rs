//! `tim openapi SCHEMA_DIR [-o FILE]`: an OpenAPI 3.1 document of every endpoint.

use std::process::ExitCode;

use anyhow::Context;
use tim_rest::Region;
use tim_rest_codegen::openapi::{export_dir, Server};

use crate::cli::CodegenArgs;

/// Runs `tim openapi`.
pub fn run(args: CodegenArgs) -> anyhow::Result<ExitCode> {
    match export_dir(&args.schema_dir, &servers()) {
        Ok(document) => {
            let mut text = serde_json::to_string_pretty(&document)?;
            text.push('\n');
            match &args.output {
                Some(path) => std::fs::write(path, text)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => super::out(&text),
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

/// Every region's domain, then every backup domain: the runtime's own list, so the document
/// and the client agree on where the service is.
fn servers() -> Vec<Server> {
    let main = Region::ALL.into_iter().map(|r| Server {
        url: r.base_url(false),
        description: r.name().to_owned(),
    });
    let backup = Region::ALL.into_iter().map(|r| Server {
        url: r.base_url(true),
        description: format!("{} (backup domain)", r.name()),
    });
    main.chain(backup).collect()
}
