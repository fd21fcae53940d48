//! `tim`: see `tim --help`. Everything lives in the `tim_rest_cli` library.

use std::process::ExitCode;

use clap::Parser;
use tim_rest_cli::cli::Cli;

/// Records are allocated by the thread that reads them and freed by the tasks that send them;
/// glibc's malloc serves that pattern slowly (BENCHMARKS.md, "client CPU").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let level = match cli.verbose {
        0 => "warn",
        1 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(tim_rest_cli::commands::run(cli))
}
