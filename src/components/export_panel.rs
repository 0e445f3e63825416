//! «Выгрузка»: the report's period and place as a file — activities, sites, the inventory
//! ledger or the report itself, in the formats each has — downloaded with its progress and a
//! cancel button. Exports are made by the server, so they need a connection.

use dvor_core::date::Date;
use dvor_core::export::{Dataset, ExportFile, Format};
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use crate::account::Account;
use crate::api::{Api, ApiFailure};
use crate::components::form_field::SelectField;
use crate::exports::{ExportFailure, Received, download_export};
use crate::i18n::t;

#[derive(Clone, Debug, PartialEq)]
enum Progress {
    Idle,
    Running(Received),
    Finished(String),
    Failed(String),
}

/// The export controls for the report's `period` and `query` (its period and place).
#[component]
pub fn ExportPanel(period: Memo<(Date, Date)>, query: Memo<String>) -> impl IntoView {
    let t = t();
    let account = expect_context::<Account>();
    let api = expect_context::<Api>();
    let dataset = RwSignal::new(Dataset::Activities.key().to_owned());
    let format = RwSignal::new(Format::Xlsx.extension().to_owned());
    let chosen = move || {
        let dataset = dataset.with(|d| Dataset::ALL.into_iter().find(|x| x.key() == d))?;
        format
            .with(|f| format!("{}.{f}", dataset.key()))
            .parse::<ExportFile>()
            .ok()
    };
    // A dataset offers its own formats; the first is taken when the chosen one is not among them.
    Effect::new(move || {
        let formats = dataset
            .with(|d| Dataset::ALL.into_iter().find(|x| x.key() == d))
            .map(Dataset::formats);
        if let Some(formats) = formats
            && !format.with_untracked(|f| formats.iter().any(|x| x.extension() == f))
            && let Some(first) = formats.first()
        {
            format.set(first.extension().to_owned());
        }
    });
    let datasets = Signal::stored(
        Dataset::ALL
            .iter()
            .map(|d| (d.key().to_owned(), (t.common.export_dataset)(*d).to_owned()))
            .collect::<Vec<_>>(),
    );
    let formats = Signal::derive(move || {
        dataset
            .with(|d| Dataset::ALL.into_iter().find(|x| x.key() == d))
            .map(|d| {
                d.formats()
                    .iter()
                    .map(|f| {
                        (
                            f.extension().to_owned(),
                            (t.report.export_format)(*f).to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    });
    let progress = RwSignal::new(Progress::Idle);
    let abort = StoredValue::new_local(None::<web_sys::AbortController>);
    let start = move |_| {
        let (Some(file), Some(token)) = (chosen(), account.token()) else {
            return;
        };
        let Ok(controller) = web_sys::AbortController::new() else {
            return;
        };
        let signal = SendWrapper::new(controller.signal());
        abort.set_value(Some(controller));
        let (from, to) = period.get_untracked();
        let name = format!(
            "{}-{from}-{to}.{}",
            file.dataset.key(),
            file.format.extension()
        );
        let query = query.get_untracked();
        let api = api.clone();
        progress.set(Progress::Running(Received::default()));
        spawn_local(async move {
            let tell = move |received| progress.set(Progress::Running(received));
            let result = download_export(&api, &token, file, &query, &name, &signal, tell).await;
            abort.set_value(None);
            progress.set(match result {
                Ok(()) => Progress::Finished((t.report.export_done)(&name)),
                Err(ExportFailure::Cancelled) => Progress::Idle,
                Err(ExportFailure::Api(ApiFailure::Unreachable)) => {
                    Progress::Failed(t.report.export_offline.to_owned())
                }
                Err(failure) => Progress::Failed((t.report.export_failed)(&failure.to_string())),
            });
        });
    };
    let running = move || matches!(progress.get(), Progress::Running(_));
    let cancel = move |_| {
        abort.with_value(|a| {
            if let Some(a) = a {
                a.abort()
            }
        })
    };
    view! {
        <details class="export-panel no-print" data-testid="export">
            <summary><h2>{t.report.export_title}</h2></summary>
            <div class="filter-grid">
                <SelectField id="export-dataset" label=t.report.export_what value=dataset options=datasets />
                <SelectField id="export-format" label=t.report.export_format_label value=format options=formats />
            </div>
            <button type="button" class="button primary" disabled=running on:click=start>{t.report.export_download}</button>
            {move || match progress.get() {
                Progress::Idle => ().into_any(),
                Progress::Running(received) => view! {
                    <div class="download-progress" role="status" data-testid="export-progress">
                        {progress_bar(received)}
                        <button type="button" class="button small" on:click=cancel>{t.common.map_download_cancel}</button>
                    </div>
                }.into_any(),
                Progress::Finished(message) => view! { <p class="notice done" role="status">{message}</p> }.into_any(),
                Progress::Failed(message) => view! { <p class="field-error" role="alert">{message}</p> }.into_any(),
            }}
        </details>
    }
}

/// The bar and its words: rows of all, bytes of the length, or bytes alone; while nothing has
/// come, the server is still preparing the file.
fn progress_bar(received: Received) -> impl IntoView {
    let t = t();
    if let Some((done, all)) = received.rows {
        return view! { <progress max=all value=done></progress><span>{(t.report.export_rows)(done, all)}</span> }.into_any();
    }
    if received.bytes == 0 {
        return view! { <progress></progress><span>{t.report.export_preparing}</span> }.into_any();
    }
    match received.length {
        Some(length) => view! {
            <progress max=length value=received.bytes></progress>
            <span>{(t.report.export_bytes)(&(t.common.bytes)(received.bytes), &(t.common.bytes)(length))}</span>
        }
        .into_any(),
        None => view! { <progress></progress><span>{(t.common.bytes)(received.bytes)}</span> }.into_any(),
    }
}
