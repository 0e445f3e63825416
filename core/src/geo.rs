//! Points on the Earth as a phone's GPS or a map gives them, and the box Kemerovo lies in.
//!
//! Coordinates are whole microdegrees (about 11 cm of latitude), so a point is exact, compares
//! and hashes like any value, and round-trips through JSON without a float's last digits.

use serde::{Deserialize, Serialize};

use crate::error::{ErrorCode, Field, FieldError};

/// One millionth of a degree.
pub const MICRO: f64 = 1_000_000.0;

/// The least and greatest latitude and longitude of the city, in microdegrees: a point outside
/// is more likely a GPS fix gone wrong than a site of Kemerovo's committees, so saving it needs
/// the person's confirmation.
pub const CITY_BOUNDS: Bounds = Bounds {
    south: 55_250_000,
    north: 55_500_000,
    west: 85_900_000,
    east: 86_300_000,
};

/// The worst GPS accuracy recorded, in metres; a fix worse than that is no location.
pub const MAX_ACCURACY_M: u32 = 10_000;

/// A box of latitudes and longitudes, in microdegrees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// The least latitude.
    pub south: i32,
    /// The greatest latitude.
    pub north: i32,
    /// The least longitude.
    pub west: i32,
    /// The greatest longitude.
    pub east: i32,
}

impl Bounds {
    /// Whether `point` lies in the box (edges included).
    pub fn contains(&self, point: Point) -> bool {
        (self.south..=self.north).contains(&point.lat_e6)
            && (self.west..=self.east).contains(&point.lon_e6)
    }
}

/// A point, in microdegrees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    /// Latitude, −90° to 90°.
    pub lat_e6: i32,
    /// Longitude, −180° to 180°.
    pub lon_e6: i32,
}

impl Point {
    /// The point at `lat`, `lon` degrees, rounded to microdegrees; `None` off the globe or for
    /// a value that is not a number.
    pub fn from_degrees(lat: f64, lon: f64) -> Option<Point> {
        let micro = |degrees: f64, limit: f64| {
            (degrees.is_finite() && degrees.abs() <= limit)
                .then(|| (degrees * MICRO).round() as i32)
        };
        Some(Point {
            lat_e6: micro(lat, 90.0)?,
            lon_e6: micro(lon, 180.0)?,
        })
    }

    /// Latitude in degrees.
    pub fn lat(self) -> f64 {
        f64::from(self.lat_e6) / MICRO
    }

    /// Longitude in degrees.
    pub fn lon(self) -> f64 {
        f64::from(self.lon_e6) / MICRO
    }

    /// Whether the point is a place on the globe.
    pub fn is_valid(self) -> bool {
        self.lat_e6.abs() <= 90_000_000 && self.lon_e6.abs() <= 180_000_000
    }
}

/// The most corners an outline has.
pub const MAX_OUTLINE_POINTS: usize = 500;

/// The outline of a place, a closed ring of corners (the last joined to the first), as a map
/// draws it: 3 to [`MAX_OUTLINE_POINTS`] points on the globe.
pub fn validate_outline(points: &[Point]) -> Result<Vec<Point>, FieldError> {
    if points.len() < 3 {
        return Err(FieldError::with_limit(
            Field::Outline,
            ErrorCode::TooSmall,
            3,
        ));
    }
    if points.len() > MAX_OUTLINE_POINTS {
        return Err(FieldError::with_limit(
            Field::Outline,
            ErrorCode::TooLarge,
            MAX_OUTLINE_POINTS as i64,
        ));
    }
    if !points.iter().all(|p| p.is_valid()) {
        return Err(FieldError::new(Field::Outline, ErrorCode::InvalidLocation));
    }
    Ok(points.to_vec())
}

/// Where a site is: a point, how exactly it is known, and whether the person confirmed a point
/// outside the city.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// The point.
    #[serde(flatten)]
    pub point: Point,
    /// The GPS's accuracy radius in metres, when the point came from GPS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy_m: Option<u32>,
    /// The person confirmed that the point, outside [`CITY_BOUNDS`], is right.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub outside_city: bool,
}

impl Location {
    /// Checks the location: a point on the globe, a plausible accuracy, and a point outside
    /// the city only when confirmed. A confirmation of a point inside the city is dropped.
    pub fn validate(self) -> Result<Location, FieldError> {
        if !self.point.is_valid() {
            return Err(FieldError::new(Field::Location, ErrorCode::InvalidLocation));
        }
        if self.accuracy_m.is_some_and(|a| a > MAX_ACCURACY_M) {
            return Err(FieldError::with_limit(
                Field::Location,
                ErrorCode::TooLarge,
                i64::from(MAX_ACCURACY_M),
            ));
        }
        let inside = CITY_BOUNDS.contains(self.point);
        if !inside && !self.outside_city {
            return Err(FieldError::new(Field::Location, ErrorCode::OutsideCity));
        }
        Ok(Location {
            outside_city: !inside,
            ..self
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LENIN_SQUARE: Point = Point {
        lat_e6: 55_354_700,
        lon_e6: 86_087_200,
    };

    fn at(point: Point, outside_city: bool) -> Location {
        Location {
            point,
            accuracy_m: Some(12),
            outside_city,
        }
    }

    #[test]
    fn a_point_in_the_city_needs_no_confirmation() {
        assert_eq!(
            at(LENIN_SQUARE, false).validate(),
            Ok(at(LENIN_SQUARE, false))
        );
        assert_eq!(
            at(LENIN_SQUARE, true).validate(),
            Ok(at(LENIN_SQUARE, false)),
            "a needless confirmation is dropped"
        );
    }

    #[test]
    fn a_point_outside_the_city_needs_the_persons_confirmation() {
        let novosibirsk = Point::from_degrees(55.0084, 82.9357).expect("on the globe");
        assert_eq!(
            at(novosibirsk, false).validate(),
            Err(FieldError::new(Field::Location, ErrorCode::OutsideCity))
        );
        assert_eq!(at(novosibirsk, true).validate(), Ok(at(novosibirsk, true)));
    }

    #[test]
    fn the_city_box_includes_its_edges_and_nothing_beyond() {
        let corner = Point {
            lat_e6: CITY_BOUNDS.north,
            lon_e6: CITY_BOUNDS.east,
        };
        assert!(CITY_BOUNDS.contains(corner));
        let beyond = Point {
            lat_e6: CITY_BOUNDS.north + 1,
            ..corner
        };
        assert!(!CITY_BOUNDS.contains(beyond));
    }

    #[test]
    fn points_off_the_globe_and_wild_accuracy_are_refused() {
        assert_eq!(Point::from_degrees(91.0, 0.0), None);
        assert_eq!(Point::from_degrees(f64::NAN, 0.0), None);
        let off = Point {
            lat_e6: 95_000_000,
            lon_e6: 0,
        };
        assert_eq!(
            at(off, true).validate().map_err(|e| e.code),
            Err(ErrorCode::InvalidLocation)
        );
        let vague = Location {
            accuracy_m: Some(MAX_ACCURACY_M + 1),
            ..at(LENIN_SQUARE, false)
        };
        assert_eq!(
            vague.validate().map_err(|e| e.code),
            Err(ErrorCode::TooLarge)
        );
    }

    #[test]
    fn the_wire_form_is_whole_microdegrees() {
        let json = serde_json::to_value(at(LENIN_SQUARE, false)).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"lat_e6": 55_354_700, "lon_e6": 86_087_200, "accuracy_m": 12})
        );
    }

    #[test]
    fn an_outline_has_three_to_five_hundred_corners_on_the_globe() {
        let ring = vec![LENIN_SQUARE; 3];
        assert_eq!(validate_outline(&ring), Ok(ring));
        let codes = |points: &[Point]| validate_outline(points).map_err(|e| e.code);
        assert_eq!(codes(&[LENIN_SQUARE; 2]), Err(ErrorCode::TooSmall));
        assert_eq!(codes(&vec![LENIN_SQUARE; 501]), Err(ErrorCode::TooLarge));
        let off = Point {
            lat_e6: 91_000_000,
            lon_e6: 0,
        };
        assert_eq!(
            codes(&[LENIN_SQUARE, LENIN_SQUARE, off]),
            Err(ErrorCode::InvalidLocation)
        );
    }

    proptest! {
        #[test]
        fn degrees_round_trip_to_the_microdegree(lat in -90.0f64..=90.0, lon in -180.0f64..=180.0) {
            let point = Point::from_degrees(lat, lon).expect("on the globe");
            prop_assert!((point.lat() - lat).abs() <= 0.5 / MICRO);
            prop_assert!((point.lon() - lon).abs() <= 0.5 / MICRO);
            prop_assert_eq!(Point::from_degrees(point.lat(), point.lon()), Some(point));
        }
    }
}
