//! Column widths of a ruled table: the columns' weights over the text width, bounded below by
//! the longest word of each column so that words are not split.

use super::page::Flow;
use super::text::Style;
use crate::reports::model::{Align, Table};

/// Widths from the columns' weights over the text width, except that no column is narrower
/// than the longest word of its header, nor than its longest word in the body, so that words
/// are not split. Amount and code columns (right-aligned, centred) always keep that minimum;
/// when text columns cannot all have theirs, they give way (their longest words then break
/// with a hyphen, see [`super::text::wrap`]).
pub(crate) fn column_widths(flow: &Flow<'_>, t: &Table, size: f32, pad_x: f32) -> Vec<f32> {
    let total = flow.geom.content_width();
    // A word of a text column may break after its own "-" or "/" without an added hyphen, so
    // only the longest such piece counts there.
    let longest_piece = |style: Style, text: &str| {
        text.split_whitespace()
            .flat_map(|w| w.split_inclusive(['-', '/']))
            .map(|w| flow.fonts.width(style, w))
            .fold(0.0_f32, f32::max)
    };
    let longest_word = |style: Style, text: &str| {
        text.split_whitespace()
            .map(|w| flow.fonts.width(style, w))
            .fold(0.0_f32, f32::max)
    };
    let body_longest = |i: usize| {
        let text = t.columns.get(i).is_some_and(|c| c.align == Align::Left);
        let measure = |style: Style, cell: &String| {
            if text {
                longest_piece(style, cell)
            } else {
                longest_word(style, cell)
            }
        };
        t.rows
            .iter()
            .filter_map(|r| r.get(i))
            .map(|cell| measure(Style::regular(size), cell))
            .chain(
                t.total_row
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|cell| measure(Style::bold(size), cell)),
            )
            .fold(0.0_f32, f32::max)
    };
    let pad = 2.0 * pad_x + 0.5;
    let header_mins: Vec<f32> = t
        .columns
        .iter()
        .map(|c| longest_piece(Style::bold(size), &c.header) + pad)
        .collect();
    let word_mins: Vec<f32> = (0..t.columns.len())
        .map(|i| {
            header_mins
                .get(i)
                .copied()
                .unwrap_or(0.0)
                .max(body_longest(i) + pad)
        })
        .collect();
    let weights: Vec<f32> = t
        .columns
        .iter()
        .map(|c| f32::from(c.width_weight.max(1)))
        .collect();
    if word_mins.iter().sum::<f32>() <= total {
        return share(total, &weights, &word_mins);
    }
    // Text columns give way, each by the same share of its excess over its header's longest
    // word, just enough for the table to fit.
    let is_text: Vec<bool> = t.columns.iter().map(|c| c.align == Align::Left).collect();
    let fixed: f32 = word_mins
        .iter()
        .zip(&is_text)
        .filter(|(_, text)| !**text)
        .map(|(m, _)| m)
        .sum();
    let (text_words, text_headers) = word_mins
        .iter()
        .zip(&header_mins)
        .zip(&is_text)
        .filter(|(_, text)| **text)
        .fold((0.0_f32, 0.0_f32), |(w, h), ((word, header), _)| {
            (w + word, h + header.min(*word))
        });
    let excess = text_words - text_headers;
    let keep = if excess > 0.0 {
        ((total - fixed - text_headers) / excess).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mins: Vec<f32> = word_mins
        .iter()
        .zip(&header_mins)
        .zip(&is_text)
        .map(|((word, header), text)| {
            if *text {
                let floor = header.min(*word);
                floor + (word - floor) * keep
            } else {
                *word
            }
        })
        .collect();
    let min_sum: f32 = mins.iter().sum();
    if min_sum >= total {
        return mins.iter().map(|m| m * total / min_sum).collect();
    }
    share(total, &weights, &mins)
}

/// `total` shared by `weights`, no column below its minimum: the columns that would be too
/// narrow are pinned at their minimum and the rest shared again, until none falls below.
fn share(total: f32, weights: &[f32], mins: &[f32]) -> Vec<f32> {
    let mut pinned = vec![false; mins.len()];
    loop {
        let pinned_width: f32 = mins
            .iter()
            .zip(&pinned)
            .filter(|(_, p)| **p)
            .map(|(m, _)| m)
            .sum();
        let free_weight: f32 = weights
            .iter()
            .zip(&pinned)
            .filter(|(_, p)| !**p)
            .map(|(w, _)| w)
            .sum();
        let widths: Vec<f32> = weights
            .iter()
            .zip(mins)
            .zip(&pinned)
            .map(|((w, m), p)| {
                if *p || free_weight <= 0.0 {
                    *m
                } else {
                    (total - pinned_width) * w / free_weight
                }
            })
            .collect();
        let mut changed = false;
        for ((w, m), p) in widths.iter().zip(mins).zip(pinned.iter_mut()) {
            if !*p && *w < *m {
                *p = true;
                changed = true;
            }
        }
        if !changed {
            return widths;
        }
    }
}
