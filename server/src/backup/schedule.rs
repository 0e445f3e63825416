//! Copies taken while the server runs, every `--backup-every`, into `--backup-dir`: each named
//! by the moment it was taken (`dvor-20261207T030000Z`, so names sort by time), the newest
//! `--backup-keep` kept. An older copy goes only after a newer one is complete.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{BackupError, MANIFEST, io, take};
use crate::db::Db;
use crate::metrics::{Job, Metrics};

/// When and where scheduled copies are taken.
#[derive(Clone, Debug)]
pub struct Schedule {
    /// Between copies.
    pub every: Duration,
    /// How many copies to keep (at least one).
    pub keep: usize,
    /// Where they go.
    pub dir: PathBuf,
}

/// The name of a copy taken at `at`.
pub fn copy_name(at: DateTime<Utc>) -> String {
    at.format("dvor-%Y%m%dT%H%M%SZ").to_string()
}

/// Takes a copy every `schedule.every`, the first one period after the start, until the task
/// is aborted. A failure is logged and counted, and the next period tries again.
pub async fn run(db: Db, blobs_dir: PathBuf, schedule: Schedule, metrics: Arc<Metrics>) {
    let mut ticks = tokio::time::interval(schedule.every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticks.tick().await;
    loop {
        ticks.tick().await;
        let now = Utc::now();
        let result = take_and_prune(&db, &blobs_dir, &schedule, now).await;
        match &result {
            Ok((to, removed)) => {
                tracing::info!(copy = %to.display(), removed, "backup taken");
            }
            Err(error) => tracing::error!(%error, "the scheduled backup failed"),
        }
        metrics.job_ran(Job::Backup, result.is_ok(), now.timestamp());
    }
}

/// Takes a copy named by `now` and removes the copies past the newest `schedule.keep`: where
/// the copy went and how many were removed.
pub async fn take_and_prune(
    db: &Db,
    blobs_dir: &Path,
    schedule: &Schedule,
    now: DateTime<Utc>,
) -> Result<(PathBuf, usize), BackupError> {
    tokio::fs::create_dir_all(&schedule.dir)
        .await
        .map_err(io(&schedule.dir))?;
    let to = schedule.dir.join(copy_name(now));
    take(db, blobs_dir, &to).await?;
    let removed = prune(&schedule.dir, schedule.keep).await?;
    Ok((to, removed))
}

/// Removes the complete copies in `dir` past the newest `keep`, and what a copy cut short left
/// (its hidden `.partial` directory): how many copies were removed. Only names this schedule
/// gives are touched.
pub async fn prune(dir: &Path, keep: usize) -> Result<usize, BackupError> {
    let mut copies = Vec::new();
    let mut entries = tokio::fs::read_dir(dir).await.map_err(io(dir))?;
    while let Some(entry) = entries.next_entry().await.map_err(io(dir))? {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with(".dvor-") && name.ends_with(".partial") {
            tokio::fs::remove_dir_all(&path).await.map_err(io(&path))?;
        } else if name.starts_with("dvor-") && path.join(MANIFEST).is_file() {
            copies.push(name);
        }
    }
    copies.sort_unstable();
    let past = copies.len().saturating_sub(keep.max(1));
    for name in &copies[..past] {
        let path = dir.join(name);
        tokio::fs::remove_dir_all(&path).await.map_err(io(&path))?;
    }
    Ok(past)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_by_time() {
        let earlier = DateTime::parse_from_rfc3339("2026-12-07T03:00:00Z").map(|t| t.to_utc());
        let later = DateTime::parse_from_rfc3339("2026-12-10T01:30:05Z").map(|t| t.to_utc());
        let (Ok(earlier), Ok(later)) = (earlier, later) else {
            panic!("the times parse");
        };
        assert_eq!(copy_name(earlier), "dvor-20261207T030000Z");
        assert!(copy_name(earlier) < copy_name(later));
    }

    #[tokio::test]
    async fn prune_keeps_the_newest_complete_copies_and_nothing_it_did_not_make() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let made = |name: &str, complete: bool| {
            let copy = dir.path().join(name);
            std::fs::create_dir_all(&copy).expect("a copy's directory");
            if complete {
                std::fs::write(copy.join(MANIFEST), "{}").expect("a manifest");
            }
        };
        for day in 1..=5 {
            made(&format!("dvor-2026120{day}T030000Z"), true);
        }
        made("dvor-20261206T030000Z", false);
        made(".dvor-20261207T030000Z.partial", false);
        made("city-archive", true);

        assert_eq!(prune(dir.path(), 2).await.expect("pruned"), 3);

        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .expect("listed")
            .map(|entry| {
                entry
                    .expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "city-archive",
                "dvor-20261204T030000Z",
                "dvor-20261205T030000Z",
                "dvor-20261206T030000Z",
            ]
        );
    }
}
