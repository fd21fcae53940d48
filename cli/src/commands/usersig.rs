//! `tim usersig gen|verify`.

use std::fmt::Write as _;
use std::io::Read;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context};
use tim_rest::usersig;

use crate::cli::{UsersigCommand, UsersigGenArgs, UsersigVerifyArgs};
use crate::target::load_key;

/// Runs `tim usersig ...`.
pub fn run(command: UsersigCommand) -> anyhow::Result<ExitCode> {
    match command {
        UsersigCommand::Gen(args) => generate(args),
        UsersigCommand::Verify(args) => verify(args),
    }
}

fn generate(args: UsersigGenArgs) -> anyhow::Result<ExitCode> {
    let key = load_key(args.identity.key_file.as_deref())?;
    let sig = usersig::generate(
        args.identity.sdkappid,
        &key,
        &args.identity.identifier,
        Duration::from_secs(args.expire),
    )
    .context("cannot sign the UserSig")?;
    super::out(&format!("{}\n", sig.expose_secret()));
    Ok(ExitCode::SUCCESS)
}

fn verify(args: UsersigVerifyArgs) -> anyhow::Result<ExitCode> {
    let key = load_key(args.identity.key_file.as_deref())?;
    let sig = match args.usersig.as_deref() {
        Some(s) if s != "-" => s.to_owned(),
        _ => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("cannot read the UserSig from standard input")?;
            s
        }
    };
    let sig = sig.trim();
    if sig.is_empty() {
        bail!("no UserSig given");
    }
    match usersig::verify(args.identity.sdkappid, &key, &args.identity.identifier, sig) {
        Ok(claims) => {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let expires = claims.expires_at();
            let mut text = String::from("valid UserSig\n");
            let _ = writeln!(text, "  identifier  {}", claims.identifier);
            let _ = writeln!(text, "  sdkappid    {}", claims.sdkappid);
            let _ = writeln!(text, "  issued at   {} (unix seconds)", claims.issued_at);
            let _ = writeln!(text, "  validity    {} s", claims.validity.as_secs());
            let _ = writeln!(
                text,
                "  expires at  {expires} (unix seconds; {})",
                human_duration(expires.saturating_sub(now))
            );
            if let Some(buf) = &claims.userbuf {
                let _ = writeln!(text, "  userbuf     {} bytes", buf.len());
            }
            super::out(&text);
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            super::out(&format!(
                "invalid UserSig: {e} (service code {})\n",
                e.service_code()
            ));
            Ok(ExitCode::from(1))
        }
    }
}

fn human_duration(secs: u64) -> String {
    match secs {
        0..=119 => format!("in {secs} s"),
        120..=7199 => format!("in {} min", secs / 60),
        7200..=172_799 => format!("in {} h", secs / 3600),
        _ => format!("in {} days", secs / 86_400),
    }
}
