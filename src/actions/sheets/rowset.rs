//! One template row being imported: its cells by column key, canonicalised, and the
//! typed values an action needs, each failure kept as a [`Problem`] naming the column.

use crate::domain::Currency;
use crate::interchange::RecordType;
use crate::interchange::cells::canonical;
use crate::interchange::preview::Problem;
use chrono::NaiveDate;
use std::str::FromStr;

pub(super) struct Row {
    pub record: RecordType,
    /// Canonical cells in template order; "" for a blank cell (meaning "unchanged").
    pub cells: Vec<String>,
    /// The cells as the file has them, for messages.
    pub raw: Vec<String>,
    pub problems: Vec<Problem>,
}

impl Row {
    /// Canonicalises `raw` (template order). `stored` is the stored row, whose currency
    /// reads an amount when the file leaves the currency blank.
    /// `amount_lang` is the number format the file's amount header names, if any.
    pub fn new(
        record: RecordType,
        raw: Vec<String>,
        stored: Option<&Vec<String>>,
        amount_lang: Option<crate::domain::Lang>,
    ) -> Row {
        let cols = record.columns();
        let cur_ix = record.index("currency");
        let currency = cur_ix.and_then(|i| {
            let v = raw
                .get(i)
                .filter(|v| !v.is_empty())
                .or_else(|| stored.and_then(|s| s.get(i)))?;
            Currency::from_str(&v.to_uppercase()).ok()
        });
        let mut problems = Vec::new();
        let mut cells = Vec::with_capacity(cols.len());
        for (c, v) in cols.iter().zip(&raw) {
            if v.is_empty() {
                cells.push(String::new());
                continue;
            }
            match canonical(record, c.key, v, currency, amount_lang) {
                Ok(x) => cells.push(x),
                Err((code, message)) => {
                    problems.push(Problem {
                        column: Some(c.key.to_string()),
                        code: code.to_string(),
                        value: v.clone(),
                        message,
                    });
                    cells.push(String::new());
                }
            }
        }
        Row {
            record,
            cells,
            raw,
            problems,
        }
    }

    /// The canonical cell `key` ("" when blank).
    pub fn get(&self, key: &str) -> &str {
        self.record
            .index(key)
            .and_then(|i| self.cells.get(i))
            .map_or("", String::as_str)
    }

    pub fn raw(&self, key: &str) -> &str {
        self.record
            .index(key)
            .and_then(|i| self.raw.get(i))
            .map_or("", String::as_str)
    }

    pub fn problem(&mut self, key: Option<&str>, code: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            column: key.map(str::to_string),
            code: code.to_string(),
            value: key.map(|k| self.raw(k).to_string()).unwrap_or_default(),
            message: message.into(),
        });
    }

    pub fn opt(&self, key: &str) -> Option<String> {
        Some(self.get(key).to_string()).filter(|s| !s.is_empty())
    }

    /// A cell a new record needs: its text, or a problem saying it is missing.
    pub fn req(&mut self, key: &str, what: &str) -> String {
        let v = self.get(key).to_string();
        if v.is_empty()
            && !self
                .problems
                .iter()
                .any(|p| p.column.as_deref() == Some(key))
        {
            self.problem(
                Some(key),
                "required",
                format!("a new {what} needs this column"),
            );
        }
        v
    }

    /// A parsed value of a canonical cell (canonical text always parses back).
    pub fn parsed<T: FromStr>(&mut self, key: &str, what: &str, required: bool) -> Option<T> {
        let v = if required {
            self.req(key, what)
        } else {
            self.get(key).to_string()
        };
        if v.is_empty() {
            return None;
        }
        v.parse().ok()
    }

    pub fn date(&mut self, key: &str, what: &str, required: bool) -> Option<NaiveDate> {
        self.parsed(key, what, required)
    }

    /// `CODE;CODE` as a list.
    pub fn list(&self, key: &str) -> Vec<String> {
        self.get(key)
            .split(';')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// `CODE:60.00;CODE:40.00` as (code, basis points).
    pub fn shares(&self, key: &str) -> Vec<(String, u32)> {
        self.list(key)
            .iter()
            .filter_map(|p| {
                let (c, pct) = p.split_once(':')?;
                let s: crate::domain::allocation::Share = pct.parse().ok()?;
                Some((c.to_string(), s.bp()))
            })
            .collect()
    }
}
