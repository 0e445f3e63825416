//! Admin commands run from the command line instead of serving.

use std::path::Path;

use dvor_core::reference::{Reference, ReferenceError};

use crate::config::Config;
use crate::db::DbError;
use crate::db::reference::Imported;
use crate::server::{ServeError, open_database};

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The input file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a valid reference file; nothing was imported.
    #[error("{path}: {source}; nothing was imported")]
    Reference {
        /// The file.
        path: String,
        /// What is wrong, and where.
        source: ReferenceError,
    },
    /// The database could not be opened.
    #[error(transparent)]
    Open(#[from] ServeError),
    /// The database failed; nothing was imported.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// `dvor-server import-reference FILE`.
pub async fn import_reference(config: &Config, file: &Path) -> Result<Imported, CommandError> {
    let path = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|source| CommandError::Read {
        path: path.clone(),
        source,
    })?;
    let reference =
        Reference::from_json(&text).map_err(|source| CommandError::Reference { path, source })?;
    let db = open_database(config).await?;
    let imported = db.import_reference(&reference).await;
    db.close().await;
    Ok(imported?)
}
