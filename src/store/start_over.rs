//! Starting over with a server restored from a backup (see `dvor_core::lineage`): the server
//! lacks what was written after its copy and counts its cursor from there, so the device sends
//! again what it wrote and pulls everything afresh.

use std::collections::{HashMap, HashSet};

use dvor_core::id::RecordId;
use dvor_core::lineage::Lineage;
use dvor_core::protocol::Mutation;
use dvor_core::record::Envelope;
use dvor_core::replica::Replica;

use super::codec::{get_all, put, text_keys};
use super::listing::put_replica;
use super::outbox;
use super::schema::{META, OUTBOX, PHOTOS, REPLICAS, UPLOADS};
use super::sync_meta;
use super::{Store, StoreError};

impl Store {
    /// Queues again, in one transaction with the cursor set back to the start and `lineage`
    /// kept as the server's: every record this device wrote to, whole (see
    /// `Replica::start_over`), and the photos of those records that it holds. Done once per
    /// lineage: a second call for the same one changes nothing. How many records were queued.
    pub async fn start_over(&self, lineage: &Lineage) -> Result<usize, StoreError> {
        let tx = self.writing_durably([REPLICAS, OUTBOX, META, PHOTOS, UPLOADS])?;
        let meta = tx.object_store(META)?;
        let known = sync_meta::read(&meta).await?;
        if known.lineage.as_ref() == Some(lineage) {
            return Ok(0);
        }
        let node = known
            .node
            .ok_or_else(|| StoreError::Corrupt("the device has no node id".to_owned()))?;
        let (replicas, unsent) = (tx.object_store(REPLICAS)?, tx.object_store(OUTBOX)?);
        let mut waiting: HashMap<RecordId, Vec<Envelope>> = HashMap::new();
        for entry in outbox::all(&unsent).await? {
            if entry.rejected.is_none() {
                let change = entry.mutation.change;
                waiting.entry(change.id).or_default().push(change);
            }
        }
        let held: HashSet<String> = text_keys(&tx.object_store(PHOTOS)?)
            .await?
            .into_iter()
            .collect();
        let uploads = tx.object_store(UPLOADS)?;
        let mut queued = 0;
        for replica in get_all::<Replica>(&replicas).await? {
            let id = replica.state.id;
            let changes = waiting.get(&id).map(Vec::as_slice).unwrap_or_default();
            let (replica, resend) = replica
                .start_over(node, changes)
                .map_err(|e| StoreError::Corrupt(format!("record {id}: {e}")))?;
            let Some(change) = resend else {
                continue;
            };
            for blob in change.photos().flat_map(|photo| photo.blobs()) {
                let key = blob.to_string();
                if held.contains(&key) {
                    put(&uploads, key, &true)?;
                }
            }
            put_replica(&replicas, &replica)?;
            outbox::push(
                &unsent,
                Mutation {
                    mutation_id: crate::clock::new_mutation_id()?,
                    change,
                },
            )?;
            queued += 1;
        }
        sync_meta::update(&meta, |meta| {
            meta.cursor = 0;
            meta.lineage = Some(lineage.clone());
        })
        .await?;
        tx.commit().await?;
        Ok(queued)
    }
}
