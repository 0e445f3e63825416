//! The device's position from the browser's geolocation (GPS on a phone), as one answer.

use dvor_core::geo::{Location, MAX_ACCURACY_M, Point};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::t;

/// How long to wait for a fix, in ms: a phone that just left a building needs a while.
const TIMEOUT_MS: u32 = 30_000;

/// Where the device is now, with the accuracy of the fix; the reason in the person's words if
/// it cannot tell.
pub async fn locate() -> Result<Location, String> {
    let geolocation = web_sys::window()
        .and_then(|w| w.navigator().geolocation().ok())
        .ok_or_else(|| t().sites.geolocation_unavailable.to_owned())?;
    let options = web_sys::PositionOptions::new();
    options.set_enable_high_accuracy(true);
    options.set_timeout(TIMEOUT_MS);
    options.set_maximum_age(0);
    let mut asked = Ok(());
    let answer = js_sys::Promise::new(&mut |resolve, reject| {
        asked = geolocation.get_current_position_with_error_callback_and_options(
            &resolve,
            Some(&reject),
            &options,
        );
    });
    asked.map_err(|_| t().sites.geolocation_unavailable.to_owned())?;
    let position: web_sys::Position = JsFuture::from(answer)
        .await
        .map_err(|error| reason(&error))?
        .unchecked_into();
    let coords = position.coords();
    let point = Point::from_degrees(coords.latitude(), coords.longitude())
        .ok_or_else(|| t().sites.geolocation_unavailable.to_owned())?;
    let accuracy = coords.accuracy().round();
    Ok(Location {
        point,
        accuracy_m: (accuracy.is_finite() && accuracy >= 0.0)
            .then_some(accuracy.min(f64::from(MAX_ACCURACY_M)) as u32),
        outside_city: false,
    })
}

/// The reason of a `GeolocationPositionError`, read by its `code` (the class is named
/// differently across browsers, so it is not checked).
fn reason(error: &JsValue) -> String {
    let code = js_sys::Reflect::get(error, &"code".into())
        .ok()
        .and_then(|code| code.as_f64());
    match code.map(|code| code as u16) {
        Some(web_sys::PositionError::PERMISSION_DENIED) => t().sites.geolocation_denied,
        Some(web_sys::PositionError::TIMEOUT) => t().sites.geolocation_timeout,
        _ => t().sites.geolocation_unavailable,
    }
    .to_owned()
}
