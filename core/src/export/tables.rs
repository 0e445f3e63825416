//! What each export's rows hold: activities, sites, movements and the report, as cells under
//! Russian headings. One definition serves every format.

use super::{Cell, Names, Table, csv};
use crate::access::{DistrictId, Owner};
use crate::activity::Activity;
use crate::date::local_time;
use crate::i18n::Strings;
use crate::inventory::ledger::{Movement, MovementKind};
use crate::map::sites::SiteSummary;
use crate::measure::Measure;
use crate::report::figures::{FIGURES, Section};
use crate::report::totals::{Figures, Totals};
use crate::site::Site;

/// A measure's column heading: its name and unit.
fn measure_heading(measure: Measure, t: &Strings) -> String {
    format!(
        "{}, {}",
        (t.common.measure_label)(measure),
        (t.common.measure_unit)(measure)
    )
}

fn owner_name(owner: Owner, names: &Names, t: &Strings) -> String {
    names
        .owners
        .get(&owner)
        .cloned()
        .unwrap_or_else(|| (t.common.unknown_owner)(owner))
}

fn district_name(owner: Owner, names: &Names) -> Option<String> {
    let district = names.owner_district.get(&owner)?;
    names.districts.get(district).cloned()
}

/// The district a site's committee or centre lies in, by name.
pub fn site_district(site: &Site, names: &Names) -> Option<String> {
    district_name(site.owner, names)
}

/// `first`, then a column per measure.
fn with_measures(first: &[&str], t: &Strings) -> Vec<String> {
    first
        .iter()
        .map(|h| (*h).to_owned())
        .chain(Measure::all().map(|m| measure_heading(m, t)))
        .collect()
}

/// The activities' headings: what, when and where, then one column per measure.
pub fn activity_headings(t: &Strings) -> Vec<String> {
    with_measures(&t.common.export_activity_headings, t)
}

/// An activity's row under [`activity_headings`].
pub fn activity_row(activity: &Activity, names: &Names, t: &Strings) -> Vec<Cell> {
    let variant = activity
        .variant
        .as_deref()
        .map(|v| (t.common.variant_name)(v).map_or_else(|| v.to_owned(), str::to_owned));
    let mut row = vec![
        Cell::Date(activity.date),
        (t.common.kind_name)(activity.kind).into(),
        variant.into(),
        activity.youth.then_some(t.common.export_yes).into(),
        owner_name(activity.owner, names, t).into(),
        district_name(activity.owner, names).into(),
        activity.title.as_ref().map(|title| title.as_str()).into(),
        activity
            .site
            .and_then(|site| names.sites.get(&site).cloned())
            .into(),
        activity.site_address.as_ref().map(|a| a.as_str()).into(),
        Cell::Int(i64::try_from(activity.photos.len()).unwrap_or(i64::MAX)),
    ];
    row.extend(Measure::all().map(|m| {
        activity
            .measures
            .get(&m)
            .map_or(Cell::Empty, |c| Cell::Int(i64::from(c.get())))
    }));
    row
}

/// The sites' headings: what and where, then the work of the period and its totals.
pub fn site_headings(t: &Strings) -> Vec<String> {
    with_measures(&t.common.export_site_headings, t)
}

/// A site's row under [`site_headings`], with `work`, the work of the period at it.
pub fn site_row(site: &Site, work: Option<&SiteSummary>, names: &Names, t: &Strings) -> Vec<Cell> {
    let point = site.location.map(|l| l.point);
    let last = work.and_then(|w| w.last);
    let mut row = vec![
        site.name.as_str().into(),
        (t.common.site_kind_name)(site.site_kind).into(),
        owner_name(site.owner, names, t).into(),
        site_district(site, names).into(),
        site.address.as_ref().map(|a| a.as_str()).into(),
        point.map_or(Cell::Empty, |p| Cell::Real(p.lat())),
        point.map_or(Cell::Empty, |p| Cell::Real(p.lon())),
        Cell::Int(i64::from(work.map_or(0, |w| w.in_period))),
        last.map(|(date, _)| date).into(),
        last.map(|(_, kind)| (t.common.kind_name)(kind)).into(),
    ];
    row.extend(Measure::all().map(|m| {
        work.and_then(|w| w.totals.get(&m))
            .map_or(Cell::Empty, |total| Cell::from(*total))
    }));
    row
}

/// The ledger's headings.
pub fn ledger_headings(t: &Strings) -> Vec<String> {
    t.common
        .inv_csv_headings
        .iter()
        .map(|h| (*h).to_owned())
        .collect()
}

/// A movement's row under [`ledger_headings`]: what came in counts up, what went out down.
pub fn ledger_row(movement: &Movement, names: &Names, t: &Strings) -> Vec<Cell> {
    let signed = match movement.kind {
        MovementKind::Received
        | MovementKind::Arrived { .. }
        | MovementKind::Returned { .. }
        | MovementKind::Counted { more: true, .. } => i64::from(movement.quantity),
        _ => -i64::from(movement.quantity),
    };
    vec![
        local_time(movement.id.unix_ms()).into(),
        owner_name(movement.place, names, t).into(),
        names.items.get(&movement.item).cloned().into(),
        (t.common.inv_movement_name)(movement.kind).into(),
        Cell::Int(signed),
        movement
            .kind
            .other_place()
            .map(|place| owner_name(place, names, t))
            .into(),
        movement.kind.loan().map(|loan| loan.to_string()).into(),
        movement.id.to_string().into(),
    ]
}

/// The report as tables: the figures by section, then each figure by district, by committee
/// or centre and by month.
pub fn report_tables(totals: &Totals, names: &Names, t: &Strings) -> Vec<Table> {
    let summary = Table {
        name: t.common.export_report_sheets[0].to_owned(),
        headings: t
            .common
            .export_report_headings
            .iter()
            .map(|h| (*h).to_owned())
            .collect(),
        rows: Section::ALL
            .iter()
            .flat_map(|section| {
                FIGURES
                    .iter()
                    .filter(move |f| f.section == *section)
                    .map(move |f| {
                        vec![
                            (t.common.report_section)(*section).into(),
                            (t.common.report_figure)(f.key).into(),
                            Cell::from(totals.all.get(f.key).copied().unwrap_or(0)),
                        ]
                    })
            })
            .collect(),
    };
    let district = |id: &DistrictId| {
        names
            .districts
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.0.to_string())
    };
    vec![
        summary,
        breakdown(
            t.common.export_report_sheets[1],
            &[t.common.field_district],
            totals
                .by_district
                .iter()
                .map(|(id, f)| (vec![district(id)], f)),
            t,
        ),
        // Each committee and centre with its district: names repeat across districts.
        breakdown(
            t.common.export_report_sheets[2],
            &[t.common.report_place, t.common.field_district],
            totals.by_owner.iter().map(|(owner, f)| {
                let lies_in = names.owner_district.get(owner).map(district);
                (
                    vec![owner_name(*owner, names, t), lies_in.unwrap_or_default()],
                    f,
                )
            }),
            t,
        ),
        breakdown(
            t.common.export_report_sheets[3],
            &[t.common.export_month],
            totals
                .by_month
                .iter()
                .map(|(month, f)| (vec![month.to_string()], f)),
            t,
        ),
    ]
}

/// A sheet with a row per place or month, named in the `labels` columns, and a column per
/// figure.
fn breakdown<'a>(
    name: &str,
    labels: &[&str],
    parts: impl Iterator<Item = (Vec<String>, &'a Figures)>,
    t: &Strings,
) -> Table {
    Table {
        name: name.to_owned(),
        headings: labels
            .iter()
            .map(|label| (*label).to_owned())
            .chain(
                FIGURES
                    .iter()
                    .map(|f| (t.common.report_figure)(f.key).to_owned()),
            )
            .collect(),
        rows: parts
            .map(|(label, figures)| {
                label
                    .into_iter()
                    .map(Cell::Text)
                    .chain(
                        FIGURES
                            .iter()
                            .map(|f| Cell::from(figures.get(f.key).copied().unwrap_or(0))),
                    )
                    .collect()
            })
            .collect(),
    }
}

/// The movements as a CSV file with Russian headings, in the order they were made.
pub fn ledger_csv<'a>(
    movements: impl IntoIterator<Item = &'a Movement>,
    names: &Names,
    t: &Strings,
) -> String {
    csv::document(&Table {
        name: String::new(),
        headings: ledger_headings(t),
        rows: movements
            .into_iter()
            .map(|m| ledger_row(m, names, t))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::access::CentreId;
    use crate::i18n::{Lang, strings};
    use crate::id::RecordId;

    #[test]
    fn the_ledger_exports_as_csv_that_quotes_what_needs_it() {
        let centre = Owner::Centre(CentreId(1));
        let ball = RecordId::from_parts(1_764_028_800_000, [1; 10]);
        let received = Movement {
            id: RecordId::from_parts(1_764_028_800_010, [10; 10]),
            item: ball,
            place: centre,
            kind: MovementKind::Received,
            quantity: 3,
        };
        let csv = ledger_csv(
            &[received],
            &Names {
                items: HashMap::from([(ball, "Мяч \"Старт\", размер 5".to_owned())]),
                owners: HashMap::from([(centre, "ЦРН Рудничный".to_owned())]),
                ..Names::default()
            },
            strings(Lang::Ru),
        );
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(
            lines.len(),
            3,
            "headings, one movement, the final line break"
        );
        assert!(lines[0].starts_with("Дата и время,Место,Предмет"));
        assert!(
            lines[1].contains(",ЦРН Рудничный,\"Мяч \"\"Старт\"\", размер 5\",Поступление,3,"),
            "{}",
            lines[1]
        );
        assert!(lines[1].starts_with("2025-11-25 07:00,"), "{}", lines[1]);
    }
}
