//! Tests of the printed form (Decree 30/2020/NĐ-CP) read back from the PDF bytes with poppler's
//! `pdftotext` and `pdffonts`, as an officer's checks would: page numbers, the signature block
//! and "Nơi nhận" before the appendices, the serif font, whole words, the draft mark. When the
//! poppler tools are missing these tests are ignored, with the reason (see `build.rs`). Also: every character the
//! labels, the sample and the demo data use has a glyph in each of the four faces.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;
use crate::domain::Lang;
use crate::reports::labels::fill;
use crate::reports::model::{Align, Column};
use crate::reports::sample;

/// Runs a poppler tool on `pdf` (written to a temporary file); `None` when it is not installed.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> Option<String> {
    // Tests run in parallel and may render the same bytes: one file per call.
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!(
        "aidledger-pdf-test-{}-{call}.pdf",
        std::process::id()
    ));
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(pdf))
        .expect("write pdf");
    let out = Command::new(tool)
        .args(args)
        .arg(&path)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .stdin(Stdio::null())
        .output();
    let _ = std::fs::remove_file(&path);
    match out {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        Ok(o) => panic!("{tool} failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => panic!("{tool} was found when the tests were built, but cannot run now: {e}"),
    }
}

/// Text of each page, in content order.
fn pages_text(pdf: &[u8]) -> Option<Vec<String>> {
    let all = poppler("pdftotext", &["-raw"], pdf)?;
    let mut pages: Vec<String> = all.split('\u{c}').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    Some(pages)
}

/// Text inside the top margin of page `n` (1-based).
fn top_margin_text(pdf: &[u8], n: usize, portrait: bool) -> Option<String> {
    let page = n.to_string();
    let (w, h) = if portrait {
        ("595", "56")
    } else {
        ("842", "70")
    };
    poppler(
        "pdftotext",
        &[
            "-f", &page, "-l", &page, "-x", "0", "-y", "0", "-W", w, "-H", h,
        ],
        pdf,
    )
    .map(|t| t.replace('\u{c}', "").trim().to_owned())
}

#[test]
#[cfg_attr(
    not(aidledger_pdftotext),
    ignore = "needs poppler-utils (pdftotext, pdffonts)"
)]
fn page_one_has_no_number_and_page_two_has_2_at_the_top() {
    for lang in [Lang::Vi, Lang::En] {
        let pdf = render(&sample::document(lang)).expect("render");
        let Some(first) = top_margin_text(&pdf, 1, true) else {
            return;
        };
        assert_eq!(first, "", "{lang:?} page 1 top margin");
        assert_eq!(top_margin_text(&pdf, 2, true).as_deref(), Some("2"));
        let all = pages_text(&pdf).unwrap_or_default();
        assert!(
            all.iter()
                .all(|p| !p.contains("Trang") && !p.contains("Page "))
        );
    }
}

#[test]
#[cfg_attr(
    not(aidledger_pdftotext),
    ignore = "needs poppler-utils (pdftotext, pdffonts)"
)]
fn signature_and_recipients_share_the_last_body_page_before_the_appendices() {
    for lang in [Lang::Vi, Lang::En] {
        let doc = sample::document(lang);
        let labels = Labels::load(lang).expect("labels");
        let Some(pages) = pages_text(&render(&doc).expect("render")) else {
            return;
        };
        let name = doc
            .signature
            .as_ref()
            .map(|s| s.name.clone())
            .expect("signer");
        let find = |needle: &str| pages.iter().position(|p| p.contains(needle));
        let recipients = find(&labels.common.recipients).expect("Nơi nhận printed");
        assert_eq!(find(&name), Some(recipients), "{lang:?}");
        for authority in doc.signature.iter().flat_map(|s| &s.authority) {
            let upper = authority.to_uppercase();
            assert_eq!(find(&upper), Some(recipients), "{upper}");
        }
        let appendix = fill(&labels.document.appendix, &[("n", "I")]);
        let first_appendix = find(&appendix).expect("appendix caption");
        assert_eq!(first_appendix, recipients + 1, "{lang:?}");
        // "- …;" per recipient and "- Lưu: VT, …." last.
        let page = &pages[recipients];
        assert!(
            page.contains("- Bộ Ngoại giao;") || page.contains("- Ministry of Foreign Affairs;")
        );
        assert!(
            page.contains("- Lưu: VT, QLNN.")
                || page.contains("- Archive: Office, NGO Management.")
        );
        // The caption names the agency in sentence case.
        let attached = &pages[first_appendix];
        assert!(
            attached.contains("của Sở Ngoại vụ)")
                || attached.contains("of the Department of Foreign Affairs)"),
            "{attached}"
        );
    }
}

#[test]
#[cfg_attr(
    not(aidledger_pdftotext),
    ignore = "needs poppler-utils (pdftotext, pdffonts)"
)]
fn the_font_is_liberation_serif_and_nothing_else() {
    let pdf = render(&sample::document(Lang::Vi)).expect("render");
    let Some(fonts) = poppler("pdffonts", &[], &pdf) else {
        return;
    };
    let names: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(names.len(), 4, "{fonts}");
    for name in names {
        let family = name.split_once('+').map_or(name, |(_, f)| f);
        assert!(family.starts_with("LiberationSerif"), "{fonts}");
    }
}

/// A document whose appendix squeezes long English names into narrow columns.
fn narrow_columns_document() -> ReportDocument {
    let mut doc = sample::document(Lang::En);
    let names = [
        "Morgenthau Foundation for International Investment",
        "Internationalisation of Environmental Responsibilities",
        "Counterinsurgency Reconstruction Programme",
        "Telecommunications Infrastructure Development",
    ];
    let columns: Vec<Column> = (0..14)
        .map(|i| Column {
            header: format!("Column {i}"),
            width_weight: 1,
            align: if i < 4 { Align::Left } else { Align::Right },
        })
        .collect();
    let rows = (0..12)
        .map(|r| {
            (0..14)
                .map(|c| match c {
                    0..4 => names[(r + c) % names.len()].to_owned(),
                    _ => format!("{},{:03}", 10 + r * c, r * 7),
                })
                .collect()
        })
        .collect();
    doc.appendices = vec![Table {
        title: "Narrow columns".into(),
        columns,
        rows,
        total_row: None,
        unit: None,
        notes: vec!["Morgenthau Foundation for International Investment".into()],
    }];
    doc
}

#[test]
#[cfg_attr(
    not(aidledger_pdftotext),
    ignore = "needs poppler-utils (pdftotext, pdffonts)"
)]
fn no_word_is_broken_without_a_hyphen() {
    let doc = narrow_columns_document();
    let Some(pages) = pages_text(&render(&doc).expect("render")) else {
        return;
    };
    // Undo the hyphenated breaks; a word broken without a hyphen stays in two tokens.
    let joined = pages.concat().replace("-\n", "");
    let tokens: std::collections::BTreeSet<String> = joined
        .split_whitespace()
        .map(|t| {
            t.trim_matches(|c: char| !c.is_alphanumeric())
                .replace('-', "")
        })
        .collect();
    let mut words: Vec<&str> = Vec::new();
    for t in &doc.appendices {
        for row in &t.rows {
            words.extend(row.iter().flat_map(|c| c.split_whitespace()));
        }
    }
    for section in &doc.sections {
        for block in &section.blocks {
            if let Block::Paragraph(p) = block {
                words.extend(p.split_whitespace());
            }
        }
    }
    for word in words {
        let bare = word
            .trim_matches(|c: char| !c.is_alphanumeric())
            .replace('-', "");
        assert!(tokens.contains(&bare), "\"{word}\" is not whole in the PDF");
    }
    assert!(tokens.contains("Morgenthau"));
}

#[test]
#[cfg_attr(
    not(aidledger_pdftotext),
    ignore = "needs poppler-utils (pdftotext, pdffonts)"
)]
fn a_draft_is_marked_on_every_page_and_a_final_report_nowhere() {
    for (lang, mark) in [(Lang::Vi, "DỰ THẢO"), (Lang::En, "DRAFT")] {
        let mut doc = sample::document(lang);
        let Some(final_pages) = pages_text(&render(&doc).expect("final")) else {
            return;
        };
        assert!(final_pages.iter().all(|p| !p.contains(mark)), "{lang:?}");
        doc.draft = true;
        let draft = render(&doc).expect("draft");
        let pages = pages_text(&draft).expect("pdftotext");
        assert_eq!(pages.len(), final_pages.len());
        for (i, page) in pages.iter().enumerate() {
            assert!(page.contains(mark), "{lang:?} page {} has no mark", i + 1);
        }
        assert!(
            render(&doc).expect("again") == draft,
            "draft renders differ"
        );
    }
}

#[test]
#[cfg_attr(
    not(aidledger_pdftotext),
    ignore = "needs poppler-utils (pdftotext, pdffonts)"
)]
fn the_clerks_blank_number_and_the_audit_anchor_are_printed() {
    let mut doc = sample::document(Lang::Vi);
    doc.header.number = "      /BC-SNgV".into();
    doc.audit_anchor = Some("Audit #4182 · 3f9a1c2e9b0d".into());
    let pdf = render(&doc).expect("render");
    let Some(layout) = poppler("pdftotext", &["-layout", "-f", "1", "-l", "1"], &pdf) else {
        return;
    };
    let line = layout
        .lines()
        .find(|l| l.contains("/BC-SNgV"))
        .expect("number line");
    let gap = line
        .split("Số:")
        .nth(1)
        .and_then(|rest| rest.split("/BC-SNgV").next())
        .expect("Số: … /BC-SNgV");
    assert!(gap.len() >= 4 && gap.trim().is_empty(), "{line:?}");
    let pages = pages_text(&pdf).expect("pdftotext");
    assert!(
        pages
            .iter()
            .all(|p| p.contains("Audit #4182 · 3f9a1c2e9b0d"))
    );
    let attached = pages
        .iter()
        .find(|p| p.contains("Kèm theo"))
        .expect("caption");
    assert!(
        attached.contains("số …/BC-SNgV ngày 05 tháng 7 năm 2025"),
        "{attached}"
    );
}

const VIETNAMESE: &str =
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ";

/// Every string inside a JSON value.
fn json_strings(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::String(s) => out.push_str(s),
        serde_json::Value::Array(a) => a.iter().for_each(|v| json_strings(v, out)),
        serde_json::Value::Object(o) => o.values().for_each(|v| json_strings(v, out)),
        _ => {}
    }
}

#[test]
fn every_character_of_the_labels_sample_and_demo_data_has_a_glyph() {
    let fonts = Fonts::load().expect("fonts");
    let mut all = String::from(VIETNAMESE);
    all.push_str(&VIETNAMESE.to_uppercase());
    all.push_str("₫€$%–—…·«»“”‘’");
    for lang in [Lang::Vi, Lang::En] {
        all.push_str(crate::reports::labels::source(lang));
        let json = serde_json::to_value(sample::document(lang)).expect("json");
        json_strings(&json, &mut all);
    }
    // The demo province's names, titles and places live in these sources.
    all.push_str(include_str!("../../demo/reference.rs"));
    all.push_str(include_str!("../../demo/titles.rs"));
    all.push_str(include_str!("../../demo/ledger.rs"));
    let all = text::clean(&all);
    let mut missing = std::collections::BTreeSet::new();
    for face in Face::ALL {
        for c in all.chars().filter(|c| !c.is_control()) {
            if fonts
                .parsed(face)
                .lookup_glyph_index(u32::from(c))
                .is_none()
            {
                missing.insert((face.name(), c));
            }
        }
    }
    assert!(missing.is_empty(), "no glyph for {missing:?}");
}
