//! Forms being filled in, kept as they are typed, so a reload, a crash or a dead battery loses
//! nothing of a record not yet saved. Only new records have drafts: an edit starts from the
//! record itself.

use std::collections::BTreeMap;

use super::codec::{get, put, remove};
use super::schema::DRAFTS;
use super::{Store, StoreError};

/// What is typed into a form: each field's text by the field's id, as typed (a count may not be
/// a number yet).
pub type Draft = BTreeMap<String, String>;

impl Store {
    /// The draft left in `form` (a form's own key, such as `new:cleanup_day`), if any.
    pub async fn draft(&self, form: &str) -> Result<Option<Draft>, StoreError> {
        let tx = self.reading(DRAFTS)?;
        get(&tx.object_store(DRAFTS)?, form).await
    }

    /// Keeps what is typed into `form`. Chromium's relaxed durability suits it: a draft is
    /// written on every keystroke, and the next one repeats it.
    pub async fn keep_draft(&self, form: &str, typed: &Draft) -> Result<(), StoreError> {
        let tx = self.writing(DRAFTS)?;
        put(&tx.object_store(DRAFTS)?, form, typed)?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets the draft of `form`: it was saved, or the person cancelled.
    pub async fn drop_draft(&self, form: &str) -> Result<(), StoreError> {
        let tx = self.writing(DRAFTS)?;
        remove(&tx.object_store(DRAFTS)?, form)?;
        tx.commit().await?;
        Ok(())
    }
}
