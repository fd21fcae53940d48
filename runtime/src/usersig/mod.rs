//! UserSig: the credential of REST calls, signed locally with the application's secret key
//! (the TLSSigAPIv2 scheme).
//!
//! A UserSig is `base64'(zlib(json))`, where base64' is standard base64 with `+`, `/`, `=`
//! replaced by `*`, `-`, `_`, and the JSON document holds `TLS.ver` (`"2.0"`),
//! `TLS.identifier`, `TLS.sdkappid`, `TLS.time` (unix seconds), `TLS.expire` (seconds of
//! validity), an optional `TLS.userbuf` and `TLS.sig`. `TLS.sig` is the standard base64 of an
//! HMAC-SHA256, keyed with the text of the console key, over
//!
//! ```text
//! TLS.identifier:{identifier}\nTLS.sdkappid:{sdkappid}\nTLS.time:{time}\nTLS.expire:{expire}\n
//! ```
//!
//! followed by `TLS.userbuf:{base64}\n` when there is a userbuf.
//!
//! [`generate`] signs one, [`verify`] checks one the way the service does (its failures
//! map to the service's account error codes through [`UserSigError::service_code`]), and
//! [`inspect`] decodes one without checking it. The key and the UserSig are wrapped in
//! [`SecretKey`] and [`UserSig`], whose `Debug` and `Display` print `***`.
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use tim_rest_runtime::usersig::{self, SecretKey, UserSigError, DEFAULT_VALIDITY};
//!
//! let key = SecretKey::new("5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e");
//! let sig = usersig::generate(1400000000, &key, "administrator", DEFAULT_VALIDITY)?;
//!
//! let claims = usersig::verify(1400000000, &key, "administrator", &sig)?;
//! assert_eq!(claims.identifier, "administrator");
//!
//! let later = SystemTime::now() + DEFAULT_VALIDITY + Duration::from_secs(60);
//! let err = usersig::verify_at(1400000000, &key, "administrator", sig.expose_secret(), later)
//!     .unwrap_err();
//! assert!(matches!(err, UserSigError::Expired { .. }));
//! assert_eq!(err.service_code(), 70001);
//! # Ok::<(), UserSigError>(())
//! ```

use std::time::{Duration, SystemTime, UNIX_EPOCH};

mod claims;
mod document;
pub(crate) mod encode;
mod error;
mod generate;
mod secret;
mod sign;
mod verify;

pub use claims::Claims;
pub use error::UserSigError;
pub use generate::{generate, generate_at, generate_with_userbuf_at};
pub use secret::{AsSecretKey, AsUserSig, SecretKey, UserSig};
pub use verify::{inspect, verify, verify_at};

/// The validity the reference libraries default to: 180 days.
pub const DEFAULT_VALIDITY: Duration = Duration::from_secs(180 * 24 * 60 * 60);

/// Whole unix seconds of `time`; a time before 1970 counts as 0.
fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
