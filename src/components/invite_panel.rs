//! Making an invite: a role in a place the person may invite to, how many may use it and for
//! how long. Shown only to those who may invite someone somewhere.

use dvor_core::access::{Action, Grant, Place, Role, Scope, may, may_citywide};
use dvor_core::account::{Invite, InviteRequest, MAX_INVITE_DAYS, MAX_INVITE_USES};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::account::Account;
use crate::api::Api;
use crate::clock::describe_time;
use crate::components::form_field::{FormField, InputKind, SelectField};
use crate::i18n::t;
use crate::state::grants::describe;

/// The invite form and the invite last made.
#[component]
pub fn InvitePanel() -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let api = expect_context::<Api>();
    let choices = Memo::new(move |_| {
        offers(account)
            .into_iter()
            .filter_map(|grant| {
                let key = serde_json::to_string(&grant).ok()?;
                Some((key, describe(account, grant)))
            })
            .collect::<Vec<_>>()
    });
    let grant = RwSignal::new(String::new());
    let uses = RwSignal::new("1".to_owned());
    let days = RwSignal::new("7".to_owned());
    let made = RwSignal::new(None::<Invite>);
    let error = RwSignal::new(None::<String>);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(token) = account.token() else {
            return;
        };
        let Ok(chosen) = serde_json::from_str::<Grant>(&grant.get_untracked()) else {
            error.set(Some((t.common.error)(
                dvor_core::error::ErrorCode::Required,
                None,
            )));
            return;
        };
        let bounded = |text: String, max: u32| text.trim().parse::<u32>().unwrap_or(0).min(max);
        let request = InviteRequest {
            grant: chosen,
            uses: bounded(uses.get_untracked(), MAX_INVITE_USES),
            days: bounded(days.get_untracked(), MAX_INVITE_DAYS),
        };
        let api = api.clone();
        error.set(None);
        spawn_local(async move {
            match api.invite(&token, &request).await {
                Ok(invite) => made.set(Some(invite)),
                Err(failure) => error.set(Some((t.account.action_failed)(&failure.to_string()))),
            }
        });
    };
    let result = move || {
        made.get().map(|invite| {
            let origin = web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default();
            let link = format!("{origin}{}", invite.link);
            view! {
                <div class="invite" role="status">
                    <p class="invite-code"><strong>{(t.account.invite_code)(&invite.code)}</strong></p>
                    <label for="invite-link">{t.account.invite_link}</label>
                    <input id="invite-link" readonly prop:value=link.clone() on:focus=|ev| select_all(&ev) />
                    <p class="hint">{(t.account.invite_valid)(&describe_time(invite.expires_at_ms as f64), invite.uses_left)}</p>
                </div>
            }
        })
    };
    view! {
        <Show when=move || !choices.with(Vec::is_empty)>
            <section class="panel">
                <h2>{t.account.invite_title}</h2>
                <p class="hint">{t.account.invite_hint}</p>
                <form class="form" on:submit=on_submit.clone()>
                    <SelectField id="invite-grant" label=t.account.field_invite_grant value=grant options=choices />
                    <FormField id="invite-uses" label=t.account.field_invite_uses value=uses kind=InputKind::Count />
                    <FormField id="invite-days" label=t.account.field_invite_days value=days kind=InputKind::Count />
                    {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                    <div class="form-actions">
                        <button type="submit" class="button primary">{t.account.make_invite}</button>
                    </div>
                </form>
                {result}
            </section>
        </Show>
    }
}

/// Every role and place the person may invite someone to, as the server will check it: each
/// committee, centre and district of the reference data, and the city, with every role that
/// can be held there.
pub fn offers(account: Account) -> Vec<Grant> {
    let grants = account.grants();
    let mut places: Vec<(Scope, Option<Place>)> = account
        .owners()
        .into_iter()
        .map(|entry| (Scope::from(entry.owner), Some(entry.place)))
        .collect();
    account.reference.with(|districts| {
        places.extend(districts.iter().map(|d| {
            let place = Place {
                district: d.id,
                committee: None,
                centre: None,
            };
            (Scope::District(d.id), Some(place))
        }))
    });
    places.push((Scope::City, None));
    let mut offers = Vec::new();
    for (scope, place) in places {
        for role in Role::ALL {
            let Ok(grant) = Grant::new(role, scope) else {
                continue;
            };
            let allowed = match place {
                Some(place) => may(&grants, Action::Invite(role), place),
                None => may_citywide(&grants, Action::Invite(role)),
            };
            if allowed {
                offers.push(grant);
            }
        }
    }
    offers
}

/// Selects the focused input's text, so a link is copied in one gesture.
fn select_all(ev: &leptos::ev::FocusEvent) {
    use wasm_bindgen::JsCast;
    if let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        input.select();
    }
}
