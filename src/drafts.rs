//! Drafts of new records: what is typed into a form is kept on the device as it is typed and
//! given back when the form opens again, after a reload, a crash or a flat battery.

use dvor_core::activity::ActivityKind;
use dvor_core::geo::Location;
use dvor_core::photo::PhotoRef;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::store::Draft;
use crate::store::StoreHandle;

/// The draft keys of the photos and the location, kept as JSON.
const PHOTOS: &str = "photos";
const LOCATION: &str = "location";

/// Fields the forms fill in by themselves (today, the usual committee, the last site): a form
/// with nothing else in it holds nothing worth keeping.
const PREFILLED: [&str; 3] = ["date", "owner", "site"];

/// The form that logs a new activity of `kind`.
pub fn activity_form(kind: ActivityKind) -> String {
    format!("new:{}", kind.key())
}

/// The form that adds a site.
pub const SITE_FORM: &str = "new:site";

/// The fields of a form a draft keeps.
#[derive(Clone)]
pub struct DraftFields {
    /// Text fields, by id.
    pub text: Vec<(&'static str, RwSignal<String>)>,
    /// Yes/no fields, by id.
    pub flags: Vec<(&'static str, RwSignal<bool>)>,
    /// The photos chosen.
    pub photos: RwSignal<Vec<PhotoRef>>,
    /// The point found, in forms that have one.
    pub location: Option<RwSignal<Option<Location>>>,
    /// Fields the form was opened with by a link (the site just made): their value stands over
    /// the draft's.
    pub given: Vec<&'static str>,
}

impl DraftFields {
    fn draft(&self) -> Draft {
        let mut draft: Draft = self
            .text
            .iter()
            .map(|(id, value)| ((*id).to_owned(), value.get()))
            .collect();
        for (id, value) in &self.flags {
            if value.get() {
                draft.insert((*id).to_owned(), "1".to_owned());
            }
        }
        self.photos.with(|photos| {
            if !photos.is_empty() {
                draft.insert(
                    PHOTOS.to_owned(),
                    serde_json::to_string(photos).unwrap_or_default(),
                );
            }
        });
        if let Some(location) = self.location.and_then(|l| l.get()) {
            draft.insert(
                LOCATION.to_owned(),
                serde_json::to_string(&location).unwrap_or_default(),
            );
        }
        draft
    }

    fn restore(&self, draft: &Draft) {
        for (id, value) in self.text.iter().filter(|(id, _)| !self.given.contains(id)) {
            if let Some(typed) = draft.get(*id) {
                value.set(typed.clone());
            }
        }
        for (id, value) in &self.flags {
            value.set(draft.contains_key(*id));
        }
        if let Some(photos) = draft.get(PHOTOS).and_then(|p| serde_json::from_str(p).ok()) {
            self.photos.set(photos);
        }
        if let Some(signal) = self.location {
            signal.set(
                draft
                    .get(LOCATION)
                    .and_then(|l| serde_json::from_str(l).ok()),
            );
        }
    }
}

/// Fills `fields` from the draft left in `form`, if any, and from then on keeps every change
/// in it. Returns whether a draft was restored, for the form to say so.
pub fn keep_drafts(form: String, fields: DraftFields) -> RwSignal<bool> {
    let store = expect_context::<StoreHandle>();
    let restored = RwSignal::new(false);
    // Nothing is written before the draft is read: the empty form would overwrite it.
    let read = RwSignal::new(false);
    spawn_local({
        let (store, form, fields) = (store.clone(), form.clone(), fields.clone());
        async move {
            if let Ok(Some(draft)) = store.draft(&form).await {
                fields.restore(&draft);
                restored.set(true);
            }
            read.set(true);
        }
    });
    Effect::new(move || {
        let draft = fields.draft();
        if !read.get() {
            return;
        }
        let typed = draft
            .iter()
            .any(|(id, value)| !PREFILLED.contains(&id.as_str()) && !value.is_empty());
        let (store, form) = (store.clone(), form.clone());
        // A draft that cannot be written leaves the form as it is: saving will say what fails.
        spawn_local(async move {
            drop(if typed {
                store.keep_draft(&form, &draft).await
            } else {
                store.drop_draft(&form).await
            })
        });
    });
    restored
}

/// Forgets the draft of `form` in `store`: it was saved, or the person cancelled. (The store is
/// passed in: this runs in event handlers and tasks, outside the component that provides it.)
pub fn forget_draft(store: &StoreHandle, form: String) {
    let store = store.clone();
    spawn_local(async move { drop(store.drop_draft(&form).await) });
}
