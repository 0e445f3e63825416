//! Where a record stands with the server, its photos included: «не отправлено», «отправлено»,
//! «отклонено сервером», and while photos are on the device only, how their sending goes.

use dvor_core::photo::PhotoRef;
use leptos::prelude::*;

use crate::i18n::t;
use crate::photos::{UploadState, Uploads};
use crate::records::Records;
use crate::store::SyncState;
use crate::sync::Syncer;

/// The badge of a record in `state` with `photos`.
#[component]
pub fn SyncBadge(state: SyncState, photos: Vec<PhotoRef>) -> impl IntoView {
    let t = t();
    let (class, text) = match &state {
        SyncState::Synced => ("badge synced", t.common.badge_synced),
        SyncState::Pending => ("badge unsynced", t.common.badge_unsynced),
        SyncState::Rejected { .. } => ("badge rejected", t.common.badge_rejected),
    };
    let records = expect_context::<Records>();
    let uploads = expect_context::<Uploads>();
    let syncer = expect_context::<Syncer>();
    let photos_note = move || {
        // A photo is unsent while the server lacks it or its thumbnail.
        let unsent: Vec<_> = records.unsent_photos.with(|unsent| {
            photos
                .iter()
                .flat_map(PhotoRef::blobs)
                .filter(|blob| unsent.contains(blob))
                .collect()
        });
        if unsent.is_empty() {
            return None;
        }
        let count = photos
            .iter()
            .filter(|photo| photo.blobs().iter().any(|blob| unsent.contains(blob)))
            .count();
        let states: Vec<_> = unsent.iter().filter_map(|b| uploads.state(*b)).collect();
        let sending = states.iter().find_map(|s| match s {
            UploadState::Sending(percent) => Some(*percent),
            UploadState::Failed => None,
        });
        let failed = states.contains(&UploadState::Failed);
        let syncer = syncer.clone();
        Some(match (sending, failed) {
            (Some(percent), _) => view! {
                <span class="badge unsynced photos-state" role="status">{(t.shell.photo_sending)(percent)}</span>
            }
            .into_any(),
            (None, true) => view! {
                <span class="badge rejected photos-state" role="status">{t.shell.photo_send_failed}</span>
                <button type="button" class="button small" on:click=move |_| syncer.request()>{t.shell.retry}</button>
            }
            .into_any(),
            (None, false) => view! {
                <span class="badge unsynced photos-state">{(t.shell.photos_unsent)(count)}</span>
            }
            .into_any(),
        })
    };
    view! {
        <span class="badges">
            <span class=class>{text}</span>
            {photos_note}
        </span>
    }
}
