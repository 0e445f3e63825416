//! On the sign-in screen of a device whose browser erased the app's data: what happened and
//! what the server still holds. The store being new on this page says nothing was kept here;
//! the server, through the mark the browser keeps in a cookie scripts cannot clear, says
//! whether someone had signed in here before (`server/src/api/device.rs`).

use dvor_core::account::DeviceTrace;
use leptos::prelude::*;

use crate::api::Api;
use crate::i18n::t;
use crate::store::StoreHandle;

#[component]
pub fn ErasedNotice() -> impl IntoView {
    let t = t();
    let store = expect_context::<StoreHandle>();
    let api = expect_context::<Api>();
    let trace = RwSignal::new(None::<DeviceTrace>);
    if store.created_now() {
        leptos::task::spawn_local(async move {
            // A device never signed in on here has no mark: nothing to say.
            trace.set(api.device_trace().await.ok());
        });
    }
    move || {
        trace.get().map(|trace| {
            let last = trace
                .last_push_at_ms
                .map(|ms| t.date_time(u64::try_from(ms).unwrap_or_default()));
            view! {
                <div class="warning erased" role="alert" data-testid="erased">
                    <h2>{t.keeping.erased_title}</h2>
                    <p>{(t.keeping.erased_text)(trace.pushed, last.as_deref())}</p>
                </div>
            }
        })
    }
}
