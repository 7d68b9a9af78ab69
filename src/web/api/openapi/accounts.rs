//! The schemas of identity and organisations: errors, logins, tokens, users, organisations.

use super::schema::*;
use rocket::serde::json::{Value, json};

#[allow(clippy::too_many_lines)]
pub(super) fn entries() -> Vec<(&'static str, Value)> {
    vec![
        (
            "Error",
            obj(
                vec![(
                    "error",
                    obj(
                        vec![("code", s()), ("message", s()), ("field", ns())],
                        &["code", "message", "field"],
                    ),
                )],
                &["error"],
            ),
        ),
        (
            "Me",
            obj(
                vec![
                    ("id", nint()),
                    ("username", s()),
                    ("role", ncodes(ROLES)),
                    ("organisation_id", nint()),
                ],
                &["id", "username", "role", "organisation_id"],
            ),
        ),
        (
            "LoggedIn",
            obj(
                vec![("user", r("Me")), ("expires_at", time())],
                &["user", "expires_at"],
            ),
        ),
        (
            "Credentials",
            body_obj(
                vec![("username", s()), ("password", s())],
                &["username", "password"],
            ),
        ),
        (
            "TokenRequest",
            body_obj(
                vec![("username", s()), ("password", s()), ("name", ns())],
                &["username", "password"],
            ),
        ),
        ("NewToken", body_obj(vec![("name", text(100))], &["name"])),
        (
            "PasswordChange",
            body_obj(
                vec![("current_password", s()), ("new_password", s())],
                &["current_password", "new_password"],
            ),
        ),
        (
            "ApiToken",
            obj(
                vec![
                    ("id", int()),
                    ("user_id", int()),
                    ("name", s()),
                    ("prefix", s()),
                    ("created_at", time()),
                    ("last_used_at", ntime()),
                    ("revoked_at", ntime()),
                ],
                &[
                    "id",
                    "user_id",
                    "name",
                    "prefix",
                    "created_at",
                    "last_used_at",
                    "revoked_at",
                ],
            ),
        ),
        (
            "IssuedToken",
            obj(
                vec![
                    ("token", s()),
                    ("id", int()),
                    ("user_id", int()),
                    ("name", s()),
                    ("prefix", s()),
                    ("created_at", time()),
                ],
                &["token", "id", "name", "prefix"],
            ),
        ),
        (
            "User",
            obj(
                vec![
                    ("id", int()),
                    ("username", s()),
                    ("display_name", s()),
                    ("role", codes(ROLES)),
                    ("organisation_id", nint()),
                    ("lang", codes(&["vi", "en"])),
                    ("active", boolean()),
                    ("created_at", time()),
                ],
                &[
                    "id",
                    "username",
                    "display_name",
                    "role",
                    "organisation_id",
                    "lang",
                    "active",
                    "created_at",
                ],
            ),
        ),
        (
            "NewUser",
            body_obj(
                vec![
                    ("username", s()),
                    ("display_name", s()),
                    ("role", codes(ROLES)),
                    ("organisation_id", nint()),
                    ("password", s()),
                ],
                &["username", "display_name", "role", "password"],
            ),
        ),
        (
            "UserPatch",
            body_obj(
                vec![
                    ("display_name", ns()),
                    ("role", ncodes(ROLES)),
                    ("organisation_id", nint()),
                    ("active", json!({"type": "boolean", "nullable": true})),
                    ("lang", ncodes(&["vi", "en"])),
                ],
                &[],
            ),
        ),
        (
            "Organisation",
            obj(
                vec![
                    ("id", int()),
                    ("kind", codes(ORG_KINDS)),
                    ("name_vi", s()),
                    ("name_en", s()),
                    ("acronym", ns()),
                    ("nationality", s()),
                    ("iati_ref", ns()),
                    ("cert_type", ncodes(CERT_TYPES)),
                    ("cert_number", ns()),
                    ("cert_valid_from", ndate()),
                    ("cert_valid_to", ndate()),
                    ("created_at", time()),
                ],
                &[
                    "id",
                    "kind",
                    "name_vi",
                    "name_en",
                    "nationality",
                    "created_at",
                ],
            ),
        ),
        (
            "NewOrganisation",
            body_obj(
                vec![
                    ("kind", codes(ORG_KINDS)),
                    ("name_vi", text(300)),
                    ("name_en", text(300)),
                    ("acronym", ntext(40)),
                    (
                        "nationality",
                        json!({"type": "string", "pattern": "^[A-Z]{2}$"}),
                    ),
                    ("iati_ref", ntext(100)),
                    ("cert_type", ncodes(CERT_TYPES)),
                    ("cert_number", ntext(100)),
                    ("cert_valid_from", ndate()),
                    ("cert_valid_to", ndate()),
                    ("sectors", array(s())),
                    ("provinces", array(s())),
                ],
                &["kind", "name_vi", "name_en", "nationality"],
            ),
        ),
        (
            "OrganisationPatch",
            body_obj(
                vec![
                    ("name_vi", ns()),
                    ("name_en", ns()),
                    ("acronym", ns()),
                    ("iati_ref", ns()),
                    ("cert_type", ncodes(CERT_TYPES)),
                    ("cert_number", ns()),
                    ("cert_valid_from", ndate()),
                    ("cert_valid_to", ndate()),
                ],
                &[],
            ),
        ),
    ]
}
