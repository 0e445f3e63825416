//! The device's own key: 32 random bytes made once and kept in `localStorage` across
//! sign-outs. It names no person; the server remembers which people signed in with it, and
//! brakes failed sign-ins from it apart from strangers', so someone guessing a person's
//! password cannot lock them out of their own phone (`server/src/auth/throttle.rs`).

use crate::prefs;

const KEY: &str = "dvor.device-key";

/// The device's key, made now if it has none; `None` where the browser keeps nothing.
pub fn device_key() -> Option<String> {
    if let Some(key) = prefs::read(KEY).filter(|k| k.len() == 64) {
        return Some(key);
    }
    let crypto = web_sys::window()?.crypto().ok()?;
    let mut bytes = [0u8; 32];
    crypto.get_random_values_with_u8_array(&mut bytes).ok()?;
    let key: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    prefs::write(KEY, &key);
    // Read back: a browser that refuses to keep it would send a new key each time.
    prefs::read(KEY).filter(|kept| *kept == key)
}
