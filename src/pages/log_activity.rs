//! The form that logs an activity, changes one, or corrects one the server refused. Its measure fields come
//! from the kind's declaration in dvor-core, and it checks with the same rules as the server.

use std::collections::BTreeMap;

use dvor_core::access::Owner;
use dvor_core::activity::{Activity, ActivityInput, ActivityKind, AddressNeed};
use dvor_core::error::{Field, FieldError};
use dvor_core::id::RecordId;
use dvor_core::record::RecordKind;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::account::Account;
use crate::clock::{new_record_id, today};
use crate::components::form_field::{
    CheckField, FormField, InputKind, SelectField, error_of, focus,
};
use crate::components::photo_picker::PhotoPicker;
use crate::drafts::{activity_form, forget_draft, keep_drafts};
use crate::i18n::t;
use crate::pages::not_found::NotFound;
use crate::records::{Records, read_rest_when, save_edit};
use crate::state::flash::Flash;
use crate::store::StoreHandle;
use crate::store::{Edit, SyncState};

mod fields;

use fields::ActivityFields;

/// `/new/:kind`.
#[component]
pub fn LogActivityPage() -> impl IntoView {
    let params = use_params_map();
    move || match params
        .read()
        .get("kind")
        .and_then(|k| k.parse::<ActivityKind>().ok())
    {
        Some(kind) => view! { <ActivityForm kind /> }.into_any(),
        None => view! { <NotFound /> }.into_any(),
    }
}

/// What the form does with what is typed.
#[derive(Clone, Debug, PartialEq)]
enum FormMode {
    /// Saves a new record.
    New,
    /// Saves the changed values of a record.
    Edit(Activity),
    /// Sends a record the server refused again, whole, in place of the refused changes.
    Fix(Activity),
}

/// `/edit/:id`: the form filled with a record, to change it.
#[component]
pub fn EditActivityPage() -> impl IntoView {
    existing_record_form(|_| true, FormMode::Edit)
}

/// `/fix/:id`: the form filled with a record the server refused, to correct and send again.
#[component]
pub fn FixActivityPage() -> impl IntoView {
    existing_record_form(
        |state| matches!(state, SyncState::Rejected { .. }),
        FormMode::Fix,
    )
}

/// The form over the record named in the path, if it is on the device in a state `accepts`.
fn existing_record_form(
    accepts: fn(&SyncState) -> bool,
    mode: fn(Activity) -> FormMode,
) -> impl IntoView {
    let params = use_params_map();
    let records = expect_context::<Records>();
    // A record past the first screen is found once the rest is read.
    read_rest_when(|| true);
    // Once found, the record is kept as the form found it: rebuilding the form when the record
    // changes meanwhile (a sync, another device) would throw away what the person typed.
    let found = Memo::new(move |before: Option<&Option<Activity>>| {
        let id = params.read().get("id")?;
        if let Some(Some(kept)) =
            before.filter(|b| b.as_ref().is_some_and(|a| a.id.to_string() == id))
        {
            return Some(kept.clone());
        }
        records.list.with(|list| {
            list.iter()
                .find(|r| r.record.id.to_string() == id && accepts(&r.state))
                .map(|r| r.record.clone())
        })
    });
    move || match found.get() {
        Some(activity) => {
            view! { <ActivityForm kind=activity.kind mode=mode(activity) /> }.into_any()
        }
        None => view! { <NotFound /> }.into_any(),
    }
}

#[component]
fn ActivityForm(
    kind: ActivityKind,
    #[prop(default = FormMode::New)] mode: FormMode,
) -> impl IntoView {
    let t = t();
    let records = expect_context::<Records>();
    let input = match &mode {
        FormMode::New => None,
        FormMode::Edit(activity) | FormMode::Fix(activity) => Some(ActivityInput::from(activity)),
    };
    // The site: the one the person came from (a site's page, a new site), else the site of the
    // last record here, if it is the chosen committee's.
    let linked_site = use_query_map().with_untracked(|q| q.get("site"));
    let fields = ActivityFields::new(kind, input.as_ref(), linked_site.clone());
    let ActivityFields {
        date,
        owner,
        variant,
        youth,
        title,
        part_of,
        site,
        site_address,
        photos,
        ..
    } = fields.clone();
    let new = matches!(mode, FormMode::New);
    let account = expect_context::<Account>();
    let fixed_owner = input.as_ref().and_then(|i| i.owner);
    // A new record goes to a committee or centre where the person may log; an existing one
    // keeps its own.
    let spec = kind.spec();
    let owner_choices =
        Signal::derive(move || account.owner_choices(fixed_owner, |o| spec.kept_by.allows(o)));
    let variant_choices = Signal::stored(
        spec.variants
            .iter()
            .map(|v| {
                (
                    (*v).to_owned(),
                    (t.common.variant_name)(v).unwrap_or(v).to_owned(),
                )
            })
            .collect::<Vec<_>>(),
    );
    // A club's meeting names its club: the clubs of the chosen centre.
    if spec.part_of.is_some() {
        read_rest_when(|| true);
    }
    let whole_choices = Signal::derive(move || {
        let (Some(whole), owner) = (spec.part_of, Owner::from_key(&owner.get())) else {
            return Vec::new();
        };
        records.list.with(|list| {
            list.iter()
                .filter(|a| a.record.kind == whole && Some(a.record.owner) == owner)
                .filter_map(|a| {
                    Some((
                        a.record.id.to_string(),
                        a.record.title.as_ref()?.to_string(),
                    ))
                })
                .collect::<Vec<_>>()
        })
    });
    let site_choices = Signal::derive(move || {
        let owner = Owner::from_key(&owner.get());
        records.sites.with(|sites| {
            sites
                .iter()
                .filter(|s| Some(s.record.owner) == owner)
                .map(|s| (s.record.id.to_string(), s.record.name.to_string()))
                .collect::<Vec<_>>()
        })
    });
    // Usually the committee of the last record on this device, or the only one the person has.
    // The list may still be loading when the form opens (a deep link), so choose when it
    // arrives, unless the person chose meanwhile.
    Effect::new(move || {
        let choices = owner_choices.get();
        let last = records
            .list
            .with(|list| list.first().map(|r| r.record.owner.key()));
        let pick = last
            .filter(|last| choices.iter().any(|(key, _)| key == last))
            .or_else(|| (choices.len() == 1).then(|| choices[0].0.clone()));
        if let Some(pick) = pick.filter(|_| owner.with_untracked(String::is_empty)) {
            owner.set(pick);
        }
    });
    if new {
        Effect::new(move || {
            let last = records
                .list
                .with(|list| list.first().and_then(|r| r.record.site));
            let choices = site_choices.get();
            if let Some(last) = last.map(|s| s.to_string())
                && site.with_untracked(String::is_empty)
                && choices.iter().any(|(id, _)| *id == last)
            {
                site.set(last);
            }
        });
    }
    let store = expect_context::<StoreHandle>();
    let restored = if new {
        let fields = fields.draft(linked_site.iter().map(|_| "site").collect());
        keep_drafts(activity_form(kind), fields)
    } else {
        RwSignal::new(false)
    };
    let existing_id = input.as_ref().and_then(|i| i.id.parse::<RecordId>().ok());
    let heading = match &mode {
        FormMode::New => (t.common.new_kind_title)(kind),
        FormMode::Edit(_) => t.common.edit_title,
        FormMode::Fix(_) => t.common.fix_title,
    };
    // An edit writes what the person changed from what the form showed; a new or corrected
    // record is written whole.
    let base = match &mode {
        FormMode::Edit(activity) => Some(activity.values()),
        FormMode::New | FormMode::Fix(_) => None,
    };
    let fixing = matches!(mode, FormMode::Fix(_));
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let saving = RwSignal::new(false);
    let save_error = RwSignal::new(None::<String>);

    let error_for = move |field: Field| error_of(errors, field);

    let on_submit = {
        let fields = fields.clone();
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
            let (input, mut found) = fields.input(id, kind);
            match input.validate(today()) {
                Ok(activity) if found.is_empty() => {
                    errors.set(Vec::new());
                    save(activity, base.clone(), fixing, saving, save_error);
                }
                result => {
                    // A count that is not a number was left out of the input; its own error
                    // replaces the "required" that validation reports for it.
                    if let Err(invalid) = result {
                        let typed_fields: Vec<Field> =
                            found.iter().map(|e| e.field.clone()).collect();
                        found.extend(
                            invalid
                                .all()
                                .iter()
                                .filter(|e| !typed_fields.contains(&e.field))
                                .cloned(),
                        );
                    }
                    found.sort_by_key(|e| field_order(kind, &e.field));
                    focus_field(found.first().map(|e| &e.field));
                    errors.set(found);
                }
            }
        }
    };

    let measure_inputs = fields
        .measures
        .into_iter()
        .map(|(spec, value)| {
            view! {
                <FormField
                    id=spec.measure.key()
                    label=(t.common.measure_label)(spec.measure)
                    value
                    error=error_for(Field::Measure(spec.measure))
                    kind=InputKind::Count
                    unit=(t.common.measure_unit)(spec.measure)
                    optional=!spec.required
                />
            }
        })
        .collect_view();

    view! {
        <section class="page">
            <h1>{heading}</h1>
            <form class="form" novalidate on:submit=on_submit>
                <Show when=move || errors.with(|e| !e.is_empty())>
                    <p class="form-error" role="alert">{t.common.fix_marked_fields}</p>
                </Show>
                <Show when=move || restored.get()>
                    <p class="hint" role="status">{t.common.draft_restored}</p>
                </Show>
                <FormField
                    id="date"
                    label=t.common.field_date
                    value=date
                    error=error_for(Field::Date)
                    kind=InputKind::Date
                    max=today().to_string()
                />
                <SelectField
                    id="owner"
                    label=t.common.field_committee
                    value=owner
                    options=owner_choices
                    error=error_for(Field::Owner)
                    disabled=fixed_owner.is_some()
                />
                <Show when=move || owner_choices.with(Vec::is_empty)>
                    <p class="hint" role="alert">{t.common.no_place_to_log}</p>
                </Show>
                {spec.titled.then(|| view! {
                    <FormField id="title" label=t.common.field_title value=title error=error_for(Field::Title) />
                })}
                {spec.part_of.is_some().then(|| view! {
                    <SelectField
                        id="part_of"
                        label=t.common.field_part_of
                        value=part_of
                        options=whole_choices
                        error=error_for(Field::PartOf)
                    />
                    <Show when=move || whole_choices.with(Vec::is_empty)>
                        <p class="hint" role="status">{t.common.no_clubs_yet}</p>
                    </Show>
                })}
                {(!spec.variants.is_empty()).then(|| view! {
                    <SelectField
                        id="variant"
                        label=(t.common.field_variant)(kind)
                        value=variant
                        options=variant_choices
                        error=error_for(Field::Variant)
                    />
                })}
                {spec.youth.then(|| view! { <CheckField id="youth" label=t.common.field_youth value=youth /> })}
                <SelectField
                    id="site"
                    label=t.common.field_site
                    value=site
                    options=site_choices
                    error=error_for(Field::Site)
                    none=t.common.no_site
                />
                <p class="field-link"><a href=format!("/sites/new?then={}", kind.key())>{t.common.new_site}</a></p>
                <FormField
                    id="site_address"
                    label=match spec.address {
                        AddressNeed::Required => t.common.field_site_address,
                        AddressNeed::Optional => t.common.field_place,
                    }
                    value=site_address
                    error=error_for(Field::SiteAddress)
                    placeholder=t.common.field_site_address_hint
                    optional=Signal::derive(move || !spec.address.required(site.with(|s| !s.is_empty())))
                />
                {measure_inputs}
                <PhotoPicker photos error=error_for(Field::Photos) />
                {move || save_error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || saving.get()>
                        {move || if saving.get() { t.common.saving } else { t.common.save }}
                    </button>
                    <a class="button" href="/" on:click=move |_| if new { forget_draft(&store, activity_form(kind)) }>{t.common.cancel}</a>
                </div>
            </form>
        </section>
    }
}

/// Saves to the device, then goes back to the list and asks for a sync. With `base` (the values
/// the form started from) only what changed is written; without, the whole record — when
/// `fixing`, in place of its refused changes.
fn save(
    activity: Activity,
    base: Option<BTreeMap<String, serde_json::Value>>,
    fixing: bool,
    saving: RwSignal<bool>,
    save_error: RwSignal<Option<String>>,
) {
    let flash = expect_context::<Flash>();
    let install = expect_context::<crate::install::Install>();
    let navigate = use_navigate();
    let store = expect_context::<StoreHandle>();
    let (new, kind) = (base.is_none() && !fixing, activity.kind);
    let edit = Edit::from_form(
        activity.id,
        RecordKind::Activity,
        activity.owner,
        activity.values(),
        base.as_ref(),
    );
    saving.set(true);
    let saved = save_edit(edit, fixing);
    spawn_local(async move {
        match saved.await {
            Ok(()) => {
                if new {
                    forget_draft(&store, activity_form(kind));
                    install.record_saved();
                }
                flash.set(t().common.saved_on_device);
                navigate("/", Default::default());
            }
            Err(message) => {
                save_error.set(Some(message));
                saving.set(false);
            }
        }
    });
}

/// The position of a field in the form, so errors and focus follow the order a person reads.
fn field_order(kind: ActivityKind, field: &Field) -> usize {
    match field {
        Field::Date => 0,
        Field::Owner => 1,
        Field::Title => 2,
        Field::PartOf => 3,
        Field::Variant => 4,
        Field::Youth => 5,
        Field::Site => 6,
        Field::SiteAddress => 7,
        Field::Measure(m) => {
            8 + kind
                .spec()
                .measures
                .iter()
                .position(|s| s.measure == *m)
                .unwrap_or(0)
        }
        Field::Photos => usize::MAX - 1,
        Field::Id
        | Field::Kind
        | Field::Name
        | Field::SiteKind
        | Field::Location
        | Field::Outline
        | Field::Other(_) => usize::MAX,
    }
}

/// Moves the focus to `field`'s input: a measure's id is the measure's name, any other's its
/// path.
fn focus_field(field: Option<&Field>) {
    match field {
        Some(Field::Measure(m)) => focus(m.key()),
        Some(field) => focus(&field.to_string()),
        None => {}
    }
}
