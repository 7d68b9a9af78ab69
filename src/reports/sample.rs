//! A realistic report of one province for the tests: six sections, a summary table and charts,
//! seven appendices (the first with 60 approved items, long NGO names and 13 columns, enough to
//! run over several landscape pages), in Vietnamese or English. Numbers are formatted here the
//! way the ledger code will format them; the renderer only draws the strings.

use chrono::NaiveDate;

use super::labels::{Labels, fill};
use super::model::{
    Align, BarChart, Block, Column, Header, ReportDocument, Section, Signature, Table,
};
use crate::domain::Lang;

const USD_VND: i64 = 25_450;

struct Ngo {
    vi: &'static str,
    en: &'static str,
    country_vi: &'static str,
    country_en: &'static str,
}

const NGOS: [Ngo; 13] = [
    Ngo {
        vi: "Tổ chức Tầm nhìn Thế giới (World Vision International) tại Việt Nam",
        en: "World Vision International in Viet Nam",
        country_vi: "Hoa Kỳ",
        country_en: "United States",
    },
    Ngo {
        vi: "Tổ chức Cứu trợ Trẻ em (Save the Children International)",
        en: "Save the Children International",
        country_vi: "Vương quốc Anh",
        country_en: "United Kingdom",
    },
    Ngo {
        vi: "Tổ chức Plan International",
        en: "Plan International",
        country_vi: "Vương quốc Anh",
        country_en: "United Kingdom",
    },
    Ngo {
        vi: "Tổ chức Đông Tây Hội ngộ (East Meets West Foundation)",
        en: "East Meets West Foundation",
        country_vi: "Hoa Kỳ",
        country_en: "United States",
    },
    Ngo {
        vi: "Tổ chức Good Neighbors International",
        en: "Good Neighbors International",
        country_vi: "Hàn Quốc",
        country_en: "Republic of Korea",
    },
    Ngo {
        vi: "Tổ chức CARE International tại Việt Nam",
        en: "CARE International in Viet Nam",
        country_vi: "Ô-xtrây-li-a",
        country_en: "Australia",
    },
    Ngo {
        vi: "Tổ chức Hỗ trợ Y tế Nhật Bản (Japan Heart)",
        en: "Japan Heart",
        country_vi: "Nhật Bản",
        country_en: "Japan",
    },
    Ngo {
        vi: "Tổ chức Caritas Thụy Sĩ",
        en: "Caritas Switzerland",
        country_vi: "Thụy Sĩ",
        country_en: "Switzerland",
    },
    Ngo {
        vi: "Tổ chức Kỹ thuật Rà phá Bom mìn Nhân đạo (Mines Advisory Group - MAG)",
        en: "Mines Advisory Group (MAG)",
        country_vi: "Vương quốc Anh",
        country_en: "United Kingdom",
    },
    Ngo {
        vi: "Tổ chức PeaceTrees Vietnam",
        en: "PeaceTrees Vietnam",
        country_vi: "Hoa Kỳ",
        country_en: "United States",
    },
    Ngo {
        vi: "Tổ chức Hành động vì Người khuyết tật và Phát triển Cộng đồng Đức",
        en: "German Action for Persons with Disabilities and Community Development",
        country_vi: "CHLB Đức",
        country_en: "Germany",
    },
    Ngo {
        vi: "Quỹ Morgenthau vì Đầu tư Quốc tế (Morgenthau Foundation for International Investment)",
        en: "Morgenthau Foundation for International Investment",
        country_vi: "Hoa Kỳ",
        country_en: "United States",
    },
    Ngo {
        vi: "Quỹ Hỗ trợ Giáo dục và Phát triển Nông thôn Pháp - Việt",
        en: "French-Vietnamese Fund for Education and Rural Development",
        country_vi: "Cộng hòa Pháp",
        country_en: "France",
    },
];

const SECTORS: [(&str, &str); 8] = [
    ("Y tế", "Health"),
    ("Giáo dục - đào tạo", "Education and training"),
    ("Giải quyết các vấn đề xã hội", "Social issues"),
    ("Phát triển kinh tế - xã hội", "Socio-economic development"),
    ("Tài nguyên - môi trường", "Environment"),
    (
        "Cứu trợ khẩn cấp, phòng chống thiên tai",
        "Emergency relief, disaster preparedness",
    ),
    ("Khắc phục hậu quả chiến tranh", "War legacy"),
    ("Lĩnh vực khác", "Other"),
];

const LOCALITIES: [&str; 8] = [
    "Phường Thuận Hóa",
    "Phường Phú Xuân",
    "Xã A Lưới 1",
    "Xã Phong Điền",
    "Phường Hương Trà",
    "Xã Phú Vang",
    "Xã Quảng Điền",
    "Phường Thủy Xuân",
];

const PROJECTS: [(&str, &str); 6] = [
    (
        "Dự án nâng cao năng lực ứng phó biến đổi khí hậu dựa vào cộng đồng",
        "Community-based climate change resilience project",
    ),
    (
        "Chương trình nước sạch và vệ sinh môi trường trường học",
        "School water, sanitation and hygiene programme",
    ),
    (
        "Dự án hỗ trợ sinh kế cho hộ nghèo và người khuyết tật",
        "Livelihood support for poor households and persons with disabilities",
    ),
    (
        "Viện trợ phi dự án: trang thiết bị y tế cho trạm y tế",
        "Non-project aid: medical equipment for health stations",
    ),
    (
        "Dự án rà phá bom mìn, vật liệu nổ sau chiến tranh",
        "Clearance of unexploded ordnance",
    ),
    (
        "Cứu trợ khẩn cấp khắc phục hậu quả bão lũ",
        "Emergency relief after storms and floods",
    ),
];

fn group(value: i64, sep: char) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::new();
    if value < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(d);
    }
    out
}

struct Fmt {
    lang: Lang,
}

impl Fmt {
    fn int(&self, v: i64) -> String {
        group(v, if self.lang == Lang::Vi { '.' } else { ',' })
    }
    /// Percent with one decimal from a ratio in per-mille.
    fn permille(&self, v: i64) -> String {
        let dec = if self.lang == Lang::Vi { ',' } else { '.' };
        format!("{}{dec}{}", v / 10, v % 10)
    }
    fn date(&self, d: NaiveDate) -> String {
        d.format("%d/%m/%Y").to_string()
    }
}

/// A small deterministic generator, so the sample is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound.max(1)
    }
}

fn col(header: &str, width_weight: u16, align: Align) -> Column {
    Column {
        header: header.to_owned(),
        width_weight,
        align,
    }
}

struct Item {
    name: String,
    modality: &'static str,
    ngo: usize,
    sector: usize,
    locality: usize,
    usd: i64,
    disbursed: i64,
    original: String,
    decision: String,
    months: u64,
}

fn items(lang: Lang, f: &Fmt) -> Vec<Item> {
    let vi = lang == Lang::Vi;
    let mut rng = Lcg(20_250_705);
    let modalities_vi = ["Dự án", "Phi dự án", "Chương trình", "Cứu trợ khẩn cấp"];
    let modalities_en = ["Project", "Non-project", "Programme", "Emergency relief"];
    (0..60)
        .map(|i| {
            let p = usize::try_from(rng.next(PROJECTS.len() as u64)).unwrap_or(0);
            let ngo = usize::try_from(rng.next(NGOS.len() as u64)).unwrap_or(0);
            let sector = usize::try_from(rng.next(SECTORS.len() as u64)).unwrap_or(0);
            let locality = usize::try_from(rng.next(LOCALITIES.len() as u64)).unwrap_or(0);
            let m = usize::try_from(rng.next(4)).unwrap_or(0);
            // Heavy-tailed sizes: mostly tens of thousands, a few hundreds of thousands.
            let usd = i64::try_from(if i % 13 == 0 {
                400_000 + rng.next(1_600_000)
            } else {
                15_000 + rng.next(180_000)
            })
            .unwrap_or(0);
            let disbursed = usd * i64::try_from(20 + rng.next(75)).unwrap_or(50) / 100;
            let currency = rng.next(5);
            let original = match currency {
                0 => format!("{} EUR", f.int(usd * 92 / 100)),
                1 => format!("{} ₫", f.int(usd * USD_VND)),
                2 => format!("{} KRW", f.int(usd * 1_350)),
                _ => format!("{} USD", f.int(usd)),
            };
            let day = u32::try_from(1 + rng.next(27)).unwrap_or(1);
            let month = u32::try_from(1 + rng.next(6)).unwrap_or(1);
            let date = NaiveDate::from_ymd_opt(2025, month, day).unwrap_or_default();
            let decision = format!("{}/QĐ-UBND, {}", 1_000 + i * 17, f.date(date));
            let base = if vi { PROJECTS[p].0 } else { PROJECTS[p].1 };
            let name = if vi {
                format!("{base} tại {}", LOCALITIES[locality])
            } else {
                format!("{base} in {}", LOCALITIES[locality])
            };
            Item {
                name,
                modality: if vi {
                    modalities_vi[m]
                } else {
                    modalities_en[m]
                },
                ngo,
                sector,
                locality,
                usd,
                disbursed,
                original,
                decision,
                months: 6 + rng.next(42),
            }
        })
        .collect()
}

/// The sample report in `lang`.
pub(crate) fn document(lang: Lang) -> ReportDocument {
    let labels = Labels::load(lang).expect("labels");
    let vi = lang == Lang::Vi;
    let f = Fmt { lang };
    let items = items(lang, &f);
    let total_usd: i64 = items.iter().map(|i| i.usd).sum();
    let total_disbursed: i64 = items.iter().map(|i| i.disbursed).sum();
    let ngo_name = |i: usize| if vi { NGOS[i].vi } else { NGOS[i].en };
    let country = |i: usize| {
        if vi {
            NGOS[i].country_vi
        } else {
            NGOS[i].country_en
        }
    };
    let sector_name = |i: usize| if vi { SECTORS[i].0 } else { SECTORS[i].1 };
    let text = |v: &str, e: &str| if vi { v.to_owned() } else { e.to_owned() };

    // Appendix 1: approved items, 13 columns.
    let a = &labels.appendix;
    let c = &a.approved_items.columns;
    let weights = [4, 22, 9, 20, 12, 14, 11, 10, 8, 13, 11, 14, 13];
    let aligns = [
        Align::Center,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Center,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Left,
    ];
    let columns = c
        .iter()
        .zip(weights)
        .zip(aligns)
        .map(|((h, w), al)| col(h, w, al))
        .collect();
    let rows = items
        .iter()
        .enumerate()
        .map(|(n, it)| {
            vec![
                (n + 1).to_string(),
                it.name.clone(),
                it.modality.to_owned(),
                format!("{} ({})", ngo_name(it.ngo), country(it.ngo)),
                if it.ngo == 0 {
                    if vi {
                        "World Vision Úc; KOICA".to_owned()
                    } else {
                        "World Vision Australia; KOICA".to_owned()
                    }
                } else if vi {
                    "Vốn tự có của tổ chức".to_owned()
                } else {
                    "Own funds".to_owned()
                },
                if vi {
                    format!("UBND {}", LOCALITIES[it.locality])
                } else {
                    format!("People's Committee of {}", LOCALITIES[it.locality])
                },
                sector_name(it.sector).to_owned(),
                LOCALITIES[it.locality].to_owned(),
                if vi {
                    format!("{} tháng", it.months)
                } else {
                    format!("{} months", it.months)
                },
                it.original.clone(),
                f.int(it.usd),
                f.int(it.usd * USD_VND),
                it.decision.clone(),
            ]
        })
        .collect();
    let mut total_row = vec![String::new(); 13];
    total_row[1] = labels.common.total.clone();
    total_row[10] = f.int(total_usd);
    total_row[11] = f.int(total_usd * USD_VND);
    let approved = Table {
        title: a.approved_items.title.clone(),
        columns,
        rows,
        unit: None,
        notes: Vec::new(),
        total_row: Some(total_row),
    };

    // Appendix 3: by sector.
    let mut by_sector = vec![(0_i64, 0_i64, 0_usize); SECTORS.len()];
    for it in &items {
        by_sector[it.sector].0 += it.usd;
        by_sector[it.sector].1 += it.disbursed;
        by_sector[it.sector].2 += 1;
    }
    let sc = &a.by_sector.columns;
    let sector_table = Table {
        title: a.by_sector.title.clone(),
        columns: vec![
            col(&sc[0], 4, Align::Center),
            col(&sc[1], 26, Align::Left),
            col(&sc[2], 10, Align::Right),
            col(&sc[3], 14, Align::Right),
            col(&sc[4], 14, Align::Right),
            col(&sc[5], 14, Align::Right),
            col(&sc[6], 9, Align::Right),
        ],
        rows: by_sector
            .iter()
            .enumerate()
            .map(|(i, (usd, disb, n))| {
                vec![
                    (i + 1).to_string(),
                    sector_name(i).to_owned(),
                    n.to_string(),
                    f.int(*usd),
                    f.int(usd * USD_VND / 1_000_000),
                    f.int(*disb),
                    f.permille(usd * 1000 / total_usd.max(1)),
                ]
            })
            .collect(),
        unit: Some(text(
            "Đơn vị tính: USD; triệu đồng",
            "Unit: USD; VND million",
        )),
        notes: vec![text(
            "Giá trị bằng triệu đồng được làm tròn; tổng cộng là tổng của các giá trị chưa làm tròn.",
            "Amounts in VND million are rounded; the total is the sum of the unrounded amounts.",
        )],
        total_row: Some(vec![
            String::new(),
            labels.common.total.clone(),
            items.len().to_string(),
            f.int(total_usd),
            f.int(total_usd * USD_VND / 1_000_000),
            f.int(total_disbursed),
            f.permille(1000),
        ]),
    };

    // Appendix 6: NGOs.
    let nc = &a.ngos.columns;
    let ngo_table = Table {
        title: a.ngos.title.clone(),
        columns: vec![
            col(&nc[0], 4, Align::Center),
            col(&nc[1], 30, Align::Left),
            col(&nc[2], 10, Align::Left),
            col(&nc[3], 16, Align::Left),
            col(&nc[4], 10, Align::Center),
            col(&nc[5], 9, Align::Center),
            col(&nc[6], 22, Align::Left),
        ],
        rows: NGOS
            .iter()
            .enumerate()
            .map(|(i, _)| {
                vec![
                    (i + 1).to_string(),
                    ngo_name(i).to_owned(),
                    country(i).to_owned(),
                    if i % 3 == 0 {
                        if vi {
                            "Giấy đăng ký lập Văn phòng đại diện"
                        } else {
                            "Representative office"
                        }
                    } else if vi {
                        "Giấy đăng ký hoạt động"
                    } else {
                        "Operation registration"
                    }
                    .to_owned(),
                    format!("{}/CNV-TCPCP", 120 + i * 7),
                    format!("{:02}/{:02}/{}", 1 + i * 2, 1 + i % 12, 2026 + i % 3),
                    format!("{}; {}", sector_name(i % 8), sector_name((i + 3) % 8)),
                ]
            })
            .collect(),
        unit: None,
        notes: Vec::new(),
        total_row: None,
    };

    // Appendix 7: no milestones yet (prints "no data").
    let mc = &a.milestones.columns;
    let milestones = Table {
        title: a.milestones.title.clone(),
        columns: mc
            .iter()
            .zip([4, 30, 30, 12, 12, 12])
            .map(|(h, w)| col(h, w, Align::Left))
            .collect(),
        rows: Vec::new(),
        unit: None,
        notes: Vec::new(),
        total_row: None,
    };

    let sector_chart = BarChart {
        title: labels.charts.by_sector.clone(),
        unit_label: labels.charts.unit_million_vnd.clone(),
        bars: by_sector
            .iter()
            .enumerate()
            .map(|(i, (usd, _, _))| (sector_name(i).to_owned(), usd * USD_VND / 1_000_000))
            .collect(),
    };
    let mut by_locality = vec![0_i64; LOCALITIES.len()];
    for it in &items {
        by_locality[it.locality] += it.usd;
    }
    let locality_chart = BarChart {
        title: labels.charts.by_locality.clone(),
        unit_label: labels.charts.unit_usd.clone(),
        bars: LOCALITIES
            .iter()
            .map(|l| (*l).to_owned())
            .zip(by_locality)
            .collect(),
    };
    let comparison = BarChart {
        title: labels.charts.comparison.clone(),
        unit_label: labels.charts.unit_thousand_usd.clone(),
        bars: vec![
            (
                if vi {
                    "6 tháng đầu năm 2024"
                } else {
                    "First half of 2024"
                }
                .to_owned(),
                total_usd / 1000 * 82 / 100,
            ),
            (
                if vi {
                    "6 tháng đầu năm 2025"
                } else {
                    "First half of 2025"
                }
                .to_owned(),
                total_usd / 1000,
            ),
        ],
    };

    let summary = Table {
        title: if vi {
            "Bảng 1. Các khoản viện trợ được phê duyệt theo loại hình".to_owned()
        } else {
            "Table 1. Aid items approved, by modality".to_owned()
        },
        columns: vec![
            col(&labels.common.number_column, 6, Align::Center),
            col(if vi { "Loại hình" } else { "Modality" }, 30, Align::Left),
            col(if vi { "Số khoản" } else { "Items" }, 10, Align::Right),
            col(
                if vi {
                    "Giá trị cam kết (USD)"
                } else {
                    "Committed (USD)"
                },
                18,
                Align::Right,
            ),
            col(
                if vi {
                    "Giá trị cam kết (triệu đồng)"
                } else {
                    "Committed (VND million)"
                },
                18,
                Align::Right,
            ),
        ],
        rows: ["Dự án", "Phi dự án", "Chương trình", "Cứu trợ khẩn cấp"]
            .iter()
            .zip(["Project", "Non-project", "Programme", "Emergency relief"])
            .map(|(v, e)| {
                let name = if vi { *v } else { e };
                let (n, usd) = items
                    .iter()
                    .filter(|i| i.modality == name)
                    .fold((0, 0_i64), |(n, s), i| (n + 1, s + i.usd));
                vec![
                    String::new(),
                    name.to_owned(),
                    n.to_string(),
                    f.int(usd),
                    f.int(usd * USD_VND / 1_000_000),
                ]
            })
            .enumerate()
            .map(|(i, mut r)| {
                r[0] = (i + 1).to_string();
                r
            })
            .collect(),
        unit: Some(text(
            "Đơn vị tính: USD; triệu đồng",
            "Unit: USD; VND million",
        )),
        notes: vec![text(
            "Giá trị bằng triệu đồng được làm tròn; tổng cộng là tổng của các giá trị chưa làm tròn.",
            "Amounts in VND million are rounded; the total is the sum of the unrounded amounts.",
        )],
        total_row: Some(vec![
            String::new(),
            labels.common.total.clone(),
            items.len().to_string(),
            f.int(total_usd),
            f.int(total_usd * USD_VND / 1_000_000),
        ]),
    };

    let s = &labels.sections;
    let sections = vec![
        Section {
            heading: s.overview.clone(),
            blocks: vec![
                Block::Paragraph(text(
                    "Tính đến ngày 14/6/2025, trên địa bàn có 48 tổ chức phi chính phủ nước ngoài (PCPNN) có giấy đăng ký còn hiệu lực, trong đó 12 tổ chức có Giấy đăng ký lập Văn phòng đại diện và 36 tổ chức có Giấy đăng ký hoạt động; 5 tổ chức lần đầu đến vận động viện trợ. Trong kỳ, 31 tổ chức có hoạt động viện trợ thực tế tại các xã, phường.",
                    "As of 14 June 2025, 48 foreign non-governmental organisations (NGOs) held a valid certificate in the province: 12 with a representative office and 36 with an operation registration; 5 came for the first time. In the period, 31 of them delivered aid in the communes and wards.",
                )),
                Block::Bullets(vec![
                    text(
                        "Số tổ chức có giấy đăng ký còn hiệu lực: 48 tổ chức;",
                        "NGOs with a valid certificate: 48;",
                    ),
                    text(
                        "Số tổ chức mới: 5 tổ chức (tăng 2 tổ chức so với cùng kỳ năm 2024);",
                        "New NGOs: 5 (2 more than in the same period of 2024);",
                    ),
                    text(
                        "Số tổ chức có giấy đăng ký sắp hết hạn trong 6 tháng tới: 4 tổ chức, đã đề nghị các tổ chức làm thủ tục gia hạn theo Nghị định số 58/2022/NĐ-CP.",
                        "NGOs whose certificate expires within 6 months: 4, reminded to renew under Decree 58/2022/ND-CP.",
                    ),
                ]),
            ],
        },
        Section {
            heading: s.results.clone(),
            blocks: vec![
                Block::Paragraph(if vi {
                    format!(
                        "Trong 6 tháng đầu năm 2025, Ủy ban nhân dân thành phố đã phê duyệt {} khoản viện trợ với tổng giá trị cam kết {} USD (tương đương {} triệu đồng), tăng 21,9% so với cùng kỳ năm 2024. Giá trị giải ngân trong kỳ đạt {} USD; tỷ lệ giải ngân so với giá trị cam kết đạt {}%.",
                        items.len(),
                        f.int(total_usd),
                        f.int(total_usd * USD_VND / 1_000_000),
                        f.int(total_disbursed),
                        f.permille(total_disbursed * 1000 / total_usd.max(1)),
                    )
                } else {
                    format!(
                        "In the first six months of 2025 the People's Committee approved {} aid items with a committed value of USD {} (VND {} million), 21.9% more than in the same period of 2024. Disbursements in the period reached USD {}, a disbursement rate of {}%.",
                        items.len(),
                        f.int(total_usd),
                        f.int(total_usd * USD_VND / 1_000_000),
                        f.int(total_disbursed),
                        f.permille(total_disbursed * 1000 / total_usd.max(1)),
                    )
                }),
                Block::Table(summary),
                Block::Paragraph(text(
                    "Lĩnh vực giải quyết các vấn đề xã hội và phát triển kinh tế - xã hội tiếp tục chiếm tỷ trọng lớn nhất; các khoản viện trợ tập trung vào các xã miền núi, vùng đồng bào dân tộc thiểu số và vùng thường xuyên chịu ảnh hưởng của thiên tai.",
                    "Social issues and socio-economic development remain the largest sectors; aid concentrates on mountain communes, ethnic minority areas and areas often hit by natural disasters.",
                )),
                Block::Chart(sector_chart),
            ],
        },
        Section {
            heading: s.management.clone(),
            blocks: vec![Block::Bullets(vec![
                text(
                    "Thẩm định và trình phê duyệt 60 khoản viện trợ, điều chỉnh 4 khoản, thu hồi 1 quyết định phê duyệt do khoản viện trợ chưa được triển khai sau 6 tháng kể từ ngày phê duyệt;",
                    "Appraised and submitted 60 items for approval, amended 4, revoked 1 approval because implementation had not started 6 months after approval;",
                ),
                text(
                    "Theo dõi 142 mốc tiến độ: 118 mốc đã hoàn thành, 17 mốc đang thực hiện, 7 mốc chậm tiến độ;",
                    "Tracked 142 milestones: 118 done, 17 under way, 7 overdue;",
                ),
                text(
                    "03 chủ khoản viện trợ chưa gửi báo cáo định kỳ đúng hạn; Sở đã có văn bản đôn đốc.",
                    "3 aid owners reported late; the Department sent reminders.",
                ),
            ])],
        },
        Section {
            heading: s.assessment.clone(),
            blocks: vec![Block::Paragraph(text(
                "Công tác vận động, quản lý viện trợ PCPNN được triển khai đồng bộ, đúng quy định của Nghị định số 80/2020/NĐ-CP; tiến độ thẩm định được rút ngắn. Tuy nhiên, một số chủ khoản viện trợ cấp xã còn lúng túng sau khi sắp xếp đơn vị hành chính, báo cáo định kỳ chưa đầy đủ.\nNgười dân và chính quyền cơ sở đánh giá cao hiệu quả của các dự án nước sạch, y tế và rà phá bom mìn.",
                "Aid mobilisation and management followed Decree 80/2020/ND-CP; appraisal times were shortened. Some commune-level aid owners still struggle after the reorganisation of administrative units and their periodic reports are incomplete.\nResidents and local authorities value the water, health and demining projects highly.",
            ))],
        },
        Section {
            heading: s.next_tasks.clone(),
            blocks: vec![Block::Paragraph(text(
                "Tiếp tục vận động các tổ chức PCPNN có tiềm năng, ưu tiên các lĩnh vực y tế, giáo dục, ứng phó biến đổi khí hậu; hướng dẫn các xã, phường mới thực hiện đúng quy trình tiếp nhận, quản lý và báo cáo viện trợ.",
                "Keep mobilising promising NGOs, with priority for health, education and climate adaptation; guide the new communes and wards through the procedures for receiving, managing and reporting aid.",
            ))],
        },
        Section {
            heading: s.recommendations.clone(),
            blocks: vec![Block::Paragraph(text(
                "Đề nghị Ủy ban Công tác về các tổ chức phi chính phủ nước ngoài sớm ban hành hướng dẫn thực hiện Nghị định số 313/2025/NĐ-CP và cập nhật hệ thống báo cáo trực tuyến.",
                "We ask the Committee for Foreign NGO Affairs to issue guidance on Decree 313/2025/ND-CP soon and to update the online reporting system.",
            ))],
        },
    ];

    let year = "2025";
    ReportDocument {
        lang,
        header: Header {
            parent_agency: text("UBND thành phố Huế", "People's Committee of Hue City"),
            issuing_agency: text("Sở Ngoại vụ", "Department of Foreign Affairs"),
            number: text("123/BC-SNgV", "123/BC-SNgV"),
            place: text("Huế", "Hue"),
            issued_on: NaiveDate::from_ymd_opt(2025, 7, 5).unwrap_or_default(),
            title: labels.header.title.clone(),
            subtitle: fill(&labels.header.subtitle_half_year, &[("year", year)]),
        },
        sections,
        charts: vec![locality_chart, comparison],
        signature: Some(Signature {
            authority: vec![
                text("KT. GIÁM ĐỐC", "p.p. DIRECTOR"),
                text("PHÓ GIÁM ĐỐC", "DEPUTY DIRECTOR"),
            ],
            name: text("Nguyễn Thị Hồng Nhung", "Nguyen Thi Hong Nhung"),
        }),
        recipients: vec![
            text(
                "Ủy ban Công tác về các tổ chức PCPNN",
                "Committee for Foreign NGO Affairs",
            ),
            text("Bộ Ngoại giao", "Ministry of Foreign Affairs"),
            text(
                "UBND thành phố (báo cáo)",
                "City People's Committee (for reporting)",
            ),
            text("Lưu: VT, QLNN", "Archive: Office, NGO Management"),
        ],
        appendices: vec![
            approved,
            disbursement(&labels, &items, &f, vi),
            sector_table,
            ngo_table,
            milestones,
        ],
        rates_footnote: if vi {
            vec![
                "1 USD = 25.450 đồng (Ngân hàng Nhà nước Việt Nam, tỷ giá trung tâm ngày 13/6/2025)".to_owned(),
                "1 EUR = 1,0870 USD (Ngân hàng Nhà nước Việt Nam, ngày 13/6/2025)".to_owned(),
                "1 USD = 1.350 KRW (Ngân hàng Nhà nước Việt Nam, ngày 13/6/2025)".to_owned(),
            ]
        } else {
            vec![
                "USD 1 = VND 25,450 (State Bank of Viet Nam, central rate of 13 June 2025)"
                    .to_owned(),
                "EUR 1 = USD 1.0870 (State Bank of Viet Nam, 13 June 2025)".to_owned(),
                "USD 1 = KRW 1,350 (State Bank of Viet Nam, 13 June 2025)".to_owned(),
            ]
        },
        draft: false,
        audit_anchor: None,
    }
}

fn disbursement(labels: &Labels, items: &[Item], f: &Fmt, vi: bool) -> Table {
    let d = &labels.appendix.disbursement;
    let weights = [4, 34, 24, 11, 11, 11, 8, 10];
    let aligns = [
        Align::Center,
        Align::Left,
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Left,
    ];
    Table {
        title: d.title.clone(),
        columns: d
            .columns
            .iter()
            .zip(weights)
            .zip(aligns)
            .map(|((h, w), a)| col(h, w, a))
            .collect(),
        rows: items
            .iter()
            .take(25)
            .enumerate()
            .map(|(n, it)| {
                vec![
                    (n + 1).to_string(),
                    it.name.clone(),
                    if vi { NGOS[it.ngo].vi } else { NGOS[it.ngo].en }.to_owned(),
                    f.int(it.usd),
                    f.int(it.disbursed / 2),
                    f.int(it.disbursed),
                    f.permille(it.disbursed * 1000 / it.usd.max(1)),
                    if vi {
                        "Đang thực hiện"
                    } else {
                        "Implementing"
                    }
                    .to_owned(),
                ]
            })
            .collect(),
        unit: None,
        notes: Vec::new(),
        total_row: None,
    }
}
