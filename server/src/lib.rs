//! `dvor-server`: the city server of Двор. One binary serves the API under `/api/v1` and the
//! built PWA, and keeps records in SQLite.
//!
//! Invariant: handlers hold no SQL; every statement lives in [`db`].

pub mod api;
pub mod auth;
pub mod backup;
pub mod blobs;
pub mod commands;
pub mod config;
pub mod config_file;
pub mod db;
pub mod error;
pub mod export;
pub mod extract;
pub mod forwarded;
pub mod listen;
pub mod map;
pub mod metrics;
pub mod redirect;
pub mod request_log;
pub mod security_headers;
pub mod server;
pub mod state;
pub mod static_files;
pub mod tls;

pub use server::{router, serve, serve_on};
pub use state::AppState;
