//! One sync pass: push what the device has not sent, then pull what it has not seen.

use dvor_core::lineage::Lineage;
use dvor_core::protocol::{MAX_PAGE_LIMIT, MAX_PUSH_BATCH, PushRequest, PushResponse};
use futures_util::future::join;

use crate::api::{Api, ApiFailure};
use crate::clock::now_ms;
use crate::store::{OutboxEntry, PageApplied, Store, StoreError};
use crate::timing::Span;

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

/// Pushes every change waiting in the outbox, in batches, then pulls pages until the server
/// has no more, reporting progress after each page is stored; as the person whose session
/// `token` is. A change the server refuses is marked and the pass goes on with the rest. A
/// server restored from a backup since the last pass (another lineage) is started over with:
/// the device queues again what it wrote, pushes it and pulls from the start, once per pass.
/// Whether the device's records changed: answers stored or records pulled.
pub async fn sync_once(
    store: &Store,
    api: &Api,
    token: &str,
    on_progress: impl Fn(PullProgress),
) -> Result<bool, SyncError> {
    let mut pushed = push_all(store, api, token).await?;
    let mut received = 0;
    let mut started_over = false;
    while let Some(lineage) = pull_all(store, api, token, &mut received, &on_progress).await? {
        if started_over {
            // Two histories in one pass: two servers on different data behind one address.
            // The next pass tries again rather than send everything round and round.
            return Ok(true);
        }
        store.start_over(&lineage).await?;
        started_over = true;
        pushed |= push_all(store, api, token).await?;
    }
    store.set_last_synced(now_ms()).await?;
    Ok(pushed || received > 0 || started_over)
}

/// Pushes the outbox in batches; whether anything was sent.
async fn push_all(store: &Store, api: &Api, token: &str) -> Result<bool, SyncError> {
    let push = Span::start("dvor:push");
    // While a batch travels, the answers to the one before are stored: the device and the
    // server work at the same time.
    let mut answered: Option<(Vec<OutboxEntry>, PushResponse)> = None;
    let mut after = 0;
    let mut pushed = false;
    loop {
        let read = Span::start("dvor:push-read");
        let batch = store.outbox_after(after, MAX_PUSH_BATCH).await?;
        read.end();
        let Some(last) = batch.last() else {
            break;
        };
        after = last.seq;
        // Refused changes wait for the person, not for the network.
        let sent = PushRequest {
            mutations: batch
                .iter()
                .filter(|entry| entry.rejected.is_none())
                .map(|entry| entry.mutation.clone())
                .collect(),
        };
        if sent.mutations.is_empty() {
            continue;
        }
        pushed = true;
        let (response, recorded) =
            join(api.push(token, &sent), record(store, answered.take())).await;
        recorded?;
        answered = Some((batch, response?));
    }
    record(store, answered).await?;
    push.end();
    Ok(pushed)
}

/// Pulls pages from the stored cursor until the server has no more, counting the records in
/// `received`; the server's new lineage if its first page shows it was restored meanwhile.
async fn pull_all(
    store: &Store,
    api: &Api,
    token: &str,
    received: &mut u64,
    on_progress: &impl Fn(PullProgress),
) -> Result<Option<Lineage>, SyncError> {
    let pull = Span::start("dvor:pull");
    let mut cursor = store.sync_meta().await?.cursor;
    let mut page = api.pull(token, cursor, MAX_PAGE_LIMIT).await?;
    loop {
        // A server that claims more without moving on would loop for ever; the next pass
        // resumes from the stored cursor.
        let more = page.has_more && page.cursor > cursor;
        cursor = page.cursor;
        // The next page travels while this one is stored; it is stored only after this one,
        // so the stored cursor never passes a record that is not.
        let write = async {
            let span = Span::start("dvor:pull-write");
            let applied = store.apply_page(&page).await?;
            span.end();
            if applied == PageApplied::Stored {
                *received += page.changes.len() as u64;
                on_progress(PullProgress {
                    received: *received,
                    total: *received + page.remaining,
                });
            }
            Ok::<_, StoreError>(applied)
        };
        let (applied, next) = if more {
            let (applied, next) = join(write, api.pull(token, cursor, MAX_PAGE_LIMIT)).await;
            (applied?, Some(next))
        } else {
            (write.await?, None)
        };
        if let PageApplied::OtherLineage(lineage) = applied {
            return Ok(Some(lineage));
        }
        match next {
            Some(next) => page = next?,
            None => break,
        }
    }
    pull.end();
    Ok(None)
}

/// Stores the server's answers to a batch, if there is one.
async fn record(
    store: &Store,
    answered: Option<(Vec<OutboxEntry>, PushResponse)>,
) -> Result<(), StoreError> {
    let Some((sent, response)) = answered else {
        return Ok(());
    };
    let span = Span::start("dvor:push-answers");
    store.record_results(&sent, &response.results).await?;
    span.end();
    Ok(())
}
