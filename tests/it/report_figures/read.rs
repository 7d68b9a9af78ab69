//! Reading the demo report for the checks: the stored rows' sums, the document built and
//! rendered as `report` does (with a signer and recipients), and its text read back.

use crate::common::{TestDb, date};
use aidledger::domain::Lang;
use aidledger::domain::item::ItemStatus;
use aidledger::domain::period::Period;
use aidledger::reports::document::{IssueInfo, build};
use aidledger::reports::{Block, ReportDocument, Signature, Table};
use aidledger::rollup::LookupData;
use aidledger::rollup::figures::{Figures, figures};

/// Sums of converted rows read straight from the tables: (VND, US cents).
pub async fn raw_sum(
    db: &TestDb,
    sql: &'static str,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> (i128, i128) {
    let rows: Vec<(chrono::NaiveDate, Option<i64>, Option<i64>)> = match db.store() {
        aidledger::db::Store::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
        aidledger::db::Store::Pg(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
    };
    rows.iter()
        .filter(|r| r.0 >= from && r.0 <= to)
        .fold((0, 0), |(v, u), r| {
            (
                v + i128::from(r.1.unwrap_or(0)),
                u + i128::from(r.2.unwrap_or(0)),
            )
        })
}

pub const COMMITTED: &str = "SELECT commitment_date, amount_vnd, amount_usd_cents FROM commitment WHERE rate_id IS NOT NULL";
pub const DISBURSED: &str = "SELECT value_date, amount_vnd, amount_usd_cents FROM disbursement WHERE rate_id IS NOT NULL AND status = 'verified'";

pub struct Issued {
    pub fig: Figures,
    pub doc: ReportDocument,
    /// pdftotext's reading-order text, whitespace collapsed; None without pdftotext.
    pub text: Option<String>,
    /// The first page only.
    pub page1: Option<String>,
    /// "Title – Donor" of the revoked or cancelled items with a commitment in the period.
    pub gone: Vec<String>,
}

pub async fn issue(db: &TestDb, period: &Period, lang: Lang, issued_on: &str) -> Issued {
    let mut tx = db.ctx.store.read().await.unwrap();
    let look = LookupData::load(&mut tx).await.unwrap();
    let fig = figures(&mut tx, &look, period).await.unwrap();
    let info = IssueInfo {
        lang,
        issued_on: date(issued_on),
        number: "      /BC-SNgV".into(),
        free_text: [None, None, None],
        signer: Some(Signature {
            authority: vec!["KT. GIÁM ĐỐC".into(), "PHÓ GIÁM ĐỐC".into()],
            name: "Nguyễn Văn A".into(),
        }),
        recipients: vec!["UBND thành phố Huế".into(), "Lưu: VT, QLNN".into()],
        draft: false,
        audit_anchor: None,
    };
    let doc = build(&db.ctx.config, &look, period, &fig, &info).unwrap();
    let label = |i: &aidledger::db::items::AidItem| {
        let o = look.organisation(i.donor_id).unwrap();
        match lang {
            Lang::Vi => format!("{} – {}", i.title_vi, o.name_vi),
            Lang::En => format!("{} – {}", i.title_en, o.name_en),
        }
    };
    let is_gone = |i: &aidledger::db::items::AidItem| {
        matches!(i.status, ItemStatus::Revoked | ItemStatus::Cancelled)
    };
    let gone: Vec<String> = look
        .items
        .iter()
        .filter(|i| {
            is_gone(i)
                && fig
                    .item_figures
                    .get(&i.id)
                    .is_some_and(|x| x.committed.vnd > 0)
        })
        .map(label)
        .filter(|l| !look.items.iter().any(|i| !is_gone(i) && label(i) == *l))
        .collect();
    let pdf = aidledger::reports::render(&doc).unwrap();
    let raw = crate::common::pdftotext_bytes(&pdf);
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    Issued {
        page1: raw
            .as_deref()
            .map(|t| collapse(t.split('\u{c}').next().unwrap_or(""))),
        text: raw.as_deref().map(collapse),
        fig,
        doc,
        gone,
    }
}

/// Every string of the document a reader sees (paragraphs, bullets, cells, footnote).
pub fn strings(doc: &ReportDocument) -> Vec<String> {
    let mut out = vec![doc.header.subtitle.clone()];
    let table = |t: &Table, out: &mut Vec<String>| {
        out.push(t.title.clone());
        out.extend(t.columns.iter().map(|c| c.header.clone()));
        out.extend(t.rows.iter().flatten().cloned());
        out.extend(t.total_row.iter().flatten().cloned());
        out.extend(t.notes.iter().cloned());
    };
    for s in &doc.sections {
        out.push(s.heading.clone());
        for b in &s.blocks {
            match b {
                Block::Paragraph(p) => out.push(p.clone()),
                Block::Bullets(v) => out.extend(v.iter().cloned()),
                Block::Table(t) => table(t, &mut out),
                Block::Chart(c) => out.extend(c.bars.iter().map(|b| b.0.clone())),
            }
        }
    }
    for t in &doc.appendices {
        table(t, &mut out);
    }
    for c in &doc.charts {
        out.extend(c.bars.iter().map(|b| b.0.clone()));
    }
    out.extend(doc.rates_footnote.iter().cloned());
    out
}

pub fn narrative(doc: &ReportDocument) -> String {
    let mut s = String::new();
    for sec in &doc.sections {
        for b in &sec.blocks {
            match b {
                Block::Paragraph(p) => s.push_str(p),
                Block::Bullets(v) => s.push_str(&v.join(" ")),
                _ => {}
            }
            s.push(' ');
        }
    }
    s
}

/// Two capital letters standing alone as a word or in brackets: an ISO code, not a name.
pub fn iso_codes(all: &[String]) -> Vec<String> {
    const CODES: [&str; 13] = [
        "US", "GB", "DE", "FR", "KR", "JP", "AU", "CH", "NL", "NO", "CA", "SE", "VN",
    ];
    let mut out = Vec::new();
    for s in all {
        for w in s.split(|c: char| !c.is_alphanumeric()) {
            if CODES.contains(&w) {
                out.push(s.clone());
            }
        }
    }
    out
}
