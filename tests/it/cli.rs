//! The `aidledger` binary as a person uses it: help, migrate, demo, user add, audit verify,
//! and `report`: drafts, refusals, the writable-output check and archived versions.

use std::io::Write;
use std::process::{Command, Stdio};

fn aidledger(db_url: &str, args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    aidledger_env(db_url, args, stdin, &[])
}

fn aidledger_env(
    db_url: &str,
    args: &[&str],
    stdin: Option<&str>,
    envs: &[(&str, &str)],
) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aidledger"))
        .args(args)
        .envs(envs.iter().copied())
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
        &["export", "rollup", "--help"],
        &["export", "transactions", "--help"],
        &["export", "iati", "--help"],
        &["export", "csv", "--help"],
        &["export", "xlsx", "--help"],
        &["import", "iati", "--help"],
        &["import", "csv", "--help"],
        &["import", "xlsx", "--help"],
        &["backup", "--help"],
        &["restore", "--help"],
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

/// A SQLite ledger with two audited writes, the first entry then changed behind the
/// application's back (dropping the trigger, as an attacker with file access could).
fn tampered(url: &str) {
    two_admins(url);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
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
}

fn two_admins(url: &str) {
    let (ok, _, err) = aidledger(
        url,
        &["user", "add", "first.admin", "--role", "admin"],
        None,
    );
    assert!(ok, "{err}");
    let (ok, _, err) = aidledger(
        url,
        &["user", "add", "second.admin", "--role", "admin"],
        None,
    );
    assert!(ok, "{err}");
}

#[test]
fn audit_verify_catches_a_row_changed_behind_the_applications_back() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("tamper.db").display());
    tampered(&url);
    let (ok, _, err) = aidledger(&url, &["audit", "verify"], None);
    assert!(!ok);
    assert!(err.contains("broken at entry 1"), "{err}");
}

/// Starts `serve` on the SQLite file `db`, waits until it listens, asks for `/healthz` and
/// stops it. Returns what it printed up to its banner (and on stderr) and the health answer.
fn serve_once(db: &std::path::Path) -> (String, String) {
    use crate::hardening_auth::cli::{spawn, until_listening};
    use std::io::Read;
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let mut child = spawn(db, &[("ROCKET_PORT", &port.to_string())], &["serve"]);
    let mut said = until_listening(&mut child);
    let mut health = String::new();
    if let Ok(mut c) = std::net::TcpStream::connect(("127.0.0.1", port)) {
        c.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .unwrap();
        c.read_to_string(&mut health).unwrap();
    }
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    said.push(String::from_utf8_lossy(&out.stderr).into_owned());
    (said.join("\n"), health)
}

/// `serve` verifies the trail before it listens (on a thread of its own, see
/// `cli::maintenance::check_at_start`): an intact trail is said and served; a trail changed
/// behind the application is named, and the server still listens for reads while `/healthz`
/// reports it degraded.
#[test]
fn serve_verifies_the_trail_before_it_listens_and_stays_up_for_reads_when_broken() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("serve.db");
    two_admins(&format!("sqlite://{}", db.display()));
    let (said, health) = serve_once(&db);
    assert!(said.contains("Audit trail verified (2 entries"), "{said}");
    assert!(health.contains("\"status\":\"ok\""), "{said}\n{health}");

    // A trail that never had a checkpoint is verified whole at the start.
    let db = dir.path().join("tampered.db");
    tampered(&format!("sqlite://{}", db.display()));
    let (said, health) = serve_once(&db);
    assert!(
        said.contains("the audit trail failed verification; serving reads only")
            && said.contains("broken at entry 1"),
        "{said}"
    );
    assert!(said.contains("listening on"), "{said}");
    assert!(health.contains("\"status\":\"degraded\""), "{health}");
    assert!(health.contains("broken at entry 1"), "{health}");
}

/// (audit entries, issued reports, period locks) of a SQLite file, read behind the binary.
fn counts(url: &str) -> (i64, i64, i64) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        let mut out = Vec::new();
        for t in ["audit_entry", "issued_report", "period_lock"] {
            let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {t}"));
            out.push(
                sqlx::query_scalar::<_, i64>(sql)
                    .fetch_one(&pool)
                    .await
                    .unwrap(),
            );
        }
        pool.close().await;
        (out[0], out[1], out[2])
    })
}

#[test]
fn report_drafts_refuses_and_issues_once_then_rewrites_an_archived_version() {
    let (ok, help, _) = aidledger("sqlite::memory:", &["report", "--help"], None);
    assert!(
        ok && help.contains("LOCKS THE PERIOD") && help.contains("--draft"),
        "{help}"
    );
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("report.db").display());
    let (ok, _, err) = aidledger(&url, &["demo"], None);
    assert!(ok, "{err}");
    let out = dir.path().join("h1.pdf");
    let out_s = out.to_str().unwrap();
    let base = [
        "report",
        "--period",
        "2025-H1",
        "--issued-on",
        "2025-07-05",
        "--out",
    ];
    let args = |out: &str, extra: &[&'static str]| -> Vec<String> {
        base.iter()
            .map(|s| (*s).to_string())
            .chain([out.to_string()])
            .chain(extra.iter().map(|s| (*s).to_string()))
            .collect()
    };
    let run = |a: &[String], envs: &[(&str, &str)]| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        aidledger_env(&url, &a, None, envs)
    };
    let before = counts(&url);

    let (ok, said, err) = run(&args(out_s, &["--draft"]), &[]);
    assert!(ok, "{err}");
    assert!(
        said.contains("DRAFT") && said.contains("nothing was archived"),
        "{said}"
    );
    let draft = std::fs::read(&out).unwrap();
    assert!(draft.starts_with(b"%PDF"));
    assert_eq!(
        counts(&url),
        before,
        "a draft archives, locks and audits nothing"
    );

    let (ok, _, err) = run(&args(out_s, &["--allow-empty-sections"]), &[]);
    assert!(
        !ok && err.contains("AIDLEDGER_SIGNER_NAME or --signer-name"),
        "{err}"
    );
    let signer = [
        ("AIDLEDGER_SIGNER_NAME", "Nguyễn Văn A"),
        ("AIDLEDGER_SIGNER_AUTHORITY_VI", "KT. GIÁM ĐỐC"),
        ("AIDLEDGER_SIGNER_TITLE_VI", "PHÓ GIÁM ĐỐC"),
    ];
    let (ok, _, err) = run(&args(out_s, &["--allow-empty-sections"]), &signer);
    assert!(
        !ok && err.contains("AIDLEDGER_RECIPIENTS_VI") && err.contains("--recipient"),
        "{err}"
    );
    let mut configured = signer.to_vec();
    configured.push((
        "AIDLEDGER_RECIPIENTS_VI",
        "UBND thành phố Huế; Lưu: VT, QLNN",
    ));
    let (ok, _, err) = run(&args(out_s, &[]), &configured);
    assert!(
        !ok && err.contains("IV (assessment), V (tasks), VI (recommendations)"),
        "{err}"
    );
    assert!(err.contains("--allow-empty-sections"), "{err}");
    // An unwritable --out is refused before anything is archived.
    let missing = dir.path().join("no-such-folder").join("h1.pdf");
    let (ok, _, err) = run(
        &args(missing.to_str().unwrap(), &["--allow-empty-sections"]),
        &configured,
    );
    assert!(!ok && err.contains("does not exist"), "{err}");
    let (ok, _, err) = run(
        &args(dir.path().to_str().unwrap(), &["--allow-empty-sections"]),
        &configured,
    );
    assert!(!ok && err.contains("is a folder"), "{err}");
    let (ok, _, err) = aidledger_env(&url, &["audit", "verify"], None, &[]);
    assert!(ok, "{err}");
    assert_eq!(counts(&url), before, "nothing stored by any refusal");
    assert_eq!(
        std::fs::read(&out).unwrap(),
        draft,
        "the draft file was not touched"
    );

    let (ok, said, err) = run(
        &args(
            out_s,
            &[
                "--allow-empty-sections",
                "--recipient",
                "Bộ Ngoại giao",
                "--recipient",
                "Lưu: VT",
            ],
        ),
        &configured,
    );
    assert!(ok, "{err}");
    assert!(
        said.contains("version 1") && said.contains("LOCKED"),
        "{said}"
    );
    let issued = std::fs::read(&out).unwrap();
    let sha = said.split("SHA-256 ").nth(1).unwrap()[..64].to_string();
    let after = counts(&url);
    assert_eq!(
        (after.1, after.2),
        (before.1 + 1, before.2 + 1),
        "archived and locked"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left behind");

    let (ok, _, err) = run(&args(out_s, &["--allow-empty-sections"]), &configured);
    assert!(!ok && err.contains("unlock the period first"), "{err}");
    assert_eq!(counts(&url), after, "no silent version 2");

    let again = dir.path().join("again.pdf");
    let (ok, said, err) = aidledger(
        &url,
        &[
            "report",
            "--period",
            "2025-H1",
            "--version",
            "1",
            "--out",
            again.to_str().unwrap(),
        ],
        None,
    );
    assert!(ok, "{err}");
    assert!(
        said.contains(&sha),
        "the printed SHA-256 is the one recorded: {said}"
    );
    assert_eq!(
        std::fs::read(&again).unwrap(),
        issued,
        "the stored bytes, again"
    );
    let (ok, _, err) = aidledger(
        &url,
        &[
            "report",
            "--period",
            "2025-H1",
            "--version",
            "2",
            "--out",
            again.to_str().unwrap(),
        ],
        None,
    );
    assert!(!ok && err.contains("version 2"), "{err}");
    assert_eq!(counts(&url), after);
}

/// A reader that goes away (`aidledger … | head`) ends the command quietly with status 141,
/// as a Unix tool ends on SIGPIPE, where `println!` used to panic.
#[test]
fn a_closed_standard_output_ends_the_command_quietly() {
    use std::os::unix::process::ExitStatusExt as _;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("pipe.db").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_aidledger"))
        .arg("migrate")
        .env("DATABASE_URL", &url)
        .env_remove("AIDLEDGER_TEST_PG_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Closed before the command has opened its database, so its first line meets no reader.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        out.status.code(),
        Some(141),
        "{:?} {err}",
        out.status.signal()
    );
    assert!(err.is_empty(), "nothing to say about it: {err}");
}
