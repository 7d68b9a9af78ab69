//! The dashboard's stage card and chart: how far the stage programme covering the period's
//! end has come against its target (the report's section II figure, the same computation),
//! and what it committed in each priority sector group and locality.

use super::charts::{self, Bar};
use super::home::{Card, Chart, ChartRow};
use super::t;
use crate::actions::dash_views::Dashboard;
use crate::domain::{Currency, Lang};
use crate::rollup::progress::in_currency;
use crate::web::pages::fmt;

/// The report's share (two decimals, never rounded onto 100 %) in the pages' notation.
pub(crate) fn share(num: i128, den: i128, lang: Lang) -> Option<String> {
    crate::rollup::measures::Ratio { num, den }
        .basis_points()
        .map(|bp| fmt::percent(rust_decimal::Decimal::from_i128_with_scale(bp, 2), lang))
}

/// The stage card, when a programme covers the period's end.
pub fn card(d: &Dashboard, lang: Lang) -> Option<Card> {
    let s = d.figures.stage.as_ref()?;
    let p = &s.programme;
    let cur = p.target_currency;
    let target = i128::from(p.target_minor);
    let got = s.achieved();
    let items = match p.target_items {
        Some(n) => format!(
            "{} {} / {n} ({})",
            s.items.len(),
            t(lang, "dash.stage.items"),
            share(s.items.len() as i128, i128::from(n), lang).unwrap_or_default()
        ),
        None => format!("{} {}", s.items.len(), t(lang, "dash.stage.items")),
    };
    Some(Card {
        id: "card-stage",
        label: t(lang, "dash.stage.title"),
        value: share(got, target, lang).unwrap_or_else(|| "-".into()),
        exact: format!(
            "{} / {} {}",
            fmt::money(got, cur, lang),
            fmt::money(target, cur, lang),
            t(lang, "dash.stage.target")
        ),
        usd: if cur == Currency::USD {
            fmt::money(s.committed.vnd, Currency::VND, lang)
        } else {
            fmt::money(s.committed.usd_cents, Currency::USD, lang)
        },
        vnd: s.committed.vnd,
        bp: crate::rollup::measures::Ratio {
            num: got,
            den: target,
        }
        .basis_points()
        .and_then(|b| i64::try_from(b).ok()),
        earlier: format!(
            "{} · {} {}",
            if lang == Lang::Vi {
                &p.name_vi
            } else {
                &p.name_en
            },
            t(lang, "dash.stage.through"),
            fmt::date(s.through, lang)
        ),
        change: items,
        change_class: "",
    })
}

/// Committed per priority, with its share of its own target in the name.
pub fn chart(d: &Dashboard, lang: Lang) -> Option<Chart> {
    let s = d.figures.stage.as_ref()?;
    if s.targets.is_empty() {
        return None;
    }
    let cur = s.programme.target_currency;
    let names: Vec<String> = d
        .stage_targets
        .iter()
        .zip(&s.targets)
        .map(|(n, t)| match t.target.target_minor {
            Some(m) => format!(
                "{} ({} {})",
                n.name,
                share(in_currency(t.committed, cur), m.into(), lang).unwrap_or_default(),
                t_of(lang)
            ),
            None => n.name.clone(),
        })
        .collect();
    let title = t(lang, "dash.chart.stage");
    let id = "chart-stage";
    let bars: Vec<Bar> = d
        .stage_targets
        .iter()
        .zip(&names)
        .map(|(r, name)| Bar {
            name: name.clone(),
            value: r.value.vnd,
            shown: fmt::headline_vnd(r.value.vnd, lang).short,
        })
        .collect();
    Some(Chart {
        id,
        title,
        svg: charts::horizontal(id, title, &bars),
        rows: d
            .stage_targets
            .iter()
            .zip(names)
            .map(|(r, name)| ChartRow {
                name,
                vnd: fmt::vnd(r.value.vnd, lang),
                usd: fmt::usd(r.value.usd_cents, lang),
            })
            .collect(),
    })
}

fn t_of(lang: Lang) -> &'static str {
    t(lang, "dash.stage.of_target")
}
