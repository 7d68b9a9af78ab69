//! Simple types: the built-ins the IATI schema names, restrictions by enumeration and
//! length, and unions (as `xml:lang`'s "a language or empty"). Each applies its whitespace
//! rule (`string` keeps it, every other built-in collapses it) before its lexical check.

use super::lexical;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Builtin {
    AnySimple,
    String,
    NormalizedString,
    Token,
    Decimal,
    Integer,
    Int,
    NonNegativeInteger,
    PositiveInteger,
    Boolean,
    Date,
    DateTime,
    AnyUri,
    Nmtoken,
    NcName,
    Id,
    Language,
}

impl Builtin {
    pub(crate) fn by_name(local: &str) -> Option<Builtin> {
        Some(match local {
            "anySimpleType" => Builtin::AnySimple,
            "string" => Builtin::String,
            "normalizedString" => Builtin::NormalizedString,
            "token" => Builtin::Token,
            "decimal" => Builtin::Decimal,
            "integer" => Builtin::Integer,
            "int" => Builtin::Int,
            "nonNegativeInteger" => Builtin::NonNegativeInteger,
            "positiveInteger" => Builtin::PositiveInteger,
            "boolean" => Builtin::Boolean,
            "date" => Builtin::Date,
            "dateTime" => Builtin::DateTime,
            "anyURI" => Builtin::AnyUri,
            "NMTOKEN" => Builtin::Nmtoken,
            "NCName" => Builtin::NcName,
            "ID" => Builtin::Id,
            "language" => Builtin::Language,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Builtin::AnySimple => "anySimpleType",
            Builtin::String => "string",
            Builtin::NormalizedString => "normalizedString",
            Builtin::Token => "token",
            Builtin::Decimal => "decimal",
            Builtin::Integer => "integer",
            Builtin::Int => "int",
            Builtin::NonNegativeInteger => "nonNegativeInteger",
            Builtin::PositiveInteger => "positiveInteger",
            Builtin::Boolean => "boolean",
            Builtin::Date => "date",
            Builtin::DateTime => "dateTime",
            Builtin::AnyUri => "anyURI",
            Builtin::Nmtoken => "NMTOKEN",
            Builtin::NcName => "NCName",
            Builtin::Id => "ID",
            Builtin::Language => "language",
        }
    }

    /// What a person should write instead, for the message.
    fn hint(self) -> &'static str {
        match self {
            Builtin::Decimal => {
                "a decimal number such as 1500.25 (a '.' for the decimals, no thousands separator)"
            }
            Builtin::Integer => "a whole number",
            Builtin::Int => "a whole number between -2147483648 and 2147483647",
            Builtin::NonNegativeInteger => "a whole number, 0 or more",
            Builtin::PositiveInteger => "a whole number, 1 or more",
            Builtin::Boolean => "true, false, 1 or 0",
            Builtin::Date => "a date as YYYY-MM-DD",
            Builtin::DateTime => "a date and time as YYYY-MM-DDThh:mm:ss",
            Builtin::AnyUri => "a URI",
            Builtin::Nmtoken => "a name token (letters, digits, '.', '-', '_', ':')",
            Builtin::NcName | Builtin::Id => "an XML name without ':'",
            Builtin::Language => "a language tag such as en or vi",
            Builtin::AnySimple | Builtin::String | Builtin::NormalizedString | Builtin::Token => {
                "text"
            }
        }
    }

    /// Whether the value is checked as written rather than with its whitespace collapsed.
    /// XSD collapses whitespace for every built-in but the string types; libxml2 (xmllint,
    /// IATI's reference) does not for `date`, `dateTime` and `int`, so " 2025-01-01" and
    /// " 1" are refused there while " 1" is a valid `nonNegativeInteger`. We follow libxml2.
    fn preserves_space(self) -> bool {
        matches!(
            self,
            Builtin::String
                | Builtin::AnySimple
                | Builtin::NormalizedString
                | Builtin::Date
                | Builtin::DateTime
                | Builtin::Int
        )
    }

    fn check(self, v: &str) -> bool {
        match self {
            Builtin::AnySimple | Builtin::String | Builtin::NormalizedString | Builtin::Token => {
                true
            }
            Builtin::Decimal => lexical::decimal(v),
            Builtin::Integer => lexical::any_integer(v),
            Builtin::Int => lexical::int(v),
            Builtin::NonNegativeInteger => lexical::non_negative_integer(v),
            Builtin::PositiveInteger => lexical::positive_integer(v),
            Builtin::Boolean => lexical::boolean(v),
            Builtin::Date => lexical::date(v),
            Builtin::DateTime => lexical::date_time(v),
            Builtin::AnyUri => lexical::any_uri(v),
            Builtin::Nmtoken => lexical::nmtoken(v),
            Builtin::NcName | Builtin::Id => lexical::ncname(v),
            Builtin::Language => lexical::language(v),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Facet {
    Enumeration(Vec<String>),
    Length(usize),
    MinLength(usize),
    MaxLength(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SimpleType {
    Builtin(Builtin),
    Restriction {
        base: Box<SimpleType>,
        facets: Vec<Facet>,
    },
    Union(Vec<SimpleType>),
}

impl SimpleType {
    fn preserves_space(&self) -> bool {
        match self {
            SimpleType::Builtin(b) => b.preserves_space(),
            SimpleType::Restriction { base, .. } => base.preserves_space(),
            SimpleType::Union(_) => false,
        }
    }

    pub(crate) fn is_id(&self) -> bool {
        match self {
            SimpleType::Builtin(b) => *b == Builtin::Id,
            SimpleType::Restriction { base, .. } => base.is_id(),
            SimpleType::Union(_) => false,
        }
    }

    /// `Ok(())` when `raw` is a value of this type; otherwise what was expected.
    pub(crate) fn check(&self, raw: &str) -> Result<(), String> {
        let collapsed;
        let v = if self.preserves_space() {
            raw
        } else {
            collapsed = lexical::collapse(raw);
            &collapsed
        };
        match self {
            SimpleType::Builtin(b) => {
                if b.check(v) {
                    Ok(())
                } else {
                    Err(format!("expects {} (xsd:{})", b.hint(), b.name()))
                }
            }
            SimpleType::Restriction { base, facets } => {
                base.check(v)?;
                let len = v.chars().count();
                for f in facets {
                    match f {
                        Facet::Enumeration(values) if !values.iter().any(|e| e == v) => {
                            let list = values
                                .iter()
                                .map(|e| format!("\"{e}\""))
                                .collect::<Vec<_>>()
                                .join(", ");
                            return Err(format!("expects one of {list}"));
                        }
                        Facet::Length(n) if len != *n => {
                            return Err(format!("expects exactly {n} characters"));
                        }
                        Facet::MinLength(n) if len < *n => {
                            return Err(format!("expects at least {n} characters"));
                        }
                        Facet::MaxLength(n) if len > *n => {
                            return Err(format!("expects at most {n} characters"));
                        }
                        _ => {}
                    }
                }
                Ok(())
            }
            SimpleType::Union(members) => {
                let mut first_error = None;
                for m in members {
                    match m.check(raw) {
                        Ok(()) => return Ok(()),
                        Err(e) => {
                            first_error.get_or_insert(e);
                        }
                    }
                }
                Err(first_error.unwrap_or_else(|| "expects a value".into()))
            }
        }
    }
}
