//! Blobs as files: `<dir>/ab/abcdef…` (the first two hex digits fan the files out), written to
//! a temporary name and renamed, so a crash never leaves half a photo under its hash.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use dvor_core::photo::BlobHash;

use super::{BlobError, BlobFuture, BlobStore, Put};

/// Blobs in a directory.
#[derive(Clone, Debug)]
pub struct DiskBlobs {
    dir: PathBuf,
}

impl DiskBlobs {
    /// The store in `dir`, created when the first blob is written.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// Every blob the directory holds (a write cut short, under a temporary name, is none).
    pub async fn hashes(&self) -> Result<Vec<BlobHash>, BlobError> {
        let mut hashes = Vec::new();
        let mut fans = match tokio::fs::read_dir(&self.dir).await {
            Ok(fans) => fans,
            Err(error) if error.kind() == ErrorKind::NotFound => return Ok(hashes),
            Err(error) => return Err(io_error(&self.dir)(error)),
        };
        while let Some(fan) = fans.next_entry().await.map_err(io_error(&self.dir))? {
            let dir = fan.path();
            let mut files = tokio::fs::read_dir(&dir).await.map_err(io_error(&dir))?;
            while let Some(file) = files.next_entry().await.map_err(io_error(&dir))? {
                if let Ok(hash) = file.file_name().to_string_lossy().parse() {
                    hashes.push(hash);
                }
            }
        }
        hashes.sort_by_key(ToString::to_string);
        Ok(hashes)
    }

    /// The file that holds `hash`, whether or not it is there.
    pub fn path(&self, hash: BlobHash) -> PathBuf {
        let name = hash.to_string();
        self.dir.join(&name[..2]).join(name)
    }
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> BlobError + '_ {
    move |source| BlobError::Io {
        path: path.display().to_string(),
        source,
    }
}

impl BlobStore for DiskBlobs {
    fn put<'a>(&'a self, hash: BlobHash, bytes: &'a [u8]) -> BlobFuture<'a, Put> {
        Box::pin(async move {
            let path = self.path(hash);
            if tokio::fs::try_exists(&path)
                .await
                .map_err(io_error(&path))?
            {
                return Ok(Put::AlreadyThere);
            }
            let dir = path.parent().unwrap_or(&self.dir);
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(io_error(dir))?;
            // A name of its own per writer: two uploads of one photo at once both succeed.
            static WRITES: AtomicU64 = AtomicU64::new(0);
            let write = WRITES.fetch_add(1, Ordering::Relaxed);
            let temporary = path.with_extension(format!("part-{}-{write}", std::process::id()));
            tokio::fs::write(&temporary, bytes)
                .await
                .map_err(io_error(&temporary))?;
            let file = tokio::fs::File::open(&temporary)
                .await
                .map_err(io_error(&temporary))?;
            file.sync_all().await.map_err(io_error(&temporary))?;
            tokio::fs::rename(&temporary, &path)
                .await
                .map_err(io_error(&path))?;
            Ok(Put::Stored)
        })
    }

    fn get(&self, hash: BlobHash) -> BlobFuture<'_, Option<Vec<u8>>> {
        Box::pin(async move {
            let path = self.path(hash);
            match tokio::fs::read(&path).await {
                Ok(bytes) => Ok(Some(bytes)),
                Err(error) if error.kind() == ErrorKind::NotFound => Ok(None),
                Err(error) => Err(io_error(&path)(error)),
            }
        })
    }
}
