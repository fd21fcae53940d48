//! The golden of the generated code (`schema.rs`, checked by `codegen/tests/golden.rs`),
//! compiled as a library so that it must build without a single warning.
#![deny(warnings)]
#![deny(clippy::all)]
#![deny(missing_docs)]

include!("schema.rs");
