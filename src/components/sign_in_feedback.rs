//! The error of a sign-in, or the question about another person's changes on the device.

use leptos::prelude::*;

use crate::i18n::t;
use crate::state::sign_in::SignInState;

/// The error of a sign-in, or the question about another person's changes.
#[component]
pub fn SignInFeedback(state: SignInState) -> impl IntoView {
    let t = t();
    view! {
        {move || state.error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        {move || {
            state.waiting.get().map(|(message, _)| {
                view! {
                    <div class="warning" role="alert">
                        <p>{message}</p>
                        <button type="button" class="button danger" on:click=move |_| state.discard_and_keep()>
                            {t.account.discard_and_sign_in}
                        </button>
                    </div>
                }
            })
        }}
    }
}
