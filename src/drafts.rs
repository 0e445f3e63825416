//! Drafts of new records: what is typed into the form is kept on the device as it is typed and
//! given back when the form opens again, after a reload, a crash or a flat battery.

use dvor_core::activity::ActivityKind;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::StoreHandle;
use crate::store::Draft;

/// The draft's key for the youth flag, the one field that is not text.
const YOUTH: &str = "youth";

/// Fields the form fills in by itself (today, the usual committee): a form with nothing else in
/// it holds nothing worth keeping.
const PREFILLED: [&str; 2] = ["date", "owner"];

/// Fills `text` (field ids and their typed text) and `youth` from the draft of a new record of
/// `kind`, if one was left, and from then on keeps every change in it. Returns whether a draft
/// was restored, for the form to say so.
pub fn keep_drafts(
    kind: ActivityKind,
    text: Vec<(&'static str, RwSignal<String>)>,
    youth: RwSignal<bool>,
) -> RwSignal<bool> {
    let store = expect_context::<StoreHandle>();
    let restored = RwSignal::new(false);
    // Nothing is written before the draft is read: the empty form would overwrite it.
    let read = RwSignal::new(false);
    spawn_local({
        let (store, text) = (store.clone(), text.clone());
        async move {
            if let Ok(Some(draft)) = store.draft(kind).await {
                for (id, value) in &text {
                    if let Some(typed) = draft.get(*id) {
                        value.set(typed.clone());
                    }
                }
                youth.set(draft.contains_key(YOUTH));
                restored.set(true);
            }
            read.set(true);
        }
    });
    Effect::new(move || {
        let mut draft: Draft = text
            .iter()
            .map(|(id, value)| ((*id).to_owned(), value.get()))
            .collect();
        if youth.get() {
            draft.insert(YOUTH.to_owned(), "1".to_owned());
        }
        if !read.get() {
            return;
        }
        let typed = draft
            .iter()
            .any(|(id, value)| !PREFILLED.contains(&id.as_str()) && !value.is_empty());
        let store = store.clone();
        // A draft that cannot be written leaves the form as it is: saving will say what fails.
        spawn_local(async move {
            drop(if typed {
                store.keep_draft(kind, &draft).await
            } else {
                store.drop_draft(kind).await
            })
        });
    });
    restored
}

/// Forgets the draft of a new record of `kind` in `store`: it was saved, or the person
/// cancelled. (The store is passed in: this runs in event handlers and tasks, outside the
/// component that provides it.)
pub fn forget_draft(store: &StoreHandle, kind: ActivityKind) {
    let store = store.clone();
    spawn_local(async move { drop(store.drop_draft(kind).await) });
}
