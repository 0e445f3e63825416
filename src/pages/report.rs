//! `/report`: the figures of the city's annual report for a year and the person's scope, or a
//! district, committee or centre within it — section by section, with the breakdown of a chosen
//! figure by district and by committee and centre, and its trend month by month. Counted by the
//! server's SQL; when the server cannot be reached, counted on the device from its records,
//! which the screen says with the time of the last sync. Printable; coordinators and admins
//! export the same period and place as files below.

use dvor_core::access::{Action, DistrictId, Owner, scopes_for};
use dvor_core::date::Date;
use dvor_core::filter::ActivityFilter;
use dvor_core::reference::owners;
use dvor_core::report::ReportAnswer;
use dvor_core::report::figures::{FIGURES, FigureSpec, Section};
use dvor_core::report::tally::{Month, loan_tally, tally};
use dvor_core::report::totals::Totals;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::account::Account;
use crate::api::Api;
use crate::clock::{describe_time, today};
use crate::components::export_panel::ExportPanel;
use crate::components::form_field::SelectField;
use crate::components::month_chart::MonthChart;
use crate::i18n::t;
use crate::inventory::Inventory;
use crate::records::{Records, read_rest_when};
use crate::sync::SyncStatus;

/// Where the figures on screen were counted.
#[derive(Clone, Debug, PartialEq)]
enum Counted {
    /// Nothing yet.
    Waiting,
    /// By the server.
    Server(ReportAnswer),
    /// On the device, the server being out of reach.
    Device,
}

/// The report screen.
#[component]
pub fn ReportPage() -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let records = expect_context::<Records>();
    let status = expect_context::<SyncStatus>();
    let api = expect_context::<Api>();
    // The desks' loans, for the figures counted on the device: read only while it counts them.
    let inventory = expect_context::<Inventory>();
    let this_year = today().year();
    let year = RwSignal::new(this_year.to_string());
    let district = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let figure = RwSignal::new("beautification_actions".to_owned());
    let counted = RwSignal::new(Counted::Waiting);
    let period = Memo::new(move |_| {
        let year = year.with(|y| y.parse().unwrap_or(this_year));
        (
            Date::from_ymd(year, 1, 1).unwrap_or(Date::MIN),
            Date::from_ymd(year, 12, 31).unwrap_or(Date::MAX),
        )
    });
    let narrowed = Memo::new(move |_| {
        (
            district.with(|d| d.parse().ok().map(DistrictId)),
            owner.with(|o| Owner::from_key(o)),
        )
    });
    // The device's count needs every activity it holds, and its loans. The loans' reader is
    // made within this effect, so it goes when the server answers again.
    read_rest_when(move || counted.with(|c| *c == Counted::Device));
    Effect::new(move || {
        if counted.with(|c| *c == Counted::Device) {
            inventory.follow();
        }
    });
    let query = Memo::new(move |_| {
        let (from, to) = period.get();
        let (district, owner) = narrowed.get();
        let mut query = format!("from={from}&to={to}");
        if let Some(district) = district {
            query += &format!("&district={}", district.0);
        }
        if let Some(owner) = owner {
            query += &format!("&owner={}", owner.key());
        }
        query
    });
    Effect::new(move || {
        let asked = query.get();
        let token = account.token();
        let api = api.clone();
        counted.set(Counted::Waiting);
        spawn_local(async move {
            let answer = match token {
                Some(token) => api.report(&token, &asked).await.ok(),
                None => None,
            };
            // The person may have chosen another year or place meanwhile, and that answer may
            // have come first: a late one must not show its figures under the new choice.
            if query.get_untracked() != asked {
                return;
            }
            counted.set(match answer {
                Some(answer) => Counted::Server(answer),
                None => Counted::Device,
            });
        });
    });
    let rows = Memo::new(move |_| match counted.get() {
        Counted::Waiting => None,
        Counted::Server(answer) => Some((answer.rows, answer.loans)),
        Counted::Device => {
            let (from, to) = period.get();
            let (district, owner) = narrowed.get();
            let places: std::collections::HashMap<Owner, DistrictId> =
                account.reference.with(|d| {
                    owners(d)
                        .into_iter()
                        .map(|e| (e.owner, e.place.district))
                        .collect()
                });
            let wanted = |place: Owner, d: DistrictId| {
                district.is_none_or(|x| x == d) && owner.is_none_or(|o| o == place)
            };
            let activities = records.list.with(|list| {
                tally(
                    list.iter()
                        .filter_map(|l| Some((&l.record, *places.get(&l.record.owner)?)))
                        .filter(|(a, d)| wanted(a.owner, *d)),
                    from,
                    to,
                )
            });
            let loans = loan_tally(
                inventory
                    .loans()
                    .into_iter()
                    .filter_map(|l| Some((l.id, l.place, *places.get(&l.place)?)))
                    .filter(|(_, place, d)| wanted(*place, *d)),
                from,
                to,
            );
            Some((activities, loans))
        }
    });
    let totals =
        Memo::new(move |_| rows.with(|r| r.as_ref().map(|(rows, loans)| Totals::of(rows, loans))));
    let years = Signal::stored(
        (2020..=this_year)
            .rev()
            .map(|y| (y.to_string(), y.to_string()))
            .collect::<Vec<_>>(),
    );
    let districts = Signal::derive(move || account.district_choices());
    let owner_choices =
        Signal::derive(move || account.owner_choices_in(narrowed.with(|(d, _)| *d)));
    let figures = Signal::stored(
        FIGURES
            .iter()
            .map(|f| (f.key.to_owned(), (t.common.report_figure)(f.key).to_owned()))
            .collect::<Vec<_>>(),
    );
    let from_device = move || {
        counted.with(|c| *c == Counted::Device).then(|| {
            let text = match status.last_synced_ms.get() {
                Some(ms) => (t.report.report_from_device)(&describe_time(ms)),
                None => t.report.report_from_device_never.to_owned(),
            };
            view! { <p class="notice" role="status" data-testid="report-source">{text}</p> }
        })
    };
    // What the figures are of, also on paper: the year, and the place if one is chosen.
    let scope_line = move || {
        let mut parts = vec![(t.report.report_year_of)(
            year.get().parse().unwrap_or(this_year),
        )];
        if let Some(id) = narrowed.get().0 {
            parts.extend(
                account
                    .reference
                    .with(|d| d.iter().find(|x| x.id == id).map(|x| x.name.clone())),
            );
        }
        if let Some(owner) = narrowed.get().1 {
            parts.push(account.owner_name(owner));
        }
        parts.join(" · ")
    };
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! {
        <section class="page report-page">
            <div class="card-head">
                <h1>{t.report.report_title}</h1>
                <button type="button" class="button no-print" on:click=print>{t.report.report_print}</button>
            </div>
            <div class="filters report-controls no-print">
                <div class="filter-grid">
                    <SelectField id="report-year" label=t.report.report_year value=year options=years />
                    <SelectField id="report-district" label=t.common.field_district value=district options=districts none=t.common.map_any />
                    <SelectField id="report-owner" label=t.common.field_committee value=owner options=owner_choices none=t.common.map_any />
                </div>
            </div>
            <p class="report-scope" data-testid="report-scope">{scope_line}</p>
            // Above the figures, folded: on a phone the figures come first to the eye.
            <Show when=move || scopes_for(&account.grants(), Action::Export).next().is_some()>
                <ExportPanel period query />
            </Show>
            {from_device}
            {move || match totals.get() {
                None => view! { <p class="hint">{t.report.report_counting}</p> }.into_any(),
                Some(totals) => view! { <ReportBody totals figure figures period=period.get() place=narrowed.get() /> }.into_any(),
            }}
        </section>
    }
}

/// The sections, the breakdowns and the trend.
#[component]
fn ReportBody(
    totals: Totals,
    figure: RwSignal<String>,
    figures: Signal<Vec<(String, String)>>,
    /// The first and last day of the report.
    period: (Date, Date),
    /// The district and the committee or centre it is narrowed to.
    place: (Option<DistrictId>, Option<Owner>),
) -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    // Each figure links to the list of the activities it counts.
    let records_of = move |figure: &'static FigureSpec| {
        let terms = ActivityFilter {
            figure: Some(figure),
            district: place.0,
            owner: place.1,
            from: Some(period.0),
            to: Some(period.1),
            ..ActivityFilter::default()
        };
        let query: Vec<String> = terms
            .to_query()
            .into_iter()
            .map(|(key, value)| format!("{key}={}", js_sys::encode_uri_component(&value)))
            .collect();
        format!("/?{}", query.join("&"))
    };
    let sections = Section::ALL
        .iter()
        .map(|section| {
            let lines = FIGURES
                .iter()
                .filter(|f| f.section == *section)
                .map(|f| {
                    let value = totals.all.get(f.key).copied().unwrap_or(0);
                    view! {
                        <tr data-figure=f.key>
                            <th scope="row">{(t.common.report_figure)(f.key)}</th>
                            <td class="number">
                                // A zero leads to no records: it is a number, not a link.
                                {if f.counts_activities() && value > 0 {
                                    view! { <a href=records_of(f)>{(t.common.number)(value as i64)}</a> }.into_any()
                                } else {
                                    (t.common.number)(value as i64).into_any()
                                }}
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <section class="report-section">
                    <h2>{(t.common.report_section)(*section)}</h2>
                    <table class="figures"><tbody>{lines}</tbody></table>
                </section>
            }
        })
        .collect_view();
    let by_district = totals.by_district.clone();
    let by_owner = totals.by_owner.clone();
    let by_month = totals.by_month.clone();
    let district_lines = move || {
        let key = figure.get();
        let mut lines: Vec<(String, u64)> = by_district
            .iter()
            .map(|(id, f)| {
                let name = account
                    .reference
                    .with(|d| d.iter().find(|x| x.id == *id).map(|x| x.name.clone()));
                (
                    name.unwrap_or_else(|| id.0.to_string()),
                    f.get(key.as_str()).copied().unwrap_or(0),
                )
            })
            .filter(|(_, v)| *v > 0)
            .collect();
        lines.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        breakdown((t.common.report_figure)(&key), lines)
    };
    let owner_lines = move || {
        let key = figure.get();
        let mut lines: Vec<(String, u64)> = by_owner
            .iter()
            .map(|(owner, f)| {
                (
                    account.owner_name(*owner),
                    f.get(key.as_str()).copied().unwrap_or(0),
                )
            })
            .filter(|(_, v)| *v > 0)
            .collect();
        lines.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        breakdown((t.common.report_figure)(&key), lines)
    };
    // Every month of the period, those without work too.
    let months = {
        let mut months = Vec::new();
        let mut month = Month::of(period.0);
        while month.first_day() <= period.1 {
            months.push(month);
            month = month.next();
        }
        months
    };
    let chart = move || {
        let key = figure.get();
        let values: Vec<(Month, u64)> = months
            .iter()
            .map(|month| {
                let value = by_month
                    .get(month)
                    .and_then(|f| f.get(key.as_str()).copied());
                (*month, value.unwrap_or(0))
            })
            .collect();
        view! { <MonthChart values title=(t.common.report_figure)(&key).to_owned() /> }
    };
    view! {
        {sections}
        <section class="report-section">
            <div class="no-print">
                <SelectField id="report-figure" label=t.common.report_figure_choice value=figure options=figures />
            </div>
            <h2>{t.report.report_by_district}</h2>
            {district_lines}
            <h2>{t.report.report_by_owner}</h2>
            {owner_lines}
            <h2 id="by-month">{t.report.report_by_month}</h2>
            // Scrolls sideways on a narrow screen: the keyboard must reach it too.
            <div class="chart" tabindex="0" role="region" aria-labelledby="by-month">{chart}</div>
        </section>
    }
}

/// A table of places and the value of the figure called `title` at each.
fn breakdown(title: &'static str, lines: Vec<(String, u64)>) -> impl IntoView {
    let t = t();
    view! {
        <table class="figures breakdown">
            <thead><tr><th scope="col">{t.common.report_place}</th><th scope="col" class="number">{title}</th></tr></thead>
            <tbody>
                {lines
                    .into_iter()
                    .map(|(name, value)| view! { <tr><th scope="row">{name}</th><td class="number">{(t.common.number)(value as i64)}</td></tr> })
                    .collect_view()}
            </tbody>
        </table>
    }
}
