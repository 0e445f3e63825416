//! How long to wait before trying again after failures: exponential, capped, with jitter so
//! that a thousand phones coming back online at once do not all knock at the same second.

/// An exponential backoff policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// The wait after the first failure, before jitter (ms).
    pub base_ms: u64,
    /// The longest wait, before jitter (ms).
    pub max_ms: u64,
}

/// Sync retries: 2 s after the first failure, doubling, at most 5 minutes.
pub const SYNC_BACKOFF: Backoff = Backoff {
    base_ms: 2_000,
    max_ms: 300_000,
};

impl Backoff {
    /// The wait before the next try after `failures` failures in a row (at least 1), given a
    /// `random` number in `[0, 1)`: between half and all of `base · 2^(failures − 1)`, capped.
    pub fn delay_ms(&self, failures: u32, random: f64) -> u64 {
        let exponent = failures.saturating_sub(1).min(32);
        let ceiling = self.base_ms.saturating_mul(1 << exponent).min(self.max_ms);
        let half = ceiling / 2;
        let jitter = (random.clamp(0.0, 1.0) * (ceiling - half) as f64) as u64;
        (half + jitter).min(ceiling)
    }
}

/// How early a timer may fire by the clock's reading: WebKit's fire up to a millisecond before
/// `Date.now()` reaches their time.
const TIMER_SLACK_MS: f64 = 10.0;

/// Whether a try held back until `next_try_ms` (none: not held back) may run at `now_ms`. The
/// timer set for the next try counts as on time even when it fires a moment early, or the try
/// would wait for the next periodic pass instead.
pub fn is_due(now_ms: f64, next_try_ms: Option<f64>) -> bool {
    next_try_ms.is_none_or(|at| now_ms + TIMER_SLACK_MS >= at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn waits_grow_from_the_base_to_the_cap() {
        assert_eq!(SYNC_BACKOFF.delay_ms(1, 0.0), 1_000);
        assert_eq!(SYNC_BACKOFF.delay_ms(1, 0.999_999), 1_999);
        assert_eq!(SYNC_BACKOFF.delay_ms(3, 0.0), 4_000);
        assert_eq!(SYNC_BACKOFF.delay_ms(40, 0.0), 150_000);
        assert_eq!(SYNC_BACKOFF.delay_ms(u32::MAX, 1.0), 300_000);
    }

    #[test]
    fn a_timer_firing_a_moment_early_is_on_time() {
        assert!(is_due(5_000.0, None));
        assert!(
            is_due(4_999.1, Some(5_000.0)),
            "WebKit fires up to a millisecond early"
        );
        assert!(is_due(5_001.0, Some(5_000.0)));
        assert!(
            !is_due(3_000.0, Some(5_000.0)),
            "a pass during the backoff waits"
        );
    }

    proptest! {
        #[test]
        fn a_wait_is_within_half_and_all_of_its_capped_ceiling(failures in 1u32..100, random in 0.0f64..1.0) {
            let delay = SYNC_BACKOFF.delay_ms(failures, random);
            let ceiling = (SYNC_BACKOFF.base_ms << (failures - 1).min(20)).min(SYNC_BACKOFF.max_ms);
            prop_assert!(delay >= ceiling / 2 && delay <= ceiling, "{delay} outside [{}, {ceiling}]", ceiling / 2);
        }

        #[test]
        fn more_failures_never_mean_a_shorter_wait_for_the_same_luck(failures in 1u32..100, random in 0.0f64..1.0) {
            prop_assert!(SYNC_BACKOFF.delay_ms(failures + 1, random) >= SYNC_BACKOFF.delay_ms(failures, random));
        }
    }
}
