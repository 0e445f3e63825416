//! The figures computed from tally rows: for the whole scope, by district, by committee or
//! centre, and month by month.

use std::collections::BTreeMap;

use crate::access::{DistrictId, Owner};
use crate::report::figures::{Count, FIGURES, FigureSpec};
use crate::report::tally::{LoanRow, Month, TallyRow};

/// The value of every figure, by key; a figure nothing counted towards is 0.
pub type Figures = BTreeMap<&'static str, u64>;

/// The report's figures and their breakdowns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// For the whole scope and period.
    pub all: Figures,
    /// By district.
    pub by_district: BTreeMap<DistrictId, Figures>,
    /// By committee or centre.
    pub by_owner: BTreeMap<Owner, Figures>,
    /// By month.
    pub by_month: BTreeMap<Month, Figures>,
}

/// What `row` adds to `figure`.
pub fn contribution(figure: &FigureSpec, row: &TallyRow) -> u64 {
    let group = &row.group;
    if !figure.takes(group.kind, group.variant.as_deref(), group.youth) {
        return 0;
    }
    match figure.count {
        Count::Records => row.records,
        Count::Sum(measure) => row.sums.get(&measure).copied().unwrap_or(0),
        Count::Loans => 0,
    }
}

fn empty() -> Figures {
    FIGURES.iter().map(|f| (f.key, 0)).collect()
}

impl Totals {
    /// The totals of the activities' `rows` and the desks' `loans`.
    pub fn of(rows: &[TallyRow], loans: &[LoanRow]) -> Totals {
        let mut totals = Totals {
            all: empty(),
            ..Totals::default()
        };
        for row in rows {
            let group = &row.group;
            totals.add(group.district, group.owner, group.month, |f| {
                contribution(f, row)
            });
        }
        for row in loans {
            totals.add(row.district, row.owner, row.month, |f| {
                if f.count == Count::Loans {
                    row.loans
                } else {
                    0
                }
            });
        }
        totals
    }

    /// Adds what `value` gives each figure to the whole and to the district's, the place's
    /// and the month's part.
    fn add(
        &mut self,
        district: DistrictId,
        owner: Owner,
        month: Month,
        value: impl Fn(&FigureSpec) -> u64,
    ) {
        for figures in [
            &mut self.all,
            self.by_district.entry(district).or_insert_with(empty),
            self.by_owner.entry(owner).or_insert_with(empty),
            self.by_month.entry(month).or_insert_with(empty),
        ] {
            for figure in FIGURES {
                *figures.entry(figure.key).or_default() += value(figure);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{CentreId, CommitteeId};
    use crate::activity::{Activity, ActivityKind};
    use crate::date::Date;
    use crate::id::RecordId;
    use crate::measure::{Count as Counted, Measure};
    use crate::report::tally::{loan_tally, tally};
    use proptest::prelude::*;

    fn activity(n: u128, kind: ActivityKind, day: u32, owner: Owner) -> Activity {
        let spec = kind.spec();
        Activity {
            id: format!("019a0000-0000-7000-8000-{n:012x}")
                .parse::<RecordId>()
                .expect("id"),
            kind,
            date: Date::from_ymd(2026, 1, 1).expect("date").plus_days(day),
            owner,
            title: None,
            part_of: None,
            site: None,
            site_address: None,
            variant: spec
                .variants
                .get(n as usize % spec.variants.len().max(1))
                .map(|v| (*v).to_owned()),
            youth: spec.youth && n.is_multiple_of(3),
            measures: spec
                .measures
                .iter()
                .map(|m| (m.measure, Counted::from((n as u32 % 7) + m.min)))
                .collect(),
            photos: Vec::new(),
        }
    }

    fn owner(n: u32) -> Owner {
        if n.is_multiple_of(2) {
            Owner::Committee(CommitteeId(n))
        } else {
            Owner::Centre(CentreId(n))
        }
    }

    #[test]
    fn the_report_counts_as_the_city_does() {
        let c = owner(2);
        let list = [
            activity(3, ActivityKind::CulturalEvent, 10, c),
            activity(4, ActivityKind::CulturalEvent, 40, c),
            activity(5, ActivityKind::CleanupDay, 100, c),
            activity(6, ActivityKind::BeautificationAction, 120, c),
        ];
        let rows = tally(
            list.iter().map(|a| (a, DistrictId(1))),
            Date::MIN,
            Date::MAX,
        );
        let totals = Totals::of(&rows, &[]);
        assert_eq!(totals.all["cultural_events"], 2);
        assert_eq!(totals.all["youth_events"], 1, "n = 3 is the youth one");
        assert_eq!(
            totals.all["beautification_actions"], 2,
            "subbotniks and actions together"
        );
        let bags: u64 = list[2..3]
            .iter()
            .filter_map(|a| a.measures.get(&Measure::Bags))
            .map(|c| u64::from(c.get()))
            .sum();
        assert_eq!(totals.all["bags"], bags);
        assert_eq!(totals.by_month.len(), 4);
        assert_eq!(
            totals.all["media_items"], 0,
            "every figure is there, nothing counted is 0"
        );
    }

    #[test]
    fn the_summer_programme_counts_events_and_participants_by_direction() {
        let c = owner(2);
        let event = |n, direction: &str, participants: u32| Activity {
            variant: Some(direction.to_owned()),
            measures: [(Measure::Participants, Counted::from(participants))].into(),
            ..activity(n, ActivityKind::SummerEvent, 150, c)
        };
        let list = [
            event(1, "sports", 45),
            event(2, "sports", 30),
            event(3, "creative", 12),
        ];
        let rows = tally(
            list.iter().map(|a| (a, DistrictId(1))),
            Date::MIN,
            Date::MAX,
        );
        let totals = Totals::of(&rows, &[]);
        for (figure, expected) in [
            ("summer_events", 3),
            ("summer_participants", 87),
            ("summer_sports", 2),
            ("summer_sports_participants", 75),
            ("summer_creative", 1),
            ("summer_creative_participants", 12),
            ("summer_ecological", 0),
            ("summer_ecological_participants", 0),
            ("summer_civic_patriotic_participants", 0),
        ] {
            assert_eq!(totals.all[figure], expected, "{figure}");
        }
    }

    fn activities() -> impl Strategy<Value = Vec<(Activity, DistrictId)>> {
        let kinds: Vec<ActivityKind> = ActivityKind::all().collect();
        prop::collection::vec(
            (
                0u128..1_000,
                prop::sample::select(kinds),
                0u32..400,
                1u32..6,
                1u32..4,
            ),
            0..80,
        )
        .prop_map(|list| {
            list.into_iter()
                .enumerate()
                .map(|(i, (n, kind, day, o, d))| {
                    (
                        activity(n * 1_000 + i as u128, kind, day, owner(o)),
                        DistrictId(d),
                    )
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn every_breakdown_adds_up_to_the_whole(
            list in activities(),
            lent in prop::collection::vec((0u64..400 * 24, 1u32..6, 1u32..4), 0..30),
            from in 0u32..200,
            length in 0u32..400,
        ) {
            let start = Date::from_ymd(2026, 1, 1).expect("date");
            let (from, to) = (start.plus_days(from), start.plus_days(from + length));
            let rows = tally(list.iter().map(|(a, d)| (a, *d)), from, to);
            // Loans made every hour or so from the start, at desks in turn.
            let loans: Vec<(RecordId, Owner, DistrictId)> = lent
                .iter()
                .enumerate()
                .map(|(i, (hour, o, d))| {
                    let ms = start.midnight_unix_ms() + hour * 3_600_000;
                    (RecordId::from_parts(ms, [i as u8; 10]), owner(*o), DistrictId(*d))
                })
                .collect();
            let loan_rows = loan_tally(loans.iter().copied(), from, to);
            let totals = Totals::of(&rows, &loan_rows);
            for figure in FIGURES {
                let activities: u64 = list.iter()
                    .filter(|(a, _)| a.date >= from && a.date <= to)
                    .filter(|(a, _)| figure.takes(a.kind, a.variant.as_deref(), a.youth))
                    .map(|(a, _)| match figure.count {
                        Count::Records => 1,
                        Count::Sum(m) => a.measures.get(&m).map_or(0, |c| u64::from(c.get())),
                        Count::Loans => 0,
                    })
                    .sum();
                let made = |id: &RecordId| {
                    let day = crate::date::local_date(id.unix_ms());
                    day >= from && day <= to
                };
                let direct = match figure.count {
                    Count::Loans => loans.iter().filter(|(id, _, _)| made(id)).count() as u64,
                    _ => activities,
                };
                prop_assert_eq!(totals.all[figure.key], direct, "{}", figure.key);
                for parts in [
                    totals.by_district.values().map(|f| f[figure.key]).sum::<u64>(),
                    totals.by_owner.values().map(|f| f[figure.key]).sum::<u64>(),
                    totals.by_month.values().map(|f| f[figure.key]).sum::<u64>(),
                ] {
                    prop_assert_eq!(parts, direct, "{}", figure.key);
                }
            }
        }
    }
}
