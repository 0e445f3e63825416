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
    /// A person's name.
    Name,
    /// A phone number or an e-mail address to sign in with.
    Login,
    /// The password of an account.
    Password,
    /// A password being chosen.
    NewPassword,
}

impl InputKind {
    /// The input's `type`, `inputmode` and `autocomplete`: password managers fill sign-in
    /// fields, and nothing else.
    fn attributes(self) -> (&'static str, Option<&'static str>, &'static str) {
        match self {
            InputKind::Text => ("text", None, "off"),
            InputKind::Date => ("date", None, "off"),
            InputKind::Count => ("text", Some("numeric"), "off"),
            InputKind::Name => ("text", None, "name"),
            InputKind::Login => ("text", Some("email"), "username"),
            InputKind::Password => ("password", None, "current-password"),
            InputKind::NewPassword => ("password", None, "new-password"),
        }
    }
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
    #[prop(into, optional)]
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
    /// Whether the field may stay empty (it may change: an address is optional once a site is
    /// chosen).
    #[prop(into, optional)]
    optional: Signal<bool>,
    /// The largest accepted date, for date fields.
    #[prop(optional, into)]
    max: Option<String>,
    /// A rule the value must keep, shown under the label all along (a placeholder would go
    /// as the person starts typing).
    #[prop(optional)]
    hint: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let ids: Vec<&str> = [
                hint.map(|_| hint_id.as_str()),
                error.with(Option::is_some).then_some(error_id.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let (input_type, input_mode, autocomplete) = kind.attributes();
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=id>
                {label}
                {move || optional.get().then(|| view! { <span class="optional">{format!(" ({})", t().records.optional)}</span> })}
            </label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            <div class="input-row">
                <input
                    id=id
                    name=id
                    type=input_type
                    inputmode=input_mode
                    placeholder=placeholder
                    max=max
                    autocomplete=autocomplete
                    aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                    aria-describedby=described_by
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
                {unit.map(|unit| view! { <span class="unit">{unit}</span> })}
            </div>
            {move || error.get().map(|message| view! { <p class="field-error" id=error_id.clone()>{message}</p> })}
        </div>
    }
}

/// A labelled choice among `options` (value, label), with an empty first option when nothing is
/// chosen yet, and its error beneath it.
#[component]
pub fn SelectField(
    /// The select's id, also its test and label anchor.
    id: &'static str,
    /// The label.
    label: &'static str,
    /// The chosen option's value; empty for none.
    value: RwSignal<String>,
    /// The options: value and label.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    /// The error to show, if any.
    #[prop(into, optional)]
    error: Signal<Option<String>>,
    /// Whether the choice is fixed (an edited record keeps its committee).
    #[prop(optional)]
    disabled: bool,
    /// The label of choosing nothing, when nothing is a choice: then always offered first.
    #[prop(optional)]
    none: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described_by = error_id.clone();
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=id>
                {label}
                {none.map(|_| view! { <span class="optional">{format!(" ({})", t().records.optional)}</span> })}
            </label>
            <select
                id=id
                name=id
                disabled=disabled
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=move || error.with(Option::is_some).then(|| described_by.clone())
                prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                <Show when=move || none.is_some() || value.with(String::is_empty)>
                    <option value="" selected=move || value.with(String::is_empty)>{none.unwrap_or("—")}</option>
                </Show>
                <For
                    each=move || options.get()
                    key=|(key, _)| key.clone()
                    children=move |(key, text)| {
                        let selected = key.clone();
                        view! { <option value=key selected=move || value.with(|v| *v == selected)>{text}</option> }
                    }
                />
            </select>
            {move || error.get().map(|message| view! { <p class="field-error" id=error_id.clone()>{message}</p> })}
        </div>
    }
}

/// A labelled yes-or-no box.
#[component]
pub fn CheckField(
    /// The box's id, also its test and label anchor.
    id: &'static str,
    /// The label.
    label: &'static str,
    /// Whether it is ticked.
    value: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <div class="field check">
            <input
                id=id
                name=id
                type="checkbox"
                prop:checked=move || value.get()
                on:change=move |ev| value.set(event_target_checked(&ev))
            />
            <label for=id>{label}</label>
        </div>
    }
}

/// Moves the focus to the input with id `id`, if the page has it: to the first field a person
/// must correct.
pub fn focus(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id));
    if let Some(element) =
        element.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    {
        let _ = element.focus();
    }
}

/// The message, in the person's words, of the error `errors` hold for `field`, if any.
pub fn error_of(
    errors: RwSignal<Vec<dvor_core::error::FieldError>>,
    field: dvor_core::error::Field,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        errors.with(|errors| {
            errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| t().field_error(e))
        })
    })
}
