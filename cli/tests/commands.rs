//! `tim emulator`, `tim usersig`, `tim codegen`, and `tim import` against a `tim emulator`
//! process.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::*;

/// Reads `tim emulator`'s banner: the base URL and the generated key.
fn read_banner(stdout: impl std::io::Read) -> (String, String) {
    let mut reader = BufReader::new(stdout);
    let mut url = None;
    let mut key = None;
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap() > 0 {
        if let Some(rest) = line.trim().strip_prefix("tim emulator listening on ") {
            url = Some(rest.to_owned());
        }
        if let Some(rest) = line.trim().strip_prefix("key") {
            key = rest.split_whitespace().next().map(str::to_owned);
        }
        if line.starts_with("press Ctrl-C") {
            break;
        }
        line.clear();
    }
    (
        url.expect("base URL in the banner"),
        key.expect("key in the banner"),
    )
}

#[test]
fn emulator_process_serves_an_import_and_saves_its_state_on_ctrl_c() {
    let dir = TempDir::new("emulator-process");
    let state = dir.join("state.json");
    let mut emulator = Command::new(TIM)
        .args(["emulator", "--addr", "127.0.0.1:0", "--state"])
        .arg(&state)
        .env_remove("TIM_SECRET_KEY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (url, key) = read_banner(emulator.stdout.take().unwrap());
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(key.len(), 64);

    let rels = generate(5, 20, 50, 4);
    let input = dir.join("in.jsonl");
    write_jsonl(&input, &rels);
    let out = Command::new(TIM)
        .args(["import"])
        .arg(&input)
        .args([
            "--base-url",
            &url,
            "--sdkappid",
            "1400000000",
            "--import-accounts",
        ])
        .args(["--failures"])
        .arg(dir.join("f.jsonl"))
        .env("TIM_SECRET_KEY", &key)
        .output()
        .unwrap();
    let stdout = stdout_of(&out, 0);
    assert_eq!(summary_number(&stdout, "imported"), 100);

    // Ctrl-C: the emulator saves its state and exits cleanly.
    let status = Command::new("kill")
        .args(["-INT", &emulator.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let status = emulator.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    let friends = &saved["state"]["friends"];
    let held: usize = friends
        .as_object()
        .unwrap()
        .values()
        .map(|m| m.as_object().unwrap().len())
        .sum();
    assert_eq!(held, 100);
}

#[test]
fn a_key_is_never_taken_from_a_plain_argument() {
    let out = Command::new(TIM)
        .args([
            "import",
            "x.jsonl",
            "--region",
            "singapore",
            "--sdkappid",
            "1",
            "--key",
            "abc",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let dir = TempDir::new("no-key");
    let input = dir.join("in.jsonl");
    write_jsonl(&input, &generate(1, 1, 2, 1));
    let out = Command::new(TIM)
        .args(["import"])
        .arg(&input)
        .args(["--region", "singapore", "--sdkappid", "1"])
        .env_remove("TIM_SECRET_KEY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("TIM_SECRET_KEY"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn usersig_gen_and_verify() {
    let dir = TempDir::new("usersig");
    let key = dir.join("key");
    std::fs::write(
        &key,
        "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e\n",
    )
    .unwrap();
    let out = Command::new(TIM)
        .args([
            "usersig",
            "gen",
            "--sdkappid",
            "1400000000",
            "--identifier",
            "administrator",
            "--expire",
            "3600",
            "--key-file",
        ])
        .arg(&key)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let sig = text(&out.stdout).trim().to_owned();
    assert!(!sig.is_empty());

    let verify = |identifier: &str, sig: &str, env_key: bool| {
        let mut cmd = Command::new(TIM);
        cmd.args([
            "usersig",
            "verify",
            "--sdkappid",
            "1400000000",
            "--identifier",
            identifier,
            sig,
        ]);
        if env_key {
            cmd.env(
                "TIM_SECRET_KEY",
                "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e",
            );
        } else {
            cmd.arg("--key-file").arg(&key).env_remove("TIM_SECRET_KEY");
        }
        cmd.output().unwrap()
    };
    let out = verify("administrator", &sig, false);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("valid UserSig"), "{stdout}");
    assert!(stdout.contains("identifier  administrator"), "{stdout}");
    assert!(stdout.contains("validity    3600 s"), "{stdout}");

    let out = verify("someone_else", &sig, true);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains("service code 70013"), "{stdout}");

    let out = verify("administrator", "not-a-usersig", true);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("service code 70003"));

    // The UserSig from standard input.
    let mut child = Command::new(TIM)
        .args([
            "usersig",
            "verify",
            "--sdkappid",
            "1400000000",
            "--identifier",
            "administrator",
            "--key-file",
        ])
        .arg(&key)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(sig.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
}

#[test]
fn codegen_prints_the_generated_code() {
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema");
    let out = Command::new(TIM)
        .args(["codegen", schema])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let code = text(&out.stdout);
    // Exactly the code the macro generates: the reviewed golden, minus its header comment.
    let golden = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/golden/schema.rs"
    ))
    .unwrap();
    let golden_code = golden.split_once("\n\n").map(|(_, rest)| rest).unwrap();
    assert!(
        code == golden_code,
        "`tim codegen schema` differs from tests/golden/schema.rs"
    );

    let dir = TempDir::new("codegen");
    let file = dir.join("out.rs");
    let out = Command::new(TIM)
        .args(["codegen", schema, "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), code);

    // A broken schema: the diagnostics, exit status 1.
    let bad = dir.join("schema");
    std::fs::create_dir_all(bad.join("sns")).unwrap();
    std::fs::write(bad.join("sns/broken.json"), "{ \"path\": 3 }").unwrap();
    let out = Command::new(TIM)
        .args(["codegen"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("broken.json"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn help_lists_the_commands() {
    let out = Command::new(TIM).arg("--help").output().unwrap();
    let help = text(&out.stdout);
    for command in [
        "import", "migrate", "emulator", "usersig", "codegen", "openapi",
    ] {
        assert!(help.contains(command), "{help}");
    }
    let out = Command::new(TIM)
        .args(["import", "--help"])
        .output()
        .unwrap();
    let help = text(&out.stdout);
    for flag in [
        "--emulator",
        "--checkpoint",
        "--failures",
        "--dry-run",
        "--rate",
        "--concurrency",
        "--key-file",
        "--import-accounts",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
}
