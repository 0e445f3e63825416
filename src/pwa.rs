//! The service worker: registered at start; when a new version of the app has been downloaded
//! and waits, the person is asked, and the page reloads into it only on their consent.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState,
};

/// The path of the service worker, at the root so it controls every page.
const WORKER_URL: &str = "/sw.js";
/// The message that tells a waiting worker to take over (see `public/sw.js`).
const SKIP_WAITING: &str = "skip-waiting";

/// Whether a new version waits; shared through context.
#[derive(Clone, Copy, Debug)]
pub struct AppUpdate {
    /// A new version is installed and waits for consent.
    pub ready: RwSignal<bool>,
    /// A newer version runs in another tab and has taken the device's data over: this page
    /// can only reload.
    pub superseded: RwSignal<bool>,
}

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    // Browsers without service workers (or insecure origins) lack the property.
    js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker"))
        .unwrap_or(false)
        .then(|| navigator.service_worker())
}

/// Registers the service worker and watches for new versions.
pub fn register() -> AppUpdate {
    let update = AppUpdate {
        ready: RwSignal::new(false),
        superseded: RwSignal::new(false),
    };
    let Some(container) = container() else {
        return update;
    };
    leptos::task::spawn_local(async move {
        // A browser that blocks workers may answer with nothing at all rather than refuse.
        match JsFuture::from(container.register(WORKER_URL))
            .await
            .map(|r| r.dyn_into::<ServiceWorkerRegistration>())
        {
            Ok(Ok(registration)) => watch(registration, &container, update),
            Ok(Err(nothing)) => {
                leptos::logging::warn!("service worker not registered: {nothing:?}")
            }
            Err(error) => leptos::logging::warn!("service worker not registered: {error:?}"),
        }
    });
    update
}

fn watch(
    registration: ServiceWorkerRegistration,
    container: &ServiceWorkerContainer,
    update: AppUpdate,
) {
    // A worker that waits while another controls the page is a new version; with no
    // controller it is the first install, which needs no consent.
    let has_controller = {
        let container = container.clone();
        move || container.controller().is_some()
    };
    if registration.waiting().is_some() && has_controller() {
        update.ready.set(true);
    }
    let reg = registration.clone();
    let on_update_found = Closure::<dyn FnMut()>::new(move || {
        let Some(worker) = reg.installing() else {
            return;
        };
        let installing = worker.clone();
        let has_controller = has_controller.clone();
        let on_state_change = Closure::<dyn FnMut()>::new(move || {
            if installing.state() == ServiceWorkerState::Installed && has_controller() {
                update.ready.set(true);
            }
        });
        worker.set_onstatechange(Some(on_state_change.as_ref().unchecked_ref()));
        // Lives as long as the worker it listens to; the page never removes it.
        on_state_change.forget();
    });
    registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
    on_update_found.forget();
}

/// Reloads the page.
pub fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// Switches to the waiting version and reloads once it has taken control.
pub fn apply_update() {
    let Some(container) = container() else { return };
    let on_controller_change = Closure::<dyn FnMut()>::new(reload);
    container.set_oncontrollerchange(Some(on_controller_change.as_ref().unchecked_ref()));
    on_controller_change.forget();
    leptos::task::spawn_local(async move {
        let waiting = JsFuture::from(container.get_registration())
            .await
            .ok()
            .and_then(|r| r.dyn_into::<ServiceWorkerRegistration>().ok())
            .and_then(|r| r.waiting());
        if let Some(worker) = waiting {
            tell_to_take_over(&worker);
        }
    });
}

fn tell_to_take_over(worker: &ServiceWorker) {
    if let Err(error) = worker.post_message(&JsValue::from_str(SKIP_WAITING)) {
        leptos::logging::warn!("cannot reach the new version: {error:?}");
    }
}
