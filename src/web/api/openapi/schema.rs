//! The building blocks of the document's schemas: JSON types, canonical amounts, and the
//! vocabularies of the records.

use rocket::serde::json::{Value, json};

pub(super) fn s() -> Value {
    json!({"type": "string"})
}
pub(super) fn ns() -> Value {
    json!({"type": "string", "nullable": true})
}
pub(super) fn int() -> Value {
    json!({"type": "integer", "format": "int64"})
}
pub(super) fn nint() -> Value {
    json!({"type": "integer", "format": "int64", "nullable": true})
}
pub(super) fn boolean() -> Value {
    json!({"type": "boolean"})
}
pub(super) fn date() -> Value {
    json!({"type": "string", "format": "date"})
}
pub(super) fn ndate() -> Value {
    json!({"type": "string", "format": "date", "nullable": true})
}
pub(super) fn time() -> Value {
    json!({"type": "string", "format": "date-time"})
}
pub(super) fn ntime() -> Value {
    json!({"type": "string", "format": "date-time", "nullable": true})
}
/// A canonical decimal amount: digits, an optional point and fraction, never an exponent.
pub(super) fn amount() -> Value {
    json!({"type": "string", "pattern": "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$", "example": "1234.50"})
}
pub(super) fn namount() -> Value {
    json!({"type": "string", "pattern": "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$", "nullable": true})
}
pub(super) fn currency() -> Value {
    json!({"type": "string", "pattern": "^[A-Z]{3}$", "example": "EUR"})
}
pub(super) fn text(max: u32) -> Value {
    json!({"type": "string", "minLength": 1, "maxLength": max})
}
pub(super) fn ntext(max: u32) -> Value {
    json!({"type": "string", "minLength": 1, "maxLength": max, "nullable": true})
}
pub(super) fn codes(values: &[&str]) -> Value {
    json!({"type": "string", "enum": values})
}
pub(super) fn ncodes(values: &[&str]) -> Value {
    json!({"type": "string", "enum": values, "nullable": true})
}
pub(super) fn array(items: Value) -> Value {
    json!({"type": "array", "items": items})
}
pub(super) fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// An object schema; every property named in `required` must be present.
pub(super) fn obj(props: Vec<(&str, Value)>, required: &[&str]) -> Value {
    let map: serde_json::Map<String, Value> =
        props.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    let mut o = json!({"type": "object", "properties": map});
    // OpenAPI 3.0 wants at least one name in `required`, or no `required` at all.
    if !required.is_empty() {
        o["required"] = json!(required);
    }
    o
}

/// Like [`obj`], for request bodies: unknown fields are refused by the server.
pub(super) fn body_obj(props: Vec<(&str, Value)>, required: &[&str]) -> Value {
    let mut o = obj(props, required);
    o["additionalProperties"] = json!(false);
    o
}

pub(super) const ROLES: &[&str] = &["ngo", "coordinator", "reviewer", "admin"];
pub(super) const ORG_KINDS: &[&str] = &["foreign_ngo", "funder", "aid_owner", "managing_agency"];
pub(super) const CERT_TYPES: &[&str] = &["operation", "project_office", "representative_office"];
pub(super) const MODALITIES: &[&str] = &[
    "programme",
    "investment_project",
    "technical_assistance",
    "non_project",
    "emergency_relief",
];
pub(super) const ITEM_STATUSES: &[&str] = &[
    "pipeline",
    "approved",
    "implementing",
    "completed",
    "suspended",
    "cancelled",
    "revoked",
];
pub(super) const DISB_STATUSES: &[&str] = &["draft", "submitted", "verified", "rejected"];
pub(super) const MS_STATUSES: &[&str] = &["planned", "in_progress", "done", "cancelled"];
pub(super) const DIMENSIONS: &[&str] = &[
    "sector",
    "sector_group",
    "locality",
    "donor",
    "country",
    "region",
    "modality",
    "aid_owner",
    "status",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::item::{
        CertificateType, DisbursementStatus, ItemStatus, MilestoneStatus, Modality, OrgKind, Role,
    };

    fn codes_of<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|x| code(*x)).collect()
    }

    /// The document lists the vocabularies by hand; they must be the domain's, exactly.
    #[test]
    fn the_documents_vocabularies_are_the_domains() {
        let mut roles = codes_of(Role::ALL, Role::code);
        let mut doc_roles = ROLES.to_vec();
        roles.sort_unstable();
        doc_roles.sort_unstable();
        assert_eq!(doc_roles, roles);
        assert_eq!(ORG_KINDS, codes_of(OrgKind::ALL, OrgKind::code));
        assert_eq!(
            CERT_TYPES,
            codes_of(CertificateType::ALL, CertificateType::code)
        );
        assert_eq!(MODALITIES, codes_of(Modality::ALL, Modality::code));
        assert_eq!(ITEM_STATUSES, codes_of(ItemStatus::ALL, ItemStatus::code));
        assert_eq!(
            DISB_STATUSES,
            codes_of(DisbursementStatus::ALL, DisbursementStatus::code)
        );
        assert_eq!(
            MS_STATUSES,
            codes_of(MilestoneStatus::ALL, MilestoneStatus::code)
        );
        for d in DIMENSIONS {
            assert!(d.parse::<crate::rollup::Dimension>().is_ok(), "{d}");
        }
    }
}
