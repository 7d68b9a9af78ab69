//! The mobilisation pages through the real HTTP stack (issue 14): a coordinator records a
//! stage programme with its targets and amends it (the history says so in words), offers a
//! proposal, moves it along its path and approves it with the aid item it became; an NGO
//! registers interest from the portal's page of published proposals, once; the coordinator
//! acknowledges it from the review queue. Refused forms come back with the input and the
//! reason in the reader's language; NGO staff see published proposals and their own
//! organisation's interest only; reviewers read without the buttons.

use crate::api::App;
use crate::pages::{body, log_in, post_form};
use aidledger::actions::mobilisation::{programmes, proposals};
use aidledger::db::programmes::{NewProgramme, ProgrammeTarget};
use aidledger::db::proposals::NewProposal;
use aidledger::domain::Currency;
use aidledger::domain::mobilisation::{ProposalStatus, TargetDimension};
use rocket::http::Status;

async fn get(app: &App, path: &str) -> (Status, String) {
    let res = app.client.get(path.to_string()).dispatch().await;
    let status = res.status();
    (status, body(res).await)
}

/// Logs out whoever is signed in and logs `username` in.
async fn switch(app: &App, username: &str) {
    let res = post_form(&app.client, "/account/tokens", "/logout", "x=1").await;
    assert_eq!(res.status(), Status::SeeOther);
    log_in(&app.client, username).await;
}

/// Posts `fields` to `action` with the token of `page` and returns the status, where it
/// redirects to and the body.
async fn post(app: &App, page: &str, action: &str, fields: &str) -> (Status, String, String) {
    let res = post_form(&app.client, page, action, fields).await;
    let status = res.status();
    let to = res
        .headers()
        .get_one("Location")
        .unwrap_or_default()
        .to_string();
    (status, to, body(res).await)
}

/// The 2021–2025 programme, recorded by the coordinator through the action.
async fn programme(app: &App) -> i64 {
    let cmd = NewProgramme {
        name_vi: "Chương trình vận động viện trợ PCPNN giai đoạn 2021-2025".into(),
        name_en: "Foreign NGO aid mobilisation programme 2021-2025".into(),
        decision_number: "1234/QĐ-UBND".into(),
        decision_date: crate::common::date("2021-03-15"),
        decision_authority: "Ủy ban nhân dân tỉnh".into(),
        starts_on: crate::common::date("2021-01-01"),
        ends_on: crate::common::date("2025-12-31"),
        target_currency: Currency::USD,
        target_minor: 500_000_000,
        target_items: Some(40),
        targets: vec![ProgrammeTarget {
            dimension: TargetDimension::SectorGroup,
            code: "HEALTH".into(),
            target_minor: Some(200_000_000),
            target_items: None,
        }],
    };
    programmes::create_programme(&app.db.ctx, &app.actors["coordinator"], cmd)
        .await
        .unwrap()
}

/// A proposal under `programme`, published to NGOs or not.
async fn proposal(app: &App, programme_id: i64, title: &str, published: bool) -> i64 {
    let cmd = NewProposal {
        programme_id,
        title_vi: format!("Dự án {title}"),
        title_en: format!("Project {title}"),
        sector_code: "HEALTH.PHC".into(),
        unit_code: "N1".into(),
        currency: Currency::USD,
        estimate_minor: 25_000_000,
        aid_owner_id: app.owner,
        summary: "Nâng cấp trạm y tế xã.".into(),
        published,
    };
    proposals::create_proposal(&app.db.ctx, &app.actors["coordinator"], cmd)
        .await
        .unwrap()
}

async fn status_of(app: &App, id: i64) -> ProposalStatus {
    proposals::proposal(&app.db.ctx, &app.actors["coordinator"], id)
        .await
        .unwrap()
        .proposal
        .status
}

#[rocket::async_test]
async fn pages_mobilisation_a_programme_is_recorded_amended_and_its_history_told_in_words() {
    let app = App::new().await;
    log_in(&app.client, "coordinator").await;
    let (s, html) = get(&app, "/programmes").await;
    assert_eq!(s, Status::Ok);
    assert!(html.contains("id=\"new-programme-link\""), "{html}");
    assert!(html.contains("aria-current=\"page\">Vận động<"), "{html}");

    // A refused form keeps what was typed and names each field in Vietnamese.
    let (s, _, html) = post(
        &app,
        "/programmes/new",
        "/programmes/new",
        "name_vi=Giai+%C4%91o%E1%BA%A1n+2026-2030&name_en=&decision_number=99%2FQ%C4%90-UBND\
         &decision_date=31%2F02%2F2026&decision_authority=UBND+t%E1%BB%89nh\
         &starts_on=01%2F01%2F2030&ends_on=01%2F01%2F2026&target_currency=USD\
         &target_amount=12%2C5%2C0&target_items=abc&target_1=&tamount_1=100",
    )
    .await;
    assert_eq!(s, Status::UnprocessableEntity, "{html}");
    assert!(html.contains("value=\"Giai đoạn 2026-2030\""), "{html}");
    for (field, label) in [
        ("name_en", "Tên tiếng Anh"),
        ("decision_date", "Ngày quyết định"),
        ("ends_on", "Đến ngày"),
        ("target_amount", "Mục tiêu giá trị cam kết"),
        ("target_items", "Mục tiêu số khoản viện trợ"),
        ("target_1", "Lĩnh vực hoặc địa bàn, dòng 1"),
    ] {
        assert!(
            html.contains(&format!("href=\"#f-{field}\">{label}")),
            "{field}: {html}"
        );
    }
    assert!(html.contains("Ngày kết thúc giai đoạn phải sau ngày bắt đầu."));

    // Typed as a Vietnamese reader writes numbers and dates.
    let (s, to, html) = post(
        &app,
        "/programmes/new",
        "/programmes/new",
        "name_vi=Giai+%C4%91o%E1%BA%A1n+2026-2030&name_en=Stage+2026-2030\
         &decision_number=99%2FQ%C4%90-UBND&decision_date=20%2F01%2F2026\
         &decision_authority=UBND+t%E1%BB%89nh&starts_on=01%2F01%2F2026&ends_on=31%2F12%2F2030\
         &target_currency=USD&target_amount=8.000.000%2C00&target_items=50\
         &target_1=sector_group%3AHEALTH&tamount_1=3.000.000&titems_1=\
         &target_2=locality%3AN1&tamount_2=&titems_2=5",
    )
    .await;
    assert_eq!(s, Status::SeeOther, "{html}");
    let id: i64 = to.trim_start_matches("/programmes/").parse().unwrap();
    let view = programmes::programme(&app.db.ctx, &app.actors["coordinator"], id)
        .await
        .unwrap();
    assert_eq!(view.programme.target_minor, 800_000_000);
    assert_eq!(view.programme.target_items, Some(50));
    assert_eq!(view.targets.len(), 2);

    let (s, html) = get(&app, &to).await;
    assert_eq!(s, Status::Ok);
    assert!(html.contains("8.000.000,00\u{a0}USD"), "{html}");
    assert!(html.contains("Số 99/QĐ-UBND ngày 20/01/2026"), "{html}");
    let targets = &html[html.find("id=\"targets-table\"").unwrap()..];
    assert!(
        targets.contains("Lĩnh vực HEALTH") && targets.contains("Đơn vị N1"),
        "{targets}"
    );
    assert!(html.contains("Thêm chương trình vận động"), "{html}");

    // The amendment keeps its form's values and appears in the history.
    let (s, _, html) = post(
        &app,
        &to,
        &to,
        "name_vi=Giai+%C4%91o%E1%BA%A1n+2026-2030&name_en=Stage+2026-2030\
         &decision_number=100%2FQ%C4%90-UBND&decision_date=20%2F02%2F2026\
         &decision_authority=UBND+t%E1%BB%89nh&starts_on=01%2F01%2F2026&ends_on=31%2F12%2F2030\
         &target_currency=USD&target_amount=9.000.000&target_items=",
    )
    .await;
    assert_eq!(s, Status::SeeOther, "{html}");
    let (_, html) = get(&app, &to).await;
    assert!(html.contains("9.000.000,00\u{a0}USD"), "{html}");
    assert!(html.contains("Điều chỉnh chương trình vận động"), "{html}");
    assert!(
        html.contains("id=\"no-targets\""),
        "the targets were replaced: {html}"
    );
}

#[rocket::async_test]
async fn pages_mobilisation_a_proposal_goes_from_proposed_to_approved_with_the_ngos_interest() {
    let app = App::new().await;
    let prog = programme(&app).await;
    log_in(&app.client, "coordinator").await;

    // The proposal form refuses an unreadable estimate and keeps the rest.
    let (s, _, html) = post(
        &app,
        "/proposals/new",
        "/proposals/new",
        &format!(
            "programme_id={prog}&title_vi=&title_en=Clinic&sector_code=HEALTH.PHC&unit_code=N1\
             &estimate=12%2C5%2C0&currency=USD&aid_owner_id={}&summary=T%C3%B3m+t%E1%BA%AFt\
             &published=1",
            app.owner
        ),
    )
    .await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(
        html.contains("href=\"#f-title_vi\">Tên tiếng Việt"),
        "{html}"
    );
    assert!(
        html.contains("href=\"#f-estimate\">Giá trị dự kiến"),
        "{html}"
    );
    assert!(html.contains("value=\"Clinic\"") && html.contains(">Tóm tắt</textarea>"));

    let (s, to, html) = post(
        &app,
        "/proposals/new",
        "/proposals/new",
        &format!(
            "programme_id={prog}&title_vi=Tr%E1%BA%A1m+y+t%E1%BA%BF+x%C3%A3&title_en=Commune+clinic\
             &sector_code=HEALTH.PHC&unit_code=N1&estimate=250.000&currency=USD&aid_owner_id={}\
             &summary=N%C3%A2ng+c%E1%BA%A5p&published=1",
            app.owner
        ),
    )
    .await;
    assert_eq!(s, Status::SeeOther, "{html}");
    let id: i64 = to.trim_start_matches("/proposals/").parse().unwrap();
    let (_, html) = get(&app, &to).await;
    assert!(html.contains("250.000,00\u{a0}USD"), "{html}");
    assert!(html.contains("id=\"move-presented\""), "{html}");
    assert!(!html.contains("id=\"approve-form\""), "not yet agreed");

    // Presented to NGO A directly, by letter.
    let (s, _, html) = post(
        &app,
        &to,
        &format!("/proposals/{id}/present"),
        &format!("organisation_id={}&presented_on=05%2F03%2F2025", app.org_a),
    )
    .await;
    assert_eq!(s, Status::SeeOther, "{html}");
    // Recording a presentation moves a proposed proposal to "presented".
    assert_eq!(status_of(&app, id).await, ProposalStatus::Presented);
    let (_, html) = get(&app, &to).await;
    assert!(!html.contains("id=\"move-presented\""), "{html}");
    let presented = &html[html.find("id=\"presentations-table\"").unwrap()..];
    assert!(
        presented.contains("Hope Bridges") && presented.contains("05/03/2025"),
        "{presented}"
    );

    // NGO A registers interest from the portal, once.
    switch(&app, "ngo_a").await;
    let (s, html) = get(&app, "/portal/proposals").await;
    assert_eq!(s, Status::Ok);
    assert!(
        html.contains(&format!("id=\"interest-form-{id}\"")),
        "{html}"
    );
    assert!(
        html.contains("aria-current=\"page\">Dự án kêu gọi tài trợ<"),
        "{html}"
    );
    let (s, to_portal, _) = post(
        &app,
        "/portal/proposals",
        &format!("/portal/proposals/{id}/interest"),
        "note=Ch%C3%BAng+t%C3%B4i+t%C3%A0i+tr%E1%BB%A3+thi%E1%BA%BFt+b%E1%BB%8B",
    )
    .await;
    assert_eq!(s, Status::SeeOther);
    assert!(to_portal.starts_with("/portal/proposals"), "{to_portal}");
    assert_eq!(status_of(&app, id).await, ProposalStatus::Interested);
    let (_, html) = get(&app, "/portal/proposals").await;
    assert!(
        html.contains(&format!("id=\"interest-state-{id}\"")),
        "{html}"
    );
    assert!(
        !html.contains(&format!("id=\"interest-form-{id}\"")),
        "{html}"
    );
    let (s, _, html) = post(
        &app,
        "/portal/proposals",
        &format!("/portal/proposals/{id}/interest"),
        "note=again",
    )
    .await;
    assert_eq!(
        s,
        Status::Conflict,
        "a second registration is refused: {html}"
    );
    assert!(
        html.contains(&format!("id=\"interest-error-{id}\"")),
        "{html}"
    );
    assert!(
        !html.contains("already"),
        "no English on a Vietnamese page: {html}"
    );

    // The coordinator sees it in the review queue and acknowledges it.
    switch(&app, "coordinator").await;
    let (_, html) = get(&app, "/review").await;
    let section = &html[html.find("id=\"interests\"").expect("the section")..];
    assert!(
        section.contains("Chúng tôi tài trợ thiết bị") && section.contains("Hope Bridges"),
        "{section}"
    );
    let interest = proposals::open_interests(&app.db.ctx, &app.actors["coordinator"])
        .await
        .unwrap()[0]
        .id;
    let (s, to_review, _) = post(
        &app,
        "/review",
        &format!("/review/interests/{interest}/acknowledge"),
        "x=1",
    )
    .await;
    assert_eq!(
        (s, to_review.as_str()),
        (Status::SeeOther, "/review#interests")
    );
    let (_, html) = get(&app, "/review").await;
    assert!(
        html.contains("Không có đăng ký quan tâm nào chờ tiếp nhận."),
        "{html}"
    );

    // Agreed, then approved: without an item the refusal is shown by the item chooser.
    let page = format!("/proposals/{id}");
    let (s, _, _) = post(
        &app,
        &page,
        &format!("/proposals/{id}/move"),
        "status=agreed",
    )
    .await;
    assert_eq!(s, Status::SeeOther);
    let (s, _, html) = post(
        &app,
        &page,
        &format!("/proposals/{id}/move"),
        "status=approved&item_id=",
    )
    .await;
    assert!(s.code >= 400 && s.code < 500, "{s}: {html}");
    assert!(html.contains("id=\"approve-error\""), "{html}");
    assert_eq!(status_of(&app, id).await, ProposalStatus::Agreed);
    let (_, html) = get(&app, &page).await;
    assert!(
        html.contains(&format!("<option value=\"{}\">A-001", app.item_a)),
        "{html}"
    );
    let (s, _, html) = post(
        &app,
        &page,
        &format!("/proposals/{id}/move"),
        &format!("status=approved&item_id={}", app.item_a),
    )
    .await;
    assert_eq!(s, Status::SeeOther, "{html}");
    let (_, html) = get(&app, &page).await;
    assert!(
        html.contains(&format!(
            "href=\"/items/{}\" id=\"proposal-item\"",
            app.item_a
        )),
        "{html}"
    );
    assert!(
        !html.contains("id=\"proposal-moves\""),
        "approved is final: {html}"
    );
    let interests = &html[html.find("id=\"interests-table\"").unwrap()..];
    assert!(interests.contains("Đã tiếp nhận lúc"), "{interests}");
}

#[rocket::async_test]
async fn pages_mobilisation_ngo_staff_see_published_proposals_and_their_own_interest_only() {
    let app = App::new().await;
    let prog = programme(&app).await;
    let open = proposal(&app, prog, "công bố", true).await;
    let hidden = proposal(&app, prog, "nội bộ", false).await;
    proposals::register_interest(&app.db.ctx, &app.actors["ngo_a"], open, "A's note".into())
        .await
        .unwrap();

    log_in(&app.client, "ngo_b").await;
    let (s, html) = get(&app, "/portal/proposals").await;
    assert_eq!(s, Status::Ok);
    assert!(html.contains(&format!("id=\"proposal-{open}\"")), "{html}");
    assert!(
        !html.contains(&format!("id=\"proposal-{hidden}\"")),
        "{html}"
    );
    assert!(
        !html.contains("A's note") && !html.contains("interest-state-"),
        "{html}"
    );
    assert!(
        html.contains(&format!("id=\"interest-form-{open}\"")),
        "{html}"
    );
    // The province's lists are not theirs: they are sent to the portal's page.
    let res = app.client.get("/proposals").dispatch().await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(res.headers().get_one("Location"), Some("/portal/proposals"));
    let (s, _) = get(&app, &format!("/proposals/{hidden}")).await;
    assert_eq!(s, Status::NotFound);
    let (s, _) = get(&app, "/proposals/new").await;
    assert!(s == Status::Forbidden || s == Status::NotFound, "{s}");
    // Nor may they register interest in an unpublished proposal, or acknowledge one.
    let (s, _, _) = post(
        &app,
        "/portal/proposals",
        &format!("/portal/proposals/{hidden}/interest"),
        "note=x",
    )
    .await;
    assert_eq!(s, Status::NotFound);
    let (s, _, _) = post(
        &app,
        "/portal/proposals",
        "/review/interests/1/acknowledge",
        "x=1",
    )
    .await;
    assert!(s == Status::Forbidden || s == Status::NotFound, "{s}");

    // Province staff are sent from the portal's page to the list.
    switch(&app, "coordinator").await;
    let res = app.client.get("/portal/proposals").dispatch().await;
    assert_eq!(res.headers().get_one("Location"), Some("/proposals"));
}

#[rocket::async_test]
async fn pages_mobilisation_reviewers_read_without_buttons_and_lists_stack_on_a_phone() {
    let app = App::new().await;
    let prog = programme(&app).await;
    let id = proposal(&app, prog, "đọc", true).await;
    proposals::register_interest(&app.db.ctx, &app.actors["ngo_a"], id, String::new())
        .await
        .unwrap();
    log_in(&app.client, "reviewer").await;
    let (s, html) = get(&app, "/proposals").await;
    assert_eq!(s, Status::Ok);
    assert!(
        html.contains(&format!("data-proposal-id=\"{id}\"")),
        "{html}"
    );
    assert!(!html.contains("id=\"new-proposal-link\""), "{html}");
    // Every cell names its column, so the rows read as cards at 390 px.
    let table = &html[html.find("id=\"proposals-table\"").unwrap()..];
    assert!(table.starts_with("id=\"proposals-table\" class=\"stack\""));
    let row = &table[table.find("<tbody>").unwrap()..table.find("</tbody>").unwrap()];
    assert_eq!(
        row.matches("<td").count(),
        row.matches("data-label=").count()
    );
    let (_, html) = get(&app, &format!("/proposals/{id}")).await;
    for absent in [
        "id=\"proposal-moves\"",
        "id=\"proposal-form\"",
        "id=\"present-form\"",
        "acknowledge",
    ] {
        assert!(!html.contains(absent), "{absent}: {html}");
    }
    let (_, html) = get(&app, &format!("/programmes/{prog}")).await;
    assert!(!html.contains("id=\"programme-form\""), "{html}");
    assert!(html.contains("id=\"programme-history\""), "{html}");
    // The review queue has no interest section for those who do not keep proposals.
    let (_, html) = get(&app, "/review").await;
    assert!(!html.contains("id=\"interests\""), "{html}");
    let (s, _, _) = post(&app, "/review", "/review/interests/1/acknowledge", "x=1").await;
    assert!(s == Status::Forbidden || s == Status::NotFound, "{s}");

    // In English, the same pages speak English.
    let res = post_form(
        &app.client,
        "/proposals",
        "/lang",
        "lang=en&next=/proposals",
    )
    .await;
    assert_eq!(res.status(), Status::SeeOther);
    let (_, html) = get(&app, "/proposals").await;
    assert!(html.contains("<html lang=\"en\""));
    assert!(
        html.contains("Proposals offered to NGOs") && html.contains("Project đọc"),
        "{html}"
    );
    assert!(!html.contains("Tình trạng"), "{html}");
}
