//! The state file: loaded on start, saved shortly after writes and on shutdown.
//!
//! A save writes the whole state to a temporary file in the same directory, fsyncs it,
//! renames it over the state file and fsyncs the directory, so the file on disk is always
//! either the previous state or the new one, never a torn mix.

use std::fs::{self, File};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::server::Inner;
use crate::state::State;

/// How long after a write the state is saved, so that a burst of writes is saved once.
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(250);

const FORMAT: &str = "tim-rest-emulator-state";
const VERSION: u32 = 1;

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u32,
    state: &'a State,
}

#[derive(Deserialize)]
struct FileIn {
    format: String,
    version: u32,
    state: State,
}

/// Reads the state file; a missing or empty file is an empty state.
pub(crate) fn load(path: &Path) -> io::Result<State> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(State::default()),
        Err(e) => return Err(e),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(State::default());
    }
    let invalid = |reason: String| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: not an emulator state file: {reason}", path.display()),
        )
    };
    let file: FileIn = serde_json::from_slice(&bytes).map_err(|e| invalid(e.to_string()))?;
    if file.format != FORMAT || file.version != VERSION {
        return Err(invalid(format!(
            "format {:?} version {}, expected {FORMAT:?} version {VERSION}",
            file.format, file.version
        )));
    }
    let mut state = file.state;
    state.prune();
    Ok(state)
}

/// Saves the state if it changed since the last save (or always, with `force`). Blocking:
/// call it from `spawn_blocking` in async code.
pub(crate) fn save_blocking(inner: &Inner, force: bool) -> io::Result<()> {
    let Some(path) = &inner.state_file else {
        return Ok(());
    };
    // One save at a time, and the snapshot taken inside, so a later save never loses to an
    // earlier one.
    let _saving = inner.save_lock.lock().unwrap_or_else(|e| e.into_inner());
    let generation = inner.generation.load(Ordering::SeqCst);
    if !force && generation == inner.saved_generation.load(Ordering::SeqCst) {
        return Ok(());
    }
    let bytes = {
        let state = inner.state.lock().unwrap_or_else(|e| e.into_inner());
        serde_json::to_vec_pretty(&FileOut {
            format: FORMAT,
            version: VERSION,
            state: &state,
        })
        .map_err(io::Error::other)?
    };
    write_atomically(path, &bytes)?;
    inner.saved_generation.store(generation, Ordering::SeqCst);
    Ok(())
}

/// [`save_blocking`] on the blocking pool.
pub(crate) async fn save(inner: &Arc<Inner>, force: bool) -> io::Result<()> {
    let inner = Arc::clone(inner);
    tokio::task::spawn_blocking(move || save_blocking(&inner, force))
        .await
        .map_err(io::Error::other)?
}

/// Replaces `path` with `bytes`: temporary file, fsync, rename, fsync of the directory.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: the state file needs a file name", path.display()),
        )
    })?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = dir.join(format!(
        ".{}.tmp-{}-{}",
        name.to_string_lossy(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    sync_dir(&dir)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    // Directories cannot be opened for fsync here; the rename is as durable as it gets.
    Ok(())
}

/// The background saver: waits for a write, lets the burst settle for [`DEBOUNCE`], saves.
pub(crate) struct Saver {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Saver {
    pub fn spawn(inner: Arc<Inner>) -> Saver {
        let (stop, mut stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = inner.dirty.notified() => {}
                    _ = &mut stopped => break,
                }
                tokio::select! {
                    _ = tokio::time::sleep(DEBOUNCE) => {}
                    _ = &mut stopped => break,
                }
                if let Err(e) = save(&inner, false).await {
                    tracing::warn!(error = %e, "tim-rest-emulator: saving the state file failed; retrying after the next write");
                }
            }
        });
        Saver { stop, task }
    }

    /// Stops the saver and waits for a save in progress.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }

    /// Stops the saver without waiting (from `Drop`).
    pub fn abort(self) {
        let _ = self.stop.send(());
        self.task.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "tim-rest-emulator-unit-{}-{name}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_file() {
        let dir = scratch("atomic");
        let path = dir.join("state.json");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["state.json"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn load_missing_empty_and_bad_files() {
        let dir = scratch("load");
        let path = dir.join("state.json");
        assert_eq!(load(&path).unwrap(), State::default());
        fs::write(&path, "").unwrap();
        assert_eq!(load(&path).unwrap(), State::default());
        fs::write(&path, "{\"accounts\":").unwrap();
        assert_eq!(load(&path).unwrap_err().kind(), io::ErrorKind::InvalidData);
        fs::write(&path, r#"{"format":"other","version":1,"state":{}}"#).unwrap();
        assert_eq!(load(&path).unwrap_err().kind(), io::ErrorKind::InvalidData);
        let mut state = State::default();
        state.import_account("a", Some("Nick".into()), None);
        let text = serde_json::to_vec(&FileOut {
            format: FORMAT,
            version: VERSION,
            state: &state,
        })
        .unwrap();
        fs::write(&path, text).unwrap();
        assert_eq!(load(&path).unwrap(), state);
        fs::remove_dir_all(&dir).unwrap();
    }
}
