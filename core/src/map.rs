//! The map of sites: which sites it shows and what it says of each, what a shared link keeps,
//! where its tiles come from, and which tiles a download of an area takes.

pub mod area;
pub mod link;
pub mod settings;
pub mod sites;
pub mod tiles;
