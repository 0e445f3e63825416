//! Sending the photos made here: each one by one, its progress shown, and kept marked as unsent
//! until the server has it, so a failed upload is tried again on the next pass.

use std::collections::HashMap;

use dvor_core::photo::BlobHash;
use leptos::prelude::*;

use crate::api::{Api, ApiFailure};
use crate::store::Store;
use crate::sync::SyncError;

/// Where a photo's upload stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadState {
    /// Being sent: how much of it, in percent.
    Sending(u8),
    /// The last try failed; the next pass tries again.
    Failed,
}

/// The uploads of this session, for the screens; a photo not in it waits for the next pass.
#[derive(Clone, Copy, Debug)]
pub struct Uploads(pub RwSignal<HashMap<BlobHash, UploadState>>);

impl Uploads {
    /// No upload yet.
    pub fn new() -> Self {
        Self(RwSignal::new(HashMap::new()))
    }

    /// Where photo `hash` stands, if an upload of it began in this session.
    pub fn state(&self, hash: BlobHash) -> Option<UploadState> {
        self.0.with(|all| all.get(&hash).copied())
    }

    fn set(&self, hash: BlobHash, state: Option<UploadState>) {
        self.0.update(|all| match state {
            Some(state) => {
                all.insert(hash, state);
            }
            None => {
                all.remove(&hash);
            }
        });
    }
}

impl Default for Uploads {
    fn default() -> Self {
        Self::new()
    }
}

/// Sends every photo the server does not have yet, as the person whose session `token` is;
/// how many were sent. A photo the server refuses stays marked, shown as failed; a network or
/// server failure stops the round, for the next pass to resume.
pub async fn upload_unsent(
    store: &Store,
    api: &Api,
    token: &str,
    uploads: Uploads,
) -> Result<usize, SyncError> {
    let mut sent = 0;
    for hash in store.unsent_photos().await? {
        let Some(blob) = store.photo(hash).await? else {
            // Nothing to send: the blob went with a sign-out in another tab.
            store.photo_sent(hash).await?;
            continue;
        };
        uploads.set(hash, Some(UploadState::Sending(0)));
        let progress = move |done: f64, all: f64| {
            if all > 0.0 {
                let percent = (done / all * 100.0).clamp(0.0, 100.0) as u8;
                uploads.set(hash, Some(UploadState::Sending(percent)));
            }
        };
        match api.put_blob(token, hash, &blob, progress).await {
            Ok(()) => {
                store.photo_sent(hash).await?;
                uploads.set(hash, None);
                sent += 1;
            }
            Err(failure) => {
                uploads.set(hash, Some(UploadState::Failed));
                // A photo the server refuses (which the device's own photos should never be)
                // does not hold the others back; anything else ends the round.
                if !matches!(failure, ApiFailure::Refused(_)) || failure.is_session_over() {
                    return Err(failure.into());
                }
            }
        }
    }
    Ok(sent)
}
