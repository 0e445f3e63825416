//! Blobs in an S3-compatible object store (Amazon S3, Yandex Object Storage, MinIO, …): one
//! object per blob, named as the disk store names its files (`<prefix>/ab/abcdef…`). An S3 PUT
//! is atomic — a reader sees the whole object or none — so a crash never leaves half a photo
//! under its hash, and several server processes share one store.

use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::{ObjectStore, PutPayload};

use dvor_core::photo::BlobHash;

use super::{BlobError, BlobFuture, BlobStore, Put};

/// Where the photos are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct S3Config {
    /// The bucket, which must exist.
    pub bucket: String,
    /// The store's URL, for a store that is not Amazon's (`https://storage.yandexcloud.net`);
    /// `http://` is allowed for one on the same machine or network.
    pub endpoint: Option<String>,
    /// The store's region.
    pub region: String,
    /// The folder of the bucket the photos go in.
    pub prefix: String,
}

/// Blobs in a bucket.
#[derive(Debug)]
pub struct S3Blobs {
    store: AmazonS3,
    prefix: String,
}

impl S3Blobs {
    /// The store `config` names, with the credentials of the environment
    /// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`).
    pub fn new(config: &S3Config) -> Result<Self, BlobError> {
        let mut builder = AmazonS3Builder::from_env()
            .with_bucket_name(&config.bucket)
            .with_region(&config.region);
        if let Some(endpoint) = &config.endpoint {
            builder = builder
                .with_allow_http(endpoint.starts_with("http://"))
                .with_endpoint(endpoint);
        }
        let store = builder.build().map_err(|source| BlobError::Store {
            key: config.bucket.clone(),
            source,
        })?;
        Ok(Self {
            store,
            prefix: config.prefix.trim_matches('/').to_owned(),
        })
    }

    fn path(&self, hash: BlobHash) -> Path {
        let name = hash.to_string();
        Path::from(format!("{}/{}/{name}", self.prefix, &name[..2]))
    }
}

fn store_error(path: &Path) -> impl FnOnce(object_store::Error) -> BlobError + '_ {
    move |source| BlobError::Store {
        key: path.to_string(),
        source,
    }
}

impl BlobStore for S3Blobs {
    fn put<'a>(&'a self, hash: BlobHash, bytes: &'a [u8]) -> BlobFuture<'a, Put> {
        Box::pin(async move {
            let path = self.path(hash);
            match self.store.head(&path).await {
                Ok(_) => return Ok(Put::AlreadyThere),
                Err(object_store::Error::NotFound { .. }) => {}
                Err(error) => return Err(store_error(&path)(error)),
            }
            self.store
                .put(&path, PutPayload::from(bytes.to_vec()))
                .await
                .map_err(store_error(&path))?;
            Ok(Put::Stored)
        })
    }

    fn get(&self, hash: BlobHash) -> BlobFuture<'_, Option<Vec<u8>>> {
        Box::pin(async move {
            let path = self.path(hash);
            match self.store.get(&path).await {
                Ok(found) => Ok(Some(
                    found.bytes().await.map_err(store_error(&path))?.to_vec(),
                )),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(error) => Err(store_error(&path)(error)),
            }
        })
    }
}
