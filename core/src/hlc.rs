//! Hybrid logical clocks: timestamps that follow the wall clock where they can and never go
//! backwards where it does, so "later" means the same on every device.
//!
//! An [`Hlc`] orders by wall time, then a counter, then the node that made it; the last part
//! makes two timestamps from different devices always differ, so last-writer-wins needs no
//! further tie-break.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How far ahead of the server's clock a timestamp may be. A phone with a wrong date could
/// otherwise win every conflict for as long as its clock is wrong.
pub const MAX_DRIFT_MS: u64 = 15 * 60 * 1000;

/// A device (or the server) that makes timestamps: 64 random bits chosen once per install.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct NodeId(u64);

impl NodeId {
    /// The node id made of `bits` (from a cryptographic random source).
    pub const fn from_bits(bits: u64) -> Self {
        Self(bits)
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl FromStr for NodeId {
    type Err = HlcError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() != 16 {
            return Err(HlcError);
        }
        u64::from_str_radix(s, 16).map(Self).map_err(|_| HlcError)
    }
}

/// A hybrid logical timestamp. Its text form `WWWWWWWWWWWWW-CCCCC-NNNNNNNNNNNNNNNN` (wall ms,
/// counter, node, fixed width) sorts as the timestamps do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hlc {
    wall_ms: u64,
    counter: u16,
    node: NodeId,
}

/// Why a string is not an [`Hlc`] or a [`NodeId`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a hybrid logical timestamp")]
pub struct HlcError;

/// The largest wall time the text form holds (13 digits: the year 2286).
const MAX_WALL_MS: u64 = 9_999_999_999_999;

impl Hlc {
    /// The earliest timestamp: every real change wins over it. Records kept from before
    /// timestamps existed carry it.
    pub const ZERO: Hlc = Hlc {
        wall_ms: 0,
        counter: 0,
        node: NodeId(0),
    };

    /// A timestamp from its parts.
    pub fn new(wall_ms: u64, counter: u16, node: NodeId) -> Self {
        Self {
            wall_ms: wall_ms.min(MAX_WALL_MS),
            counter,
            node,
        }
    }

    /// Its wall-clock part, in milliseconds since the Unix epoch.
    pub fn wall_ms(&self) -> u64 {
        self.wall_ms
    }

    /// The node that made it.
    pub fn node(&self) -> NodeId {
        self.node
    }

    /// Whether it lies more than [`MAX_DRIFT_MS`] after `now_ms`.
    pub fn is_ahead_of(&self, now_ms: u64) -> bool {
        self.wall_ms > now_ms.saturating_add(MAX_DRIFT_MS)
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:013}-{:05}-{}", self.wall_ms, self.counter, self.node)
    }
}

impl FromStr for Hlc {
    type Err = HlcError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.split('-');
        let (Some(wall), Some(counter), Some(node), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(HlcError);
        };
        if wall.len() != 13 || counter.len() != 5 || !wall.bytes().all(|b| b.is_ascii_digit()) {
            return Err(HlcError);
        }
        Ok(Self {
            wall_ms: wall.parse().map_err(|_| HlcError)?,
            counter: counter.parse().map_err(|_| HlcError)?,
            node: node.parse()?,
        })
    }
}

impl Serialize for Hlc {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for NodeId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for NodeId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A node's clock: the last timestamp it made or saw. The caller reads the wall clock and
/// passes it in, and keeps the clock's state ([`HlcClock::last`]) where the changes it stamps
/// are kept, so that it survives restarts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HlcClock {
    last: Hlc,
}

impl HlcClock {
    /// A clock for `node` that has made nothing yet.
    pub fn new(node: NodeId) -> Self {
        Self {
            last: Hlc::new(0, 0, node),
        }
    }

    /// The clock of `node` as it was left at `last`. A `last` further ahead of `now_ms` than
    /// [`MAX_DRIFT_MS`] was made by a wrong wall clock since corrected; keeping it would stamp
    /// every later change with a time the server refuses, so the clock starts again from now.
    pub fn resume(node: NodeId, last: Hlc, now_ms: u64) -> Self {
        let last = if last.is_ahead_of(now_ms) {
            Hlc::ZERO
        } else {
            last
        };
        Self {
            last: Hlc::new(last.wall_ms, last.counter, node),
        }
    }

    /// The last timestamp made or seen.
    pub fn last(&self) -> Hlc {
        self.last
    }

    /// A new timestamp for a local change, later than every one made or seen before, whatever
    /// `now_ms` says.
    pub fn tick(&mut self, now_ms: u64) -> Hlc {
        let now_ms = now_ms.min(MAX_WALL_MS);
        let Hlc {
            wall_ms,
            counter,
            node,
        } = self.last;
        self.last = if now_ms > wall_ms {
            Hlc::new(now_ms, 0, node)
        } else if let Some(counter) = counter.checked_add(1) {
            Hlc::new(wall_ms, counter, node)
        } else {
            // The counter is spent: borrow a millisecond from the future rather than repeat.
            Hlc::new(wall_ms.saturating_add(1), 0, node)
        };
        self.last
    }

    /// Takes in a timestamp from elsewhere, so that the next local change is later than it.
    pub fn observe(&mut self, remote: Hlc, now_ms: u64) {
        let remote = Hlc::new(remote.wall_ms, remote.counter, self.last.node);
        self.last = self.last.max(remote);
        self.tick(now_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NODE: NodeId = NodeId(0xfeed);

    #[test]
    fn text_form_round_trips_and_sorts_like_the_timestamps() {
        let a = Hlc::new(1_764_028_800_000, 7, NODE);
        let b = Hlc::new(1_764_028_800_000, 10, NodeId(1));
        assert_eq!(a.to_string(), "1764028800000-00007-000000000000feed");
        assert_eq!(a.to_string().parse(), Ok(a));
        assert!(a < b && a.to_string() < b.to_string());
        assert_eq!(Hlc::ZERO.to_string().parse(), Ok(Hlc::ZERO));
        for bad in [
            "",
            "1-2-3",
            "1764028800000-00007",
            "176402880000x-00007-000000000000feed",
        ] {
            assert_eq!(bad.parse::<Hlc>(), Err(HlcError), "{bad}");
        }
    }

    #[test]
    fn a_clock_left_far_ahead_by_a_wrong_date_starts_again_from_now() {
        let wrong = Hlc::new(2_000_000_000_000, 3, NODE);
        let mut clock = HlcClock::resume(NODE, wrong, 1_764_028_800_000);
        assert_eq!(clock.tick(1_764_028_800_000).wall_ms(), 1_764_028_800_000);
        let near = Hlc::new(1_764_028_800_500, 3, NODE);
        let mut clock = HlcClock::resume(NODE, near, 1_764_028_800_000);
        assert!(clock.tick(1_764_028_800_000) > near);
    }

    #[test]
    fn a_spent_counter_moves_to_the_next_millisecond() {
        let mut clock = HlcClock::resume(NODE, Hlc::new(5, u16::MAX, NODE), 5);
        assert_eq!(clock.tick(5), Hlc::new(6, 0, NODE));
    }

    #[derive(Clone, Debug)]
    enum Event {
        Tick(u64),
        Observe(u64, u16, u64),
    }

    fn event() -> impl Strategy<Value = Event> {
        prop_oneof![
            (0u64..1_000_000).prop_map(Event::Tick),
            (0u64..1_000_000, any::<u16>(), 0u64..1_000_000)
                .prop_map(|(w, c, now)| Event::Observe(w, c, now)),
        ]
    }

    proptest! {
        /// Whatever the wall clock does (jumps back, stands still, skews against other nodes),
        /// each timestamp a clock makes is later than everything it made or saw before.
        #[test]
        fn timestamps_only_go_forward(events in prop::collection::vec(event(), 1..200)) {
            let mut clock = HlcClock::new(NODE);
            let mut latest_seen = clock.last();
            for event in events {
                match event {
                    Event::Tick(now) => {
                        let stamp = clock.tick(now);
                        prop_assert!(stamp > latest_seen);
                        prop_assert!(stamp.wall_ms() >= now.min(MAX_WALL_MS));
                        latest_seen = stamp;
                    }
                    Event::Observe(wall, counter, now) => {
                        let remote = Hlc::new(wall, counter, NodeId(1));
                        clock.observe(remote, now);
                        prop_assert!(clock.last() > remote && clock.last() > latest_seen);
                        latest_seen = clock.last();
                    }
                }
            }
        }
    }
}
