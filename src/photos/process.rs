//! From a camera's file to what the device keeps: the picture drawn anew at most
//! [`MAX_SIDE_PX`] on its long side and encoded as JPEG, which also leaves behind everything
//! the camera wrote beside the pixels (EXIF: the GPS position, the camera, the time); a
//! thumbnail the same way; each named by its SHA-256.

use dvor_core::photo::{BlobHash, MAX_SIDE_PX, PhotoRef, PhotoTag, THUMB_SIDE_PX};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ImageBitmap, ImageEncodeOptions, OffscreenCanvas};

/// JPEG quality of photos: small files that still show the work clearly.
const PHOTO_QUALITY: f64 = 0.82;
/// JPEG quality of thumbnails.
const THUMB_QUALITY: f64 = 0.7;

/// Why a file could not be made into a photo.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// The browser cannot read it as a picture.
    #[error("{}", crate::i18n::t().records.photo_not_an_image)]
    NotAnImage,
    /// The browser failed to draw, encode or hash it.
    #[error("{}", (crate::i18n::t().records.photo_failed)(.0))]
    Browser(String),
}

fn browser(error: JsValue) -> PhotoError {
    PhotoError::Browser(
        error
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| format!("{error:?}")),
    )
}

/// A photo ready to keep: its blobs and the reference a record holds.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The photo, as kept and sent.
    pub photo: Blob,
    /// Its thumbnail.
    pub thumb: Blob,
    /// What a record holds of it.
    pub reference: PhotoRef,
}

/// Makes `file` into a photo tagged `tag`.
pub async fn prepare(file: &Blob, tag: PhotoTag) -> Result<Prepared, PhotoError> {
    let window = web_sys::window().ok_or_else(|| PhotoError::Browser("no window".to_owned()))?;
    // createImageBitmap turns the picture upright by its EXIF orientation before the EXIF is
    // left behind.
    let bitmap: ImageBitmap = JsFuture::from(
        window
            .create_image_bitmap_with_blob(file)
            .map_err(browser)?,
    )
    .await
    .map_err(|_| PhotoError::NotAnImage)?
    .unchecked_into();
    let photo = encode(&bitmap, MAX_SIDE_PX, PHOTO_QUALITY).await?;
    let thumb = encode(&bitmap, THUMB_SIDE_PX, THUMB_QUALITY).await?;
    bitmap.close();
    let reference = PhotoRef {
        tag,
        hash: sha256(&photo).await?,
        thumb: sha256(&thumb).await?,
    };
    Ok(Prepared {
        photo,
        thumb,
        reference,
    })
}

/// `bitmap` drawn at most `max_side` pixels on its long side (never larger than it is) and
/// encoded as JPEG.
async fn encode(bitmap: &ImageBitmap, max_side: u32, quality: f64) -> Result<Blob, PhotoError> {
    let (width, height) = fit(bitmap.width(), bitmap.height(), max_side);
    let canvas = OffscreenCanvas::new(width, height).map_err(browser)?;
    let context: web_sys::OffscreenCanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(browser)?
        .ok_or_else(|| PhotoError::Browser("no 2d context".to_owned()))?
        .unchecked_into();
    context
        .draw_image_with_image_bitmap_and_dw_and_dh(
            bitmap,
            0.0,
            0.0,
            f64::from(width),
            f64::from(height),
        )
        .map_err(browser)?;
    let options = ImageEncodeOptions::new();
    options.set_type("image/jpeg");
    options.set_quality(quality);
    let blob = JsFuture::from(
        canvas
            .convert_to_blob_with_options(&options)
            .map_err(browser)?,
    )
    .await
    .map_err(browser)?;
    Ok(blob.unchecked_into())
}

/// The size of a `width` × `height` picture made to fit `max_side`, keeping its proportions.
fn fit(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let long = width.max(height).max(1);
    if long <= max_side {
        return (width.max(1), height.max(1));
    }
    let scale = |side: u32| {
        ((u64::from(side) * u64::from(max_side) + u64::from(long) / 2) / u64::from(long)).max(1)
            as u32
    };
    (scale(width), scale(height))
}

/// The SHA-256 of `blob`'s bytes.
pub async fn sha256(blob: &Blob) -> Result<BlobHash, PhotoError> {
    let window = web_sys::window().ok_or_else(|| PhotoError::Browser("no window".to_owned()))?;
    let subtle = window.crypto().map_err(browser)?.subtle();
    let bytes = JsFuture::from(blob.array_buffer()).await.map_err(browser)?;
    let digest = JsFuture::from(
        subtle
            .digest_with_str_and_buffer_source("SHA-256", bytes.unchecked_ref())
            .map_err(browser)?,
    )
    .await
    .map_err(browser)?;
    let digest: [u8; 32] = js_sys::Uint8Array::new(&digest)
        .to_vec()
        .try_into()
        .map_err(|_| PhotoError::Browser("a SHA-256 is 32 bytes".to_owned()))?;
    Ok(BlobHash::from_digest(digest))
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn pictures_fit_their_long_side_and_keep_their_proportions() {
        assert_eq!(fit(4000, 3000, 1600), (1600, 1200));
        assert_eq!(fit(3000, 4000, 1600), (1200, 1600));
        assert_eq!(fit(800, 600, 1600), (800, 600), "never made larger");
        assert_eq!(fit(10_000, 1, 320), (320, 1), "never zero");
    }
}
