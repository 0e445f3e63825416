//! The order the device's lists show records in, as one text key per record, so that storage
//! sorting keys as text (IndexedDB's indexes) gives the lists' order and a list's first screen
//! is the first keys of a range: activities newest first (by date, then by the time their id
//! was made), sites by name.

use crate::id::RecordId;
use crate::record::{Envelope, RecordKind};

/// A part of the lists: the keys of its records share its first character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Activities, newest first.
    Activities,
    /// Sites, by name.
    Sites,
    /// Items, movements and loans, in the order they were made: the inventory screens read
    /// the section whole and sum it.
    Inventory,
}

impl Section {
    fn prefix(self) -> char {
        match self {
            Section::Activities => 'a',
            Section::Sites => 's',
            Section::Inventory => 'i',
        }
    }

    /// The least key of the section and the least key after it: its keys lie in between.
    pub fn bounds(self) -> (String, String) {
        let prefix = self.prefix();
        let next = char::from_u32(prefix as u32 + 1).unwrap_or(char::MAX);
        (prefix.to_string(), next.to_string())
    }
}

/// The key of `record` in its list; `None` for a deleted record, which no list shows, or one
/// no list shows in order.
pub fn list_order(record: &Envelope) -> Option<String> {
    if record.is_deleted() {
        return None;
    }
    let text = |name: &str| {
        record
            .fields
            .get(name)
            .and_then(|field| field.value.as_str())
    };
    match record.kind {
        RecordKind::Activity => {
            // Each decimal digit of the date and hex digit of the id replaced by its
            // complement: ascending keys are then descending dates and ids.
            let date: String = text("date")?
                .chars()
                .filter(char::is_ascii_digit)
                .map(|d| char::from(b'9' - (d as u8 - b'0')))
                .collect();
            Some(format!(
                "{}{date}{}",
                Section::Activities.prefix(),
                complement(record.id)
            ))
        }
        RecordKind::Site => Some(format!(
            "{}{}\u{1}{}",
            Section::Sites.prefix(),
            text("name")?.to_lowercase(),
            record.id
        )),
        RecordKind::Item | RecordKind::Movement | RecordKind::Loan => {
            Some(format!("{}{}", Section::Inventory.prefix(), record.id))
        }
    }
}

fn complement(id: RecordId) -> String {
    id.to_string()
        .chars()
        .map(|c| match c.to_digit(16) {
            Some(d) => char::from_digit(15 - d, 16).unwrap_or(c),
            None => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{CommitteeId, Owner};
    use crate::account::UserId;
    use crate::hlc::{Hlc, NodeId};
    use crate::record::AuthorId;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    fn record(kind: RecordKind, ms: u64, values: &[(&str, Value)], deleted: bool) -> Envelope {
        Envelope::change(
            RecordId::from_parts(ms, [9; 10]),
            kind,
            AuthorId::user(UserId(1)),
            Owner::Committee(CommitteeId(1)),
            Hlc::new(1, 0, NodeId::from_bits(1)),
            values
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
            Some(deleted),
        )
    }

    fn activity(date: &str, ms: u64) -> Envelope {
        record(RecordKind::Activity, ms, &[("date", json!(date))], false)
    }

    #[test]
    fn deleted_records_are_in_no_list() {
        let gone = record(
            RecordKind::Activity,
            1,
            &[("date", json!("2026-05-01"))],
            true,
        );
        assert_eq!(list_order(&gone), None);
    }

    #[test]
    fn each_record_is_in_its_sections_bounds() {
        let site = record(RecordKind::Site, 1, &[("name", json!("Двор"))], false);
        let movement = record(RecordKind::Movement, 1, &[], false);
        for (record, section) in [
            (activity("2026-05-01", 1), Section::Activities),
            (site, Section::Sites),
            (movement, Section::Inventory),
        ] {
            let key = list_order(&record).expect("listed");
            let (low, high) = section.bounds();
            assert!(low <= key && key < high, "{key}");
        }
    }

    #[test]
    fn sites_go_by_name_whatever_the_case() {
        let named = |name: &str, ms| {
            list_order(&record(
                RecordKind::Site,
                ms,
                &[("name", json!(name))],
                false,
            ))
        };
        assert!(named("березовая роща", 9) < named("Ясная поляна", 1));
    }

    proptest! {
        /// Ascending keys are activities from the latest date down, and on one date from the
        /// latest made down.
        #[test]
        fn activity_keys_sort_newest_first(
            a in (1998u32..2100, 1u32..13, 1u32..29, 0u64..1 << 40),
            b in (1998u32..2100, 1u32..13, 1u32..29, 0u64..1 << 40),
        ) {
            let date = |(y, m, d, _): (u32, u32, u32, u64)| format!("{y:04}-{m:02}-{d:02}");
            let key = |x: (u32, u32, u32, u64)| list_order(&activity(&date(x), x.3)).expect("listed");
            let newest_first = (date(b), b.3).cmp(&(date(a), a.3));
            prop_assert_eq!(key(a).cmp(&key(b)), newest_first);
        }
    }
}
