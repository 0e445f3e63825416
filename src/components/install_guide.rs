//! How to install the app: the browser's own prompt where it offers one, the steps for this
//! kind of device, each with its picture, and the steps for the others (a coordinator helping
//! someone with another phone). The install screen shows it, and the one-time offer links to it.

use dvor_core::keeping::Platform;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::t;
use crate::install::{Choice, Install};

const PLATFORMS: [Platform; 5] = [
    Platform::Ios,
    Platform::Android,
    Platform::MacSafari,
    Platform::Computer,
    Platform::FirefoxComputer,
];

#[component]
pub fn InstallGuide() -> impl IntoView {
    let t = t();
    let install = expect_context::<Install>();
    let answer = RwSignal::new(None::<Choice>);
    let prompt = move |_| {
        spawn_local(async move { answer.set(install.prompt().await) });
    };
    let others = PLATFORMS
        .into_iter()
        .filter(|p| *p != install.platform)
        .map(|platform| {
            view! {
                <section class="install-platform">
                    <h3>{(t.keeping.platform)(platform)}</h3>
                    <Steps platform />
                </section>
            }
        })
        .collect_view();
    view! {
        <div class="install-guide">
            {install.webkit.then(|| view! { <p class="notice warning">{t.keeping.why_home_screen}</p> })}
            <Show when=move || install.can_prompt()>
                <button type="button" class="button primary" on:click=prompt>{t.keeping.install_button}</button>
            </Show>
            {move || answer.get().map(|choice| {
                let text = match choice {
                    Choice::Accepted => t.keeping.install_accepted,
                    Choice::Dismissed => t.keeping.install_dismissed,
                };
                view! { <p class="flash" role="status">{text}</p> }
            })}
            <section class="install-platform" data-testid="install-this-device">
                <h2>{t.keeping.this_device} ": " {(t.keeping.platform)(install.platform)}</h2>
                <Steps platform=install.platform />
            </section>
            <details class="other-devices">
                <summary>{t.keeping.other_devices}</summary>
                {others}
            </details>
        </div>
    }
}

/// The numbered steps of `platform`, each beside its picture.
#[component]
fn Steps(platform: Platform) -> impl IntoView {
    let steps = (t().keeping.steps)(platform);
    view! {
        <ol class="install-steps">
            {steps
                .iter()
                .enumerate()
                .map(|(n, step)| {
                    view! {
                        <li>
                            <svg class="step-picture" viewBox="0 0 24 24" width="40" height="40" aria-hidden="true">
                                <path d=picture(platform, n) />
                            </svg>
                            <span>{*step}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// The picture of step `n` of `platform`: what the person looks for on their screen.
fn picture(platform: Platform, n: usize) -> &'static str {
    const BROWSER: &str = "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM15.5 8.5l-2 5-5 2 2-5z";
    const SHARE: &str = "M8 10H6v10h12V10h-2M12 3v12M8 7l4-4 4 4";
    const ADD: &str = "M5 5h14v14H5zM12 8v8M8 12h8";
    const MENU_DOTS: &str = "M12 5v.01M12 12v.01M12 19v.01";
    const INSTALL: &str = "M3 5h18v11H3zM8 20h8M12 7v6M9 10l3 3 3-3";
    const FILE_MENU: &str = "M4 5h16M4 5v14h16V5M7 9h6M7 12h8M7 15h5";
    const BOOKMARK: &str = "M7 3h10v18l-5-4-5 4z";
    const DONE: &str = "M5 12l4 4 10-10";
    let pictures: &[&str] = match platform {
        Platform::Ios => &[BROWSER, SHARE, ADD, DONE],
        Platform::Android => &[BROWSER, MENU_DOTS, INSTALL, DONE],
        Platform::MacSafari => &[BROWSER, FILE_MENU, DONE],
        Platform::FirefoxComputer => &[BOOKMARK, BROWSER],
        Platform::Computer => &[INSTALL, MENU_DOTS],
    };
    pictures.get(n).copied().unwrap_or(DONE)
}
