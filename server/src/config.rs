//! Command-line flags and environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use dvor_core::inventory::loan::DEFAULT_KEEP_DAYS;

/// How long the audit log keeps an entry by default: three years, as long as the records of
/// a city's acts are commonly kept.
const AUDIT_KEEP_DAYS: u32 = 3 * 365;
use dvor_core::map::tiles::TileTemplate;
use ipnet::IpNet;

use crate::auth::hasher::HasherSize;
use crate::blobs::{BlobError, BlobStore, DiskBlobs, S3Blobs, S3Config};
use crate::db::Location;
use crate::forwarded::TrustedProxies;
use crate::listen::Timeouts;
use crate::tls::TlsFiles;

/// Serve the Двор API and the built web app, or run an admin command.
#[derive(Debug, Clone, Parser)]
#[command(name = "dvor-server", version, about)]
pub struct Cli {
    /// A TOML file of settings, each named as its flag without the dashes
    /// (`data-dir = "/var/lib/dvor"`); flags and environment variables override it.
    #[arg(long = "config", env = "DVOR_CONFIG")]
    pub config_file: Option<PathBuf>,
    /// Where and what to serve; the data directory also for commands.
    #[command(flatten)]
    pub config: Config,
    /// An admin command instead of serving.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Admin commands.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Add the districts, committees and centres of a JSON file (see `server/reference/`) to
    /// the database; what is there already is kept, so a file may be imported again.
    ImportReference {
        /// The file.
        file: PathBuf,
    },
    /// Create an administrator of the whole city: the first account on a new server. The
    /// password is asked for (twice), or read from DVOR_ADMIN_PASSWORD for scripted installs.
    CreateAdmin {
        /// Their phone number or e-mail address.
        #[arg(long, env = "DVOR_ADMIN_LOGIN")]
        login: String,
        /// Their name.
        #[arg(long, env = "DVOR_ADMIN_NAME")]
        name: String,
    },
    /// Prepare a new server, and do nothing on one already prepared: load the bundled
    /// reference data of Kemerovo when there are no districts, and create the first
    /// administrator when there is nobody — from DVOR_ADMIN_LOGIN, DVOR_ADMIN_NAME and
    /// DVOR_ADMIN_PASSWORD (at least 10 characters, not the login), or asked for on the
    /// terminal. Every input is checked before anything is written. `cargo xtask run` runs it
    /// first.
    Setup,
    /// Copy the city from its SQLite file under the data directory into an empty PostgreSQL
    /// database (made with `createdb`), all in one transaction, then check the copy: each
    /// table's rows counted, each record compared column by column. The SQLite file is left as
    /// it is; serve from the copy with --database-url.
    Migrate {
        /// The PostgreSQL database to copy into: `postgres://user:password@host/database`.
        #[arg(long, value_parser = parse_database_url)]
        to: String,
    },
    /// Copy the city — its SQLite file as it is at one moment, and its photos — into a new or
    /// empty directory, while the server runs or not; a manifest beside them fingerprints
    /// every table. PostgreSQL and a bucket are backed up by their own tools.
    Backup {
        /// The directory to copy into.
        #[arg(long)]
        to: PathBuf,
    },
    /// Put a copy made by `backup` (or by --backup-every) into the data directory, which must
    /// hold no database and no photos yet; the copy is checked against its manifest first.
    Restore {
        /// The copy's directory.
        #[arg(long)]
        from: PathBuf,
    },
}

/// Where the server listens and keeps its data.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "DVOR_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Directory for the SQLite database and other data; created if missing.
    #[arg(long, env = "DVOR_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// A PostgreSQL database to keep the data in instead of the SQLite file under the data
    /// directory (`postgres://user:password@host/database`); several server processes may
    /// share it. Photos stay under the data directory.
    #[arg(long, env = "DVOR_DATABASE_URL", value_parser = parse_database_url)]
    pub database_url: Option<String>,

    /// An S3-compatible bucket to keep photos in instead of the data directory, so that
    /// several server processes share them. Credentials come from AWS_ACCESS_KEY_ID and
    /// AWS_SECRET_ACCESS_KEY.
    #[arg(long, env = "DVOR_S3_BUCKET")]
    pub s3_bucket: Option<String>,

    /// The object store's URL, for one that is not Amazon's (e.g.
    /// https://storage.yandexcloud.net).
    #[arg(long, env = "DVOR_S3_ENDPOINT", requires = "s3_bucket")]
    pub s3_endpoint: Option<String>,

    /// The object store's region.
    #[arg(long, env = "DVOR_S3_REGION", default_value = "us-east-1")]
    pub s3_region: String,

    /// The folder of the bucket the photos go in.
    #[arg(long, env = "DVOR_S3_PREFIX", default_value = "photos")]
    pub s3_prefix: String,

    /// Directory of the built web app (Trunk's `dist`). Without it only the API is served.
    #[arg(long, env = "DVOR_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,

    /// Days after the full return of a loan at which the borrower's name and phone are erased.
    #[arg(long, env = "DVOR_BORROWER_KEEP_DAYS", default_value_t = DEFAULT_KEEP_DAYS)]
    pub borrower_keep_days: u32,

    /// Days the audit log keeps an entry; older ones are removed hourly.
    #[arg(long, env = "DVOR_AUDIT_KEEP_DAYS", default_value_t = AUDIT_KEEP_DAYS,
        value_parser = clap::value_parser!(u32).range(1..))]
    pub audit_keep_days: u32,

    /// An MBTiles file to serve the map's tiles from, at `/api/v1/tiles/{z}/{x}/{y}`: for a
    /// city with a map of its own, or a server without internet.
    #[arg(long, env = "DVOR_MBTILES")]
    pub mbtiles: Option<PathBuf>,

    /// Where devices fetch the map's tiles: a URL with `{z}`, `{x}` and `{y}`. By default the
    /// MBTiles file's when one is given, otherwise OpenStreetMap's.
    #[arg(long, env = "DVOR_TILE_URL", value_parser = parse_template)]
    pub tile_url: Option<TileTemplate>,

    /// The credit shown on the map for its tiles, as plain text. By default the MBTiles file's
    /// own or OpenStreetMap's.
    #[arg(long, env = "DVOR_TILE_ATTRIBUTION")]
    pub tile_attribution: Option<String>,

    /// Passwords checked at once, each holding 19 MiB while it is checked. By default one per
    /// core, at most four.
    #[arg(long, env = "DVOR_HASH_WORKERS")]
    pub hash_workers: Option<usize>,

    /// Seconds a client may take to send a request's line and headers before the connection
    /// is closed.
    #[arg(long, env = "DVOR_HEADER_TIMEOUT", default_value_t = Timeouts::default().header.as_secs())]
    pub header_timeout_secs: u64,

    /// Seconds the server keeps answering after it is told to stop, its health saying
    /// `draining` (503), so a load balancer stops sending it requests before it goes.
    #[arg(long, env = "DVOR_DRAIN_SECS", default_value_t = 0)]
    pub drain_secs: u64,

    /// How often the running server copies the city into --backup-dir (`6h`, `1day`); never
    /// by default. The SQLite file and photos on disk only.
    #[arg(long, env = "DVOR_BACKUP_EVERY", value_parser = parse_period)]
    pub backup_every: Option<Duration>,

    /// How many of the scheduled copies to keep; an older one goes when a newer is complete.
    #[arg(long, env = "DVOR_BACKUP_KEEP", default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..))]
    pub backup_keep: u32,

    /// Where the scheduled copies go; `backups` under the data directory by default.
    #[arg(long, env = "DVOR_BACKUP_DIR")]
    pub backup_dir: Option<PathBuf>,

    /// Seconds a request's body may stop arriving before the request is answered 408.
    #[arg(long, env = "DVOR_BODY_TIMEOUT", default_value_t = Timeouts::default().body_idle.as_secs())]
    pub body_timeout_secs: u64,

    /// Serve HTTPS (HTTP/2 and HTTP/1.1) with this certificate, PEM, followed by its chain
    /// (Let's Encrypt's fullchain.pem). Read again when it changes, so a renewal needs no
    /// restart.
    #[arg(long, env = "DVOR_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// The certificate's private key, PEM (privkey.pem).
    #[arg(long, env = "DVOR_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// Seconds between looks at the certificate's files for a renewed one.
    #[arg(long, env = "DVOR_TLS_CHECK_SECS", default_value_t = 60)]
    pub tls_check_secs: u64,

    /// Also listen for plain HTTP here (e.g. 0.0.0.0:80) and send every request to the same
    /// address over HTTPS.
    #[arg(long, env = "DVOR_REDIRECT_HTTP_FROM", requires = "tls_cert")]
    pub redirect_http_from: Option<SocketAddr>,

    /// Reverse proxies in front of the server, comma-separated addresses or networks
    /// (10.0.0.5,10.1.0.0/24): only from them is X-Forwarded-For believed to name the client,
    /// whom the sign-in brake then counts.
    #[arg(long, env = "DVOR_TRUSTED_PROXIES", value_delimiter = ',', value_parser = crate::forwarded::parse_network)]
    pub trusted_proxies: Vec<IpNet>,

    /// Serve Prometheus metrics at /metrics on this address (e.g. 127.0.0.1:9100), apart from
    /// the app, so only the city's monitoring reaches them.
    #[arg(long, env = "DVOR_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,

    /// How the log is written: `text`, for a person, or `json`, one object per line, for a log
    /// collector. Each request is a line with its id (`X-Request-Id`); RUST_LOG filters.
    #[arg(long, env = "DVOR_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// How the log is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Lines for a person, coloured at a terminal.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// A period of a recurring job: a `humantime` duration, never zero.
fn parse_period(text: &str) -> Result<Duration, String> {
    match humantime::parse_duration(text) {
        Ok(period) if period.is_zero() => {
            Err("a period longer than zero, e.g. 6h or 1day".to_owned())
        }
        Ok(period) => Ok(period),
        Err(error) => Err(format!("{error}; e.g. 6h or 1day")),
    }
}

fn parse_database_url(text: &str) -> Result<String, String> {
    if text.starts_with("postgres://") || text.starts_with("postgresql://") {
        Ok(text.to_owned())
    } else {
        Err(
            "a PostgreSQL URL begins with postgres:// (without one the server keeps an SQLite \
             file under --data-dir)"
                .to_owned(),
        )
    }
}

fn parse_template(text: &str) -> Result<TileTemplate, String> {
    TileTemplate::parse(text).map_err(|e| e.to_string())
}

impl Config {
    /// The defaults the flags have, on any free port, keeping data in `data_dir`: for tests
    /// and tools that start a server of their own.
    pub fn in_dir(data_dir: PathBuf) -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir,
            database_url: None,
            s3_bucket: None,
            s3_endpoint: None,
            s3_region: "us-east-1".to_owned(),
            s3_prefix: "photos".to_owned(),
            static_dir: None,
            borrower_keep_days: DEFAULT_KEEP_DAYS,
            audit_keep_days: AUDIT_KEEP_DAYS,
            mbtiles: None,
            tile_url: None,
            tile_attribution: None,
            hash_workers: None,
            drain_secs: 0,
            backup_every: None,
            backup_keep: 7,
            backup_dir: None,
            header_timeout_secs: Timeouts::default().header.as_secs(),
            body_timeout_secs: Timeouts::default().body_idle.as_secs(),
            tls_cert: None,
            tls_key: None,
            tls_check_secs: 60,
            redirect_http_from: None,
            trusted_proxies: Vec::new(),
            log_format: LogFormat::Text,
            metrics_addr: None,
        }
    }

    /// The time limits on clients.
    pub fn timeouts(&self) -> Timeouts {
        Timeouts {
            header: Duration::from_secs(self.header_timeout_secs.max(1)),
            body_idle: Duration::from_secs(self.body_timeout_secs.max(1)),
        }
    }

    /// The certificate's files, when the server serves HTTPS.
    pub fn tls_files(&self) -> Option<TlsFiles> {
        Some(TlsFiles {
            cert: self.tls_cert.clone()?,
            key: self.tls_key.clone()?,
        })
    }

    /// How often the certificate's files are looked at.
    pub fn tls_check(&self) -> Duration {
        Duration::from_secs(self.tls_check_secs.max(1))
    }

    /// Whose forwarded addresses are believed.
    pub fn proxies(&self) -> TrustedProxies {
        TrustedProxies::new(self.trusted_proxies.clone())
    }

    /// How long the server drains before it stops.
    pub fn drain(&self) -> Duration {
        Duration::from_secs(self.drain_secs)
    }

    /// The password hasher's workers and queue.
    pub fn hasher_size(&self) -> HasherSize {
        self.hash_workers
            .map_or_else(HasherSize::default, HasherSize::with_workers)
    }

    /// The database: the one at `--database-url`, or else the SQLite file inside the data
    /// directory.
    pub fn database(&self) -> Location {
        match &self.database_url {
            Some(url) => Location::Postgres(url.clone()),
            None => Location::Sqlite(self.data_dir.join("dvor.sqlite3")),
        }
    }

    /// The photos' store: the bucket, when one is given, or else the data directory.
    pub fn blob_store(&self) -> Result<Arc<dyn BlobStore>, BlobError> {
        Ok(match self.s3() {
            Some(s3) => Arc::new(S3Blobs::new(&s3)?),
            None => Arc::new(DiskBlobs::new(self.blobs_dir())),
        })
    }

    /// The bucket photos are kept in, if one is given.
    pub fn s3(&self) -> Option<S3Config> {
        Some(S3Config {
            bucket: self.s3_bucket.clone()?,
            endpoint: self.s3_endpoint.clone(),
            region: self.s3_region.clone(),
            prefix: self.s3_prefix.clone(),
        })
    }

    /// Where photos are kept without a bucket.
    pub fn blobs_dir(&self) -> PathBuf {
        self.data_dir.join("blobs")
    }

    /// The scheduled backups, if asked for.
    pub fn backup_schedule(&self) -> Option<crate::backup::schedule::Schedule> {
        Some(crate::backup::schedule::Schedule {
            every: self.backup_every?,
            keep: usize::try_from(self.backup_keep).unwrap_or(usize::MAX),
            dir: self
                .backup_dir
                .clone()
                .unwrap_or_else(|| self.data_dir.join("backups")),
        })
    }
}
