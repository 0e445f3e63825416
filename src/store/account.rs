//! Who is signed in on this device, whose records it holds, and the city's reference data as
//! last fetched. All of it lives in `meta`, beside the sync bookkeeping, so that a sign-in or a
//! sign-out changes the session and the records in one transaction.

use dvor_core::access::Grant;
use dvor_core::account::{AuthorName, Me, SignedIn};
use dvor_core::record::AuthorId;
use dvor_core::reference::District;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::codec::{get, put, remove};
use super::schema::{DRAFTS, META, OUTBOX, PHOTOS, REPLICAS, UPLOADS};
use super::sync_meta::update;
use super::{Store, StoreError};

const SESSION: &str = "session";
const REFERENCE: &str = "reference";
/// The names of the authors of the records on the device: the person's to forget with them.
const AUTHORS: &str = "authors";

/// The session of the person signed in here. It stays after the server ends it (revoked,
/// expired), marked, so the device keeps knowing whose unsent changes it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceSession {
    /// Sent as `Authorization: Bearer`; empty once the session has ended.
    pub token: String,
    /// When the server ends it, ms since the epoch.
    pub expires_at_ms: i64,
    /// Who, with their roles as last fetched: the screens ask these what to offer.
    pub me: Me,
    /// The server refused the token: the person must sign in again before anything is sent.
    pub ended: bool,
}

impl DeviceSession {
    /// Whether the session may still be used at `now_ms` (device clock): the server has not
    /// refused it and it has not run out.
    pub fn usable(&self, now_ms: f64) -> bool {
        !self.ended && (self.expires_at_ms as f64) > now_ms
    }
}

/// What signing in on this device did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignIn {
    /// The person is signed in; the device holds their records, or none.
    Done,
    /// Someone else's changes wait to be sent from this device; nothing was changed. Only an
    /// explicit choice discards them.
    OthersChangesWaiting {
        /// Whose they are.
        name: String,
        /// How many.
        count: usize,
    },
}

impl Store {
    /// The session on this device, if anyone has signed in and not out.
    pub async fn session(&self) -> Result<Option<DeviceSession>, StoreError> {
        let tx = self.reading(META)?;
        get(&tx.object_store(META)?, SESSION).await
    }

    /// Keeps `signed` as this device's session. The records of another person who was signed in
    /// here go (their session had ended, or they would not be asked to sign in again) — unless
    /// changes of theirs wait to be sent and `discard_others` is not given: then nothing
    /// changes and the answer says whose and how many.
    pub async fn sign_in(
        &self,
        signed: SignedIn,
        discard_others: bool,
    ) -> Result<SignIn, StoreError> {
        let tx = self.writing_durably(FORGOTTEN_WITH_META)?;
        let (meta, unsent) = (tx.object_store(META)?, tx.object_store(OUTBOX)?);
        let previous: Option<DeviceSession> = get(&meta, SESSION).await?;
        let same_person = previous.as_ref().is_some_and(|p| p.me.id == signed.me.id);
        let grants_before = previous
            .as_ref()
            .filter(|_| same_person)
            .map(|p| p.me.grants.clone());
        if !same_person {
            let count = unsent.count().primitive()?.await? as usize;
            if let Some(previous) = previous.filter(|_| count > 0 && !discard_others) {
                return Ok(SignIn::OthersChangesWaiting {
                    name: previous.me.name,
                    count,
                });
            }
            forget_records(&tx, &meta).await?;
        }
        let session = DeviceSession {
            token: signed.token,
            expires_at_ms: signed.expires_at_ms,
            me: signed.me,
            ended: false,
        };
        keep_session(&meta, grants_before, session).await?;
        tx.commit().await?;
        Ok(SignIn::Done)
    }

    /// Takes in who the server says the person is now: new roles count from here on.
    pub async fn update_me(&self, me: Me) -> Result<(), StoreError> {
        let tx = self.writing(META)?;
        let meta = tx.object_store(META)?;
        if let Some(mut session) = get::<DeviceSession>(&meta, SESSION).await? {
            let before = session.me.grants.clone();
            session.me = me;
            keep_session(&meta, Some(before), session).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Marks the session as ended by the server. Nothing else changes: the unsent changes wait
    /// for the person to sign in again.
    pub async fn end_session(&self) -> Result<(), StoreError> {
        let tx = self.writing_durably(META)?;
        let meta = tx.object_store(META)?;
        if let Some(mut session) = get::<DeviceSession>(&meta, SESSION).await? {
            session.ended = true;
            session.token.clear();
            put(&meta, SESSION, &session)?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Signs out: the session and every record go, the unsent changes and drafts with them, so
    /// nothing of the person stays readable on the device. The screens ask before calling this
    /// when changes wait.
    pub async fn sign_out(&self) -> Result<(), StoreError> {
        let tx = self.writing_durably(FORGOTTEN_WITH_META)?;
        let meta = tx.object_store(META)?;
        forget_records(&tx, &meta).await?;
        remove(&meta, SESSION)?;
        tx.commit().await?;
        Ok(())
    }

    /// The reference data as last fetched; empty before the first fetch.
    pub async fn reference(&self) -> Result<Vec<District>, StoreError> {
        self.kept(REFERENCE).await
    }

    /// Keeps the reference data for offline use.
    pub async fn set_reference(&self, districts: &[District]) -> Result<(), StoreError> {
        self.keep(REFERENCE, &districts).await
    }

    /// The names of the records' authors as last fetched.
    pub async fn authors(&self) -> Result<Vec<AuthorName>, StoreError> {
        self.kept(AUTHORS).await
    }

    /// Keeps the names of the records' authors for offline use.
    pub async fn set_authors(&self, authors: &[AuthorName]) -> Result<(), StoreError> {
        self.keep(AUTHORS, &authors).await
    }

    /// What is kept under `key` of the meta store; the default before anything is.
    async fn kept<T: DeserializeOwned + Default>(&self, key: &str) -> Result<T, StoreError> {
        let tx = self.reading(META)?;
        Ok(get(&tx.object_store(META)?, key).await?.unwrap_or_default())
    }

    /// Keeps `value` under `key` of the meta store.
    async fn keep<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        let tx = self.writing(META)?;
        put(&tx.object_store(META)?, key, value)?;
        tx.commit().await?;
        Ok(())
    }
}

/// The author of a record made now: the person signed in, inside the caller's transaction.
pub(super) async fn author(meta: &ObjectStore<'_>) -> Result<AuthorId, StoreError> {
    get::<DeviceSession>(meta, SESSION)
        .await?
        .map(|session| AuthorId::user(session.me.id))
        .ok_or(StoreError::NotSignedIn)
}

/// Stores `session`. When the person's roles changed since `before`, the pull starts again from
/// the beginning: the records of a newly granted scope lie behind the cursor.
async fn keep_session(
    meta: &ObjectStore<'_>,
    before: Option<Vec<Grant>>,
    session: DeviceSession,
) -> Result<(), StoreError> {
    if before.is_some_and(|before| before != session.me.grants) {
        update(meta, |sync| sync.cursor = 0).await?;
    }
    put(meta, SESSION, &session)
}

/// What a person leaves on the device: emptied when another signs in or they sign out.
const FORGOTTEN: [&str; 5] = [REPLICAS, OUTBOX, DRAFTS, PHOTOS, UPLOADS];
/// [`FORGOTTEN`] and the meta store, the scope of the transactions that empty them.
const FORGOTTEN_WITH_META: [&str; 6] = [REPLICAS, OUTBOX, DRAFTS, PHOTOS, UPLOADS, META];

/// Empties the records, the outbox, the drafts, the photos, the names of the records' authors
/// and the sync position, inside `tx` (which spans those stores); the device's node and clock
/// stay.
async fn forget_records(tx: &Transaction<'_>, meta: &ObjectStore<'_>) -> Result<(), StoreError> {
    for store in FORGOTTEN {
        tx.object_store(store)?.clear()?.await?;
    }
    remove(meta, AUTHORS)?;
    update(meta, |sync| {
        sync.cursor = 0;
        sync.last_synced_ms = None;
    })
    .await
}
