//! Pushes committed together. SQLite takes one writer at a time: with a transaction per push,
//! the pushes waiting for it polled the busy handler with sleeps while each held a connection,
//! and each paid its own fsync. Here one writer takes every push waiting when it comes free,
//! applies them as one batch (`sync::apply_pushes`: a read and a write of each table for the
//! whole group), commits them with one fsync, and only then answers each with its own
//! outcomes. Should the storage refuse the group, each push is applied again alone, so one
//! that fails leaves the others.

use chrono::{DateTime, Utc};
use dvor_core::account::Me;
use dvor_core::protocol::{Mutation, MutationResult};
use tokio::sync::{mpsc, oneshot};

use super::sync::apply_pushes;
use super::{DbError, Pool};

/// The most mutations one group carries, bounding how long it holds the write lock; a push
/// larger than that is a group of its own.
const GROUP_MUTATIONS: usize = 2_000;
/// How many pushes may wait for the writer: about a second and a half of its work on a small
/// server. Past that a push is refused at once (503 with `Retry-After`) rather than queued, so
/// an overloaded server answers quickly and its memory stays bounded.
const QUEUE: usize = 512;

/// A push waiting for the writer, and where its answer goes.
struct Job {
    push: Push,
    answer: oneshot::Sender<Result<Vec<MutationResult>, DbError>>,
}

/// What one device sent.
pub(super) struct Push {
    /// Who sent it.
    pub person: Me,
    /// The hash of the session it came with.
    pub session: String,
    /// The mutations, in the device's order.
    pub mutations: Vec<Mutation>,
    /// When it arrived.
    pub now: DateTime<Utc>,
}

/// The queue in front of the writer of pushes.
#[derive(Clone, Debug)]
pub(super) struct PushWriter(mpsc::Sender<Job>);

impl PushWriter {
    /// Starts the writer over `pool`; it stops when the last handle is dropped.
    pub(super) fn start(pool: Pool) -> Self {
        Self::with_queue(pool, QUEUE)
    }

    fn with_queue(pool: Pool, queue: usize) -> Self {
        let (sender, receiver) = mpsc::channel(queue);
        tokio::spawn(write_groups(pool, receiver));
        Self(sender)
    }

    /// Applies `push` with whatever else is waiting; its outcomes once they are on disk.
    pub(super) async fn push(&self, push: Push) -> Result<Vec<MutationResult>, DbError> {
        let (answer, answered) = oneshot::channel();
        self.0
            .try_send(Job { push, answer })
            .map_err(|error| match error {
                mpsc::error::TrySendError::Full(_) => DbError::Overloaded,
                mpsc::error::TrySendError::Closed(_) => DbError::Closed,
            })?;
        answered.await.map_err(|_| DbError::Closed)?
    }
}

async fn write_groups(pool: Pool, mut queue: mpsc::Receiver<Job>) {
    while let Some(first) = queue.recv().await {
        let mut size = first.push.mutations.len();
        let mut group = vec![first];
        while size < GROUP_MUTATIONS {
            let Ok(job) = queue.try_recv() else { break };
            size += job.push.mutations.len();
            group.push(job);
        }
        commit(&pool, group).await;
    }
}

/// Commits `group` in one transaction and answers each push. Should the storage refuse the
/// group, each push is tried again alone, so each gets its own answer.
async fn commit(pool: &Pool, group: Vec<Job>) {
    if group.len() > 1 {
        match together(pool, &group).await {
            Ok(answers) => {
                for (job, answer) in group.into_iter().zip(answers) {
                    // A device that gave up waiting has gone; its push stays applied and its
                    // next push of the same mutations gets the same outcomes.
                    let _ = job.answer.send(Ok(answer));
                }
                return;
            }
            Err(error) => tracing::warn!(
                %error,
                pushes = group.len(),
                "a group of pushes failed to commit; committing each alone"
            ),
        }
    }
    for job in group {
        let answer = alone(pool, &job.push).await;
        let _ = job.answer.send(answer);
    }
}

/// Every push of `group` in one transaction: each one's outcomes.
async fn together(pool: &Pool, group: &[Job]) -> Result<Vec<Vec<MutationResult>>, DbError> {
    let pushes: Vec<&Push> = group.iter().map(|job| &job.push).collect();
    let mut tx = pool.write().await?;
    let answers = apply_pushes(&mut tx, &pushes).await?;
    tx.commit().await?;
    Ok(answers)
}

/// One push in a transaction of its own.
async fn alone(pool: &Pool, push: &Push) -> Result<Vec<MutationResult>, DbError> {
    let mut tx = pool.write().await?;
    let mut answers = apply_pushes(&mut tx, &[push]).await?;
    tx.commit().await?;
    Ok(answers.pop().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use dvor_core::account::UserId;

    use super::*;
    use crate::db::{Db, Location};

    fn push() -> Push {
        Push {
            person: Me {
                id: UserId(1),
                name: "Анна".to_owned(),
                login: "anna@example.ru".to_owned(),
                grants: Vec::new(),
            },
            session: String::new(),
            mutations: Vec::new(),
            now: Utc::now(),
        }
    }

    #[tokio::test]
    async fn a_push_past_the_queue_is_refused_at_once_and_those_in_it_are_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::open(&Location::Sqlite(dir.path().join("dvor.sqlite3")))
            .await
            .expect("opens");
        let writer = PushWriter::with_queue(db.pool.clone(), 2);
        // Another transaction holds the write lock: the writer takes the first push and waits.
        let held = db.pool.write().await.expect("the write lock");
        let spawn = || {
            let writer = writer.clone();
            tokio::spawn(async move { writer.push(push()).await })
        };
        let first = spawn();
        tokio::time::sleep(Duration::from_millis(200)).await;
        let queued = [spawn(), spawn()];
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(matches!(
            writer.push(push()).await,
            Err(DbError::Overloaded)
        ));
        held.rollback().await.expect("released");
        for waiting in std::iter::once(first).chain(queued) {
            assert_eq!(waiting.await.expect("joined").expect("written"), Vec::new());
        }
    }
}
