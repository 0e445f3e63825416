//! Code fetched on first use. Built with the `split` feature (`cargo xtask` does), each
//! function that [`on_first_use!`] declares is a split point: its code, and whatever only it
//! reaches, leaves the first download for a wasm chunk of its own, fetched the first time the
//! function is called (and precached by the service worker after the first visit). Without
//! the feature (`trunk serve`, the wasm tests) the same functions are ordinary ones, because
//! an unsplit build that keeps split points imports a module that does not exist and never
//! starts.
//!
//! Leptos's own `#[lazy]` panics when a chunk cannot be fetched, which aborts the whole app;
//! these are the fallible kind, so a screen whose chunk is missing says so and offers a retry.

use std::future::Future;

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::i18n::t;

/// A chunk could not be fetched (offline before it was ever cached, or the server failed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkUnavailable;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkUnavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        // The loader has already logged the cause to the console.
        Self
    }
}

/// What a function fetched on first use gives: the view it draws.
pub type Loaded = Result<AnyView, ChunkUnavailable>;

/// Declares functions, each drawing a view, whose code is fetched on first use; those naming
/// the same chunk travel together. Each becomes `async fn name() -> Loaded`.
macro_rules! on_first_use {
    ($($(#[$doc:meta])* $chunk:ident: fn $name:ident() = $view:expr;)*) => {$(
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[::leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        pub fn $name() -> $crate::chunk::Loaded {
            Ok(::leptos::prelude::IntoAny::into_any($view))
        }

        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        pub async fn $name() -> $crate::chunk::Loaded {
            Ok(::leptos::prelude::IntoAny::into_any($view))
        }
    )*};
}
pub(crate) use on_first_use;

/// Draws what `load` gives once its chunk is here; until then nothing (a chunk from the
/// service worker's cache arrives within a frame), and if it cannot be fetched, a message with
/// a button that tries again.
#[component]
pub fn OnFirstUse<L, F>(load: L) -> impl IntoView
where
    L: Fn() -> F + Copy + Send + Sync + 'static,
    F: Future<Output = Loaded> + 'static,
{
    let attempt = RwSignal::new(0_u32);
    move || {
        attempt.track();
        // The view is built inside the future, under this owner (Suspend keeps it).
        Suspend::new(SendWrapper::new(async move {
            load().await.unwrap_or_else(|ChunkUnavailable| {
                let t = t();
                view! {
                    <div class="chunk-failed" role="alert">
                        <p>{t.shell.screen_unavailable}</p>
                        <button type="button" class="button" on:click=move |_| attempt.update(|n| *n += 1)>
                            {t.shell.retry}
                        </button>
                    </div>
                }
                .into_any()
            })
        }))
    }
}
