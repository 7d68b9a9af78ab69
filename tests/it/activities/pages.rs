//! The activity pages through the real HTTP stack: a coordinator records an activity from the
//! form and attaches its minutes; a refused form comes back with the message beside its field
//! and nothing stored; the list filters by programme and kind and stacks into cards on a phone;
//! NGO staff find the activities their organisation took part in and no other.

use super::{meeting, seed_mobilisation};
use crate::api::App;
use crate::common::scalar_i64;
use crate::pages::{body, csrf_of, log_in, post_form};
use aidledger::actions::mobilisation::activities::create_activity;
use rocket::http::{ContentType, Status};

const BOUNDARY: &str = "activityBoundary3";

async fn get(app: &App, path: &str) -> (Status, String) {
    let res = app.client.get(path.to_string()).dispatch().await;
    (res.status(), body(res).await)
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[rocket::async_test]
async fn a_coordinator_records_an_activity_from_the_form_and_attaches_its_minutes() {
    let app = App::new().await;
    let (pr, pp) = seed_mobilisation(&app).await;
    log_in(&app.client, "coordinator").await;
    let (s, list) = get(&app, "/activities").await;
    assert_eq!(s, Status::Ok);
    assert!(list.contains("href=\"/activities/new\""), "{list}");
    assert!(list.contains("href=\"/activities\""), "nav link");
    let (s, form) = get(&app, "/activities/new").await;
    assert_eq!(s, Status::Ok);
    assert!(form.contains(&format!("name=\"org_{}\"", app.org_a)));
    assert!(form.contains(&format!("name=\"proposal_{}\"", pp[0])));

    let fields = format!(
        "programme_id={}&kind=conference&title={}&held_on=20%2F11%2F2024&place={}&outcome={}&org_{}=1&org_{}=1&proposal_{}=1",
        pr[0],
        enc("Hội nghị xúc tiến 2024"),
        enc("Hà Nội"),
        enc("Ba tổ chức quan tâm.\r\nGửi hồ sơ tháng 12."),
        app.org_a,
        app.owner,
        pp[0],
    );
    let res = post_form(&app.client, "/activities/new", "/activities/new", &fields).await;
    assert_eq!(res.status(), Status::SeeOther, "{}", body(res).await);
    let to = res.headers().get_one("Location").unwrap().to_string();
    let id: i64 = to.strip_prefix("/activities/").unwrap().parse().unwrap();

    let (s, page) = get(&app, &to).await;
    assert_eq!(s, Status::Ok);
    assert!(page.contains("Hội nghị xúc tiến 2024"), "{page}");
    assert!(
        page.contains("Hội nghị, hội thảo"),
        "the kind in Vietnamese"
    );
    assert!(page.contains("20/11/2024"));
    assert!(page.contains("Hope Bridges"), "the NGO that took part");
    assert!(page.contains("Ba tổ chức quan tâm.\nGửi hồ sơ tháng 12."));
    assert!(page.contains("id=\"evidence-form-activity\""));
    assert_eq!(
        scalar_i64(&app.db, "SELECT COUNT(*) FROM proposal_presentation").await,
        1
    );

    // The minutes, through the upload form on the activity's page.
    let mut upload = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bien-ban.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n",
        csrf_of(&page)
    )
    .into_bytes();
    upload.extend_from_slice(
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
    );
    upload.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let res = app
        .client
        .post(format!("/evidence/activity/{id}/attach"))
        .header(ContentType::new("multipart", "form-data").with_params(("boundary", BOUNDARY)))
        .body(upload)
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(
        res.headers().get_one("Location"),
        Some(format!("/activities/{id}").as_str())
    );
    let (_, page) = get(&app, &to).await;
    assert!(page.contains("bien-ban.pdf"), "{page}");
    assert!(page.contains("data-document-id="));

    // Edit: the kind changes, NGO A no longer listed.
    let fields = format!(
        "programme_id={}&kind=field_visit&title=Visit&held_on=2024-11-21&place=Commune&outcome=",
        pr[0]
    );
    let res = post_form(&app.client, &to, &to, &fields).await;
    assert_eq!(res.status(), Status::SeeOther, "{}", body(res).await);
    let (_, page) = get(&app, &to).await;
    assert!(page.contains("Khảo sát thực địa"));
    assert_eq!(
        scalar_i64(&app.db, "SELECT COUNT(*) FROM proposal_presentation").await,
        0
    );
}

#[rocket::async_test]
async fn a_refused_form_comes_back_with_the_message_beside_its_field_and_nothing_stored() {
    let app = App::new().await;
    let (pr, _) = seed_mobilisation(&app).await;
    log_in(&app.client, "coordinator").await;
    let fields = format!(
        "programme_id={}&kind=meeting&title=Meeting&held_on=15%2F03%2F2027&place=Office&org_{}=1",
        pr[0], app.org_a
    );
    let res = post_form(&app.client, "/activities/new", "/activities/new", &fields).await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
    let html = body(res).await;
    assert!(html.contains("id=\"f-held_on-error\""), "{html}");
    assert!(
        html.contains("01/01/2021") && html.contains("31/12/2025"),
        "{html}"
    );
    assert!(
        html.contains("href=\"#f-held_on\">Ngày tổ chức"),
        "the summary names the field"
    );
    assert!(html.contains("value=\"Meeting\""), "the input is kept");
    assert!(
        html.contains(&format!("name=\"org_{}\" value=\"1\" checked", app.org_a)),
        "the checkbox stays checked"
    );
    let res = post_form(
        &app.client,
        "/activities/new",
        "/activities/new",
        "kind=meeting&title=&held_on=31%2F02%2F2024&place=x",
    )
    .await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
    let html = body(res).await;
    assert!(html.contains("id=\"f-title-error\"") && html.contains("id=\"f-held_on-error\""));
    assert_eq!(
        scalar_i64(&app.db, "SELECT COUNT(*) FROM promotion_activity").await,
        0
    );

    let res = post_form(&app.client, "/activities", "/logout", "x=1").await;
    assert_eq!(res.status(), Status::SeeOther);
    log_in(&app.client, "reviewer").await;
    let (s, _) = get(&app, "/activities/new").await;
    assert_eq!(s, Status::Forbidden);
}

#[rocket::async_test]
async fn the_list_filters_by_programme_and_kind_and_stacks_on_a_phone_in_either_language() {
    let app = App::new().await;
    let (pr, pp) = seed_mobilisation(&app).await;
    let coord = &app.actors["coordinator"];
    let mut a = meeting(Some(pr[0]), &[app.org_a], &[pp[0]]);
    a.title = "Meeting in 2024".into();
    create_activity(&app.db.ctx, coord, a).await.unwrap();
    let mut b = meeting(Some(pr[1]), &[], &[]);
    b.kind = aidledger::domain::mobilisation::ActivityKind::DelegationOut;
    b.held_on = crate::common::date("2026-04-02");
    b.title = "Delegation to Seoul".into();
    create_activity(&app.db.ctx, coord, b).await.unwrap();

    log_in(&app.client, "reviewer").await;
    let (_, all) = get(&app, "/activities").await;
    assert!(all.contains("Meeting in 2024") && all.contains("Delegation to Seoul"));
    assert!(all.contains("class=\"stack\"") && all.contains("data-label=\"Ngày tổ chức\""));
    let (_, one) = get(&app, &format!("/activities?programme={}", pr[1])).await;
    assert!(!one.contains("Meeting in 2024") && one.contains("Delegation to Seoul"));
    let (_, kind) = get(&app, "/activities?kind=meeting").await;
    assert!(kind.contains("Meeting in 2024") && !kind.contains("Delegation to Seoul"));
    let (s, junk) = get(&app, "/activities?kind=party&programme=x").await;
    assert_eq!(s, Status::Ok, "a filter not understood is no filter");
    assert!(junk.contains("Delegation to Seoul"));

    let res = post_form(&app.client, "/activities", "/lang", "lang=en").await;
    assert_eq!(res.status(), Status::SeeOther);
    let (_, en) = get(&app, "/activities").await;
    assert!(en.contains("<html lang=\"en\">") && en.contains("Promotion activities"));
    assert!(en.contains("Outgoing delegation") && en.contains("data-label=\"Date held\""));
}

#[rocket::async_test]
async fn ngo_staff_find_the_activities_they_took_part_in_and_no_other() {
    let app = App::new().await;
    let (pr, pp) = seed_mobilisation(&app).await;
    let coord = &app.actors["coordinator"];
    let mut both = meeting(Some(pr[0]), &[app.org_a, app.org_b], &[pp[0], pp[1]]);
    both.title = "Joint meeting".into();
    let both = create_activity(&app.db.ctx, coord, both).await.unwrap();
    let mut only_a = meeting(None, &[app.org_a], &[]);
    only_a.title = "Meeting with A alone".into();
    let only_a = create_activity(&app.db.ctx, coord, only_a).await.unwrap();

    log_in(&app.client, "ngo_b").await;
    let (s, list) = get(&app, "/activities").await;
    assert_eq!(s, Status::Ok);
    assert!(
        list.contains("href=\"/activities\""),
        "in the portal's navigation"
    );
    assert!(list.contains("Joint meeting") && !list.contains("Meeting with A alone"));
    assert!(!list.contains("/activities/new"));
    let (s, page) = get(&app, &format!("/activities/{both}")).await;
    assert_eq!(s, Status::Ok);
    assert!(!page.contains("Hope Bridges"), "not the other NGO's name");
    assert!(
        page.contains("Đề xuất 0") && !page.contains("Đề xuất 1"),
        "published only"
    );
    assert!(!page.contains("id=\"activity-form\"") && !page.contains("evidence-form-activity"));
    let (s, _) = get(&app, &format!("/activities/{only_a}")).await;
    assert_eq!(s, Status::NotFound);
    let (s, _) = get(&app, "/activities/new").await;
    assert_eq!(s, Status::Forbidden);
}
