//! The brake on guessing: failed attempts counted per address, per account, per known device
//! and per code, counted **before** the password is hashed. An attempt takes its place in the
//! count when it begins, under one lock, as *pending*; it becomes a failure when it fails (or
//! is dropped half way) and leaves when it succeeds or nothing was checked. A limit reached
//! by failures refuses at once; a limit reached only because attempts are still pending makes
//! the next one wait until they settle, then decide. So requests sent together cannot all slip
//! under a limit (a burst of twenty at one account is checked five times), and people who sign
//! in together — eight tablets of one centre, a school behind one address — are not refused
//! for each other's attempts.
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

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

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

/// What one key has against it: failures within the window, oldest first, and attempts
/// under way.
#[derive(Debug, Default)]
struct Counts {
    failures: VecDeque<Instant>,
    pending: usize,
}

/// What the counts say of a new attempt.
#[derive(Debug)]
pub enum Verdict {
    /// It may go: counted as pending.
    Go(Attempt),
    /// Refused: wait this long.
    Wait(Duration),
    /// Attempts under way decide it: ask again when one settles.
    Pending,
}

/// The counts, shared by every request, and a signal for those waiting on pending attempts.
#[derive(Clone, Debug, Default)]
pub struct Throttle {
    counts: Arc<Mutex<HashMap<Key, Counts>>>,
    settled: Arc<Notify>,
    rules: Rules,
}

/// Past this many keys, the spent ones are swept on the next attempt.
const SWEEP_ABOVE: usize = 10_000;

/// The longest an attempt waits for others under way before it is refused as busy.
const PENDING_WAIT: Duration = Duration::from_secs(10);

impl Throttle {
    /// A throttle with `rules`.
    pub fn new(rules: Rules) -> Self {
        Self {
            rules,
            ..Self::default()
        }
    }

    /// Begins an attempt on `subject` from `address`, waiting while attempts under way decide
    /// whether it may. `Err` is how long to wait before trying again.
    pub async fn begin(&self, subject: Subject<'_>, address: IpAddr) -> Result<Attempt, Duration> {
        let deadline = tokio::time::Instant::now() + PENDING_WAIT;
        loop {
            // Registered before looking, so a settling in between is not missed.
            let settled = self.settled.notified();
            tokio::pin!(settled);
            settled.as_mut().enable();
            match self.try_begin(subject, address, Instant::now()) {
                Verdict::Go(attempt) => return Ok(attempt),
                Verdict::Wait(wait) => return Err(wait),
                Verdict::Pending => {
                    if tokio::time::timeout_at(deadline, settled).await.is_err() {
                        return Err(Duration::from_secs(1));
                    }
                }
            }
        }
    }

    /// What the counts at `now` say of an attempt on `subject` from `address`.
    pub fn try_begin(&self, subject: Subject<'_>, address: IpAddr, now: Instant) -> Verdict {
        let subject_key = match subject {
            Subject::Account {
                login,
                known_device: Some(device),
            } => Key::Device(login.to_owned(), device.to_owned()),
            Subject::Account { login, .. } => Key::Account(login.to_owned()),
            Subject::Code(code) => Key::Code(code.to_owned()),
        };
        let keys = [Key::Address(address), subject_key];
        let window = self.rules.window;
        let mut counts = self.lock();
        if counts.len() > SWEEP_ABOVE {
            counts.retain(|_, c| {
                c.pending > 0
                    || c.failures
                        .back()
                        .is_some_and(|t| now.duration_since(*t) < window)
            });
        }
        let mut pending = false;
        let mut wait = None::<Duration>;
        for key in &keys {
            let Some(count) = counts.get_mut(key) else {
                continue;
            };
            while count
                .failures
                .front()
                .is_some_and(|t| now.duration_since(*t) >= window)
            {
                count.failures.pop_front();
            }
            match self.verdict(key, count, now) {
                Some(Ok(())) => pending = true,
                Some(Err(w)) => wait = Some(wait.map_or(w, |longest| longest.max(w))),
                None => {}
            }
        }
        if let Some(wait) = wait {
            return Verdict::Wait(wait);
        }
        if pending {
            return Verdict::Pending;
        }
        for key in &keys {
            counts.entry(key.clone()).or_default().pending += 1;
        }
        Verdict::Go(Attempt {
            throttle: self.clone(),
            keys,
            at: now,
            settled: false,
        })
    }

    /// `None` when `key` lets an attempt go; `Some(Err(wait))` when its failures refuse it;
    /// `Some(Ok(()))` when only its pending attempts stand in the way.
    fn verdict(&self, key: &Key, count: &Counts, now: Instant) -> Option<Result<(), Duration>> {
        let rules = &self.rules;
        let failures = count.failures.len();
        let limited = |limit: usize| {
            if failures >= limit {
                count
                    .failures
                    .front()
                    .map(|first| Err(rules.window.saturating_sub(now.duration_since(*first))))
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
                let since_last = count
                    .failures
                    .back()
                    .map(|last| now.duration_since(*last))?;
                match delay.checked_sub(since_last).filter(|wait| !wait.is_zero()) {
                    Some(wait) => Some(Err(wait)),
                    // Past the delay one attempt may go at a time.
                    None => (count.pending > 0).then_some(Ok(())),
                }
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Key, Counts>> {
        // A panic while holding the lock leaves only counters behind: keep using them.
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// An attempt under way: pending until [`Attempt::succeeded`], [`Attempt::failed`] or
/// [`Attempt::not_checked`] settles it; one dropped unsettled (its request went away half way)
/// counts as failed.
#[derive(Debug)]
#[must_use = "an attempt is settled by succeeded(), failed() or not_checked()"]
pub struct Attempt {
    throttle: Throttle,
    keys: [Key; 2],
    at: Instant,
    settled: bool,
}

/// How an attempt ended.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Succeeded,
    Failed,
    NotChecked,
}

impl Attempt {
    /// The password or code was right: the subject's failures are forgotten (a known device's
    /// success forgets the account's too), and the address is not charged.
    pub fn succeeded(mut self) {
        self.settle(Outcome::Succeeded);
    }

    /// The password or code was wrong: it counts.
    pub fn failed(mut self) {
        self.settle(Outcome::Failed);
    }

    /// Nothing was checked (the server was busy): the attempt leaves no trace.
    pub fn not_checked(mut self) {
        self.settle(Outcome::NotChecked);
    }

    fn settle(&mut self, outcome: Outcome) {
        if self.settled {
            return;
        }
        self.settled = true;
        {
            let mut counts = self.throttle.lock();
            for key in &self.keys {
                let count = counts.entry(key.clone()).or_default();
                count.pending = count.pending.saturating_sub(1);
                match outcome {
                    Outcome::Failed => count.failures.push_back(self.at),
                    Outcome::Succeeded if !matches!(key, Key::Address(_)) => count.failures.clear(),
                    Outcome::Succeeded | Outcome::NotChecked => {}
                }
            }
            if outcome == Outcome::Succeeded
                && let [_, Key::Device(login, _)] = &self.keys
                && let Some(account) = counts.get_mut(&Key::Account(login.clone()))
            {
                account.failures.clear();
            }
        }
        self.throttle.settled.notify_waiters();
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        self.settle(Outcome::Failed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANNA: Subject<'static> = Subject::Account {
        login: "+79051234567",
        known_device: None,
    };

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, last])
    }

    fn go(verdict: Verdict) -> Attempt {
        match verdict {
            Verdict::Go(attempt) => attempt,
            other => panic!("expected to go: {other:?}"),
        }
    }

    fn wait(verdict: Verdict) -> Option<Duration> {
        match verdict {
            Verdict::Wait(wait) => Some(wait),
            _ => None,
        }
    }

    #[test]
    fn attempts_count_when_they_begin_so_a_burst_cannot_pass_the_limit() {
        let throttle = Throttle::default();
        let now = Instant::now();
        let begun: Vec<_> = (0..64)
            .map(|_| throttle.try_begin(Subject::Code("c"), ip(1), now))
            .collect();
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
        let accounts: Vec<_> = (0..20u8)
            .map(|i| throttle.try_begin(ANNA, ip(100 + i), now))
            .collect();
        assert_eq!(gone(&accounts), 5, "per account, from 20 addresses");
        drop(accounts);
        assert!(
            wait(throttle.try_begin(ANNA, ip(99), now)).is_some(),
            "the five failed: now refused"
        );
    }

    #[test]
    fn people_signing_in_together_are_not_refused_for_each_other() {
        let throttle = Throttle::default();
        let now = Instant::now();
        let first: Vec<_> = (0..5u8)
            .map(|i| go(throttle.try_begin(ANNA, ip(i), now)))
            .collect();
        assert!(matches!(
            throttle.try_begin(ANNA, ip(9), now),
            Verdict::Pending
        ));
        for attempt in first {
            attempt.succeeded();
        }
        go(throttle.try_begin(ANNA, ip(9), now)).succeeded();
    }

    #[tokio::test]
    async fn a_waiting_attempt_goes_when_those_under_way_succeed() {
        let throttle = Throttle::default();
        let under_way: Vec<_> = (0..5u8)
            .map(|i| go(throttle.try_begin(ANNA, ip(i), Instant::now())))
            .collect();
        let waiting = tokio::spawn({
            let throttle = throttle.clone();
            async move { throttle.begin(ANNA, ip(9)).await.map(Attempt::succeeded) }
        });
        tokio::task::yield_now().await;
        for attempt in under_way {
            attempt.succeeded();
        }
        assert_eq!(waiting.await.expect("joined"), Ok(()));
    }

    #[test]
    fn an_address_gets_its_budget_whatever_it_tries() {
        let throttle = Throttle::default();
        let now = Instant::now();
        for i in 0..20 {
            let login = format!("user{i}@mail.ru");
            let subject = Subject::Account {
                login: &login,
                known_device: None,
            };
            go(throttle.try_begin(subject, ip(7), now)).failed();
        }
        assert_eq!(
            wait(throttle.try_begin(ANNA, ip(7), now)),
            Some(Duration::from_secs(15 * 60))
        );
        go(throttle.try_begin(ANNA, ip(8), now)).failed();
    }

    #[test]
    fn an_accounts_delays_grow_and_end() {
        let throttle = Throttle::default();
        let start = Instant::now();
        let mut at = start;
        for i in 0..5u8 {
            go(throttle.try_begin(ANNA, ip(i), at)).failed();
            at += Duration::from_secs(1);
        }
        assert_eq!(
            wait(throttle.try_begin(ANNA, ip(9), at)),
            Some(Duration::from_secs(14))
        );
        at = start + Duration::from_secs(19);
        go(throttle.try_begin(ANNA, ip(9), at)).failed();
        at += Duration::from_secs(1);
        assert_eq!(
            wait(throttle.try_begin(ANNA, ip(9), at)),
            Some(Duration::from_secs(29)),
            "doubled"
        );
        at = start + Duration::from_secs(15 * 60 + 20);
        go(throttle.try_begin(ANNA, ip(9), at)).succeeded();
    }

    #[test]
    fn a_known_device_gets_in_while_strangers_wait() {
        let throttle = Throttle::default();
        let now = Instant::now();
        for i in 0..5u8 {
            go(throttle.try_begin(ANNA, ip(i), now)).failed();
        }
        assert!(
            wait(throttle.try_begin(ANNA, ip(50), now)).is_some(),
            "strangers wait"
        );
        let own_phone = Subject::Account {
            login: "+79051234567",
            known_device: Some("phone-key-hash"),
        };
        go(throttle.try_begin(own_phone, ip(51), now)).succeeded();
        go(throttle.try_begin(ANNA, ip(52), now)).succeeded();
    }

    #[test]
    fn an_attempt_not_checked_leaves_no_trace_and_one_dropped_counts() {
        let throttle = Throttle::new(Rules {
            per_code: 1,
            ..Rules::default()
        });
        let now = Instant::now();
        go(throttle.try_begin(Subject::Code("c"), ip(1), now)).not_checked();
        drop(go(throttle.try_begin(Subject::Code("c"), ip(1), now)));
        assert!(wait(throttle.try_begin(Subject::Code("c"), ip(1), now)).is_some());
    }
}
