//! Copies taken while the server runs, every `--backup-every`, into `--backup-dir`: each named
//! by the moment it was taken (`dvor-20261207T030000Z`, so names sort by time), the newest
//! `--backup-keep` kept. An older copy goes only after a newer one is complete. The first copy
//! after a start is due one period after the newest one there, so restarts do not put it off.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};

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

/// How a copy's name gives the moment it was taken.
const NAME_FORMAT: &str = "dvor-%Y%m%dT%H%M%SZ";

/// The name of a copy taken at `at`.
pub fn copy_name(at: DateTime<Utc>) -> String {
    at.format(NAME_FORMAT).to_string()
}

/// When the copy named `name` was taken, if the schedule named it.
fn taken_at(name: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(name, NAME_FORMAT)
        .ok()
        .map(|at| at.and_utc())
}

/// How long to wait at `now` for the next copy: one period after the newest copy there is,
/// at once when that has passed or there is none. A server restarted more often than the
/// period still takes its copies.
pub fn first_wait(newest: Option<DateTime<Utc>>, every: Duration, now: DateTime<Utc>) -> Duration {
    newest.map_or(Duration::ZERO, |newest| {
        let since = (now - newest).to_std().unwrap_or(Duration::ZERO);
        every.saturating_sub(since)
    })
}

/// Takes a copy every `schedule.every`, the first when one is due ([`first_wait`]), until the
/// task is aborted. A failure is logged and counted, and the next period tries again.
pub async fn run(db: Db, blobs_dir: PathBuf, schedule: Schedule, metrics: Arc<Metrics>) {
    let newest = match copies(&schedule.dir).await {
        Ok((copies, _)) => copies.last().and_then(|name| taken_at(name)),
        Err(error) => {
            tracing::warn!(%error, "cannot list the backups; the first is taken now");
            None
        }
    };
    tokio::time::sleep(first_wait(newest, schedule.every, Utc::now())).await;
    let mut ticks = tokio::time::interval(schedule.every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
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
    let (copies, partials) = copies(dir).await?;
    for path in partials {
        tokio::fs::remove_dir_all(&path).await.map_err(io(&path))?;
    }
    let past = copies.len().saturating_sub(keep.max(1));
    for name in &copies[..past] {
        let path = dir.join(name);
        tokio::fs::remove_dir_all(&path).await.map_err(io(&path))?;
    }
    Ok(past)
}

/// The complete copies the schedule made in `dir`, oldest first, and the hidden directories
/// of copies cut short; none when `dir` does not exist yet.
async fn copies(dir: &Path) -> Result<(Vec<String>, Vec<PathBuf>), BackupError> {
    let (mut copies, mut partials) = (Vec::new(), Vec::new());
    let mut entries = match tokio::fs::read_dir(dir).await {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok((copies, partials));
        }
        Err(error) => return Err(io(dir)(error)),
    };
    while let Some(entry) = entries.next_entry().await.map_err(io(dir))? {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with(".dvor-") && name.ends_with(".partial") {
            partials.push(path);
        } else if taken_at(&name).is_some() && path.join(MANIFEST).is_file() {
            copies.push(name);
        }
    }
    copies.sort_unstable();
    Ok((copies, partials))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).expect("a time").to_utc()
    }

    #[test]
    fn names_sort_by_time_and_give_it_back() {
        let (earlier, later) = (at("2026-12-07T03:00:00Z"), at("2026-12-10T01:30:05Z"));
        assert_eq!(copy_name(earlier), "dvor-20261207T030000Z");
        assert!(copy_name(earlier) < copy_name(later));
        assert_eq!(taken_at(&copy_name(later)), Some(later));
        assert_eq!(taken_at("city-archive"), None);
    }

    #[test]
    fn the_next_copy_is_due_a_period_after_the_newest() {
        let day = Duration::from_secs(86_400);
        let now = at("2026-12-07T12:00:00Z");
        assert_eq!(
            first_wait(None, day, now),
            Duration::ZERO,
            "none yet: at once"
        );
        assert_eq!(
            first_wait(Some(at("2026-12-07T03:00:00Z")), day, now),
            Duration::from_secs(15 * 3600),
            "restarted nine hours after a copy: fifteen hours on"
        );
        assert_eq!(
            first_wait(Some(at("2026-12-05T03:00:00Z")), day, now),
            Duration::ZERO,
            "overdue: at once"
        );
        assert_eq!(
            first_wait(Some(at("2026-12-08T03:00:00Z")), day, now),
            day,
            "a copy from a clock ahead waits one period, no more"
        );
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
