//! The length of a value's JSON text, for `max_json_bytes`, counted as serde_json writes it
//! and never held in memory.

/// Bytes of `value` serialized as compact JSON (what the client sends). A value that cannot
/// be serialized counts as `usize::MAX`, so it fails the rule rather than passing it.
pub(crate) fn json_len<T: serde::Serialize + ?Sized>(value: &T) -> usize {
    let mut counter = Counter(0);
    match serde_json::to_writer(&mut counter, value) {
        Ok(()) => counter.0,
        Err(_) => usize::MAX,
    }
}

struct Counter(usize);

impl std::io::Write for Counter {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.0 += buf.len();
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::json_len;

    #[test]
    fn counts_what_serde_json_writes() {
        let value = serde_json::json!({ "Text": "hé \"quoted\"\n", "n": [1, 2.5, null] });
        assert_eq!(
            json_len(&value),
            serde_json::to_string(&value).unwrap().len()
        );
    }
}
