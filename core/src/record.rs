//! Record envelopes and their merge.
//!
//! Every synced record is an [`Envelope`]: its id, kind and author, which never change, and
//! its fields, each with the [`Hlc`] of the change that wrote it. A change is an envelope too,
//! holding only the fields it writes. Merging keeps, field by field, the value with the later
//! timestamp. That makes merge a join: commutative, associative and idempotent, so replicas
//! that receive the same changes in any order, any number of times, hold the same record.
//!
//! This module names each kind of record (activities, sites, items, movements, loans) to check
//! an envelope as its kind, and each of those reads itself from an envelope: the one circle of
//! imports in this crate, as natural for a sum type as its variants are.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::access::Owner;
use crate::account::UserId;
use crate::activity::Activity;
use crate::date::Date;
use crate::error::{ErrorCode, ValidationErrors};
use crate::hlc::{Hlc, NodeId};
use crate::id::RecordId;
use crate::inventory::item::Item;
use crate::inventory::ledger::Movement;
use crate::inventory::loan::Loan;
use crate::photo::{PhotoRef, photo_from_field};
use crate::site::Site;

/// What a record is. New kinds are added here; their fields are declared by their own modules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RecordKind {
    /// A logged activity ([`crate::activity::Activity`]).
    Activity,
    /// A beautification site ([`crate::site::Site`]).
    Site,
    /// Something a centre or committee keeps ([`crate::inventory::item::Item`]).
    Item,
    /// One movement of stock ([`crate::inventory::ledger::Movement`]): made once, never
    /// changed.
    Movement,
    /// Items lent to a borrower ([`crate::inventory::loan::Loan`]).
    Loan,
}

impl RecordKind {
    /// The wire name.
    pub fn key(self) -> &'static str {
        match self {
            RecordKind::Activity => "activity",
            RecordKind::Site => "site",
            RecordKind::Item => "item",
            RecordKind::Movement => "movement",
            RecordKind::Loan => "loan",
        }
    }

    /// Whether records of this kind are written once and never changed or deleted: movements,
    /// so that stock, their sum, never changes behind anyone's back.
    pub fn append_only(self) -> bool {
        self == RecordKind::Movement
    }
}

/// Who created a record: a short lowercase token such as `user:12`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AuthorId(String);

/// Why a string is not an [`AuthorId`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("an author is 1 to 64 characters of a-z, 0-9, '-', ':' and '.'")]
pub struct AuthorIdError;

impl AuthorId {
    /// The author standing for a person with an account.
    pub fn user(user: UserId) -> Self {
        Self(format!("user:{}", user.0))
    }

    /// Whether it stands for a person with an account (not, say, records imported in bulk).
    pub fn is_person(&self) -> bool {
        self.0.starts_with("user:")
    }

    /// The token.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AuthorId {
    type Error = AuthorIdError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "-:.".contains(c);
        if (1..=64).contains(&value.len()) && value.chars().all(allowed) {
            Ok(Self(value))
        } else {
            Err(AuthorIdError)
        }
    }
}

impl From<AuthorId> for String {
    fn from(author: AuthorId) -> Self {
        author.0
    }
}

impl fmt::Display for AuthorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A value with the timestamp of the change that wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stamped<T> {
    /// The value.
    pub value: T,
    /// When it was written.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1764028800000-00000-00000000000004e9"))]
    pub hlc: Hlc,
}

impl<T: Serialize> Stamped<T> {
    /// Whether `self` wins over `other`: the later timestamp, and on the (buggy or hostile) tie
    /// of equal timestamps the greater value in canonical JSON, so that every replica picks
    /// the same one.
    fn beats(&self, other: &Self) -> bool {
        match self.hlc.cmp(&other.hlc) {
            std::cmp::Ordering::Equal => canonical(&self.value) > canonical(&other.value),
            order => order.is_gt(),
        }
    }
}

/// serde_json's maps are sorted by key, so equal values have equal text.
fn canonical<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A record's fields by name, each with its timestamp.
pub type Fields = BTreeMap<String, Stamped<Value>>;

/// What an edit has to write: the values of `after` that differ from `before`, the values the
/// person started from, and null for those of `before` that `after` no longer has (a photo
/// taken off). Comparing with what the person saw, not with what the record holds by the time
/// they save, keeps a change that arrived meanwhile from being overwritten.
pub fn changed_values(
    before: &BTreeMap<String, Value>,
    mut after: BTreeMap<String, Value>,
) -> BTreeMap<String, Value> {
    for (name, value) in before {
        if !value.is_null() && !after.contains_key(name) {
            after.insert(name.clone(), Value::Null);
        }
    }
    after.retain(|name, value| before.get(name) != Some(value));
    after
}

/// A record, or a change to one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Envelope {
    /// Made on the device that created the record.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "019a0000-ae00-7000-8000-000000000001"))]
    pub id: RecordId,
    /// What it is.
    pub kind: RecordKind,
    /// Who created it.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "user:1"))]
    pub author: AuthorId,
    /// Who keeps it, and so who may see and change it.
    pub owner: Owner,
    /// The tombstone: a deleted record stays, marked, so that it cannot come back to life when
    /// an older copy of it arrives. Absent in a change that does not delete or restore.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<Stamped<bool>>,
    /// The fields written, with their timestamps.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Object, example = json!({"date": {"value": "2025-05-16", "hlc": "1764028800000-00000-00000000000004e9"}}))
    )]
    pub fields: Fields,
}

/// Why two envelopes cannot be merged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// They are about different records, or the same id names records of another kind,
    /// author or owner — which only a bug or a forged change can produce.
    #[error("envelopes of different records cannot be merged")]
    DifferentRecord,
}

impl Envelope {
    /// A change to record `id` (of `kind`, made by `author`, kept by `owner`) that writes
    /// `values` (and the tombstone, when `deleted` is given), all stamped `hlc`.
    pub fn change(
        id: RecordId,
        kind: RecordKind,
        author: AuthorId,
        owner: Owner,
        hlc: Hlc,
        values: BTreeMap<String, Value>,
        deleted: Option<bool>,
    ) -> Self {
        // Built by extending rather than collecting: collecting sorts, and a sort per map type
        // costs the wasm bundle kilobytes for keys that are already in order.
        let mut fields = Fields::new();
        fields.extend(
            values
                .into_iter()
                .map(|(name, value)| (name, Stamped { value, hlc })),
        );
        Self {
            id,
            kind,
            author,
            owner,
            deleted: deleted.map(|value| Stamped { value, hlc }),
            fields,
        }
    }

    /// The same record with nothing written yet: the identity of [`Envelope::merge`].
    pub fn empty_like(&self) -> Self {
        Self {
            id: self.id,
            kind: self.kind,
            author: self.author.clone(),
            owner: self.owner,
            deleted: None,
            fields: Fields::new(),
        }
    }

    /// Whether nothing is written in it.
    pub fn is_empty(&self) -> bool {
        self.deleted.is_none() && self.fields.is_empty()
    }

    /// Whether the record is deleted.
    pub fn is_deleted(&self) -> bool {
        self.deleted.as_ref().is_some_and(|d| d.value)
    }

    /// The latest timestamp in it: when it last changed.
    pub fn hlc(&self) -> Hlc {
        self.stamps().max().unwrap_or(Hlc::ZERO)
    }

    /// The timestamp of every field and of the tombstone.
    fn stamps(&self) -> impl Iterator<Item = Hlc> + '_ {
        self.fields
            .values()
            .map(|f| f.hlc)
            .chain(self.deleted.as_ref().map(|d| d.hlc))
    }

    /// Whether device `node` wrote any of its fields or its tombstone.
    pub fn written_by(&self, node: NodeId) -> bool {
        self.stamps().any(|hlc| hlc.node() == node)
    }

    /// The photos it holds; a photo field holding something else is skipped.
    pub fn photos(&self) -> impl Iterator<Item = PhotoRef> + '_ {
        self.fields
            .iter()
            .filter_map(|(name, field)| photo_from_field(name, &field.value).ok().flatten())
    }

    /// The current values, without timestamps.
    pub fn values(&self) -> BTreeMap<String, Value> {
        let mut values = BTreeMap::new();
        values.extend(
            self.fields
                .iter()
                .map(|(name, field)| (name.clone(), field.value.clone())),
        );
        values
    }

    /// Takes in `other`, field by field, keeping the later write of each.
    pub fn merge(&mut self, other: &Envelope) -> Result<(), MergeError> {
        if (self.id, self.kind, &self.author, self.owner)
            != (other.id, other.kind, &other.author, other.owner)
        {
            return Err(MergeError::DifferentRecord);
        }
        for (name, theirs) in &other.fields {
            match self.fields.get_mut(name) {
                Some(ours) if !theirs.beats(ours) => {}
                Some(ours) => *ours = theirs.clone(),
                None => {
                    self.fields.insert(name.clone(), theirs.clone());
                }
            }
        }
        if let Some(theirs) = &other.deleted
            && self.deleted.as_ref().is_none_or(|ours| theirs.beats(ours))
        {
            self.deleted = Some(theirs.clone());
        }
        Ok(())
    }

    /// Checks the record's current values by the rules of its kind, as a save does; `today`
    /// is the checker's date.
    pub fn check(&self, today: Date) -> Result<(), ValidationErrors> {
        match self.kind {
            RecordKind::Activity => Activity::from_record(self, today).map(drop),
            RecordKind::Site => Site::from_record(self).map(drop),
            RecordKind::Item => Item::from_record(self).map(drop),
            RecordKind::Movement => Movement::from_record(self).map(drop),
            RecordKind::Loan => Loan::from_record(self).map(drop),
        }
    }

    /// Whether this record may become `merged`: a record of an append-only kind is made whole
    /// and not deleted, and is never changed afterwards (the same change arriving again is
    /// no change).
    pub fn may_become(current: Option<&Envelope>, merged: &Envelope) -> Result<(), ErrorCode> {
        if !merged.kind.append_only() {
            return Ok(());
        }
        match current {
            Some(current) if current.values() != merged.values() || merged.is_deleted() => {
                Err(ErrorCode::Immutable)
            }
            None if merged.is_deleted() => Err(ErrorCode::Immutable),
            _ => Ok(()),
        }
    }

    /// `self` merged with `other`.
    pub fn merged(&self, other: &Envelope) -> Result<Envelope, MergeError> {
        let mut result = self.clone();
        result.merge(other)?;
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::CommitteeId;
    use crate::hlc::NodeId;
    use proptest::prelude::*;
    use serde_json::json;

    fn id() -> RecordId {
        RecordId::from_parts(1_764_028_800_000, [1; 10])
    }

    fn author() -> AuthorId {
        AuthorId::user(UserId(1))
    }

    const OWNER: Owner = Owner::Committee(CommitteeId(1));

    fn change(wall: u64, node: u64, values: &[(&str, Value)], deleted: Option<bool>) -> Envelope {
        Envelope::change(
            id(),
            RecordKind::Activity,
            author(),
            OWNER,
            Hlc::new(wall, 0, NodeId::from_bits(node)),
            values
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
            deleted,
        )
    }

    #[test]
    fn the_later_write_of_each_field_wins() {
        let base = change(1, 1, &[("a", json!(1)), ("b", json!(1))], Some(false));
        let edit_a = change(2, 2, &[("a", json!(2))], None);
        let edit_b_old = change(0, 3, &[("b", json!(3))], None);
        let merged = base
            .merged(&edit_a)
            .and_then(|m| m.merged(&edit_b_old))
            .expect("same record");
        assert_eq!(
            merged.values(),
            [("a".to_owned(), json!(2)), ("b".to_owned(), json!(1))].into()
        );
        assert_eq!(merged.hlc(), Hlc::new(2, 0, NodeId::from_bits(2)));
    }

    #[test]
    fn movements_are_made_once_and_never_changed_or_deleted() {
        let movement = |wall: u64, values: &[(&str, Value)], deleted: Option<bool>| {
            let mut change = change(wall, 1, values, deleted);
            change.kind = RecordKind::Movement;
            change
        };
        let made = movement(1, &[("quantity", json!(2))], Some(false));
        assert_eq!(Envelope::may_become(None, &made), Ok(()));
        assert_eq!(Envelope::may_become(Some(&made), &made.clone()), Ok(()));
        for later in [
            movement(2, &[("quantity", json!(3))], None),
            movement(2, &[], Some(true)),
        ] {
            let merged = made.merged(&later).expect("same record");
            assert_eq!(
                Envelope::may_become(Some(&made), &merged),
                Err(ErrorCode::Immutable)
            );
        }
        assert_eq!(
            Envelope::may_become(None, &movement(1, &[], Some(true))),
            Err(ErrorCode::Immutable)
        );
        let activity = change(1, 1, &[("a", json!(1))], Some(false));
        let edited = activity
            .merged(&change(2, 1, &[("a", json!(2))], None))
            .expect("same record");
        assert_eq!(Envelope::may_become(Some(&activity), &edited), Ok(()));
    }

    #[test]
    fn an_older_copy_does_not_bring_a_deleted_record_back() {
        let created = change(1, 1, &[("a", json!(1))], Some(false));
        let deleted = change(5, 2, &[], Some(true));
        let late_edit_from_before = change(3, 3, &[("a", json!(9))], None);
        let merged = deleted
            .merged(&late_edit_from_before)
            .and_then(|m| m.merged(&created))
            .expect("same record");
        assert!(merged.is_deleted());
    }

    #[test]
    fn envelopes_of_other_records_do_not_merge() {
        let mut other_author = change(1, 1, &[], None);
        other_author.author = AuthorId::user(UserId(2));
        let mut other_owner = change(1, 1, &[], None);
        other_owner.owner = Owner::Committee(CommitteeId(2));
        for other in [other_author, other_owner] {
            assert_eq!(
                change(1, 1, &[], None).merged(&other),
                Err(MergeError::DifferentRecord)
            );
        }
    }

    #[test]
    fn an_edit_writes_what_changed_from_what_the_person_saw() {
        let before = [
            ("a".to_owned(), json!(1)),
            ("b".to_owned(), json!(2)),
            ("photos.x".to_owned(), json!({"tag": "before"})),
            ("gone".to_owned(), Value::Null),
        ]
        .into();
        let after = [("a".to_owned(), json!(1)), ("b".to_owned(), json!(3))].into();
        assert_eq!(
            changed_values(&before, after),
            [
                ("b".to_owned(), json!(3)),
                ("photos.x".to_owned(), Value::Null)
            ]
            .into()
        );
    }

    #[test]
    fn a_person_is_told_from_an_import() {
        assert!(AuthorId::user(UserId(7)).is_person());
        let import = AuthorId::try_from("import:v1".to_owned()).expect("an author");
        assert!(!import.is_person());
    }

    #[test]
    fn authors_are_short_lowercase_tokens() {
        assert_eq!(AuthorId::user(UserId(12)).as_str(), "user:12");
        assert!(AuthorId::try_from("user:12".to_owned()).is_ok());
        for bad in ["", "Device", "a b", &"x".repeat(65)] {
            assert_eq!(
                AuthorId::try_from(bad.to_owned()),
                Err(AuthorIdError),
                "{bad}"
            );
        }
    }

    /// Changes as devices make them: few fields and nodes, so that writes collide, and
    /// timestamps from a small range, so that some are equal (a tie only a bug produces,
    /// which must still resolve the same way everywhere).
    fn arb_change() -> impl Strategy<Value = Envelope> {
        let field = prop_oneof![Just("a"), Just("b"), Just("c")];
        let value = prop_oneof![
            any::<i8>().prop_map(|n| json!(n)),
            "[a-c]{0,2}".prop_map(|s| json!(s))
        ];
        (
            0u64..6,
            0u64..3,
            prop::collection::btree_map(field, value, 0..3),
            prop::option::of(any::<bool>()),
        )
            .prop_map(|(wall, node, values, deleted)| {
                let values: Vec<(&str, Value)> = values.into_iter().collect();
                change(wall, node, &values, deleted)
            })
    }

    fn fold(changes: &[Envelope]) -> Envelope {
        let mut state = change(0, 0, &[], None).empty_like();
        for c in changes {
            state.merge(c).expect("same record");
        }
        state
    }

    proptest! {
        #[test]
        fn merge_is_commutative(a in arb_change(), b in arb_change()) {
            prop_assert_eq!(a.merged(&b).expect("same"), b.merged(&a).expect("same"));
        }

        #[test]
        fn merge_is_associative(a in arb_change(), b in arb_change(), c in arb_change()) {
            let left = a.merged(&b).and_then(|ab| ab.merged(&c)).expect("same");
            let right = b.merged(&c).and_then(|bc| a.merged(&bc)).expect("same");
            prop_assert_eq!(left, right);
        }

        #[test]
        fn merge_is_idempotent(a in arb_change(), b in arb_change()) {
            let once = a.merged(&b).expect("same");
            prop_assert_eq!(once.merged(&b).expect("same"), once.clone());
            prop_assert_eq!(once.merged(&once).expect("same"), once);
        }

        /// Replicas that each receive the changes in their own order, some of them twice,
        /// hold the same record in the end.
        #[test]
        fn replicas_converge_whatever_the_delivery(
            changes in prop::collection::vec(arb_change(), 1..12),
            orders in prop::collection::vec(prop::collection::vec(any::<prop::sample::Index>(), 0..30), 2..5),
        ) {
            let expected = fold(&changes);
            for extra in orders {
                // Every change once, in a shuffled order, plus duplicates anywhere.
                let mut delivery: Vec<Envelope> = changes.clone();
                for (i, pick) in extra.iter().enumerate() {
                    let dup = changes[pick.index(changes.len())].clone();
                    let at = (i * 7) % (delivery.len() + 1);
                    delivery.insert(at, dup);
                }
                let len = delivery.len();
                for (i, pick) in extra.iter().enumerate() {
                    delivery.swap(i % len, pick.index(len));
                }
                prop_assert_eq!(fold(&delivery), expected.clone());
            }
        }
    }
}
