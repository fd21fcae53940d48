//! Where calls go and with which credentials: a region or base URL with the application's
//! SDKAppID, admin and secret key, or an emulator started in this process.
//!
//! The secret key comes from `--key-file` or the environment variable `TIM_SECRET_KEY`, never
//! from a plain argument (which would show in `ps` and shell history).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context};
use tim_rest::usersig::SecretKey;
use tim_rest::{Region, RetryPolicy};
use tim_rest_emulator::{Emulator, EmulatorConfig};

/// The environment variable holding the secret key.
pub const KEY_ENV: &str = "TIM_SECRET_KEY";

/// The regions, as command-line values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RegionArg {
    /// console.tim.qq.com
    China,
    /// adminapisgp.im.qcloud.com
    Singapore,
    /// adminapikr.im.qcloud.com
    Seoul,
    /// adminapijpn.im.qcloud.com
    Tokyo,
    /// adminapiger.im.qcloud.com
    Frankfurt,
    /// adminapiind.im.qcloud.com
    Mumbai,
    /// adminapiusa.im.qcloud.com
    SiliconValley,
    /// adminapiidn.im.qcloud.com
    Jakarta,
}

impl From<RegionArg> for Region {
    fn from(r: RegionArg) -> Region {
        match r {
            RegionArg::China => Region::China,
            RegionArg::Singapore => Region::Singapore,
            RegionArg::Seoul => Region::Seoul,
            RegionArg::Tokyo => Region::Tokyo,
            RegionArg::Frankfurt => Region::Frankfurt,
            RegionArg::Mumbai => Region::Mumbai,
            RegionArg::SiliconValley => Region::SiliconValley,
            RegionArg::Jakarta => Region::Jakarta,
        }
    }
}

/// Reads the secret key: from `key_file` if given, else from `TIM_SECRET_KEY`.
pub fn load_key(key_file: Option<&Path>) -> anyhow::Result<SecretKey> {
    let text = match key_file {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the key file {}", path.display()))?,
        None => match std::env::var(KEY_ENV) {
            Ok(key) => key,
            Err(_) => bail!(
                "no secret key: give --key-file FILE or set {KEY_ENV} (a key is never taken \
                 as a plain argument)"
            ),
        },
    };
    let key = text.trim();
    if key.is_empty() {
        bail!("the secret key is empty");
    }
    Ok(SecretKey::new(key))
}

/// A remote service to call.
#[derive(Debug, Clone)]
pub struct Remote {
    /// Region, or...
    pub region: Option<Region>,
    /// ...base URL.
    pub base_url: Option<String>,
    /// SDKAppID.
    pub sdkappid: u64,
    /// Admin identifier.
    pub admin: String,
    /// Accept plain http to a non-loopback host.
    pub allow_insecure_http: bool,
    /// Per-attempt timeout.
    pub timeout: Duration,
}

/// Builds the client for `remote` with `key`. Its own retries are off: the import retries
/// every attempt through its rate limiter.
pub fn client(remote: &Remote, key: SecretKey) -> anyhow::Result<tim_rest::Client> {
    let mut builder = tim_rest::Client::builder()
        .sdkappid(remote.sdkappid)
        .admin(remote.admin.as_str())
        .secret_key(key)
        .timeout(remote.timeout)
        .retry(RetryPolicy::none())
        .danger_allow_insecure_http(remote.allow_insecure_http);
    builder = match (&remote.base_url, remote.region) {
        (Some(url), _) => builder.base_url(url),
        (None, Some(region)) => builder.region(region),
        (None, None) => bail!("say where to call: --region REGION, --base-url URL, or --emulator"),
    };
    builder.build().context("cannot build the client")
}

/// An emulator started in this process, and a client for it.
pub struct LocalEmulator {
    /// The emulator.
    pub emulator: Emulator,
    /// A client calling it.
    pub client: tim_rest::Client,
}

/// Starts an emulator on a free loopback port with a generated key.
pub async fn start_local_emulator(
    sdkappid: u64,
    admin: &str,
    fault_rate: f64,
    seed: u64,
    timeout: Duration,
) -> anyhow::Result<LocalEmulator> {
    let config = EmulatorConfig {
        sdkappid,
        admin: admin.to_owned(),
        key: None,
        fault_rate,
        seed,
        latency: Duration::ZERO,
        state_file: None::<PathBuf>,
        enforce_rate_limits: true,
    };
    let addr: SocketAddr = "127.0.0.1:0".parse().expect("a socket address");
    let emulator = tim_rest_emulator::start(config, addr)
        .await
        .context("cannot start the emulator")?;
    let remote = Remote {
        region: None,
        base_url: Some(emulator.base_url()),
        sdkappid,
        admin: admin.to_owned(),
        allow_insecure_http: false,
        timeout,
    };
    let client = client(&remote, emulator.key().clone())?;
    Ok(LocalEmulator { emulator, client })
}

/// Where a command sends its calls, from its target flags.
pub struct Destination {
    /// A client for it.
    pub client: tim_rest::Client,
    /// How the summary names it.
    pub where_to: String,
    /// The emulator started in this process for `--emulator`, to report on and stop.
    pub local: Option<Emulator>,
}

/// The destination of `target`, or of an emulator started in this process when `emulator`
/// gives its fault rate and seed.
pub async fn destination(
    target: &crate::cli::TargetArgs,
    emulator: Option<(f64, u64)>,
) -> anyhow::Result<Destination> {
    let timeout = Duration::from_secs(target.timeout.max(1));
    if let Some((fault_rate, seed)) = emulator {
        let sdkappid = target.sdkappid.unwrap_or(1_400_000_000);
        let local =
            start_local_emulator(sdkappid, &target.admin, fault_rate, seed, timeout).await?;
        return Ok(Destination {
            where_to: format!(
                "the in-process emulator at {} (sdkappid {sdkappid})",
                local.emulator.base_url()
            ),
            client: local.client,
            local: Some(local.emulator),
        });
    }
    let Some(sdkappid) = target.sdkappid else {
        bail!("give --sdkappid (or TIM_SDKAPPID), or use --emulator");
    };
    let remote = Remote {
        region: target.region.map(Into::into),
        base_url: target.base_url.clone(),
        sdkappid,
        admin: target.admin.clone(),
        allow_insecure_http: target.allow_insecure_http,
        timeout,
    };
    if remote.region.is_none() && remote.base_url.is_none() {
        bail!("say where to call: --region REGION, --base-url URL, or --emulator");
    }
    let client = client(&remote, load_key(target.key_file.as_deref())?)?;
    Ok(Destination {
        where_to: format!("{} (sdkappid {sdkappid})", client.base_url()),
        client,
        local: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_is_trimmed_and_empty_refused() {
        let dir = std::env::temp_dir().join(format!("tim-key-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("key");
        std::fs::write(&path, "abc123\n").unwrap();
        assert_eq!(load_key(Some(&path)).unwrap().expose_secret(), "abc123");
        std::fs::write(&path, "  \n").unwrap();
        assert!(load_key(Some(&path)).is_err());
        assert!(load_key(Some(&dir.join("missing"))).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
