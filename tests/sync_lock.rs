//! One sync at a time across tabs: the Web Lock, in headless Chromium.

#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use dvor::sync::lock::exclusively;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = "
export function holdLock(name) {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const granted = new Promise((resolve) => navigator.locks.request(name, () => { resolve(); return held; }));
  return { granted, release };
}
export function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }
")]
extern "C" {
    #[wasm_bindgen(js_name = holdLock)]
    fn hold_lock(name: &str) -> JsValue;
    fn sleep(ms: u32) -> js_sys::Promise;
}

fn field(object: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(name)).expect("field")
}

#[wasm_bindgen_test]
async fn a_pass_waits_while_another_tab_holds_the_lock() {
    let name = "dvor-sync-test-waits";
    let other_tab = hold_lock(name);
    JsFuture::from(js_sys::Promise::from(field(&other_tab, "granted")))
        .await
        .expect("granted");

    let ran = Rc::new(Cell::new(false));
    let flag = Rc::clone(&ran);
    spawn_local(exclusively(name, async move { flag.set(true) }));
    JsFuture::from(sleep(100)).await.expect("slept");
    assert!(!ran.get(), "ran while the other tab held the lock");

    js_sys::Function::from(field(&other_tab, "release"))
        .call0(&JsValue::NULL)
        .expect("released");
    for _ in 0..50 {
        if ran.get() {
            return;
        }
        JsFuture::from(sleep(20)).await.expect("slept");
    }
    panic!("did not run after the lock was released");
}

#[wasm_bindgen_test]
async fn the_lock_is_free_again_when_the_pass_ends() {
    let name = "dvor-sync-test-frees";
    exclusively(name, async {}).await;
    let ran = Rc::new(Cell::new(false));
    let flag = Rc::clone(&ran);
    exclusively(name, async move { flag.set(true) }).await;
    assert!(ran.get());
}

#[wasm_bindgen_test]
async fn signing_in_or_out_waits_for_a_running_pass_and_gives_its_result() {
    use dvor::sync::lock::{SYNC_LOCK, between_passes};
    let pass = hold_lock(SYNC_LOCK);
    JsFuture::from(js_sys::Promise::from(field(&pass, "granted")))
        .await
        .expect("granted");
    let done = Rc::new(Cell::new(None));
    let slot = Rc::clone(&done);
    spawn_local(async move { slot.set(between_passes(async { 42 }).await) });
    JsFuture::from(sleep(100)).await.expect("slept");
    assert_eq!(done.get(), None, "ran while a pass held the lock");
    js_sys::Function::from(field(&pass, "release"))
        .call0(&JsValue::NULL)
        .expect("released");
    for _ in 0..50 {
        if done.get().is_some() {
            assert_eq!(done.get(), Some(42));
            return;
        }
        JsFuture::from(sleep(20)).await.expect("slept");
    }
    panic!("did not run after the pass ended");
}
