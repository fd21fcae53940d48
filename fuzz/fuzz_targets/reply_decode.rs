//! The client's decoding of a reply, for every endpoint: an arbitrary 200 body comes back as
//! the response (`Ok`), the service's refusal (`Error::Api`) or `Error::Decode`, never a panic
//! and never another error. The first byte picks the endpoint (in the order of their paths,
//! which `scripts/fuzz-seeds.py` follows); the rest is the body.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tim_rest::__private::decode_reply;
use tim_rest::transport::HttpResponse;
use tim_rest::{Endpoint, Error};

/// Decodes `body` as a 200 reply of `E`, as the client does, and checks the kind of result.
fn decode<E: Endpoint>(body: &[u8]) {
    match decode_reply::<E>(HttpResponse::new(200, body)) {
        Ok(_) | Err(Error::Api { .. }) => {}
        Err(Error::Decode { body_snippet, .. }) => {
            // The snippet holds at most 512 bytes of the body, each invalid byte of which may
            // become a 3-byte U+FFFD, and the ellipsis.
            assert!(
                body_snippet.len() <= 3 * 512 + '…'.len_utf8(),
                "{}",
                E::PATH
            );
        }
        Err(other) => panic!("{}: a 200 reply decoded to {other:?}", E::PATH),
    }
}

type Decoder = (&'static str, fn(&[u8]));

/// `DECODERS`: each endpoint's path and decoder, from the list `build.rs` writes.
macro_rules! endpoints {
    ($($marker:path),* $(,)?) => {
        const DECODERS: &[Decoder] =
            &[$((<$marker as Endpoint>::PATH, decode::<$marker> as fn(&[u8]))),*];
    };
}
include!(concat!(env!("OUT_DIR"), "/endpoints.rs"));

/// The decoders by path.
fn sorted() -> &'static [Decoder] {
    static SORTED: OnceLock<Vec<Decoder>> = OnceLock::new();
    SORTED.get_or_init(|| {
        let mut all = DECODERS.to_vec();
        all.sort_by_key(|(path, _)| *path);
        all
    })
}

fuzz_target!(
    init: {
        // The list is the whole API, not a part of it.
        let mut paths: Vec<&str> = tim_rest::ENDPOINT_PATHS.to_vec();
        paths.sort_unstable();
        assert!(sorted().iter().map(|(path, _)| *path).eq(paths));
        // One byte must be able to pick every endpoint.
        assert!(sorted().len() <= 256);
    },
    |data: &[u8]| {
        let Some((&which, body)) = data.split_first() else {
            return;
        };
        let decoders = sorted();
        (decoders[usize::from(which) % decoders.len()].1)(body);
    }
);
