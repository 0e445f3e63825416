//! «Карта без сети»: one button per area of the person's roles, each with its size told
//! beforehand; a download's progress with a cancel button; what the device keeps, and a
//! button that removes it all.

use dvor_core::access::{Action, scopes_for};
use dvor_core::map::settings::MapSettings;
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use crate::account::Account;
use crate::clock::{describe_time, now_ms};
use crate::i18n::t;
use crate::map::areas::{self, AreaChoice, KeptArea};
use crate::records::Records;

/// What the panel is doing.
#[derive(Clone, Debug, PartialEq)]
enum Progress {
    Idle,
    Running { key: String, done: u32, total: u32 },
    Finished(String),
    Failed(String),
}

/// The panel, for tiles from `settings`.
#[component]
pub fn AreaDownloads(settings: MapSettings) -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let records = expect_context::<Records>();
    let settings = StoredValue::new(settings);
    let choices = Memo::new(move |_| {
        let grants = account.grants();
        account.reference.with(|districts| {
            records.sites.with(|sites| {
                settings.with_value(|settings| {
                    areas::choices(
                        scopes_for(&grants, Action::Read),
                        districts,
                        sites,
                        settings,
                    )
                })
            })
        })
    });
    let kept = RwSignal::new(areas::kept());
    let progress = RwSignal::new(Progress::Idle);
    let abort = StoredValue::new_local(None::<web_sys::AbortController>);
    let start = move |choice: AreaChoice| {
        let Ok(controller) = web_sys::AbortController::new() else {
            return;
        };
        let signal = SendWrapper::new(controller.signal());
        abort.set_value(Some(controller));
        let total = choice.plan.map_or(0, |p| p.tiles);
        progress.set(Progress::Running {
            key: choice.key.clone(),
            done: 0,
            total,
        });
        spawn_local(async move {
            let key = choice.key.clone();
            let tell = move |done, total, _bytes| {
                progress.set(Progress::Running {
                    key: key.clone(),
                    done,
                    total,
                });
            };
            let settings = settings.get_value();
            let result = areas::download(&choice, &settings, tell, &signal, now_ms() as u64).await;
            abort.set_value(None);
            match result {
                Ok(area) => {
                    kept.update(|all| {
                        all.insert(choice.key.clone(), area);
                    });
                    progress.set(Progress::Finished(kept_text(area)));
                }
                Err(message) => progress.set(Progress::Failed(message)),
            }
        });
    };
    let forget = move |_| {
        spawn_local(async move {
            match areas::forget().await {
                Ok(()) => {
                    kept.set(Default::default());
                    progress.set(Progress::Finished(t.map.map_forgotten.to_owned()));
                }
                Err(message) => progress.set(Progress::Failed(message)),
            }
        });
    };
    let running = move || matches!(progress.get(), Progress::Running { .. });
    let size = move |choice: &AreaChoice| {
        choice.plan.map(|plan| {
            let bytes = settings.with_value(|s| plan.bytes(s.average_tile_bytes));
            (t.map.map_download_size)(plan.tiles, &(t.common.bytes)(bytes))
        })
    };
    view! {
        <details class="area-downloads">
            <summary>{t.map.map_offline_title}</summary>
            <p class="hint">{t.map.map_offline_hint}</p>
            <ul class="areas">
                <For
                    each=move || choices.get()
                    key=|choice| choice.key.clone()
                    children=move |choice| {
                        let key = choice.key.clone();
                        let shown = kept_line(kept, key.clone());
                        let size = size(&choice);
                        let empty = choice.plan.is_none();
                        let name = choice.name.clone();
                        view! {
                            <li data-area=key.clone()>
                                <button
                                    type="button"
                                    class="button"
                                    disabled=move || empty || running()
                                    on:click=move |_| start(choice.clone())
                                >
                                    {(t.map.map_download)(&name)}
                                </button>
                                <span class="hint">{size.unwrap_or_else(|| t.map.map_area_empty.to_owned())}</span>
                                {shown}
                            </li>
                        }
                    }
                />
            </ul>
            {move || match progress.get() {
                Progress::Idle => ().into_any(),
                Progress::Running { done, total, .. } => view! {
                    <div class="download-progress" role="status">
                        <progress max=total value=done></progress>
                        <span>{(t.map.map_downloading)(done, total)}</span>
                        <button type="button" class="button small" on:click=move |_| abort.with_value(|a| if let Some(a) = a { a.abort() })>
                            {t.common.map_download_cancel}
                        </button>
                    </div>
                }.into_any(),
                Progress::Finished(message) => view! { <p class="notice done" role="status">{message}</p> }.into_any(),
                Progress::Failed(message) => view! { <p class="field-error" role="alert">{message}</p> }.into_any(),
            }}
            <Show when=move || kept.with(|k| !k.is_empty())>
                <button type="button" class="button small" disabled=running on:click=forget>{t.map.map_forget}</button>
            </Show>
        </details>
    }
}

fn kept_text(area: KeptArea) -> String {
    let t = t();
    (t.map.map_downloaded)(
        &describe_time(area.at_ms as f64),
        area.tiles,
        &(t.common.bytes)(area.bytes),
    )
}

fn kept_line(
    kept: RwSignal<std::collections::BTreeMap<String, KeptArea>>,
    key: String,
) -> impl IntoView {
    move || {
        kept.with(|all| all.get(&key).copied())
            .map(|area| view! { <span class="kept">{kept_text(area)}</span> })
    }
}
