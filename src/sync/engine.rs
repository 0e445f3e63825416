//! One sync pass: push what the device has not sent, then pull what it has not seen.

use dvor_core::protocol::MAX_PAGE_LIMIT;

use crate::api::{Api, ApiFailure};
use crate::clock::now_ms;
use crate::store::{Store, StoreError, SyncState};

/// Why a sync pass stopped. Records refused by the server do not stop it: they are marked and
/// the pass goes on with the rest.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The server could not be reached or failed.
    #[error(transparent)]
    Api(#[from] ApiFailure),
    /// The device's storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How far a pull has come: records received in this pass, of how many the server has for us.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PullProgress {
    /// Received and stored so far.
    pub received: u64,
    /// Received plus still waiting on the server.
    pub total: u64,
}

/// Pushes every pending activity, then pulls pages until the server has no more, reporting
/// progress after each page is stored.
pub async fn sync_once(
    store: &Store,
    api: &Api,
    on_progress: impl Fn(PullProgress),
) -> Result<(), SyncError> {
    for activity in store.pending_activities().await? {
        let state = match api.create_activity(&activity).await {
            Ok(()) => SyncState::Synced,
            Err(ApiFailure::Refused(error)) => SyncState::Rejected {
                code: error.code,
                message: error.message,
            },
            Err(failure) => return Err(failure.into()),
        };
        store.record_outcome(&activity, state).await?;
    }
    let mut cursor = store.sync_meta().await?.cursor;
    let mut received = 0;
    loop {
        let page = api.activities_after(cursor, MAX_PAGE_LIMIT).await?;
        store.apply_page(&page).await?;
        received += page.items.len() as u64;
        on_progress(PullProgress {
            received,
            total: received + page.remaining,
        });
        // A server that claims more without moving on would loop for ever; the next pass
        // resumes from the stored cursor.
        if !page.has_more || page.cursor <= cursor {
            break;
        }
        cursor = page.cursor;
    }
    store.set_last_synced(now_ms()).await?;
    Ok(())
}
