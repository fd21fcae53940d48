//! `tim openapi SCHEMA_DIR [-o FILE]`: an OpenAPI 3.1 document of every endpoint.

use std::process::ExitCode;

use tim_rest::Region;
use tim_rest_codegen::openapi::{export_dir, Server};

use crate::cli::CodegenArgs;

/// Runs `tim openapi`.
pub fn run(args: CodegenArgs) -> anyhow::Result<ExitCode> {
    let document = export_dir(&args.schema_dir, &servers()).map(|document| {
        let mut text = serde_json::to_string_pretty(&document).expect("a JSON value serializes");
        text.push('\n');
        text
    });
    super::write_generated(document, &args)
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
