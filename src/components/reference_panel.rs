//! The city's reference data for admins: add a district, or a committee or centre to one.
//! Needs the network: the server numbers what is added.

use dvor_core::access::{Action, DistrictId, may_citywide};
use dvor_core::reference::{NewDistrict, NewPart};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::account::{Account, refresh};
use crate::api::Api;
use crate::components::flash::Outcome;
use crate::components::form_field::{FormField, SelectField};
use crate::i18n::t;
use crate::store::StoreHandle;

/// What is being added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Adding {
    District,
    Committee,
    Centre,
}

/// The three small forms, shown to those who may change the reference data.
#[component]
pub fn ReferencePanel() -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let admin = move || may_citywide(&account.grants(), Action::ManageReference);
    let districts = Signal::derive(move || account.district_choices());
    let district = RwSignal::new(String::new());
    view! {
        <Show when=admin>
            <section class="panel">
                <h2>{t.account.reference_title}</h2>
                <AddForm adding=Adding::District district />
                <SelectField id="reference-district" label=t.common.field_district value=district options=districts />
                <DistrictParts district />
                <AddForm adding=Adding::Committee district />
                <AddForm adding=Adding::Centre district />
            </section>
        </Show>
    }
}

/// The committees and centres the chosen district has, so a name is not added twice.
#[component]
fn DistrictParts(district: RwSignal<String>) -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    move || {
        let chosen = district.get().parse().ok().map(DistrictId)?;
        account.reference.with(|districts| {
            let found = districts.iter().find(|d| d.id == chosen)?;
            let list = |title: String, names: Vec<String>| {
                (!names.is_empty()).then(|| {
                    view! {
                        <h3 class="parts-title">{title}</h3>
                        <ul class="parts">{names.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                    }
                })
            };
            let committees: Vec<String> = found.committees.iter().map(|c| c.name.clone()).collect();
            let centres: Vec<String> = found.centres.iter().map(|c| c.name.clone()).collect();
            Some(if committees.is_empty() && centres.is_empty() {
                view! { <p class="hint">{t.account.district_empty}</p> }.into_any()
            } else {
                view! {
                    <div class="district-parts" data-testid="district-parts">
                        {list((t.account.district_committees)(committees.len()), committees)}
                        {list((t.account.district_centres)(centres.len()), centres)}
                    </div>
                }
                .into_any()
            })
        })
    }
}

/// A name and a button adding it as `adding`, to `district` for committees and centres.
#[component]
fn AddForm(adding: Adding, district: RwSignal<String>) -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let api = expect_context::<Api>();
    let store = expect_context::<StoreHandle>();
    let name = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let (id, label, button) = match adding {
        Adding::District => (
            "new-district",
            t.account.new_district_name,
            t.account.add_district,
        ),
        Adding::Committee => (
            "new-committee",
            t.account.new_committee_name,
            t.account.add_committee,
        ),
        Adding::Centre => (
            "new-centre",
            t.account.new_centre_name,
            t.account.add_centre,
        ),
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(token) = account.token() else {
            return;
        };
        let typed = name.get_untracked();
        let district = district.get_untracked().parse().ok().map(DistrictId);
        let (api, store) = (api.clone(), store.clone());
        spawn_local(async move {
            let added = match (adding, district) {
                (Adding::District, _) => {
                    api.add_district(
                        &token,
                        &NewDistrict {
                            name: typed.clone(),
                        },
                    )
                    .await
                }
                (_, Some(district)) => {
                    let new = NewPart {
                        district,
                        name: typed.clone(),
                    };
                    api.add_part(&token, adding == Adding::Centre, &new).await
                }
                (_, None) => {
                    outcome.set(Some(Err(t.account.choose_district.to_owned())));
                    return;
                }
            };
            match added {
                Ok(()) => {
                    refresh(&store, &api, account).await;
                    name.set(String::new());
                    outcome.set(Some(Ok((t.account.added)(typed.trim()))));
                }
                Err(failure) => {
                    outcome.set(Some(Err((t.account.action_failed)(&failure.to_string()))))
                }
            }
        });
    };
    view! {
        <form class="form inline" on:submit=on_submit>
            <FormField id label value=name />
            <button type="submit" class="button">{button}</button>
            <Outcome outcome />
        </form>
    }
}
