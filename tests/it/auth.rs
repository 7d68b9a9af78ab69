//! Identity and accounts at the action level: logins and their throttle, sessions and their
//! expiry, API tokens, and the user administration that ends sessions. Time is passed in
//! (the `_at` forms), never slept.

use crate::common::{TestDb, fresh_db, system};
use aidledger::actions::auth::{
    SESSION_ABSOLUTE, SESSION_IDLE, actor_from_session, actor_from_session_at, actor_from_token,
    login, login_at, logout,
};
use aidledger::actions::tokens::{create_token, list_tokens, revoke_token, token_for_credentials};
use aidledger::actions::users::{
    NewUser, UserPatch, create_user, get_user, list_users, set_password, update_user,
};
use aidledger::actions::{Actor, Ctx};
use aidledger::db::{audit, sessions, tokens};
use aidledger::domain::item::Role;
use aidledger::error::Error;
use chrono::Duration;

const PASSWORD: &str = "correct horse battery";
const ADDRESS: &str = "203.0.113.7";

async fn user(db: &TestDb, username: &str, role: Role, org: Option<i64>) -> Actor {
    let u = create_user(
        &db.ctx,
        &system(),
        NewUser {
            username: username.into(),
            display_name: format!("User {username}"),
            role,
            organisation_id: org,
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap();
    Actor::user(u.id, &u.username, u.role, u.organisation_id)
}

fn is_invalid_credentials(r: &Result<impl std::fmt::Debug, Error>) -> bool {
    matches!(r, Err(Error::Unauthorized { code: "invalid_credentials", message })
        if message == "the username or password is wrong")
}

fn is_throttled(r: &Result<impl std::fmt::Debug, Error>) -> bool {
    matches!(r, Err(Error::TooManyRequests(m)) if m.starts_with("too many failed logins; try again in "))
}

async fn deactivate(ctx: &Ctx, id: i64) {
    let patch = UserPatch {
        active: Some(false),
        ..UserPatch::default()
    };
    update_user(ctx, &system(), id, &patch).await.unwrap();
}

#[tokio::test]
async fn wrong_password_unknown_user_and_inactive_user_get_the_same_answer() {
    let db = fresh_db().await;
    let alice = user(&db, "alice", Role::Coordinator, None).await;
    let bob = user(&db, "bob", Role::Reviewer, None).await;
    deactivate(&db.ctx, bob.user_id.unwrap()).await;

    let ok = login(&db.ctx, "alice", PASSWORD, ADDRESS).await.unwrap();
    assert_eq!(ok.actor, alice);
    assert!(ok.expires_at > chrono::Utc::now() + SESSION_ABSOLUTE - Duration::minutes(1));

    let wrong = login(&db.ctx, "alice", "not the password", ADDRESS).await;
    let unknown = login(&db.ctx, "nobody", PASSWORD, ADDRESS).await;
    let inactive = login(&db.ctx, "bob", PASSWORD, ADDRESS).await;
    for r in [&wrong, &unknown, &inactive] {
        assert!(is_invalid_credentials(r), "{r:?}");
    }
    let wrong_token =
        token_for_credentials(&db.ctx, "alice", "nope nope nope", ADDRESS, "ci").await;
    assert!(is_invalid_credentials(&wrong_token), "{wrong_token:?}");
}

#[tokio::test]
async fn five_failures_throttle_a_name_whether_or_not_it_exists() {
    let db = fresh_db().await;
    user(&db, "alice", Role::Coordinator, None).await;
    let t0 = aidledger::db::now();
    for name in ["alice", "ghost"] {
        for i in 0..5 {
            let addr = format!("198.51.100.{i}");
            let r = login_at(&db.ctx, name, "wrong password!", &addr, t0).await;
            assert!(is_invalid_credentials(&r), "{name} attempt {i}: {r:?}");
        }
        // The sixth attempt is refused before the password is looked at, even a right one,
        // and from another address; the same for the name that has no account.
        let r = login_at(&db.ctx, name, PASSWORD, "192.0.2.99", t0).await;
        assert!(is_throttled(&r), "{name}: {r:?}");
        let Err(Error::TooManyRequests(m)) = r else {
            unreachable!()
        };
        assert_eq!(m, "too many failed logins; try again in 15 minutes");
    }
    // Another name is not affected.
    user(&db, "carol", Role::Reviewer, None).await;
    login_at(&db.ctx, "carol", PASSWORD, ADDRESS, t0)
        .await
        .unwrap();
    // Once the failures are older than the window, the right password works again.
    let later = t0 + Duration::minutes(16);
    login_at(&db.ctx, "alice", PASSWORD, ADDRESS, later)
        .await
        .unwrap();
    // Upper case is the same account and the same throttle bucket.
    login_at(&db.ctx, "  Alice ", PASSWORD, ADDRESS, later)
        .await
        .unwrap();
}

#[tokio::test]
async fn twenty_failures_from_one_address_throttle_the_address() {
    let db = fresh_db().await;
    user(&db, "alice", Role::Coordinator, None).await;
    let t0 = aidledger::db::now();
    for i in 0..20 {
        let r = login_at(
            &db.ctx,
            &format!("guess{i}"),
            "wrong password!",
            ADDRESS,
            t0,
        )
        .await;
        assert!(is_invalid_credentials(&r), "attempt {i}: {r:?}");
    }
    let r = login_at(&db.ctx, "alice", PASSWORD, ADDRESS, t0).await;
    assert!(is_throttled(&r), "{r:?}");
    login_at(&db.ctx, "alice", PASSWORD, "192.0.2.1", t0)
        .await
        .unwrap();
}

#[tokio::test]
async fn every_login_gets_a_new_session_and_logout_ends_only_that_one() {
    let db = fresh_db().await;
    let alice = user(&db, "alice", Role::Coordinator, None).await;
    let a = login(&db.ctx, "alice", PASSWORD, ADDRESS).await.unwrap();
    let b = login(&db.ctx, "alice", PASSWORD, ADDRESS).await.unwrap();
    assert_ne!(a.session, b.session);
    assert_eq!(a.session.len(), 43);
    assert_eq!(
        actor_from_session(&db.ctx, &a.session).await.unwrap(),
        Some(alice.clone())
    );

    logout(&db.ctx, &a.session).await.unwrap();
    assert_eq!(actor_from_session(&db.ctx, &a.session).await.unwrap(), None);
    assert_eq!(
        actor_from_session(&db.ctx, &b.session).await.unwrap(),
        Some(alice)
    );
    // Logging out twice, or with garbage, is not an error.
    logout(&db.ctx, &a.session).await.unwrap();
    logout(&db.ctx, "garbage").await.unwrap();
    assert_eq!(actor_from_session(&db.ctx, "garbage").await.unwrap(), None);
    let unknown = "A".repeat(43);
    assert_eq!(actor_from_session(&db.ctx, &unknown).await.unwrap(), None);
}

#[tokio::test]
async fn sessions_expire_when_idle_and_after_the_absolute_limit() {
    let db = fresh_db().await;
    user(&db, "alice", Role::Coordinator, None).await;
    let t0 = aidledger::db::now();
    let idle = login_at(&db.ctx, "alice", PASSWORD, ADDRESS, t0)
        .await
        .unwrap();
    let at = |d: Duration| t0 + d;
    let live = |s: &str, d: Duration| {
        let ctx = db.ctx.clone();
        let s = s.to_string();
        async move {
            actor_from_session_at(&ctx, &s, at(d))
                .await
                .unwrap()
                .is_some()
        }
    };
    // Idle: nothing for longer than SESSION_IDLE.
    assert!(!live(&idle.session, SESSION_IDLE + Duration::seconds(1)).await);

    // Busy: a request every 25 minutes keeps it alive until the absolute limit.
    let busy = login_at(&db.ctx, "alice", PASSWORD, ADDRESS, t0)
        .await
        .unwrap();
    let mut d = Duration::zero();
    while d + Duration::minutes(25) < SESSION_ABSOLUTE {
        d += Duration::minutes(25);
        assert!(live(&busy.session, d).await, "at +{d}");
    }
    assert!(!live(&busy.session, SESSION_ABSOLUTE).await);
    assert_eq!(busy.expires_at, t0 + SESSION_ABSOLUTE);
}

#[tokio::test]
async fn last_seen_is_written_at_most_once_a_minute() {
    let db = fresh_db().await;
    user(&db, "alice", Role::Coordinator, None).await;
    let t0 = aidledger::db::now();
    let s = login_at(&db.ctx, "alice", PASSWORD, ADDRESS, t0)
        .await
        .unwrap();
    let hash = aidledger::auth::secret_hash(&s.session);
    let seen = || async {
        let mut tx = db.store().read().await.unwrap();
        sessions::find_session(&mut tx, &hash)
            .await
            .unwrap()
            .unwrap()
            .last_seen_at
    };
    actor_from_session_at(&db.ctx, &s.session, t0 + Duration::seconds(30))
        .await
        .unwrap();
    assert_eq!(seen().await, t0);
    actor_from_session_at(&db.ctx, &s.session, t0 + Duration::seconds(90))
        .await
        .unwrap();
    assert_eq!(seen().await, t0 + Duration::seconds(90));
}

#[tokio::test]
async fn tokens_are_created_listed_used_and_revoked() {
    let db = fresh_db().await;
    let admin = user(&db, "root", Role::Admin, None).await;
    let alice = user(&db, "alice", Role::Coordinator, None).await;
    let bob = user(&db, "bob", Role::Reviewer, None).await;

    let t = create_token(&db.ctx, &alice, " import script ")
        .await
        .unwrap();
    assert!(t.secret.starts_with("al_") && t.secret.len() == 46);
    assert_eq!(t.token.prefix, &t.secret[..10]);
    assert_eq!(t.token.name, "import script");
    assert_eq!(t.token.last_used_at, None);
    let b = token_for_credentials(&db.ctx, "bob", PASSWORD, ADDRESS, "ci")
        .await
        .unwrap();
    assert_eq!(b.token.user_id, bob.user_id.unwrap());
    for bad in ["", "   ", &"x".repeat(101)] {
        let r = create_token(&db.ctx, &alice, bad).await;
        assert!(matches!(r, Err(Error::Invalid { .. })), "{r:?}");
    }

    assert_eq!(
        actor_from_token(&db.ctx, &t.secret).await.unwrap(),
        Some(alice.clone())
    );
    assert_eq!(
        actor_from_token(&db.ctx, "al_nonsense").await.unwrap(),
        None
    );
    let mine = list_tokens(&db.ctx, &alice).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert!(mine[0].last_used_at.is_some());
    assert_eq!(list_tokens(&db.ctx, &admin).await.unwrap().len(), 2);

    // Someone else's token is not found; an administrator may revoke it.
    let r = revoke_token(&db.ctx, &bob, t.token.id).await;
    assert!(matches!(r, Err(Error::NotFound(_))), "{r:?}");
    let revoked = revoke_token(&db.ctx, &admin, t.token.id).await.unwrap();
    assert!(revoked.revoked_at.is_some());
    assert_eq!(actor_from_token(&db.ctx, &t.secret).await.unwrap(), None);
    let again = revoke_token(&db.ctx, &alice, t.token.id).await;
    assert!(
        matches!(
            again,
            Err(Error::Conflict {
                code: "already_revoked",
                ..
            })
        ),
        "{again:?}"
    );
    revoke_token(&db.ctx, &bob, b.token.id).await.unwrap();

    let mut tx = db.store().read().await.unwrap();
    let trail = audit::list_entries(&mut tx, Some("api_token"), None, 10)
        .await
        .unwrap();
    let actions: Vec<_> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "token.revoke",
            "token.revoke",
            "token.create",
            "token.create"
        ]
    );
    assert!(
        trail
            .iter()
            .all(|e| !e.after.as_deref().unwrap_or("").contains(&t.secret))
    );
    let stored = tokens::find_token(&mut tx, &aidledger::auth::secret_hash(&t.secret)).await;
    assert!(stored.unwrap().is_some());
}

#[tokio::test]
async fn a_deactivated_user_loses_sessions_and_tokens() {
    let db = fresh_db().await;
    let alice = user(&db, "alice", Role::Coordinator, None).await;
    let s = login(&db.ctx, "alice", PASSWORD, ADDRESS).await.unwrap();
    let t = create_token(&db.ctx, &alice, "script").await.unwrap();
    deactivate(&db.ctx, alice.user_id.unwrap()).await;
    assert_eq!(actor_from_session(&db.ctx, &s.session).await.unwrap(), None);
    assert_eq!(actor_from_token(&db.ctx, &t.secret).await.unwrap(), None);

    // Reactivated, neither comes back: the token was revoked, the session ended.
    let patch = UserPatch {
        active: Some(true),
        ..UserPatch::default()
    };
    update_user(&db.ctx, &system(), alice.user_id.unwrap(), &patch)
        .await
        .unwrap();
    assert_eq!(actor_from_session(&db.ctx, &s.session).await.unwrap(), None);
    assert_eq!(actor_from_token(&db.ctx, &t.secret).await.unwrap(), None);
}

#[tokio::test]
async fn password_and_role_changes_end_sessions() {
    let db = fresh_db().await;
    let alice = user(&db, "alice", Role::Coordinator, None).await;
    let s = login(&db.ctx, "alice", PASSWORD, ADDRESS).await.unwrap();
    set_password(&db.ctx, &system(), "alice", "another long password".into())
        .await
        .unwrap();
    assert_eq!(actor_from_session(&db.ctx, &s.session).await.unwrap(), None);
    assert!(is_invalid_credentials(
        &login(&db.ctx, "alice", PASSWORD, ADDRESS).await
    ));

    let s = login(&db.ctx, "alice", "another long password", ADDRESS)
        .await
        .unwrap();
    let t = create_token(&db.ctx, &alice, "script").await.unwrap();
    let patch = UserPatch {
        role: Some(Role::Reviewer),
        ..UserPatch::default()
    };
    update_user(&db.ctx, &system(), alice.user_id.unwrap(), &patch)
        .await
        .unwrap();
    assert_eq!(actor_from_session(&db.ctx, &s.session).await.unwrap(), None);
    // The token made under the old role is revoked with the sessions.
    assert_eq!(actor_from_token(&db.ctx, &t.secret).await.unwrap(), None);

    // A language change does not end sessions.
    let s = login(&db.ctx, "alice", "another long password", ADDRESS)
        .await
        .unwrap();
    let patch = UserPatch {
        lang: Some(aidledger::domain::Lang::En),
        ..UserPatch::default()
    };
    update_user(&db.ctx, &system(), alice.user_id.unwrap(), &patch)
        .await
        .unwrap();
    assert!(
        actor_from_session(&db.ctx, &s.session)
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn user_updates_are_validated_audited_and_cannot_lock_oneself_out() {
    let db = fresh_db().await;
    let (ngo, ..) = crate::common::seed_basics(&db).await;
    let admin = user(&db, "root", Role::Admin, None).await;
    let alice = user(&db, "alice", Role::Coordinator, None).await;
    let aid = alice.user_id.unwrap();

    let r = list_users(&db.ctx, &alice).await;
    assert!(matches!(r, Err(Error::Forbidden(_))), "{r:?}");
    assert_eq!(list_users(&db.ctx, &admin).await.unwrap().len(), 2);
    let r = get_user(&db.ctx, &admin, 9999).await;
    assert!(matches!(r, Err(Error::NotFound(_))), "{r:?}");

    // An NGO account needs an organisation, and province staff may not have one.
    let to_ngo = UserPatch {
        role: Some(Role::Ngo),
        ..UserPatch::default()
    };
    let r = update_user(&db.ctx, &admin, aid, &to_ngo).await;
    assert!(
        matches!(&r, Err(e) if e.field() == Some("organisation_id")),
        "{r:?}"
    );
    let patch: UserPatch = serde_json::from_str(&format!(
        r#"{{"role": "ngo", "organisation_id": {ngo}, "display_name": " Alice N "}}"#
    ))
    .unwrap();
    let after = update_user(&db.ctx, &admin, aid, &patch).await.unwrap();
    assert_eq!((after.role, after.organisation_id), (Role::Ngo, Some(ngo)));
    assert_eq!(after.display_name, "Alice N");
    let back: UserPatch =
        serde_json::from_str(r#"{"role": "coordinator", "organisation_id": null}"#).unwrap();
    assert_eq!(back.organisation_id, Some(None));
    let after = update_user(&db.ctx, &admin, aid, &back).await.unwrap();
    assert_eq!(
        (after.role, after.organisation_id),
        (Role::Coordinator, None)
    );
    assert!(serde_json::from_str::<UserPatch>(r#"{"password": "x"}"#).is_err());
    assert_eq!(
        serde_json::from_str::<UserPatch>("{}")
            .unwrap()
            .organisation_id,
        None
    );

    let mut tx = db.store().read().await.unwrap();
    let trail = audit::list_entries(&mut tx, Some("app_user"), Some(&aid.to_string()), 10)
        .await
        .unwrap();
    drop(tx);
    assert_eq!(trail[0].action, "user.update");
    assert_eq!(trail[0].actor, "root");
    assert!(
        trail[0]
            .before
            .as_deref()
            .unwrap()
            .contains(r#""role":"ngo""#)
    );
    assert!(
        trail[0]
            .after
            .as_deref()
            .unwrap()
            .contains(r#""role":"coordinator""#)
    );
    assert!(!trail[0].after.as_deref().unwrap().contains("argon2"));

    // An administrator cannot deactivate or demote themselves.
    let root = admin.user_id.unwrap();
    for patch in [
        UserPatch {
            active: Some(false),
            ..UserPatch::default()
        },
        UserPatch {
            role: Some(Role::Reviewer),
            ..UserPatch::default()
        },
    ] {
        let r = update_user(&db.ctx, &admin, root, &patch).await;
        assert!(
            matches!(
                r,
                Err(Error::Conflict {
                    code: "self_lockout",
                    ..
                })
            ),
            "{r:?}"
        );
    }
    let fine = UserPatch {
        display_name: Some("The Root".into()),
        ..UserPatch::default()
    };
    assert_eq!(
        update_user(&db.ctx, &admin, root, &fine)
            .await
            .unwrap()
            .display_name,
        "The Root"
    );
    let r = update_user(&db.ctx, &alice, root, &fine).await;
    assert!(matches!(r, Err(Error::Forbidden(_))), "{r:?}");
}

#[tokio::test]
async fn a_burst_of_concurrent_guesses_cannot_slip_past_the_throttle() {
    let db = fresh_db().await;
    user(&db, "alice", Role::Coordinator, None).await;
    let t0 = aidledger::db::now();
    let guesses: Vec<_> = (0..12)
        .map(|i| {
            let ctx = db.ctx.clone();
            tokio::spawn(async move {
                login_at(&ctx, "alice", &format!("guess number {i}"), ADDRESS, t0).await
            })
        })
        .collect();
    let (mut wrong, mut refused) = (0, 0);
    for g in guesses {
        let r = g.await.unwrap();
        if is_invalid_credentials(&r) {
            wrong += 1;
        } else if is_throttled(&r) {
            refused += 1;
        } else {
            panic!("unexpected answer {r:?}");
        }
    }
    // Only five passwords were ever checked.
    assert_eq!((wrong, refused), (5, 7));
}
