//! A figure month by month as a bar chart in SVG: one bar a month, its value above it, the
//! month below; drawn to scale with the largest month.

use dvor_core::report::tally::Month;
use leptos::prelude::*;

use crate::i18n::t;

const BAR: f64 = 36.0;
const GAP: f64 = 8.0;
const HEIGHT: f64 = 140.0;
const LABELS: f64 = 20.0;

/// The chart of `values`, month by month, named `title` for screen readers.
#[component]
pub fn MonthChart(values: Vec<(Month, u64)>, title: String) -> impl IntoView {
    let t = t();
    let max = values.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1) as f64;
    let width = values.len() as f64 * (BAR + GAP) + GAP;
    let bars = values
        .into_iter()
        .enumerate()
        .map(|(i, (month, value))| {
            let x = GAP + i as f64 * (BAR + GAP);
            let height = (value as f64 / max) * (HEIGHT - LABELS * 2.0);
            let y = HEIGHT - LABELS - height;
            view! {
                <g>
                    <rect class="bar" x=x y=y width=BAR height=height></rect>
                    <text class="bar-value" x=x + BAR / 2.0 y=y - 4.0>{(t.common.number)(value as i64)}</text>
                    <text class="bar-month" x=x + BAR / 2.0 y=HEIGHT - 4.0>
                        {format!("{} {}", (t.report.month_short)(month.month), month.year % 100)}
                    </text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="month-chart" role="img" aria-label=title viewBox=format!("0 0 {width} {HEIGHT}") width=width height=HEIGHT>
            {bars}
        </svg>
    }
}
