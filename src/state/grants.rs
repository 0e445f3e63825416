//! A person's grants in words, as the account screen and the invites show them.

use dvor_core::access::{Grant, Owner, Scope};
use leptos::prelude::*;

use crate::account::Account;
use crate::i18n::t;

/// A role and where it is held, in words: «Активист — Забойщик».
pub fn describe(account: Account, grant: Grant) -> String {
    let t = t();
    let place = match grant.scope() {
        Scope::City => t.account.whole_city.to_owned(),
        Scope::Committee(id) => account.owner_name(Owner::Committee(id)),
        Scope::Centre(id) => account.owner_name(Owner::Centre(id)),
        Scope::District(id) => account.reference.with(|districts| {
            districts
                .iter()
                .find(|d| d.id == id)
                .map_or_else(|| id.0.to_string(), |d| d.name.clone())
        }),
    };
    format!("{} — {place}", (t.account.role_name)(grant.role()))
}
