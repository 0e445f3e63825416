//! Reading a record's current values back into typed input, for every kind of record alike:
//! a value of the wrong type or a field the kind does not have becomes a [`FieldError`], never a
//! panic or a silent default.

use std::collections::{BTreeMap, BTreeSet};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{ErrorCode, Field, FieldError};
use crate::photo::{PHOTO_PREFIX, PhotoRef, photo_from_field};

/// A record's values being read, with what is wrong with them so far.
pub(crate) struct Reader {
    values: BTreeMap<String, Value>,
    read: BTreeSet<String>,
    pub(crate) errors: Vec<FieldError>,
}

impl Reader {
    pub(crate) fn new(values: BTreeMap<String, Value>) -> Self {
        Self {
            values,
            read: BTreeSet::new(),
            errors: Vec::new(),
        }
    }

    /// The value of `name`, `None` when absent or null.
    fn take(&mut self, name: &str) -> Option<&Value> {
        self.read.insert(name.to_owned());
        self.values.get(name).filter(|v| !v.is_null())
    }

    /// Text, `None` when absent.
    pub(crate) fn text(&mut self, name: &str, field: Field) -> Option<String> {
        self.typed(name, field)
    }

    /// A yes/no, `false` when absent.
    pub(crate) fn flag(&mut self, name: &str, field: Field) -> bool {
        self.typed(name, field).unwrap_or(false)
    }

    /// Any value serde reads, `None` when absent.
    pub(crate) fn typed<T: DeserializeOwned>(&mut self, name: &str, field: Field) -> Option<T> {
        let value = self.take(name)?.clone();
        match serde_json::from_value(value) {
            Ok(value) => Some(value),
            Err(_) => {
                self.errors
                    .push(FieldError::new(field, ErrorCode::WrongType));
                None
            }
        }
    }

    /// The fields whose names start with `prefix`, by the rest of their name; null ones left out.
    pub(crate) fn prefixed(&mut self, prefix: &str) -> Vec<(String, Value)> {
        let found: Vec<(String, Value)> = self
            .values
            .range(prefix.to_owned()..)
            .take_while(|(name, _)| name.starts_with(prefix))
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        self.read.extend(found.iter().map(|(name, _)| name.clone()));
        found
            .into_iter()
            .filter(|(_, value)| !value.is_null())
            .map(|(name, value)| (name[prefix.len()..].to_owned(), value))
            .collect()
    }

    /// The photos.
    pub(crate) fn photos(&mut self) -> Vec<PhotoRef> {
        let mut photos = Vec::new();
        for (hash, value) in self.prefixed(PHOTO_PREFIX) {
            match photo_from_field(&format!("{PHOTO_PREFIX}{hash}"), &value) {
                Ok(photo) => photos.extend(photo),
                Err(error) => self.errors.push(error),
            }
        }
        photos
    }

    /// Every error found, with one for each field nothing asked for.
    pub(crate) fn finish(mut self) -> Vec<FieldError> {
        for name in self.values.keys().filter(|n| !self.read.contains(*n)) {
            self.errors.push(FieldError::new(
                Field::Other(name.clone()),
                ErrorCode::UnknownField,
            ));
        }
        self.errors
    }
}

/// The value of `result`, or `None` with its error kept in `errors`.
pub(crate) fn keep<T>(errors: &mut Vec<FieldError>, result: Result<T, FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}
