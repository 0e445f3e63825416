//! Photos attached to activities and sites. A photo is a blob named by the SHA-256 of its
//! bytes, so uploading it twice stores it once and a device can tell whether the server has it
//! by name alone. A record holds references: the photo, its thumbnail and whether it was taken
//! before, during or after the work.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{ErrorCode, Field, FieldError};

/// The most photos one record holds.
pub const MAX_PHOTOS: usize = 12;

/// The longest side of a photo as the device stores and sends it, in pixels.
pub const MAX_SIDE_PX: u32 = 1600;

/// The longest side of a thumbnail, in pixels.
pub const THUMB_SIDE_PX: u32 = 320;

/// The largest blob the server accepts, in bytes: a 1600 px JPEG is well under it.
pub const MAX_BLOB_BYTES: usize = 4 * 1024 * 1024;

/// The image types the server keeps.
pub const IMAGE_TYPES: [&str; 2] = ["image/jpeg", "image/webp"];

/// The image type of `bytes` by their signature, if it is one the server keeps: a JPEG's
/// start-of-image and a marker, or a WebP's RIFF header naming `WEBP` with its true length
/// and a VP8, VP8L or VP8X chunk first. A RIFF file of another kind (a WAVE sound, an AVI
/// video) is none of them, whatever it was sent as.
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xD8, 0xFF, 0xC0..=0xFE, ..] => Some(IMAGE_TYPES[0]),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            s0,
            s1,
            s2,
            s3,
            b'W',
            b'E',
            b'B',
            b'P',
            chunk @ ..,
        ] if chunk.len() >= 8
            && matches!(&chunk[..4], b"VP8 " | b"VP8L" | b"VP8X")
            && usize::try_from(u32::from_le_bytes([*s0, *s1, *s2, *s3]))
                .is_ok_and(|size| size.checked_add(8) == Some(bytes.len())) =>
        {
            Some(IMAGE_TYPES[1])
        }
        _ => None,
    }
}

/// Record fields named `photos.<hash>` hold the photo references, one field each, so photos
/// added on two devices at once are both kept.
pub const PHOTO_PREFIX: &str = "photos.";

/// The SHA-256 of a blob's bytes, as 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BlobHash([u8; 32]);

impl BlobHash {
    /// The hash of a digest's 32 bytes.
    pub fn from_digest(digest: [u8; 32]) -> Self {
        Self(digest)
    }

    /// The digest's bytes.
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl FromStr for BlobHash {
    type Err = ErrorCode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let hex = s.as_bytes();
        if hex.len() != 64 {
            return Err(ErrorCode::InvalidPhoto);
        }
        let digit = |c: u8| match c {
            b'0'..=b'9' => Ok(c - b'0'),
            b'a'..=b'f' => Ok(c - b'a' + 10),
            _ => Err(ErrorCode::InvalidPhoto),
        };
        let mut bytes = [0; 32];
        for (byte, pair) in bytes.iter_mut().zip(hex.chunks_exact(2)) {
            *byte = digit(pair[0])? << 4 | digit(pair[1])?;
        }
        Ok(Self(bytes))
    }
}

impl TryFrom<String> for BlobHash {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value
            .parse()
            .map_err(|_| "a hash is 64 lowercase hex digits".to_owned())
    }
}

impl From<BlobHash> for String {
    fn from(hash: BlobHash) -> Self {
        hash.to_string()
    }
}

impl fmt::Display for BlobHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for BlobHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BlobHash({self})")
    }
}

/// When a photo was taken, relative to the work.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum PhotoTag {
    /// Before the work.
    Before,
    /// During it.
    #[default]
    During,
    /// After it.
    After,
}

impl PhotoTag {
    /// Every tag, in the order a gallery shows them.
    pub const ALL: [PhotoTag; 3] = [PhotoTag::Before, PhotoTag::During, PhotoTag::After];

    /// The wire name.
    pub fn key(self) -> &'static str {
        match self {
            PhotoTag::Before => "before",
            PhotoTag::During => "during",
            PhotoTag::After => "after",
        }
    }
}

impl FromStr for PhotoTag {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|t| t.key() == s).ok_or(())
    }
}

/// A photo as a record holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhotoRef {
    /// When it was taken, relative to the work.
    pub tag: PhotoTag,
    /// The photo.
    pub hash: BlobHash,
    /// Its thumbnail, for lists.
    pub thumb: BlobHash,
}

impl PhotoRef {
    /// Both blobs the photo needs on the server.
    pub fn blobs(&self) -> [BlobHash; 2] {
        [self.hash, self.thumb]
    }
}

/// A record's photos, in gallery order (by tag, then by hash), at most [`MAX_PHOTOS`].
pub fn validate_photos(photos: &[PhotoRef]) -> Result<Vec<PhotoRef>, FieldError> {
    let mut photos = photos.to_vec();
    photos.sort_unstable();
    photos.dedup_by_key(|p| p.hash);
    if photos.len() > MAX_PHOTOS {
        return Err(FieldError::with_limit(
            Field::Photos,
            ErrorCode::TooManyPhotos,
            MAX_PHOTOS as i64,
        ));
    }
    Ok(photos)
}

/// The record fields of `photos`: one `photos.<hash>` each. Photos of `before` that are gone
/// are written as null, so removing a photo is a change like any other.
pub fn photo_values(before: &[PhotoRef], photos: &[PhotoRef]) -> BTreeMap<String, Value> {
    let mut values = BTreeMap::new();
    for gone in before
        .iter()
        .filter(|b| !photos.iter().any(|p| p.hash == b.hash))
    {
        values.insert(format!("{PHOTO_PREFIX}{}", gone.hash), Value::Null);
    }
    for photo in photos {
        values.insert(
            format!("{PHOTO_PREFIX}{}", photo.hash),
            serde_json::to_value(photo).unwrap_or(Value::Null),
        );
    }
    values
}

/// Reads the photo field `name` holding `value`: `Ok(None)` for a field that is not a photo's
/// or a removed photo, an error for a photo field that holds something else.
pub fn photo_from_field(name: &str, value: &Value) -> Result<Option<PhotoRef>, FieldError> {
    let Some(hash) = name.strip_prefix(PHOTO_PREFIX) else {
        return Ok(None);
    };
    if value.is_null() {
        return Ok(None);
    }
    let invalid = || FieldError::new(Field::Photos, ErrorCode::InvalidPhoto);
    let photo: PhotoRef = serde_json::from_value(value.clone()).map_err(|_| invalid())?;
    if hash.parse::<BlobHash>() != Ok(photo.hash) {
        return Err(invalid());
    }
    Ok(Some(photo))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A RIFF file of `form` with one chunk named `chunk`, its length field true.
    fn riff(form: &[u8; 4], chunk: &[u8; 4]) -> Vec<u8> {
        let mut body = form.to_vec();
        body.extend_from_slice(chunk);
        body.extend_from_slice(&4u32.to_le_bytes());
        body.extend_from_slice(&[0; 4]);
        let mut file = b"RIFF".to_vec();
        file.extend_from_slice(&u32::try_from(body.len()).expect("small").to_le_bytes());
        file.extend_from_slice(&body);
        file
    }

    #[test]
    fn images_are_known_by_their_signature_not_their_first_four_bytes() {
        assert_eq!(
            image_type(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 16]),
            Some("image/jpeg")
        );
        assert_eq!(image_type(&riff(b"WEBP", b"VP8 ")), Some("image/webp"));
        assert_eq!(image_type(&riff(b"WEBP", b"VP8X")), Some("image/webp"));
        assert_eq!(image_type(&riff(b"WAVE", b"fmt ")), None, "a sound");
        assert_eq!(image_type(&riff(b"AVI ", b"LIST")), None, "a video");
        assert_eq!(image_type(&riff(b"WEBP", b"fmt ")), None, "no image chunk");
        let mut long = riff(b"WEBP", b"VP8L");
        long.extend_from_slice(b"<script>");
        assert_eq!(image_type(&long), None, "more than the header says");
        assert_eq!(image_type(b"RIFF"), None);
        assert_eq!(image_type(&[0xFF, 0xD8, 0xFF]), None);
    }

    fn hash(n: u8) -> BlobHash {
        BlobHash::from_digest([n; 32])
    }

    fn photo(n: u8, tag: PhotoTag) -> PhotoRef {
        PhotoRef {
            tag,
            hash: hash(n),
            thumb: hash(n + 100),
        }
    }

    #[test]
    fn hashes_are_64_lowercase_hex_digits() {
        let text = "ab".repeat(32);
        assert_eq!(
            text.parse::<BlobHash>().map(|h| h.to_string()),
            Ok(text.clone())
        );
        for bad in ["", &"AB".repeat(32), &"ab".repeat(31), &"zz".repeat(32)] {
            assert_eq!(
                bad.parse::<BlobHash>(),
                Err(ErrorCode::InvalidPhoto),
                "{bad}"
            );
        }
    }

    #[test]
    fn photos_come_in_gallery_order_once_each_and_at_most_twelve() {
        let photos = [
            photo(2, PhotoTag::After),
            photo(1, PhotoTag::Before),
            photo(2, PhotoTag::After),
        ];
        assert_eq!(
            validate_photos(&photos),
            Ok(vec![photo(1, PhotoTag::Before), photo(2, PhotoTag::After)])
        );
        let many: Vec<PhotoRef> = (0..13).map(|n| photo(n, PhotoTag::During)).collect();
        assert_eq!(
            validate_photos(&many).map_err(|e| e.code),
            Err(ErrorCode::TooManyPhotos)
        );
    }

    #[test]
    fn each_photo_is_a_field_of_its_own_and_removing_one_writes_null() {
        let kept = photo(1, PhotoTag::Before);
        let removed = photo(2, PhotoTag::After);
        let values = photo_values(&[kept, removed], &[kept]);
        assert_eq!(values.len(), 2);
        assert_eq!(values[&format!("photos.{}", removed.hash)], Value::Null);
        let (name, value) = values.iter().find(|(_, v)| !v.is_null()).expect("kept");
        assert_eq!(photo_from_field(name, value), Ok(Some(kept)));
    }

    #[test]
    fn a_photo_field_must_name_the_photo_it_holds() {
        let value = serde_json::to_value(photo(1, PhotoTag::During)).expect("serialises");
        let elsewhere = format!("photos.{}", hash(9));
        assert_eq!(
            photo_from_field(&elsewhere, &value).map_err(|e| e.code),
            Err(ErrorCode::InvalidPhoto)
        );
        assert_eq!(photo_from_field("date", &value), Ok(None));
        assert_eq!(
            photo_from_field(&elsewhere, &serde_json::json!("before")).map_err(|e| e.code),
            Err(ErrorCode::InvalidPhoto)
        );
    }
}
