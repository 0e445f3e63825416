//! What the status bar shows about syncing.

use leptos::prelude::*;

use super::PullProgress;

/// The device's sync status, shared through context.
#[derive(Clone, Copy, Debug)]
pub struct SyncStatus {
    /// Whether the browser believes it is online.
    pub online: RwSignal<bool>,
    /// Whether a sync pass runs now.
    pub syncing: RwSignal<bool>,
    /// When the last pass succeeded (ms since the epoch).
    pub last_synced_ms: RwSignal<Option<f64>>,
    /// Why the last pass failed, for the person; cleared by a successful pass.
    pub last_error: RwSignal<Option<String>>,
    /// When the next automatic try is due after failures (ms since the epoch).
    pub next_retry_ms: RwSignal<Option<f64>>,
    /// How far the running pull has come, while it runs.
    pub pull: RwSignal<Option<PullProgress>>,
}

impl SyncStatus {
    /// A status for a device whose connectivity is `online`.
    pub fn new(online: bool) -> Self {
        Self {
            online: RwSignal::new(online),
            syncing: RwSignal::new(false),
            last_synced_ms: RwSignal::new(None),
            last_error: RwSignal::new(None),
            next_retry_ms: RwSignal::new(None),
            pull: RwSignal::new(None),
        }
    }
}
