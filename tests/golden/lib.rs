//! The goldens of the generated code (`schema.rs` and `constructs.rs`, checked by
//! `codegen/tests/golden.rs`),
//! compiled as a library so that it must build without a single warning.
#![deny(warnings)]
#![deny(clippy::all)]
#![deny(missing_docs)]

include!("schema.rs");

/// Every construct of the schema format, from `tests/fixtures/constructs` (`constructs.rs`).
pub mod constructs {
    include!("constructs.rs");
}
