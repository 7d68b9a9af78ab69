//! The `aidledger` binary as a person uses it: help, migrate, demo, user add, audit verify.

use std::io::Write;
use std::process::{Command, Stdio};

fn aidledger(db_url: &str, args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aidledger"))
        .args(args)
        .env("DATABASE_URL", db_url)
        .env_remove("AIDLEDGER_TEST_PG_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_subcommand_has_help() {
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["migrate", "--help"],
        &["demo", "--help"],
        &["user", "add", "--help"],
        &["user", "passwd", "--help"],
        &["audit", "verify", "--help"],
        &["rollup", "--help"],
        &["report", "--help"],
        &["export", "--help"],
        &["report-text", "--help"],
    ] {
        let (ok, out, _) = aidledger("sqlite::memory:", args, None);
        assert!(ok && out.contains("Usage"), "{args:?}");
    }
}

#[test]
fn demo_loads_once_then_refuses_and_users_are_created_with_a_password() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cli.db").display());
    let (ok, out, err) = aidledger(&url, &["migrate"], None);
    assert!(ok, "{err}");
    assert!(out.contains("schema version"));

    let (ok, out, err) = aidledger(&url, &["demo"], None);
    assert!(ok, "{err}");
    for role in ["admin", "coordinator", "reviewer", "ngo"] {
        assert!(
            out.contains(role),
            "the demo summary names the {role} user: {out}"
        );
    }
    let (ok, _, err) = aidledger(&url, &["demo"], None);
    assert!(!ok);
    assert!(err.contains("already holds data"), "{err}");

    let (ok, out, err) = aidledger(
        &url,
        &[
            "user",
            "add",
            "second.admin",
            "--role",
            "admin",
            "--password-stdin",
        ],
        Some("a sufficiently long passphrase\n"),
    );
    assert!(ok, "{err}");
    assert!(out.contains("created user second.admin") && !out.contains("passphrase"));
    let (ok, out, _) = aidledger(
        &url,
        &["user", "add", "third.admin", "--role", "admin"],
        None,
    );
    assert!(ok);
    assert!(out.contains("password (shown once): "));
    let (ok, _, err) = aidledger(
        &url,
        &[
            "user",
            "add",
            "short",
            "--role",
            "admin",
            "--password-stdin",
        ],
        Some("tooshort"),
    );
    assert!(!ok && err.contains("at least 12 characters"), "{err}");
    let (ok, _, err) = aidledger(&url, &["user", "add", "x.ngo", "--role", "ngo"], None);
    assert!(
        !ok && err.contains("must belong to an organisation"),
        "{err}"
    );

    let (ok, out, err) = aidledger(&url, &["audit", "verify"], None);
    assert!(ok, "{err}");
    assert!(out.contains("audit trail intact"));
}

#[test]
fn audit_verify_catches_a_row_changed_behind_the_applications_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tamper.db");
    let url = format!("sqlite://{}", path.display());
    let (ok, _, err) = aidledger(
        &url,
        &["user", "add", "first.admin", "--role", "admin"],
        None,
    );
    assert!(ok, "{err}");
    aidledger(
        &url,
        &["user", "add", "second.admin", "--role", "admin"],
        None,
    );
    // Tamper with the file directly, dropping the trigger as an attacker with file access could.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        sqlx::query("DROP TRIGGER audit_no_update")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_entry SET actor = 'mallory' WHERE id = 1")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    });
    let (ok, _, err) = aidledger(&url, &["audit", "verify"], None);
    assert!(!ok);
    assert!(err.contains("broken at entry 1"), "{err}");
}
