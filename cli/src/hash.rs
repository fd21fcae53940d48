//! Stable 64-bit hashing (FNV-1a) and a hasher for keys that already are hashes.
//!
//! The batcher and the account pass must make the same decisions on every run over the same
//! input (checkpoint ids depend on it), so they hash with FNV-1a, whose output never changes,
//! rather than the standard library's `DefaultHasher`, whose algorithm may.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a of `bytes`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_continue(OFFSET, bytes)
}

/// FNV-1a of `bytes`, continuing from the state `hash`.
pub fn fnv1a_continue(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(PRIME);
    }
    hash
}

/// The hash of an account identifier, as kept in the compact sets of seen accounts.
pub fn account_hash(account: &str) -> u64 {
    // FNV-1a mixes the low bits poorly for short keys; a final avalanche step (from
    // MurmurHash3's fmix64) spreads them before the value is used as a table key.
    let mut h = fnv1a(account.as_bytes());
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// A `Hasher` that passes a `u64` through: for sets whose keys are hashes already.
#[derive(Default, Clone, Copy)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is expected; fold anything else in so the hasher stays correct.
        self.0 = fnv1a_continue(self.0 ^ OFFSET, bytes);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A set of 64-bit hashes: 8 bytes (plus the table's overhead) per member.
pub type HashSet64 = HashSet<u64, BuildHasherDefault<IdentityHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_known_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn set_of_hashes() {
        let mut set = HashSet64::default();
        assert!(set.insert(account_hash("alice")));
        assert!(!set.insert(account_hash("alice")));
        assert!(set.insert(account_hash("bob")));
        assert_ne!(account_hash("u1"), account_hash("u2"));
    }
}
