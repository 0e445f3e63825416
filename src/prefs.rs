//! What a device remembers for itself in `localStorage`: small preferences and copies of the
//! server's settings, never records (those live in IndexedDB). Storage the browser refuses
//! (private mode, quota) reads as nothing and forgets writes: these only save a person typing.

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The value kept under `key`.
pub fn read(key: &str) -> Option<String> {
    storage().and_then(|s| s.get_item(key).ok().flatten())
}

/// Keeps `value` under `key`.
pub fn write(key: &str, value: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, value);
    }
}
