//! Who may do what, where: roles held in a scope of the city, and the one rule that decides an
//! action. The server enforces it on every request; the client asks it only to hide what a
//! person cannot do. Both ask the same function, so they never disagree.

use serde::{Deserialize, Serialize};

/// A territorial administration: one of the city's districts or a residential area with its
/// own administration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DistrictId(pub u32);

/// A neighbourhood committee (ОКТОС); each lies in one district.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitteeId(pub u32);

/// A community centre (ЦРН); each lies in one district.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CentreId(pub u32);

/// A role a person holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// Активист: logs work in their committee and edits their own records.
    Volunteer,
    /// Председатель ОКТОС: everything in their committee, confirms records, invites volunteers.
    Chair,
    /// Сотрудник ЦРН: the centre's inventory, loans, events and clubs.
    CentreStaff,
    /// Территориальное управление: reads everything in the district, confirms, exports.
    Coordinator,
    /// The city's administrator: people, districts, committees, centres, reference data.
    Admin,
}

impl Role {
    /// Every role, from the smallest scope to the city.
    pub const ALL: [Role; 5] = [
        Role::Volunteer,
        Role::Chair,
        Role::CentreStaff,
        Role::Coordinator,
        Role::Admin,
    ];
}

/// Where a role applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Scope {
    /// One committee.
    Committee(CommitteeId),
    /// One centre.
    Centre(CentreId),
    /// One district, with its committees and centres.
    District(DistrictId),
    /// The whole city.
    City,
}

/// A role in a scope that fits it. Built only through [`Grant::new`], so a volunteer of a
/// district or a city-wide chair cannot exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "GrantParts", into = "GrantParts")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Grant {
    role: Role,
    scope: Scope,
}

/// A grant's wire form, checked on the way in.
#[derive(Serialize, Deserialize)]
struct GrantParts {
    role: Role,
    scope: Scope,
}

/// Why a role cannot be held in a scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("role {role:?} cannot be held in scope {scope:?}")]
pub struct ScopeMismatch {
    /// The role.
    pub role: Role,
    /// The scope it was asked for.
    pub scope: Scope,
}

impl Grant {
    /// `role` in `scope`, if the role is held in scopes of that kind: volunteers and chairs in
    /// a committee, staff in a centre, coordinators in a district, admins in the city.
    pub fn new(role: Role, scope: Scope) -> Result<Self, ScopeMismatch> {
        let fits = matches!(
            (role, scope),
            (Role::Volunteer | Role::Chair, Scope::Committee(_))
                | (Role::CentreStaff, Scope::Centre(_))
                | (Role::Coordinator, Scope::District(_))
                | (Role::Admin, Scope::City)
        );
        if fits {
            Ok(Self { role, scope })
        } else {
            Err(ScopeMismatch { role, scope })
        }
    }

    /// The role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// Where it applies.
    pub fn scope(&self) -> Scope {
        self.scope
    }

    /// Whether `place` lies within this grant's scope.
    fn covers(&self, place: Place) -> bool {
        self.scope.covers(place)
    }
}

impl Scope {
    /// Whether `place` lies within the scope.
    pub fn covers(self, place: Place) -> bool {
        match self {
            Scope::Committee(id) => place.committee == Some(id),
            Scope::Centre(id) => place.centre == Some(id),
            Scope::District(id) => place.district == id,
            Scope::City => true,
        }
    }
}

impl TryFrom<GrantParts> for Grant {
    type Error = ScopeMismatch;

    fn try_from(parts: GrantParts) -> Result<Self, Self::Error> {
        Self::new(parts.role, parts.scope)
    }
}

impl From<Grant> for GrantParts {
    fn from(grant: Grant) -> Self {
        Self {
            role: grant.role,
            scope: grant.scope,
        }
    }
}

/// Where a record, an item or an event belongs: always a district, and the committee or centre
/// within it that keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Place {
    /// The district.
    pub district: DistrictId,
    /// The committee that keeps it, if a committee does.
    pub committee: Option<CommitteeId>,
    /// The centre that keeps it, if a centre does.
    pub centre: Option<CentreId>,
}

impl Place {
    /// The committee or centre keeping what lies here, if exactly one does.
    pub fn owner(&self) -> Option<Owner> {
        match (self.committee, self.centre) {
            (Some(id), None) => Some(Owner::Committee(id)),
            (None, Some(id)) => Some(Owner::Centre(id)),
            _ => None,
        }
    }
}

/// Who keeps a record: the committee or the centre it belongs to. Fixed when the record is
/// made, like its author, so a record never moves out of the sight of those who hold it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Owner {
    /// A neighbourhood committee.
    Committee(CommitteeId),
    /// A community centre.
    Centre(CentreId),
}

impl From<Owner> for Scope {
    /// The committee or centre as the scope of a role.
    fn from(owner: Owner) -> Self {
        match owner {
            Owner::Committee(id) => Scope::Committee(id),
            Owner::Centre(id) => Scope::Centre(id),
        }
    }
}

impl Owner {
    /// A short text naming it, `committee:7` or `centre:3`, for a form's choice.
    pub fn key(self) -> String {
        match self {
            Owner::Committee(id) => format!("committee:{}", id.0),
            Owner::Centre(id) => format!("centre:{}", id.0),
        }
    }

    /// The owner a [`key`](Self::key) names.
    pub fn from_key(key: &str) -> Option<Self> {
        let (kind, id) = key.split_once(':')?;
        let id = id.parse().ok()?;
        match kind {
            "committee" => Some(Owner::Committee(CommitteeId(id))),
            "centre" => Some(Owner::Centre(CentreId(id))),
            _ => None,
        }
    }

    /// The place of a record kept by this owner, which lies in `district`.
    pub fn place(self, district: DistrictId) -> Place {
        match self {
            Owner::Committee(id) => Place {
                district,
                committee: Some(id),
                centre: None,
            },
            Owner::Centre(id) => Place {
                district,
                committee: None,
                centre: Some(id),
            },
        }
    }
}

/// Something a person asks to do at a [`Place`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// See what is kept there.
    Read,
    /// Log an activity or a site there.
    Log,
    /// Change or delete a record kept there; `own` when the person made it.
    Edit {
        /// Whether the person made the record.
        own: bool,
    },
    /// Confirm a record for the city's report.
    Confirm,
    /// Lend, return, issue and write off the inventory kept there.
    ManageInventory,
    /// See who borrowed from the place's rental desk: only the people who run the desk, not
    /// those who oversee it (coordinators, admins) — borrowers gave their number to the desk.
    SeeBorrowers,
    /// Export the figures and see the dashboards of the place.
    Export,
    /// Invite a person to hold `Role` there.
    Invite(Role),
    /// Change the reference data: districts, committees, centres.
    ManageReference,
    /// Read the audit log of what was done there.
    ReadAudit,
    /// Erase a person's account at their request (the city's admins only).
    EraseAccounts,
}

impl Action {
    /// The roles that may do this where they hold them (before looking at scope).
    fn allowed(self, role: Role) -> bool {
        use Role::{Admin, CentreStaff, Chair, Coordinator, Volunteer};
        if self == Action::SeeBorrowers {
            return matches!(role, CentreStaff | Chair);
        }
        matches!(
            (self, role),
            (_, Admin)
                | (Action::Read, _)
                | (Action::Log, Volunteer | Chair | CentreStaff)
                | (Action::Edit { own: true }, Volunteer)
                | (Action::Edit { .. }, Chair | CentreStaff)
                | (Action::Confirm, Chair | Coordinator)
                | (Action::ManageInventory, CentreStaff | Chair)
                | (Action::Export | Action::ReadAudit, Coordinator)
                | (Action::Invite(Volunteer), Chair)
                | (Action::Invite(CentreStaff), CentreStaff)
        )
    }
}

/// Whether a person holding `grants` may do `action` at `place`: some grant must allow the
/// action and cover the place. Reference data belongs to the city, so only a city-wide grant
/// may change it, whatever `place` says.
pub fn may(grants: &[Grant], action: Action, place: Place) -> bool {
    grants.iter().any(|grant| {
        action.allowed(grant.role)
            && (action != Action::ManageReference || grant.scope == Scope::City)
            && grant.covers(place)
    })
}

/// Whether a person holding `grants` may do `action` for the whole city (create a district, make
/// someone an admin): only a city-wide grant allowing the action will do.
pub fn may_citywide(grants: &[Grant], action: Action) -> bool {
    grants
        .iter()
        .any(|grant| grant.scope == Scope::City && action.allowed(grant.role))
}

/// The scopes in which `grants` allow `action`: what a person may read, as the server filters a
/// pull by it.
pub fn scopes_for(grants: &[Grant], action: Action) -> impl Iterator<Item = Scope> + '_ {
    grants
        .iter()
        .filter(move |grant| action.allowed(grant.role))
        .map(|grant| grant.scope)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DISTRICT: DistrictId = DistrictId(1);
    const OTHER_DISTRICT: DistrictId = DistrictId(2);

    fn committee(id: u32, district: DistrictId) -> Place {
        Owner::Committee(CommitteeId(id)).place(district)
    }

    fn centre(id: u32, district: DistrictId) -> Place {
        Owner::Centre(CentreId(id)).place(district)
    }

    fn grant(role: Role, scope: Scope) -> Grant {
        Grant::new(role, scope).expect("a fitting scope")
    }

    proptest! {
        #[test]
        fn an_owner_reads_back_from_its_key(id in any::<u32>(), centre in any::<bool>()) {
            let owner = if centre { Owner::Centre(CentreId(id)) } else { Owner::Committee(CommitteeId(id)) };
            prop_assert_eq!(Owner::from_key(&owner.key()), Some(owner));
        }
    }

    #[test]
    fn every_role_reads_where_it_is_held_and_only_there() {
        let held = [
            grant(Role::Volunteer, Scope::Committee(CommitteeId(5))),
            grant(Role::CentreStaff, Scope::Centre(CentreId(3))),
        ];
        assert_eq!(
            scopes_for(&held, Action::Read).collect::<Vec<_>>(),
            [Scope::Committee(CommitteeId(5)), Scope::Centre(CentreId(3))]
        );
        assert_eq!(
            scopes_for(&held, Action::ManageInventory).collect::<Vec<_>>(),
            [Scope::Centre(CentreId(3))]
        );
    }

    #[test]
    fn roles_are_held_only_in_scopes_of_their_kind() {
        assert!(Grant::new(Role::Volunteer, Scope::Committee(CommitteeId(5))).is_ok());
        assert!(Grant::new(Role::Volunteer, Scope::District(DISTRICT)).is_err());
        assert!(Grant::new(Role::Chair, Scope::City).is_err());
        assert!(Grant::new(Role::CentreStaff, Scope::Committee(CommitteeId(5))).is_err());
        assert!(Grant::new(Role::Coordinator, Scope::Centre(CentreId(1))).is_err());
        assert!(Grant::new(Role::Admin, Scope::District(DISTRICT)).is_err());
    }

    #[test]
    fn a_grant_that_does_not_fit_is_refused_on_the_wire_too() {
        let text = r#"{"role":"volunteer","scope":"city"}"#;
        assert!(serde_json::from_str::<Grant>(text).is_err());
        let good = grant(Role::Chair, Scope::Committee(CommitteeId(7)));
        let json = serde_json::to_string(&good).expect("serialises");
        assert_eq!(json, r#"{"role":"chair","scope":{"committee":7}}"#);
        assert_eq!(serde_json::from_str::<Grant>(&json).ok(), Some(good));
    }

    #[test]
    fn a_volunteer_edits_only_their_own_records_in_their_committee() {
        let volunteer = [grant(Role::Volunteer, Scope::Committee(CommitteeId(5)))];
        let home = committee(5, DISTRICT);
        assert!(may(&volunteer, Action::Log, home));
        assert!(may(&volunteer, Action::Edit { own: true }, home));
        assert!(!may(&volunteer, Action::Edit { own: false }, home));
        assert!(!may(&volunteer, Action::Confirm, home));
        assert!(!may(&volunteer, Action::Read, committee(6, DISTRICT)));
        assert!(!may(&volunteer, Action::Log, committee(6, DISTRICT)));
    }

    #[test]
    fn a_chair_runs_the_committee_and_invites_only_volunteers() {
        let chair = [grant(Role::Chair, Scope::Committee(CommitteeId(5)))];
        let home = committee(5, DISTRICT);
        assert!(may(&chair, Action::Edit { own: false }, home));
        assert!(may(&chair, Action::Confirm, home));
        assert!(may(&chair, Action::Invite(Role::Volunteer), home));
        assert!(!may(&chair, Action::Invite(Role::Chair), home));
        assert!(!may(&chair, Action::Export, home));
    }

    #[test]
    fn centre_staff_keep_their_centres_inventory_only() {
        let staff = [grant(Role::CentreStaff, Scope::Centre(CentreId(3)))];
        assert!(may(&staff, Action::ManageInventory, centre(3, DISTRICT)));
        assert!(!may(&staff, Action::ManageInventory, centre(4, DISTRICT)));
        assert!(!may(&staff, Action::Read, committee(5, DISTRICT)));
    }

    #[test]
    fn a_coordinator_reads_confirms_and_exports_in_the_district_but_does_not_edit() {
        let coordinator = [grant(Role::Coordinator, Scope::District(DISTRICT))];
        for place in [committee(5, DISTRICT), centre(3, DISTRICT)] {
            assert!(may(&coordinator, Action::Read, place));
            assert!(may(&coordinator, Action::Confirm, place));
            assert!(may(&coordinator, Action::Export, place));
            assert!(!may(&coordinator, Action::Edit { own: false }, place));
            assert!(!may(&coordinator, Action::ManageInventory, place));
        }
        assert!(!may(
            &coordinator,
            Action::Read,
            committee(9, OTHER_DISTRICT)
        ));
        assert!(!may(
            &coordinator,
            Action::ManageReference,
            committee(5, DISTRICT)
        ));
    }

    #[test]
    fn one_person_may_hold_several_roles() {
        let both = [
            grant(Role::Volunteer, Scope::Committee(CommitteeId(5))),
            grant(Role::CentreStaff, Scope::Centre(CentreId(3))),
        ];
        assert!(may(&both, Action::Log, committee(5, DISTRICT)));
        assert!(may(&both, Action::ManageInventory, centre(3, DISTRICT)));
        assert!(!may(&both, Action::ManageInventory, committee(5, DISTRICT)));
    }

    #[test]
    fn only_the_people_at_the_desk_see_its_borrowers() {
        let desk = centre(3, DISTRICT);
        let staff = [grant(Role::CentreStaff, Scope::Centre(CentreId(3)))];
        let other_staff = [grant(Role::CentreStaff, Scope::Centre(CentreId(4)))];
        let coordinator = [grant(Role::Coordinator, Scope::District(DISTRICT))];
        let admin = [grant(Role::Admin, Scope::City)];
        assert!(may(&staff, Action::SeeBorrowers, desk));
        for outsider in [&other_staff[..], &coordinator, &admin] {
            assert!(!may(outsider, Action::SeeBorrowers, desk));
        }
    }

    fn any_role() -> impl Strategy<Value = Role> {
        prop_oneof![
            Just(Role::Volunteer),
            Just(Role::Chair),
            Just(Role::CentreStaff),
            Just(Role::Coordinator),
            Just(Role::Admin),
        ]
    }

    /// Every action but [`Action::SeeBorrowers`], the one an admin does not have (tested above).
    fn any_action() -> impl Strategy<Value = Action> {
        prop_oneof![
            Just(Action::Read),
            Just(Action::Log),
            any::<bool>().prop_map(|own| Action::Edit { own }),
            Just(Action::Confirm),
            Just(Action::ManageInventory),
            Just(Action::Export),
            any_role().prop_map(Action::Invite),
            Just(Action::ManageReference),
        ]
    }

    fn any_place() -> impl Strategy<Value = Place> {
        (
            0u32..3,
            prop::option::of(0u32..3),
            prop::option::of(0u32..3),
        )
            .prop_map(|(district, committee, centre)| Place {
                district: DistrictId(district),
                committee: committee.map(CommitteeId),
                centre: centre.map(CentreId),
            })
    }

    fn any_grant() -> impl Strategy<Value = Grant> {
        prop_oneof![
            (0u32..3).prop_map(|c| grant(Role::Volunteer, Scope::Committee(CommitteeId(c)))),
            (0u32..3).prop_map(|c| grant(Role::Chair, Scope::Committee(CommitteeId(c)))),
            (0u32..3).prop_map(|c| grant(Role::CentreStaff, Scope::Centre(CentreId(c)))),
            (0u32..3).prop_map(|d| grant(Role::Coordinator, Scope::District(DistrictId(d)))),
            Just(grant(Role::Admin, Scope::City)),
        ]
    }

    #[test]
    fn only_a_city_wide_grant_acts_for_the_whole_city() {
        let admin = [grant(Role::Admin, Scope::City)];
        let coordinator = [grant(Role::Coordinator, Scope::District(DISTRICT))];
        assert!(may_citywide(&admin, Action::ManageReference));
        assert!(may_citywide(&admin, Action::Invite(Role::Admin)));
        assert!(!may_citywide(&coordinator, Action::Read));
        assert!(!may_citywide(&[], Action::Read));
    }

    proptest! {
        /// Nothing outside a person's scopes is ever allowed, whatever the action.
        #[test]
        fn nothing_is_allowed_outside_every_scope(
            grants in prop::collection::vec(any_grant(), 0..4),
            action in any_action(),
            place in any_place(),
        ) {
            if may(&grants, action, place) {
                prop_assert!(grants.iter().any(|g| g.covers(place)));
            }
        }

        /// An admin may do anything anywhere; nobody without grants may do anything.
        #[test]
        fn admins_may_everything_and_strangers_nothing(action in any_action(), place in any_place()) {
            prop_assert!(may(&[grant(Role::Admin, Scope::City)], action, place));
            prop_assert!(!may(&[], action, place));
        }

        /// More grants never take a right away.
        #[test]
        fn adding_a_grant_never_removes_a_right(
            grants in prop::collection::vec(any_grant(), 0..4),
            extra in any_grant(),
            action in any_action(),
            place in any_place(),
        ) {
            let mut more = grants.clone();
            more.push(extra);
            prop_assert!(!may(&grants, action, place) || may(&more, action, place));
        }
    }
}
