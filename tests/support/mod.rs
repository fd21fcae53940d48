//! Checks every test file applies to the endpoints it covers.
#![allow(dead_code)]

use serde_json::Value;
use tim_rest::{Endpoint, Envelope, Validate};

/// Every request example validates, and parse -> serialize gives back an equal JSON value;
/// the endpoint must embed at least one.
pub fn request_examples_round_trip<E: Endpoint>()
where
    E::Request: serde::de::DeserializeOwned,
{
    assert!(
        !E::REQUEST_EXAMPLES.is_empty(),
        "{} embeds no request example",
        E::PATH
    );
    each_request_example_round_trips::<E>();
}

/// Every request example the endpoint embeds (none is fine) validates and round-trips.
pub fn each_request_example_round_trips<E: Endpoint>()
where
    E::Request: serde::de::DeserializeOwned,
{
    for example in E::REQUEST_EXAMPLES {
        let original: Value = serde_json::from_str(example.json).unwrap();
        let request: E::Request = serde_json::from_str(example.json).unwrap_or_else(|e| {
            panic!(
                "{} request example `{}` does not parse: {e}",
                E::PATH,
                example.name
            )
        });
        if let Err(e) = request.validate() {
            panic!(
                "{} request example `{}` is invalid: {e}",
                E::PATH,
                example.name
            );
        }
        let again = serde_json::to_value(&request).unwrap();
        assert_eq!(
            again,
            original,
            "{} request example `{}` does not round-trip",
            E::PATH,
            example.name
        );
    }
}

/// Every response example decodes and reports success at the request level.
pub fn response_examples_decode<E: Endpoint>() {
    assert!(
        !E::RESPONSE_EXAMPLES.is_empty(),
        "{} embeds no response example",
        E::PATH
    );
    for example in E::RESPONSE_EXAMPLES {
        let response: E::Response = serde_json::from_str(example.json).unwrap_or_else(|e| {
            panic!(
                "{} response example `{}` does not decode: {e}",
                E::PATH,
                example.name
            )
        });
        assert!(
            !response.is_failure(),
            "{} response example `{}` reads as a failure",
            E::PATH,
            example.name
        );
    }
}

/// The endpoint's path, rate limit (calls per second) and batch field (wire name, maximum), as
/// the schema gives them.
pub fn assert_constants<E: Endpoint>(
    path: &str,
    per_second: Option<u32>,
    batch: Option<(&'static str, usize)>,
) {
    assert_eq!(E::PATH, path);
    assert_eq!(
        E::RATE_LIMIT,
        per_second.map(|per_second| tim_rest::RateLimit { per_second }),
        "{path}"
    );
    let expected = batch.map(|(wire_name, max_items)| tim_rest::BatchField {
        wire_name,
        max_items,
    });
    assert_eq!(E::BATCH, expected, "{path}");
}
