//! What the screens are told about the person signed in, read from a real IndexedDB store in
//! a headless browser.

#![cfg(target_arch = "wasm32")]

use dvor::account::Account;
use dvor::clock::{new_record_id, now_ms};
use dvor::store::Store;
use dvor_core::access::{CommitteeId, Grant, Role, Scope};
use dvor_core::account::{Me, SignedIn, UserId};
use indexed_db_futures::database::Database;
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_store_that_fails_to_answer_leaves_the_person_signed_in() {
    let name = format!("dvor-test-{}", new_record_id().expect("entropy"));
    let store = Store::open(&name).await.expect("IndexedDB opens");
    let me = Me {
        id: UserId(1),
        name: "Участник 1".into(),
        login: "p1@example.ru".into(),
        grants: vec![Grant::new(Role::Volunteer, Scope::Committee(CommitteeId(5))).expect("fits")],
    };
    let signed = SignedIn {
        token: "token-1".into(),
        expires_at_ms: now_ms() as i64 + 86_400_000,
        me,
    };
    store.sign_in(signed, false).await.expect("signed in");
    let account = Account::new();
    account.load(&store).await;
    assert!(account.session.with_untracked(Option::is_some));

    // The store's connection goes, as a page's does while the browser leaves it for a reload:
    // every read fails from then on.
    store.give_way_to_newer_versions(|| ());
    let newer = Database::open(name.as_str())
        .with_version(99u32)
        .await
        .expect("the newer version opens");
    assert!(
        store.session().await.is_err(),
        "the store no longer answers"
    );
    account.load(&store).await;
    newer.close();

    assert!(account.loaded.get_untracked());
    assert_eq!(
        account
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.me.id)),
        Some(UserId(1)),
        "a failed read is not a sign-out"
    );
}
