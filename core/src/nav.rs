//! Where the app's navigation goes, and which destinations a person's roles put in the tab bar
//! under the thumb: a volunteer's records, the form, sites and the map; a desk's stock and
//! loans; a coordinator's map and report. The rest of what the roles use is listed on the
//! account screen, so a phone's bar never holds more than it can show.

use crate::access::Role;

/// A destination of the app's navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Destination {
    /// The device's records.
    Records,
    /// Logging a new record: the choice of kind.
    Log,
    /// Beautification sites.
    Sites,
    /// The map of sites.
    Map,
    /// A place's stock.
    Stock,
    /// A place's loans out now.
    Loans,
    /// The report's figures and exports.
    Report,
}

/// How many destinations the bar holds besides the account, which is always its last tab.
pub const BAR_SIZE: usize = 4;

impl Destination {
    /// Every destination; those of one rank in the bar keep this order.
    pub const ALL: [Destination; 7] = [
        Destination::Records,
        Destination::Log,
        Destination::Sites,
        Destination::Map,
        Destination::Stock,
        Destination::Loans,
        Destination::Report,
    ];

    /// The destination's path in the app.
    pub fn path(self) -> &'static str {
        match self {
            Destination::Records => "/",
            Destination::Log => "/new",
            Destination::Sites => "/sites",
            Destination::Map => "/map",
            Destination::Stock => "/inventory",
            Destination::Loans => "/inventory/loans",
            Destination::Report => "/report",
        }
    }

    /// Whether the app at `path` is at this destination: its own screen or one under it.
    pub fn holds(self, path: &str) -> bool {
        let own = self.path();
        let under = |p: &str| path == p || path.starts_with(&format!("{p}/"));
        match self {
            Destination::Records => path == "/" || under("/edit") || under("/fix"),
            Destination::Stock => under(own) && !Destination::Loans.holds(path),
            _ => under(own),
        }
    }
}

/// What a role uses, most used first.
fn used_by(role: Role) -> &'static [Destination] {
    use Destination::{Loans, Log, Map, Records, Report, Sites, Stock};
    match role {
        Role::Volunteer => &[Records, Log, Sites, Map],
        Role::Chair => &[Records, Log, Sites, Map, Stock, Loans, Report],
        Role::CentreStaff => &[Stock, Loans, Records, Log, Sites, Map],
        Role::Coordinator => &[Map, Report, Records, Sites, Stock, Loans],
        Role::Admin => &[Records, Map, Report, Sites, Stock, Loans, Log],
    }
}

/// The destinations of a person's roles: those in the bar and the rest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tabs {
    /// At most [`BAR_SIZE`], most used first.
    pub bar: Vec<Destination>,
    /// The other destinations the roles use, most used first, listed under the account.
    pub more: Vec<Destination>,
}

/// The tabs of a person holding `roles`. A destination ranks by how early any of the roles lists
/// it, so a volunteer who also runs a desk gets records and stock first, then the form and the
/// loans, whatever order their grants came in. Destinations of one rank keep [`Destination::ALL`]'s
/// order.
pub fn tabs(roles: impl IntoIterator<Item = Role>) -> Tabs {
    let mut ranked: Vec<(usize, Destination)> = Vec::new();
    for role in roles {
        for (rank, &destination) in used_by(role).iter().enumerate() {
            match ranked.iter_mut().find(|(_, s)| *s == destination) {
                Some(found) => found.0 = found.0.min(rank),
                None => ranked.push((rank, destination)),
            }
        }
    }
    ranked.sort();
    let mut chosen: Vec<Destination> = ranked.into_iter().map(|(_, s)| s).collect();
    let more = chosen.split_off(chosen.len().min(BAR_SIZE));
    Tabs { bar: chosen, more }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Destination::*;
    use proptest::prelude::*;

    #[test]
    fn each_role_gets_what_it_uses_most() {
        assert_eq!(tabs([Role::Volunteer]).bar, [Records, Log, Sites, Map]);
        assert!(tabs([Role::Volunteer]).more.is_empty());
        assert_eq!(tabs([Role::CentreStaff]).bar, [Stock, Loans, Records, Log]);
        assert_eq!(tabs([Role::Coordinator]).bar, [Map, Report, Records, Sites]);
        assert_eq!(tabs([Role::Chair]).more, [Stock, Loans, Report]);
    }

    #[test]
    fn a_volunteer_who_runs_a_desk_has_records_and_stock_first() {
        let both = tabs([Role::CentreStaff, Role::Volunteer]);
        assert_eq!(both.bar, [Records, Stock, Log, Loans]);
        assert_eq!(both.more, [Sites, Map]);
    }

    #[test]
    fn a_person_without_roles_has_no_tabs() {
        assert_eq!(
            tabs([]),
            Tabs {
                bar: vec![],
                more: vec![]
            }
        );
    }

    #[test]
    fn a_screen_belongs_to_one_destination() {
        let cases = [
            ("/", Some(Records)),
            ("/edit/abc", Some(Records)),
            ("/new", Some(Log)),
            ("/new/cleanup_day", Some(Log)),
            ("/sites/42/edit", Some(Sites)),
            ("/inventory", Some(Stock)),
            ("/inventory/items/7", Some(Stock)),
            ("/inventory/loans", Some(Loans)),
            ("/inventory/loans/9", Some(Loans)),
            ("/report", Some(Report)),
            ("/account", None),
            ("/newsletter", None),
        ];
        for (path, destination) in cases {
            let holding: Vec<_> = Destination::ALL
                .into_iter()
                .filter(|s| s.holds(path))
                .collect();
            assert_eq!(
                holding,
                destination.into_iter().collect::<Vec<_>>(),
                "{path}"
            );
        }
    }

    proptest! {
        #[test]
        fn the_bar_and_the_rest_are_every_used_destination_once(
            roles in proptest::collection::vec(proptest::sample::select(Role::ALL.to_vec()), 0..6)
        ) {
            let Tabs { bar, more } = tabs(roles.iter().copied());
            prop_assert!(bar.len() <= BAR_SIZE);
            prop_assert!(more.is_empty() || bar.len() == BAR_SIZE);
            let mut all: Vec<_> = bar.iter().chain(&more).copied().collect();
            all.sort();
            let mut used: Vec<_> = roles.iter().flat_map(|r| used_by(*r).iter().copied()).collect();
            used.sort();
            used.dedup();
            prop_assert_eq!(all, used);
            // Each role's most used destination is in the bar, as long as the roles are few
            // enough for their firsts to fit.
            let mut firsts: Vec<_> = roles.iter().map(|r| used_by(*r)[0]).collect();
            firsts.sort();
            firsts.dedup();
            if firsts.len() <= BAR_SIZE {
                for first in firsts {
                    prop_assert!(bar.contains(&first));
                }
            }
            // The grants' order does not matter.
            let mut reversed = roles.clone();
            reversed.reverse();
            prop_assert_eq!(tabs(reversed), tabs(roles.iter().copied()));
        }
    }
}
