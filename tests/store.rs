//! The device's store against real IndexedDB in headless Chromium. Every test opens a database
//! with a fresh random name, so tests never see each other's data.

#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;

use dvor::clock::{new_mutation_id, new_record_id, now_ms};
use dvor::store::{Edit, OutboxEntry, PageApplied, Restored, SignIn, Store, StoreError, SyncState};
use dvor_core::access::{CommitteeId, Grant, Owner, Role, Scope};
use dvor_core::account::{AuthorName, Me, SignedIn, UserId};
use dvor_core::activity::{Activity, ActivityInput};
use dvor_core::date::Date;
use dvor_core::error::ErrorCode;
use dvor_core::hlc::{Hlc, NodeId};
use dvor_core::lineage::Lineage;
use dvor_core::photo::{BlobHash, PhotoRef, PhotoTag};
use dvor_core::protocol::{Mutation, MutationResult, Outcome, PullPage};
use dvor_core::record::{AuthorId, Envelope, RecordKind};
use dvor_core::site::{Site, SiteInput};
use serde_json::json;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_name() -> String {
    format!("dvor-test-{}", new_record_id().expect("entropy"))
}

/// The committee the tests' records belong to.
const COMMITTEE: Owner = Owner::Committee(CommitteeId(5));

/// Person `id`, a volunteer of [`COMMITTEE`], signed in for a day.
fn signed_in(id: u32) -> SignedIn {
    SignedIn {
        token: format!("token-{id}"),
        expires_at_ms: now_ms() as i64 + 86_400_000,
        me: Me {
            id: UserId(id),
            name: format!("Участник {id}"),
            login: format!("p{id}@example.ru"),
            grants: vec![
                Grant::new(Role::Volunteer, Scope::Committee(CommitteeId(5))).expect("fits"),
            ],
        },
    }
}

/// A store with a fresh random name and person 1 signed in.
async fn fresh_store() -> (Store, String) {
    let name = fresh_name();
    let store = Store::open(&name).await.expect("IndexedDB opens");
    let signed = store.sign_in(signed_in(1), false).await.expect("signed in");
    assert_eq!(signed, SignIn::Done);
    (store, name)
}

/// Another person's author id, for records pulled from the server.
fn someone_else() -> AuthorId {
    AuthorId::user(UserId(99))
}

fn subbotnik(bags: i64) -> Activity {
    subbotnik_on("2026-05-16", bags)
}

fn subbotnik_on(date: &str, bags: i64) -> Activity {
    ActivityInput {
        id: new_record_id().expect("entropy").to_string(),
        kind: "cleanup_day".into(),
        date: date.into(),
        owner: Some(COMMITTEE),
        site_address: "просп. Октябрьский, 56 Б".into(),
        variant: None,
        youth: false,
        measures: BTreeMap::from([("participants".into(), 14), ("bags".into(), bags)]),
        ..ActivityInput::default()
    }
    .validate(Date::from_ymd(2026, 11, 25).expect("date"))
    .expect("valid")
}

/// The activity's address, blank for none.
fn address_of(activity: &Activity) -> String {
    activity
        .site_address
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default()
}

fn creation(activity: &Activity) -> Edit {
    Edit {
        id: activity.id,
        kind: RecordKind::Activity,
        owner: activity.owner,
        values: activity.values(),
        deleted: Some(false),
    }
}

/// A new yard of the committee.
fn yard() -> Site {
    SiteInput {
        id: new_record_id().expect("entropy").to_string(),
        name: "Двор на Весенней, 5".into(),
        site_kind: "yard".into(),
        owner: Some(COMMITTEE),
        address: "ул. Весенняя, 5".into(),
        ..SiteInput::default()
    }
    .validate()
    .expect("valid")
}

fn site_creation(site: &Site) -> Edit {
    Edit {
        id: site.id,
        kind: RecordKind::Site,
        owner: site.owner,
        values: site.values(),
        deleted: Some(false),
    }
}

async fn save(store: &Store, edit: Edit) {
    store
        .save(edit, new_mutation_id().expect("entropy"))
        .await
        .expect("saved");
}

async fn states(store: &Store) -> BTreeMap<dvor_core::id::RecordId, SyncState> {
    store
        .all::<Activity>()
        .await
        .expect("read")
        .into_iter()
        .map(|l| (l.record.id, l.state))
        .collect()
}

/// The server's answer `outcome` to every entry of `sent`.
fn answers(sent: &[OutboxEntry], outcome: Outcome) -> Vec<MutationResult> {
    sent.iter()
        .map(|e| MutationResult {
            mutation_id: e.mutation.mutation_id,
            outcome: outcome.clone(),
        })
        .collect()
}

fn page(changes: Vec<Envelope>, cursor: u64) -> PullPage {
    PullPage {
        changes,
        cursor,
        has_more: false,
        remaining: 0,
        server_time_ms: now_ms() as u64,
        lineage: None,
    }
}

#[wasm_bindgen_test]
async fn a_saved_activity_and_its_outbox_entry_read_back_also_after_reopening() {
    let (store, name) = fresh_store().await;
    let activity = subbotnik(30);
    save(&store, creation(&activity)).await;
    drop(store);
    let reopened = Store::open(&name).await.expect("reopens");
    let listed = reopened.all::<Activity>().await.expect("read");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].record, activity);
    assert_eq!(listed[0].state, SyncState::Pending);
    let outbox = reopened.outbox().await.expect("read");
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].mutation.change.id, activity.id);
}

/// An edit of one field, as the form makes it.
fn edit_of(activity: &Activity, name: &str, value: serde_json::Value) -> Edit {
    Edit {
        id: activity.id,
        kind: RecordKind::Activity,
        owner: activity.owner,
        values: BTreeMap::from([(name.to_owned(), value)]),
        deleted: None,
    }
}

#[wasm_bindgen_test]
async fn an_edit_writes_what_it_changed_and_an_empty_one_writes_nothing() {
    let (store, _) = fresh_store().await;
    let activity = subbotnik(3);
    save(&store, creation(&activity)).await;
    save(
        &store,
        edit_of(&activity, "site_address", json!("Лесная Поляна")),
    )
    .await;
    let mut nothing = edit_of(&activity, "site_address", json!(null));
    nothing.values.clear();
    save(&store, nothing).await;
    let outbox = store.outbox().await.expect("read");
    assert_eq!(outbox.len(), 2, "the empty edit wrote nothing");
    assert_eq!(
        outbox[1].mutation.change.values(),
        BTreeMap::from([("site_address".to_owned(), json!("Лесная Поляна"))])
    );
    assert!(outbox[1].mutation.change.hlc() > outbox[0].mutation.change.hlc());
    let listed = store.all::<Activity>().await.expect("read");
    assert_eq!(address_of(&listed[0].record), "Лесная Поляна");
    assert_eq!(
        listed[0].author,
        AuthorId::user(UserId(1)),
        "made by the person signed in"
    );
}

#[wasm_bindgen_test]
async fn two_tabs_writing_at_once_keep_every_change_with_distinct_timestamps() {
    let (first, name) = fresh_store().await;
    let second = Store::open(&name).await.expect("a second tab");
    let activities: Vec<Activity> = (0..10).map(subbotnik).collect();
    let writes = activities.iter().enumerate().map(|(i, a)| {
        let store = if i % 2 == 0 { &first } else { &second };
        save(store, creation(a))
    });
    futures::future::join_all(writes).await;
    let outbox = first.outbox().await.expect("read");
    assert_eq!(outbox.len(), 10);
    let mut stamps: Vec<Hlc> = outbox.iter().map(|e| e.mutation.change.hlc()).collect();
    stamps.sort();
    stamps.dedup();
    assert_eq!(
        stamps.len(),
        10,
        "one clock across tabs, never the same stamp twice"
    );
}

#[wasm_bindgen_test]
async fn answers_clear_applied_changes_and_keep_refused_ones_without_blocking_the_rest() {
    let (store, _) = fresh_store().await;
    let (accepted, refused, behind) = (subbotnik(1), subbotnik(2), subbotnik(3));
    for a in [&accepted, &refused, &behind] {
        save(&store, creation(a)).await;
    }
    let sent = store.outbox_after(0, 10).await.expect("read");
    let mut results = answers(&sent[..1], Outcome::Applied);
    results.extend(answers(
        &sent[1..2],
        Outcome::Rejected {
            code: ErrorCode::DateInFuture,
            message: "Дата не может быть в будущем".into(),
            field: Some("date".into()),
        },
    ));
    // The third was sent too but its answer was lost: it stays to be sent again.
    store
        .record_results(&sent, &results)
        .await
        .expect("recorded");
    let expected = BTreeMap::from([
        (accepted.id, SyncState::Synced),
        (
            refused.id,
            SyncState::Rejected {
                code: ErrorCode::DateInFuture,
                message: "Дата не может быть в будущем".into(),
            },
        ),
        (behind.id, SyncState::Pending),
    ]);
    assert_eq!(states(&store).await, expected);
    let next: Vec<_> = store
        .outbox_after(0, 10)
        .await
        .expect("read")
        .into_iter()
        .filter(|e| e.rejected.is_none())
        .collect();
    assert_eq!(next.len(), 1, "the refused change waits for the person");
    assert_eq!(next[0].mutation.change.id, behind.id);
    let later = store.outbox_after(next[0].seq - 1, 1).await.expect("read");
    assert_eq!(later, next, "the outbox reads from a position");
}

#[wasm_bindgen_test]
async fn accepted_changes_leave_the_outbox_and_those_between_them_stay() {
    let (store, _) = fresh_store().await;
    let activities: Vec<Activity> = (0..6).map(subbotnik).collect();
    for a in &activities {
        save(&store, creation(a)).await;
    }
    let first = store.outbox_after(0, 10).await.expect("read");
    // The second was refused in an earlier pass, so it is walked but not sent.
    let refusal = Outcome::Rejected {
        code: ErrorCode::Required,
        message: "Заполните это поле".into(),
        field: None,
    };
    store
        .record_results(&first[1..2], &answers(&first[1..2], refusal))
        .await
        .expect("recorded");
    let walked = store.outbox_after(0, 10).await.expect("read");
    // Accepted: 0, 2, 3 and 5; the answer for 4 was lost.
    let results: Vec<_> = [0, 2, 3, 5]
        .into_iter()
        .flat_map(|i| answers(&walked[i..=i], Outcome::Applied))
        .collect();
    store
        .record_results(&walked, &results)
        .await
        .expect("recorded");
    let left: Vec<_> = store
        .outbox()
        .await
        .expect("read")
        .into_iter()
        .map(|entry| entry.mutation.change.id)
        .collect();
    assert_eq!(left, [activities[1].id, activities[4].id]);
    let synced = states(&store)
        .await
        .into_values()
        .filter(|state| *state == SyncState::Synced)
        .count();
    assert_eq!(synced, 4);
}

#[wasm_bindgen_test]
async fn a_pulled_page_lands_with_its_cursor_and_merges_under_unsent_changes() {
    let (store, _) = fresh_store().await;
    let activity = subbotnik(5);
    let node = NodeId::from_bits(99);
    let author = someone_else();
    let server_stamp = Hlc::new(now_ms() as u64 - 60_000, 0, node);
    let on_server = Envelope::change(
        activity.id,
        RecordKind::Activity,
        author.clone(),
        COMMITTEE,
        server_stamp,
        activity.values(),
        Some(false),
    );
    store
        .apply_page(&page(vec![on_server.clone()], 7))
        .await
        .expect("applied");
    assert_eq!(store.sync_meta().await.expect("read").cursor, 7);
    assert_eq!(states(&store).await[&activity.id], SyncState::Synced);

    // The person edits the date here; another device's older edit of the address and date
    // arrives; both the local date and the remote address survive.
    save(&store, edit_of(&activity, "date", json!("2026-05-17"))).await;
    let remote = Envelope::change(
        activity.id,
        RecordKind::Activity,
        author,
        COMMITTEE,
        Hlc::new(now_ms() as u64 - 30_000, 0, NodeId::from_bits(98)),
        BTreeMap::from([
            ("date".to_owned(), json!("2026-05-10")),
            ("site_address".to_owned(), json!("ул. Весенняя, 3")),
        ]),
        None,
    );
    let merged_on_server = on_server.merged(&remote).expect("same record");
    store
        .apply_page(&page(vec![merged_on_server], 9))
        .await
        .expect("applied");
    let shown = &store.all::<Activity>().await.expect("read")[0];
    assert_eq!(shown.record.date.to_string(), "2026-05-17");
    assert_eq!(address_of(&shown.record), "ул. Весенняя, 3");
    assert_eq!(shown.state, SyncState::Pending);
    assert_eq!(store.sync_meta().await.expect("read").cursor, 9);
}

/// A page of the server whose history is `lineage`.
fn page_of(lineage: &Lineage, changes: Vec<Envelope>, cursor: u64) -> PullPage {
    PullPage {
        lineage: Some(lineage.clone()),
        ..page(changes, cursor)
    }
}

#[wasm_bindgen_test]
async fn a_restored_server_is_sent_again_what_the_device_wrote_and_pulled_from_the_start() {
    let (store, _) = fresh_store().await;
    let (before, after) = (Lineage::from_random([1; 16]), Lineage::from_random([2; 16]));
    // Someone else's subbotnik, which this device only reads, and another it edits.
    let (read_only, edited) = (subbotnik(1), subbotnik(2));
    let theirs = |activity: &Activity| {
        Envelope::change(
            activity.id,
            RecordKind::Activity,
            someone_else(),
            COMMITTEE,
            Hlc::new(now_ms() as u64 - 60_000, 0, NodeId::from_bits(99)),
            activity.values(),
            Some(false),
        )
    };
    let pulled = vec![theirs(&read_only), theirs(&edited)];
    let applied = store.apply_page(&page_of(&before, pulled, 5)).await;
    assert_eq!(applied.expect("applied"), PageApplied::Stored);
    // A subbotnik made here with a photo the server has, and the edit, both accepted.
    let photo = PhotoRef {
        tag: PhotoTag::After,
        hash: BlobHash::from_digest([7; 32]),
        thumb: BlobHash::from_digest([8; 32]),
    };
    let mine = Activity {
        photos: vec![photo],
        ..subbotnik(3)
    };
    let bytes = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(
        &js_sys::Uint8Array::from(&b"jpeg"[..]),
    ))
    .expect("a blob");
    for hash in photo.blobs() {
        store.keep_photo(hash, &bytes, false).await.expect("kept");
    }
    save(&store, creation(&mine)).await;
    save(&store, edit_of(&edited, "site_address", json!("Сухово"))).await;
    let sent = store.outbox().await.expect("read");
    store
        .record_results(&sent, &answers(&sent, Outcome::Applied))
        .await
        .expect("recorded");
    let shown = states(&store).await;
    assert!(shown.values().all(|state| *state == SyncState::Synced));
    let written: BTreeMap<_, _> = store
        .all::<Activity>()
        .await
        .expect("read")
        .into_iter()
        .map(|local| (local.record.id, local.record))
        .collect();

    // The server is restored from a copy older than all of it: its first page says so, and
    // is not applied.
    let stale = store.apply_page(&page_of(&after, Vec::new(), 2)).await;
    assert_eq!(
        stale.expect("read"),
        PageApplied::OtherLineage(after.clone())
    );
    assert_eq!(store.sync_meta().await.expect("read").cursor, 5);

    assert_eq!(store.start_over(&after).await.expect("started over"), 2);
    let queued = store.outbox().await.expect("read");
    let resent: BTreeMap<_, _> = queued
        .iter()
        .map(|entry| (entry.mutation.change.id, &entry.mutation.change))
        .collect();
    assert_eq!(
        resent.len(),
        2,
        "the record made here and the one edited here"
    );
    let whole = |id| {
        let change: &Envelope = resent[&id];
        Activity::from_stored(change).expect("a whole subbotnik")
    };
    assert_eq!(whole(mine.id), written[&mine.id]);
    assert_eq!(whole(edited.id), written[&edited.id]);
    assert!(!resent.contains_key(&read_only.id));
    let mut photos = store.unsent_photos().await.expect("read");
    photos.sort();
    let mut expected = photo.blobs().to_vec();
    expected.sort();
    assert_eq!(photos, expected, "the photo goes again too");
    let meta = store.sync_meta().await.expect("read");
    assert_eq!((meta.cursor, meta.lineage), (0, Some(after.clone())));
    assert_eq!(states(&store).await[&mine.id], SyncState::Pending);
    assert_eq!(store.start_over(&after).await.expect("done once"), 0);
    assert_eq!(store.outbox().await.expect("read").len(), 2);

    // The restored server takes them back; pulling from the start leaves the device synced.
    store
        .record_results(&queued, &answers(&queued, Outcome::Applied))
        .await
        .expect("recorded");
    let back: Vec<Envelope> = queued.iter().map(|e| e.mutation.change.clone()).collect();
    let pulled_again = store.apply_page(&page_of(&after, back, 2)).await;
    assert_eq!(pulled_again.expect("applied"), PageApplied::Stored);
    let shown = states(&store).await;
    assert_eq!(shown[&mine.id], SyncState::Synced);
    assert_eq!(shown[&edited.id], SyncState::Synced);
    assert_eq!(store.sync_meta().await.expect("read").cursor, 2);
}

#[wasm_bindgen_test]
async fn a_change_made_after_pulling_wins_over_what_was_pulled() {
    let (store, _) = fresh_store().await;
    let activity = subbotnik(5);
    let node = NodeId::from_bits(42);
    // Another device's clock runs ten minutes ahead (within what the server accepts).
    let ahead = Hlc::new(now_ms() as u64 + 600_000, 0, node);
    let pulled = Envelope::change(
        activity.id,
        RecordKind::Activity,
        someone_else(),
        COMMITTEE,
        ahead,
        activity.values(),
        Some(false),
    );
    store
        .apply_page(&page(vec![pulled], 1))
        .await
        .expect("applied");
    save(&store, edit_of(&activity, "site_address", json!("Сухово"))).await;
    let outbox = store.outbox().await.expect("read");
    assert!(outbox[0].mutation.change.hlc() > ahead);
}

#[wasm_bindgen_test]
async fn a_deleted_record_leaves_the_list_and_its_deletion_waits_to_be_sent() {
    let (store, _) = fresh_store().await;
    let activity = subbotnik(5);
    save(&store, creation(&activity)).await;
    save(
        &store,
        Edit {
            id: activity.id,
            kind: RecordKind::Activity,
            owner: activity.owner,
            values: BTreeMap::new(),
            deleted: Some(true),
        },
    )
    .await;
    assert!(store.all::<Activity>().await.expect("read").is_empty());
    let outbox = store.outbox().await.expect("read");
    assert_eq!(outbox.len(), 2);
    assert!(outbox[1].mutation.change.is_deleted());
}

#[wasm_bindgen_test]
async fn a_refused_record_is_corrected_or_discarded_and_a_discarded_edit_restores_the_server_copy()
{
    let (store, _) = fresh_store().await;
    let (corrected, discarded, edited) = (subbotnik(20), subbotnik(21), subbotnik(22));
    for a in [&corrected, &discarded] {
        save(&store, creation(a)).await;
    }
    let node = NodeId::from_bits(5);
    let on_server = Envelope::change(
        edited.id,
        RecordKind::Activity,
        someone_else(),
        COMMITTEE,
        Hlc::new(now_ms() as u64 - 60_000, 0, node),
        edited.values(),
        Some(false),
    );
    store
        .apply_page(&page(vec![on_server], 1))
        .await
        .expect("applied");
    save(&store, edit_of(&edited, "site_address", json!("?"))).await;
    let sent = store.outbox_after(0, 10).await.expect("read");
    let refusal = Outcome::Rejected {
        code: ErrorCode::Required,
        message: "Заполните это поле".into(),
        field: None,
    };
    store
        .record_results(&sent, &answers(&sent, refusal))
        .await
        .expect("recorded");

    let mut fixed = creation(&corrected);
    fixed
        .values
        .insert("site_address".into(), json!("Заречный"));
    store
        .correct(fixed, new_mutation_id().expect("entropy"))
        .await
        .expect("corrected");
    store
        .discard_rejected(discarded.id)
        .await
        .expect("discarded");
    store.discard_rejected(edited.id).await.expect("discarded");

    let shown: BTreeMap<_, _> = store
        .all::<Activity>()
        .await
        .expect("read")
        .into_iter()
        .map(|l| (l.record.id, (address_of(&l.record), l.state)))
        .collect();
    let expected = BTreeMap::from([
        (corrected.id, ("Заречный".to_owned(), SyncState::Pending)),
        (edited.id, (address_of(&edited), SyncState::Synced)),
    ]);
    assert_eq!(shown, expected);
    let outbox = store.outbox().await.expect("read");
    assert_eq!(outbox.len(), 1);
    assert_eq!(
        outbox[0].mutation.change.values().len(),
        corrected.values().len(),
        "the corrected record is sent whole"
    );
}

#[wasm_bindgen_test]
async fn a_backup_restores_once_wherever_it_is_restored() {
    let (store, _) = fresh_store().await;
    let (first, second) = (subbotnik(1), subbotnik(2));
    save(&store, creation(&first)).await;
    save(&store, creation(&second)).await;
    let backup: Vec<Mutation> = store
        .outbox()
        .await
        .expect("read")
        .into_iter()
        .map(|e| e.mutation)
        .collect();

    let (other, _) = fresh_store().await;
    // The other device already pulled the first record from the server.
    other
        .apply_page(&page(vec![backup[0].change.clone()], 1))
        .await
        .expect("applied");
    assert_eq!(
        other.restore(&backup).await.expect("restored"),
        Restored {
            added: 1,
            already_present: 1
        }
    );
    assert_eq!(
        other.restore(&backup).await.expect("restored"),
        Restored {
            added: 0,
            already_present: 2
        }
    );
    let outbox = other.outbox().await.expect("read");
    assert_eq!(outbox.len(), 1);
    assert_eq!(
        outbox[0].mutation, backup[1],
        "the same mutation id goes to the server"
    );
}

/// Makes database `name` as schema `version` left it: `stores` (name, key path, whether keys
/// auto-increment) holding `values` (store, JSON) as plain objects, as version 2 wrote.
async fn old_database(
    name: &str,
    version: u32,
    stores: &'static [(&'static str, Option<&'static str>, bool)],
    values: &[(&str, serde_json::Value)],
) {
    old_database_open(name, version, stores, values)
        .await
        .close();
}

/// [`old_database`], left open as an old tab would hold it.
async fn old_database_open(
    name: &str,
    version: u32,
    stores: &'static [(&'static str, Option<&'static str>, bool)],
    values: &[(&str, serde_json::Value)],
) -> indexed_db_futures::database::Database {
    use indexed_db_futures::database::Database;
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;

    let db = Database::open(name)
        .with_version(version)
        .with_on_upgrade_needed(move |_, db| {
            for &(store, key_path, auto_increment) in stores {
                let builder = db.create_object_store(store);
                match key_path {
                    Some(path) => builder
                        .with_key_path(path.into())
                        .with_auto_increment(auto_increment)
                        .build()?,
                    None => builder.build()?,
                };
            }
            Ok(())
        })
        .await
        .expect("an old database");
    let names: Vec<&str> = stores.iter().map(|(store, ..)| *store).collect();
    let tx = db
        .transaction(names.as_slice())
        .with_mode(TransactionMode::Readwrite)
        .build()
        .expect("tx");
    for (store, value) in values {
        let value = js_sys::JSON::parse(&value.to_string()).expect("js");
        let store = tx.object_store(store).expect("store");
        if store.key_path().is_some() {
            store
                .put(value)
                .primitive()
                .expect("put")
                .await
                .expect("stored");
        } else {
            let put = store.put(value).with_key("sync").primitive().expect("put");
            put.await.expect("stored");
        }
    }
    tx.commit().await.expect("committed");
    db
}

#[wasm_bindgen_test]
async fn what_the_versions_before_accounts_kept_is_dropped_and_the_device_starts_empty() {
    let name = fresh_name();
    let node = NodeId::from_bits(9);
    old_database(
        &name,
        2,
        &[
            ("meta", None, false),
            ("records", Some("state.id"), false),
            ("outbox", Some("seq"), true),
        ],
        &[
            (
                "meta",
                json!({"cursor": 7, "node": node, "hlc": Hlc::new(3, 0, node)}),
            ),
            ("records", json!({"state": {"id": "x"}, "server": "same"})),
        ],
    )
    .await;
    let store = Store::open(&name).await.expect("upgrades");
    assert!(store.all::<Activity>().await.expect("read").is_empty());
    assert_eq!(store.unsent().await.expect("count").count, 0);
    assert_eq!(store.sync_meta().await.expect("read").cursor, 0);
    assert_eq!(store.session().await.expect("read"), None);
}

#[wasm_bindgen_test]
async fn nothing_is_saved_without_someone_signed_in() {
    let store = Store::open(&fresh_name()).await.expect("opens");
    let saved = store
        .save(creation(&subbotnik(1)), new_mutation_id().expect("entropy"))
        .await;
    assert!(matches!(saved, Err(StoreError::NotSignedIn)));
    assert!(store.all::<Activity>().await.expect("read").is_empty());
}

#[wasm_bindgen_test]
async fn an_ended_session_keeps_the_changes_for_the_same_person_signing_in_again() {
    let (store, _) = fresh_store().await;
    save(&store, creation(&subbotnik(1))).await;
    store.end_session().await.expect("ended");
    let ended = store.session().await.expect("read").expect("kept");
    assert!(ended.ended && ended.token.is_empty());
    assert!(!ended.usable(now_ms()));
    assert_eq!(
        store.sign_in(signed_in(1), false).await.expect("signed in"),
        SignIn::Done
    );
    assert_eq!(
        store.unsent().await.expect("count").count,
        1,
        "nothing dropped"
    );
    assert!(
        store
            .session()
            .await
            .expect("read")
            .expect("kept")
            .usable(now_ms())
    );
}

#[wasm_bindgen_test]
async fn another_person_signs_in_over_unsent_changes_only_by_discarding_them() {
    let (store, _) = fresh_store().await;
    let activity = subbotnik(1);
    save(&store, creation(&activity)).await;
    store.end_session().await.expect("ended");
    assert_eq!(
        store.sign_in(signed_in(2), false).await.expect("answered"),
        SignIn::OthersChangesWaiting {
            name: "Участник 1".to_owned(),
            count: 1
        }
    );
    assert_eq!(
        store.unsent().await.expect("count").count,
        1,
        "nothing changed"
    );
    assert_eq!(
        store.session().await.expect("read").expect("kept").me.id,
        UserId(1)
    );
    assert_eq!(
        store.sign_in(signed_in(2), true).await.expect("signed in"),
        SignIn::Done
    );
    assert!(
        store.all::<Activity>().await.expect("read").is_empty(),
        "nothing of person 1 is left"
    );
    assert_eq!(store.unsent().await.expect("count").count, 0);
    assert_eq!(
        store.session().await.expect("read").expect("kept").me.id,
        UserId(2)
    );
}

#[wasm_bindgen_test]
async fn signing_out_leaves_nothing_of_the_person_on_the_device() {
    let (store, name) = fresh_store().await;
    save(&store, creation(&subbotnik(1))).await;
    store
        .apply_page(&page(
            vec![Envelope::change(
                subbotnik(2).id,
                RecordKind::Activity,
                someone_else(),
                COMMITTEE,
                Hlc::new(now_ms() as u64 - 1_000, 0, NodeId::from_bits(3)),
                subbotnik(2).values(),
                Some(false),
            )],
            4,
        ))
        .await
        .expect("applied");
    store
        .set_authors(&[AuthorName {
            author: someone_else(),
            name: "Ольга Смирнова".to_owned(),
        }])
        .await
        .expect("names kept");
    assert_eq!(store.authors().await.expect("read").len(), 1);
    store.sign_out().await.expect("signed out");
    drop(store);
    let reopened = Store::open(&name).await.expect("reopens");
    assert!(reopened.all::<Activity>().await.expect("read").is_empty());
    assert!(
        reopened.authors().await.expect("read").is_empty(),
        "no one's name stays"
    );
    assert_eq!(reopened.unsent().await.expect("count").count, 0);
    assert_eq!(reopened.session().await.expect("read"), None);
    assert_eq!(reopened.sync_meta().await.expect("read").cursor, 0);
}

#[wasm_bindgen_test]
async fn new_roles_pull_again_from_the_start() {
    let (store, _) = fresh_store().await;
    store
        .apply_page(&page(Vec::new(), 12))
        .await
        .expect("applied");
    let mut same = signed_in(1).me;
    store.update_me(same.clone()).await.expect("updated");
    assert_eq!(
        store.sync_meta().await.expect("read").cursor,
        12,
        "same roles, same cursor"
    );
    same.grants
        .push(Grant::new(Role::Chair, Scope::Committee(CommitteeId(6))).expect("fits"));
    store.update_me(same).await.expect("updated");
    assert_eq!(store.sync_meta().await.expect("read").cursor, 0);
}

/// Lets the browser run for `ms` milliseconds.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
async fn an_upgrade_held_up_by_an_old_tab_says_so_and_goes_on_once_that_tab_closes() {
    let name = fresh_name();
    let old_tab = old_database_open(&name, 2, &[("meta", None, false)], &[]).await;
    let told = Rc::new(Cell::new(false));
    let opening = Store::open_or_wait(&name, {
        let told = Rc::clone(&told);
        move || told.set(true)
    });
    let old_tab_closes = async {
        while !told.get() {
            sleep(10).await;
        }
        old_tab.close();
    };
    let (opened, ()) = futures::join!(opening, old_tab_closes);
    let store = opened.expect("opens once the old tab has closed");
    assert!(told.get());
    store.sign_in(signed_in(1), false).await.expect("signed in");
    save(&store, creation(&subbotnik(1))).await;
}

#[wasm_bindgen_test]
async fn a_tab_gives_way_to_a_newer_version_opened_in_another() {
    use indexed_db_futures::database::Database;

    let (store, name) = fresh_store().await;
    let told = Rc::new(Cell::new(false));
    store.give_way_to_newer_versions({
        let told = Rc::clone(&told);
        move || told.set(true)
    });
    let newer = Database::open(name.as_str())
        .with_version(99u32)
        .with_on_blocked(|_| panic!("the open tab should have let go"))
        .await
        .expect("the newer version opens");
    assert!(told.get(), "this tab was told to reload");
    newer.close();
}

#[wasm_bindgen_test]
fn a_full_quota_is_told_apart_from_other_failures() {
    let error = |name: &str| {
        let exception =
            web_sys::DomException::new_with_message_and_name("test", name).expect("exception");
        let exception = indexed_db_futures::error::DomException::try_from(
            wasm_bindgen::JsValue::from(exception),
        )
        .expect("a DOM exception");
        StoreError::Request(indexed_db_futures::error::Error::DomException(exception))
    };
    assert!(error("QuotaExceededError").is_quota_exceeded());
    assert!(!error("AbortError").is_quota_exceeded());
}

#[wasm_bindgen_test]
async fn a_draft_survives_reopening_until_it_is_dropped_or_the_person_signs_out() {
    let (store, name) = fresh_store().await;
    let draft: dvor::store::Draft = [
        ("site_address".to_owned(), "ул. Весенняя, 3".to_owned()),
        ("bags".to_owned(), "двадцать".to_owned()),
    ]
    .into();
    store
        .keep_draft("new:cleanup_day", &draft)
        .await
        .expect("kept");
    drop(store);
    let store = Store::open(&name).await.expect("reopens");
    assert_eq!(
        store.draft("new:cleanup_day").await.expect("read"),
        Some(draft.clone()),
        "kept as typed, numbers or not"
    );
    assert_eq!(
        store.draft("new:club").await.expect("read"),
        None,
        "one draft per form"
    );
    store.drop_draft("new:cleanup_day").await.expect("dropped");
    assert_eq!(store.draft("new:cleanup_day").await.expect("read"), None);
    store
        .keep_draft("new:cleanup_day", &draft)
        .await
        .expect("kept");
    store.sign_out().await.expect("signed out");
    assert_eq!(
        store.draft("new:cleanup_day").await.expect("read"),
        None,
        "nothing typed by the person stays"
    );
}

#[wasm_bindgen_test]
async fn lists_read_a_screen_at_a_time_newest_first_without_deleted_records() {
    let (store, _) = fresh_store().await;
    let mut made = Vec::new();
    for day in [3, 1, 5, 2, 4] {
        let activity = subbotnik_on(&format!("2026-05-0{day}"), day);
        save(&store, creation(&activity)).await;
        made.push(activity);
    }
    let site = yard();
    save(&store, site_creation(&site)).await;
    let fourth = made.iter().find(|a| a.date.day() == 4).expect("made");
    save(
        &store,
        Edit {
            deleted: Some(true),
            values: BTreeMap::new(),
            ..creation(fourth)
        },
    )
    .await;

    let days = |page: &dvor::store::Page<Activity>| -> Vec<u32> {
        page.records.iter().map(|l| l.record.date.day()).collect()
    };
    let first = store.page::<Activity>(None, 2).await.expect("read");
    assert_eq!(days(&first), [5, 3]);
    assert_eq!(store.count_of::<Activity>().await.expect("count"), 4);
    let rest = store
        .page::<Activity>(first.next.as_deref(), 10)
        .await
        .expect("read");
    assert_eq!((days(&rest), rest.next), (vec![2, 1], None));
    let sites = store.all::<Site>().await.expect("read");
    assert_eq!(
        sites.iter().map(|s| s.record.id).collect::<Vec<_>>(),
        [site.id]
    );

    store.sign_out().await.expect("signed out");
    let after = store.page::<Activity>(None, 50).await.expect("read");
    assert!(after.records.is_empty());
    assert_eq!(store.count_of::<Activity>().await.expect("count"), 0);
}

#[wasm_bindgen_test]
async fn records_kept_at_schema_5_move_to_the_ordered_store_once() {
    use dvor_core::replica::Replica;
    use indexed_db_futures::database::Database;
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;

    let name = fresh_name();
    let activity = subbotnik(2);
    let change = Envelope::change(
        activity.id,
        RecordKind::Activity,
        AuthorId::user(UserId(1)),
        COMMITTEE,
        Hlc::new(now_ms() as u64, 0, NodeId::from_bits(4)),
        activity.values(),
        Some(false),
    );
    let replica = Replica::with_local_change(None, &change).expect("a record");
    // A device as schema 5 left it: the record as JSON text in `replicas`.
    let db = Database::open(&name)
        .with_version(5u32)
        .with_on_upgrade_needed(|_, db| {
            for store in ["meta", "replicas", "drafts"] {
                db.create_object_store(store).build()?;
            }
            db.create_object_store("unsent")
                .with_auto_increment(true)
                .build()?;
            Ok(())
        })
        .await
        .expect("schema 5");
    let tx = db
        .transaction("replicas")
        .with_mode(TransactionMode::Readwrite)
        .build()
        .expect("tx");
    tx.object_store("replicas")
        .expect("store")
        .put(serde_json::to_string(&replica).expect("json"))
        .with_key(activity.id.to_string())
        .primitive()
        .expect("put")
        .await
        .expect("stored");
    tx.commit().await.expect("committed");
    db.close();

    let store = Store::open(&name).await.expect("upgrades");
    let listed = store.page::<Activity>(None, 50).await.expect("read");
    assert_eq!(
        listed
            .records
            .iter()
            .map(|l| l.record.id)
            .collect::<Vec<_>>(),
        [activity.id]
    );
    drop(store);
    let reopened = Store::open(&name).await.expect("reopens");
    assert_eq!(
        reopened.count_of::<Activity>().await.expect("count"),
        1,
        "moved once, not twice"
    );
}

#[wasm_bindgen_test]
async fn a_subbotnik_with_the_site_made_for_it_waits_as_one_and_each_record_once() {
    let (store, _) = fresh_store().await;
    let site = yard();
    save(&store, site_creation(&site)).await;
    assert_eq!(
        store.unsent().await.expect("count").count,
        1,
        "the site alone"
    );
    let mut work = subbotnik(30);
    work.site = Some(site.id);
    save(&store, creation(&work)).await;
    save(&store, edit_of(&work, "bags", json!(31))).await;
    assert_eq!(
        store.unsent().await.expect("count").count,
        1,
        "the subbotnik, edited once, with its new site"
    );
}

#[wasm_bindgen_test]
async fn a_new_database_says_so_once_and_the_oldest_waiting_change_is_found_wherever_it_waits() {
    let (store, name) = fresh_store().await;
    assert!(store.created_now(), "nothing of the app was on the device");
    let (elsewhere, _) = fresh_store().await;
    save(&elsewhere, creation(&subbotnik(2))).await;
    let mut days_ago = elsewhere.outbox().await.expect("read").remove(0).mutation;
    let made_then = (now_ms() as u64) - 3 * 24 * 60 * 60 * 1000;
    days_ago.mutation_id = dvor_core::id::MutationId::from_parts(made_then, [7; 10]);

    save(&store, creation(&subbotnik(1))).await;
    let waiting = store.unsent().await.expect("read");
    assert_eq!(waiting.count, 1);
    let made_now = waiting.oldest_made_ms.expect("a time");
    assert!(made_now.abs_diff(now_ms() as u64) < 60_000, "{made_now}");
    // Restored from a file, a change made days ago waits behind today's: it is still the oldest.
    store.restore(&[days_ago]).await.expect("restored");
    let waiting = store.unsent().await.expect("read");
    assert_eq!(waiting.count, 2);
    assert_eq!(waiting.oldest_made_ms, Some(made_then));

    drop(store);
    let reopened = Store::open(&name).await.expect("reopens");
    assert!(!reopened.created_now(), "the database was there");
}
