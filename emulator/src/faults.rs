//! Fault injection: a seeded, deterministic share of requests fails the way the real service
//! and the network in front of it sometimes do.

use std::sync::Mutex;
use tim_rest::CommonError;

use crate::endpoints::Service;

/// One injected failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// HTTP 502 with an HTML body, as a proxy in front of the service answers.
    BadGateway,
    /// An internal error: 30006 (sns) or 70500 (accounts).
    Internal,
    /// A write conflict: 30008 (sns); 70169, an internal timeout, for the account endpoints,
    /// which document no conflict code.
    Conflict,
    /// The connection is closed without a reply.
    Drop,
}

impl Fault {
    /// The code and `ErrorInfo` of a fault answered as a FAIL envelope.
    pub fn envelope(self, service: Service) -> Option<(i64, &'static str)> {
        match (self, service) {
            (Fault::Internal, Service::Sns) => {
                Some((30006, "Err_SNS_Internal_Error (injected fault)"))
            }
            (Fault::Internal, Service::Account) => Some((
                CommonError::ServerInternalError.code(),
                "Err_Server_Internal_Error (injected fault)",
            )),
            (Fault::Conflict, Service::Sns) => {
                Some((30008, "Err_SNS_Write_Conflict (injected fault)"))
            }
            (Fault::Conflict, Service::Account) => Some((
                CommonError::InternalTimeout.code(),
                "Err_Server_Internal_Timeout (injected fault)",
            )),
            // The mute commands document 130014 "system error" and no conflict code.
            (Fault::Internal | Fault::Conflict, Service::Config) => {
                Some((130014, "system error (injected fault)"))
            }
            // The message pages document 91000 "internal error" and no conflict code.
            (Fault::Internal | Fault::Conflict, Service::Message) => {
                Some((91000, "internal error (injected fault)"))
            }
            // The conversation pages document 50004 "internal error" and no conflict code.
            (Fault::Internal | Fault::Conflict, Service::Conversation) => {
                Some((50004, "internal error (injected fault)"))
            }
            // The profile pages document 40006 "internal error" and no conflict code.
            (Fault::Internal | Fault::Conflict, Service::Profile) => {
                Some((40006, "Err_Profile_Internal_Error (injected fault)"))
            }
            // The group pages document 10002 "internal error, retry" and no conflict code.
            (Fault::Internal | Fault::Conflict, Service::Group) => {
                Some((10002, "internal error (injected fault)"))
            }
            (Fault::BadGateway | Fault::Drop, _) => None,
        }
    }
}

/// The fault decisions: one per request that passed the gateway checks, drawn in arrival
/// order from a generator seeded with the configured seed, so a given seed and sequence of
/// requests always fail the same way.
pub(crate) struct Faults {
    rate: f64,
    rng: Mutex<fastrand::Rng>,
}

impl Faults {
    pub fn new(rate: f64, seed: u64) -> Self {
        Faults {
            rate,
            rng: Mutex::new(fastrand::Rng::with_seed(seed)),
        }
    }

    /// Whether injection is on at all.
    pub fn enabled(&self) -> bool {
        self.rate > 0.0
    }

    /// The fault of the next request, if it gets one.
    pub fn draw(&self) -> Option<Fault> {
        if !self.enabled() {
            return None;
        }
        let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        let roll = rng.f64();
        let kind = rng.u8(0..4);
        (roll < self.rate).then_some(match kind {
            0 => Fault::BadGateway,
            1 => Fault::Internal,
            2 => Fault::Conflict,
            _ => Fault::Drop,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sequence(rate: f64, seed: u64) -> Vec<Option<Fault>> {
        let faults = Faults::new(rate, seed);
        (0..200).map(|_| faults.draw()).collect()
    }

    #[test]
    fn same_seed_same_faults() {
        assert_eq!(sequence(0.3, 9), sequence(0.3, 9));
        assert_ne!(sequence(0.3, 9), sequence(0.3, 10));
    }

    #[test]
    fn rate_bounds() {
        assert!(sequence(0.0, 1).iter().all(Option::is_none));
        let all = sequence(1.0, 1);
        assert!(all.iter().all(Option::is_some));
        for kind in [
            Fault::BadGateway,
            Fault::Internal,
            Fault::Conflict,
            Fault::Drop,
        ] {
            assert!(all.contains(&Some(kind)), "{kind:?} never drawn");
        }
        let some = sequence(0.25, 3).iter().filter(|f| f.is_some()).count();
        assert!((20..=80).contains(&some), "{some} of 200");
    }
}
