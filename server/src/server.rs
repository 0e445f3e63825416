//! Assembling the application and running it.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use dvor_core::audit::AuditAct;
use dvor_core::protocol::{API_VERSION, MAX_BODY_BYTES};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::auth::AuthError;
use crate::blobs::BlobError;
use crate::config::Config;
use crate::db::audit::Noted;
use crate::db::mbtiles::MbTiles;
use crate::db::{Db, DbError};
use crate::listen::{Listening, Transport};
use crate::metrics::Job;
use crate::request_log::{RequestIds, RequestLog};
use crate::state::AppState;
use crate::static_files;
use crate::tls::Tls;

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The data directory could not be created.
    #[error("cannot create data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: String,
        /// Why.
        source: io::Error,
    },
    /// The database could not be opened.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The password hasher could not start.
    #[error("cannot start the password hasher: {0}")]
    Hasher(#[from] AuthError),
    /// The photos' store could not be set up.
    #[error("cannot use the photo store: {0}")]
    Blobs(#[from] BlobError),
    /// The MBTiles file could not be read.
    #[error("cannot read the map tiles: {0}")]
    Tiles(DbError),
    /// The certificate could not be used.
    #[error("cannot serve HTTPS: {0}")]
    Tls(#[from] crate::tls::TlsError),
    /// Scheduled backups were asked of a city they cannot copy.
    #[error("cannot take scheduled backups: {0}")]
    Backup(#[from] crate::backup::BackupError),
    /// The address could not be bound or the server failed.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address.
        addr: String,
        /// Why.
        source: io::Error,
    },
}

/// The whole application: the API under `/api/v1` and, when given, the built web app.
pub fn router(state: AppState, static_dir: Option<&Path>) -> Router {
    let api =
        crate::api::router(state.timeouts.body_idle).layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
    let app = Router::new()
        .nest(&format!("/api/v{API_VERSION}"), api)
        .route_layer(axum::middleware::from_fn(crate::request_log::name_route));
    let app = match static_dir {
        Some(dir) => app.merge(static_files::router(dir)),
        None => app,
    };
    let tile_origin = state.map.tiles.origin().map(str::to_owned);
    let log = Arc::new(RequestLog {
        ids: RequestIds::new(),
        metrics: state.metrics.clone(),
    });
    crate::security_headers::apply(app, static_dir, tile_origin.as_deref())
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(
            log,
            crate::request_log::log,
        ))
}

/// Opens the configured database, creating the data directory (and an SQLite file in it) if
/// needed.
pub async fn open_database(config: &Config) -> Result<Db, ServeError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|source| ServeError::DataDir {
        path: config.data_dir.display().to_string(),
        source,
    })?;
    Ok(Db::open(&config.database()).await?)
}

/// Binds the configured address and serves on it: [`serve_on`].
pub async fn serve(
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let listener = bind(config.addr).await?;
    serve_on(listener, config, shutdown).await
}

async fn bind(addr: SocketAddr) -> Result<TcpListener, ServeError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Listen {
            addr: addr.to_string(),
            source,
        })
}

/// Opens the database and serves on `listener` (bound already, so whoever bound it knows the
/// address with no race for the port) until `shutdown` resolves; then finishes in-flight
/// requests and closes the database.
pub async fn serve_on(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let backups = config.backup_schedule();
    if backups.is_some() {
        crate::backup::supported(&config)?;
    }
    let db = open_database(&config).await?;
    let mbtiles = match &config.mbtiles {
        Some(path) => Some(MbTiles::open(path).await.map_err(ServeError::Tiles)?),
        None => None,
    };
    let map_settings = crate::map::settings(&config, mbtiles.as_ref());
    if let Some(path) = &config.mbtiles {
        tracing::info!(tiles = %map_settings.tiles.as_str(), "serving map tiles from {}", path.display());
    }
    let listen_error = |source| ServeError::Listen {
        addr: config.addr.to_string(),
        source,
    };
    let addr = listener.local_addr().map_err(listen_error)?;
    let tls = config.tls_files().map(Tls::load).transpose()?;
    let redirect = match config.redirect_http_from {
        Some(from) => Some(
            beside(
                from,
                crate::redirect::router(addr.port()),
                &config,
                |from| {
                    tracing::info!("redirecting http://{from} to HTTPS");
                },
            )
            .await?,
        ),
        None => None,
    };
    match &config.static_dir {
        Some(dir) => tracing::info!("serving the web app from {}", dir.display()),
        None => tracing::warn!("no --static-dir given: serving the API only"),
    }
    let blobs = config.blob_store()?;
    let state = AppState {
        timeouts: config.timeouts(),
        ..AppState::new(db.clone(), blobs, config.hasher_size())?.with_map(map_settings, mbtiles)
    };
    let metrics = match config.metrics_addr {
        Some(at) => {
            let metrics = crate::metrics::router(state.metrics.clone(), db.clone());
            Some(
                beside(at, metrics, &config, |at| {
                    tracing::info!("metrics on http://{at}/metrics");
                })
                .await?,
            )
        }
        None => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    tracing::info!(database = %config.database(), "listening on {scheme}://{addr}");
    // Once before serving, so nobody is served a borrower already due for erasure, then hourly.
    erase_borrowers(&state, config.borrower_keep_days).await;
    let hourly = tokio::spawn(hourly(
        state.clone(),
        config.borrower_keep_days,
        config.audit_keep_days,
    ));
    let backing_up = backups.map(|schedule| {
        tracing::info!(
            every = %humantime::format_duration(schedule.every),
            keep = schedule.keep,
            "backups into {}",
            schedule.dir.display()
        );
        tokio::spawn(crate::backup::schedule::run(
            db.clone(),
            config.blobs_dir(),
            schedule,
            state.metrics.clone(),
        ))
    });
    let draining = state.draining.clone();
    let drain = config.drain();
    let app = router(state, config.static_dir.as_deref());
    let (app, transport, watching) = match tls {
        Some(tls) => (
            crate::security_headers::strict_transport(app),
            Transport::Tls(tls.clone()),
            Some(tokio::spawn(tls.watch(config.tls_check()))),
        ),
        None => (app, Transport::Plain, None),
    };
    let listening = Listening {
        transport,
        proxies: config.proxies(),
    };
    let shutdown = async move {
        shutdown.await;
        draining.begin();
        if !drain.is_zero() {
            tracing::info!(
                seconds = drain.as_secs(),
                "draining: health says so before the server stops"
            );
            tokio::time::sleep(drain).await;
        }
    };
    let served =
        crate::listen::serve(listener, app, config.timeouts().header, listening, shutdown).await;
    let background = [
        Some(hourly.abort_handle()),
        redirect.map(|task| task.abort_handle()),
        metrics.map(|task| task.abort_handle()),
        watching.map(|task| task.abort_handle()),
        backing_up.map(|task| task.abort_handle()),
    ];
    for task in background.into_iter().flatten() {
        task.abort();
    }
    served.map_err(listen_error)?;
    db.close().await;
    Ok(())
}

/// Binds `at` and serves `app` there over plain HTTP beside the app's listener, until the task
/// is aborted; `announce` logs where it listens.
async fn beside(
    at: SocketAddr,
    app: Router,
    config: &Config,
    announce: impl FnOnce(SocketAddr),
) -> Result<JoinHandle<io::Result<()>>, ServeError> {
    let listener = bind(at).await?;
    let bound = listener.local_addr().map_err(|source| ServeError::Listen {
        addr: at.to_string(),
        source,
    })?;
    announce(bound);
    Ok(tokio::spawn(crate::listen::serve(
        listener,
        app,
        config.timeouts().header,
        Listening::default(),
        std::future::pending(),
    )))
}

/// Runs the borrowers' erasure; a failure is logged and tried again at the next hour.
async fn erase_borrowers(state: &AppState, keep_days: u32) {
    let now = chrono::Utc::now();
    let result = state.db.erase_borrowers(now, keep_days).await;
    if let Ok(loans @ 1..) = result {
        state
            .note(Noted {
                actor: None,
                address: None,
                place: None,
                act: AuditAct::BorrowersErased {
                    loans: u64::try_from(loans).unwrap_or(u64::MAX),
                },
            })
            .await;
    }
    ran(state, Job::EraseBorrowers, &result, now);
}

/// The hourly work: the borrowers' erasure, forgetting the sign-in attempts that no longer
/// count and the audit entries past `audit_keep_days`. Every process on a database runs it;
/// they take turns at the write lock, and one finds nothing left that another did.
async fn hourly(state: AppState, keep_days: u32, audit_keep_days: u32) {
    let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
    hourly.tick().await;
    loop {
        hourly.tick().await;
        erase_borrowers(&state, keep_days).await;
        let now = chrono::Utc::now();
        let swept = state.throttle.sweep(now.timestamp_millis()).await;
        ran(&state, Job::ForgetAttempts, &swept, now);
        let kept_from = now - chrono::Duration::days(i64::from(audit_keep_days));
        let pruned = state.db.prune_audit(kept_from.timestamp_millis()).await;
        ran(&state, Job::PruneAudit, &pruned, now);
    }
}

/// Counts a run of `job` begun at `now` in the metrics; a failure is logged, and the next hour
/// tries again.
fn ran<T, E: std::fmt::Display>(
    state: &AppState,
    job: Job,
    result: &Result<T, E>,
    now: chrono::DateTime<chrono::Utc>,
) {
    if let Err(error) = result {
        tracing::error!(%error, job = ?job, "a background job failed");
    }
    state.metrics.job_ran(job, result.is_ok(), now.timestamp());
}
