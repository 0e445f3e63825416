//! The password hasher: a fixed number of worker threads, each with its own argon2 memory
//! allocated once and reused, and a bounded queue in front of them. Hashing is the only work an
//! anonymous request can make expensive, so it is the one that must be bounded: past the
//! queue a request is refused at once ([`Refused::Busy`]), before any hashing, and the
//! server's memory stays `workers × 19 MiB` whatever arrives.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

use super::{AuthError, password};

/// Why a hash was not computed.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// Every worker is busy and the queue is full: try again shortly.
    #[error("the password hasher is at its limit")]
    Busy,
    /// Hashing failed, or the hasher stopped.
    #[error(transparent)]
    Failed(#[from] AuthError),
}

enum Work {
    Hash(String),
    Verify { password: String, stored: String },
}

enum Done {
    Hashed(String),
    Verified(bool),
}

struct Job {
    work: Work,
    reply: oneshot::Sender<Result<Done, AuthError>>,
}

/// A handle to the hasher's queue, cheap to clone; the workers stop when the last handle goes.
#[derive(Clone, Debug)]
pub struct Hasher {
    queue: SyncSender<Job>,
}

/// How many passwords are hashed at once, and how many may wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HasherSize {
    /// Worker threads, each holding one hash's memory.
    pub workers: usize,
    /// Requests waiting for a worker beyond those being hashed.
    pub queue: usize,
}

impl HasherSize {
    /// `workers` workers (at least one), and four waiting per worker: at about 50 ms a hash, a
    /// request waits at most a fifth of a second before it is refused.
    pub fn with_workers(workers: usize) -> Self {
        let workers = workers.max(1);
        Self {
            workers,
            queue: workers * 4,
        }
    }
}

impl Default for HasherSize {
    /// One worker per core, up to four (about 76 MiB).
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self::with_workers(cores.min(4))
    }
}

impl Hasher {
    /// Starts `size.workers` threads.
    pub fn start(size: HasherSize) -> Result<Self, AuthError> {
        let (queue, jobs) = sync_channel(size.queue);
        let jobs = Arc::new(Mutex::new(jobs));
        for n in 0..size.workers.max(1) {
            let jobs = Arc::clone(&jobs);
            std::thread::Builder::new()
                .name(format!("password-hasher-{n}"))
                .spawn(move || work(&jobs))
                .map_err(|e| AuthError::Hash(format!("cannot start a hasher thread: {e}")))?;
        }
        Ok(Self { queue })
    }

    /// The argon2id hash of `password` (a PHC string).
    pub async fn hash(&self, password: String) -> Result<String, Refused> {
        match self.run(Work::Hash(password)).await? {
            Done::Hashed(hash) => Ok(hash),
            Done::Verified(_) => Err(unexpected()),
        }
    }

    /// Whether `password` matches `stored`.
    pub async fn verify(&self, password: String, stored: String) -> Result<bool, Refused> {
        match self.run(Work::Verify { password, stored }).await? {
            Done::Verified(matches) => Ok(matches),
            Done::Hashed(_) => Err(unexpected()),
        }
    }

    async fn run(&self, work: Work) -> Result<Done, Refused> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .try_send(Job { work, reply })
            .map_err(|error| match error {
                TrySendError::Full(_) => Refused::Busy,
                TrySendError::Disconnected(_) => stopped(),
            })?;
        Ok(answer.await.map_err(|_| stopped())??)
    }
}

/// A worker: takes jobs until every handle is gone, always in the same memory (allocated at
/// its first job, so an idle server holds none).
fn work(jobs: &Mutex<Receiver<Job>>) {
    let mut memory = Vec::new();
    loop {
        // The lock is held only to take a job, never while hashing.
        let job = match jobs.lock() {
            Ok(jobs) => jobs.recv(),
            Err(poisoned) => poisoned.into_inner().recv(),
        };
        let Ok(Job { work, reply }) = job else {
            return;
        };
        let done = match work {
            Work::Hash(typed) => password::hash(&typed, &mut memory).map(Done::Hashed),
            Work::Verify { password, stored } => {
                password::verify(&password, &stored, &mut memory).map(Done::Verified)
            }
        };
        // The request may have gone meanwhile (the client hung up): nobody to tell.
        let _ = reply.send(done);
    }
}

fn stopped() -> Refused {
    Refused::Failed(AuthError::Hash("the password hasher stopped".to_owned()))
}

fn unexpected() -> Refused {
    Refused::Failed(AuthError::Hash(
        "the hasher answered another question".to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_and_verifies_on_its_workers() {
        let hasher = Hasher::start(HasherSize {
            workers: 1,
            queue: 2,
        })
        .expect("started");
        let hash = hasher
            .hash("двор и сад весной".to_owned())
            .await
            .expect("hashed");
        assert!(
            hasher
                .verify("двор и сад весной".to_owned(), hash.clone())
                .await
                .expect("checked")
        );
        assert!(
            !hasher
                .verify("двор и сад осенью".to_owned(), hash)
                .await
                .expect("checked")
        );
    }

    #[tokio::test]
    async fn past_the_queue_a_request_is_refused_at_once() {
        let hasher = Hasher::start(HasherSize {
            workers: 1,
            queue: 1,
        })
        .expect("started");
        let stored = password::hash("пароль", &mut password::default_blocks()).expect("hashed");
        let attempts = (0..8).map(|_| hasher.verify("не тот".to_owned(), stored.clone()));
        let answers = futures_util::future::join_all(attempts).await;
        let busy = answers
            .iter()
            .filter(|a| matches!(a, Err(Refused::Busy)))
            .count();
        let checked = answers.iter().filter(|a| matches!(a, Ok(false))).count();
        assert_eq!(busy + checked, 8);
        assert!(
            checked <= 3,
            "one hashing and one waiting, give or take a take: {checked} checked"
        );
    }
}
