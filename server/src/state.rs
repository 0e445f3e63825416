//! What every handler may reach: the database, the photos, the password hasher and the brake,
//! the map's settings and tiles, and the timeouts.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use dvor_core::map::settings::MapSettings;

use crate::auth::AuthError;
use crate::auth::hasher::{Hasher, HasherSize};
use crate::auth::throttle::{Rules, Throttle};
use crate::blobs::BlobStore;
use crate::db::Db;
use crate::db::audit::Noted;
use crate::db::mbtiles::MbTiles;
use crate::listen::Timeouts;
use crate::metrics::Metrics;

/// What every handler may reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Photos.
    pub blobs: Arc<dyn BlobStore>,
    /// Checks and makes password hashes, a bounded number at a time.
    pub hasher: Hasher,
    /// Failed attempts at passwords and codes, counted to slow guessing down.
    pub throttle: Throttle,
    /// What devices are told about the map.
    pub map: Arc<MapSettings>,
    /// The MBTiles file tiles are served from, if one is configured.
    pub tiles: Option<MbTiles>,
    /// How long clients may keep the server waiting.
    pub timeouts: Timeouts,
    /// Whether the process was told to stop.
    pub draining: Draining,
    /// What the process counts for Prometheus.
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// Notes an administrative act in the audit log. The act is done by now, so a failure to
    /// note it is logged rather than answered.
    pub async fn note(&self, noted: Noted) {
        let now = chrono::Utc::now().timestamp_millis();
        if let Err(error) = self.db.note(&noted, now).await {
            tracing::error!(%error, act = %noted.act.kind(), "noting an act in the audit log failed");
        }
    }
}

/// Whether the process was told to stop and is finishing what it has: shared by the shutdown
/// and the health answer.
#[derive(Clone, Debug, Default)]
pub struct Draining(Arc<AtomicBool>);

impl Draining {
    /// From now on the process says it is draining.
    pub fn begin(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether it was told to stop.
    pub fn is_draining(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

impl AppState {
    /// The state over `db` and `blobs`, with nothing counted yet and the hasher's workers
    /// started.
    pub fn new(db: Db, blobs: Arc<dyn BlobStore>, hasher: HasherSize) -> Result<Self, AuthError> {
        Ok(Self {
            throttle: Throttle::new(db.clone(), Rules::default())?,
            db,
            blobs,
            hasher: Hasher::start(hasher)?,
            map: Arc::new(MapSettings::default()),
            tiles: None,
            timeouts: Timeouts::default(),
            draining: Draining::default(),
            metrics: Arc::new(Metrics::new()),
        })
    }

    /// The state with the map `settings` and the tiles of `mbtiles`.
    pub fn with_map(self, settings: MapSettings, mbtiles: Option<MbTiles>) -> Self {
        Self {
            map: Arc::new(settings),
            tiles: mbtiles,
            ..self
        }
    }
}
