//! A person's grants in words, as the account screen and the invites show them.

use dvor_core::access::{Grant, Scope};
use dvor_core::reference::scope_name;
use leptos::prelude::*;

use crate::account::Account;
use crate::i18n::t;

/// A role and where it is held, in words: «Активист — Забойщик».
pub fn describe(account: Account, grant: Grant) -> String {
    let t = t();
    let place = match grant.scope() {
        Scope::City => t.account.whole_city.to_owned(),
        scope => account
            .reference
            .with(|districts| scope_name(districts, scope))
            .unwrap_or_else(|| t.account.unknown_place.to_owned()),
    };
    (t.account.grant_words)(grant.role(), &place)
}
