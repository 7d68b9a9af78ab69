//! Tests of the demo loader against real temporary SQLite databases: it loads once and
//! refuses a second time, has the scale and shape of one province, is identical on two fresh
//! databases, leaves the deliberate unconverted transaction, and keeps the audit chain whole.
#![allow(clippy::unwrap_used)]

use super::{DATA_AS_OF, load, names, reference, titles};
use crate::Config;
use crate::actions::Ctx;
use crate::db::{Store, audit, items, ledger, orgs, rates, users};
use crate::domain::item::{DisbursementStatus, ItemStatus, OrgKind, Role};
use chrono::{DateTime, Datelike as _, Utc};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use unicode_normalization::is_nfc;

async fn fresh(dir: &tempfile::TempDir, name: &str) -> Ctx {
    let path = dir.path().join(name);
    let store = Store::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    Ctx {
        store,
        config: Config::default(),
    }
}

/// The number after `label` in the summary.
fn count_in(summary: &str, label: &str) -> i64 {
    let rest = &summary[summary.find(label).unwrap() + label.len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap()
}

#[tokio::test]
async fn loads_a_realistic_province_once() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = fresh(&dir, "demo.db").await;
    let summary = load(&ctx).await.unwrap();
    assert!(summary.contains("aidledger serve"), "{summary}");
    assert!(
        !summary.contains("http://"),
        "demo starts no server: {summary}"
    );
    for name in ["admin", "coordinator", "reviewer", "ngo"] {
        assert!(summary.contains(&format!("  {name} ")), "{summary}");
    }

    let err = load(&ctx).await.unwrap_err();
    assert_eq!(err.code(), "not_empty");

    let mut tx = ctx.store.read().await.unwrap();
    let ngos = orgs::list_organisations(&mut tx, Some(OrgKind::ForeignNgo))
        .await
        .unwrap();
    assert!((28..=32).contains(&ngos.len()), "{} NGOs", ngos.len());
    let countries: BTreeSet<&str> = ngos.iter().map(|o| o.nationality.as_str()).collect();
    assert!(countries.len() >= 12, "{countries:?}");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let expired = ngos
        .iter()
        .filter(|o| o.cert_valid_to.is_some_and(|d| d < today))
        .count();
    assert!((2..=3).contains(&expired), "{expired} expired certificates");

    let all = items::list_items(&mut tx).await.unwrap();
    assert!((180..=220).contains(&all.len()), "{} items", all.len());
    assert!(all.iter().any(|i| i.status == ItemStatus::Pipeline));
    for status in [ItemStatus::Suspended, ItemStatus::Revoked] {
        let n = all.iter().filter(|i| i.status == status).count();
        assert!((3..=5).contains(&n), "{n} {status}");
    }
    for allocations in [
        items::all_sector_allocations(&mut tx).await.unwrap(),
        items::all_locality_allocations(&mut tx).await.unwrap(),
    ] {
        let mut sums: BTreeMap<i64, i64> = BTreeMap::new();
        for a in &allocations {
            *sums.entry(a.item_id).or_default() += a.share_bp;
        }
        assert_eq!(sums.len(), all.len(), "every item is allocated");
        assert!(sums.values().all(|&s| s == 10_000), "{sums:?}");
    }

    let mut unconverted = 0;
    let mut with_aud_gap = false;
    for item in &all {
        for c in ledger::list_commitments(&mut tx, item.id).await.unwrap() {
            assert!(c.commitment_date <= DATA_AS_OF);
            unconverted += i64::from(c.conversion.unconverted_reason.is_some());
        }
        for d in ledger::list_disbursements(&mut tx, item.id).await.unwrap() {
            assert!(d.value_date <= DATA_AS_OF);
            if d.status == DisbursementStatus::Verified {
                assert!(d.verified_by.is_some() && d.verified_by != d.entered_by);
            }
            if let Some(reason) = &d.conversion.unconverted_reason {
                unconverted += 1;
                with_aud_gap |= d.currency.code() == "AUD" && reason.contains("AUD");
            }
        }
    }
    assert!(unconverted >= 1 && with_aud_gap);
    assert_eq!(
        unconverted,
        count_in(&summary, "unconverted transactions: ")
    );
    let rate = count_in(&summary, "(USD equivalent): ");
    assert!((70..=82).contains(&rate), "disbursement rate {rate} %");

    let accounts = users::list_users(&mut tx).await.unwrap();
    let roles: BTreeSet<Role> = accounts.iter().map(|u| u.role).collect();
    assert_eq!(roles.len(), 4);
    assert!(
        accounts
            .iter()
            .all(|u| u.password_hash.starts_with("$argon2id$"))
    );

    let chain = audit::verify_chain(&mut tx).await.unwrap();
    assert_eq!(chain.broken_at, None);
    assert!(chain.entries > 1000, "{} audit entries", chain.entries);
}

/// Everything the loader generates, without the timestamps the clock sets.
async fn snapshot(ctx: &Ctx) -> String {
    let epoch = DateTime::<Utc>::UNIX_EPOCH;
    let mut tx = ctx.store.read().await.unwrap();
    let mut s = String::new();
    for mut o in orgs::list_organisations(&mut tx, None).await.unwrap() {
        o.created_at = epoch;
        writeln!(s, "{o:?}").unwrap();
    }
    for mut r in rates::list_rates(&mut tx, None, true).await.unwrap() {
        r.created_at = epoch;
        writeln!(s, "{r:?}").unwrap();
    }
    for u in users::list_users(&mut tx).await.unwrap() {
        writeln!(
            s,
            "{} {} {} {:?}",
            u.id, u.username, u.role, u.organisation_id
        )
        .unwrap();
    }
    for a in items::all_sector_allocations(&mut tx).await.unwrap() {
        writeln!(s, "{a:?}").unwrap();
    }
    for a in items::all_locality_allocations(&mut tx).await.unwrap() {
        writeln!(s, "{a:?}").unwrap();
    }
    for mut item in items::list_items(&mut tx).await.unwrap() {
        item.created_at = epoch;
        writeln!(s, "{item:?}").unwrap();
        for mut c in ledger::list_commitments(&mut tx, item.id).await.unwrap() {
            c.created_at = epoch;
            writeln!(s, "{c:?}").unwrap();
        }
        for mut d in ledger::list_disbursements(&mut tx, item.id).await.unwrap() {
            d.created_at = epoch;
            writeln!(s, "{d:?}").unwrap();
        }
        for mut m in ledger::list_milestones(&mut tx, item.id).await.unwrap() {
            m.created_at = epoch;
            writeln!(s, "{m:?}").unwrap();
        }
    }
    s
}

#[tokio::test]
async fn the_same_data_on_every_run() {
    let dir = tempfile::tempdir().unwrap();
    let a = fresh(&dir, "a.db").await;
    let b = fresh(&dir, "b.db").await;
    let summary_a = load(&a).await.unwrap();
    let summary_b = load(&b).await.unwrap();
    let (snap_a, snap_b) = (snapshot(&a).await, snapshot(&b).await);
    assert!(snap_a.len() > 100_000);
    assert!(snap_a == snap_b, "the two loads differ");
    // Only the generated passwords differ between the summaries.
    let cut = |s: &str| s[..s.find("Demo accounts").unwrap()].to_string();
    assert_eq!(cut(&summary_a), cut(&summary_b));
    assert_ne!(summary_a, summary_b);
}

#[test]
fn table_text_is_nfc_and_identifiers_are_unique() {
    let mut texts: Vec<&str> = Vec::new();
    for n in names::NGOS {
        texts.extend([n.name_vi, n.name_en, n.cert_no]);
    }
    for f in names::FUNDERS {
        texts.extend([f.0, f.1]);
    }
    for o in names::OWNERS {
        texts.extend([o.name_vi, o.name_en]);
    }
    for t in reference::TOP_SECTORS {
        texts.extend([t.1, t.2]);
    }
    for t in reference::SUB_SECTORS {
        texts.extend([t.2, t.3]);
    }
    for u in reference::NEW_UNITS {
        texts.extend([u.1, u.2]);
    }
    for u in reference::OLD_UNITS {
        texts.extend([u.2, u.3]);
    }
    for p in titles::PROGRAMMES {
        texts.extend([p.title_vi, p.title_en]);
    }
    for m in titles::MILESTONES {
        texts.extend([m.0, m.1, m.2]);
    }
    for t in texts {
        assert!(is_nfc(t), "{t} is not NFC");
    }
    let refs: BTreeSet<&str> = names::NGOS.iter().map(|n| n.iati).collect();
    assert_eq!(refs.len(), names::NGOS.len());
    for n in names::NGOS {
        let years = if n.cert == crate::domain::item::CertificateType::RepresentativeOffice {
            5
        } else {
            3
        };
        let limit = n.valid_from.with_year(n.valid_from.year() + years).unwrap();
        assert!(n.valid_to < limit, "{} certificate too long", n.acronym);
    }
    for s in reference::SUB_SECTORS {
        assert!(s.1.len() == 5 && s.1.bytes().all(|b| b.is_ascii_digit()));
    }
}
