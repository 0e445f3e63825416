//! «Выйти»: ends the session and removes everything of the person from the device. With
//! changes not yet sent, it says how many and goes on only when the person chooses to discard
//! them — a centre's shared tablet must neither lose a colleague's work silently nor keep it
//! readable for the next person.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::account::Account;
use crate::api::Api;
use crate::i18n::t;
use crate::records::Records;
use crate::store::StoreError;
use crate::store::StoreHandle;
use crate::sync::lock::between_passes;

/// The sign-out button, and the warning it raises when changes wait.
#[component]
pub fn SignOutPanel() -> impl IntoView {
    let t = t();
    let records = expect_context::<Records>();
    let account = expect_context::<Account>();
    let api = expect_context::<Api>();
    let store = expect_context::<StoreHandle>();
    let navigate = use_navigate();
    let asking = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let sign_out = move || {
        let (api, store, navigate) = (api.clone(), store.clone(), navigate.clone());
        let token = account.token();
        spawn_local(async move {
            // The device forgets the session whatever the server says: offline, the server
            // lets it run out on its own.
            if let Some(token) = token {
                let _ = api.sign_out(&token).await;
            }
            let signed_out = {
                let store = store.clone();
                between_passes(async move { store.sign_out().await }).await
            };
            match signed_out.unwrap_or_else(|| Err(StoreError::Busy)) {
                Ok(()) => {
                    account.load(&store).await;
                    records.reload(&store).await;
                    navigate("/signin", Default::default());
                }
                Err(e) => error.set(Some((t.account.action_failed)(&e.to_string()))),
            }
        });
    };
    let on_sign_out = {
        let sign_out = sign_out.clone();
        move |_| {
            if records.unsynced.get_untracked() > 0 {
                asking.set(true);
            } else {
                sign_out();
            }
        }
    };
    view! {
        <section class="panel">
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            <Show
                when=move || asking.get()
                fallback=move || view! { <button type="button" class="button" on:click=on_sign_out.clone()>{t.account.sign_out}</button> }
            >
                <div class="warning" role="alert">
                    <p>{move || (t.account.sign_out_unsent)(records.unsynced.get())}</p>
                    <div class="form-actions">
                        <button type="button" class="button primary" on:click=move |_| asking.set(false)>{t.account.stay}</button>
                        <button type="button" class="button danger" on:click={
                            let sign_out = sign_out.clone();
                            move |_| sign_out()
                        }>{t.account.sign_out_discard}</button>
                    </div>
                </div>
            </Show>
        </section>
    }
}
