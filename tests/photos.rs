//! Photos on the device, in headless Chromium: made smaller and re-encoded (the camera's EXIF,
//! GPS position included, is gone), named by their SHA-256, kept in IndexedDB across reopening
//! and marked until sent.

#![cfg(target_arch = "wasm32")]

use std::collections::HashSet;

use dvor::clock::new_record_id;
use dvor::photos::{PhotoError, prepare};
use dvor::store::Store;
use dvor_core::photo::{BlobHash, PhotoTag};
use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = "
export async function cameraJpeg(width, height) {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  const gradient = context.createLinearGradient(0, 0, width, height);
  gradient.addColorStop(0, '#2a7');
  gradient.addColorStop(1, '#d83');
  context.fillStyle = gradient;
  context.fillRect(0, 0, width, height);
  const jpeg = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 })).arrayBuffer());
  // An APP1 segment as a camera writes it: a TIFF header, an empty IFD, then what a real one
  // holds in its tags: the position and the camera.
  const tiff = [0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0];
  const payload = [...new TextEncoder().encode('Exif\\0\\0'), ...tiff, ...new TextEncoder().encode('GPSLatitude 55.3547N GPSLongitude 86.0872E Canon EOS')];
  const length = payload.length + 2;
  const app1 = new Uint8Array([0xff, 0xe1, length >> 8, length & 255, ...payload]);
  const out = new Uint8Array(jpeg.length + app1.length);
  out.set(jpeg.subarray(0, 2));
  out.set(app1, 2);
  out.set(jpeg.subarray(2), 2 + app1.length);
  return new Blob([out], { type: 'image/jpeg' });
}
export async function bytesOf(blob) { return new Uint8Array(await blob.arrayBuffer()); }
export async function sizeOf(blob) { const bitmap = await createImageBitmap(blob); return [bitmap.width, bitmap.height]; }
export function textBlob() { return new Blob(['not a photo'], { type: 'text/plain' }); }
")]
extern "C" {
    #[wasm_bindgen(js_name = cameraJpeg)]
    fn camera_jpeg(width: u32, height: u32) -> js_sys::Promise;
    #[wasm_bindgen(js_name = bytesOf)]
    fn bytes_of(blob: &web_sys::Blob) -> js_sys::Promise;
    #[wasm_bindgen(js_name = sizeOf)]
    fn size_of(blob: &web_sys::Blob) -> js_sys::Promise;
    #[wasm_bindgen(js_name = textBlob)]
    fn text_blob() -> web_sys::Blob;
}

async fn bytes(blob: &web_sys::Blob) -> Vec<u8> {
    js_sys::Uint8Array::new(&JsFuture::from(bytes_of(blob)).await.expect("read")).to_vec()
}

async fn size(blob: &web_sys::Blob) -> (u32, u32) {
    let pair: js_sys::Array = JsFuture::from(size_of(blob)).await.expect("decoded").into();
    let side = |i| pair.get(i).as_f64().expect("a number") as u32;
    (side(0), side(1))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn sha256(bytes: &[u8]) -> BlobHash {
    BlobHash::from_digest(Sha256::digest(bytes).into())
}

#[wasm_bindgen_test]
async fn a_camera_photo_is_made_smaller_and_loses_its_exif() {
    let file: web_sys::Blob = JsFuture::from(camera_jpeg(4000, 3000))
        .await
        .expect("made")
        .into();
    let original = bytes(&file).await;
    assert!(contains(&original, b"Exif") && contains(&original, b"GPSLatitude"));

    let prepared = prepare(&file, PhotoTag::Before).await.expect("prepared");
    let photo = bytes(&prepared.photo).await;
    let thumb = bytes(&prepared.thumb).await;
    for (name, kept) in [("photo", &photo), ("thumbnail", &thumb)] {
        assert!(kept.starts_with(&[0xFF, 0xD8, 0xFF]), "{name} is a JPEG");
        assert!(!contains(kept, b"Exif"), "{name} has no EXIF");
        assert!(!contains(kept, b"GPSLatitude"), "{name} has no position");
        assert!(!contains(kept, b"Canon"), "{name} has no camera");
    }
    assert_eq!(size(&prepared.photo).await, (1600, 1200));
    assert_eq!(size(&prepared.thumb).await, (320, 240));
    assert!(photo.len() < original.len());
    assert_eq!(prepared.reference.tag, PhotoTag::Before);
    assert_eq!(prepared.reference.hash, sha256(&photo));
    assert_eq!(prepared.reference.thumb, sha256(&thumb));

    let small: web_sys::Blob = JsFuture::from(camera_jpeg(800, 600))
        .await
        .expect("made")
        .into();
    let kept_small = prepare(&small, PhotoTag::After).await.expect("prepared");
    assert_eq!(
        size(&kept_small.photo).await,
        (800, 600),
        "never made larger"
    );
}

#[wasm_bindgen_test]
async fn a_file_that_is_not_a_picture_is_refused() {
    let refused = prepare(&text_blob(), PhotoTag::During).await;
    assert!(
        matches!(refused, Err(PhotoError::NotAnImage)),
        "{refused:?}"
    );
}

#[wasm_bindgen_test]
async fn photos_are_kept_across_reopening_and_marked_until_sent() {
    let name = format!("dvor-test-{}", new_record_id().expect("entropy"));
    let store = Store::open(&name).await.expect("opens");
    let file: web_sys::Blob = JsFuture::from(camera_jpeg(1200, 900))
        .await
        .expect("made")
        .into();
    let prepared = prepare(&file, PhotoTag::After).await.expect("prepared");
    let (hash, thumb) = (prepared.reference.hash, prepared.reference.thumb);
    store
        .keep_photo(hash, &prepared.photo, true)
        .await
        .expect("kept");
    store
        .keep_photo(thumb, &prepared.thumb, true)
        .await
        .expect("kept");
    let fetched = sha256(b"a photo another device sent");
    store
        .keep_photo(fetched, &prepared.thumb, false)
        .await
        .expect("kept");
    drop(store);

    let reopened = Store::open(&name).await.expect("reopens");
    let unsent: HashSet<BlobHash> = reopened
        .unsent_photos()
        .await
        .expect("read")
        .into_iter()
        .collect();
    assert_eq!(
        unsent,
        HashSet::from([hash, thumb]),
        "a fetched photo is not sent back"
    );
    let kept = reopened.photo(hash).await.expect("read").expect("there");
    assert_eq!(sha256(&bytes(&kept).await), hash);
    reopened.photo_sent(hash).await.expect("marked");
    assert_eq!(reopened.unsent_photos().await.expect("read"), [thumb]);
    assert!(
        reopened
            .photo(sha256(b"never kept"))
            .await
            .expect("read")
            .is_none()
    );
}
