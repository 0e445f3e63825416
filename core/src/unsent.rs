//! How much a person sees waiting to be sent: records, not changes. Two edits of one subbotnik
//! wait as one, and a site made while logging the work that names it travels as part of that
//! work — the person logged one subbotnik, not two things.

use std::collections::BTreeSet;

use crate::id::RecordId;
use crate::record::{Envelope, RecordKind};

/// How many things `changes` (the outbox's, in any order) are to a person.
pub fn unsent_items<'a>(changes: impl IntoIterator<Item = &'a Envelope>) -> usize {
    let mut records = BTreeSet::new();
    let mut sites = BTreeSet::new();
    let mut named = BTreeSet::new();
    for change in changes {
        records.insert(change.id);
        match change.kind {
            RecordKind::Site => {
                sites.insert(change.id);
            }
            RecordKind::Activity => {
                let site = change
                    .fields
                    .get("site")
                    .and_then(|f| f.value.as_str())
                    .and_then(|id| id.parse::<RecordId>().ok());
                named.extend(site);
            }
            RecordKind::Item | RecordKind::Movement | RecordKind::Loan => {}
        }
    }
    records.len() - sites.intersection(&named).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{CommitteeId, Owner};
    use crate::hlc::Hlc;
    use crate::record::{AuthorId, Stamped};
    use proptest::prelude::*;
    use serde_json::json;

    fn id(n: u8) -> RecordId {
        format!("019a0000-0000-7000-8000-{n:012x}")
            .parse()
            .expect("id")
    }

    fn change(n: u8, kind: RecordKind, site: Option<u8>) -> Envelope {
        let mut fields = crate::record::Fields::new();
        if let Some(site) = site {
            let hlc: Hlc = "1764028800000-00000-00000000000004e9".parse().expect("hlc");
            fields.insert(
                "site".to_owned(),
                Stamped {
                    value: json!(id(site).to_string()),
                    hlc,
                },
            );
        }
        Envelope {
            id: id(n),
            kind,
            author: AuthorId::try_from("user:1".to_owned()).expect("author"),
            owner: Owner::Committee(CommitteeId(1)),
            deleted: None,
            fields,
        }
    }

    #[test]
    fn a_subbotnik_with_its_new_site_is_one_thing() {
        let site = change(1, RecordKind::Site, None);
        let work = change(2, RecordKind::Activity, Some(1));
        assert_eq!(unsent_items([&site, &work]), 1);
        assert_eq!(unsent_items([&work, &site]), 1);
    }

    #[test]
    fn a_record_changed_twice_is_one_thing_and_a_site_alone_is_one() {
        let work = change(2, RecordKind::Activity, None);
        let site = change(1, RecordKind::Site, None);
        assert_eq!(unsent_items([&work, &work.clone()]), 1);
        assert_eq!(unsent_items([&work, &site]), 2);
    }

    proptest! {
        #[test]
        fn never_more_than_the_records_nor_less_than_the_work(
            changes in proptest::collection::vec((0u8..9, proptest::option::of(0u8..9)), 0..20)
        ) {
            // A record id is one kind throughout, as on a device.
            let kinds = [RecordKind::Site, RecordKind::Activity, RecordKind::Loan];
            let changes: Vec<Envelope> = changes
                .iter()
                .map(|&(n, site)| {
                    let kind = kinds[usize::from(n % 3)];
                    change(n, kind, site.filter(|_| kind == RecordKind::Activity))
                })
                .collect();
            let records: BTreeSet<_> = changes.iter().map(|c| c.id).collect();
            let not_sites: BTreeSet<_> = changes.iter().filter(|c| c.kind != RecordKind::Site).map(|c| c.id).collect();
            let count = unsent_items(&changes);
            prop_assert!(count <= records.len());
            prop_assert!(count >= not_sites.len());
            prop_assert_eq!(count == 0, changes.is_empty());
        }
    }
}
