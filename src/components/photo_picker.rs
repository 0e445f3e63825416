//! The photos field of a form: take a photo or choose some, each tagged before, during or
//! after the work, made smaller and kept on the device at once (so a reload loses none), shown
//! as thumbnails that can be taken off again.

use dvor_core::photo::{MAX_PHOTOS, PhotoRef, PhotoTag};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::components::photo_view::PhotoImage;
use crate::i18n::t;
use crate::photos::prepare;
use crate::store::StoreHandle;

/// The photos of the record being filled in.
#[component]
pub fn PhotoPicker(
    /// The photos chosen.
    photos: RwSignal<Vec<PhotoRef>>,
    /// The error to show, if any.
    #[prop(into, optional)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let t = t();
    let store = expect_context::<StoreHandle>();
    // Photos of a record usually go before, then after: the next tag follows the last one.
    let tag = RwSignal::new(
        photos
            .with_untracked(|p| p.last().map(|p| p.tag))
            .unwrap_or(PhotoTag::Before),
    );
    let preparing = RwSignal::new(0usize);
    let failure = RwSignal::new(None::<String>);
    let on_files = move |ev: leptos::ev::Event| {
        let store = store.clone();
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let files: Vec<web_sys::File> = input
            .files()
            .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
            .unwrap_or_default();
        // Chosen again, the same file must fire `change` again.
        input.set_value("");
        let room = MAX_PHOTOS.saturating_sub(photos.with_untracked(Vec::len));
        let tag = tag.get_untracked();
        failure.set(None);
        for file in files.into_iter().take(room) {
            preparing.update(|n| *n += 1);
            let store = store.clone();
            spawn_local(async move {
                let kept = async {
                    let prepared = prepare(&file, tag).await.map_err(|e| e.to_string())?;
                    for (hash, blob) in [
                        (prepared.reference.hash, &prepared.photo),
                        (prepared.reference.thumb, &prepared.thumb),
                    ] {
                        store
                            .keep_photo(hash, blob, true)
                            .await
                            .map_err(|e| (t.records.photo_failed)(&e.to_string()))?;
                    }
                    Ok::<_, String>(prepared.reference)
                };
                match kept.await {
                    Ok(photo) => photos.update(|all| {
                        if !all.iter().any(|p| p.hash == photo.hash) {
                            all.push(photo);
                        }
                    }),
                    Err(message) => failure.set(Some(message)),
                }
                preparing.update(|n| *n -= 1);
            });
        }
    };
    let tags = PhotoTag::ALL
        .map(|option| {
            view! {
                <label class="chip">
                    <input
                        type="radio"
                        name="photo-tag"
                        value=option.key()
                        prop:checked=move || tag.get() == option
                        on:change=move |_| tag.set(option)
                    />
                    {(t.common.photo_tag)(option)}
                </label>
            }
        })
        .collect_view();
    let full = move || photos.with(Vec::len) >= MAX_PHOTOS;
    let on_camera = on_files.clone();
    view! {
        <fieldset class="field photos" class:invalid=move || error.with(Option::is_some)>
            <legend>{t.records.photos_label} <span class="optional">{format!(" ({})", t.records.optional)}</span></legend>
            <div class="chips" role="radiogroup" aria-label=t.records.photo_tag_label>
                <span class="chips-label">{t.records.photo_tag_label}":"</span>
                {tags}
            </div>
            <div class="photo-buttons">
                <label class="button" class:disabled=full>
                    {t.records.take_photo}
                    <input type="file" accept="image/*" capture="environment" class="visually-hidden" data-testid="take-photo" disabled=full on:change=on_camera />
                </label>
                <label class="button" class:disabled=full>
                    {t.records.choose_photos}
                    <input type="file" accept="image/*" multiple class="visually-hidden" data-testid="choose-photos" disabled=full on:change=on_files />
                </label>
            </div>
            <Show when=move || { preparing.get() > 0 }>
                <p class="hint" role="status">{t.records.photos_preparing}</p>
            </Show>
            {move || failure.get().map(|message| view! { <p class="field-error" role="alert">{message}</p> })}
            {move || error.get().map(|message| view! { <p class="field-error">{message}</p> })}
            <ul class="thumbs">
                <For
                    each=move || photos.get()
                    key=|photo| (photo.hash, photo.tag)
                    children=move |photo| {
                        view! {
                            <li class="thumb">
                                <PhotoImage hash=photo.thumb alt=(t.common.photo_tag)(photo.tag) />
                                <span class="thumb-tag">{(t.common.photo_tag)(photo.tag)}</span>
                                <button
                                    type="button"
                                    class="button small"
                                    aria-label=t.records.remove_photo
                                    on:click=move |_| photos.update(|all| all.retain(|p| p.hash != photo.hash))
                                >"✕"</button>
                            </li>
                        }
                    }
                />
            </ul>
        </fieldset>
    }
}
