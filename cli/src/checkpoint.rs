//! What a checkpoint belongs to: the input it records progress through. `tim import` pins its
//! checkpoint to the input (size, and a hash of its first and last 64 KiB) and its format, so
//! that a checkpoint of another file is refused rather than misapplied. (Settings such as
//! the batch size no longer matter: the checkpoint names settled lines, not batches.)

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::hash::{fnv1a, fnv1a_continue};

/// Bytes hashed at each end of the input for its fingerprint.
const FINGERPRINT_BYTES: u64 = 64 * 1024;

/// What a checkpoint belongs to: the input it reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Size of the input in bytes.
    pub input_len: u64,
    /// FNV-1a of the input's first and last 64 KiB, in hex.
    pub input_hash: String,
    /// `jsonl` or `csv`.
    pub format: String,
}

impl Header {
    /// The differences between a checkpoint's header (`self`) and this run's (`now`).
    pub fn differences(&self, now: &Header) -> Vec<String> {
        let mut out = Vec::new();
        let mut check = |name: &str, was: String, is: String| {
            if was != is {
                out.push(format!("{name}: {was} in the checkpoint, {is} now"));
            }
        };
        check(
            "input size",
            self.input_len.to_string(),
            now.input_len.to_string(),
        );
        check(
            "input content hash",
            self.input_hash.clone(),
            now.input_hash.clone(),
        );
        check("format", self.format.clone(), now.format.clone());
        out
    }
}

impl Header {
    /// The header of `path` read as `format`.
    pub fn of(path: &Path, format: &str) -> io::Result<Header> {
        let (input_len, input_hash) = fingerprint(path)?;
        Ok(Header {
            input_len,
            input_hash,
            format: format.to_owned(),
        })
    }
}

/// Size and content hash of a file, for [`Header`].
pub fn fingerprint(path: &Path) -> io::Result<(u64, String)> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    let mut hash = fnv1a(&len.to_le_bytes());
    let mut buf = Vec::new();
    (&mut file).take(FINGERPRINT_BYTES).read_to_end(&mut buf)?;
    hash = fnv1a_continue(hash, &buf);
    if len > FINGERPRINT_BYTES {
        let tail = (len - FINGERPRINT_BYTES).max(FINGERPRINT_BYTES);
        file.seek(SeekFrom::Start(tail))?;
        buf.clear();
        file.take(FINGERPRINT_BYTES).read_to_end(&mut buf)?;
        hash = fnv1a_continue(hash, &buf);
    }
    Ok((len, format!("{hash:016x}")))
}

/// Syncs the directory holding `path`, so a new or renamed file survives a crash.
pub fn sync_dir(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
