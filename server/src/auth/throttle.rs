//! The brake on guessing: failed attempts counted per address, per account, per known device
//! and per code, counted **before** the password is hashed. The counts are kept in the database
//! (`db/attempts.rs`), so every server process on it brakes the same guessing. An attempt takes
//! its place in the count when it begins, in one writing transaction, as *pending*; it becomes a failure when it fails (or
//! is dropped half way) and leaves when it succeeds or nothing was checked. A limit reached
//! by failures refuses at once; a limit reached only because attempts are still pending makes
//! the next one wait until they settle, then decide. So requests sent together cannot all slip
//! under a limit (a burst of twenty at one account is checked five times), and people who sign
//! in together — eight tablets of one centre, a school behind one address — are not refused
//! for each other's attempts. An attempt whose process stopped before settling it counts as
//! failed once it is a minute old.
//!
//! The rules keep a stranger from locking a person out:
//! - an address gets `per_address` failures per window, whatever accounts it tries;
//! - an account gets `free_per_account` failures from unknown devices, then each further
//!   attempt waits a delay that doubles with every failure (15 s, 30 s, 1 min … up to
//!   `max_delay`): guessing slows to a crawl, and a person on a new phone waits minutes at most;
//! - a device where the person has signed in before (it shows its device key) is not braked
//!   by the account's failures at all, only by its own `per_known_device`, so the person's own
//!   phone always gets in;
//! - an invite or reset code gets `per_code` failures per window.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};
use tokio::sync::Notify;

use crate::auth::AuthError;
use crate::db::attempts::{KeyCounts, Settled, Windows};
use crate::db::{Db, DbError};

/// How many failures each kind of key may have.
#[derive(Clone, Copy, Debug)]
pub struct Rules {
    /// How long a failure counts.
    pub window: Duration,
    /// Failures one address may have in a window.
    pub per_address: usize,
    /// Failures of an account from unknown devices before delays begin.
    pub free_per_account: usize,
    /// The first delay, doubled with each further failure.
    pub first_delay: Duration,
    /// The longest delay.
    pub max_delay: Duration,
    /// Failures of an account on one of its known devices in a window.
    pub per_known_device: usize,
    /// Failures with one code in a window.
    pub per_code: usize,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(15 * 60),
            per_address: 20,
            free_per_account: 5,
            first_delay: Duration::from_secs(15),
            max_delay: Duration::from_secs(15 * 60),
            per_known_device: 10,
            per_code: 5,
        }
    }
}

/// What an attempt is about.
#[derive(Clone, Copy, Debug)]
pub enum Subject<'a> {
    /// A password of the account `login` (as typed when it is no login), from a device the
    /// account has signed in on before (its key's hash) or from an unknown one.
    Account {
        /// The canonical login, or the text typed.
        login: &'a str,
        /// The hash of the device's key, when it is one of the account's devices.
        known_device: Option<&'a str>,
    },
    /// An invite or reset code's hash.
    Code(&'a str),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Address(IpAddr),
    Account(String),
    Device(String, String),
    Code(String),
}

impl Key {
    /// What the database keeps of the key: no address or login in the clear.
    fn hash(&self) -> String {
        let text = match self {
            Key::Address(address) => format!("address\0{address}"),
            Key::Account(login) => format!("account\0{login}"),
            Key::Device(login, device) => format!("device\0{login}\0{device}"),
            Key::Code(code) => format!("code\0{code}"),
        };
        hex::encode(Sha256::digest(text.as_bytes()))
    }
}

/// What the counts say of a new attempt.
#[derive(Debug)]
pub enum Verdict {
    /// It may go: counted as pending.
    Go(Box<Attempt>),
    /// Refused: wait this long.
    Wait(Duration),
    /// Attempts under way decide it: ask again when one settles.
    Pending,
}

/// Why an attempt may not begin.
#[derive(Debug)]
pub enum Braked {
    /// Too many failures: try again after this long.
    Wait(Duration),
    /// The counts could not be read or written.
    Storage(DbError),
}

/// The brake of one server process: its rules, where the counts are, and a signal for the
/// attempts waiting on others under way here.
#[derive(Clone, Debug)]
pub struct Throttle {
    db: Db,
    rules: Rules,
    settled: Arc<Notify>,
    /// This process's prefix of attempt ids, random, and the number of the next.
    process: Arc<str>,
    next: Arc<AtomicU64>,
}

/// The longest an attempt waits for others under way before it is refused as busy.
const PENDING_WAIT: Duration = Duration::from_secs(10);
/// How often an attempt waiting on others looks again: those under way in another process
/// settle without telling this one.
const PENDING_POLL: Duration = Duration::from_millis(200);
/// The age at which an attempt never settled (its process stopped) counts as failed.
const STALE: Duration = Duration::from_secs(60);

impl Throttle {
    /// A throttle with `rules`, counting in `db`.
    pub fn new(db: Db, rules: Rules) -> Result<Self, AuthError> {
        Ok(Self {
            db,
            rules,
            settled: Arc::new(Notify::new()),
            process: hex::encode(super::random_bytes::<8>()?).into(),
            next: Arc::new(AtomicU64::new(0)),
        })
    }

    /// Begins an attempt on `subject` from `address`, waiting while attempts under way decide
    /// whether it may.
    pub async fn begin(&self, subject: Subject<'_>, address: IpAddr) -> Result<Attempt, Braked> {
        let deadline = tokio::time::Instant::now() + PENDING_WAIT;
        loop {
            // Registered before looking, so a settling in between is not missed.
            let settled = self.settled.notified();
            tokio::pin!(settled);
            settled.as_mut().enable();
            match self
                .try_begin(subject, address, now_ms())
                .await
                .map_err(Braked::Storage)?
            {
                Verdict::Go(attempt) => return Ok(*attempt),
                Verdict::Wait(wait) => {
                    if let Err(error) = self.db.note_braked(address, now_ms()).await {
                        tracing::error!(%error, "noting braked attempts in the audit log failed");
                    }
                    return Err(Braked::Wait(wait));
                }
                Verdict::Pending => {
                    let woken = tokio::time::timeout(PENDING_POLL, settled);
                    if tokio::time::timeout_at(deadline, woken).await.is_err() {
                        return Err(Braked::Wait(Duration::from_secs(1)));
                    }
                }
            }
        }
    }

    /// What the counts at `now_ms` (ms since the epoch) say of an attempt on `subject` from
    /// `address`.
    pub async fn try_begin(
        &self,
        subject: Subject<'_>,
        address: IpAddr,
        now_ms: i64,
    ) -> Result<Verdict, DbError> {
        let subject_key = match subject {
            Subject::Account {
                login,
                known_device: Some(device),
            } => Key::Device(login.to_owned(), device.to_owned()),
            Subject::Account { login, .. } => Key::Account(login.to_owned()),
            Subject::Code(code) => Key::Code(code.to_owned()),
        };
        let keys = [Key::Address(address), subject_key];
        let hashes: Vec<String> = keys.iter().map(Key::hash).collect();
        let id = format!(
            "{}-{}",
            self.process,
            self.next.fetch_add(1, Ordering::Relaxed)
        );
        let windows = Windows {
            window_ms: millis(self.rules.window),
            stale_ms: millis(STALE),
        };
        let decided = self
            .db
            .begin_attempt(&id, &hashes, now_ms, windows, |counts| {
                let mut pending = false;
                let mut wait = None::<Duration>;
                for (key, count) in keys.iter().zip(counts) {
                    match verdict(&self.rules, key, count, now_ms) {
                        Some(Ok(())) => pending = true,
                        Some(Err(w)) => wait = Some(wait.map_or(w, |longest| longest.max(w))),
                        None => {}
                    }
                }
                match (wait, pending) {
                    (Some(wait), _) => (Some(Err(wait)), false),
                    (None, true) => (None, false),
                    (None, false) => (Some(Ok(())), true),
                }
            })
            .await?;
        Ok(match decided {
            Some(Ok(())) => Verdict::Go(Box::new(Attempt {
                throttle: self.clone(),
                id,
                keys,
                settled: false,
            })),
            Some(Err(wait)) => Verdict::Wait(wait),
            None => Verdict::Pending,
        })
    }

    /// Forgets the attempts that no longer count at `now_ms`; run now and then.
    pub async fn sweep(&self, now_ms: i64) -> Result<u64, DbError> {
        self.db
            .forget_attempts(now_ms - millis(self.rules.window.max(STALE)))
            .await
    }
}

/// `None` when `key` lets an attempt go; `Some(Err(wait))` when its failures refuse it;
/// `Some(Ok(()))` when only its pending attempts stand in the way.
fn verdict(
    rules: &Rules,
    key: &Key,
    count: &KeyCounts,
    now_ms: i64,
) -> Option<Result<(), Duration>> {
    let failures = count.failures.len();
    let since = |at_ms: i64| Duration::from_millis(u64::try_from(now_ms - at_ms).unwrap_or(0));
    let limited = |limit: usize| {
        if failures >= limit {
            count
                .failures
                .first()
                .map(|first| Err(rules.window.saturating_sub(since(*first))))
        } else {
            (failures + count.pending >= limit).then_some(Ok(()))
        }
    };
    match key {
        Key::Address(_) => limited(rules.per_address),
        Key::Device(..) => limited(rules.per_known_device),
        Key::Code(_) => limited(rules.per_code),
        Key::Account(_) => {
            let Some(over) = failures.checked_sub(rules.free_per_account) else {
                return (failures + count.pending >= rules.free_per_account).then_some(Ok(()));
            };
            let doublings = u32::try_from(over).unwrap_or(u32::MAX).min(16);
            let delay = rules
                .first_delay
                .saturating_mul(1 << doublings)
                .min(rules.max_delay);
            let since_last = count.failures.last().map(|last| since(*last))?;
            match delay.checked_sub(since_last).filter(|wait| !wait.is_zero()) {
                Some(wait) => Some(Err(wait)),
                // Past the delay one attempt may go at a time.
                None => (count.pending > 0).then_some(Ok(())),
            }
        }
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// An attempt under way: pending until [`Attempt::succeeded`], [`Attempt::failed`] or
/// [`Attempt::not_checked`] settles it; one dropped unsettled (its request went away half way)
/// counts as failed.
#[derive(Debug)]
#[must_use = "an attempt is settled by succeeded(), failed() or not_checked()"]
pub struct Attempt {
    throttle: Throttle,
    id: String,
    keys: [Key; 2],
    settled: bool,
}

impl Attempt {
    /// The password or code was right: the subject's failures are forgotten (a known device's
    /// success forgets the account's too), and the address is not charged.
    pub async fn succeeded(mut self) {
        self.settled = true;
        let mut clear = vec![self.keys[1].hash()];
        if let Key::Device(login, _) = &self.keys[1] {
            clear.push(Key::Account(login.clone()).hash());
        }
        settle(&self.throttle, &self.id, Settled::Succeeded, &clear).await;
    }

    /// The password or code was wrong: it counts.
    pub async fn failed(mut self) {
        self.settled = true;
        settle(&self.throttle, &self.id, Settled::Failed, &[]).await;
    }

    /// Nothing was checked (the server was busy): the attempt leaves no trace.
    pub async fn not_checked(mut self) {
        self.settled = true;
        settle(&self.throttle, &self.id, Settled::NotChecked, &[]).await;
    }
}

/// Settles attempt `id` and wakes the attempts waiting here. Should the write fail, the attempt
/// stays pending and counts as failed once stale.
async fn settle(throttle: &Throttle, id: &str, settled: Settled, clear: &[String]) {
    if let Err(error) = throttle.db.settle_attempt(id, settled, clear).await {
        tracing::error!(%error, "a sign-in attempt could not be settled");
    }
    throttle.settled.notify_waiters();
}

impl Drop for Attempt {
    fn drop(&mut self) {
        if self.settled {
            return;
        }
        let (throttle, id) = (self.throttle.clone(), std::mem::take(&mut self.id));
        // Without a runtime to write with, the attempt counts as failed once stale.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move { settle(&throttle, &id, Settled::Failed, &[]).await });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Location;

    const ANNA: Subject<'static> = Subject::Account {
        login: "+79051234567",
        known_device: None,
    };

    /// A moment, in ms since the epoch, for tests that say when each attempt is.
    const START: i64 = 1_764_028_800_000;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, last])
    }

    async fn throttle(rules: Rules) -> (Throttle, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::open(&Location::Sqlite(dir.path().join("dvor.sqlite3")))
            .await
            .expect("opens");
        (Throttle::new(db, rules).expect("random"), dir)
    }

    async fn at(
        throttle: &Throttle,
        subject: Subject<'_>,
        address: IpAddr,
        now_ms: i64,
    ) -> Verdict {
        throttle
            .try_begin(subject, address, now_ms)
            .await
            .expect("counted")
    }

    fn go(verdict: Verdict) -> Attempt {
        match verdict {
            Verdict::Go(attempt) => *attempt,
            other => panic!("expected to go: {other:?}"),
        }
    }

    fn wait(verdict: Verdict) -> Option<Duration> {
        match verdict {
            Verdict::Wait(wait) => Some(wait),
            _ => None,
        }
    }

    #[tokio::test]
    async fn attempts_count_when_they_begin_so_a_burst_cannot_pass_the_limit() {
        let (throttle, _dir) = throttle(Rules::default()).await;
        let mut begun = Vec::new();
        for _ in 0..64 {
            begun.push(at(&throttle, Subject::Code("c"), ip(1), START).await);
        }
        let gone = |verdicts: &[Verdict]| {
            verdicts
                .iter()
                .filter(|v| matches!(v, Verdict::Go(_)))
                .count()
        };
        assert_eq!(gone(&begun), 5, "per code");
        assert!(
            begun[5..].iter().all(|v| matches!(v, Verdict::Pending)),
            "the rest wait for those"
        );
        let mut accounts = Vec::new();
        for i in 0..20u8 {
            accounts.push(at(&throttle, ANNA, ip(100 + i), START).await);
        }
        assert_eq!(gone(&accounts), 5, "per account, from 20 addresses");
        for verdict in accounts {
            if let Verdict::Go(attempt) = verdict {
                attempt.failed().await;
            }
        }
        assert!(
            wait(at(&throttle, ANNA, ip(99), START).await).is_some(),
            "the five failed: now refused"
        );
    }

    #[tokio::test]
    async fn people_signing_in_together_are_not_refused_for_each_other() {
        let (throttle, _dir) = throttle(Rules::default()).await;
        let mut first = Vec::new();
        for i in 0..5u8 {
            first.push(go(at(&throttle, ANNA, ip(i), START).await));
        }
        assert!(matches!(
            at(&throttle, ANNA, ip(9), START).await,
            Verdict::Pending
        ));
        for attempt in first {
            attempt.succeeded().await;
        }
        go(at(&throttle, ANNA, ip(9), START).await)
            .succeeded()
            .await;
    }

    #[tokio::test]
    async fn a_waiting_attempt_goes_when_those_under_way_succeed() {
        let (throttle, _dir) = throttle(Rules::default()).await;
        let mut under_way = Vec::new();
        for i in 0..5u8 {
            under_way.push(go(at(&throttle, ANNA, ip(i), now_ms()).await));
        }
        let waiting = tokio::spawn({
            let throttle = throttle.clone();
            async move {
                match throttle.begin(ANNA, ip(9)).await {
                    Ok(attempt) => attempt.succeeded().await,
                    Err(braked) => panic!("braked: {braked:?}"),
                }
            }
        });
        tokio::task::yield_now().await;
        for attempt in under_way {
            attempt.succeeded().await;
        }
        waiting.await.expect("went");
    }

    #[tokio::test]
    async fn an_address_gets_its_budget_whatever_it_tries() {
        let (throttle, _dir) = throttle(Rules::default()).await;
        for i in 0..20 {
            let login = format!("user{i}@mail.ru");
            let subject = Subject::Account {
                login: &login,
                known_device: None,
            };
            go(at(&throttle, subject, ip(7), START).await)
                .failed()
                .await;
        }
        assert_eq!(
            wait(at(&throttle, ANNA, ip(7), START).await),
            Some(Duration::from_secs(15 * 60))
        );
        go(at(&throttle, ANNA, ip(8), START).await).failed().await;
    }

    #[tokio::test]
    async fn an_accounts_delays_grow_and_end() {
        let (throttle, _dir) = throttle(Rules::default()).await;
        let second = 1_000;
        for i in 0..5u8 {
            go(at(&throttle, ANNA, ip(i), START + i64::from(i) * second).await)
                .failed()
                .await;
        }
        assert_eq!(
            wait(at(&throttle, ANNA, ip(9), START + 5 * second).await),
            Some(Duration::from_secs(14))
        );
        go(at(&throttle, ANNA, ip(9), START + 19 * second).await)
            .failed()
            .await;
        assert_eq!(
            wait(at(&throttle, ANNA, ip(9), START + 20 * second).await),
            Some(Duration::from_secs(29)),
            "doubled"
        );
        go(at(&throttle, ANNA, ip(9), START + (15 * 60 + 20) * second).await)
            .succeeded()
            .await;
    }

    #[tokio::test]
    async fn a_known_device_gets_in_while_strangers_wait() {
        let (throttle, _dir) = throttle(Rules::default()).await;
        for i in 0..5u8 {
            go(at(&throttle, ANNA, ip(i), START).await).failed().await;
        }
        assert!(
            wait(at(&throttle, ANNA, ip(50), START).await).is_some(),
            "strangers wait"
        );
        let own_phone = Subject::Account {
            login: "+79051234567",
            known_device: Some("phone-key-hash"),
        };
        go(at(&throttle, own_phone, ip(51), START).await)
            .succeeded()
            .await;
        go(at(&throttle, ANNA, ip(52), START).await)
            .succeeded()
            .await;
    }

    #[tokio::test]
    async fn an_attempt_not_checked_leaves_no_trace_and_one_dropped_counts() {
        let (throttle, _dir) = throttle(Rules {
            per_code: 1,
            ..Rules::default()
        })
        .await;
        go(at(&throttle, Subject::Code("c"), ip(1), now_ms()).await)
            .not_checked()
            .await;
        drop(go(at(&throttle, Subject::Code("c"), ip(1), now_ms()).await));
        assert!(matches!(
            throttle.begin(Subject::Code("c"), ip(1)).await,
            Err(Braked::Wait(_))
        ));
    }

    #[tokio::test]
    async fn an_attempt_its_process_never_settled_counts_as_failed_once_stale() {
        let (throttle, _dir) = throttle(Rules {
            per_code: 1,
            ..Rules::default()
        })
        .await;
        let lost = go(at(&throttle, Subject::Code("c"), ip(1), START).await);
        // A process that stopped settles nothing.
        std::mem::forget(lost);
        assert!(matches!(
            at(&throttle, Subject::Code("c"), ip(1), START + 1_000).await,
            Verdict::Pending
        ));
        assert!(
            wait(
                at(
                    &throttle,
                    Subject::Code("c"),
                    ip(1),
                    START + millis(STALE) + 1
                )
                .await
            )
            .is_some()
        );
    }

    #[tokio::test]
    async fn two_processes_on_one_database_count_the_same_failures() {
        let (first, _dir) = throttle(Rules::default()).await;
        let second = Throttle::new(first.db.clone(), Rules::default()).expect("random");
        for i in 0..5u8 {
            let process = if i % 2 == 0 { &first } else { &second };
            go(at(process, ANNA, ip(i), START).await).failed().await;
        }
        assert!(wait(at(&second, ANNA, ip(9), START).await).is_some());
        assert!(wait(at(&first, ANNA, ip(9), START).await).is_some());
    }
}
