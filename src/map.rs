//! Maps: Leaflet, loaded on first use; the thin bindings over it and a map that cleans up
//! after itself; the server's map settings as the device last heard them; downloading areas
//! for use with no network.

pub mod areas;
pub mod assets;
pub mod bindings;
pub mod leaflet;
pub mod settings;
