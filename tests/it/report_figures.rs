//! The demo province's 2025-H1 and 2025 reports, in Vietnamese and English, read back with
//! `pdftotext` and checked against the stored rows: every figure the narrative states is a
//! table total, the rate has one value and one wording, charts show the period's own quarters,
//! words are an officer's (country names, "Quý I/2025", no "trong đó 0", no nested brackets),
//! units match their numbers; and the dashboard shows the same figures as the report.

mod read;

use crate::common::{date, fresh_db};
use aidledger::actions::dash_views::dashboard_in;
use aidledger::domain::item::Modality;
use aidledger::domain::money::format_sum;
use aidledger::domain::period::Period;
use aidledger::domain::{Currency, Lang};
use aidledger::reports::Block;
use aidledger::rollup::measures;
use read::{COMMITTED, DISBURSED, Issued, iso_codes, issue, narrative, raw_sum, strings};

fn check(db_name: &str, r: &Issued, period: &Period, lang: Lang, raw: [(i128, i128); 3]) {
    let [committed, cum_c, cum_d] = raw;
    let (doc, fig) = (&r.doc, &r.fig);
    let ctx = format!("{db_name} {} {lang:?}", period.code());
    let usd = |c: i128| format_sum(c, Currency::USD, lang);
    let vnd = |v: i128| format_sum(v, Currency::VND, lang);
    let text = narrative(doc);

    // The committed figure of the text is Appendix 1's total, and the stored rows' sum.
    assert_eq!(
        (fig.committed.vnd, fig.committed.usd_cents),
        committed,
        "{ctx}: committed"
    );
    let a1 = doc.appendices[0].total_row.clone().unwrap();
    assert_eq!(
        (a1[10].clone(), a1[11].clone()),
        (usd(committed.1), vnd(committed.0)),
        "{ctx}: appendix 1 total"
    );
    assert!(
        text.contains(&measures::vnd_in_words(committed.0, lang)),
        "{ctx}: the narrative states the committed figure: {text}"
    );

    // One rate, one wording: narrative, Appendix 2 total and the stored rows agree.
    let bp = (cum_d.1 * 20_000 + cum_c.1) / (2 * cum_c.1);
    let rate = measures::rate_text(measures::disbursement_rate(fig), lang);
    assert_eq!(
        rate,
        measures::percent_of_bp(bp, lang),
        "{ctx}: rate from the stored rows"
    );
    let a2 = doc.appendices[1].total_row.clone().unwrap();
    assert_eq!(a2[6], rate, "{ctx}: appendix 2 total rate");
    assert_eq!(
        (a2[3].clone(), a2[5].clone()),
        (usd(cum_c.1), usd(cum_d.1)),
        "{ctx}: appendix 2 cumulative totals"
    );
    let stated = format!("{}: {rate}", measures::rate_label(lang));
    assert!(
        text.contains(&stated),
        "{ctx}: the narrative states the rate with its definition"
    );

    // A disbursement above its commitment shows its true rate, flagged, never 100.00 %.
    let minor = |s: &str| {
        aidledger::domain::Money::parse_localized(s, Currency::USD, lang)
            .unwrap()
            .minor()
    };
    let flag = if lang == Lang::Vi {
        "(vượt)"
    } else {
        "(over)"
    };
    let mut flagged = 0;
    for row in &doc.appendices[1].rows {
        let (c, d) = (minor(&row[3]), minor(&row[5]));
        assert_eq!(
            row[6].ends_with(flag),
            c > 0 && d > c,
            "{ctx}: over-disbursement flag {row:?}"
        );
        assert!(
            !row[6].starts_with("100,00") && !row[6].starts_with("100.00") || c == d,
            "{ctx}: {row:?}"
        );
        flagged += usize::from(d > c && c > 0);
    }
    assert!(
        flagged > 0 || period.code() != "2025-H1",
        "{ctx}: the demo over-disburses an item in H1"
    );

    // The chart of quarters shows the period's own quarters only.
    let quarters: Vec<&str> = doc.charts[1].bars.iter().map(|b| b.0.as_str()).collect();
    let want: &[&str] = match (period.code().ends_with("H1"), lang) {
        (true, Lang::Vi) => &["Quý I/2025", "Quý II/2025"],
        (true, Lang::En) => &["Q1 2025", "Q2 2025"],
        (false, Lang::Vi) => &["Quý I/2025", "Quý II/2025", "Quý III/2025", "Quý IV/2025"],
        (false, Lang::En) => &["Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025"],
    };
    assert_eq!(quarters, want, "{ctx}: quarters");
    let sectors: Vec<i64> = doc.charts[0].bars.iter().map(|b| b.1).collect();
    assert!(
        sectors.windows(2).all(|w| w[0] >= w[1]),
        "{ctx}: sector chart sorted by value: {sectors:?}"
    );

    // Words.
    let all = strings(doc);
    for s in &all {
        let mut depth = 0_i32;
        for c in s.chars() {
            depth += match c {
                '(' => 1,
                ')' => -1,
                _ => 0,
            };
            assert!(depth <= 1, "{ctx}: nested brackets in {s:?}");
        }
        assert!(
            !s.contains("trong đó 0") && !s.contains("of which 0"),
            "{ctx}: {s:?}"
        );
        assert!(!s.contains("2025-Q"), "{ctx}: quarter code in {s:?}");
    }
    let iso = iso_codes(&all);
    assert!(iso.is_empty(), "{ctx}: ISO country codes printed: {iso:?}");
    for line in &doc.rates_footnote {
        assert!(
            !line.contains("= 1 USD") && !line.starts_with("1 VND"),
            "{ctx}: identity or inverse rate line {line:?}"
        );
        let point = if lang == Lang::Vi { ',' } else { '.' };
        // The rates, before the bracket that names the source and date.
        let rates = line.split(" (").next().unwrap_or("");
        for token in rates.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')) {
            let int = token.split(point).next().unwrap_or("");
            assert!(
                !int.chars()
                    .collect::<Vec<_>>()
                    .windows(4)
                    .any(|w| w.iter().all(char::is_ascii_digit)),
                "{ctx}: ungrouped digits in {line:?}"
            );
        }
        if lang == Lang::En {
            assert!(
                !line.contains("Ngân hàng"),
                "{ctx}: source not in English: {line:?}"
            );
        }
    }
    assert!(
        doc.header.subtitle.contains(if lang == Lang::Vi {
            "phi chính phủ nước ngoài"
        } else {
            "non-governmental"
        }),
        "{ctx}: title spells the aid out"
    );

    // Aid types in the vocabulary's order, with values that add up to the committed figure.
    let modality = doc.sections[1].blocks.iter().find_map(|b| match b {
        Block::Table(t)
            if t.rows
                .first()
                .is_some_and(|r| Modality::ALL.iter().any(|m| m.label(lang) == r[0])) =>
        {
            Some(t)
        }
        _ => None,
    });
    let modality = modality.unwrap_or_else(|| panic!("{ctx}: values by aid type"));
    let order: Vec<usize> = modality
        .rows
        .iter()
        .map(|r| {
            Modality::ALL
                .iter()
                .position(|m| m.label(lang) == r[0])
                .unwrap()
        })
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "{ctx}: aid types in fixed order"
    );
    assert_eq!(
        modality.total_row.clone().unwrap()[2],
        usd(committed.1),
        "{ctx}: by aid type total"
    );

    // Appendices 3 and 4: the unit of the header is the unit of the numbers.
    for t in &doc.appendices[2..4] {
        assert!(
            t.columns
                .iter()
                .all(|c| !c.header.contains("triệu") && !c.header.contains("million")),
            "{ctx}: {}",
            t.title
        );
        let total = t.total_row.clone().unwrap();
        assert_eq!(
            total[4],
            vnd(committed.0
                - if t.columns.len() == 8 {
                    fig.cancelled.vnd
                } else {
                    0
                }),
            "{ctx}: {} VND total in đồng",
            t.title
        );
    }
    // Appendix 4: one row per current unit, items counted, no negative share.
    let a4 = &doc.appendices[3];
    let mut names: Vec<&String> = a4.rows.iter().map(|r| &r[1]).collect();
    assert!(
        a4.rows.iter().all(|r| r[2].parse::<u32>().unwrap() > 0),
        "{ctx}: locality counts"
    );
    assert!(
        a4.rows
            .iter()
            .all(|r| !r[7].starts_with('-') || r[7] == "-"),
        "{ctx}: negative share"
    );
    assert!(
        names
            .iter()
            .all(|n| !n.starts_with("huyện") && !n.starts_with("thị trấn")),
        "{ctx}: former units listed: {names:?}"
    );
    let n = names.len();
    names.dedup();
    assert_eq!(n, names.len(), "{ctx}: one row per unit");
    // Appendix 6: sectors filled.
    assert!(
        doc.appendices[5].rows.iter().all(|r| !r[6].is_empty()),
        "{ctx}: appendix 6 sectors"
    );

    // Largest commitments: none revoked or cancelled.
    let largest = doc.sections[1].blocks.iter().rev().find_map(|b| match b {
        Block::Bullets(v) => Some(v.clone()),
        _ => None,
    });
    assert!(
        !r.gone.is_empty() || period.code() != "2025-H1",
        "{ctx}: the demo has a revoked commitment in H1"
    );
    for title in &r.gone {
        assert!(
            largest
                .iter()
                .flatten()
                .all(|b| !b.starts_with(title.as_str())),
            "{ctx}: {title} is revoked or cancelled, yet among the largest"
        );
    }

    // The year's comparison is printed once.
    let cmp = doc.sections[1].blocks.iter().find_map(|b| match b {
        Block::Table(t) if t.rows.len() == 2 && t.columns.len() >= 3 => Some(t),
        _ => None,
    });
    let columns = cmp.map_or(0, |t| t.columns.len());
    assert_eq!(
        columns,
        if period.code().len() == 4 { 3 } else { 4 },
        "{ctx}: comparison columns"
    );

    if let (Some(pdf), Some(page1)) = (&r.text, &r.page1) {
        assert!(
            pdf.contains(&usd(committed.1)),
            "{ctx}: the PDF prints the committed total"
        );
        assert!(pdf.contains(&rate), "{ctx}: the PDF prints the rate");
        assert!(
            !pdf.contains("Quý III") || period.code().len() == 4,
            "{ctx}: Q3 in an H1 report"
        );
        assert!(
            page1.contains(if lang == Lang::Vi {
                "ngày chốt số liệu"
            } else {
                "cut-off date"
            }),
            "{ctx}: cut-off on page 1"
        );
        assert!(
            pdf.contains(if lang == Lang::Vi {
                "Khó khăn, vướng mắc"
            } else {
                "Difficulties"
            }),
            "{ctx}: section IV difficulties"
        );
        if lang == Lang::Vi {
            let first = pdf.find("PCPNN").unwrap();
            assert!(
                pdf[..first].ends_with("PHI CHÍNH PHỦ NƯỚC NGOÀI ("),
                "{ctx}: PCPNN spelled out at first use"
            );
            assert!(
                !pdf.contains("Kỳ trước (USD)") || period.code().len() != 4,
                "{ctx}: year comparison twice"
            );
        }
    } else {
        panic!("pdftotext was found when the tests were built, but gave no text");
    }
}

#[tokio::test]
#[cfg_attr(not(aidledger_pdftotext), ignore = "needs poppler-utils (pdftotext)")]
async fn the_demo_reports_state_one_set_of_figures_in_both_languages() {
    let db = fresh_db().await;
    aidledger::demo::load(&db.ctx).await.unwrap();
    let engine = if crate::common::pg_url().is_some() {
        "postgresql"
    } else {
        "sqlite"
    };
    for (code, issued) in [("2025-H1", "2025-07-05"), ("2025", "2026-01-10")] {
        let period = Period::parse(code, false).unwrap();
        let start = date("1900-01-01");
        let raw = [
            raw_sum(&db, COMMITTED, period.from, period.to).await,
            raw_sum(&db, COMMITTED, start, period.to).await,
            raw_sum(&db, DISBURSED, start, period.to).await,
        ];
        for lang in [Lang::Vi, Lang::En] {
            let r = issue(&db, &period, lang, issued).await;
            check(engine, &r, &period, lang, raw);
        }
    }
}

#[tokio::test]
async fn the_dashboard_and_the_report_give_the_same_figures_for_a_period() {
    let db = fresh_db().await;
    aidledger::demo::load(&db.ctx).await.unwrap();
    for code in ["2025-H1", "2025"] {
        let period = Period::parse(code, false).unwrap();
        for lang in [Lang::Vi, Lang::En] {
            let mut tx = db.ctx.store.read().await.unwrap();
            let d = dashboard_in(&mut tx, &period, lang).await.unwrap();
            drop(tx);
            let r = issue(&db, &period, lang, "2026-01-10").await;
            let (a, b) = (&d.figures, &r.fig);
            assert_eq!(
                (
                    a.committed,
                    a.disbursed,
                    a.cumulative_committed,
                    a.cumulative_disbursed
                ),
                (
                    b.committed,
                    b.disbursed,
                    b.cumulative_committed,
                    b.cumulative_disbursed
                ),
                "{code}: totals"
            );
            assert_eq!(
                (a.year_earlier_committed, a.year_earlier_disbursed),
                (b.year_earlier_committed, b.year_earlier_disbursed)
            );
            // The rate card's value is the report's rate, word for word.
            let a2 = r.doc.appendices[1].total_row.clone().unwrap();
            assert_eq!(measures::rate_text(d.rate, lang), a2[6], "{code}: rate");
            assert!(
                !measures::rate_text(d.rate, lang).starts_with("100,00")
                    && !measures::rate_text(d.rate, lang).starts_with("100.00")
                    || d.rate.num == d.rate.den
            );
            // Growth: the dashboard's percentage is the one the narrative states.
            let text = narrative(&r.doc);
            for g in [d.committed_growth, d.disbursed_growth] {
                let p = measures::percent_of_bp(g.basis_points().unwrap().abs(), lang);
                assert!(
                    text.contains(&format!("{p} ")),
                    "{code}: growth {p} in the narrative"
                );
            }
            // The quarter chart: same quarters, same values.
            let million = |v: i128| i64::try_from((v + 500_000).div_euclid(1_000_000)).unwrap();
            let dash: Vec<(String, i64)> = d
                .quarterly
                .iter()
                .map(|q| (q.name.clone(), million(q.value.vnd)))
                .collect();
            assert_eq!(dash, r.doc.charts[1].bars, "{code}: quarterly chart");
            // Disbursed by sector group: the dashboard chart and Appendix 3's column (6).
            let a3 = &r.doc.appendices[2];
            for s in &d.by_sector_group {
                let row = a3
                    .rows
                    .iter()
                    .find(|row| row[1] == s.name)
                    .unwrap_or_else(|| panic!("{code}: {} in appendix 3", s.name));
                assert_eq!(
                    row[5],
                    format_sum(s.value.usd_cents, Currency::USD, lang),
                    "{code}: {}",
                    s.name
                );
            }
        }
    }
}
