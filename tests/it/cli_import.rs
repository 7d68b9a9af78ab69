//! `aidledger import iati FILE --schema-only` as a person runs it: the exit code says valid
//! (0), not valid (3, with the violations) or not read (1, with the reason); without
//! `--schema-only` it says importing is not available yet.

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
fn importing_without_schema_only_is_not_available_yet() {
    let file = official("should-pass/21-transaction.xml");
    let (code, _, err) = aidledger(&["import", "iati", file.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("importing IATI activities is not available yet"),
        "{err}"
    );
}
