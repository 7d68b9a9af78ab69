//! The main flows, as the people who use the product go through them: a coordinator records
//! an aid item with a commitment and a disbursement in EUR, a reviewer verifies it and sees
//! the dashboard move by exactly the converted amount, then issues the period's report and
//! downloads the PDF; an NGO user sees only its own organisation's items.

use super::browser::{self, attr_of, click, fill, screenshot, source};
use super::server::{self, PASSWORD, Server};
use aidledger::actions::{Actor, queries};
use fantoccini::{Client, Locator};

const PERIOD: &str = "2025-Q4";

pub(super) async fn goto(c: &Client, s: &Server, path: &str) {
    c.goto(&format!("{}{path}", s.base))
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
}

pub(super) async fn login(c: &Client, s: &Server, user: &str) {
    goto(c, s, "/login").await;
    fill(c, "form[action='/login']", "username", user).await;
    fill(c, "form[action='/login']", "password", PASSWORD).await;
    click(c, "form[action='/login'] button[type='submit']").await;
    let url = c.current_url().await.unwrap();
    assert!(
        !url.path().starts_with("/login"),
        "{user} could not log in: {}",
        source(c).await
    );
}

pub(super) async fn logout(c: &Client) {
    super::pages::header_action(c, "/logout").await;
}

/// The exact VND of the dashboard's verified-disbursement card for `period`.
async fn disbursed_vnd(c: &Client, s: &Server) -> i64 {
    goto(c, s, &format!("/?period={PERIOD}")).await;
    attr_of(c, "#card-disbursed", "data-vnd")
        .await
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no exact disbursed card on the dashboard"))
}

/// The last path segment that is a number, e.g. the item id in `/items/205`.
async fn id_in_url(c: &Client) -> i64 {
    let url = c.current_url().await.unwrap();
    url.path_segments()
        .into_iter()
        .flatten()
        .filter_map(|seg| seg.parse().ok())
        .next_back()
        .unwrap_or_else(|| panic!("no id in {url}"))
}

/// Fetches `path` from inside the page (same origin, same cookies) and tells its status,
/// content type and first bytes.
async fn fetch(c: &Client, path: &str) -> serde_json::Value {
    c.execute_async(
        "const done = arguments[arguments.length - 1];
         fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done({
             status: r.status, type: r.headers.get('content-type'),
             head: String.fromCharCode(...new Uint8Array(b.slice(0, 5))), size: b.byteLength })))
         .catch(e => done({error: String(e)}));",
        vec![serde_json::json!(path)],
    )
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(aidledger_browser),
    ignore = "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)"
)]
async fn coordinator_reviewer_and_ngo_flows_in_a_real_browser() {
    if let Some(why) = browser::missing() {
        panic!("the browser was found when the tests were built, but now {why}");
    }
    let s = server::start().await;
    let driver = browser::start_driver().await;
    let c = browser::open(&driver, 1280, 900).await;

    // A coordinator records an item, a commitment and a disbursement in EUR.
    login(&c, &s, "e2e_coordinator").await;
    goto(&c, &s, "/items/new").await;
    let form = "#item-form";
    for (name, value) in [
        ("code", "E2E-2025-001"),
        ("title_vi", "Cung cấp nước sạch cho trường học xã Phú Vang"),
        ("title_en", "Clean water for Phu Vang commune schools"),
        ("legal_basis", "80/2020/NĐ-CP"),
        ("planned_start", "2025-09-01"),
        ("planned_end", "2026-08-31"),
        ("approval_number", "321/QĐ-UBND"),
        ("approval_date", "2025-08-20"),
        ("approval_authority", "Chủ tịch UBND thành phố Huế"),
    ] {
        fill(&c, form, name, value).await;
    }
    fill(&c, form, "donor_id", &server::NGO_ORG.to_string()).await;
    fill(&c, form, "status", "approved").await;
    fill(&c, form, "modality", "investment_project").await;
    fill(&c, form, "form", "cash").await;
    browser::choose_nth(&c, form, "aid_owner_id", 1).await;
    browser::choose_nth(&c, form, "managing_agency_id", 1).await;
    fill(&c, form, "sector_1", "EDU.PRI").await;
    fill(&c, form, "share_1", "100").await;
    browser::choose_nth(&c, form, "locality_1", 1).await;
    fill(&c, form, "lshare_1", "100").await;
    click(&c, &format!("{form} button[type='submit']")).await;
    let page = source(&c).await;
    let errors: Vec<&str> = page
        .split("class=\"field-error\"")
        .skip(1)
        .map(|p| p.split('<').next().unwrap_or(""))
        .collect();
    assert!(errors.is_empty(), "the item form was refused: {errors:?}");
    if let Some(at) = page.find("form-error") {
        panic!(
            "the item form was refused: {}",
            &page[at..(at + 400).min(page.len())]
        );
    }
    let item = id_in_url(&c).await;
    assert!(source(&c).await.contains("E2E-2025-001"));

    goto(&c, &s, &format!("/items/{item}/commitments/new")).await;
    fill(&c, "#commitment-form", "amount", "12.500,00").await;
    fill(&c, "#commitment-form", "currency", "EUR").await;
    fill(&c, "#commitment-form", "date", "2025-10-15").await;
    click(&c, "#commitment-form button[type='submit']").await;
    assert!(
        source(&c).await.contains("12.500,00"),
        "the understood amount is shown before saving"
    );
    click(&c, "#confirm-button").await;

    goto(&c, &s, &format!("/items/{item}/disbursements/new")).await;
    fill(&c, "#disbursement-form", "amount", "4.321,09").await;
    fill(&c, "#disbursement-form", "currency", "EUR").await;
    fill(&c, "#disbursement-form", "value_date", "2025-11-20").await;
    click(&c, "#disbursement-form button[type='submit']").await;
    assert!(source(&c).await.contains("4.321,09"));
    click(&c, "#confirm-button").await;
    let system = Actor::system("e2e check");
    let rows = queries::list_disbursements(&s.ctx, &system, item)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let d = &rows[0];
    assert_eq!((d.amount_minor, d.currency.code()), (432_109, "EUR"));
    let converted = d
        .conversion
        .amount_vnd
        .expect("the disbursement was converted");
    logout(&c).await;

    // A reviewer verifies it; the dashboard moves by exactly the converted amount.
    login(&c, &s, "e2e_reviewer").await;
    let before = disbursed_vnd(&c, &s).await;
    goto(&c, &s, "/review").await;
    screenshot(&c, "flow-review-queue").await;
    click(
        &c,
        &format!("form[action='/review/{}/verify'] button", d.id),
    )
    .await;
    let after = disbursed_vnd(&c, &s).await;
    assert_eq!(
        after - before,
        converted,
        "the dashboard moved by the converted amount"
    );
    screenshot(&c, "flow-dashboard-after-verify").await;

    // The reviewer issues the period's report and downloads the PDF.
    goto(&c, &s, &format!("/periods/{PERIOD}")).await;
    fill(&c, "#issue-form", "number", "15/BC-SNgV").await;
    fill(&c, "#issue-form", "signer_name", "Nguyễn Văn A").await;
    fill(&c, "#issue-form", "recipients", "Lưu: VT, QLNN").await;
    let el = |css: &'static str| c.find(Locator::Css(css));
    el("#allow-empty").await.unwrap().click().await.unwrap();
    el("#issue-button").await.unwrap().click().await.unwrap();
    // A second step asks to confirm, saying that issuing locks the period.
    let asked = c
        .wait()
        .for_element(Locator::Css("#lock-warning"))
        .await
        .expect("a confirmation step")
        .text()
        .await
        .unwrap();
    assert!(asked.contains("KHÓA") || asked.contains("LOCKS"), "{asked}");
    el("#confirm-issue-button")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let link = c
        .wait()
        .for_element(Locator::Css("a[href$='.pdf']"))
        .await
        .expect("a link to the issued PDF")
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let pdf = fetch(&c, &link).await;
    assert_eq!(pdf["status"], 200, "{pdf}");
    assert_eq!(pdf["type"], "application/pdf", "{pdf}");
    assert_eq!(pdf["head"], "%PDF-", "{pdf}");
    screenshot(&c, "flow-report-issued").await;
    logout(&c).await;

    // An NGO user sees its own items only, and another organisation's item is not found.
    login(&c, &s, "e2e_ngo").await;
    screenshot(&c, "flow-ngo-portal").await;
    goto(&c, &s, "/items").await;
    let rows = c.find_all(Locator::Css("[data-item-id]")).await.unwrap();
    assert!(!rows.is_empty(), "the NGO sees its items");
    let all = queries::list_items(
        &s.ctx,
        &system,
        &queries::ItemFilter {
            limit: 500,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    for row in rows {
        let id: i64 = row
            .attr("data-item-id")
            .await
            .unwrap()
            .unwrap()
            .parse()
            .unwrap();
        let it = all.iter().find(|i| i.id == id).unwrap();
        assert_eq!(
            it.donor_id,
            server::NGO_ORG,
            "item {id} belongs to another organisation"
        );
    }
    let other = all.iter().find(|i| i.donor_id != server::NGO_ORG).unwrap();
    let res = fetch(&c, &format!("/items/{}", other.id)).await;
    assert_eq!(res["status"], 404, "{res}");
    goto(&c, &s, &format!("/items/{}", other.id)).await;
    assert!(source(&c).await.contains("Không tìm thấy"));
    assert!(!source(&c).await.contains(&other.title_vi));
    logout(&c).await;
    c.close().await.ok();
}

/// Switches the signed-in user's language with the button in the page header.
async fn switch_language(c: &Client) {
    super::pages::header_action(c, "/lang").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(aidledger_browser),
    ignore = "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)"
)]
async fn screenshots_of_the_main_pages_in_both_languages() {
    if let Some(why) = browser::missing() {
        panic!("the browser was found when the tests were built, but now {why}");
    }
    let s = server::start().await;
    let driver = browser::start_driver().await;
    // Tall enough to show each page whole, charts and tables included.
    let c = browser::open(&driver, 1280, 2200).await;
    goto(&c, &s, "/login").await;
    screenshot(&c, "login-vi").await;
    goto(&c, &s, "/login?lang=en").await;
    screenshot(&c, "login-en").await;
    goto(&c, &s, "/login?lang=vi").await;
    let system = Actor::system("e2e check");
    let item = queries::list_items(
        &s.ctx,
        &system,
        &queries::ItemFilter {
            limit: 1,
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .remove(0)
    .id;
    let pages: [(&str, Vec<(String, &str)>); 4] = [
        (
            "e2e_coordinator",
            vec![
                ("/".into(), "dashboard"),
                ("/items".into(), "items"),
                (format!("/items/{item}"), "item"),
                ("/items/new".into(), "item-form"),
                ("/organisations".into(), "organisations"),
            ],
        ),
        (
            "e2e_reviewer",
            vec![
                ("/review".into(), "review"),
                ("/periods".into(), "periods"),
                ("/rates".into(), "rates"),
            ],
        ),
        (
            "e2e_admin",
            vec![
                ("/admin/users".into(), "users"),
                ("/account/tokens".into(), "tokens"),
            ],
        ),
        ("e2e_ngo", vec![("/portal".into(), "portal")]),
    ];
    for (user, list) in &pages {
        login(&c, &s, user).await;
        for lang in ["vi", "en"] {
            for (path, name) in list {
                goto(&c, &s, path).await;
                screenshot(&c, &format!("{name}-{lang}")).await;
            }
            switch_language(&c).await;
        }
        logout(&c).await;
    }
    // A phone-sized window for the pages people open on the road.
    let phone = browser::open(&driver, 390, 844).await;
    login(&phone, &s, "e2e_coordinator").await;
    for (path, name) in [("/", "dashboard-phone"), ("/items", "items-phone")] {
        goto(&phone, &s, path).await;
        screenshot(&phone, name).await;
    }
    phone.close().await.ok();
    c.close().await.ok();
}
