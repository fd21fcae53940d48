//! The state file: saved shortly after writes and on shutdown, loaded on start.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use support::{client, emulator, import_accounts};
use tim_rest::sns::friend_import::{self, AddFriendItem, CustomItem};
use tim_rest::sns::{black_list_add, friend_get, group_add};
use tim_rest_emulator::{start, EmulatorConfig};

/// A fresh directory under the system's temp dir, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "tim-rest-emulator-{name}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn file(&self) -> PathBuf {
        self.0.join("state.json")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn with_file(path: &Path) -> EmulatorConfig {
    EmulatorConfig {
        state_file: Some(path.to_path_buf()),
        ..EmulatorConfig::default()
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[tokio::test]
async fn state_survives_a_restart() {
    let scratch = Scratch::new("restart");
    let path = scratch.file();
    let em = emulator(with_file(&path)).await;
    let client = client(&em);
    import_accounts(&client, &["a", "b", "c"]).await;
    client
        .friend_import(&friend_import::Request::new(
            "a",
            [AddFriendItem::new("b", "AddSource_Type_Web")
                .remark("Bee")
                .group_name(["pals"])
                .custom_item([CustomItem::new("Tag_SNS_Custom_N", 7u64)])],
        ))
        .await
        .unwrap();
    client
        .black_list_add(&black_list_add::Request::new("c", ["a"]))
        .await
        .unwrap();
    client
        .group_add(&group_add::Request::new("b", ["empty"]))
        .await
        .unwrap();
    let before = em.snapshot();
    em.shutdown().await.unwrap();
    assert_eq!(
        files_in(&scratch.0),
        ["state.json"],
        "no temporary file left"
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("tim-rest-emulator-state"), "{text}");

    let again = start(with_file(&path), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(again.snapshot(), before);
    assert_eq!(again.stats().requests, 0);
    // The reloaded state answers reads, sequences included.
    let page = support::client(&again)
        .friend_get(&friend_get::Request::new("a", 0))
        .await
        .unwrap();
    assert_eq!(page.user_data_item.len(), 1);
    assert!(page.standard_sequence > Some(0));
    again.shutdown().await.unwrap();
}

#[tokio::test]
async fn writes_are_saved_without_a_shutdown() {
    let scratch = Scratch::new("debounce");
    let path = scratch.file();
    let em = emulator(with_file(&path)).await;
    import_accounts(&client(&em), &["saved"]).await;
    let mut waited = Duration::ZERO;
    loop {
        if std::fs::read_to_string(&path).is_ok_and(|t| t.contains("\"saved\"")) {
            break;
        }
        assert!(
            waited < Duration::from_secs(2),
            "not saved within 1 s of the write"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += Duration::from_millis(50);
    }
    // Dropped without shutdown: what is on disk is still a complete state.
    drop(em);
    let again = emulator(with_file(&path)).await;
    assert!(again.snapshot().accounts.contains("saved"));
}

#[tokio::test]
async fn a_file_that_is_not_a_state_file_fails_start() {
    let scratch = Scratch::new("corrupt");
    let path = scratch.file();
    std::fs::write(&path, "{\"format\":").unwrap();
    let err = start(with_file(&path), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    assert!(err.to_string().contains("state.json"), "{err}");
}
