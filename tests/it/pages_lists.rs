//! The lists that answer the question (issue 11, points 3 and 4), through the real HTTP
//! stack: /items with committed, disbursed and rate per item, newest first; the item page's
//! four figures, equal to what the API's rows add up to; organisations grouped and sorted,
//! with the certificate badge only where a certificate is needed; and the rate table,
//! filtered by currency and year, paged, with the months that have no rate as rows to fill in.

use crate::api::{App, MARKER_B};
use crate::common::{date, system};
use crate::pages::{body, log_in, post_form};
use aidledger::db::orgs::NewOrganisation;
use aidledger::domain::item::{CertificateType, OrgKind};
use chrono::Datelike;
use rocket::http::Status;
use serde_json::{Value, json};

async fn get(app: &App, path: &str) -> (Status, String) {
    let res = app.client.get(path.to_string()).dispatch().await;
    let status = res.status();
    (status, body(res).await)
}

/// The value of attribute `attr` on the element with `id`.
fn attr(html: &str, id: &str, attr: &str) -> String {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let tag_end = at + html[at..].find('>').unwrap();
    let tag = &html[at..tag_end];
    let key = format!("{attr}=\"");
    let v = tag
        .find(&key)
        .unwrap_or_else(|| panic!("#{id} has no {attr}"));
    tag[v + key.len()..].split('"').next().unwrap().to_string()
}

/// Minor units of a canonical API amount ("30000.00" → 3000000, "-5" → -5).
fn minor(s: &str) -> i128 {
    s.replace('.', "").parse().unwrap()
}

/// The sum of one conversion field over the API's rows that `keep` keeps.
fn api_sum(rows: &Value, field: &str, keep: impl Fn(&Value) -> bool) -> i128 {
    rows.as_array()
        .unwrap()
        .iter()
        .filter(|r| keep(r))
        .filter_map(|r| r["conversion"][field].as_str())
        .map(minor)
        .sum()
}

/// Logs out whoever is signed in and logs `username` in.
async fn switch(app: &App, username: &str) {
    let res = post_form(&app.client, "/account/tokens", "/logout", "x=1").await;
    assert_eq!(res.status(), Status::SeeOther);
    log_in(&app.client, username).await;
}

fn position(html: &str, needle: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("{needle} missing"))
}

/// Records a commitment through the API.
async fn commit(app: &App, item: i64, amount: &str, cur: &str, d: &str) {
    let (s, b) = app
        .post(
            &format!("/aid-items/{item}/commitments"),
            "coordinator",
            &json!({"amount": amount, "currency": cur, "date": d}),
        )
        .await;
    assert_eq!(s, Status::Created, "{b}");
}

async fn verify(app: &App, id: i64) {
    let (s, b) = app
        .post(
            &format!("/disbursements/{id}/verify"),
            "reviewer",
            &json!({}),
        )
        .await;
    assert_eq!(s, Status::Ok, "{b}");
}

async fn put_rate(app: &App, cur: &str, d: &str, vnd: &str, usd: &str) {
    let (s, b) = app
        .send(
            "PUT",
            "/exchange-rates",
            "reviewer",
            Some(
                &json!({"currency": cur, "date": d, "to_vnd": vnd, "to_usd": usd, "source": "SBV"}),
            ),
            None,
        )
        .await;
    assert_eq!(s, Status::Ok, "{b}");
}

/// A third item of organisation A that starts later than the fixture's two (2024-02-01).
async fn newer_item(app: &App) -> i64 {
    use aidledger::db::items::NewAidItem;
    use aidledger::domain::item::{AidForm, ItemStatus, Modality};
    let cmd = NewAidItem {
        code: "C-2025-NEW".into(),
        title_vi: "Trường học mới".into(),
        title_en: "New school".into(),
        modality: Modality::TechnicalAssistance,
        form: AidForm::Cash,
        donor_id: app.org_a,
        funding_source_id: None,
        aid_owner_id: app.owner,
        managing_agency_id: app.agency,
        approval_number: Some("7/QĐ-UBND".into()),
        approval_date: Some(date("2025-05-01")),
        approval_authority: Some("Chủ tịch UBND tỉnh".into()),
        legal_basis: "80/2020/NĐ-CP".into(),
        planned_start: date("2025-06-01"),
        planned_end: date("2027-06-30"),
        actual_start: None,
        actual_end: None,
        status: ItemStatus::Approved,
        beneficiaries: None,
        sectors: vec![("EDU.PRIMARY".into(), 10_000)],
        localities: vec![("N1".into(), 10_000)],
    };
    aidledger::actions::items::create_item(&app.db.ctx, &system(), cmd)
        .await
        .unwrap()
}

#[rocket::async_test]
async fn the_item_list_shows_committed_disbursed_and_rate_newest_first() {
    let app = App::new().await;
    app.rates().await;
    let (a, b) = (app.item_a, app.item_b);
    let c = newer_item(&app).await;
    commit(&app, a, "100000.00", "USD", "2025-01-15").await;
    let d = app
        .disburse(a, "coordinator", "30000.00", "USD", "2025-02-10")
        .await;
    verify(&app, d).await;
    // Entered but not verified: not disbursed yet.
    app.disburse(a, "coordinator", "1500.00", "EUR", "2025-03-10")
        .await;
    commit(&app, b, "10000.00", "EUR", "2025-02-01").await;
    log_in(&app.client, "coordinator").await;

    let (s, html) = get(&app, "/items").await;
    assert_eq!(s, Status::Ok);
    // The columns, in order, with the money columns sortable.
    let heads = [
        "Mã",
        "Tên",
        "Nhà tài trợ",
        "Trạng thái",
        "Bắt đầu dự kiến",
        "Cam kết (USD)",
        "Đã giải ngân (USD)",
        "Tỷ lệ giải ngân",
    ];
    let thead = &html[position(&html, "<thead>")..position(&html, "</thead>")];
    let mut at = 0;
    for h in heads {
        let p = thead[at..]
            .find(h)
            .unwrap_or_else(|| panic!("{h} missing or out of order: {thead}"));
        at += p + h.len();
    }
    assert!(
        thead.contains("href=\"/items?sort=committed&#38;dir=asc\""),
        "{thead}"
    );
    // Newest first by default: C (2025) before B and A (2024, then by code, descending).
    let (pc, pb, pa) = (
        position(&html, &format!("data-item-id=\"{c}\"")),
        position(&html, &format!("data-item-id=\"{b}\"")),
        position(&html, &format!("data-item-id=\"{a}\"")),
    );
    assert!(pc < pb && pb < pa, "{html}");
    assert!(html.contains("aria-sort=\"descending\""));
    // Item A: 100,000 committed, 30,000 verified: 30 %; the EUR row waiting is not counted.
    let row_a = &html[pa..pa + html[pa..].find("</tr>").unwrap()];
    assert!(
        row_a.contains("<td class=\"code\" data-label="),
        "codes never wrap: {row_a}"
    );
    for want in [
        "data-col=\"committed\" title=\"2.500.000.000\u{a0}₫\">100.000,00<",
        "data-col=\"disbursed\" title=\"750.000.000\u{a0}₫\">30.000,00<",
        "data-col=\"rate\">30,00%<",
    ] {
        assert!(row_a.contains(want), "{want} missing: {row_a}");
    }
    // Item C has nothing yet: zero and no rate ("-", not a division by zero).
    let row_c = &html[pc..pc + html[pc..].find("</tr>").unwrap()];
    assert!(row_c.contains("data-col=\"rate\">-<"), "{row_c}");
    // Other sorts keep working: by rate, ascending, A (30 %) comes after B (0 %).
    let (_, html) = get(&app, "/items?sort=rate&dir=asc").await;
    let (pb, pa) = (
        position(&html, &format!("data-item-id=\"{b}\"")),
        position(&html, &format!("data-item-id=\"{a}\"")),
    );
    assert!(pb < pa);
    let (_, html) = get(&app, "/items?sort=code").await;
    let (pa, pb) = (
        position(&html, &format!("data-item-id=\"{a}\"")),
        position(&html, &format!("data-item-id=\"{b}\"")),
    );
    assert!(pa < pb, "a chosen column runs ascending");
    // In English the same figures, in English notation.
    let res = post_form(&app.client, "/items", "/lang", "lang=en&next=/items").await;
    assert_eq!(res.status(), Status::SeeOther);
    let (_, html) = get(&app, "/items").await;
    assert!(
        html.contains("Committed (USD)")
            && html.contains(">100,000.00<")
            && html.contains(">30.00%<")
    );
    // NGO staff see their own items' figures only.
    switch(&app, "ngo_b").await;
    let (_, html) = get(&app, "/items").await;
    assert!(html.contains(MARKER_B) && !html.contains(&format!("data-item-id=\"{a}\"")));
}

#[rocket::async_test]
async fn the_item_page_opens_with_the_four_figures_the_api_rows_add_up_to() {
    let app = App::new().await;
    app.rates().await;
    let a = app.item_a;
    commit(&app, a, "100000.00", "USD", "2025-01-15").await;
    commit(&app, a, "20000.00", "EUR", "2025-02-15").await;
    let d1 = app
        .disburse(a, "coordinator", "30000.00", "USD", "2025-02-10")
        .await;
    let d2 = app
        .disburse(a, "coordinator", "5000.00", "EUR", "2025-03-10")
        .await;
    verify(&app, d1).await;
    verify(&app, d2).await;
    app.disburse(a, "coordinator", "999.00", "USD", "2025-04-10")
        .await;
    // A disbursement dated where no rate exists: left out, and said so.
    app.disburse(a, "coordinator", "50.00", "AUD", "2025-04-10")
        .await;

    let (s, commitments) = app
        .get(&format!("/aid-items/{a}/commitments"), "coordinator")
        .await;
    assert_eq!(s, Status::Ok);
    let (_, disbursements) = app
        .get(&format!("/aid-items/{a}/disbursements"), "coordinator")
        .await;
    let verified = |r: &Value| r["status"] == "verified";
    let committed_usd = api_sum(&commitments, "amount_usd", |_| true);
    let committed_vnd = api_sum(&commitments, "amount_vnd", |_| true);
    let disbursed_usd = api_sum(&disbursements, "amount_usd", verified);
    let disbursed_vnd = api_sum(&disbursements, "amount_vnd", verified);
    assert_eq!((committed_usd, disbursed_usd), (12_160_000, 3_540_000));

    log_in(&app.client, "coordinator").await;
    let (s, html) = get(&app, &format!("/items/{a}")).await;
    assert_eq!(s, Status::Ok);
    let cents = |id: &str| attr(&html, id, "data-usd-cents").parse::<i128>().unwrap();
    let vnd = |id: &str| attr(&html, id, "data-vnd").parse::<i128>().unwrap();
    assert_eq!(cents("figure-committed"), committed_usd);
    assert_eq!(vnd("figure-committed"), committed_vnd);
    assert_eq!(cents("figure-disbursed"), disbursed_usd);
    assert_eq!(vnd("figure-disbursed"), disbursed_vnd);
    assert_eq!(cents("figure-remaining"), committed_usd - disbursed_usd);
    assert_eq!(vnd("figure-remaining"), committed_vnd - disbursed_vnd);
    // 35,400 / 121,600 = 29.11 %.
    let bp = (disbursed_usd * 10_000 * 2 + committed_usd) / (committed_usd * 2);
    assert_eq!(attr(&html, "figure-rate", "data-bp"), bp.to_string());
    assert!(
        html.contains("29,11%") && html.contains("121.600,00 USD"),
        "{html}"
    );
    // The figures come first: before the facts.
    assert!(position(&html, "id=\"item-figures\"") < position(&html, "id=\"item-facts\""));
    assert!(
        html.contains("id=\"item-figures-unconverted\""),
        "the AUD row is named"
    );
    // NGO staff of the item's organisation see the same figures.
    switch(&app, "ngo_a").await;
    let (_, html) = get(&app, &format!("/items/{a}")).await;
    assert_eq!(
        attr(&html, "figure-disbursed", "data-usd-cents"),
        disbursed_usd.to_string()
    );
}

#[rocket::async_test]
async fn organisations_are_grouped_and_sorted_with_certificates_only_where_needed() {
    let app = App::new().await;
    let org = |kind, name: &str, nat: &str| NewOrganisation {
        kind,
        name_vi: name.into(),
        name_en: name.into(),
        acronym: None,
        nationality: nat.into(),
        iati_ref: None,
        cert_type: (kind == OrgKind::ForeignNgo).then_some(CertificateType::Operation),
        cert_number: (kind == OrgKind::ForeignNgo).then(|| "45/GĐK".to_string()),
        cert_valid_from: None,
        cert_valid_to: None,
        sectors: vec![],
        provinces: vec![],
    };
    for (kind, name, nat) in [
        (OrgKind::ForeignNgo, "Ánh Dương Foundation", "DE"),
        (OrgKind::Funder, "Zenith Trust", "GB"),
        (OrgKind::Funder, "Asia Relief Fund", "JP"),
    ] {
        aidledger::actions::orgs::create_organisation(&app.db.ctx, &system(), org(kind, name, nat))
            .await
            .unwrap();
    }
    log_in(&app.client, "coordinator").await;
    let (s, html) = get(&app, "/organisations").await;
    assert_eq!(s, Status::Ok);
    let ngo = position(&html, "id=\"organisations-foreign_ngo\"");
    let funder = position(&html, "id=\"organisations-funder\"");
    let vn = position(&html, "id=\"organisations-vietnamese\"");
    assert!(ngo < funder && funder < vn);
    let (ngos, funders, vietnamese) = (&html[ngo..funder], &html[funder..vn], &html[vn..]);
    // Sorted by name without regard to accents: Ánh before Hope before Tổ chức.
    let (x, y, z) = (
        position(ngos, "Ánh Dương Foundation"),
        position(ngos, "Hope Bridges"),
        position(ngos, MARKER_B),
    );
    assert!(x < y && y < z, "{ngos}");
    assert!(position(funders, "Asia Relief Fund") < position(funders, "Zenith Trust"));
    assert!(vietnamese.contains("Sở Y tế") && vietnamese.contains("UBND tỉnh"));
    // The certificate and its badge for foreign NGOs only.
    assert_eq!(ngos.matches("badge cert-").count(), 3, "{ngos}");
    assert!(!funders.contains("badge cert-") && !vietnamese.contains("badge cert-"));
    assert!(!vietnamese.contains("Số giấy đăng ký"));
    // Countries by name, not by code.
    assert!(ngos.contains(">Hoa Kỳ</td>") && ngos.contains(">Hàn Quốc</td>"));
    assert!(vietnamese.contains(">Việt Nam</td>") && !html.contains(">US</td>"));
    // A Vietnamese body's own page has no certificate badge either.
    let (_, page) = get(&app, &format!("/organisations/{}", app.owner)).await;
    assert!(page.contains("Sở Y tế") && !page.contains("badge cert-"));
    let (_, page) = get(&app, &format!("/organisations/{}", app.org_a)).await;
    assert!(page.contains("badge cert-"));
}

#[rocket::async_test]
async fn the_rate_table_filters_pages_and_lists_missing_months_to_fill_in() {
    let app = App::new().await;
    app.rates().await;
    // AUD from January 2024, then only July, August and November 2026: every month between
    // is missing, September and October 2026 among them.
    for d in ["2024-01-01", "2026-07-01", "2026-08-01", "2026-11-01"] {
        put_rate(&app, "AUD", d, "16000", "0.65").await;
    }
    log_in(&app.client, "reviewer").await;

    let (s, html) = get(&app, "/rates?currency=AUD&year=2026").await;
    assert_eq!(s, Status::Ok);
    for gap in ["AUD-2026-09-01", "AUD-2026-10-01", "AUD-2026-06-01"] {
        assert!(
            html.contains(&format!("data-gap=\"{gap}\"")),
            "{gap}: {html}"
        );
    }
    assert!(html.contains("data-rate=\"AUD-2026-08-01\"") && html.contains(">16.000,00<"));
    let at = position(&html, "id=\"enter-AUD-2026-09-01\"");
    assert!(
        html[at - 90..at].contains("currency=AUD&#38;year=2026&#38;date=2026-09-01#rate-form"),
        "{}",
        &html[at - 90..at]
    );
    assert!(!html.contains("data-rate=\"EUR-"), "filtered to AUD");
    // The year filter: 2025 holds the fixture's EUR and USD rates in the reader's format.
    let (_, html) = get(&app, "/rates?year=2025").await;
    assert!(
        html.contains("data-rate=\"EUR-2025-03-01\"")
            && html.contains(">27.000,00<")
            && html.contains(">1,08<")
    );
    assert!(!html.contains("data-rate=\"AUD-2026"));
    // Missing months only.
    let (_, html) = get(&app, "/rates?currency=AUD&year=2026&missing=1").await;
    assert!(!html.contains("data-rate=") && html.contains("data-gap=\"AUD-2026-09-01\""));
    // Every year of AUD: 4 rates and the missing months: February 2024 to June 2026 (29),
    // September and October 2026, and the months after November 2026 up to this one while
    // that is within three months (the currency is still in use); 24 lines a page.
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let since_november = (today.year() - 2026) * 12 + i32::try_from(today.month()).unwrap() - 11;
    let missing = 31
        + if since_november <= 3 {
            since_november
        } else {
            0
        };
    let (_, html) = get(&app, "/rates?currency=AUD&year=all").await;
    assert!(
        html.contains(&format!("id=\"rates-total\">{}<", missing + 4))
            && html.contains(&format!("id=\"gap-count\">{missing}<")),
        "{html}"
    );
    assert!(
        html.contains("id=\"rates-pager\"")
            && html.contains("href=\"/rates?currency=AUD&#38;year=all&#38;page=2\"")
    );
    assert!(
        !html.contains("data-rate=\"AUD-2024-01-01\""),
        "the oldest is on page 2"
    );
    let (_, html) = get(&app, "/rates?currency=AUD&year=all&page=2").await;
    assert!(html.contains("data-rate=\"AUD-2024-01-01\""));
    assert_eq!(
        html.matches("<tr ").count(),
        usize::try_from(missing + 4 - 24).unwrap()
    );

    // Filling in September 2026 from its row's link stores the rate.
    let (_, form) = get(&app, "/rates?currency=AUD&year=2026&date=2026-09-01").await;
    // The date as the form shows dates (dd/mm/yyyy in Vietnamese, or ISO).
    let shown = ["value=\"01/09/2026\"", "value=\"2026-09-01\""];
    assert!(
        shown.iter().any(|v| form.contains(v)) && form.contains("<option value=\"AUD\" selected"),
        "{form}"
    );
    let res = post_form(
        &app.client,
        "/rates?currency=AUD&year=2026&date=2026-09-01",
        "/rates",
        "currency=AUD&date=2026-09-01&to_vnd=16500%2C5&to_usd=0%2C66&source=SBV",
    )
    .await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(
        res.headers().get_one("Location"),
        Some("/rates?currency=AUD&year=2026")
    );
    let (_, html) = get(&app, "/rates?currency=AUD&year=2026").await;
    assert!(html.contains("data-rate=\"AUD-2026-09-01\"") && html.contains(">16.500,50<"));
    assert!(
        !html.contains("data-gap=\"AUD-2026-09-01\"")
            && html.contains("data-gap=\"AUD-2026-10-01\"")
    );
    let (_, stored) = app.get("/exchange-rates?currency=AUD", "reviewer").await;
    assert!(
        stored
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["rate_date"] == "2026-09-01"
                && r["to_vnd"] == "16500.5"
                && r["to_usd"] == "0.66"),
        "{stored}"
    );
    // NGO staff have no rate table.
    switch(&app, "ngo_a").await;
    let (s, _) = get(&app, "/rates").await;
    assert_ne!(s, Status::Ok);
}
