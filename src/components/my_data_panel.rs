//! A person's own data: downloading everything the server holds about them, and asking for
//! their account's erasure, which an admin carries out. Needs the network.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::account::Account;
use crate::api::Api;
use crate::dialog::confirmed;
use crate::files::download_fetched;
use crate::i18n::t;

/// The panel, for anyone signed in.
#[component]
pub fn MyDataPanel() -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let api = expect_context::<Api>();
    let message = RwSignal::new(None::<Result<&'static str, String>>);
    let save = {
        let api = api.clone();
        move |_| {
            let Some(token) = account.token() else {
                return;
            };
            let api = api.clone();
            spawn_local(async move {
                let json = api.my_data(&token);
                if let Err(reason) =
                    download_fetched("my-data.json", "application/json", json).await
                {
                    message.set(Some(Err((t.account.action_failed)(&reason))));
                }
            });
        }
    };
    let ask = move |_| {
        let Some(token) = account
            .token()
            .filter(|_| confirmed(t.account.erasure_confirm))
        else {
            return;
        };
        let api = api.clone();
        spawn_local(async move {
            message.set(Some(match api.request_erasure(&token).await {
                Ok(()) => Ok(t.account.erasure_requested),
                Err(failure) => Err((t.account.action_failed)(&failure.to_string())),
            }));
        });
    };
    view! {
        <Show when=move || account.token().is_some()>
            <section class="panel">
                <h2>{t.account.my_data_title}</h2>
                <p class="hint">{t.account.my_data_hint}</p>
                <button type="button" class="button" on:click=save.clone()>{t.account.download_my_data}</button>
                <button type="button" class="button danger" on:click=ask.clone()>{t.account.request_erasure}</button>
                {move || message.get().map(|m| match m {
                    Ok(done) => view! { <p class="notice done" role="status">{done}</p> }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e}</p> }.into_any(),
                })}
            </section>
        </Show>
    }
}
