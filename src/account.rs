//! The person signed in on this device and the city's reference data, as the screens see them;
//! shared through context and read again from the store after every change.

use std::collections::HashMap;

use dvor_core::access::{Action, DistrictId, Grant, Owner, may};
use dvor_core::account::AuthorName;
use dvor_core::activity::ActivityKind;
use dvor_core::nav::{Tabs, tabs};
use dvor_core::record::AuthorId;
use dvor_core::reference::{District, OwnerEntry, owner_entry, owners};
use leptos::prelude::*;

use crate::api::Api;
use crate::clock::now_ms;
use crate::i18n::t;
use crate::records::Records;
use crate::store::{DeviceSession, Store};

/// Who is signed in here and the reference data as last fetched.
#[derive(Clone, Copy, Debug)]
pub struct Account {
    /// The session, also after the server ended it (then the person must sign in again).
    pub session: RwSignal<Option<DeviceSession>>,
    /// The city's districts, committees and centres.
    pub reference: RwSignal<Vec<District>>,
    /// Whether the store has been read: before, nobody can tell whether anyone is signed in.
    pub loaded: RwSignal<bool>,
    /// The names of the people who made the records here, as last fetched.
    pub authors: RwSignal<HashMap<AuthorId, String>>,
}

impl Account {
    /// Nothing known yet.
    pub fn new() -> Self {
        Self {
            session: RwSignal::new(None),
            reference: RwSignal::new(Vec::new()),
            loaded: RwSignal::new(false),
            authors: RwSignal::new(HashMap::new()),
        }
    }

    /// Reads the session and the reference data from the store again.
    pub async fn load(&self, store: &Store) {
        // A read that fails tells nothing about who is signed in, so it changes nothing shown:
        // WebKit fails the reads of a page it is leaving for a reload, and counting that as
        // nobody signed in sent the page to the sign-in screen, which the reload then opened.
        // A store that cannot be read from the start shows as nobody signed in: the sign-in
        // screen says what fails when the person tries.
        if let Ok(session) = store.session().await {
            self.session.set(session);
        }
        if let Ok(reference) = store.reference().await {
            self.reference.set(reference);
        }
        if let Ok(authors) = store.authors().await {
            self.authors.set(by_author(authors));
        }
        self.loaded.set(true);
    }

    /// Whether someone is signed in here whose session the server no longer takes (or which
    /// ran out): they keep working on the device and sign in again to send.
    pub fn must_sign_in_again(&self) -> bool {
        self.session
            .with(|s| s.as_ref().is_some_and(|s| !s.usable(now_ms())))
    }

    /// Every committee and centre of the city.
    pub fn owners(&self) -> Vec<OwnerEntry> {
        self.reference.with(|districts| owners(districts))
    }

    /// The districts as a choice field offers them: (id, name).
    pub fn district_choices(&self) -> Vec<(String, String)> {
        self.reference.with(|districts| {
            districts
                .iter()
                .map(|d| (d.id.0.to_string(), d.name.clone()))
                .collect()
        })
    }

    /// The committees and centres as a choice field offers them, (key, name): those of
    /// `district` only, if one is given.
    pub fn owner_choices_in(&self, district: Option<DistrictId>) -> Vec<(String, String)> {
        self.owners()
            .into_iter()
            .filter(|entry| district.is_none_or(|d| entry.place.district == d))
            .map(|entry| (entry.owner.key(), entry.name))
            .collect()
    }

    /// The committees and centres where the person may do `action`.
    pub fn owners_for(&self, action: Action) -> Vec<OwnerEntry> {
        let grants = self.grants();
        self.owners()
            .into_iter()
            .filter(|entry| may(&grants, action, entry.place))
            .collect()
    }

    /// The choices of a form's committee or centre, as (key, name): a record being changed
    /// keeps its own (`fixed`); a new one goes where the person may log and `allows`.
    pub fn owner_choices(
        &self,
        fixed: Option<Owner>,
        allows: impl Fn(Owner) -> bool,
    ) -> Vec<(String, String)> {
        match fixed {
            Some(fixed) => vec![(fixed.key(), self.owner_name(fixed))],
            None => self
                .owners_for(Action::Log)
                .into_iter()
                .filter(|entry| allows(entry.owner))
                .map(|entry| (entry.owner.key(), entry.name))
                .collect(),
        }
    }

    /// The kinds of activity the person may log somewhere, in menu order.
    pub fn kinds_to_log(&self) -> Vec<ActivityKind> {
        let owners = self.owners_for(Action::Log);
        ActivityKind::all()
            .filter(|kind| owners.iter().any(|o| kind.spec().kept_by.allows(o.owner)))
            .collect()
    }

    /// Whether the person may do `action` to what `owner` keeps; `false` for an owner the
    /// device's reference data does not know yet.
    pub fn may(&self, action: Action, owner: Owner) -> bool {
        self.entry(owner)
            .is_some_and(|entry| may(&self.grants(), action, entry.place))
    }

    /// The name of a committee or centre.
    pub fn owner_name(&self, owner: Owner) -> String {
        self.entry(owner)
            .map_or_else(|| (t().common.unknown_owner)(owner), |entry| entry.name)
    }

    /// The names of every committee and centre, for naming many records at once.
    pub fn owner_names(&self) -> HashMap<Owner, String> {
        self.owners()
            .into_iter()
            .map(|entry| (entry.owner, entry.name))
            .collect()
    }

    fn entry(&self, owner: Owner) -> Option<OwnerEntry> {
        self.reference
            .with(|districts| owner_entry(districts, owner))
    }

    /// The token of a session the server has not ended (tracked, so a view showing what needs
    /// it follows the session).
    pub fn token(&self) -> Option<String> {
        self.session
            .with(|s| s.as_ref().filter(|s| !s.ended).map(|s| s.token.clone()))
    }

    /// The person's roles.
    pub fn grants(&self) -> Vec<Grant> {
        self.session
            .with(|s| s.as_ref().map(|s| s.me.grants.clone()).unwrap_or_default())
    }

    /// Whether a record in `records` is by a person whose name the device does not have.
    pub fn names_missing_in(&self, records: &Records) -> bool {
        self.authors.with_untracked(|names| {
            records.list.with_untracked(|list| {
                list.iter()
                    .any(|r| r.author.is_person() && !names.contains_key(&r.author))
            })
        })
    }

    /// The destinations the person's roles use: those in the tab bar and the rest.
    pub fn tabs(&self) -> Tabs {
        tabs(self.grants().iter().map(Grant::role))
    }
}

impl Default for Account {
    fn default() -> Self {
        Self::new()
    }
}

/// Fetches the reference data, who the person is now and the names of the records' authors,
/// keeps them on the device and shows them. A session the server no longer takes is marked ended. Failures leave what the device
/// had: this runs again with the next sync.
pub async fn refresh(store: &Store, api: &Api, account: Account) {
    if let Ok(districts) = api.reference().await {
        let _ = store.set_reference(&districts).await;
    }
    if let Ok(Some(session)) = store.session().await
        && session.usable(now_ms())
    {
        match api.me(&session.token).await {
            Ok(me) => {
                let _ = store.update_me(me).await;
                keep_authors(store, api, &session.token).await;
            }
            Err(failure) if failure.is_session_over() => {
                let _ = store.end_session().await;
            }
            Err(_) => {}
        }
    }
    account.load(store).await;
}

/// Fetches the names of the records' authors again — after a sync brought records, some may be
/// by people the device has not named yet — and shows them. A failure keeps the names known.
pub async fn refresh_authors(store: &Store, api: &Api, account: Account, token: &str) {
    if let Some(authors) = keep_authors(store, api, token).await {
        account.authors.set(by_author(authors));
    }
}

/// Fetches the names of the records' authors and keeps them on the device; what was kept.
async fn keep_authors(store: &Store, api: &Api, token: &str) -> Option<Vec<AuthorName>> {
    let authors = api.authors(token).await.ok()?;
    store.set_authors(&authors).await.ok()?;
    Some(authors)
}

fn by_author(authors: Vec<AuthorName>) -> HashMap<AuthorId, String> {
    authors.into_iter().map(|a| (a.author, a.name)).collect()
}
