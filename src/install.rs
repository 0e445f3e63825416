//! Installing the app: whether it runs installed (from the home screen) or in a browser tab,
//! the kind of device (whose install steps the install screen shows first), the browser's own
//! install prompt where it offers one (`beforeinstallprompt`: Chromium on Android and
//! computers), and the one-time offer after a person's first saved record.

use dvor_core::keeping::{Platform, is_webkit, platform};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::prefs;

/// Where the one-time offer stands: absent until a first record is saved, then due, then done.
const OFFER_KEY: &str = "dvor.install-offer";
const OFFER_DUE: &str = "due";
const OFFER_DONE: &str = "done";

/// The device and its install prompt, shared through context.
#[derive(Clone, Copy, Debug)]
pub struct Install {
    pub platform: Platform,
    /// A WebKit browser: it erases unvisited sites' data after seven days.
    pub webkit: bool,
    /// Running installed, from the home screen or as its own window.
    pub installed: RwSignal<bool>,
    /// The browser's deferred install prompt, while it offers one.
    prompt: RwSignal<Option<SendWrapper<web_sys::Event>>>,
    /// Whether the one-time offer is due.
    pub offer_due: RwSignal<bool>,
}

/// What the person chose in the browser's install prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Accepted,
    Dismissed,
}

impl Install {
    /// Reads the device and starts listening for the browser's install prompt.
    pub fn start() -> Self {
        let window = web_sys::window();
        let navigator = window.as_ref().map(|w| w.navigator());
        let agent = navigator
            .as_ref()
            .and_then(|n| n.user_agent().ok())
            .unwrap_or_default();
        let touch_points = navigator
            .as_ref()
            .map_or(0, |n| u32::try_from(n.max_touch_points()).unwrap_or(0));
        let install = Self {
            platform: platform(&agent, touch_points),
            webkit: is_webkit(&agent),
            installed: RwSignal::new(runs_installed()),
            prompt: RwSignal::new(None),
            offer_due: RwSignal::new(prefs::read(OFFER_KEY).as_deref() == Some(OFFER_DUE)),
        };
        // The handles live as long as the page: the listeners are never removed.
        let _ = window_event_listener_untyped("beforeinstallprompt", move |event| {
            // Kept for the install screen's button instead of the browser's own mini-bar.
            event.prevent_default();
            install.prompt.set(Some(SendWrapper::new(event)));
        });
        let _ = window_event_listener_untyped("appinstalled", move |_| {
            install.prompt.set(None);
            install.installed.set(true);
        });
        install
    }

    /// Whether the browser offers its own install prompt now.
    pub fn can_prompt(&self) -> bool {
        self.prompt.with(Option::is_some)
    }

    /// Shows the browser's install prompt; what the person chose. A prompt can be shown once.
    pub async fn prompt(&self) -> Option<Choice> {
        let event = self.prompt.get_untracked()?;
        self.prompt.set(None);
        let call = |name: &str| -> Option<JsValue> {
            let method = js_sys::Reflect::get(&event, &JsValue::from_str(name)).ok()?;
            method.dyn_ref::<js_sys::Function>()?.call0(&event).ok()
        };
        JsFuture::from(js_sys::Promise::from(call("prompt")?))
            .await
            .ok()?;
        let choice = js_sys::Reflect::get(&event, &JsValue::from_str("userChoice")).ok()?;
        let choice = JsFuture::from(js_sys::Promise::from(choice)).await.ok()?;
        let outcome = js_sys::Reflect::get(&choice, &JsValue::from_str("outcome")).ok()?;
        Some(if outcome.as_string().as_deref() == Some("accepted") {
            Choice::Accepted
        } else {
            Choice::Dismissed
        })
    }

    /// A record was saved: the first one on this device makes the offer due, unless the app
    /// is installed already.
    pub fn record_saved(&self) {
        if prefs::read(OFFER_KEY).is_none() && !self.installed.get_untracked() {
            prefs::write(OFFER_KEY, OFFER_DUE);
            self.offer_due.set(true);
        }
    }

    /// The person answered the offer (followed it or put it off): it is not shown again.
    pub fn offer_answered(&self) {
        prefs::write(OFFER_KEY, OFFER_DONE);
        self.offer_due.set(false);
    }
}

/// Whether the page runs as an installed app: the manifest's `standalone` display, or iOS's
/// own flag for a home-screen app.
fn runs_installed() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let standalone = window
        .match_media("(display-mode: standalone)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches());
    let ios_home_screen =
        js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("standalone"))
            .ok()
            .and_then(|v| v.as_bool())
            == Some(true);
    standalone || ios_home_screen
}
