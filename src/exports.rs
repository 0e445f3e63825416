//! Downloading an export from the server: the body read chunk by chunk while the screen shows
//! how much has come — rows counted against the count the server announced (CSV, GeoJSON), or
//! bytes against the file's length (XLSX) — then saved as a file.

use dvor_core::export::ExportFile;
use dvor_core::export::progress::RowCounter;
use dvor_core::protocol::EXPORT_ROWS_HEADER;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Blob, BlobPropertyBag, ReadableStreamDefaultReader};

use crate::api::{Api, ApiFailure};
use crate::files::save;

/// How much of a download has come.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Received {
    /// Bytes so far.
    pub bytes: u64,
    /// The file's length, when the server said it.
    pub length: Option<u64>,
    /// Rows so far and all of them, for a file written row by row.
    pub rows: Option<(u64, u64)>,
}

/// Why a download did not end in a saved file.
#[derive(Debug, thiserror::Error)]
pub enum ExportFailure {
    /// The server refused or could not be reached.
    #[error(transparent)]
    Api(#[from] ApiFailure),
    /// The person stopped it.
    #[error("cancelled")]
    Cancelled,
    /// The browser could not make the file.
    #[error("{0}")]
    Browser(String),
}

/// Downloads `file` for `query` and saves it as `name`, telling `progress` after every chunk.
pub async fn download_export(
    api: &Api,
    token: &str,
    file: ExportFile,
    query: &str,
    name: &str,
    signal: &AbortSignal,
    progress: impl Fn(Received),
) -> Result<(), ExportFailure> {
    let stopped = |signal: &AbortSignal| {
        if signal.aborted() {
            ExportFailure::Cancelled
        } else {
            ExportFailure::Api(ApiFailure::Unreachable)
        }
    };
    let response =
        api.export(token, file, query, signal)
            .await
            .map_err(|failure| match failure {
                ApiFailure::Unreachable => stopped(signal),
                other => ExportFailure::Api(other),
            })?;
    let header = |name: &str| response.headers().get(name).and_then(|v| v.parse().ok());
    let all_rows: Option<u64> = header(EXPORT_ROWS_HEADER);
    let mut received = Received {
        length: header("content-length"),
        ..Received::default()
    };
    let mut counter = RowCounter::for_format(file.format);
    let body = response
        .body()
        .ok_or(ExportFailure::Api(ApiFailure::Server(response.status())))?;
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let chunks = js_sys::Array::new();
    loop {
        let next = JsFuture::from(reader.read())
            .await
            .map_err(|_| stopped(signal))?;
        let done = Reflect::get(&next, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            break;
        }
        let chunk: Uint8Array = Reflect::get(&next, &JsValue::from_str("value"))
            .map_err(|e| ExportFailure::Browser(format!("{e:?}")))?
            .unchecked_into();
        received.bytes += u64::from(chunk.length());
        if let (Some(counter), Some(all)) = (counter.as_mut(), all_rows) {
            counter.feed(&chunk.to_vec());
            received.rows = Some((counter.rows().min(all), all));
        }
        chunks.push(&chunk);
        progress(received);
    }
    let options = BlobPropertyBag::new();
    options.set_type(file.format.media_type());
    let blob = Blob::new_with_u8_array_sequence_and_options(&chunks, &options)
        .map_err(|e| ExportFailure::Browser(format!("{e:?}")))?;
    save(name, &blob).map_err(ExportFailure::Browser)
}
