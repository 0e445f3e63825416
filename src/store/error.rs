//! Failures of the device's storage.

/// Why the device's storage failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// IndexedDB is missing, blocked (private mode, policy) or its schema cannot be upgraded.
    #[error("{0}")]
    Open(String),
    /// A request or transaction failed, e.g. the disk is full.
    #[error("{0}")]
    Request(#[from] indexed_db_futures::error::Error),
    /// The device's random source failed, so no id could be drawn.
    #[error(transparent)]
    Random(#[from] crate::clock::NoEntropy),
    /// A stored value does not read back as what was written.
    #[error("{0}")]
    Corrupt(String),
    /// The store could not be had between sync passes (the browser refused the lock), so what
    /// would empty it did not run.
    #[error("{}", crate::i18n::t().common.sync_lock_failed)]
    Busy,
    /// Nobody is signed in on the device, so a new record has no author.
    #[error("{}", crate::i18n::t().common.sign_in_to_save)]
    NotSignedIn,
}

impl From<indexed_db_futures::error::OpenDbError> for StoreError {
    fn from(error: indexed_db_futures::error::OpenDbError) -> Self {
        Self::Open(error.to_string())
    }
}

impl StoreError {
    /// Whether the device ran out of the space the browser grants this app.
    pub fn is_quota_exceeded(&self) -> bool {
        use indexed_db_futures::error::{DomException, Error};
        matches!(self, Self::Request(Error::DomException(DomException::Other(e))) if e.name() == "QuotaExceededError")
    }
}
