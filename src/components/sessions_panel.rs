//! The person's sessions, and ending all of them ("выйти на всех устройствах"). Needs the
//! network; offline it shows nothing rather than a stale list.

use dvor_core::account::SessionSummary;
use dvor_core::device::device;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::account::Account;
use crate::api::Api;
use crate::clock::describe_time;
use crate::dialog::confirmed;
use crate::i18n::t;
use crate::store::StoreHandle;

/// The list of sessions with the button that ends them all.
#[component]
pub fn SessionsPanel() -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let api = expect_context::<Api>();
    let store = expect_context::<StoreHandle>();
    let token = move || account.token();
    let list = LocalResource::new({
        let api = api.clone();
        move || {
            let api = api.clone();
            let token = token();
            async move {
                match token {
                    Some(token) => api.sessions(&token).await.ok(),
                    None => None,
                }
            }
        }
    });
    let error = RwSignal::new(None::<String>);
    let end_all = move |_| {
        let Some(token) = token().filter(|_| confirmed(t.account.end_all_confirm)) else {
            return;
        };
        let (api, store) = (api.clone(), store.clone());
        spawn_local(async move {
            match api.end_all_sessions(&token).await {
                Ok(()) => {
                    if let Err(e) = store.end_session().await {
                        error.set(Some((t.account.action_failed)(&e.to_string())));
                    }
                    account.load(&store).await;
                }
                Err(failure) => error.set(Some((t.account.action_failed)(&failure.to_string()))),
            }
        });
    };
    let rows = move || {
        list.get().flatten().map(|sessions: Vec<SessionSummary>| {
            sessions
                .into_iter()
                .map(|s| {
                    view! {
                        <li>
                            <span class="device" title=s.device.clone()>{(t.account.device_name)(device(&s.device))}</span>
                            " · "
                            {(t.account.signed_in_at)(&describe_time(s.created_at_ms as f64))}
                            {s.current.then(|| view! { " · " <strong>{t.account.this_device}</strong> })}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <Show when=move || token().is_some()>
            <section class="panel">
                <h2>{t.account.sessions_title}</h2>
                <ul class="sessions">{rows}</ul>
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <button type="button" class="button" on:click=end_all.clone()>{t.account.end_all_sessions}</button>
            </section>
        </Show>
    }
}
