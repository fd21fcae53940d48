//! The emulator as a separate process that also reports its counters: the same
//! `tim_rest_emulator::start` that `tim emulator` runs, printing `Emulator::stats()` (requests,
//! 60007 answers, `max_per_second` per path) as one JSON line every `--interval` seconds and
//! once more when it stops (SIGTERM or SIGINT). `tim emulator`
//! prints neither the 60007 count per second nor `max_per_second`, which the import benchmark
//! reports; `scripts/bench-import.sh` runs this for the rate-limit measurement.
//!
//! ```sh
//! cargo bench -p tim-rest-cli --bench emulator_stats --no-run   # builds target/release/deps/emulator_stats-*
//! emulator_stats --addr 127.0.0.1:9000 --key-file KEY [--no-rate-limits] [--interval SECS]
//! ```
//!
//! Run by `cargo bench` without `--addr` (as cargo does, with `--bench`), it does nothing.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use tim_rest_emulator::EmulatorConfig;

struct Args {
    addr: Option<SocketAddr>,
    key_file: Option<PathBuf>,
    enforce: bool,
    interval: Duration,
}

fn parse_args() -> Args {
    let mut args = Args {
        addr: None,
        key_file: None,
        enforce: true,
        interval: Duration::from_secs(1),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--addr" => args.addr = it.next().and_then(|v| v.parse().ok()),
            "--key-file" => args.key_file = it.next().map(PathBuf::from),
            "--no-rate-limits" => args.enforce = false,
            "--interval" => {
                let secs: f64 = it.next().and_then(|v| v.parse().ok()).unwrap_or(1.0);
                args.interval = Duration::from_secs_f64(secs.max(0.05));
            }
            _ => {} // --bench and filters from cargo bench
        }
    }
    args
}

fn line(started: Instant, stats: &tim_rest_emulator::Stats, last: bool) -> String {
    format!(
        "{{\"t\":{:.3},\"final\":{last},\"stats\":{}}}",
        started.elapsed().as_secs_f64(),
        serde_json::to_string(stats).expect("stats serialize")
    )
}

#[tokio::main]
async fn main() {
    let args = parse_args();
    let Some(addr) = args.addr else {
        eprintln!("emulator_stats: no --addr, nothing to do (see the file's docs)");
        return;
    };
    let key = args.key_file.as_deref().map(|path| {
        tim_rest_cli::target::load_key(Some(path)).unwrap_or_else(|e| {
            eprintln!("emulator_stats: {e:#}");
            std::process::exit(2)
        })
    });
    let config = EmulatorConfig {
        key,
        enforce_rate_limits: args.enforce,
        ..EmulatorConfig::default()
    };
    let emulator = tim_rest_emulator::start(config, addr)
        .await
        .unwrap_or_else(|e| {
            eprintln!("emulator_stats: cannot start on {addr}: {e}");
            std::process::exit(2)
        });
    eprintln!(
        "emulator_stats listening on {} (rate limits {})",
        emulator.base_url(),
        if args.enforce { "enforced" } else { "off" }
    );
    let started = Instant::now();
    let stop = async {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    };
    tokio::pin!(stop);
    let mut tick = tokio::time::interval(args.interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            _ = tick.tick() => println!("{}", line(started, &emulator.stats(), false)),
        }
    }
    println!("{}", line(started, &emulator.stats(), true));
    // Dropping it closes the listener; the state (in memory only) goes with it.
    drop(emulator);
}
