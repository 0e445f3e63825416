//! The form that adds a site or changes one: name, kind, committee or centre, address, the
//! point from GPS, photos. Opened from an activity's form (`?then=<kind>`), it goes back there
//! with the new site chosen.

use dvor_core::access::Owner;
use dvor_core::error::{Field, FieldError};
use dvor_core::id::RecordId;
use dvor_core::record::RecordKind;
use dvor_core::site::{Site, SiteInput, SiteKind};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::account::Account;
use crate::clock::new_record_id;
use crate::components::form_field::{FormField, SelectField, error_of, focus};
use crate::components::location_field::LocationField;
use crate::components::photo_picker::PhotoPicker;
use crate::drafts::{DraftFields, SITE_FORM, forget_draft, keep_drafts};
use crate::i18n::t;
use crate::pages::not_found::NotFound;
use crate::records::{Records, save_edit};
use crate::state::flash::Flash;
use crate::store::Edit;
use crate::store::StoreHandle;

/// `/sites/new`.
#[component]
pub fn NewSitePage() -> impl IntoView {
    view! { <SiteForm existing=None /> }
}

/// `/sites/:id/edit`.
#[component]
pub fn EditSitePage() -> impl IntoView {
    let params = use_params_map();
    let records = expect_context::<Records>();
    // Found once and kept: a sync meanwhile must not throw away what the person typed.
    let found = Memo::new(move |before: Option<&Option<Site>>| {
        let id = params.read().get("id")?;
        if let Some(Some(kept)) =
            before.filter(|b| b.as_ref().is_some_and(|s| s.id.to_string() == id))
        {
            return Some(kept.clone());
        }
        records.sites.with(|sites| {
            sites
                .iter()
                .find(|s| s.record.id.to_string() == id)
                .map(|s| s.record.clone())
        })
    });
    move || match found.get() {
        Some(site) => view! { <SiteForm existing=Some(site) /> }.into_any(),
        None => view! { <NotFound /> }.into_any(),
    }
}

#[component]
fn SiteForm(existing: Option<Site>) -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let store = expect_context::<StoreHandle>();
    let input = existing.as_ref().map(SiteInput::from);
    let text = |value: Option<String>| RwSignal::new(value.unwrap_or_default());
    let name = text(input.as_ref().map(|i| i.name.clone()));
    // Most sites a subbotnik cleans are yards: a new site starts as one.
    let site_kind = text(Some(
        input
            .as_ref()
            .map_or_else(|| SiteKind::Yard.key().to_owned(), |i| i.site_kind.clone()),
    ));
    let fixed_owner = existing.as_ref().map(|s| s.owner);
    let owner = text(fixed_owner.map(Owner::key));
    let address = text(input.as_ref().map(|i| i.address.clone()));
    let location = RwSignal::new(input.as_ref().and_then(|i| i.location));
    let photos = RwSignal::new(input.as_ref().map(|i| i.photos.clone()).unwrap_or_default());
    let owner_choices = Signal::derive(move || account.owner_choices(fixed_owner, |_| true));
    Effect::new(move || {
        let choices = owner_choices.get();
        if choices.len() == 1 && owner.with_untracked(String::is_empty) {
            owner.set(choices[0].0.clone());
        }
    });
    let kind_choices = Signal::stored(
        SiteKind::ALL
            .iter()
            .map(|k| (k.key().to_owned(), (t.common.site_kind_name)(*k).to_owned()))
            .collect::<Vec<_>>(),
    );
    let new = existing.is_none();
    let restored = if new {
        let fields = DraftFields {
            text: vec![
                ("name", name),
                ("site_kind", site_kind),
                ("owner", owner),
                ("site_address", address),
            ],
            flags: Vec::new(),
            photos,
            location: Some(location),
            given: Vec::new(),
        };
        keep_drafts(SITE_FORM.to_owned(), fields)
    } else {
        RwSignal::new(false)
    };
    // Back to the activity form this one was opened from, with the new site chosen.
    let then = use_query_map().with_untracked(|q| q.get("then"));
    // Made from an activity's form, the site is where the person stands.
    let on_the_spot = new && then.is_some();
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let saving = RwSignal::new(false);
    let save_error = RwSignal::new(None::<String>);
    let error_for = move |field: Field| error_of(errors, field);
    let base = existing.as_ref().map(Site::values);
    let outline = existing.as_ref().and_then(|s| s.outline.clone());
    let existing_id = existing.as_ref().map(|s| s.id);
    let flash = expect_context::<Flash>();
    let navigate = use_navigate();
    let cancel_to = match (&then, existing_id) {
        (Some(kind), _) => format!("/new/{kind}"),
        (None, Some(id)) => format!("/sites/{id}"),
        (None, None) => "/sites".to_owned(),
    };
    let on_submit = {
        let store = store.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if saving.get_untracked() {
                return;
            }
            let id = match existing_id.map_or_else(new_record_id, Ok) {
                Ok(id) => id,
                Err(error) => {
                    save_error.set(Some((t.common.save_failed)(&error.to_string())));
                    return;
                }
            };
            let input = SiteInput {
                id: id.to_string(),
                name: name.get_untracked(),
                site_kind: site_kind.get_untracked(),
                owner: Owner::from_key(&owner.get_untracked()),
                address: address.get_untracked(),
                location: location.get_untracked(),
                // Drawn on a map; the form keeps it as it was.
                outline: outline.clone(),
                photos: photos.get_untracked(),
            };
            let site = match input.validate() {
                Ok(site) => site,
                Err(invalid) => {
                    let found = invalid.all().to_vec();
                    if let Some(first) = found.first() {
                        focus(&first.field.to_string());
                    }
                    errors.set(found);
                    return;
                }
            };
            errors.set(Vec::new());
            let edit = Edit::from_form(
                site.id,
                RecordKind::Site,
                site.owner,
                site.values(),
                base.as_ref(),
            );
            saving.set(true);
            let saved = save_edit(edit, false);
            let (store, then, navigate) = (store.clone(), then.clone(), navigate.clone());
            spawn_local(async move {
                match saved.await {
                    Ok(()) => {
                        if new {
                            forget_draft(&store, SITE_FORM.to_owned());
                        }
                        flash.set(t.common.saved_on_device);
                        navigate(&after_save(then.as_deref(), site.id), Default::default());
                    }
                    Err(message) => {
                        save_error.set(Some(message));
                        saving.set(false);
                    }
                }
            });
        }
    };
    view! {
        <section class="page">
            <h1>{if new { t.common.new_site } else { t.sites.edit_site_title }}</h1>
            <form class="form" novalidate on:submit=on_submit>
                <Show when=move || errors.with(|e| !e.is_empty())>
                    <p class="form-error" role="alert">{t.common.fix_marked_fields}</p>
                </Show>
                <Show when=move || restored.get()>
                    <p class="hint" role="status">{t.common.draft_restored}</p>
                </Show>
                <FormField id="name" label=t.sites.field_site_name value=name error=error_for(Field::Name) placeholder=t.sites.field_site_name_hint />
                <SelectField id="site_kind" label=t.common.field_site_kind value=site_kind options=kind_choices error=error_for(Field::SiteKind) />
                <SelectField
                    id="owner"
                    label=t.common.field_committee
                    value=owner
                    options=owner_choices
                    error=error_for(Field::Owner)
                    disabled=fixed_owner.is_some()
                />
                <FormField
                    id="site_address"
                    label=t.sites.field_address
                    value=address
                    error=error_for(Field::SiteAddress)
                    placeholder=t.common.field_site_address_hint
                    optional=true
                />
                <LocationField location error=error_for(Field::Location) at_once=on_the_spot />
                <PhotoPicker photos error=error_for(Field::Photos) />
                {move || save_error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || saving.get()>
                        {move || if saving.get() { t.common.saving } else { t.common.save }}
                    </button>
                    <a class="button" href=cancel_to on:click=move |_| if new { forget_draft(&store, SITE_FORM.to_owned()) }>{t.common.cancel}</a>
                </div>
            </form>
        </section>
    }
}

/// Where a saved site leads: back to the activity form it was opened from, with it chosen, or
/// to its page.
fn after_save(then: Option<&str>, site: RecordId) -> String {
    match then {
        Some(kind) => format!("/new/{kind}?site={site}"),
        None => format!("/sites/{site}"),
    }
}
