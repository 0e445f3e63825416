//! A record as a device holds it: what it shows (its own changes merged over what it knows of
//! the server's copy) and what the server is known to hold. The device's storage keeps one
//! [`Replica`] per record and moves it through these rules only, so they are tested here,
//! natively, against a model server.

use serde::{Deserialize, Serialize};

use crate::hlc::NodeId;
use crate::record::{Envelope, MergeError};

/// What the server is known to hold of a record. Externally tagged (`"same"`, `"nothing"`,
/// `{"behind": …}`), which reads back without buffering.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerCopy {
    /// Exactly what the device shows: nothing of the device's waits to be accepted.
    Same,
    /// Nothing: the record was made here and the server has not accepted it yet.
    Nothing,
    /// An older state: some of the device's changes wait to be accepted.
    Behind {
        /// The server's state as last heard.
        state: Envelope,
    },
}

/// One record on a device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replica {
    /// What the device shows.
    pub state: Envelope,
    /// What the server holds, as far as the device knows.
    pub server: ServerCopy,
}

impl Replica {
    /// The record after a change made on this device.
    pub fn with_local_change(
        existing: Option<Replica>,
        change: &Envelope,
    ) -> Result<Replica, MergeError> {
        Ok(match existing {
            None => Replica {
                state: change.empty_like().merged(change)?,
                server: ServerCopy::Nothing,
            },
            Some(replica) => {
                let server = match replica.server {
                    ServerCopy::Same => ServerCopy::Behind {
                        state: replica.state.clone(),
                    },
                    other => other,
                };
                Replica {
                    state: replica.state.merged(change)?,
                    server,
                }
                .settled()
            }
        })
    }

    /// The record after pulling the server's current state of it.
    pub fn with_server_state(
        existing: Option<Replica>,
        pulled: &Envelope,
    ) -> Result<Replica, MergeError> {
        Ok(match existing {
            None => Replica {
                state: pulled.clone(),
                server: ServerCopy::Same,
            },
            Some(replica) => {
                let server = match replica.server_state() {
                    Some(known) => known.merged(pulled)?,
                    None => pulled.clone(),
                };
                Replica {
                    state: replica.state.merged(pulled)?,
                    server: ServerCopy::Behind { state: server },
                }
                .settled()
            }
        })
    }

    /// The record after the server accepted one of its changes.
    pub fn with_accepted(self, change: &Envelope) -> Result<Replica, MergeError> {
        let known = self
            .server_state()
            .unwrap_or_else(|| change.empty_like())
            .merged(change)?;
        Ok(Replica {
            state: self.state,
            server: ServerCopy::Behind { state: known },
        }
        .settled())
    }

    /// The record rebuilt from what the server holds and the changes still waiting, after the
    /// person discarded one; `None` when nothing of it is left anywhere.
    pub fn rebuilt<'a>(
        self,
        waiting: impl IntoIterator<Item = &'a Envelope>,
    ) -> Result<Option<Replica>, MergeError> {
        let server = self.server_state();
        let mut state = server.clone().unwrap_or_else(|| self.state.empty_like());
        for change in waiting {
            state.merge(change)?;
        }
        if state.is_empty() {
            return Ok(None);
        }
        Ok(Some(
            Replica {
                state,
                server: server.map_or(ServerCopy::Nothing, |state| ServerCopy::Behind { state }),
            }
            .settled(),
        ))
    }

    /// The record after the server was restored from a backup that may lack it, and what to
    /// send it again, if anything. A record device `node` wrote to, or with changes `waiting`
    /// (those not refused), is sent again whole — the server's state as last known with the
    /// waiting changes merged in — with the timestamps it has: the restored server takes back
    /// what it lost and nothing newer is overwritten, however often it arrives. Its server copy
    /// is then unknown until the answer comes. A record only others wrote is theirs to send.
    pub fn start_over<'a>(
        self,
        node: NodeId,
        waiting: impl IntoIterator<Item = &'a Envelope>,
    ) -> Result<(Replica, Option<Envelope>), MergeError> {
        let mut resend = self
            .server_state()
            .unwrap_or_else(|| self.state.empty_like());
        let mut queued = false;
        for change in waiting {
            resend.merge(change)?;
            queued = true;
        }
        if resend.is_empty() || !(queued || resend.written_by(node)) {
            return Ok((self, None));
        }
        let replica = Replica {
            state: self.state,
            server: ServerCopy::Nothing,
        };
        Ok((replica, Some(resend)))
    }

    /// The server's state as the device knows it; `None` if it holds nothing.
    pub fn server_state(&self) -> Option<Envelope> {
        match &self.server {
            ServerCopy::Same => Some(self.state.clone()),
            ServerCopy::Nothing => None,
            ServerCopy::Behind { state } => Some(state.clone()),
        }
    }

    /// Whether the server holds exactly what the device shows.
    pub fn is_synced(&self) -> bool {
        self.server == ServerCopy::Same
    }

    /// Keeps the server's copy only while it differs, so a synced record is stored once.
    fn settled(self) -> Replica {
        match &self.server {
            ServerCopy::Behind { state } if *state == self.state => Replica {
                server: ServerCopy::Same,
                ..self
            },
            _ => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{CommitteeId, Owner};
    use crate::account::UserId;
    use crate::hlc::Hlc;
    use crate::id::RecordId;
    use crate::record::{AuthorId, RecordKind};
    use proptest::prelude::*;
    use serde_json::json;

    fn change(wall: u64, node: u64, field: &str, value: i64) -> Envelope {
        Envelope::change(
            RecordId::from_parts(1, [0; 10]),
            RecordKind::Activity,
            AuthorId::user(UserId(1)),
            Owner::Committee(CommitteeId(1)),
            Hlc::new(wall, 0, NodeId::from_bits(node)),
            [(field.to_owned(), json!(value))].into(),
            None,
        )
    }

    #[test]
    fn a_new_record_is_unsynced_until_its_change_is_accepted() {
        let created = change(1, 1, "a", 1);
        let replica = Replica::with_local_change(None, &created).expect("same record");
        assert_eq!(replica.server, ServerCopy::Nothing);
        let replica = replica.with_accepted(&created).expect("same record");
        assert!(replica.is_synced());
    }

    #[test]
    fn discarding_the_only_change_of_a_new_record_leaves_nothing() {
        let replica = Replica::with_local_change(None, &change(1, 1, "a", 1)).expect("same");
        assert_eq!(replica.rebuilt([]), Ok(None));
    }

    #[test]
    fn discarding_an_edit_restores_the_servers_values_and_keeps_the_others() {
        let created = change(1, 1, "a", 1);
        let synced = Replica::with_server_state(None, &created).expect("same");
        let refused = change(2, 1, "a", -5);
        let kept = change(3, 1, "b", 7);
        let edited = Replica::with_local_change(Some(synced), &refused)
            .and_then(|r| Replica::with_local_change(Some(r), &kept))
            .expect("same");
        let rebuilt = edited.rebuilt([&kept]).expect("same").expect("a record");
        assert_eq!(
            rebuilt.state.values(),
            [("a".to_owned(), json!(1)), ("b".to_owned(), json!(7))].into()
        );
        assert!(!rebuilt.is_synced());
    }

    #[derive(Clone, Debug)]
    enum Step {
        /// The device edits field `field` to `value` at wall time `wall`.
        Edit(u8, i64),
        /// Another device's edit reaches the server.
        Remote(u8, i64),
        /// The device pushes its oldest waiting change; the reply may be lost.
        Push { reply_lost: bool },
        /// The device pulls the server's state.
        Pull,
    }

    fn step() -> impl Strategy<Value = Step> {
        let field = 0u8..3;
        prop_oneof![
            (field.clone(), any::<i64>()).prop_map(|(f, v)| Step::Edit(f, v)),
            (field, any::<i64>()).prop_map(|(f, v)| Step::Remote(f, v)),
            any::<bool>().prop_map(|reply_lost| Step::Push { reply_lost }),
            Just(Step::Pull),
        ]
    }

    #[test]
    fn a_record_only_others_wrote_is_not_sent_again() {
        let theirs = change(1, 2, "a", 1);
        let synced = Replica::with_server_state(None, &theirs).expect("same");
        let (kept, resend) = synced
            .clone()
            .start_over(NodeId::from_bits(1), [])
            .expect("same");
        assert_eq!((kept, resend), (synced, None));
    }

    #[test]
    fn a_refused_change_is_not_sent_again() {
        let theirs = change(1, 2, "a", 1);
        let synced = Replica::with_server_state(None, &theirs).expect("same");
        let refused = change(2, 1, "a", -5);
        let edited = Replica::with_local_change(Some(synced), &refused).expect("same");
        let (_, resend) = edited.start_over(NodeId::from_bits(1), []).expect("same");
        assert_eq!(resend, None);
    }

    /// The server as a model: what it holds of the one record.
    fn accept(server: Option<Envelope>, change: &Envelope) -> Option<Envelope> {
        Some(server.map_or(change.clone(), |s| s.merged(change).expect("same")))
    }

    proptest! {
        /// Whatever the device and another did, and whichever earlier state the server was
        /// restored to in between, once the device has seen the restore, started over and sent
        /// what it holds, the server holds every value the device shows as written by itself.
        #[test]
        fn a_restored_server_gets_back_what_the_device_wrote(
            steps in prop::collection::vec(
                prop_oneof![4 => step().prop_map(Some), 1 => Just(None)],
                1..40,
            ),
            restore_to in any::<prop::sample::Index>(),
        ) {
            let node = NodeId::from_bits(1);
            let mut server: Option<Envelope> = None;
            let mut snapshots = vec![None];
            let mut device: Option<Replica> = None;
            let mut outbox: Vec<Envelope> = Vec::new();
            let mut restored_unseen = false;
            let names = ["a", "b", "c"];
            for (wall, step) in steps.into_iter().enumerate() {
                let wall = wall as u64 + 1;
                match step {
                    None => {
                        server = restore_to.get(&snapshots).clone();
                        restored_unseen = true;
                    }
                    Some(Step::Edit(f, v)) => {
                        let c = change(wall, 1, names[usize::from(f)], v);
                        device = Some(Replica::with_local_change(device, &c).expect("same"));
                        outbox.push(c);
                    }
                    Some(Step::Remote(f, v)) => {
                        server = accept(server, &change(wall, 2, names[usize::from(f)], v));
                    }
                    Some(Step::Push { reply_lost }) => {
                        if let Some(c) = outbox.first().cloned() {
                            server = accept(server, &c);
                            if !reply_lost {
                                outbox.remove(0);
                                device = device.map(|d| d.with_accepted(&c).expect("same"));
                            }
                        }
                    }
                    Some(Step::Pull) if restored_unseen => {
                        restored_unseen = false;
                        if let Some(d) = device.take() {
                            let (kept, resend) = d.start_over(node, &outbox).expect("same");
                            device = Some(kept);
                            outbox.extend(resend);
                        }
                    }
                    Some(Step::Pull) => {
                        if let Some(s) = &server {
                            device = Some(Replica::with_server_state(device, s).expect("same"));
                        }
                    }
                }
                snapshots.push(server.clone());
            }
            if restored_unseen && let Some(d) = device.take() {
                let (kept, resend) = d.start_over(node, &outbox).expect("same");
                device = Some(kept);
                outbox.extend(resend);
            }
            for c in outbox.drain(..) {
                server = accept(server, &c);
                device = device.map(|d| d.with_accepted(&c).expect("same"));
            }
            if let Some(mut own) = device.map(|d| d.state) {
                own.fields.retain(|_, field| field.hlc.node() == node);
                if !own.is_empty() {
                    prop_assert!(server.as_ref().is_some_and(|s| s.merged(&own).as_ref() == Ok(s)));
                }
            }
        }

        /// Whatever mix of local edits, remote edits, pushes with lost replies and pulls
        /// happens, once the device has pushed everything and pulled, it shows exactly the
        /// server's record and knows it is synced.
        #[test]
        fn a_device_ends_with_the_servers_record(steps in prop::collection::vec(step(), 1..40)) {
            let mut server: Option<Envelope> = None;
            let mut device: Option<Replica> = None;
            let mut outbox: Vec<Envelope> = Vec::new();
            let names = ["a", "b", "c"];
            for (wall, step) in steps.into_iter().enumerate() {
                let wall = wall as u64 + 1;
                match step {
                    Step::Edit(f, v) => {
                        let c = change(wall, 1, names[usize::from(f)], v);
                        device = Some(Replica::with_local_change(device, &c).expect("same"));
                        outbox.push(c);
                    }
                    Step::Remote(f, v) => {
                        let c = change(wall, 2, names[usize::from(f)], v);
                        server = Some(server.map_or(c.clone(), |s| s.merged(&c).expect("same")));
                    }
                    Step::Push { reply_lost } => {
                        if let Some(c) = outbox.first().cloned() {
                            server = Some(server.map_or(c.clone(), |s| s.merged(&c).expect("same")));
                            if !reply_lost {
                                outbox.remove(0);
                                device = device.map(|d| d.with_accepted(&c).expect("same"));
                            }
                        }
                    }
                    Step::Pull => {
                        if let Some(s) = &server {
                            let merged = Replica::with_server_state(device, s).expect("same");
                            // What lets a device store a pulled record without reading its
                            // copy first when nothing of the record waits to be sent.
                            if outbox.is_empty() {
                                prop_assert_eq!(
                                    &merged,
                                    &Replica::with_server_state(None, s).expect("same")
                                );
                            }
                            device = Some(merged);
                        }
                    }
                }
                if outbox.is_empty() {
                    prop_assert!(device.as_ref().is_none_or(Replica::is_synced));
                }
            }
            for c in outbox.drain(..) {
                server = Some(server.map_or(c.clone(), |s| s.merged(&c).expect("same")));
                device = device.map(|d| d.with_accepted(&c).expect("same"));
            }
            if let Some(s) = &server {
                device = Some(Replica::with_server_state(device, s).expect("same"));
            }
            prop_assert_eq!(device.as_ref().map(|d| &d.state), server.as_ref());
            prop_assert!(device.is_none_or(|d| d.is_synced()));
        }
    }
}
