//! Where the client's UserSig comes from, and the cache of a generated one.

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use crate::usersig::{self, SecretKey, UserSig, UserSigError};

/// How the client signs its calls.
///
/// `Debug` shows which kind it is, never the secret.
#[derive(Clone, Debug)]
pub enum Credentials {
    /// The application's secret key: the client generates the admin's UserSig itself, caches
    /// it, renews it before it expires, and renews it at once when the service answers 70001
    /// (expired) or 70052 (invalidated).
    SecretKey(SecretKey),
    /// A UserSig signed elsewhere, used as it is until the service rejects it. The client
    /// cannot renew it: an expired one surfaces as `Error::Api` with code 70001.
    UserSig(UserSig),
}

impl Credentials {
    /// Whether the client can make new UserSigs from these credentials.
    pub fn can_renew(&self) -> bool {
        matches!(self, Credentials::SecretKey(_))
    }
}

impl From<SecretKey> for Credentials {
    fn from(key: SecretKey) -> Self {
        Credentials::SecretKey(key)
    }
}

impl From<UserSig> for Credentials {
    fn from(sig: UserSig) -> Self {
        Credentials::UserSig(sig)
    }
}

/// Renew when less than this share of the validity is left...
const RENEW_FRACTION: u32 = 10;
/// ...or, for long validities, when less than this is left.
const RENEW_MARGIN_MAX: Duration = Duration::from_secs(3600);

/// The signing half of the client: gives out UserSigs for the admin identifier.
///
/// Shared by every clone of a client; the lock is held only while a UserSig is generated
/// (an HMAC and a small zlib stream: microseconds), never across an await.
pub(crate) struct Signer {
    sdkappid: u64,
    identifier: String,
    source: Source,
}

enum Source {
    Fixed(UserSig),
    Key {
        key: SecretKey,
        validity: Duration,
        cache: Mutex<Option<Cached>>,
    },
}

struct Cached {
    sig: UserSig,
    renew_at: SystemTime,
}

impl Signer {
    pub(crate) fn new(
        sdkappid: u64,
        identifier: String,
        credentials: Credentials,
        validity: Duration,
    ) -> Self {
        let source = match credentials {
            Credentials::UserSig(sig) => Source::Fixed(sig),
            Credentials::SecretKey(key) => Source::Key {
                key,
                validity,
                cache: Mutex::new(None),
            },
        };
        Signer {
            sdkappid,
            identifier,
            source,
        }
    }

    /// The UserSig to send now: the fixed one, or the cached one while it is fresh enough,
    /// or a new one.
    pub(crate) fn usersig(&self) -> Result<UserSig, UserSigError> {
        self.usersig_at(SystemTime::now())
    }

    fn usersig_at(&self, now: SystemTime) -> Result<UserSig, UserSigError> {
        match &self.source {
            Source::Fixed(sig) => Ok(sig.clone()),
            Source::Key {
                key,
                validity,
                cache,
            } => {
                let mut cache = lock(cache);
                if let Some(cached) = cache.as_ref() {
                    if now < cached.renew_at {
                        return Ok(cached.sig.clone());
                    }
                }
                let sig = self.generate(key, *validity, now)?;
                *cache = Some(Cached {
                    sig: sig.clone(),
                    renew_at: renew_at(now, *validity),
                });
                Ok(sig)
            }
        }
    }

    /// A UserSig to replace `rejected`, which the service refused as expired or invalidated.
    ///
    /// If another task already replaced it, that replacement is returned. A new UserSig never
    /// equals the rejected one, even when signed in the same second: its validity is then
    /// one second longer, which changes the signature. Fixed credentials return `None`.
    pub(crate) fn renew(&self, rejected: &UserSig) -> Option<Result<UserSig, UserSigError>> {
        self.renew_at(rejected, SystemTime::now())
    }

    fn renew_at(
        &self,
        rejected: &UserSig,
        now: SystemTime,
    ) -> Option<Result<UserSig, UserSigError>> {
        let Source::Key {
            key,
            validity,
            cache,
        } = &self.source
        else {
            return None;
        };
        let mut cache = lock(cache);
        if let Some(cached) = cache.as_ref() {
            if &cached.sig != rejected && now < cached.renew_at {
                return Some(Ok(cached.sig.clone()));
            }
        }
        let result = self.generate(key, *validity, now).and_then(|sig| {
            if &sig == rejected {
                self.generate(key, *validity + Duration::from_secs(1), now)
            } else {
                Ok(sig)
            }
        });
        *cache = match &result {
            Ok(sig) => Some(Cached {
                sig: sig.clone(),
                renew_at: renew_at(now, *validity),
            }),
            Err(_) => None,
        };
        Some(result)
    }

    fn generate(
        &self,
        key: &SecretKey,
        validity: Duration,
        now: SystemTime,
    ) -> Result<UserSig, UserSigError> {
        usersig::generate_at(self.sdkappid, key, &self.identifier, validity, now)
    }
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.source {
            Source::Fixed(_) => "fixed UserSig",
            Source::Key { .. } => "secret key",
        };
        f.debug_struct("Signer")
            .field("credentials", &kind)
            .finish()
    }
}

fn lock(cache: &Mutex<Option<Cached>>) -> MutexGuard<'_, Option<Cached>> {
    cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// When a UserSig signed at `now` for `validity` should be replaced: once less than 10% of
/// its validity, or less than an hour, is left (whichever margin is smaller).
fn renew_at(now: SystemTime, validity: Duration) -> SystemTime {
    let margin = (validity / RENEW_FRACTION).min(RENEW_MARGIN_MAX);
    now.checked_add(validity - margin).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

    fn signer(validity: Duration) -> Signer {
        Signer::new(
            1400000000,
            "administrator".into(),
            Credentials::SecretKey(SecretKey::new(KEY)),
            validity,
        )
    }

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn renewal_margin() {
        let day = Duration::from_secs(86400);
        assert_eq!(renew_at(at(0), day), at(86400 - 3600));
        assert_eq!(renew_at(at(0), Duration::from_secs(600)), at(540));
    }

    #[test]
    fn caches_and_renews_before_expiry() {
        let s = signer(Duration::from_secs(1000));
        let first = s.usersig_at(at(1_700_000_000)).unwrap();
        assert_eq!(s.usersig_at(at(1_700_000_500)).unwrap(), first);
        assert_eq!(s.usersig_at(at(1_700_000_899)).unwrap(), first);
        let renewed = s.usersig_at(at(1_700_000_900)).unwrap();
        assert_ne!(renewed, first);
        let claims = usersig::verify_at(
            1400000000,
            &SecretKey::new(KEY),
            "administrator",
            renewed.expose_secret(),
            at(1_700_001_800),
        );
        assert!(claims.is_ok());
    }

    #[test]
    fn renew_after_rejection_changes_the_sig() {
        let s = signer(Duration::from_secs(1000));
        let now = at(1_700_000_000);
        let first = s.usersig_at(now).unwrap();
        let second = s.renew_at(&first, now).unwrap().unwrap();
        assert_ne!(second, first);
        // Another task that saw `first` rejected gets the same replacement.
        assert_eq!(s.renew_at(&first, now).unwrap().unwrap(), second);
        assert_eq!(s.usersig_at(now).unwrap(), second);
    }

    #[test]
    fn fixed_sig_is_not_renewed() {
        let s = Signer::new(
            1,
            "a".into(),
            Credentials::UserSig(UserSig::new("fixed")),
            Duration::from_secs(1),
        );
        let sig = s.usersig().unwrap();
        assert_eq!(sig.expose_secret(), "fixed");
        assert!(s.renew(&sig).is_none());
        assert!(!format!("{s:?}").contains("fixed\""));
    }
}
