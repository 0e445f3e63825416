//! A count typed into one row of a list (how many to lend, to take back, counted), kept in a map
//! by the row's key, with its error beneath it. Checked by us, not by the browser.

use std::collections::BTreeMap;

use leptos::prelude::*;

/// The input of one row.
#[component]
pub fn CountInput<K>(
    /// The input's id, which its row's label points at.
    id: String,
    /// The row.
    key: K,
    /// What is typed in every row.
    typed: RwSignal<BTreeMap<K, String>>,
    /// The row's error, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// What an empty input shows, where empty means that number.
    #[prop(optional)]
    placeholder: Option<&'static str>,
) -> impl IntoView
where
    K: Ord + Clone + Send + Sync + 'static,
{
    let error_id = format!("{id}-error");
    let described_by = error_id.clone();
    let shown = key.clone();
    view! {
        <input
            id=id
            type="text"
            inputmode="numeric"
            autocomplete="off"
            placeholder=placeholder
            aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
            aria-describedby=move || error.with(Option::is_some).then(|| described_by.clone())
            prop:value=move || typed.with(|t| t.get(&shown).cloned().unwrap_or_default())
            on:input=move |ev| typed.update(|t| { t.insert(key.clone(), event_target_value(&ev)); })
        />
        {move || error.get().map(|message| view! { <p class="field-error" id=error_id.clone()>{message}</p> })}
    }
}
