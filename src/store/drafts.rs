//! Forms being filled in, kept as they are typed, so a reload, a crash or a dead battery loses
//! nothing of a record not yet saved. Only new records have drafts: an edit starts from the
//! record itself.

use std::collections::BTreeMap;

use dvor_core::activity::ActivityKind;

use super::codec::{get, put, remove};
use super::schema::DRAFTS;
use super::{Store, StoreError};

/// What is typed into a form: each field's text by the field's id, as typed (a count may not be
/// a number yet).
pub type Draft = BTreeMap<String, String>;

/// The key of the form that logs a new record of `kind`.
fn key(kind: ActivityKind) -> String {
    format!("new:{}", kind.key())
}

impl Store {
    /// The draft of a new record of `kind`, if one was left.
    pub async fn draft(&self, kind: ActivityKind) -> Result<Option<Draft>, StoreError> {
        let tx = self.reading(DRAFTS)?;
        get(&tx.object_store(DRAFTS)?, key(kind)).await
    }

    /// Keeps what is typed into the form for a new record of `kind`. Chromium's relaxed
    /// durability suits it: a draft is written on every keystroke, and the next one repeats it.
    pub async fn keep_draft(&self, kind: ActivityKind, typed: &Draft) -> Result<(), StoreError> {
        let tx = self.writing(DRAFTS)?;
        put(&tx.object_store(DRAFTS)?, key(kind), typed)?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets the draft of a new record of `kind`: it was saved, or the person cancelled.
    pub async fn drop_draft(&self, kind: ActivityKind) -> Result<(), StoreError> {
        let tx = self.writing(DRAFTS)?;
        remove(&tx.object_store(DRAFTS)?, key(kind))?;
        tx.commit().await?;
        Ok(())
    }
}
