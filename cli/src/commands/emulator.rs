//! `tim emulator`: serves the emulator until Ctrl-C (or SIGTERM), then saves its state.

use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context};
use tim_rest_emulator::EmulatorConfig;

use crate::cli::EmulatorArgs;
use crate::target::{load_key, KEY_ENV};

/// Runs `tim emulator`.
pub async fn run(args: EmulatorArgs) -> anyhow::Result<ExitCode> {
    if !(0.0..=1.0).contains(&args.fault_rate) {
        bail!("--fault-rate must be within 0 and 1");
    }
    let key = match (&args.key_file, std::env::var_os(KEY_ENV)) {
        (Some(path), _) => Some(load_key(Some(path))?),
        (None, Some(_)) => Some(load_key(None)?),
        (None, None) => None,
    };
    let key_source = match (&args.key_file, &key) {
        (Some(path), _) => format!("from {}", path.display()),
        (None, Some(_)) => format!("from {KEY_ENV}"),
        (None, None) => "generated".to_owned(),
    };
    let config = EmulatorConfig {
        sdkappid: args.sdkappid,
        admin: args.admin.clone(),
        key,
        fault_rate: args.fault_rate,
        seed: args.seed,
        latency: Duration::from_millis(args.latency),
        state_file: args.state.clone(),
        enforce_rate_limits: !args.no_rate_limits,
    };
    let emulator = tim_rest_emulator::start(config, args.addr)
        .await
        .with_context(|| format!("cannot start the emulator on {}", args.addr))?;
    let base_url = emulator.base_url();
    let mut banner = String::new();
    let _ = writeln!(banner, "tim emulator listening on {base_url}");
    let _ = writeln!(banner, "  sdkappid  {}", emulator.sdkappid());
    let _ = writeln!(banner, "  admin     {}", emulator.admin());
    if key_source == "generated" {
        // An emulator's throw-away key: printed so clients can sign with it.
        let _ = writeln!(
            banner,
            "  key       {} (generated)",
            emulator.key().expose_secret()
        );
    } else {
        let _ = writeln!(banner, "  key       {key_source}");
    }
    match &args.state {
        Some(path) => {
            let _ = writeln!(banner, "  state     {}", path.display());
        }
        None => {
            let _ = writeln!(
                banner,
                "  state     in memory (lost on exit; --state FILE keeps it)"
            );
        }
    }
    if args.fault_rate > 0.0 {
        let _ = writeln!(
            banner,
            "  faults    {} of requests (seed {})",
            args.fault_rate, args.seed
        );
    }
    let _ = writeln!(
        banner,
        "import into it: TIM_SECRET_KEY=<key> tim import FILE --base-url {base_url} --sdkappid {} --import-accounts",
        emulator.sdkappid()
    );
    let _ = writeln!(banner, "press Ctrl-C to stop");
    super::out(&banner);
    wait_for_stop().await;
    let stats = emulator.stats();
    let snapshot = emulator.snapshot();
    emulator.shutdown().await.context("stopping the emulator")?;
    let relations: usize = snapshot.friends.values().map(|m| m.len()).sum();
    super::out(&format!(
        "stopped after {} requests ({} faults injected, {} rate-limited); {} accounts, {relations} relations{}\n",
        stats.requests,
        stats.faults_injected,
        stats.rate_limited,
        snapshot.accounts.len(),
        match &args.state {
            Some(p) => format!(", saved to {}", p.display()),
            None => String::new(),
        }
    ));
    Ok(ExitCode::SUCCESS)
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
