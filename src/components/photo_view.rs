//! A photo or thumbnail on screen: from the device if it has it, else fetched from the server
//! once and kept, so it shows offline from then on.

use dvor_core::photo::BlobHash;
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use crate::account::Account;
use crate::api::Api;
use crate::app::StoreHandle;
use crate::i18n::t;

/// What the screen has of a photo.
#[derive(Clone, Debug, PartialEq)]
enum Shown {
    /// Looking on the device and the server.
    Loading,
    /// An object URL of its bytes.
    Url(String),
    /// Neither the device nor the server has it yet, or it could not be had now.
    Missing,
}

/// The image `hash`, described by `alt`.
#[component]
pub fn PhotoImage(
    /// The blob.
    hash: BlobHash,
    /// What it shows, for screen readers.
    #[prop(into)]
    alt: String,
    /// CSS class of the image.
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    let shown = RwSignal::new(Shown::Loading);
    let store = expect_context::<StoreHandle>();
    let api = expect_context::<Api>();
    let token = expect_context::<Account>().token();
    spawn_local(async move {
        let local = store.photo(hash).await.ok().flatten();
        let kept = local.is_some();
        let blob = match local {
            Some(blob) => Some(blob),
            None => match token {
                // Not on the server yet (its author's device has not sent it) or no network:
                // shown as missing, and tried again the next time the screen shows it.
                Some(token) => api.blob(&token, hash).await.ok(),
                None => None,
            },
        };
        if let (Some(blob), false) = (&blob, kept) {
            // Kept for offline use; a failure to keep it still shows it now.
            drop(store.keep_photo(hash, blob, false).await);
        }
        let url = blob.and_then(|blob| web_sys::Url::create_object_url_with_blob(&blob).ok());
        // The component may be gone by now: the URL is then let go at once.
        let left = shown.try_set(url.map_or(Shown::Missing, Shown::Url));
        if let Some(Shown::Url(url)) = left {
            drop(web_sys::Url::revoke_object_url(&url));
        }
    });
    let revoke = SendWrapper::new(move || {
        if let Some(Shown::Url(url)) = shown.try_get_untracked() {
            drop(web_sys::Url::revoke_object_url(&url));
        }
    });
    on_cleanup(move || (revoke.take())());
    move || {
        match shown.get() {
        Shown::Loading => view! { <span class=format!("photo placeholder {class}") aria-busy="true"></span> }.into_any(),
        Shown::Url(url) => view! { <img class=format!("photo {class}") src=url alt=alt.clone() /> }.into_any(),
        Shown::Missing => view! { <span class=format!("photo placeholder {class}") title=t().photo_not_yet>{t().photo_not_yet}</span> }.into_any(),
    }
    }
}
