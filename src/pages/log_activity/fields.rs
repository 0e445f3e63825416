//! The activity form's fields as one typed value: a signal per field, filled from a record (or
//! empty), read back as the input the rules check, and named for the draft kept while typing.

use std::collections::BTreeMap;

use dvor_core::access::Owner;
use dvor_core::activity::{ActivityInput, ActivityKind, parse_typed_count};
use dvor_core::error::{Field, FieldError};
use dvor_core::id::RecordId;
use dvor_core::measure::MeasureSpec;
use dvor_core::photo::PhotoRef;
use leptos::prelude::*;

use crate::clock::today;
use crate::drafts::DraftFields;

/// What the person has typed, field by field.
#[derive(Clone)]
pub struct ActivityFields {
    pub date: RwSignal<String>,
    /// The committee or centre, as its key.
    pub owner: RwSignal<String>,
    pub variant: RwSignal<String>,
    pub youth: RwSignal<bool>,
    pub title: RwSignal<String>,
    /// The club a meeting belongs to, as its id.
    pub part_of: RwSignal<String>,
    /// The site, as its id.
    pub site: RwSignal<String>,
    pub site_address: RwSignal<String>,
    pub photos: RwSignal<Vec<PhotoRef>>,
    /// The kind's measures, in its declared order, each as typed.
    pub measures: Vec<(MeasureSpec, RwSignal<String>)>,
}

impl ActivityFields {
    /// The fields of a `kind` record: `input`'s values, or today and nothing else for a new
    /// one, whose site may come from the link that opened the form.
    pub fn new(
        kind: ActivityKind,
        input: Option<&ActivityInput>,
        linked_site: Option<String>,
    ) -> Self {
        let text = |value: Option<String>| RwSignal::new(value.unwrap_or_default());
        Self {
            date: RwSignal::new(input.map_or_else(|| today().to_string(), |i| i.date.clone())),
            owner: text(input.and_then(|i| i.owner).map(Owner::key)),
            variant: text(input.and_then(|i| i.variant.clone())),
            youth: RwSignal::new(input.is_some_and(|i| i.youth)),
            title: text(input.map(|i| i.title.clone())),
            part_of: text(input.and_then(|i| i.part_of.clone())),
            site: text(input.and_then(|i| i.site.clone()).or(linked_site)),
            site_address: text(input.map(|i| i.site_address.clone())),
            photos: RwSignal::new(input.map(|i| i.photos.clone()).unwrap_or_default()),
            measures: kind
                .spec()
                .measures
                .iter()
                .map(|spec| {
                    let value = input
                        .and_then(|i| i.measures.get(spec.measure.key()))
                        .map(i64::to_string);
                    (*spec, text(value))
                })
                .collect(),
        }
    }

    /// The fields by the names a draft keeps them under; `given` came with the link.
    pub fn draft(&self, given: Vec<&'static str>) -> DraftFields {
        let mut text = vec![
            ("date", self.date),
            ("owner", self.owner),
            ("variant", self.variant),
            ("title", self.title),
            ("part_of", self.part_of),
            ("site", self.site),
            ("site_address", self.site_address),
        ];
        text.extend(
            self.measures
                .iter()
                .map(|(spec, value)| (spec.measure.key(), *value)),
        );
        DraftFields {
            text,
            flags: vec![("youth", self.youth)],
            photos: self.photos,
            location: None,
            given,
        }
    }

    /// The record `id` of `kind` as typed, and the counts that are not whole numbers (left
    /// out of the input, which the rules would otherwise call missing).
    pub fn input(&self, id: RecordId, kind: ActivityKind) -> (ActivityInput, Vec<FieldError>) {
        let mut measures = BTreeMap::new();
        let mut not_numbers = Vec::new();
        for (spec, value) in &self.measures {
            match parse_typed_count(&value.get_untracked()) {
                Ok(Some(n)) => {
                    measures.insert(spec.measure.key().to_owned(), n);
                }
                Ok(None) => {}
                Err(code) => not_numbers.push(FieldError::new(Field::Measure(spec.measure), code)),
            }
        }
        let chosen =
            |value: RwSignal<String>| Some(value.get_untracked()).filter(|v| !v.is_empty());
        let input = ActivityInput {
            id: id.to_string(),
            kind: kind.key().to_owned(),
            date: self.date.get_untracked(),
            owner: Owner::from_key(&self.owner.get_untracked()),
            variant: chosen(self.variant),
            youth: self.youth.get_untracked(),
            title: self.title.get_untracked(),
            part_of: chosen(self.part_of),
            site: chosen(self.site),
            site_address: self.site_address.get_untracked(),
            measures,
            photos: self.photos.get_untracked(),
        };
        (input, not_numbers)
    }
}
