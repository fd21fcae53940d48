//! Procedural macros of tim-rest. Each is a thin entry point: the work is in
//! `tim-rest-codegen`, which can be tested without a compiler. Use them through `tim_rest`.

use proc_macro::TokenStream;
use tim_rest_codegen::{derive, Settings};

/// The settings of every expansion here: the generator's, with both serde directions when
/// this crate has the feature `server` (which `tim-rest`'s feature `server` turns on), so the
/// choice is made in tim-rest's features, not in a `cfg` of the user's crate.
fn settings() -> Settings {
    let mut settings = Settings::for_macro();
    settings.serde_both_ways = cfg!(feature = "server");
    settings
}

/// Generates bindings for every endpoint schema in a directory, relative to `Cargo.toml`:
/// a module per service holding a module per endpoint (`sns::friend_import`).
///
/// `include_schema!("schema", client = crate::Client)` also gives the named client type one
/// method per endpoint. Schema errors are compile errors on the path, with
/// `file:line:col`, the path inside the file, and a hint.
#[proc_macro]
pub fn include_schema(input: TokenStream) -> TokenStream {
    derive::include_schema(input.into(), settings()).into()
}

/// Generates the module of one endpoint next to a marker struct:
/// `#[derive(Endpoint)] #[endpoint(schema = "schema/sns/friend_check.json")] pub struct FriendCheck;`
/// gives `friend_check::{Request, Response, Error, ..}` and `impl Endpoint for FriendCheck`.
#[proc_macro_derive(Endpoint, attributes(endpoint))]
pub fn derive_endpoint(input: TokenStream) -> TokenStream {
    derive::derive_endpoint(input.into(), settings()).into()
}

/// Implements `Validate` from `#[validate(...)]` field rules: `non_empty`, `min_bytes = n`,
/// `max_bytes = n`, `min_items = n`, `max_items = n`, `min = n` and `max = n` (inclusive, on
/// integers; the bound is written in the field's own type),
/// `pattern(prefix = "..", chars = "A-Za-z", min = 1, max = 8)`, `charset = "A-Za-z0-9_"`,
/// `each(...)` for the items of an array, and `nested` for a value with rules of its own.
#[proc_macro_derive(Validate, attributes(validate))]
pub fn derive_validate(input: TokenStream) -> TokenStream {
    derive::derive_validate(input.into(), &settings()).into()
}

/// Implements `ApiError` (and `Display`, `std::error::Error`) on an enum of codes:
/// `#[code(30008, retry = conflict, en = "...", zh = "...")]` per variant and one
/// `#[code(unknown)] Unknown(UnknownCode)`.
#[proc_macro_derive(ApiError, attributes(code))]
pub fn derive_api_error(input: TokenStream) -> TokenStream {
    derive::derive_api_error(input.into(), &settings()).into()
}

/// Implements serde's `Deserialize` for a struct read from a JSON object, leaner to compile
/// than serde's derive (no sequence form, one `match` per struct): the generated reply types
/// use it. Reads `#[serde(rename = "..")]` and `#[serde(default)]` on fields; unknown input
/// fields are skipped, a duplicate or missing (non-`default`) field is an error.
#[proc_macro_derive(WireDeserialize, attributes(serde))]
pub fn derive_wire_deserialize(input: TokenStream) -> TokenStream {
    derive::derive_wire_deserialize(input.into(), &settings()).into()
}
