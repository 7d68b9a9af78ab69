//! Agreement with the reference: every file of IATI's own activity schema tests
//! (`tests/data/iati/activity-tests`, from IATI-Schemas at version-2.03) is accepted or
//! refused by `check_schema` exactly as IATI expects, and exactly as xmllint (libxml2) judges
//! it against the same official schema when xmllint is installed.

use aidledger::import::iati::{CheckError, check_schema};
use std::path::{Path, PathBuf};
use std::process::Command;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/iati")
}

fn xml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            xml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "xml") {
            out.push(path);
        }
    }
}

/// Every official test file with IATI's expected outcome (true: should pass). As IATI's
/// `run-tests.sh`, only `*.xml` files count.
fn official_cases() -> Vec<(PathBuf, bool)> {
    let mut cases = Vec::new();
    for (dir, pass) in [("should-pass", true), ("should-fail", false)] {
        let mut files = Vec::new();
        xml_files(&data().join("activity-tests").join(dir), &mut files);
        files.sort();
        cases.extend(files.into_iter().map(|f| (f, pass)));
    }
    cases
}

fn name(path: &Path) -> String {
    path.strip_prefix(data()).unwrap().display().to_string()
}

#[test]
fn check_schema_agrees_with_iatis_expected_outcome_on_all_283_official_tests() {
    let cases = official_cases();
    assert_eq!(
        cases.len(),
        283,
        "the committed official test set is complete"
    );
    let mut disagreements = Vec::new();
    for (file, should_pass) in &cases {
        let result = check_schema(&std::fs::read(file).unwrap());
        let agrees = match (&result, should_pass) {
            (Ok(()), true) => true,
            // A should-fail file must break the schema, not merely be unreadable XML.
            (Err(CheckError::Invalid(v)), false) => !v.is_empty(),
            _ => false,
        };
        if !agrees {
            disagreements.push(format!("{}: {result:?}", name(file)));
        }
    }
    println!(
        "IATI activity schema tests: check_schema agrees on {}/{} ({} should pass, {} should fail)",
        cases.len() - disagreements.len(),
        cases.len(),
        cases.iter().filter(|c| c.1).count(),
        cases.iter().filter(|c| !c.1).count(),
    );
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// `Some(valid)` from `xmllint --noout --schema`, or `None` when xmllint is not installed.
pub fn xmllint_accepts(file: &Path) -> Option<bool> {
    let schema = data().join("schema/iati-activities-schema.xsd");
    match Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(file)
        .output()
    {
        Ok(out) => Some(out.status.success()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("xmllint could not be run: {e}"),
    }
}

#[test]
#[cfg_attr(not(aidledger_xmllint), ignore = "needs libxml2-utils (xmllint)")]
fn check_schema_agrees_with_xmllint_on_every_official_test_file() {
    let cases = official_cases();
    let mut disagreements = Vec::new();
    let mut xmllint_matches_iati = 0;
    for (file, should_pass) in &cases {
        let lint = xmllint_accepts(file).unwrap();
        let ours = check_schema(&std::fs::read(file).unwrap()).is_ok();
        if lint == *should_pass {
            xmllint_matches_iati += 1;
        }
        if lint != ours {
            disagreements.push(format!(
                "{}: xmllint valid={lint}, check_schema valid={ours}",
                name(file)
            ));
        }
    }
    println!(
        "xmllint agrees with IATI on {xmllint_matches_iati}/{n}; check_schema agrees with xmllint on {}/{n}",
        cases.len() - disagreements.len(),
        n = cases.len()
    );
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
