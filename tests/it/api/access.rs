//! Every role against every route: for each operation of the API the roles that must be
//! refused are tried first (403, or 404 where the object belongs to another organisation,
//! and nothing changes), then one role that may do it must succeed. Anonymous callers get
//! 401 everywhere but the public routes. A last check makes sure no documented operation was
//! left out of the table.

use super::App;
use rocket::http::Status;
use serde_json::{Value, json};
use std::collections::BTreeSet;

const STAFF: &[&str] = &["admin", "coordinator", "reviewer"];
const EVERYONE: &[&str] = &["admin", "coordinator", "reviewer", "ngo_a", "ngo_b"];

struct Case {
    method: &'static str,
    /// The documented path, e.g. `/aid-items/{id}`.
    template: &'static str,
    path: String,
    body: Option<Value>,
    allowed: Vec<&'static str>,
    /// The role that performs the successful call (the first allowed one if None).
    actor: Option<&'static str>,
    public: bool,
    /// The body is a file (an import's CSV) rather than JSON.
    file: bool,
}

/// A header-only disbursements template: a file every importing role may upload and apply.
const EMPTY_CSV: &str = "Reference,Amount,Currency,Value date\n";

/// Sends the case's request as `who` ("" for nobody).
async fn call(app: &App, c: &Case, who: &str) -> (Status, Value) {
    if !c.file {
        return app
            .send(c.method, &c.path, who, c.body.as_ref(), None)
            .await;
    }
    let mut req = app
        .client
        .post(format!("/api/v1{}", c.path))
        .body(EMPTY_CSV);
    if !who.is_empty() {
        req = req.header(app.bearer(who));
    }
    let res = req.dispatch().await;
    let status = res.status();
    let text = res.into_string().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn case(
    method: &'static str,
    template: &'static str,
    path: String,
    body: Option<Value>,
    allowed: &[&'static str],
) -> Case {
    Case {
        method,
        template,
        path,
        body,
        allowed: allowed.to_vec(),
        actor: None,
        public: false,
        file: false,
    }
}

fn staff_and(extra: &'static str) -> Vec<&'static str> {
    let mut v = STAFF.to_vec();
    v.push(extra);
    v
}

#[rocket::async_test]
#[allow(clippy::too_many_lines)]
async fn every_role_against_every_route() {
    let app = App::new().await;
    app.rates().await;
    let (a, b) = (app.item_a, app.item_b);
    let submitted = app
        .disburse(a, "coordinator", "10.00", "EUR", "2025-03-10")
        .await;
    let to_reject = app
        .disburse(a, "coordinator", "11.00", "EUR", "2025-03-11")
        .await;
    let verified = app
        .disburse(a, "coordinator", "12.00", "EUR", "2025-03-12")
        .await;
    let (s, _) = app
        .send(
            "POST",
            &format!("/disbursements/{verified}/verify"),
            "reviewer",
            None,
            None,
        )
        .await;
    assert_eq!(s, Status::Ok);
    let draft1 = app.disburse(a, "ngo_a", "13.00", "EUR", "2025-03-13").await;
    let draft2 = app.disburse(a, "ngo_a", "14.00", "EUR", "2025-03-14").await;
    let (s, ms) = app
        .post(&format!("/aid-items/{a}/milestones"), "coordinator", &json!({"title_vi": "Khởi công", "title_en": "Ground broken", "planned_date": "2025-05-01"}))
        .await;
    assert_eq!(s, Status::Created, "{ms}");
    let ms = ms["id"].as_i64().unwrap();
    let mut reports = Vec::new();
    for _ in 0..2 {
        let (s, r) = app
            .post(
                &format!("/milestones/{ms}/reports"),
                "ngo_a",
                &json!({"status": "in_progress", "evidence": "photos of the site"}),
            )
            .await;
        assert_eq!(s, Status::Created, "{r}");
        reports.push(r["id"].as_i64().unwrap());
    }
    let (s, tok) = app
        .post("/tokens", "coordinator", &json!({"name": "to revoke"}))
        .await;
    assert_eq!(s, Status::Created);
    let tok = tok["id"].as_i64().unwrap();
    let ngo_a_user = app.actors["ngo_a"].user_id.unwrap();
    let (s, issued) = app
        .post(
            "/reports",
            "reviewer",
            &json!({"period": "2024-Q4", "lang": "vi", "signer_name": "A", "recipients": ["VT"], "allow_empty_sections": true}),
        )
        .await;
    assert_eq!(s, Status::Created, "{issued}");
    let pdf = format!("/reports/{}.pdf", issued["id"]);

    let org_a = app.org_a;
    let new_org = json!({"kind": "foreign_ngo", "name_vi": "Tổ chức Mới", "name_en": "New Org", "nationality": "JP", "cert_type": "operation", "cert_number": "9/GĐK"});
    let new_item = json!({
        "code": "NEW-1", "title_vi": "Dự án mới", "title_en": "New project", "modality": "programme", "form": "cash",
        "donor_id": org_a, "aid_owner_id": app.owner, "managing_agency_id": app.agency, "legal_basis": "80/2020/NĐ-CP",
        "planned_start": "2025-01-01", "planned_end": "2026-01-01", "status": "pipeline",
        "sectors": [{"code": "EDU.PRIMARY", "share_bp": 10000}], "localities": [{"code": "N1", "share_bp": 10000}]
    });
    let mut cases = vec![
        Case {
            public: true,
            ..case(
                "GET",
                "/openapi.json",
                "/openapi.json".into(),
                None,
                EVERYONE,
            )
        },
        Case {
            public: true,
            ..case(
                "POST",
                "/auth/login",
                "/auth/login".into(),
                Some(json!({"username": "reviewer", "password": super::PASSWORD})),
                EVERYONE,
            )
        },
        Case {
            public: true,
            ..case(
                "POST",
                "/auth/logout",
                "/auth/logout".into(),
                None,
                EVERYONE,
            )
        },
        Case {
            public: true,
            ..case(
                "POST",
                "/auth/token",
                "/auth/token".into(),
                Some(json!({"username": "reviewer", "password": super::PASSWORD})),
                EVERYONE,
            )
        },
        case("GET", "/auth/me", "/auth/me".into(), None, EVERYONE),
        case("GET", "/tokens", "/tokens".into(), None, EVERYONE),
        case(
            "POST",
            "/tokens",
            "/tokens".into(),
            Some(json!({"name": "laptop"})),
            EVERYONE,
        ),
        Case {
            actor: Some("coordinator"),
            ..case(
                "DELETE",
                "/tokens/{id}",
                format!("/tokens/{tok}"),
                None,
                &["admin", "coordinator"],
            )
        },
        case("GET", "/users", "/users".into(), None, &["admin"]),
        case(
            "POST",
            "/users",
            "/users".into(),
            Some(
                json!({"username": "newbie", "display_name": "New", "role": "coordinator", "password": super::PASSWORD}),
            ),
            &["admin"],
        ),
        case(
            "GET",
            "/users/{id}",
            format!("/users/{ngo_a_user}"),
            None,
            &["admin"],
        ),
        case(
            "PATCH",
            "/users/{id}",
            format!("/users/{ngo_a_user}"),
            Some(json!({"lang": "en"})),
            &["admin"],
        ),
        case(
            "GET",
            "/organisations",
            "/organisations".into(),
            None,
            EVERYONE,
        ),
        case(
            "POST",
            "/organisations",
            "/organisations".into(),
            Some(new_org),
            &["coordinator"],
        ),
        case(
            "GET",
            "/organisations/{id}",
            format!("/organisations/{org_a}"),
            None,
            &staff_and("ngo_a"),
        ),
        case(
            "PATCH",
            "/organisations/{id}",
            format!("/organisations/{org_a}"),
            Some(json!({"acronym": "HB"})),
            &["coordinator"],
        ),
        case("GET", "/aid-items", "/aid-items".into(), None, EVERYONE),
        case(
            "POST",
            "/aid-items",
            "/aid-items".into(),
            Some(new_item),
            &["coordinator"],
        ),
        case(
            "GET",
            "/aid-items/{id}",
            format!("/aid-items/{a}"),
            None,
            &staff_and("ngo_a"),
        ),
        case(
            "PATCH",
            "/aid-items/{id}",
            format!("/aid-items/{a}"),
            Some(json!({"beneficiaries": "1,200 pupils"})),
            &["coordinator"],
        ),
        case(
            "GET",
            "/aid-items/{id}/commitments",
            format!("/aid-items/{a}/commitments"),
            None,
            &staff_and("ngo_a"),
        ),
        case(
            "POST",
            "/aid-items/{id}/commitments",
            format!("/aid-items/{a}/commitments"),
            Some(json!({"amount": "100.00", "currency": "EUR", "date": "2025-03-01"})),
            &["coordinator"],
        ),
        case(
            "GET",
            "/aid-items/{id}/disbursements",
            format!("/aid-items/{a}/disbursements"),
            None,
            &staff_and("ngo_a"),
        ),
        Case {
            actor: Some("coordinator"),
            ..case(
                "POST",
                "/aid-items/{id}/disbursements",
                format!("/aid-items/{a}/disbursements"),
                Some(json!({"amount": "1.00", "currency": "EUR", "value_date": "2025-03-01"})),
                &["coordinator", "ngo_a"],
            )
        },
        case(
            "GET",
            "/disbursements/{id}",
            format!("/disbursements/{submitted}"),
            None,
            &staff_and("ngo_a"),
        ),
        case(
            "POST",
            "/disbursements/{id}/verify",
            format!("/disbursements/{submitted}/verify"),
            None,
            &["reviewer"],
        ),
        case(
            "POST",
            "/disbursements/{id}/reject",
            format!("/disbursements/{to_reject}/reject"),
            Some(json!({"reason": "no bank receipt"})),
            &["reviewer"],
        ),
        case(
            "POST",
            "/disbursements/{id}/reverse",
            format!("/disbursements/{verified}/reverse"),
            Some(json!({"value_date": "2025-04-01", "reason": "paid twice"})),
            &["coordinator"],
        ),
        case(
            "POST",
            "/disbursements/{id}/accept",
            format!("/disbursements/{draft1}/accept"),
            None,
            &["coordinator"],
        ),
        case(
            "POST",
            "/disbursements/{id}/return",
            format!("/disbursements/{draft2}/return"),
            Some(json!({"reason": "attach the receipt"})),
            &["coordinator"],
        ),
        case(
            "GET",
            "/aid-items/{id}/milestones",
            format!("/aid-items/{a}/milestones"),
            None,
            &staff_and("ngo_a"),
        ),
        case(
            "POST",
            "/aid-items/{id}/milestones",
            format!("/aid-items/{a}/milestones"),
            Some(
                json!({"title_vi": "Bàn giao", "title_en": "Handover", "planned_date": "2025-09-01"}),
            ),
            &["coordinator"],
        ),
        case(
            "PATCH",
            "/milestones/{id}",
            format!("/milestones/{ms}"),
            Some(json!({"planned_date": "2025-05-15"})),
            &["coordinator"],
        ),
        case(
            "GET",
            "/milestones/{id}/reports",
            format!("/milestones/{ms}/reports"),
            None,
            &staff_and("ngo_a"),
        ),
        case(
            "POST",
            "/milestones/{id}/reports",
            format!("/milestones/{ms}/reports"),
            Some(json!({"status": "in_progress", "evidence": "site visit notes"})),
            &["ngo_a"],
        ),
        case(
            "POST",
            "/milestone-reports/{id}/accept",
            format!("/milestone-reports/{}/accept", reports[0]),
            None,
            &["coordinator"],
        ),
        case(
            "POST",
            "/milestone-reports/{id}/return",
            format!("/milestone-reports/{}/return", reports[1]),
            Some(json!({"note": "the photos are of another site"})),
            &["coordinator"],
        ),
        case(
            "GET",
            "/exchange-rates",
            "/exchange-rates".into(),
            None,
            EVERYONE,
        ),
        case(
            "PUT",
            "/exchange-rates",
            "/exchange-rates".into(),
            Some(
                json!({"currency": "KRW", "date": "2025-03-01", "to_vnd": "17.5", "to_usd": "0.00068", "source": "SBV"}),
            ),
            &["reviewer"],
        ),
        case(
            "GET",
            "/rollups",
            "/rollups?period=2025&by=donor".into(),
            None,
            EVERYONE,
        ),
        case("GET", "/periods", "/periods".into(), None, STAFF),
        case(
            "POST",
            "/periods/{period}/lock",
            "/periods/2024-Q1/lock".into(),
            None,
            &["reviewer"],
        ),
        case(
            "POST",
            "/periods/{period}/unlock",
            "/periods/2024-Q1/unlock".into(),
            Some(json!({"reason": "locked by mistake in a test"})),
            &["reviewer"],
        ),
        case("GET", "/reports", "/reports".into(), None, STAFF),
        case(
            "POST",
            "/reports",
            "/reports".into(),
            Some(
                json!({"period": "2024-Q3", "lang": "en", "signer_name": "A", "recipients": ["VT"], "allow_empty_sections": true}),
            ),
            &["reviewer"],
        ),
        case("GET", "/reports/{file}", pdf, None, STAFF),
        case("GET", "/audit", "/audit".into(), None, STAFF),
        // Last: it revokes the actor's token.
        Case {
            actor: Some("coordinator2"),
            ..case(
                "POST",
                "/auth/password",
                "/auth/password".into(),
                Some(
                    json!({"current_password": super::PASSWORD, "new_password": "another long passphrase"}),
                ),
                EVERYONE,
            )
        },
    ];
    // Promotion activities: coordinators write; NGO staff read those they took part in.
    let (s, activity) = app
        .post(
            "/activities",
            "coordinator",
            &json!({"kind": "meeting", "title": "Working meeting", "held_on": "2025-03-05", "place": "Office", "organisation_ids": [org_a]}),
        )
        .await;
    assert_eq!(s, Status::Created, "{activity}");
    let activity = activity["id"].as_i64().unwrap();
    let activity_body = json!({"kind": "conference", "title": "Conference", "held_on": "2025-03-06", "place": "Hall"});
    let password = cases.pop().unwrap();
    cases.extend([
        case("GET", "/activities", "/activities".into(), None, EVERYONE),
        case(
            "GET",
            "/activities/{id}",
            format!("/activities/{activity}"),
            None,
            &["admin", "coordinator", "reviewer", "ngo_a"],
        ),
        case(
            "POST",
            "/activities",
            "/activities".into(),
            Some(activity_body.clone()),
            &["coordinator"],
        ),
        case(
            "PUT",
            "/activities/{id}",
            format!("/activities/{activity}"),
            Some(activity_body),
            &["coordinator"],
        ),
    ]);
    // Stage programmes and proposals: coordinators write; everyone signed in reads the
    // programmes and the published proposals; progress is for province staff; NGO staff
    // register interest, coordinators acknowledge it.
    let programme_body = |starts: &str, ends: &str| {
        json!({"name_vi": "Chương trình giai đoạn", "name_en": "Stage programme", "decision_number": "1/QĐ-UBND",
               "decision_date": "2020-12-20", "decision_authority": "Chủ tịch UBND tỉnh", "starts_on": starts,
               "ends_on": ends, "target": "1000000.00", "target_currency": "USD"})
    };
    let (s, prog) = app
        .post(
            "/programmes",
            "coordinator",
            &programme_body("2021-01-01", "2025-12-31"),
        )
        .await;
    assert_eq!(s, Status::Created, "{prog}");
    let prog = prog["id"].as_i64().unwrap();
    let proposal_body = json!({"programme_id": prog, "title_vi": "Dự án", "title_en": "Project", "sector_code": "HEALTH.PHC",
                               "unit_code": "N1", "estimate": "1000.00", "currency": "USD", "aid_owner_id": app.owner, "published": true});
    let mut proposal_ids = Vec::new();
    for _ in 0..4 {
        let (s, p) = app.post("/proposals", "coordinator", &proposal_body).await;
        assert_eq!(s, Status::Created, "{p}");
        proposal_ids.push(p["id"].as_i64().unwrap());
    }
    let (s, interest) = app
        .post(
            &format!("/proposals/{}/interest", proposal_ids[3]),
            "ngo_b",
            &json!({}),
        )
        .await;
    assert_eq!(s, Status::Created, "{interest}");
    let interest = interest["id"].as_i64().unwrap();
    cases.extend([
        case("GET", "/programmes", "/programmes".into(), None, EVERYONE),
        case(
            "GET",
            "/programmes/{id}",
            format!("/programmes/{prog}"),
            None,
            EVERYONE,
        ),
        case(
            "POST",
            "/programmes",
            "/programmes".into(),
            Some(programme_body("2031-01-01", "2035-12-31")),
            &["coordinator"],
        ),
        case(
            "PUT",
            "/programmes/{id}",
            format!("/programmes/{prog}"),
            Some(programme_body("2021-01-01", "2025-12-31")),
            &["coordinator"],
        ),
        case(
            "GET",
            "/programmes/{id}/progress",
            format!("/programmes/{prog}/progress"),
            None,
            STAFF,
        ),
        case("GET", "/proposals", "/proposals".into(), None, EVERYONE),
        case(
            "GET",
            "/proposals/{id}",
            format!("/proposals/{}", proposal_ids[0]),
            None,
            EVERYONE,
        ),
        case(
            "POST",
            "/proposals",
            "/proposals".into(),
            Some(proposal_body.clone()),
            &["coordinator"],
        ),
        case(
            "PUT",
            "/proposals/{id}",
            format!("/proposals/{}", proposal_ids[0]),
            Some(proposal_body),
            &["coordinator"],
        ),
        case(
            "POST",
            "/proposals/{id}/status",
            format!("/proposals/{}/status", proposal_ids[1]),
            Some(json!({"status": "withdrawn"})),
            &["coordinator"],
        ),
        case(
            "POST",
            "/proposals/{id}/presentations",
            format!("/proposals/{}/presentations", proposal_ids[2]),
            Some(json!({"organisation_id": org_a, "presented_on": "2025-03-04"})),
            &["coordinator"],
        ),
        case(
            "POST",
            "/proposals/{id}/interest",
            format!("/proposals/{}/interest", proposal_ids[2]),
            Some(json!({"note": "interested"})),
            &["ngo_a", "ngo_b"],
        ),
        case(
            "GET",
            "/interests",
            "/interests".into(),
            None,
            &["coordinator"],
        ),
        case(
            "POST",
            "/interests/{id}/acknowledge",
            format!("/interests/{interest}/acknowledge"),
            None,
            &["coordinator"],
        ),
    ]);
    cases.push(password);
    let upload = Case {
        file: true,
        ..case(
            "POST",
            "/imports",
            "/imports?kind=csv&name=disbursements.csv".into(),
            None,
            &["coordinator", "reviewer", "ngo_a", "ngo_b"],
        )
    };
    let (s, imported) = call(&app, &upload, "coordinator").await;
    assert_eq!(s, Status::Created, "{imported}");
    let import = imported["id"].as_i64().unwrap();
    cases.push(upload);
    cases.push(case("GET", "/imports", "/imports".into(), None, EVERYONE));
    cases.push(case(
        "GET",
        "/imports/{id}",
        format!("/imports/{import}"),
        None,
        STAFF,
    ));
    cases.push(Case {
        actor: Some("coordinator"),
        ..case(
            "POST",
            "/imports/{id}/apply",
            format!("/imports/{import}/apply"),
            None,
            &["coordinator"],
        )
    });
    // The password change revokes the actor's token: it stays last.
    let last = cases.remove(cases.len() - 5);
    cases.push(last);
    let mut covered = BTreeSet::new();
    for c in &mut cases {
        covered.insert((c.method.to_string(), c.template.to_string()));
        if !c.public {
            let (s, body) = call(&app, c, "").await;
            assert_eq!(
                s,
                Status::Unauthorized,
                "anonymous {} {}: {body}",
                c.method,
                c.path
            );
            assert_eq!(body["error"]["code"], "authentication_required", "{body}");
        }
        for who in EVERYONE.iter().filter(|w| !c.allowed.contains(w)) {
            let (s, body) = call(&app, c, who).await;
            assert!(
                s == Status::Forbidden || s == Status::NotFound,
                "{who} {} {}: expected a refusal, got {s} {body}",
                c.method,
                c.path
            );
            assert!(body["error"]["message"].is_string(), "{body}");
        }
        let who = c.actor.unwrap_or(c.allowed[0]);
        let (s, body) = call(&app, c, who).await;
        assert!(
            s.class().is_success(),
            "{who} {} {}: expected success, got {s} {body}",
            c.method,
            c.path
        );
    }
    // Objects of another organisation are not found, whatever the route.
    for path in [
        format!("/aid-items/{b}"),
        format!("/aid-items/{b}/commitments"),
        format!("/aid-items/{b}/disbursements"),
        format!("/aid-items/{b}/milestones"),
        format!("/organisations/{}", app.org_b),
    ] {
        let (s, _) = app.get(&path, "ngo_a").await;
        assert_eq!(s, Status::NotFound, "{path}");
    }
    let documented: BTreeSet<(String, String)> = aidledger::web::api::openapi::operations_list()
        .into_iter()
        .collect();
    assert_eq!(
        documented.difference(&covered).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "operations missing from the access table"
    );
}
