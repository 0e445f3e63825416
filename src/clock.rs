//! The device's clock and entropy, read only here.

use dvor_core::date::Date;
use dvor_core::hlc::NodeId;
use dvor_core::id::{MutationId, RecordId};

/// Milliseconds since the Unix epoch, by the device's clock.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The device's current local date.
pub fn today() -> Date {
    let now = js_sys::Date::new_0();
    Date::from_ymd(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .unwrap_or(Date::MIN)
}

/// A local time of day or, on another day, a date: how a person reads "when".
pub fn describe_time(ms: f64) -> String {
    let then = js_sys::Date::new(&ms.into());
    let now = js_sys::Date::new_0();
    let same_day = then.get_full_year() == now.get_full_year()
        && then.get_month() == now.get_month()
        && then.get_date() == now.get_date();
    let time = format!("{:02}:{:02}", then.get_hours(), then.get_minutes());
    if same_day {
        time
    } else {
        let date = (crate::i18n::t().common.date_long)(
            then.get_full_year() as i32,
            then.get_month() + 1,
            then.get_date(),
        );
        format!("{date}, {time}")
    }
}

/// Why a record id could not be made.
#[derive(Debug, thiserror::Error)]
#[error("no random source: {0}")]
pub struct NoEntropy(String);

/// Bytes from the device's cryptographic random source.
fn random<const N: usize>() -> Result<[u8; N], NoEntropy> {
    let crypto = web_sys::window()
        .ok_or_else(|| NoEntropy("no window".to_owned()))?
        .crypto()
        .map_err(|e| NoEntropy(format!("{e:?}")))?;
    let mut bytes = [0u8; N];
    crypto
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|e| NoEntropy(format!("{e:?}")))?;
    Ok(bytes)
}

/// A fresh UUIDv7 for a new record.
pub fn new_record_id() -> Result<RecordId, NoEntropy> {
    Ok(RecordId::from_parts(now_ms() as u64, random()?))
}

/// A fresh UUIDv7 for a new change.
pub fn new_mutation_id() -> Result<MutationId, NoEntropy> {
    Ok(MutationId::from_parts(now_ms() as u64, random()?))
}

/// A fresh node id for this device's clock.
pub fn new_node_id() -> Result<NodeId, NoEntropy> {
    Ok(NodeId::from_bits(u64::from_le_bytes(random()?)))
}
