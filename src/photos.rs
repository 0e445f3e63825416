//! Photos: made smaller and stripped on the device, kept in IndexedDB by their SHA-256, sent
//! to the server when the network allows, and shown from the device or fetched once.

mod process;
mod upload;

pub use process::{PhotoError, Prepared, prepare, sha256};
pub use upload::{UploadState, Uploads, upload_unsent};
