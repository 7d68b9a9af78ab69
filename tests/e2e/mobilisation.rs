//! A proposal's path in a real browser, as the pages do it (issue 14): a coordinator records a
//! stage programme and offers a proposal published to NGOs, moves it to "presented"; the NGO's
//! staff register interest from the portal's page of published proposals, which moves it to
//! "NGO interested"; the coordinator acknowledges the interest in the review queue, moves the
//! proposal to "agreed" and approves it with the aid item it became. Screenshots of the pages
//! on the way, in both languages, on a desk and on a phone, go to `screenshots/mobil-*.png`.

use super::browser::{self, click, fill, screenshot, source};
use super::flows::{goto, login, logout};
use super::server::{self, Server};
use aidledger::actions::Actor;
use aidledger::actions::mobilisation::proposals;
use aidledger::domain::mobilisation::ProposalStatus;
use fantoccini::{Client, Locator};

/// The number at the end of the address, e.g. the proposal id of `/proposals/12`.
async fn id_in_url(c: &Client) -> i64 {
    let url = c.current_url().await.unwrap();
    url.path_segments()
        .into_iter()
        .flatten()
        .filter_map(|seg| seg.parse().ok())
        .next_back()
        .unwrap_or_else(|| panic!("no id in {url}"))
}

/// Fails with the form's refusals when a submitted form came back.
async fn accepted(c: &Client, what: &str) {
    let page = source(c).await;
    let errors: Vec<&str> = page
        .split("class=\"field-error\"")
        .skip(1)
        .map(|p| p.split('<').next().unwrap_or(""))
        .collect();
    assert!(errors.is_empty(), "the {what} was refused: {errors:?}");
    if let Some(at) = page.find("role=\"alert\"") {
        panic!(
            "the {what} was refused: {}",
            &page[at..(at + 400).min(page.len())]
        );
    }
}

async fn status_of(s: &Server, id: i64) -> (ProposalStatus, Option<i64>) {
    let p = proposals::proposal(&s.ctx, &Actor::system("e2e check"), id)
        .await
        .unwrap()
        .proposal;
    (p.status, p.item_id)
}

/// Opens the `<details>` whose summary is `css` (no page load follows).
async fn unfold(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("nothing matches {css}: {e}"))
        .click()
        .await
        .expect("click");
}

/// Screenshots of `paths` in Vietnamese then English, at 1280 and 390 px, as `mobil-<name>-
/// <lang>-<width>`; the language is switched with the header's button and switched back.
async fn pictures(c: &Client, s: &Server, paths: &[(String, &str)]) {
    for lang in ["vi", "en"] {
        for (width, height) in [(1280, 900), (390, 844)] {
            c.set_window_size(width, height).await.ok();
            for (path, name) in paths {
                goto(c, s, path).await;
                screenshot(c, &format!("mobil-{name}-{lang}-{width}")).await;
            }
        }
        c.set_window_size(1280, 900).await.ok();
        super::pages::header_action(c, "/lang").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(aidledger_browser),
    ignore = "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)"
)]
async fn a_proposal_goes_from_proposed_to_approved_with_the_ngos_interest_in_a_real_browser() {
    if let Some(why) = browser::missing() {
        panic!("the browser was found when the tests were built, but now {why}");
    }
    let s = server::start().await;
    let driver = browser::start_driver().await;
    let c = browser::open(&driver, 1280, 900).await;

    // A coordinator records a programme for a stage the demo does not cover.
    login(&c, &s, "e2e_coordinator").await;
    goto(&c, &s, "/programmes").await;
    click(&c, "#new-programme-link").await;
    let form = "#programme-form";
    for (name, value) in [
        (
            "name_vi",
            "Chương trình vận động viện trợ PCPNN giai đoạn 2031-2035",
        ),
        (
            "name_en",
            "Foreign NGO aid mobilisation programme 2031-2035",
        ),
        ("decision_number", "77/QĐ-UBND"),
        ("decision_date", "15/01/2031"),
        ("decision_authority", "Ủy ban nhân dân tỉnh"),
        ("starts_on", "01/01/2031"),
        ("ends_on", "31/12/2035"),
        ("target_amount", "12.000.000"),
        ("target_items", "60"),
        ("tamount_1", "4.000.000"),
    ] {
        fill(&c, form, name, value).await;
    }
    fill(&c, form, "target_currency", "USD").await;
    browser::choose_nth(&c, form, "target_1", 1).await;
    click(&c, &format!("{form} button[type='submit']")).await;
    accepted(&c, "programme form").await;
    let programme = id_in_url(&c).await;
    assert!(source(&c).await.contains("12.000.000,00"));

    // It offers a proposal under the programme, published to NGOs.
    click(&c, "#new-proposal-link").await;
    let form = "#proposal-form";
    for (name, value) in [
        ("title_vi", "Nâng cấp trạm y tế xã Phú Vang"),
        ("title_en", "Upgrading the Phu Vang commune health station"),
        ("estimate", "250.000"),
        (
            "summary",
            "Cải tạo trạm y tế, trang thiết bị khám chữa bệnh ban đầu.",
        ),
    ] {
        fill(&c, form, name, value).await;
    }
    fill(&c, form, "currency", "USD").await;
    browser::choose_nth(&c, form, "sector_code", 1).await;
    browser::choose_nth(&c, form, "unit_code", 1).await;
    browser::choose_nth(&c, form, "aid_owner_id", 1).await;
    click(&c, &format!("{form} button[type='submit']")).await;
    accepted(&c, "proposal form").await;
    let id = id_in_url(&c).await;
    assert_eq!(status_of(&s, id).await, (ProposalStatus::Proposed, None));
    let page = source(&c).await;
    assert!(
        page.contains("250.000,00") && page.contains(&format!("/programmes/{programme}")),
        "{page}"
    );

    // Proposed → presented, with the page's button.
    click(&c, "#move-presented button").await;
    assert_eq!(status_of(&s, id).await.0, ProposalStatus::Presented);
    logout(&c).await;

    // The NGO's staff register interest from the portal.
    login(&c, &s, "e2e_ngo").await;
    goto(&c, &s, "/portal/proposals").await;
    assert!(
        source(&c).await.contains("Nâng cấp trạm y tế xã Phú Vang"),
        "the published proposal is on the portal"
    );
    unfold(&c, &format!("#interest-open-{id}")).await;
    fill(
        &c,
        &format!("#interest-form-{id}"),
        "note",
        "Chúng tôi có thể tài trợ trang thiết bị. Liên hệ: bà Lan.",
    )
    .await;
    click(&c, &format!("#interest-button-{id}")).await;
    let state = c
        .find(Locator::Css(&format!("#interest-state-{id}")))
        .await
        .expect("the portal says the interest was sent")
        .text()
        .await
        .unwrap();
    assert!(state.contains("Đã đăng ký quan tâm"), "{state}");
    assert_eq!(status_of(&s, id).await.0, ProposalStatus::Interested);
    pictures(&c, &s, &[("/portal/proposals".into(), "portal")]).await;
    logout(&c).await;

    // The coordinator sees it in the review queue and acknowledges it.
    login(&c, &s, "e2e_coordinator").await;
    goto(&c, &s, "/review").await;
    let row = format!("#interests-table tr[data-proposal-id='{id}']");
    let text = c
        .find(Locator::Css(&row))
        .await
        .expect("the interest is in the review queue")
        .text()
        .await
        .unwrap();
    assert!(text.contains("tài trợ trang thiết bị"), "{text}");
    screenshot(&c, "mobil-review-before-vi-1280").await;
    click(&c, &format!("{row} form button")).await;
    assert!(
        c.find(Locator::Css(&row)).await.is_err(),
        "the acknowledged interest left the queue"
    );

    // Interested → agreed → approved, linking an approved aid item.
    goto(&c, &s, &format!("/proposals/{id}")).await;
    click(&c, "#move-agreed button").await;
    assert_eq!(status_of(&s, id).await.0, ProposalStatus::Agreed);
    browser::choose_nth(&c, "#approve-form", "item_id", 1).await;
    let item: i64 = c
        .find(Locator::Css("#approve-form select[name='item_id']"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .and_then(|v| v.parse().ok())
        .expect("an item was chosen");
    click(&c, "#approve-button").await;
    assert_eq!(
        status_of(&s, id).await,
        (ProposalStatus::Approved, Some(item))
    );
    let link = c
        .find(Locator::Css("#proposal-item"))
        .await
        .expect("the proposal links its item")
        .attr("href")
        .await
        .unwrap();
    assert_eq!(link, Some(format!("/items/{item}")));
    pictures(
        &c,
        &s,
        &[
            ("/programmes".into(), "programmes"),
            (format!("/programmes/{programme}"), "programme"),
            (format!("/proposals?programme={programme}"), "proposals"),
            (format!("/proposals/{id}"), "proposal"),
            ("/proposals/new".into(), "proposal-form"),
            ("/review".into(), "review"),
        ],
    )
    .await;
    logout(&c).await;
    c.close().await.ok();
}
