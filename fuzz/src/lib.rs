//! What the `tim` input targets share: a scratch file for the input, and reading it through
//! a kind's own reader, as `tim import` and `tim migrate` do.

use std::path::PathBuf;
use std::sync::OnceLock;

use tim_rest::Validate;
use tim_rest_cli::migrate::job::Job;
use tim_rest_cli::migrate::kind::Kind;
use tim_rest_cli::migrate::source::Input;

/// Writes `bytes` to this process's scratch file (on tmpfs when there is one) and returns its
/// path. The readers take a path, so the input goes through a file as it does in production.
pub fn scratch_file(bytes: &[u8]) -> PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    let path = PATH.get_or_init(|| {
        let dir = ["/dev/shm", "/tmp"]
            .iter()
            .map(PathBuf::from)
            .find(|d| d.is_dir())
            .unwrap_or_else(std::env::temp_dir);
        dir.join(format!("tim-rest-fuzz-{}", std::process::id()))
    });
    std::fs::write(path, bytes).expect("the scratch file is writable");
    path.clone()
}

/// Kinds whose `check` is known to let through records their request refuses (none since
/// blocklists check their one-entry request; FUZZING.md,
/// "Findings"): the mismatch is reported once instead of stopping the run, so the target
/// still looks for panics in them.
const KNOWN_LAX_CHECKS: &[Kind] = &[];

/// Reads every record of `input` as kind `J` does, never a panic, always to the end. An
/// accepted record then gives its key, sort key and single-record request as the runner
/// builds them; the request serializes and passes its own rules (a record `check` lets
/// through would otherwise fail its whole batch at send time).
pub fn read<J: Job>(input: &Input, bytes: usize) {
    // A header the reader refuses (CSV) stops the run before any record, as in production.
    let Ok(records) = J::records(input) else {
        return;
    };
    let mut reads = 0usize;
    let mut last_line = 0u64;
    for read in records {
        reads += 1;
        // A record takes at least one byte, so more records than bytes is a loop.
        assert!(reads <= bytes + 1, "the reader does not advance");
        let numbered = match read {
            Ok(Ok(numbered)) => numbered,
            Ok(Err(bad)) => {
                // CSV errors that know no line say 0.
                if bad.line != 0 {
                    assert!(bad.line >= last_line, "line {} after {last_line}", bad.line);
                    last_line = bad.line;
                }
                continue;
            }
            Err(e) => panic!("reading the scratch file failed: {e}"),
        };
        assert!(
            numbered.line >= last_line,
            "line {} after {last_line}",
            numbered.line
        );
        last_line = numbered.line;
        let record = numbered.record;
        let key = J::key(&record).to_owned();
        let _ = (J::sort_key(&record), J::item(&record));
        serde_json::to_vec(&record).expect("a record serializes (for the failures report)");
        // The request takes its records, as the runner moves them in.
        let request = J::request(&key, std::iter::once(record));
        serde_json::to_vec(&request).expect("a request serializes");
        if let Err(e) = request.validate() {
            if KNOWN_LAX_CHECKS.contains(&J::KIND) {
                static SAID: std::sync::Once = std::sync::Once::new();
                SAID.call_once(|| eprintln!("known finding, {}: {e}", J::KIND));
                continue;
            }
            panic!(
                "{}: line {} was accepted, but its request breaks a rule: {e}",
                J::KIND,
                numbered.line
            );
        }
    }
}
