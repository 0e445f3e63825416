//! Making invites: a role in a place the person may invite to, how many may use it and for
//! how long; the ones made while the screen is open listed, newest first, each with its link
//! to copy or to send through the system's share sheet. Shown only to those who may invite
//! someone somewhere.

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
use crate::share;
use crate::state::grants::describe;

/// The invite form and the invites made.
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
    // Codes are kept only as hashes on the server: they are shown while the screen is open.
    let made = RwSignal::new(Vec::<(String, Invite)>::new());
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
                Ok(invite) => made.update(|m| m.insert(0, (describe(account, chosen), invite))),
                Err(failure) => error.set(Some((t.account.action_failed)(&failure.to_string()))),
            }
        });
    };
    let result = move || {
        let made = made.get();
        (!made.is_empty()).then(|| {
            let origin = web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default();
            let items = made
                .into_iter()
                .map(|(what, invite)| {
                    let link = format!("{origin}{}", invite.link);
                    view! { <InviteMade what invite link /> }
                })
                .collect_view();
            view! {
                <p class="hint">{t.account.invites_made}</p>
                <ul class="invites">{items}</ul>
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

/// One invite made: what for, its code and link, until when, and how to hand the link on.
#[component]
fn InviteMade(what: String, invite: Invite, link: String) -> impl IntoView {
    let t = t();
    let outcome = RwSignal::new(None::<Result<&'static str, String>>);
    let id = format!("invite-link-{}", invite.code);
    let copy = {
        let link = link.clone();
        move |_| {
            let link = link.clone();
            spawn_local(async move {
                let result = share::copy(&link).await;
                outcome.set(Some(
                    result
                        .map(|()| t.account.invite_copied)
                        .map_err(|e| e.to_string()),
                ));
            });
        }
    };
    let send = {
        let (link, text) = (link.clone(), (t.account.invite_share_text)(&what));
        move |_| {
            let (link, text) = (link.clone(), text.clone());
            spawn_local(async move {
                if let Err(error) = share::share(t.shell.app_name, &text, &link).await {
                    outcome.set(Some(Err(error.to_string())));
                }
            });
        }
    };
    view! {
        <li class="invite">
            <p><strong>{what}</strong></p>
            <p class="invite-code">{(t.account.invite_code)(&invite.code)}</p>
            <label for=id.clone()>{t.account.invite_link}</label>
            <input id=id readonly prop:value=link on:focus=|ev| select_all(&ev) />
            <p class="hint">{(t.account.invite_valid)(&describe_time(invite.expires_at_ms as f64), invite.uses_left)}</p>
            <div class="actions">
                <button type="button" class="button" on:click=copy>{t.account.invite_copy}</button>
                {share::can_share().then(|| view! {
                    <button type="button" class="button primary" on:click=send>{t.account.invite_share}</button>
                })}
            </div>
            {move || outcome.get().map(|result| match result {
                Ok(done) => view! { <p class="notice done" role="status">{done}</p> }.into_any(),
                Err(reason) => view! { <p class="field-error" role="alert">{(t.account.invite_share_failed)(&reason)}</p> }.into_any(),
            })}
        </li>
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
