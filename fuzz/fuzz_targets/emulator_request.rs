//! The emulator's request handling: requests in process through the server's own pipeline
//! (`tim_rest_emulator::InProcess`), never a panic, and always an answer the HTTP server can
//! send (JSON, as no faults are configured).
//!
//! An input is up to 16 requests, separated by the byte 0xFF (never part of UTF-8 JSON), each
//! sent in turn to one fresh emulator, so that a request can find what an earlier one made.
//! A request is:
//!
//! - a byte picking the endpoint (in the order of their paths, as `scripts/fuzz-seeds.py`
//!   writes them), or, past the last endpoint, a target of the input's own;
//! - a byte of flags: bit 0, a gateway-valid query (the admin's UserSig) so the body reaches
//!   the endpoint; bit 1, `GET` instead of `POST`;
//! - the rest: with a valid query, the body; else the query (or, for a target of its own,
//!   the path and query), a newline, and the body.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tim_rest::usersig::{self, SecretKey, DEFAULT_VALIDITY};
use tim_rest_emulator::{Answer, EmulatorConfig, InProcess};

const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const MAX_REQUESTS: usize = 16;

struct Fixture {
    runtime: tokio::runtime::Runtime,
    /// Every endpoint path, sorted.
    paths: Vec<&'static str>,
    /// `sdkappid=..&identifier=..&usersig=..&random=..&contenttype=json`, as the client sends.
    signed_query: String,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let config = EmulatorConfig::default();
        let sig = usersig::generate(
            config.sdkappid,
            &SecretKey::new(KEY),
            &config.admin,
            DEFAULT_VALIDITY,
        )
        .expect("the admin can be signed for");
        let mut paths = tim_rest::ENDPOINT_PATHS.to_vec();
        paths.sort_unstable();
        Fixture {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .expect("a runtime"),
            paths,
            signed_query: format!(
                "sdkappid={}&identifier={}&usersig={}&random=1&contenttype=json",
                config.sdkappid,
                config.admin,
                sig.expose_secret()
            ),
        }
    })
}

/// The method, target and body `request` stands for.
fn parse<'a>(fixture: &Fixture, request: &'a [u8]) -> Option<(&'static str, String, &'a [u8])> {
    let [which, flags, rest @ ..] = request else {
        return None;
    };
    let method = if flags & 2 == 0 { "POST" } else { "GET" };
    let path = fixture.paths.get(usize::from(*which));
    if let (Some(path), true) = (path, flags & 1 == 1) {
        return Some((method, format!("/{path}?{}", fixture.signed_query), rest));
    }
    let cut = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    let (head, body) = (&rest[..cut], rest.get(cut + 1..).unwrap_or_default());
    // A request line is text; anything else never reaches a handler.
    let head = std::str::from_utf8(head).ok()?;
    let target = match path {
        Some(path) => format!("/{path}?{head}"),
        None => format!("/{head}"),
    };
    Some((method, target, body))
}

fuzz_target!(|data: &[u8]| {
    let fixture = fixture();
    let config = EmulatorConfig {
        key: Some(SecretKey::new(KEY)),
        ..EmulatorConfig::default()
    };
    let emulator = InProcess::new(config).expect("the default config is valid");
    fixture.runtime.block_on(async {
        for request in data.split(|&b| b == 0xFF).take(MAX_REQUESTS) {
            let Some((method, target, body)) = parse(fixture, request) else {
                continue;
            };
            match emulator.handle(method, &target, body.to_vec()).await {
                Answer::Json(reply) => {
                    let reply: serde_json::Value = serde_json::from_slice(&reply)
                        .unwrap_or_else(|e| panic!("{target}: the reply is not JSON: {e}"));
                    assert!(reply.is_object(), "{target}: the reply is {reply}");
                }
                Answer::BadRequest => {}
                other => panic!("{target}: a fault without fault injection: {other:?}"),
            }
        }
    });
});
