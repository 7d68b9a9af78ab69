//! `aidledger import iati FILE --schema-only` as a person runs it: the exit code says valid
//! (0), not valid (3, with the violations) or not read (1, with the reason); without
//! `--schema-only` the file is imported: the preview, and exit 1 when anything is wrong.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs the binary; returns (exit code, stdout, stderr).
fn aidledger(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_aidledger"))
        .args(args)
        .env("DATABASE_URL", "sqlite::memory:")
        .env_remove("AIDLEDGER_TEST_PG_URL")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn official(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/iati/activity-tests")
        .join(rel)
}

fn check(file: &Path) -> (i32, String, String) {
    aidledger(&["import", "iati", file.to_str().unwrap(), "--schema-only"])
}

#[test]
fn help_documents_the_exit_codes() {
    let (code, out, _) = aidledger(&["import", "iati", "--help"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Usage") && out.contains("--schema-only"),
        "{out}"
    );
    assert!(
        out.contains("Exit codes") && out.contains("  3  the file breaks the schema"),
        "{out}"
    );
    let (code, out, _) = aidledger(&["--help"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Bring data in: spreadsheet templates"),
        "{out}"
    );
}

#[test]
fn a_valid_file_exits_0() {
    let file = official("should-pass/21-transaction.xml");
    let (code, out, err) = check(&file);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("valid (IATI 2.03 activity schema)"), "{out}");
}

#[test]
fn an_invalid_file_exits_3_with_its_violations() {
    let file = official("should-fail/transaction/01-missing-transaction-type.xml");
    let (code, out, err) = check(&file);
    assert_eq!(code, 3, "{out}{err}");
    assert!(
        out.contains("not valid against the IATI 2.03 activity schema"),
        "{out}"
    );
    assert!(
        out.contains("<transaction> expects <transaction-type> before <transaction-date>"),
        "{out}"
    );
    assert!(
        out.contains("line ") && out.contains("(at /iati-activities/iati-activity/transaction"),
        "{out}"
    );
}

#[test]
fn an_unreadable_or_unsafe_file_exits_1_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.xml");
    let (code, _, err) = check(&missing);
    assert_eq!(code, 1);
    assert!(
        err.contains("cannot read") && err.contains("nope.xml"),
        "{err}"
    );

    let xxe = dir.path().join("xxe.xml");
    std::fs::write(
        &xxe,
        "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<iati-activities version=\"2.03\">&x;</iati-activities>",
    )
    .unwrap();
    let (code, out, err) = check(&xxe);
    assert_eq!(code, 1, "{out}");
    assert!(
        err.contains("was not read") && err.contains("<!DOCTYPE"),
        "{err}"
    );
    assert!(!out.contains("root:") && !err.contains("root:"));
}

#[test]
fn importing_prints_the_preview_and_fails_when_an_activity_has_an_error() {
    // An empty database has no sectors or places, so the activity cannot be mapped: the
    // preview names its problems and the command fails, importing nothing.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("one.xml");
    std::fs::write(
        &file,
        r#"<iati-activities version="2.03"><iati-activity default-currency="EUR">
<iati-identifier>GB-CHC-1-A</iati-identifier>
<reporting-org ref="GB-CHC-1" type="21"><narrative>An NGO</narrative></reporting-org>
<title><narrative>Wells</narrative></title>
<description><narrative>Wells.</narrative></description>
<participating-org role="2"><narrative>A province</narrative></participating-org>
<activity-status code="2"/>
<activity-date type="1" iso-date="2024-01-01"/>
<sector code="14030"/>
</iati-activity></iati-activities>
"#,
    )
    .unwrap();
    let (code, out, err) = aidledger(&["import", "iati", file.to_str().unwrap(), "--dry-run"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("ERROR") && out.contains("nothing was applied"),
        "{out}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    let (code, out, _) = aidledger(&["import", "iati", file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["applied"], false);
    assert!(json["errors"].as_u64().unwrap() > 0, "{out}");
    // A file that breaks the schema is refused before any activity is read.
    let bad = official("should-fail/24-two-titles.xml");
    let (code, _, err) = aidledger(&["import", "iati", bad.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("not valid against the IATI 2.03 activity schema"),
        "{err}"
    );
    let (code, _, err) = aidledger(&[
        "import",
        "iati",
        file.to_str().unwrap(),
        "--schema-only",
        "--dry-run",
    ]);
    assert_eq!(code, 2, "{err}");
}
