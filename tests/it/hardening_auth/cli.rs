//! `serve` checks every setting before it writes anything (12): each bad setting stops it
//! with a message naming the setting, no database file is created and no demo password is
//! printed; a port in use is named; the banner gives the real address, and `demo` alone
//! starts no server and prints no address.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;

/// Settings a developer's shell may hold that would change what the binary does.
const CLEARED: &[&str] = &[
    "ROCKET_PORT",
    "ROCKET_ADDRESS",
    "ROCKET_SECRET_KEY",
    "ROCKET_LOG_LEVEL",
    "ROCKET_IP_HEADER",
    "ROCKET_PROFILE",
    "AIDLEDGER_TRUSTED_IP_HEADER",
    "AIDLEDGER_RATE_MAX_AGE_DAYS",
    "AIDLEDGER_REPORTING_PERIODS",
    "AIDLEDGER_PLACE_VI",
    "AIDLEDGER_TEST_PG_URL",
];

/// The binary with `args` on the SQLite file `db`, with the developer's settings cleared and
/// `env` set, its output piped.
pub(crate) fn spawn(db: &Path, env: &[(&str, &str)], args: &[&str]) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aidledger"));
    cmd.args(args)
        .env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for name in CLEARED {
        cmd.env_remove(name);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().unwrap()
}

/// Runs `serve --demo` with `env`, expecting it to stop on its own with an error.
fn refused(env: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data").join("refused.db");
    let child = spawn(&db, env, &["serve", "--demo"]);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{env:?}: {stdout} {stderr}");
    assert!(!stdout.contains("Demo accounts"), "{env:?}: {stdout}");
    assert!(!db.exists(), "{env:?} created the database");
    stderr
}

#[test]
fn each_bad_setting_is_named_before_anything_is_written() {
    for (name, value) in [
        ("ROCKET_PORT", "notaport"),
        ("ROCKET_PORT", "80000"),
        ("ROCKET_PORT", "0"),
        ("ROCKET_ADDRESS", "not-an-ip"),
        ("ROCKET_SECRET_KEY", "c2hvcnQ="),
        ("ROCKET_LOG_LEVEL", "loud"),
        ("AIDLEDGER_TRUSTED_IP_HEADER", "X Real IP"),
        ("AIDLEDGER_RATE_MAX_AGE_DAYS", "0"),
        ("AIDLEDGER_REPORTING_PERIODS", "weekly"),
        ("AIDLEDGER_PLACE_VI", " "),
    ] {
        let err = refused(&[(name, value)]);
        assert!(err.contains(name), "{name}={value}: {err}");
        assert!(!err.contains("failed to extract"), "{err}");
    }
    let err = refused(&[("ROCKET_PORT", "notaport"), ("ROCKET_ADDRESS", "nowhere")]);
    assert!(
        err.contains("ROCKET_PORT") && err.contains("ROCKET_ADDRESS"),
        "{err}"
    );
}

#[test]
fn a_port_in_use_is_named() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let err = refused(&[("ROCKET_ADDRESS", "127.0.0.1"), ("ROCKET_PORT", &port)]);
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
    drop(taken);
}

#[test]
fn the_banner_gives_the_real_address_after_readable_demo_accounts() {
    let free = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port().to_string();
    drop(free);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("serve.db");
    let mut child = spawn(&db, &[("ROCKET_PORT", &port)], &["serve", "--demo"]);
    let seen = until_listening(&mut child);
    let _ = child.kill();
    let _ = child.wait();
    let text = seen.join("\n");
    let banner = seen.last().cloned().unwrap_or_default();
    assert!(
        banner.contains(&format!("http://127.0.0.1:{port}")),
        "{text}"
    );
    assert!(text.contains("Demo accounts"), "{text}");
    // Quiet by default: no route listing between the accounts and the banner.
    assert!(
        !text.contains("Routes") && !text.contains("(healthz)"),
        "{text}"
    );
}

/// What `child` (a `serve`) printed up to and including its banner. The rest of its output
/// is read to the end on a thread of its own, as a closed pipe would make its next line fail.
pub(crate) fn until_listening(child: &mut Child) -> Vec<String> {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut seen = Vec::new();
    // A generous bound so a broken build fails instead of hanging; not a timing assertion.
    while let Ok(line) = rx.recv_timeout(std::time::Duration::from_secs(300)) {
        let done = line.contains("listening on");
        seen.push(line);
        if done {
            break;
        }
    }
    seen
}

#[test]
fn demo_alone_prints_no_address() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = spawn(&db, &[], &["demo"]).wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("Demo accounts") && !stdout.contains("http://"),
        "{stdout}"
    );
}
