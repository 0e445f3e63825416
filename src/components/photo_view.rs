//! A photo or thumbnail on screen: from the device if it has it, else fetched from the server
//! once and kept, so it shows offline from then on.

use dvor_core::photo::BlobHash;
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use crate::account::Account;
use crate::api::{Api, ApiFailure};
use crate::i18n::t;
use crate::store::StoreHandle;

/// What the screen has of a photo.
#[derive(Clone, Debug, PartialEq)]
enum Shown {
    /// Looking on the device and the server.
    Loading,
    /// An object URL of its bytes.
    Url(String),
    /// Not on the device, and the server could not be asked: why, for the person.
    Missing(&'static str),
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
        let found = match store.photo(hash).await.ok().flatten() {
            Some(blob) => Ok(blob),
            // Tried again the next time a screen shows it.
            None => match token {
                Some(token) => match api.blob(&token, hash).await {
                    Ok(blob) => {
                        // Kept for offline use; a failure to keep it still shows it now.
                        drop(store.keep_photo(hash, &blob, false).await);
                        Ok(blob)
                    }
                    Err(ApiFailure::Refused(_)) => Err(t().records.photo_not_yet),
                    Err(_) => Err(t().records.photo_offline),
                },
                None => Err(t().records.photo_offline),
            },
        };
        let shows = match found {
            Ok(blob) => web_sys::Url::create_object_url_with_blob(&blob)
                .map_or(Shown::Missing(t().records.photo_offline), Shown::Url),
            Err(reason) => Shown::Missing(reason),
        };
        // The component may be gone by now: the URL is then let go at once.
        let left = shown.try_set(shows);
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
    move || match shown.get() {
        Shown::Loading => {
            view! { <span class=format!("photo placeholder {class}") aria-busy="true"></span> }
                .into_any()
        }
        Shown::Url(url) => {
            view! { <img class=format!("photo {class}") src=url alt=alt.clone() /> }.into_any()
        }
        Shown::Missing(reason) => {
            view! { <span class=format!("photo placeholder {class}") title=reason>{reason}</span> }
                .into_any()
        }
    }
}
