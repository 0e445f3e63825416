//! One sync pass: push what the device has not sent, then pull what it has not seen.

use dvor_core::protocol::MAX_PAGE_LIMIT;

use super::timing::Span;
use crate::api::{Api, ApiFailure};
use crate::clock::now_ms;
use crate::store::{Store, StoreError};

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

/// How many changes one push carries at most.
const PUSH_BATCH: u32 = 200;

/// Pushes every change waiting in the outbox, in batches, then pulls pages until the server
/// has no more, reporting progress after each page is stored. A change the server refuses is
/// marked and the pass goes on with the rest.
pub async fn sync_once(
    store: &Store,
    api: &Api,
    on_progress: impl Fn(PullProgress),
) -> Result<(), SyncError> {
    let push = Span::start("dvor:push");
    let mut after = 0;
    loop {
        let mut batch = store.outbox_after(after, PUSH_BATCH).await?;
        let Some(last) = batch.last().and_then(|entry| entry.seq) else {
            break;
        };
        after = last;
        // Refused changes wait for the person, not for the network.
        batch.retain(|entry| entry.rejected.is_none());
        if batch.is_empty() {
            continue;
        }
        let mutations: Vec<_> = batch.iter().map(|entry| entry.mutation.clone()).collect();
        let response = api.push(&mutations).await?;
        store.record_results(&batch, &response.results).await?;
    }
    push.end();
    let pull = Span::start("dvor:pull");
    let mut cursor = store.sync_meta().await?.cursor;
    let mut received = 0;
    loop {
        let page = api.pull(cursor, MAX_PAGE_LIMIT).await?;
        let write = Span::start("dvor:pull-write");
        store.apply_page(&page).await?;
        write.end();
        received += page.changes.len() as u64;
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
    pull.end();
    store.set_last_synced(now_ms()).await?;
    Ok(())
}
