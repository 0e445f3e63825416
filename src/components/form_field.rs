//! A labelled input with its error beneath it, wired for screen readers.

use leptos::prelude::*;

use crate::i18n::t;

/// What a field holds, which picks the input's type and keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// Free text.
    Text,
    /// A calendar date (`YYYY-MM-DD`).
    Date,
    /// A whole number, typed on the numeric keyboard and checked by us, not by the browser.
    Count,
}

/// One field of a form.
#[component]
pub fn FormField(
    /// The input's id, also its test and label anchor.
    id: &'static str,
    /// The label.
    label: &'static str,
    /// The typed value.
    value: RwSignal<String>,
    /// The error to show, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// What the field holds.
    #[prop(default = InputKind::Text)]
    kind: InputKind,
    /// A unit shown after the input.
    #[prop(optional)]
    unit: Option<&'static str>,
    /// A hint inside the empty input.
    #[prop(optional)]
    placeholder: Option<&'static str>,
    /// Whether the field may stay empty.
    #[prop(optional)]
    optional: bool,
    /// The largest accepted date, for date fields.
    #[prop(optional, into)]
    max: Option<String>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described_by = error_id.clone();
    let (input_type, input_mode) = match kind {
        InputKind::Text => ("text", None),
        InputKind::Date => ("date", None),
        InputKind::Count => ("text", Some("numeric")),
    };
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=id>
                {label}
                {optional.then(|| view! { <span class="optional">{format!(" ({})", t().optional)}</span> })}
            </label>
            <div class="input-row">
                <input
                    id=id
                    name=id
                    type=input_type
                    inputmode=input_mode
                    placeholder=placeholder
                    max=max
                    autocomplete="off"
                    aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                    aria-describedby=move || error.with(Option::is_some).then(|| described_by.clone())
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
                {unit.map(|unit| view! { <span class="unit">{unit}</span> })}
            </div>
            {move || error.get().map(|message| view! { <p class="field-error" id=error_id.clone()>{message}</p> })}
        </div>
    }
}
