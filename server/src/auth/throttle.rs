//! The brake on guessing: failed attempts counted per address, per account, per known device
//! and per code, counted **before** the password is hashed — an attempt takes its place in the
//! count when it begins, under one lock, and gives it back only when it succeeds — so requests
//! sent together cannot all slip under a limit.
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

/// The failures counted, shared by every request.
#[derive(Clone, Debug, Default)]
pub struct Throttle {
    failures: Arc<Mutex<HashMap<Key, VecDeque<Instant>>>>,
    rules: Rules,
}

/// Past this many keys, the expired ones are swept on the next attempt.
const SWEEP_ABOVE: usize = 10_000;

impl Throttle {
    /// A throttle with `rules`.
    pub fn new(rules: Rules) -> Self {
        Self {
            failures: Arc::default(),
            rules,
        }
    }

    /// Begins an attempt on `subject` from `address`: counted as failed from now on unless
    /// it is settled otherwise. `Err` is how long to wait before trying again.
    pub fn begin(
        &self,
        subject: Subject<'_>,
        address: IpAddr,
        now: Instant,
    ) -> Result<Attempt, Duration> {
        let subject_key = match subject {
            Subject::Account {
                login,
                known_device: Some(device),
            } => Key::Device(login.to_owned(), device.to_owned()),
            Subject::Account { login, .. } => Key::Account(login.to_owned()),
            Subject::Code(code) => Key::Code(code.to_owned()),
        };
        let keys = [Key::Address(address), subject_key];
        let mut failures = self.lock();
        if failures.len() > SWEEP_ABOVE {
            let window = self.rules.window;
            failures.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < window)
            });
        }
        let wait = keys
            .iter()
            .filter_map(|key| {
                let times = failures.get_mut(key)?;
                while times
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= self.rules.window)
                {
                    times.pop_front();
                }
                self.wait(key, times, now)
            })
            .max();
        if let Some(wait) = wait {
            return Err(wait);
        }
        for key in &keys {
            failures.entry(key.clone()).or_default().push_back(now);
        }
        Ok(Attempt {
            throttle: self.clone(),
            keys,
            at: now,
        })
    }

    /// How long `key`, with failures at `times` within the window, must wait at `now`.
    fn wait(&self, key: &Key, times: &VecDeque<Instant>, now: Instant) -> Option<Duration> {
        let rules = &self.rules;
        let until_first_expires = |limit: usize| {
            (times.len() >= limit)
                .then(|| {
                    times
                        .front()
                        .map(|first| rules.window - now.duration_since(*first))
                })
                .flatten()
        };
        match key {
            Key::Address(_) => until_first_expires(rules.per_address),
            Key::Device(..) => until_first_expires(rules.per_known_device),
            Key::Code(_) => until_first_expires(rules.per_code),
            Key::Account(_) => {
                let over = times.len().checked_sub(rules.free_per_account)?;
                let doublings = u32::try_from(over).unwrap_or(u32::MAX).min(16);
                let delay = rules
                    .first_delay
                    .saturating_mul(1 << doublings)
                    .min(rules.max_delay);
                let last = times.back()?;
                delay
                    .checked_sub(now.duration_since(*last))
                    .filter(|wait| !wait.is_zero())
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Key, VecDeque<Instant>>> {
        // A panic while holding the lock leaves only counters behind: keep using them.
        self.failures.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// An attempt under way: it counts as a failure unless [`Attempt::succeeded`] or
/// [`Attempt::not_checked`] says otherwise, so an attempt whose request was dropped half way
/// still counts.
#[derive(Debug)]
#[must_use = "an attempt is settled by succeeded(), failed() or not_checked()"]
pub struct Attempt {
    throttle: Throttle,
    keys: [Key; 2],
    at: Instant,
}

impl Attempt {
    /// The password or code was right: the subject's failures are forgotten, and this attempt
    /// does not count against the address.
    pub fn succeeded(self) {
        let mut failures = self.throttle.lock();
        let [address, subject] = &self.keys;
        failures.remove(subject);
        if let Key::Device(login, _) = subject {
            failures.remove(&Key::Account(login.clone()));
        }
        forget_one(&mut failures, address, self.at);
    }

    /// The password or code was wrong: it stays counted.
    pub fn failed(self) {}

    /// Nothing was checked (the server was busy): the attempt is given back.
    pub fn not_checked(self) {
        let mut failures = self.throttle.lock();
        for key in &self.keys {
            forget_one(&mut failures, key, self.at);
        }
    }
}

fn forget_one(failures: &mut HashMap<Key, VecDeque<Instant>>, key: &Key, at: Instant) {
    if let Some(times) = failures.get_mut(key)
        && let Some(i) = times.iter().rposition(|t| *t == at)
    {
        times.remove(i);
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

    #[test]
    fn attempts_count_when_they_begin_so_a_burst_cannot_pass_the_limit() {
        let throttle = Throttle::default();
        let now = Instant::now();
        let begun: Vec<_> = (0..64)
            .map(|_| throttle.begin(Subject::Code("c"), ip(1), now))
            .collect();
        assert_eq!(begun.iter().filter(|a| a.is_ok()).count(), 5, "per code");
        let accounts: Vec<_> = (0..20u8)
            .map(|i| throttle.begin(ANNA, ip(100 + i), now))
            .collect();
        assert_eq!(
            accounts.iter().filter(|a| a.is_ok()).count(),
            5,
            "per account, from 20 addresses"
        );
    }

    #[test]
    fn an_address_gets_its_budget_whatever_it_tries() {
        let throttle = Throttle::default();
        let now = Instant::now();
        for i in 0..20 {
            let login = format!("user{i}@mail.ru");
            throttle
                .begin(
                    Subject::Account {
                        login: &login,
                        known_device: None,
                    },
                    ip(7),
                    now,
                )
                .expect("within the budget")
                .failed();
        }
        let refused = throttle.begin(ANNA, ip(7), now).expect_err("budget spent");
        assert_eq!(refused, Duration::from_secs(15 * 60));
        assert!(
            throttle.begin(ANNA, ip(8), now).is_ok(),
            "another address may try"
        );
    }

    #[test]
    fn an_accounts_delays_grow_and_end() {
        let throttle = Throttle::default();
        let start = Instant::now();
        let mut at = start;
        for i in 0..5u8 {
            throttle.begin(ANNA, ip(i), at).expect("free").failed();
            at += Duration::from_secs(1);
        }
        assert_eq!(
            throttle.begin(ANNA, ip(9), at).err(),
            Some(Duration::from_secs(14))
        );
        at = start + Duration::from_secs(19);
        throttle
            .begin(ANNA, ip(9), at)
            .expect("after the delay")
            .failed();
        at += Duration::from_secs(1);
        assert_eq!(
            throttle.begin(ANNA, ip(9), at).err(),
            Some(Duration::from_secs(29)),
            "doubled"
        );
        at = start + Duration::from_secs(15 * 60 + 20);
        assert!(
            throttle.begin(ANNA, ip(9), at).is_ok(),
            "the window forgets"
        );
    }

    #[test]
    fn a_known_device_gets_in_while_strangers_wait() {
        let throttle = Throttle::default();
        let now = Instant::now();
        for i in 0..12u8 {
            let _ = throttle.begin(ANNA, ip(i), now).map(Attempt::failed);
        }
        assert!(throttle.begin(ANNA, ip(50), now).is_err(), "strangers wait");
        let own_phone = Subject::Account {
            login: "+79051234567",
            known_device: Some("phone-key-hash"),
        };
        throttle
            .begin(own_phone, ip(51), now)
            .expect("not braked")
            .succeeded();
        assert!(
            throttle.begin(ANNA, ip(52), now).is_ok(),
            "success forgets the failures"
        );
    }

    #[test]
    fn an_attempt_not_checked_is_given_back() {
        let throttle = Throttle::new(Rules {
            per_code: 1,
            ..Rules::default()
        });
        let now = Instant::now();
        throttle
            .begin(Subject::Code("c"), ip(1), now)
            .expect("first")
            .not_checked();
        throttle
            .begin(Subject::Code("c"), ip(1), now)
            .expect("given back")
            .failed();
        assert!(throttle.begin(Subject::Code("c"), ip(1), now).is_err());
    }
}
