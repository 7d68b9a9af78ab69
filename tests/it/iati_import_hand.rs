//! IATI import of a file another publisher wrote (no aidledger attributes): several
//! activities, mixed currencies (default-currency and per-value currency), every transaction
//! type the ledger takes, budgets, a planned disbursement, sectors by DAC code and places by
//! name without diacritics. The expected totals are computed from the XML by a plain scan,
//! not by the import's reader. Then: a newer file updates without duplicates, the same file
//! twice changes nothing, and one bad activity refuses the whole file, naming its line.

use crate::common::{TestDb, text_int_rows};
use crate::iati_import::{count, empty_target, errors, import, tmp};
use aidledger::interchange::RecordType;
use aidledger::interchange::preview::OutcomeKind;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

const HAND: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity default-currency="EUR" xml:lang="en">
  <iati-identifier>GB-CHC-1234567-HUE-01</iati-identifier>
  <reporting-org ref="GB-CHC-1234567" type="21"><narrative>Children First UK</narrative></reporting-org>
  <title><narrative>Clean water for Phu Vang</narrative><narrative xml:lang="vi">Nước sạch cho Phú Vang</narrative></title>
  <description><narrative>Wells and latrines in two communes.</narrative></description>
  <description type="3"><narrative>Households without clean water</narrative></description>
  <participating-org ref="US-EIN-555" role="1" type="60"><narrative>Kind Foundation</narrative></participating-org>
  <participating-org role="2" type="10"><narrative xml:lang="vi">Sở Y tế Huế</narrative><narrative>Hue Health Department</narrative></participating-org>
  <participating-org role="4" type="10"><narrative xml:lang="vi">Ủy ban nhân dân huyện Phú Vang</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2023-03-01"/>
  <activity-date type="3" iso-date="2025-12-31"/>
  <recipient-country code="VN" percentage="100"/>
  <location><name><narrative>Phu Vang</narrative></name></location>
  <location><name><narrative>xa Huong Toan</narrative></name></location>
  <sector vocabulary="1" code="14030" percentage="60"/>
  <sector vocabulary="1" code="12220" percentage="40"/>
  <budget><period-start iso-date="2023-03-01"/><period-end iso-date="2023-12-31"/><value value-date="2023-03-01">80000</value></budget>
  <budget><period-start iso-date="2024-01-01"/><period-end iso-date="2024-12-31"/><value currency="USD" value-date="2024-01-01">50000</value></budget>
  <planned-disbursement><period-start iso-date="2024-06-01"/><period-end iso-date="2024-06-30"/><value value-date="2024-06-01">15000</value></planned-disbursement>
  <transaction ref="T1"><transaction-type code="11"/><transaction-date iso-date="2023-03-05"/><value value-date="2023-03-05">100000</value></transaction>
  <transaction ref="T2"><transaction-type code="2"/><transaction-date iso-date="2023-03-10"/><value currency="USD" value-date="2023-03-10">50000.50</value></transaction>
  <transaction ref="T3"><transaction-type code="3"/><transaction-date iso-date="2023-06-01"/><value value-date="2023-06-01">20000</value></transaction>
  <transaction ref="T4"><transaction-type code="4"/><transaction-date iso-date="2023-09-15"/><value value-date="2023-09-15">5000.25</value></transaction>
  <transaction ref="T5"><transaction-type code="12"/><transaction-date iso-date="2023-04-01"/><value value-date="2023-04-01">30000</value></transaction>
  <transaction ref="T6"><transaction-type code="13"/><transaction-date iso-date="2023-04-02"/><value currency="USD" value-date="2023-04-02">10000</value></transaction>
  <result type="1"><title><narrative>Outputs</narrative></title>
   <indicator measure="5"><title><narrative>Ten wells dug</narrative></title>
    <period><period-start iso-date="2024-01-01"/><period-end iso-date="2024-06-30"/></period></indicator>
  </result>
 </iati-activity>
 <iati-activity default-currency="USD" xml:lang="en">
  <iati-identifier>GB-CHC-1234567-HUE-02</iati-identifier>
  <reporting-org ref="GB-CHC-1234567" type="21"><narrative>Children First UK</narrative></reporting-org>
  <title><narrative>Primary schools after the floods</narrative></title>
  <description><narrative>Repairs to flooded classrooms.</narrative></description>
  <participating-org role="2"><narrative>Hue Health Department</narrative></participating-org>
  <participating-org role="4"><narrative xml:lang="vi">Uy ban nhan dan huyen Phu Vang</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2025-08-01"/>
  <activity-date type="3" iso-date="2026-07-31"/>
  <location><name><narrative>Phu Vang</narrative></name></location>
  <sector code="11220"/>
  <transaction><transaction-type code="2"/><transaction-date iso-date="2025-08-05"/><value currency="VND" value-date="2025-08-05">750000000</value></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2025-09-01"/><value value-date="2025-09-01">12000.75</value></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2025-10-01"/><value currency="JPY" value-date="2025-10-01">1500000</value></transaction>
  <transaction><transaction-type code="12"/><transaction-date iso-date="2025-08-02"/><value value-date="2025-08-02">4000</value></transaction>
 </iati-activity>
 <iati-activity default-currency="EUR">
  <iati-identifier>GB-CHC-1234567-HUE-03</iati-identifier>
  <reporting-org ref="GB-CHC-1234567" type="21"><narrative>Children First UK</narrative></reporting-org>
  <title><narrative xml:lang="fr">Santé maternelle à A Lưới</narrative></title>
  <description><narrative xml:lang="fr">Soins prénatals.</narrative></description>
  <participating-org role="2"><narrative>HUE HEALTH DEPARTMENT</narrative></participating-org>
  <participating-org role="4"><narrative>Ủy ban nhân dân huyện Phú Vang</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2024-01-15"/>
  <activity-date type="3" iso-date="2025-06-30"/>
  <location><name><narrative>A Luoi district</narrative></name></location>
  <sector vocabulary="2" code="130" percentage="100"/>
  <transaction><transaction-type code="11"/><transaction-date iso-date="2024-01-20"/><value value-date="2024-01-20">42000</value></transaction>
  <transaction><transaction-type code="2"/><transaction-date iso-date="2024-02-01"/><value currency="GBP" value-date="2024-02-01">9000</value></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2024-03-01"/><value value-date="2024-03-01">7000</value></transaction>
  <transaction><transaction-type code="4"/><transaction-date iso-date="2024-04-01"/><value currency="GBP" value-date="2024-04-01">1234.56</value></transaction>
  <transaction><transaction-type code="13"/><transaction-date iso-date="2024-01-10"/><value value-date="2024-01-10">8000</value></transaction>
 </iati-activity>
</iati-activities>
"#;

/// Sums per (ledger table, currency), scanned from the XML text: each activity's
/// default-currency, each transaction's type code and value (currency or the default).
fn expected(xml: &str) -> BTreeMap<(String, String), Decimal> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[start..].split('"').next()?.to_string())
    };
    let mut sums = BTreeMap::new();
    for activity in xml.split("<iati-activity ").skip(1) {
        let head = activity.split('>').next().unwrap();
        let default = attr(&format!(" {head}"), "default-currency");
        // Each transaction ends with </transaction>; its type comes first, then its value.
        for t in activity.split("</transaction>") {
            let Some((_, t)) = t.split_once("<transaction-type") else {
                continue;
            };
            let code = attr(t, "code").unwrap();
            let value = t.split("<value").nth(1).unwrap();
            let (value_tag, rest) = value.split_once('>').unwrap();
            let currency = attr(value_tag, "currency").or(default.clone()).unwrap();
            let amount = Decimal::from_str(rest.split('<').next().unwrap()).unwrap();
            let table = match code.as_str() {
                "2" | "11" => "commitment",
                "3" | "4" => "disbursement",
                "12" | "13" => "pledge",
                other => panic!("type {other}"),
            };
            *sums
                .entry((table.to_string(), currency))
                .or_insert(Decimal::ZERO) += amount;
        }
    }
    sums
}

async fn stored(db: &TestDb) -> BTreeMap<(String, String), Decimal> {
    let mut sums = BTreeMap::new();
    for table in ["commitment", "disbursement", "pledge"] {
        let sql = format!("SELECT currency, amount_minor FROM {table}");
        for (cur, minor) in text_int_rows(db, &sql).await {
            let c: aidledger::domain::Currency = cur.parse().unwrap();
            *sums
                .entry((table.to_string(), cur))
                .or_insert(Decimal::ZERO) += Decimal::new(minor, c.minor_units());
        }
    }
    sums
}

async fn strings(db: &TestDb, sql: &str) -> Vec<String> {
    text_int_rows(db, sql)
        .await
        .into_iter()
        .map(|(s, _)| s)
        .collect()
}

#[tokio::test]
async fn a_hand_written_file_imports_to_the_expected_items_and_totals() {
    let db = empty_target().await;
    let file = tmp("hand.xml");
    std::fs::write(&file, HAND).unwrap();
    aidledger::import::iati::check_schema(HAND.as_bytes()).unwrap();
    let p = import(&db, &file, false).await;
    assert_eq!(p.errors, 0, "{}", errors(&p));
    assert!(p.applied);
    assert_eq!(stored(&db).await, expected(HAND));
    assert_eq!(count(&db, "aid_item").await, 3);
    // The NGO, the funder, the aid owner and the managing agency (named three ways).
    assert_eq!(count(&db, "organisation").await, 4);

    let items = strings(
        &db,
        "SELECT iati_identifier || ' ' || title_vi || ' | ' || title_en || ' ' || status, CAST(0 AS BIGINT) FROM aid_item ORDER BY iati_identifier",
    )
    .await;
    assert_eq!(
        items,
        [
            "GB-CHC-1234567-HUE-01 Nước sạch cho Phú Vang | Clean water for Phu Vang pipeline",
            "GB-CHC-1234567-HUE-02 Primary schools after the floods | Primary schools after the floods pipeline",
            "GB-CHC-1234567-HUE-03 Santé maternelle à A Lưới | Santé maternelle à A Lưới pipeline",
        ]
    );
    // Phu Vang is the district before the July 2025 reform and the new commune after it.
    let places = strings(
        &db,
        "SELECT i.iati_identifier || ' ' || l.unit_code || ' ' || CAST(l.share_bp AS TEXT), CAST(0 AS BIGINT) FROM aid_item_locality l \
         JOIN aid_item i ON i.id = l.item_id ORDER BY i.iati_identifier, l.unit_code",
    )
    .await;
    assert_eq!(
        places,
        [
            "GB-CHC-1234567-HUE-01 19852 5000",
            "GB-CHC-1234567-HUE-01 478 5000",
            "GB-CHC-1234567-HUE-02 46112 10000",
            "GB-CHC-1234567-HUE-03 481 10000",
        ]
    );
    let sectors = strings(
        &db,
        "SELECT i.iati_identifier || ' ' || s.sector_code || ' ' || CAST(s.share_bp AS TEXT), CAST(0 AS BIGINT) FROM aid_item_sector s \
         JOIN aid_item i ON i.id = s.item_id ORDER BY i.iati_identifier, s.sector_code",
    )
    .await;
    assert_eq!(
        sectors,
        [
            "GB-CHC-1234567-HUE-01 HEALTH.PHC 4000",
            "GB-CHC-1234567-HUE-01 SOCIOECON.WATER 6000",
            "GB-CHC-1234567-HUE-02 EDU.PRI 10000",
            "GB-CHC-1234567-HUE-03 HEALTH.MCH 10000",
        ]
    );
    // Published disbursements wait for a reviewer; no rate was entered, so none converted.
    assert_eq!(
        count(
            &db,
            "disbursement WHERE status = 'submitted' AND amount_vnd IS NULL"
        )
        .await,
        count(&db, "disbursement").await
    );
    assert_eq!(count(&db, "milestone").await, 1);
    // Budgets and the planned disbursement are stored as the item's plans, each in its
    // currency (the activity's EUR, or the value's USD), in minor units.
    assert!(!p.table().contains("not imported"), "{}", p.table());
    let plans = strings(
        &db,
        "SELECT i.iati_identifier || ' ' || b.kind || ' ' || b.currency || ' ' || CAST(b.amount_minor AS TEXT), CAST(0 AS BIGINT) \
         FROM item_budget b JOIN aid_item i ON i.id = b.item_id ORDER BY i.iati_identifier, b.kind, b.period_start",
    )
    .await;
    assert_eq!(
        plans,
        [
            "GB-CHC-1234567-HUE-01 budget EUR 8000000",
            "GB-CHC-1234567-HUE-01 budget USD 5000000",
            "GB-CHC-1234567-HUE-01 planned EUR 1500000",
        ]
    );
}

#[tokio::test]
async fn a_newer_file_updates_and_the_same_file_twice_changes_nothing() {
    let db = empty_target().await;
    let file = tmp("hand.xml");
    std::fs::write(&file, HAND).unwrap();
    let first = import(&db, &file, false).await;
    assert_eq!(first.errors, 0, "{}", errors(&first));
    let tables = [
        "aid_item",
        "organisation",
        "commitment",
        "disbursement",
        "pledge",
        "milestone",
        "item_budget",
    ];
    let mut before = Vec::new();
    for t in tables {
        before.push(count(&db, t).await);
    }
    let again = import(&db, &file, false).await;
    assert_eq!(again.errors, 0, "{}", errors(&again));
    assert_eq!((again.new, again.changed), (0, 0), "{}", again.table());
    for (t, n) in tables.iter().zip(&before) {
        assert_eq!(count(&db, t).await, *n, "{t}");
    }

    // A newer file: a new English title, a new disbursement, the rest as before.
    let newer = HAND
        .replace("Clean water for Phu Vang", "Clean water and sanitation for Phu Vang")
        .replace(
            "<transaction ref=\"T6\">",
            "<transaction ref=\"T7\"><transaction-type code=\"3\"/><transaction-date iso-date=\"2024-02-01\"/><value value-date=\"2024-02-01\">9000</value></transaction>\n  <transaction ref=\"T6\">",
        );
    let path = tmp("newer.xml");
    std::fs::write(&path, &newer).unwrap();
    let p = import(&db, &path, false).await;
    assert_eq!(p.errors, 0, "{}", errors(&p));
    let changed: Vec<_> = p
        .rows
        .iter()
        .filter(|o| o.outcome == OutcomeKind::Changed)
        .collect();
    assert_eq!(changed.len(), 1, "{}", p.table());
    assert_eq!(changed[0].record, RecordType::Items);
    assert_eq!(changed[0].changes[0].column, "title_en");
    assert_eq!(p.new, 1, "{}", p.table());
    assert_eq!(count(&db, "aid_item").await, before[0]);
    assert_eq!(count(&db, "disbursement").await, before[3] + 1);
    assert_eq!(stored(&db).await, expected(&newer));
}

#[tokio::test]
async fn one_bad_activity_changes_nothing_and_is_named_by_its_line() {
    let db = empty_target().await;
    let bad = HAND.replace("<sector code=\"11220\"/>", "<sector code=\"99999\"/>");
    let line = 1 + bad[..bad.find("GB-CHC-1234567-HUE-02").unwrap()]
        .matches('\n')
        .count() as u64
        - 1;
    let path = tmp("bad.xml");
    std::fs::write(&path, &bad).unwrap();
    let p = import(&db, &path, false).await;
    assert!(!p.applied);
    let bad_rows: Vec<_> = p
        .rows
        .iter()
        .filter(|o| o.outcome == OutcomeKind::Error)
        .collect();
    assert_eq!(bad_rows.len(), 1, "{}", errors(&p));
    assert_eq!(bad_rows[0].line, line);
    assert!(
        bad_rows[0].problems[0].message.contains("99999"),
        "{:?}",
        bad_rows[0]
    );
    assert_eq!(bad_rows[0].problems[0].code, "unknown_sector");
    for t in [
        "aid_item",
        "organisation",
        "commitment",
        "pledge",
        "audit_entry",
    ] {
        assert_eq!(count(&db, t).await, 0, "{t}");
    }
}

#[tokio::test]
async fn every_reference_sub_sector_takes_back_its_own_dac_code() {
    use aidledger::domain::dac::{CATEGORIES, PURPOSE_CODES, ledger_sector};
    let db = empty_target().await;
    let mut tx = db.store().read().await.unwrap();
    let sectors = aidledger::db::reference::list_sectors(&mut tx)
        .await
        .unwrap();
    drop(tx);
    let mut subs = 0;
    for s in &sectors {
        let Some(dac) = &s.dac_code else { continue };
        subs += 1;
        let mapped = ledger_sector(Some("1"), dac).unwrap();
        // 16010 (social protection) is two sub-sectors' code; it maps to the first.
        if dac != "16010" {
            assert_eq!(mapped, s.code, "DAC {dac}");
        }
        assert_eq!(ledger_sector(None, dac), Some(mapped));
    }
    assert!(subs > 20);
    assert_eq!(ledger_sector(Some("1"), "16010"), Some("SOCIAL.DIS"));
    for (dac, sector) in PURPOSE_CODES.iter().chain(CATEGORIES) {
        assert!(
            sectors.iter().any(|s| s.code == *sector),
            "DAC {dac} maps to an unknown sector {sector}"
        );
    }
    assert_eq!(ledger_sector(Some("2"), "130"), Some("HEALTH.MCH"));
    assert_eq!(ledger_sector(Some("1"), "99999"), None);
    assert_eq!(ledger_sector(Some("7"), "12220"), None);
}

#[tokio::test]
async fn an_ambiguous_or_unknown_place_is_listed_with_its_candidates_for_the_coordinator() {
    let db = empty_target().await;
    // Before the reform "Phong Dien" is both a district and its township.
    let bad = HAND
        .replace("A Luoi district", "Phong Dien")
        .replace("xa Huong Toan", "Ha Noi");
    let path = tmp("places.xml");
    std::fs::write(&path, &bad).unwrap();
    let p = import(&db, &path, true).await;
    let places: Vec<_> = p
        .rows
        .iter()
        .flat_map(|o| &o.problems)
        .filter(|x| x.column.as_deref() == Some("location"))
        .collect();
    let codes: Vec<&str> = places.iter().map(|x| x.code.as_str()).collect();
    assert_eq!(codes, ["unknown_place", "ambiguous_place"]);
    let messages: Vec<&str> = places.iter().map(|x| x.message.as_str()).collect();
    assert_eq!(messages.len(), 2, "{}", errors(&p));
    assert!(
        messages[0].contains("\"Ha Noi\"")
            && messages[0].contains("matches no administrative unit"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].contains("several units")
            && messages[1].contains("476 huyện Phong Điền (until 2025-06-30)")
            && messages[1].contains("19811 thị trấn Phong Điền (until 2025-06-30)"),
        "{}",
        messages[1]
    );
    assert!(!p.applied);
    assert_eq!(count(&db, "aid_item").await, 0);
}
