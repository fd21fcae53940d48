//! The envelope around the JSON document: zlib, then base64 with `+/=` replaced by `*-_`.

use std::io::Write;

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use flate2::write::ZlibEncoder;
use flate2::{Compression, Decompress, FlushDecompress, Status};

use super::UserSigError;

/// The largest document a UserSig may inflate to. A real one is under 300 bytes; the cap
/// stops a zip bomb.
pub(super) const MAX_INFLATED: usize = 64 * 1024;

/// The longest UserSig text accepted: the base64 of `MAX_INFLATED` bytes stored without
/// compression, with room to spare.
const MAX_SIG_LEN: usize = 2 * MAX_INFLATED;

/// Decoding accepts the padding or its absence, and ignores stray trailing bits: the zlib
/// checksum guards the content.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// zlib-compresses `document` (default level) and encodes it in the UserSig alphabet.
pub fn seal(document: &[u8]) -> String {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    encoder
        .write_all(document)
        .expect("compressing into a Vec cannot fail");
    let compressed = encoder
        .finish()
        .expect("compressing into a Vec cannot fail");
    STANDARD
        .encode(compressed)
        .chars()
        .map(|c| match c {
            '+' => '*',
            '/' => '-',
            '=' => '_',
            c => c,
        })
        .collect()
}

/// Undoes [`seal`]: decodes the UserSig alphabet and inflates, up to [`MAX_INFLATED`] bytes.
pub(super) fn open(sig: &str) -> Result<Vec<u8>, UserSigError> {
    if sig.is_empty() {
        return Err(UserSigError::malformed("the UserSig is empty"));
    }
    if sig.len() > MAX_SIG_LEN {
        return Err(UserSigError::malformed(format!(
            "the UserSig is {} bytes long; at most {MAX_SIG_LEN} are accepted",
            sig.len()
        )));
    }
    let mut standard = Vec::with_capacity(sig.len());
    for b in sig.bytes() {
        standard.push(match b {
            b'*' => b'+',
            b'-' => b'/',
            b'_' => b'=',
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => b,
            _ => {
                return Err(UserSigError::malformed(
                    "the UserSig holds a character outside its base64 alphabet (A-Z a-z 0-9 * - _)",
                ))
            }
        });
    }
    let compressed = LENIENT
        .decode(&standard)
        .map_err(|_| UserSigError::malformed("the UserSig is not valid base64"))?;
    inflate(&compressed)
}

/// Inflates a complete zlib stream (header, data, adler32) with nothing after it.
fn inflate(compressed: &[u8]) -> Result<Vec<u8>, UserSigError> {
    let not_zlib = || UserSigError::malformed("the UserSig payload is not a valid zlib stream");
    let mut inflater = Decompress::new(true);
    let mut out = Vec::with_capacity((compressed.len() * 4).clamp(256, MAX_INFLATED + 1));
    loop {
        let consumed = inflater.total_in() as usize;
        let produced = inflater.total_out();
        let status = inflater
            .decompress_vec(&compressed[consumed..], &mut out, FlushDecompress::None)
            .map_err(|_| not_zlib())?;
        if out.len() > MAX_INFLATED {
            return Err(UserSigError::malformed(format!(
                "the UserSig payload inflates past {MAX_INFLATED} bytes"
            )));
        }
        match status {
            Status::StreamEnd => break,
            Status::Ok | Status::BufError => {
                let stalled =
                    inflater.total_in() as usize == consumed && inflater.total_out() == produced;
                if out.len() == out.capacity() {
                    // Out of room: grow, at most to one byte past the cap.
                    let target = (out.capacity() * 2).min(MAX_INFLATED + 1);
                    out.reserve_exact(target - out.len());
                } else if stalled {
                    // Room to write, yet no progress: the input ended mid-stream.
                    return Err(UserSigError::malformed(
                        "the UserSig payload is a truncated zlib stream",
                    ));
                }
            }
        }
    }
    if inflater.total_in() as usize != compressed.len() {
        return Err(UserSigError::malformed(
            "the UserSig payload has bytes after the end of its zlib stream",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn malformed(r: Result<Vec<u8>, UserSigError>) -> String {
        match r {
            Err(UserSigError::Malformed(reason)) => reason,
            other => panic!("expected Malformed, got {other:?}"),
        }
    }

    #[test]
    fn round_trip() {
        for doc in [&b"{}"[..], b"", &[0u8; 5000][..], &[b'x'; MAX_INFLATED][..]] {
            let sig = seal(doc);
            assert!(sig
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"*-_".contains(&b)));
            assert_eq!(open(&sig).unwrap(), doc);
        }
    }

    #[test]
    fn padding_is_optional() {
        let mut padded = 0;
        for doc in ["{}", "{\"a\":1}", "{\"ab\":1}", "{\"abc\":12}"] {
            let sig = seal(doc.as_bytes());
            padded += usize::from(sig.ends_with('_'));
            assert_eq!(open(sig.trim_end_matches('_')).unwrap(), doc.as_bytes());
        }
        assert!(padded > 0);
    }

    #[test]
    fn rejects_standard_base64_characters() {
        assert!(malformed(open("eJyr+/==")).contains("alphabet"));
        assert!(malformed(open(" eJyr")).contains("alphabet"));
    }

    #[test]
    fn rejects_zip_bombs() {
        let bomb = seal(&vec![0u8; MAX_INFLATED + 1]);
        assert!(bomb.len() < 1000);
        assert!(malformed(open(&bomb)).contains("inflates past"));
    }

    #[test]
    fn rejects_truncated_and_trailing_streams() {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(b"{\"hello\":\"world\"}").unwrap();
        let full = encoder.finish().unwrap();
        for cut in 1..full.len() {
            let err = inflate(&full[..cut]).unwrap_err();
            assert!(matches!(err, UserSigError::Malformed(_)), "cut at {cut}");
        }
        let mut longer = full.clone();
        longer.push(0);
        assert!(malformed(inflate(&longer)).contains("after the end"));
        assert_eq!(inflate(&full).unwrap(), b"{\"hello\":\"world\"}");
    }

    #[test]
    fn rejects_a_bad_checksum() {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(b"{\"hello\":\"world\"}").unwrap();
        let mut full = encoder.finish().unwrap();
        *full.last_mut().unwrap() ^= 1;
        assert!(malformed(inflate(&full)).contains("zlib"));
    }

    #[test]
    fn rejects_too_long_input() {
        let long = "A".repeat(MAX_SIG_LEN + 4);
        assert!(malformed(open(&long)).contains("bytes long"));
    }
}
