//! From an `<iati-activity>` element tree to an [`Activity`]: required parts are checked (the
//! schema check has usually refused a file missing them already; this keeps the reader safe
//! on its own), values are parsed exactly, and every record keeps its line.

use super::tree::{Node, ReadError, XML_NS};
use super::{
    Activity, Budget, Indicator, Location, Narrative, OrgRef, ResultBlock, Sector, Text,
    Transaction, Value,
};
use crate::export::iati::NS;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

fn err(line: u32, message: String) -> ReadError {
    ReadError { line, message }
}

fn required<'a>(n: &'a Node, attr: &str) -> Result<&'a str, ReadError> {
    n.attr(attr).map(str::trim).ok_or_else(|| {
        err(
            n.line,
            format!("<{}> has no {attr} attribute, which IATI requires", n.name),
        )
    })
}

fn date(n: &Node, attr: &str) -> Result<NaiveDate, ReadError> {
    let s = required(n, attr)?;
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        err(
            n.line,
            format!("<{}> {attr}=\"{s}\" is not a date (YYYY-MM-DD)", n.name),
        )
    })
}

fn decimal(line: u32, what: &str, s: &str) -> Result<Decimal, ReadError> {
    let t = s.trim();
    // Exact or refused: a value with more digits than a Decimal holds is not rounded.
    Decimal::from_str_exact(t)
        .map_err(|_| err(line, format!("{what} \"{t}\" is not a decimal number")))
}

fn text(n: Option<&Node>) -> Text {
    Text(
        n.map(|n| {
            n.children_named("narrative")
                .map(|c| Narrative {
                    lang: c.attr_ns(XML_NS, "lang").map(str::to_string),
                    text: c.text.trim().to_string(),
                })
                .collect()
        })
        .unwrap_or_default(),
    )
}

fn extensions(n: &Node) -> BTreeMap<String, String> {
    n.attrs
        .iter()
        .filter(|a| a.ns.as_deref() == Some(NS))
        .map(|a| (a.name.clone(), a.value.clone()))
        .collect()
}

fn org(n: &Node) -> OrgRef {
    OrgRef {
        line: n.line,
        identifier: n
            .attr("ref")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        kind: n.attr("type").map(str::to_string),
        role: n.attr("role").map(str::to_string),
        name: text(Some(n)),
        al_role: n.attr_ns(NS, "role").map(str::to_string),
    }
}

fn value(n: &Node) -> Result<Value, ReadError> {
    Ok(Value {
        line: n.line,
        amount: decimal(n.line, "the value", &n.text)?,
        currency: n.attr("currency").map(|c| c.trim().to_string()),
        value_date: date(n, "value-date")?,
    })
}

fn child<'a>(n: &'a Node, name: &str) -> Result<&'a Node, ReadError> {
    n.child(name).ok_or_else(|| {
        err(
            n.line,
            format!("<{}> has no <{name}>, which IATI requires", n.name),
        )
    })
}

fn transaction(n: &Node) -> Result<Transaction, ReadError> {
    Ok(Transaction {
        line: n.line,
        reference: n.attr("ref").map(str::to_string),
        type_code: required(child(n, "transaction-type")?, "code")?.to_string(),
        date: date(child(n, "transaction-date")?, "iso-date")?,
        value: value(child(n, "value")?)?,
        description: text(n.child("description")),
        al: extensions(n),
    })
}

fn budget(n: &Node) -> Result<Budget, ReadError> {
    Ok(Budget {
        line: n.line,
        kind: n.attr("type").map(|t| t.trim().to_string()),
        status: n.attr("status").map(|t| t.trim().to_string()),
        start: date(child(n, "period-start")?, "iso-date")?,
        end: n
            .child("period-end")
            .map(|e| date(e, "iso-date"))
            .transpose()?,
        value: value(child(n, "value")?)?,
    })
}

fn result(n: &Node) -> Result<ResultBlock, ReadError> {
    let indicators = n
        .children_named("indicator")
        .map(|i| {
            let periods = i
                .children_named("period")
                .map(|p| {
                    Ok((
                        date(child(p, "period-start")?, "iso-date")?,
                        date(child(p, "period-end")?, "iso-date")?,
                    ))
                })
                .collect::<Result<Vec<_>, ReadError>>()?;
            Ok(Indicator {
                line: i.line,
                title: text(i.child("title")),
                periods,
                al: extensions(i),
            })
        })
        .collect::<Result<Vec<_>, ReadError>>()?;
    Ok(ResultBlock {
        line: n.line,
        kind: n.attr("type").map(str::to_string),
        title: text(n.child("title")),
        indicators,
        al: extensions(n),
    })
}

/// Reads one activity element.
pub(super) fn activity(n: &Node) -> Result<Activity, ReadError> {
    let identifier = child(n, "iati-identifier")?.text.trim().to_string();
    if identifier.is_empty() {
        return Err(err(
            n.line,
            "the activity's <iati-identifier> is empty".into(),
        ));
    }
    let sectors = n
        .children_named("sector")
        .map(|s| {
            Ok(Sector {
                line: s.line,
                vocabulary: s.attr("vocabulary").map(str::to_string),
                code: required(s, "code")?.to_string(),
                percentage: s
                    .attr("percentage")
                    .map(|p| decimal(s.line, "the sector percentage", p))
                    .transpose()?,
                al_code: s.attr_ns(NS, "code").map(str::to_string),
            })
        })
        .collect::<Result<Vec<_>, ReadError>>()?;
    let locations = n
        .children_named("location")
        .map(|l| {
            let share = l.attr_ns(NS, "share-bp");
            Ok(Location {
                line: l.line,
                reference: l.attr("ref").map(str::to_string),
                name: text(l.child("name")),
                al_share_bp: share
                    .map(|s| {
                        s.trim().parse::<i64>().map_err(|_| {
                            err(l.line, format!("al:share-bp \"{s}\" is not a whole number"))
                        })
                    })
                    .transpose()?,
            })
        })
        .collect::<Result<Vec<_>, ReadError>>()?;
    let countries = n
        .children_named("recipient-country")
        .map(|c| {
            Ok((
                required(c, "code")?.to_string(),
                c.attr("percentage")
                    .map(|p| decimal(c.line, "the country percentage", p))
                    .transpose()?,
            ))
        })
        .collect::<Result<Vec<_>, ReadError>>()?;
    let dates = n
        .children_named("activity-date")
        .map(|d| Ok((required(d, "type")?.to_string(), date(d, "iso-date")?)))
        .collect::<Result<Vec<_>, ReadError>>()?;
    Ok(Activity {
        line: n.line,
        identifier,
        lang: n.attr_ns(XML_NS, "lang").map(str::to_string),
        default_currency: n.attr("default-currency").map(str::to_string),
        humanitarian: matches!(n.attr("humanitarian").map(str::trim), Some("1" | "true")),
        reporting_org: org(child(n, "reporting-org")?),
        title: text(n.child("title")),
        descriptions: n
            .children_named("description")
            .map(|d| (d.attr("type").map(str::to_string), text(Some(d))))
            .collect(),
        participating: n.children_named("participating-org").map(org).collect(),
        status: n
            .child("activity-status")
            .and_then(|s| s.attr("code"))
            .map(str::to_string),
        dates,
        countries,
        locations,
        sectors,
        budgets: n
            .children_named("budget")
            .map(budget)
            .collect::<Result<_, _>>()?,
        planned_disbursements: n
            .children_named("planned-disbursement")
            .map(budget)
            .collect::<Result<_, _>>()?,
        transactions: n
            .children_named("transaction")
            .map(transaction)
            .collect::<Result<_, _>>()?,
        results: n
            .children_named("result")
            .map(result)
            .collect::<Result<_, _>>()?,
        al: extensions(n),
    })
}
