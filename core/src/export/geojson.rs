//! Sites as GeoJSON (RFC 7946) with the work of a period at each, one feature per line so a
//! download can count them as they come.

use serde_json::{Map, Value, json};

use super::Names;
use super::tables::site_district;
use crate::map::sites::SiteSummary;
use crate::measure::Measure;
use crate::site::Site;

/// The collection's first line.
pub const OPENING: &str = "{\"type\":\"FeatureCollection\",\"features\":[\n";

/// The collection's end, without a line break: the lines of a collection are its opening and
/// its features.
pub const CLOSING: &str = "]}";

/// The line of the `index`-th feature (from 0) of a collection.
pub fn feature_line(index: u64, feature: &str) -> String {
    let comma = if index == 0 { "" } else { "," };
    format!("{comma}{feature}\n")
}

/// A whole collection of `features`, line by line.
pub fn collection_lines(features: impl Iterator<Item = String>) -> impl Iterator<Item = String> {
    std::iter::once(OPENING.to_owned())
        .chain(
            features
                .zip(0..)
                .map(|(feature, index)| feature_line(index, &feature)),
        )
        .chain(std::iter::once(CLOSING.to_owned()))
}

/// A site as a feature: where it is (its point, else its outline, else nothing) and what it is,
/// with the work of the period: how many works, the latest, and the sum of each measure by its
/// key.
pub fn feature(site: &Site, work: Option<&SiteSummary>, names: &Names) -> String {
    let geometry = if let Some(location) = site.location {
        json!({"type": "Point", "coordinates": [location.point.lon(), location.point.lat()]})
    } else if let Some(outline) = &site.outline {
        let mut ring: Vec<[f64; 2]> = outline.iter().map(|p| [p.lon(), p.lat()]).collect();
        if let Some(first) = ring.first().copied() {
            ring.push(first);
        }
        json!({"type": "Polygon", "coordinates": [ring]})
    } else {
        Value::Null
    };
    let mut properties = Map::new();
    properties.insert("id".into(), site.id.to_string().into());
    properties.insert("name".into(), site.name.as_str().into());
    properties.insert("kind".into(), site.site_kind.key().into());
    properties.insert(
        "owner".into(),
        names.owners.get(&site.owner).cloned().into(),
    );
    properties.insert("owner_key".into(), site.owner.key().into());
    properties.insert("district".into(), site_district(site, names).into());
    properties.insert(
        "address".into(),
        site.address.as_ref().map(|a| a.as_str().to_owned()).into(),
    );
    properties.insert("works".into(), work.map_or(0, |w| w.in_period).into());
    properties.insert(
        "last_work".into(),
        work.and_then(|w| w.last)
            .map(|(date, _)| date.to_string())
            .into(),
    );
    properties.insert(
        "last_work_kind".into(),
        work.and_then(|w| w.last).map(|(_, kind)| kind.key()).into(),
    );
    // Every feature has every measure, so a GIS program sees one set of columns.
    for measure in Measure::all() {
        let total = work.and_then(|w| w.totals.get(&measure)).copied();
        properties.insert(measure.key().into(), total.unwrap_or(0).into());
    }
    json!({"type": "Feature", "geometry": geometry, "properties": properties}).to_string()
}
