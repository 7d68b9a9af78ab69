//! Tests of the renderer on the sample report: it renders in both languages, the bytes are
//! reproducible, decomposed input gives the very same file, tables repeat their header on each
//! page, and malformed tables are refused. `write_samples` (ignored by default) writes the two
//! sample PDFs to the temporary directory for eyeballing:
//! `cargo test --lib reports::pdf::tests::write_samples -- --ignored`.

use unicode_normalization::UnicodeNormalization;

use super::page::{Item, Orientation};
use super::*;
use crate::domain::Lang;
use crate::reports::model::{Align, Column, Section};
use crate::reports::sample;

fn pages_of(doc: &ReportDocument) -> Vec<Page> {
    let doc = normalised(doc);
    let labels = Labels::load(doc.lang).expect("labels");
    let fonts = Fonts::load().expect("fonts");
    layout(&doc, &labels, &fonts).expect("layout")
}

fn page_text(page: &Page) -> Vec<&str> {
    page.items
        .iter()
        .filter_map(|i| match i {
            Item::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn renders_both_languages_as_pdf() {
    for lang in [Lang::Vi, Lang::En] {
        let bytes = render(&sample::document(lang)).expect("render");
        assert!(bytes.starts_with(b"%PDF-"), "{lang:?}");
        assert!(bytes.ends_with(b"%%EOF"));
        assert!(bytes.len() > 10_000);
    }
}

#[test]
fn two_renders_are_byte_identical() {
    let doc = sample::document(Lang::Vi);
    let a = render(&doc).expect("first");
    let b = render(&doc).expect("second");
    assert!(a == b, "renders differ");
}

#[test]
fn decomposed_input_renders_exactly_like_precomposed() {
    let doc = sample::document(Lang::Vi);
    let json = serde_json::to_string(&doc).expect("json");
    let nfd_json: String = json.nfd().collect();
    assert_ne!(
        json, nfd_json,
        "the sample has Vietnamese text to decompose"
    );
    let nfd: ReportDocument = serde_json::from_str(&nfd_json).expect("nfd json");
    assert_ne!(doc, nfd);
    assert!(render(&doc).expect("nfc") == render(&nfd).expect("nfd"));
}

#[test]
fn the_model_dumps_as_json_and_back() {
    let doc = sample::document(Lang::En);
    let json = serde_json::to_string_pretty(&doc).expect("json");
    let back: ReportDocument = serde_json::from_str(&json).expect("parse");
    assert_eq!(doc, back);
}

#[test]
fn appendices_are_landscape_and_repeat_the_table_header() {
    let doc = sample::document(Lang::Vi);
    let pages = pages_of(&doc);
    assert_eq!(
        pages.first().map(|p| p.orientation),
        Some(Orientation::Portrait)
    );
    // Appendix 1 (60 items) spans several landscape pages, each starting with the header row.
    // The numbered-columns row "(1) … (13)" belongs to the repeated head.
    let header_cell = "(13)";
    let with_header = pages
        .iter()
        .filter(|p| p.orientation == Orientation::Landscape)
        .filter(|p| page_text(p).contains(&header_cell))
        .count();
    assert!(with_header >= 3, "header on {with_header} pages");
    let continued = pages
        .iter()
        .filter(|p| page_text(p).contains(&"Phụ lục I (tiếp theo)"))
        .count();
    assert_eq!(continued, with_header - 1);
}

#[test]
fn nothing_is_drawn_outside_the_page_or_below_the_footer_line() {
    let pages = pages_of(&sample::document(Lang::Vi));
    for (n, page) in pages.iter().enumerate() {
        let geom = page::Geometry::of(page.orientation);
        for item in &page.items {
            if let Item::Text {
                x, baseline, text, ..
            } = item
            {
                assert!(*x >= geom.x0() - 0.5, "page {n}: {text} starts at {x}");
                assert!(
                    *baseline >= geom.y_bottom() - 0.5,
                    "page {n}: {text} too low"
                );
                assert!(*baseline <= geom.y_top(), "page {n}: {text} too high");
            }
        }
    }
}

#[test]
fn wrapped_cells_stay_inside_the_text_width() {
    let fonts = Fonts::load().expect("fonts");
    let pages = pages_of(&sample::document(Lang::En));
    for page in &pages {
        let geom = page::Geometry::of(page.orientation);
        for item in &page.items {
            if let Item::Text { x, style, text, .. } = item {
                let right = x + fonts.width(*style, text);
                assert!(
                    right <= geom.x1() + 0.5,
                    "{text} ends at {right} > {}",
                    geom.x1()
                );
            }
        }
    }
}

#[test]
fn pages_are_numbered_at_the_top_from_page_two() {
    let doc = sample::document(Lang::Vi);
    let mut pages = pages_of(&doc);
    let labels = Labels::load(Lang::Vi).expect("labels");
    let fonts = Fonts::load().expect("fonts");
    decorate_pages(&mut pages, &doc, &labels, &fonts);
    assert!(pages.len() >= 6, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        let geom = page::Geometry::of(page.orientation);
        let in_top_margin: Vec<&str> = page
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Text { baseline, text, .. } if *baseline > geom.y_top() => {
                    Some(text.as_str())
                }
                _ => None,
            })
            .collect();
        if i == 0 {
            assert!(in_top_margin.is_empty(), "page 1: {in_top_margin:?}");
        } else {
            assert_eq!(in_top_margin, vec![(i + 1).to_string()], "page {}", i + 1);
        }
        assert!(!page_text(page).iter().any(|t| t.contains("Trang")));
    }
}

#[test]
fn a_row_that_does_not_match_its_columns_is_refused() {
    let mut doc = sample::document(Lang::Vi);
    doc.appendices.truncate(1);
    if let Some(t) = doc.appendices.first_mut() {
        t.rows[3].pop();
    }
    match render(&doc) {
        Err(RenderError::RowWidth {
            row,
            expected,
            found,
            ..
        }) => {
            assert_eq!((row, expected, found), (4, 13, 12));
        }
        other => panic!("expected RowWidth, got {other:?}"),
    }
}

#[test]
fn a_minimal_document_and_odd_content_render() {
    let mut doc = sample::document(Lang::En);
    doc.sections.clear();
    doc.charts = vec![BarChart {
        title: "Empty and negative".into(),
        unit_label: "USD".into(),
        bars: vec![("zero".into(), 0), ("negative".into(), -5)],
    }];
    doc.signature = None;
    doc.recipients.clear();
    doc.rates_footnote.clear();
    doc.appendices = vec![Table {
        title: String::new(),
        columns: vec![Column {
            header: "A very long header that has to wrap".into(),
            width_weight: 0,
            align: Align::Right,
        }],
        rows: vec![vec!["x".repeat(5_000)]],
        unit: None,
        notes: Vec::new(),
        total_row: None,
    }];
    let bytes = render(&doc).expect("render");
    assert!(bytes.starts_with(b"%PDF-"));
}

#[test]
fn many_bars_continue_on_the_next_page() {
    let mut doc = sample::document(Lang::En);
    doc.sections.clear();
    doc.charts = vec![BarChart {
        title: "Eighty donors".into(),
        unit_label: "USD".into(),
        bars: (0..80)
            .map(|i| (format!("Donor number {i}"), i * 1_000))
            .collect(),
    }];
    doc.appendices.clear();
    let pages = pages_of(&doc);
    let continued = pages
        .iter()
        .filter(|p| page_text(p).iter().any(|t| t.ends_with("(continued)")))
        .count();
    assert!(continued >= 1);
}

/// Writes the Vietnamese and English sample reports to the temporary directory.
#[test]
#[ignore = "writes files for eyeballing"]
fn write_samples() {
    for (lang, name) in [
        (Lang::Vi, "aidledger-sample-vi.pdf"),
        (Lang::En, "aidledger-sample-en.pdf"),
    ] {
        let bytes = render(&sample::document(lang)).expect("render");
        let path = std::env::temp_dir().join(name);
        std::fs::write(&path, &bytes).expect("write");
        println!("{} ({} bytes)", path.display(), bytes.len());
    }
}

#[test]
fn list_items_move_whole_and_headings_stay_with_what_follows() {
    let item = "Tổ chức Morgenthau Foundation for International Investment đã hoàn thành việc \
                bàn giao trang thiết bị y tế cho các trạm y tế xã trên địa bàn thành phố";
    for filler in 0..12 {
        let mut doc = sample::document(Lang::Vi);
        doc.appendices.clear();
        doc.charts.clear();
        let mut sections = vec![Section {
            heading: "A. DANH SÁCH".into(),
            blocks: vec![
                Block::Paragraph("Mở đầu. ".repeat(filler * 9)),
                Block::Bullets((0..30).map(|i| format!("{i}. {item}")).collect()),
            ],
        }];
        sections.append(&mut doc.sections);
        doc.sections = sections;
        let headings: Vec<String> = doc.sections.iter().map(|s| s.heading.clone()).collect();
        let pages = pages_of(&doc);
        assert!(pages.len() >= 3);
        for (n, page) in pages.iter().enumerate() {
            let texts = page_text(page);
            if n > 0 {
                let first = texts.first().copied().unwrap_or_default();
                assert!(
                    first.starts_with("- ") || !item.contains(first),
                    "filler {filler}: page {} starts inside a list item: {first}",
                    n + 1
                );
            }
            let last = texts.last().copied().unwrap_or_default();
            assert!(
                !headings.iter().any(|h| h.ends_with(last)),
                "filler {filler}: page {} ends with a heading: {last}",
                n + 1
            );
        }
    }
}

#[test]
fn every_cross_reference_entry_points_at_its_object() {
    let pdf = render(&sample::document(Lang::Vi)).expect("render");
    let tail = pdf.len().saturating_sub(40);
    let end = String::from_utf8_lossy(pdf.get(tail..).unwrap_or_default()).into_owned();
    let start: usize = end
        .split("startxref")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .expect("startxref");
    let table = String::from_utf8_lossy(pdf.get(start..).unwrap_or_default()).into_owned();
    let mut lines = table.lines();
    assert_eq!(lines.next(), Some("xref"));
    let size: usize = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("subsection");
    let mut in_use = 0;
    for (n, line) in lines.take(size).enumerate() {
        let line = line.trim_end();
        assert_eq!(line.len(), 18, "entry {n}: {line:?}");
        if line.ends_with(" n") {
            let at: usize = line.get(..10).and_then(|s| s.parse().ok()).expect("offset");
            let head = format!("{n} 0 obj");
            assert!(
                pdf.get(at..at + head.len()) == Some(head.as_bytes()),
                "entry {n} points at {at}"
            );
            in_use += 1;
        }
    }
    assert!(table.contains(&format!("/Size {size} ")));
    // The catalog, the page tree, the information, the resources, four faces of six objects,
    // and a page dictionary and a content stream for each page.
    let pages = pages_of(&sample::document(Lang::Vi)).len();
    assert_eq!(in_use, 4 + 24 + 2 * pages);
}
