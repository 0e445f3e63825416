//! The requests of people to have their accounts erased, for the city's admins to carry out:
//! their name and login go, their records stay. Needs the network.

use dvor_core::access::{Action, may_citywide};
use dvor_core::account::ErasureRequest;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::account::Account;
use crate::api::Api;
use crate::dialog::confirmed;
use crate::i18n::t;

/// The list of requests, each with its button.
#[component]
pub fn ErasurePanel() -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let api = expect_context::<Api>();
    let admin = move || may_citywide(&account.grants(), Action::EraseAccounts);
    let error = RwSignal::new(None::<String>);
    let requests = LocalResource::new({
        let api = api.clone();
        move || {
            let api = api.clone();
            let token = account.token().filter(|_| admin());
            async move {
                match token {
                    Some(token) => api
                        .erasure_requests(&token)
                        .await
                        .map_err(|e| e.to_string()),
                    None => Ok(Vec::new()),
                }
            }
        }
    });
    let erase = move |request: ErasureRequest| {
        let question = (t.account.erase_confirm)(&request.name, &request.login);
        let Some(token) = account.token().filter(|_| confirmed(&question)) else {
            return;
        };
        let api = api.clone();
        spawn_local(async move {
            match api.erase_account(&token, request.id).await {
                Ok(()) => {
                    error.set(None);
                    requests.refetch();
                }
                Err(failure) => error.set(Some((t.account.action_failed)(&failure.to_string()))),
            }
        });
    };
    let rows = move || {
        requests.get().map(|answer| match answer {
            Err(reason) => view! { <p class="form-error" role="alert">{reason}</p> }.into_any(),
            Ok(list) if list.is_empty() => view! { <p class="hint">{t.account.no_erasure_requests}</p> }.into_any(),
            Ok(list) => {
                let items = list
                    .into_iter()
                    .map(|request| {
                        let when = t.date_time(u64::try_from(request.requested_at_ms).unwrap_or_default());
                        let line = (t.account.erasure_asked)(&request.name, &request.login, &when);
                        let erase = erase.clone();
                        view! {
                            <li>
                                <span>{line}</span>
                                <button type="button" class="button danger" on:click=move |_| erase(request.clone())>
                                    {t.account.erase_account}
                                </button>
                            </li>
                        }
                    })
                    .collect_view();
                view! { <ul class="erasure-requests">{items}</ul> }.into_any()
            }
        })
    };
    view! {
        <Show when=admin>
            <section class="panel">
                <h2>{t.account.erasure_requests_title}</h2>
                {rows.clone()}
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            </section>
        </Show>
    }
}
