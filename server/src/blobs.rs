//! Photo blobs, named by the SHA-256 of their bytes. [`BlobStore`] is what the API needs of a
//! store; [`DiskBlobs`] keeps them under the data directory, [`S3Blobs`] in an S3-compatible
//! object store that several server processes share.

mod disk;
mod s3;

use std::future::Future;
use std::pin::Pin;

use dvor_core::photo::BlobHash;
use sha2::{Digest, Sha256};

pub use disk::DiskBlobs;
pub use s3::{S3Blobs, S3Config};

/// A boxed future, so that stores can sit behind `dyn BlobStore`.
pub type BlobFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, BlobError>> + Send + 'a>>;

/// Why a store could not read or write a blob.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// The storage failed.
    #[error("blob storage failed at {path}: {source}")]
    Io {
        /// Where.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The object store failed.
    #[error("object storage failed at {key}: {source}")]
    Store {
        /// The bucket or object.
        key: String,
        /// Why.
        source: object_store::Error,
    },
    /// A photo's bytes do not hash to its name: damaged where it was read, or in the copy
    /// written.
    #[error("photo {0} is damaged: its bytes do not hash to its name")]
    Damaged(BlobHash),
}

/// Whether a put stored the blob or found it already there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Put {
    /// Stored now.
    Stored,
    /// The store had it: putting the same bytes again changes nothing.
    AlreadyThere,
}

/// Copies every photo of `from` into `to`, checking each one's bytes against its hash before
/// writing it and again as `to` reads it back: how many.
pub async fn copy_checked(from: &DiskBlobs, to: &dyn BlobStore) -> Result<u64, BlobError> {
    let hashes = from.hashes().await?;
    let whole = |hash: BlobHash, bytes: Option<&[u8]>| {
        bytes.is_some_and(|bytes| BlobHash::from_digest(Sha256::digest(bytes).into()) == hash)
    };
    for (i, hash) in hashes.iter().enumerate() {
        let bytes = from.get(*hash).await?;
        if !whole(*hash, bytes.as_deref()) {
            return Err(BlobError::Damaged(*hash));
        }
        to.put(*hash, bytes.as_deref().unwrap_or_default()).await?;
        if !whole(*hash, to.get(*hash).await?.as_deref()) {
            return Err(BlobError::Damaged(*hash));
        }
        if (i + 1) % 1000 == 0 {
            tracing::info!(copied = i + 1, of = hashes.len(), "photos");
        }
    }
    Ok(u64::try_from(hashes.len()).unwrap_or(u64::MAX))
}

/// Keeps blobs by hash. Callers check the bytes against the hash before `put`.
pub trait BlobStore: Send + Sync + std::fmt::Debug {
    /// Stores `bytes` under `hash`, atomically: a reader sees the whole blob or none.
    fn put<'a>(&'a self, hash: BlobHash, bytes: &'a [u8]) -> BlobFuture<'a, Put>;
    /// The blob under `hash`, if there is one.
    fn get(&self, hash: BlobHash) -> BlobFuture<'_, Option<Vec<u8>>>;
}
