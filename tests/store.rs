//! The device's store against real IndexedDB in headless Chromium. Every test opens a database
//! with a fresh random name, so tests never see each other's data.

#![cfg(target_arch = "wasm32")]

use std::collections::BTreeMap;

use dvor::clock::new_record_id;
use dvor::store::{LocalActivity, Restored, Store, StoreError, SyncState};
use dvor_core::activity::{Activity, ActivityInput};
use dvor_core::date::Date;
use dvor_core::error::ErrorCode;
use dvor_core::protocol::ActivityPage;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh_store() -> (Store, String) {
    let name = format!("dvor-test-{}", new_record_id().expect("entropy"));
    (Store::open(&name).await.expect("IndexedDB opens"), name)
}

fn subbotnik(bags: i64) -> Activity {
    ActivityInput {
        id: new_record_id().expect("entropy").to_string(),
        kind: "cleanup_day".into(),
        date: "2026-05-16".into(),
        committee: "Микрорайон № 5".into(),
        site_address: "просп. Октябрьский, 56 Б".into(),
        measures: BTreeMap::from([("participants".into(), 14), ("bags".into(), bags)]),
    }
    .validate(Date::from_ymd(2026, 11, 25).expect("date"))
    .expect("valid")
}

#[wasm_bindgen_test]
async fn a_saved_activity_reads_back_unsynced_also_after_reopening() {
    let (store, name) = fresh_store().await;
    let activity = subbotnik(30);
    store.add_activity(&activity).await.expect("saved");
    let expected = vec![LocalActivity {
        activity: activity.clone(),
        state: SyncState::Pending,
    }];
    assert_eq!(store.activities().await.expect("read"), expected);
    assert_eq!(
        store.pending_activities().await.expect("read"),
        vec![activity]
    );

    let reopened = Store::open(&name).await.expect("reopens");
    assert_eq!(
        reopened.activities().await.expect("read"),
        expected,
        "the unsynced mark survives"
    );
}

#[wasm_bindgen_test]
async fn an_id_is_never_saved_twice() {
    let (store, _) = fresh_store().await;
    let activity = subbotnik(30);
    store.add_activity(&activity).await.expect("saved");
    let mut other = activity.clone();
    other.measures = subbotnik(31).measures;
    assert!(store.add_activity(&other).await.is_err());
    assert_eq!(
        store.activities().await.expect("read")[0].activity,
        activity,
        "the first stays"
    );
}

#[wasm_bindgen_test]
async fn the_servers_answer_marks_the_record_it_was_about() {
    let (store, _) = fresh_store().await;
    let accepted = subbotnik(1);
    let refused = subbotnik(2);
    store.add_activity(&accepted).await.expect("saved");
    store.add_activity(&refused).await.expect("saved");
    store
        .record_outcome(&accepted, SyncState::Synced)
        .await
        .expect("marked");
    let rejection = SyncState::Rejected {
        code: ErrorCode::IdConflict,
        message: "занято".into(),
    };
    store
        .record_outcome(&refused, rejection.clone())
        .await
        .expect("marked");

    let states: BTreeMap<_, _> = store
        .activities()
        .await
        .expect("read")
        .into_iter()
        .map(|l| (l.activity.id, l.state))
        .collect();
    assert_eq!(states[&accepted.id], SyncState::Synced);
    assert_eq!(states[&refused.id], rejection);
    assert!(store.pending_activities().await.expect("read").is_empty());
}

#[wasm_bindgen_test]
async fn an_answer_about_an_older_version_leaves_the_record_pending() {
    let (store, _) = fresh_store().await;
    let saved = subbotnik(5);
    store.add_activity(&saved).await.expect("saved");
    let mut sent = saved.clone();
    sent.measures = subbotnik(6).measures;
    store
        .record_outcome(&sent, SyncState::Synced)
        .await
        .expect("no error");
    assert_eq!(
        store.activities().await.expect("read")[0].state,
        SyncState::Pending
    );
}

#[wasm_bindgen_test]
async fn a_pulled_page_is_stored_synced_with_its_cursor_and_keeps_unsent_local_changes() {
    let (store, _) = fresh_store().await;
    let local = subbotnik(7);
    store.add_activity(&local).await.expect("saved");
    let mut server_version = local.clone();
    server_version.measures = subbotnik(8).measures;
    let from_elsewhere = subbotnik(9);
    let page = ActivityPage {
        items: vec![from_elsewhere.clone(), server_version],
        cursor: 42,
        has_more: false,
        remaining: 0,
    };
    store.apply_page(&page).await.expect("applied");

    assert_eq!(store.sync_meta().await.expect("meta").cursor, 42);
    let all: BTreeMap<_, _> = store
        .activities()
        .await
        .expect("read")
        .into_iter()
        .map(|l| (l.activity.id, l))
        .collect();
    assert_eq!(all[&from_elsewhere.id].state, SyncState::Synced);
    assert_eq!(
        all[&local.id],
        LocalActivity {
            activity: local.clone(),
            state: SyncState::Pending
        }
    );
}

#[wasm_bindgen_test]
async fn a_pulled_copy_of_a_sent_record_marks_it_synced() {
    let (store, _) = fresh_store().await;
    let local = subbotnik(10);
    store.add_activity(&local).await.expect("saved");
    // The reply to the push was lost, but the record came back in a pull.
    store
        .apply_page(&ActivityPage {
            items: vec![local.clone()],
            cursor: 1,
            has_more: false,
            remaining: 0,
        })
        .await
        .expect("applied");
    assert_eq!(
        store.activities().await.expect("read")[0].state,
        SyncState::Synced
    );
}

#[wasm_bindgen_test]
async fn last_sync_time_is_remembered_beside_the_cursor() {
    let (store, _) = fresh_store().await;
    store
        .apply_page(&ActivityPage {
            items: vec![],
            cursor: 3,
            has_more: false,
            remaining: 0,
        })
        .await
        .expect("applied");
    store
        .set_last_synced(1_764_028_800_000.0)
        .await
        .expect("saved");
    let meta = store.sync_meta().await.expect("meta");
    assert_eq!(
        (meta.cursor, meta.last_synced_ms),
        (3, Some(1_764_028_800_000.0))
    );
}

#[wasm_bindgen_test]
async fn a_backup_holds_what_the_server_lacks_and_restores_once() {
    let (phone, _) = fresh_store().await;
    let sent = subbotnik(11);
    let pending = subbotnik(12);
    let refused = subbotnik(13);
    for activity in [&sent, &pending, &refused] {
        phone.add_activity(activity).await.expect("saved");
    }
    phone
        .record_outcome(&sent, SyncState::Synced)
        .await
        .expect("marked");
    let rejection = SyncState::Rejected {
        code: ErrorCode::IdConflict,
        message: "занято".into(),
    };
    phone
        .record_outcome(&refused, rejection)
        .await
        .expect("marked");
    let mut expected = vec![pending.clone(), refused.clone()];
    expected.sort_by_key(|a| a.id);
    let backup = phone.unsynced_activities().await.expect("read");
    assert_eq!(backup, expected);

    let (other, _) = fresh_store().await;
    other.add_activity(&pending).await.expect("already there");
    assert_eq!(
        other.restore_activities(&backup).await.expect("restored"),
        Restored {
            added: 1,
            already_present: 1
        }
    );
    assert_eq!(
        other.restore_activities(&backup).await.expect("restored"),
        Restored {
            added: 0,
            already_present: 2
        }
    );
    assert_eq!(
        other.pending_activities().await.expect("read"),
        expected,
        "restored records wait to be sent"
    );
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
async fn a_refused_record_is_corrected_or_discarded_but_a_synced_one_stays() {
    let (store, _) = fresh_store().await;
    let refused = subbotnik(20);
    let also_refused = subbotnik(21);
    let synced = subbotnik(22);
    for activity in [&refused, &also_refused, &synced] {
        store.add_activity(activity).await.expect("saved");
    }
    let rejection = SyncState::Rejected {
        code: ErrorCode::DateInFuture,
        message: "будущее".into(),
    };
    store
        .record_outcome(&refused, rejection.clone())
        .await
        .expect("marked");
    store
        .record_outcome(&also_refused, rejection)
        .await
        .expect("marked");
    store
        .record_outcome(&synced, SyncState::Synced)
        .await
        .expect("marked");

    let corrected = subbotnik(23);
    store
        .replace_activity(refused.id, &corrected)
        .await
        .expect("replaced");
    store
        .discard_activity(also_refused.id)
        .await
        .expect("discarded");
    store
        .discard_activity(synced.id)
        .await
        .expect("refused quietly");

    let states: BTreeMap<_, _> = store
        .activities()
        .await
        .expect("read")
        .into_iter()
        .map(|l| (l.activity.id, l.state))
        .collect();
    let expected = BTreeMap::from([
        (corrected.id, SyncState::Pending),
        (synced.id, SyncState::Synced),
    ]);
    assert_eq!(states, expected);
}
