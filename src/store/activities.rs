//! Activities on the device.

use dvor_core::activity::Activity;
use dvor_core::id::RecordId;
use dvor_core::protocol::ActivityPage;
use indexed_db_futures::object_store::ObjectStore;

use super::codec::{add, get, get_all, put, remove};
use super::schema::{ACTIVITIES, META};
use super::sync_meta;
use super::{LocalActivity, Store, StoreError, SyncState};

/// What restoring a backup did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Restored {
    /// Records new to this device, now pending.
    pub added: usize,
    /// Records the device already had, left as they were.
    pub already_present: usize,
}

impl Store {
    /// Saves a new activity, waiting to be sent. Fails if the id is already taken.
    pub async fn add_activity(&self, activity: &Activity) -> Result<(), StoreError> {
        let tx = self.writing(ACTIVITIES)?;
        let local = LocalActivity::pending(activity.clone());
        add(&tx.object_store(ACTIVITIES)?, &local).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every activity on the device, latest first.
    pub async fn activities(&self) -> Result<Vec<LocalActivity>, StoreError> {
        let tx = self.reading(ACTIVITIES)?;
        let mut all: Vec<LocalActivity> = get_all(&tx.object_store(ACTIVITIES)?).await?;
        all.sort_by_key(|local| std::cmp::Reverse((local.activity.date, local.activity.id)));
        Ok(all)
    }

    /// The activities waiting to be sent, oldest first.
    pub async fn pending_activities(&self) -> Result<Vec<Activity>, StoreError> {
        self.activities_where(|state| *state == SyncState::Pending)
            .await
    }

    /// The activities the server does not have (pending or refused), oldest first: what a
    /// backup must hold.
    pub async fn unsynced_activities(&self) -> Result<Vec<Activity>, StoreError> {
        self.activities_where(|state| *state != SyncState::Synced)
            .await
    }

    async fn activities_where(
        &self,
        keep: impl Fn(&SyncState) -> bool,
    ) -> Result<Vec<Activity>, StoreError> {
        let mut chosen: Vec<Activity> = self
            .activities()
            .await?
            .into_iter()
            .filter(|local| keep(&local.state))
            .map(|local| local.activity)
            .collect();
        chosen.sort_by_key(|a| a.id);
        Ok(chosen)
    }

    /// Adds restored activities as pending, in one transaction; an id already on the device is
    /// left as it is, so restoring the same file twice changes nothing.
    pub async fn restore_activities(
        &self,
        activities: &[Activity],
    ) -> Result<Restored, StoreError> {
        let tx = self.writing(ACTIVITIES)?;
        let store = tx.object_store(ACTIVITIES)?;
        let mut restored = Restored::default();
        for activity in activities {
            if get::<LocalActivity>(&store, &activity.id.to_string())
                .await?
                .is_some()
            {
                restored.already_present += 1;
            } else {
                add(&store, &LocalActivity::pending(activity.clone())).await?;
                restored.added += 1;
            }
        }
        tx.commit().await?;
        Ok(restored)
    }

    /// Records the server's answer to sending `sent`, unless the record changed since it was
    /// read for sending: then the answer is about an older version and the record stays pending.
    pub async fn record_outcome(
        &self,
        sent: &Activity,
        state: SyncState,
    ) -> Result<(), StoreError> {
        let tx = self.writing(ACTIVITIES)?;
        let store = tx.object_store(ACTIVITIES)?;
        let current = get::<LocalActivity>(&store, &sent.id.to_string()).await?;
        if current.is_some_and(|c| c.state == SyncState::Pending && &c.activity == sent) {
            put(
                &store,
                &LocalActivity {
                    activity: sent.clone(),
                    state,
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Puts `corrected` in place of a record the server refused, in one transaction: the
    /// corrected record is new (a new id) and pending; the refused one is gone.
    pub async fn replace_activity(
        &self,
        refused: RecordId,
        corrected: &Activity,
    ) -> Result<(), StoreError> {
        let tx = self.writing(ACTIVITIES)?;
        let store = tx.object_store(ACTIVITIES)?;
        remove_unsynced(&store, refused).await?;
        add(&store, &LocalActivity::pending(corrected.clone())).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a record the server does not have, at the person's request. Records the server
    /// has are never removed here: they would only come back with the next pull.
    pub async fn discard_activity(&self, id: RecordId) -> Result<(), StoreError> {
        let tx = self.writing(ACTIVITIES)?;
        remove_unsynced(&tx.object_store(ACTIVITIES)?, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Applies a page pulled from the server and advances the cursor past it, in one
    /// transaction: the cursor never moves past records that are not stored.
    /// A record the device has not sent yet is kept as it is.
    pub async fn apply_page(&self, page: &ActivityPage) -> Result<(), StoreError> {
        let tx = self.writing([ACTIVITIES, META])?;
        let activities = tx.object_store(ACTIVITIES)?;
        for activity in &page.items {
            let current = get::<LocalActivity>(&activities, &activity.id.to_string()).await?;
            let keep_local =
                current.is_some_and(|c| c.state == SyncState::Pending && &c.activity != activity);
            if !keep_local {
                put(
                    &activities,
                    &LocalActivity {
                        activity: activity.clone(),
                        state: SyncState::Synced,
                    },
                )
                .await?;
            }
        }
        sync_meta::update(&tx.object_store(META)?, |meta| meta.cursor = page.cursor).await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn remove_unsynced(store: &ObjectStore<'_>, id: RecordId) -> Result<(), StoreError> {
    let key = id.to_string();
    match get::<LocalActivity>(store, &key).await? {
        Some(local) if local.state != SyncState::Synced => remove(store, &key).await,
        _ => Ok(()),
    }
}
