//! The IATI schema check on hand-made files: each rule a publisher commonly breaks (order,
//! missing element or attribute, bad date or decimal, unknown element or attribute, extension
//! in a foreign namespace), the messages people read, the cap on violations, and the safety
//! refusals (billion laughs, XXE, entities, depth, size, node count, encodings). Where xmllint
//! is installed, every schema case is also checked against it, so the cases cannot drift
//! from the reference.

use aidledger::import::iati::{
    CheckError, Limits, MAX_BYTES, MAX_VIOLATIONS, Violation, XmlRefusal, check_schema,
    check_schema_with,
};
use std::io::Write;
use std::process::Command;

const TRANSACTION: &str = r#"<transaction>
      <transaction-type code="3"/>
      <transaction-date iso-date="2025-02-01"/>
      <value currency="USD" value-date="2025-02-01">1000.50</value>
    </transaction>"#;

/// A small valid activity file; `body` goes after the required elements of the activity.
fn activity(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03" generated-datetime="2026-01-05T10:00:00Z">
  <iati-activity default-currency="USD" xml:lang="en">
    <iati-identifier>VN-1-ABC</iati-identifier>
    <reporting-org ref="GB-CHC-1" type="21"><narrative>Water &amp; Health</narrative></reporting-org>
    <title><narrative>Clean water &#233;</narrative></title>
    <description><narrative>Wells</narrative></description>
    <participating-org role="1" ref="X"/>
    <activity-status code="2"/>
    <activity-date type="1" iso-date="2025-01-01"/>
    {body}
  </iati-activity>
</iati-activities>
"#
    )
}

/// What xmllint says of `xml`, or `None` when it is not installed.
fn xmllint_valid(xml: &str) -> Option<bool> {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(xml.as_bytes()).unwrap();
    let schema = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/iati/schema/iati-activities-schema.xsd"
    );
    match Command::new("xmllint")
        .args(["--noout", "--schema", schema])
        .arg(f.path())
        .output()
    {
        Ok(out) => Some(out.status.success()),
        Err(_) => None,
    }
}

fn valid(xml: &str) {
    let r = check_schema(xml.as_bytes());
    assert_eq!(r, Ok(()), "{xml}");
    if let Some(lint) = xmllint_valid(xml) {
        assert!(lint, "xmllint refuses what check_schema accepts:\n{xml}");
    }
}

/// The violations of an invalid file (xmllint must refuse it too).
fn invalid(xml: &str) -> Vec<Violation> {
    if let Some(lint) = xmllint_valid(xml) {
        assert!(
            !lint,
            "xmllint accepts what check_schema is asked to refuse:\n{xml}"
        );
    }
    match check_schema(xml.as_bytes()) {
        Err(CheckError::Invalid(v)) => v,
        other => panic!("expected violations, got {other:?}\n{xml}"),
    }
}

fn refused(xml: &[u8]) -> XmlRefusal {
    match check_schema(xml) {
        Err(CheckError::Unsafe(r)) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_minimal_activity_with_a_transaction_is_valid() {
    valid(&activity(TRANSACTION));
}

#[test]
fn children_in_the_wrong_order_name_what_was_expected_and_where() {
    let xml = activity(
        r#"<transaction>
      <transaction-type code="3"/>
      <value currency="USD" value-date="2025-02-01">10</value>
      <transaction-date iso-date="2025-02-01"/>
    </transaction>"#,
    );
    let v = invalid(&xml);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].line, 13);
    assert_eq!(v[0].column, 7);
    assert_eq!(
        v[0].path,
        "/iati-activities/iati-activity/transaction/value"
    );
    assert_eq!(
        v[0].message,
        "<transaction> expects <transaction-date> before <value>"
    );
    assert_eq!(
        v[0].to_string(),
        "line 13, column 7: <transaction> expects <transaction-date> before <value> (at /iati-activities/iati-activity/transaction/value)"
    );
}

#[test]
fn a_missing_required_element_is_named() {
    let without_title = activity("").replace(
        "<title><narrative>Clean water &#233;</narrative></title>",
        "",
    );
    let v = invalid(&without_title);
    assert_eq!(
        v[0].message,
        "<iati-activity> expects <title> before <description>"
    );

    let without_value = activity(
        r#"<transaction><transaction-type code="3"/><transaction-date iso-date="2025-02-01"/></transaction>"#,
    );
    let v = invalid(&without_value);
    assert_eq!(v[0].message, "<transaction> is missing <value>");
    assert_eq!(v[0].path, "/iati-activities/iati-activity/transaction");
}

#[test]
fn repeated_single_elements_and_missing_attributes_are_refused() {
    let two = activity("").replace(
        "<activity-status code=\"2\"/>",
        "<activity-status code=\"2\"/><activity-status code=\"3\"/>",
    );
    let v = invalid(&two);
    assert!(
        v[0].message
            .contains("does not allow another <activity-status>"),
        "{v:?}"
    );
    assert_eq!(
        v[0].path,
        "/iati-activities/iati-activity/activity-status[2]"
    );

    let no_code = activity("").replace("<activity-status code=\"2\"/>", "<activity-status/>");
    let v = invalid(&no_code);
    assert_eq!(
        v[0].message,
        "<activity-status> is missing the required attribute code"
    );

    let no_version = activity("").replace(" version=\"2.03\"", "");
    let v = invalid(&no_version);
    assert_eq!(
        v[0].message,
        "<iati-activities> is missing the required attribute version"
    );
}

#[test]
fn bad_dates_and_decimals_say_what_is_expected() {
    let v = invalid(&activity(&TRANSACTION.replace(
        "<transaction-date iso-date=\"2025-02-01\"/>",
        "<transaction-date iso-date=\"2025-02-30\"/>",
    )));
    assert!(
        v[0].message
            .starts_with("iso-date of <transaction-date> is \"2025-02-30\""),
        "{v:?}"
    );
    assert!(v[0].message.contains("xsd:date"));

    for bad in ["1,000.50", "", "1e3", "USD 10"] {
        let v = invalid(&activity(&TRANSACTION.replace("1000.50", bad)));
        assert!(v[0].message.contains("xsd:decimal"), "{bad}: {v:?}");
        assert_eq!(
            v[0].path,
            "/iati-activities/iati-activity/transaction/value"
        );
    }
    for good in [" 1000 ", "-5", ".5", "+7.", "0012.340"] {
        valid(&activity(&TRANSACTION.replace("1000.50", good)));
    }
    let v = invalid(&activity("").replace("2026-01-05T10:00:00Z", "2026-01-05"));
    assert!(v[0].message.contains("xsd:dateTime"), "{v:?}");
    let v =
        invalid(&activity("").replace("<iati-activity ", "<iati-activity humanitarian=\"yes\" "));
    assert!(v[0].message.contains("xsd:boolean"), "{v:?}");
}

#[test]
fn extensions_must_be_in_a_namespace_of_their_own() {
    let v = invalid(&activity("<foo>bar</foo>"));
    assert_eq!(
        v[0].message,
        "<iati-activity> does not allow <foo>; elements added to IATI must be in a namespace of their own"
    );
    valid(&activity(
        r#"<x:foo xmlns:x="http://example.org/x" x:level="1"><x:bar>anything <b/></x:bar></x:foo>"#,
    ));
    // A foreign element is allowed only where the schema has a wildcard: after the IATI ones.
    let early = activity("").replace(
        "<activity-status code=\"2\"/>",
        "<x:foo xmlns:x=\"http://example.org/x\"/><activity-status code=\"2\"/>",
    );
    invalid(&early);

    let v = invalid(&activity("").replace(
        "<activity-status code=\"2\"/>",
        "<activity-status code=\"2\" colour=\"red\"/>",
    ));
    assert_eq!(
        v[0].message,
        "<activity-status> does not allow the attribute colour; attributes added to IATI must be in a namespace of their own"
    );
    valid(&activity("").replace(
        "<activity-status code=\"2\"/>",
        "<activity-status xmlns:x=\"http://example.org/x\" code=\"2\" x:colour=\"red\"/>",
    ));
    // An element of the IATI vocabulary in a namespace is not an IATI element.
    invalid(&activity("").replace(
        "<iati-activities ",
        "<iati-activities xmlns=\"http://iatistandard.org/\" ",
    ));
}

#[test]
fn text_where_only_elements_or_nothing_belong_is_refused() {
    let v = invalid(&activity("").replace(
        "<activity-status code=\"2\"/>",
        "<activity-status code=\"2\">active</activity-status>",
    ));
    assert!(
        v[0].message
            .contains("cannot contain text (found \"active\")"),
        "{v:?}"
    );
    let v = invalid(&activity("").replace("<title>", "<title>Clean water"));
    assert!(
        v[0].message.contains("<title> holds elements only"),
        "{v:?}"
    );
}

#[test]
fn language_tags_follow_the_xsd_pattern() {
    valid(&activity("").replace("xml:lang=\"en\"", "xml:lang=\"vi-VN\""));
    valid(&activity("").replace("xml:lang=\"en\"", "xml:lang=\"\""));
    valid(&activity("").replace("xml:lang=\"en\"", "xml:lang=\"e\""));
    for bad in ["en_US", "abcdefghi", "vi--VN", "1a"] {
        let v = invalid(&activity("").replace("xml:lang=\"en\"", &format!("xml:lang=\"{bad}\"")));
        assert!(
            v[0].message.starts_with("xml:lang of <iati-activity>"),
            "{v:?}"
        );
        assert!(v[0].message.contains("xsd:language"), "{v:?}");
    }
}

#[test]
fn a_file_whose_root_is_not_declared_is_refused() {
    let v = invalid("<activities version=\"2.03\"/>");
    assert!(v[0].message.contains("cannot be the root"), "{v:?}");
}

#[test]
fn at_most_the_first_violations_are_reported() {
    let bad = TRANSACTION.replace("1000.50", "x");
    let xml = activity(&vec![bad; MAX_VIOLATIONS + 10].join("\n"));
    let v = invalid(&xml);
    assert_eq!(v.len(), MAX_VIOLATIONS);
    assert!(v.windows(2).all(|w| w[0].line < w[1].line));
}

// ---- safety: refused before any schema work ----

#[test]
fn a_billion_laughs_file_is_refused_for_its_dtd() {
    let xml = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&lol9;</iati-identifier></iati-activity></iati-activities>"#;
    let r = refused(xml.as_bytes());
    assert_eq!(r, XmlRefusal::Dtd { line: 2, column: 1 });
    assert!(r.to_string().contains("<!DOCTYPE"), "{r}");
}

#[test]
fn an_xxe_file_is_refused_and_nothing_is_read() {
    let xml = r#"<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&xxe;</iati-identifier></iati-activity></iati-activities>"#;
    let r = refused(xml.as_bytes());
    assert!(matches!(r, XmlRefusal::Dtd { .. }), "{r:?}");
    let e = CheckError::Unsafe(r).to_string();
    assert!(
        !e.contains("root:"),
        "nothing of the file named was read: {e}"
    );

    let external_dtd = "<?xml version=\"1.0\"?>\n<!DOCTYPE iati-activities SYSTEM \"http://example.org/x.dtd\">\n<iati-activities version=\"2\"/>";
    assert!(matches!(
        refused(external_dtd.as_bytes()),
        XmlRefusal::Dtd { .. }
    ));
}

#[test]
fn only_predefined_entities_and_character_references_are_read() {
    let r = refused(activity("").replace("Wells", "&nbsp;Wells").as_bytes());
    assert_eq!(
        r,
        XmlRefusal::Entity {
            name: "nbsp".into(),
            line: 7,
            column: 29
        }
    );
    assert!(r.to_string().contains("&nbsp;"), "{r}");
    let r = refused(activity("").replace("Wells", "&#0;").as_bytes());
    assert!(matches!(r, XmlRefusal::Malformed { .. }), "{r:?}");
    // &amp; and &#233; in the template itself are read.
    valid(&activity(""));
}

#[test]
fn depth_size_and_node_count_are_bounded() {
    let deep = format!(
        "{}{}",
        "<x:a xmlns:x=\"http://example.org/x\">".repeat(100),
        "</x:a>".repeat(100)
    );
    let xml = activity(&deep);
    assert!(matches!(
        refused(xml.as_bytes()),
        XmlRefusal::TooDeep { max: 64, .. }
    ));

    let mut huge = activity("").into_bytes();
    huge.resize(MAX_BYTES + 1, b' ');
    let r = refused(&huge);
    assert_eq!(
        r,
        XmlRefusal::TooLarge {
            bytes: MAX_BYTES + 1,
            max: MAX_BYTES
        }
    );
    assert!(r.to_string().contains("64 MiB"), "{r}");

    let limits = Limits {
        max_nodes: 50,
        ..Limits::default()
    };
    let many = activity(&vec![TRANSACTION; 20].join("\n"));
    assert!(matches!(
        check_schema_with(many.as_bytes(), &limits),
        Err(CheckError::Unsafe(XmlRefusal::TooManyNodes { max: 50, .. }))
    ));
    assert_eq!(
        check_schema_with(many.as_bytes(), &Limits::default()),
        Ok(())
    );
}

#[test]
fn malformed_xml_and_other_encodings_are_refused_with_the_place() {
    let r = refused(activity("").replace("</title>", "</titel>").as_bytes());
    let XmlRefusal::Malformed { line, message, .. } = &r else {
        panic!("{r:?}")
    };
    assert_eq!(*line, 6);
    assert!(message.contains("</titel> closes <title>"), "{message}");

    let mut latin1 = activity("").into_bytes();
    latin1.extend_from_slice(b"<!-- caf\xe9 -->");
    assert!(refused(&latin1).to_string().contains("not valid UTF-8"));
    let utf16 = [0xFF, 0xFE, b'<', 0];
    assert!(refused(&utf16).to_string().contains("UTF-16"));
    let declared = activity("").replace("encoding=\"UTF-8\"", "encoding=\"windows-1258\"");
    assert!(
        refused(declared.as_bytes())
            .to_string()
            .contains("windows-1258")
    );
    let bom = [&[0xEF, 0xBB, 0xBF][..], activity("").as_bytes()].concat();
    assert_eq!(check_schema(&bom), Ok(()));
    assert!(matches!(refused(b""), XmlRefusal::Malformed { .. }));
    assert!(matches!(
        refused(b"<iati-activities version=\"1\"/><iati-activities version=\"1\"/>"),
        XmlRefusal::Malformed { .. }
    ));
}

/// Values of the built-in types the schema uses, each placed where the schema expects that
/// type, with the outcome IATI's reference (xmllint) gives; checked against xmllint too when
/// it is installed.
#[test]
fn built_in_type_values_are_judged_as_xmllint_judges_them() {
    let date =
        |v: &str| activity("").replace("iso-date=\"2025-01-01\"", &format!("iso-date=\"{v}\""));
    let date_time = |v: &str| activity("").replace("2026-01-05T10:00:00Z", v);
    let int = |v: &str| {
        activity("").replace(
            "<iati-activity ",
            &format!("<iati-activity hierarchy=\"{v}\" "),
        )
    };
    let level = |v: &str| {
        activity(&format!(
            "<location><administrative code=\"1\" vocabulary=\"G1\" level=\"{v}\"/></location>"
        ))
    };
    let uri = |v: &str| {
        activity("").replace(
            "<iati-activity ",
            &format!("<iati-activity linked-data-uri=\"{v}\" "),
        )
    };
    let cases: Vec<(String, bool)> = vec![
        (date("2024-02-29"), true),
        (date("2023-02-29"), false),
        (date("2025-01-01Z"), true),
        (date("2025-01-01+07:00"), true),
        (date("2025-01-01+15:00"), false),
        (date("12025-01-01"), true),
        (date("02025-01-01"), false),
        (date("-2025-01-01"), true),
        (date("0000-01-01"), false),
        // libxml2 does not collapse whitespace in dates, date-times and ints (XSD says it
        // should); check_schema follows the reference.
        (date(" 2025-01-01 "), false),
        (date_time("2026-01-05T10:00:00 "), false),
        (int(" 1"), false),
        (date("2025-1-01"), false),
        (date("2025-01-01T00:00:00"), false),
        (date_time("2026-01-05T10:00:00"), true),
        (date_time("2026-01-05T10:00:00.123+07:00"), true),
        (date_time("2026-01-05T24:00:00"), true),
        (date_time("2026-01-05T24:00:01"), false),
        (date_time("2026-01-05T10:00"), false),
        (date_time("2026-01-05T10:00:60"), false),
        (date_time("2026-01-05T10:00:00."), false),
        (date_time("2026-01-05 10:00:00"), false),
        (int("2147483647"), true),
        (int("2147483648"), false),
        (int("-2147483648"), true),
        (int("+1"), true),
        (int("1.0"), false),
        (int(""), false),
        (level(" 1 "), true),
        (level("-0"), true),
        (level("-1"), false),
        (uri("http://example.org/a b"), true),
        (uri("http://example.org/%zz"), false),
        (uri("http://example.org:80/x?q=1#f"), true),
        (uri("http://example.org:8x/"), false),
        (uri("urn:isbn:123"), true),
        (uri("1a:b"), false),
        (uri("./1a:b"), true),
        (uri("http://[::1]/x"), true),
        (uri("a#b#c"), false),
        (uri("#x[1]"), true),
        (uri("é/ü"), true),
        (uri(""), true),
    ];
    let mut wrong = Vec::new();
    for (xml, expected) in &cases {
        let ours = check_schema(xml.as_bytes()).is_ok();
        let lint = xmllint_valid(xml);
        if ours != *expected || lint.is_some_and(|l| l != *expected) {
            let template = activity("");
            let line = xml
                .lines()
                .zip(template.lines())
                .find(|(a, b)| a != b)
                .map_or("", |(a, _)| a);
            wrong.push(format!(
                "expected {expected}, check_schema {ours}, xmllint {lint:?}: {line}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// No byte sequence makes the check panic: every official valid file, with multi-byte
/// characters, markup and references inserted at positions all through it, is either
/// accepted, refused or found invalid.
#[test]
fn inserted_characters_anywhere_never_make_the_check_panic() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/iati/activity-tests/should-pass"
    );
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "xml") {
            continue;
        }
        let original = std::fs::read(&path).unwrap();
        for (k, insert) in [
            "é",
            "€x",
            "<",
            "&",
            "&#x1F600;",
            "\"",
            "-",
            ":",
            "]]>",
            "\u{FEFF}",
        ]
        .iter()
        .enumerate()
        {
            for at in (k * 3..original.len()).step_by(389) {
                let mut bytes = original.clone();
                bytes.splice(at..at, insert.bytes());
                let _ = check_schema(&bytes);
                checked += 1;
            }
        }
    }
    assert!(checked > 1500, "{checked}");
}
