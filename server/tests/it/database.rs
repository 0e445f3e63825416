//! The database a test server keeps its data in: the SQLite file under its data directory, or,
//! when `DVOR_TEST_POSTGRES` names a PostgreSQL server (as `cargo xtask test` does on its
//! second pass, with a throwaway cluster), a database of its own there, named after the data
//! directory so that a server restarted on the directory finds its data again. Likewise its
//! photos: under the data directory, or, when `DVOR_TEST_S3` names an S3 endpoint (the second
//! pass runs one), in its own folder of the bucket `dvor-test` there.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use dvor_server::config::Config;
use dvor_server::db::Db;
use sqlx::{Any, Pool};

/// The PostgreSQL server the tests run against, if any: a URL whose database may create
/// others.
pub fn postgres() -> Option<String> {
    std::env::var("DVOR_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// The configuration of a server keeping its data in `data_dir`, its PostgreSQL database
/// created if the tests run against one and it is not there yet.
pub async fn config(data_dir: PathBuf) -> Config {
    let mut config = Config::in_dir(data_dir);
    config.database_url = database_url(&config.data_dir).await;
    if let Some(endpoint) = s3() {
        config.s3_bucket = Some(S3_BUCKET.to_owned());
        config.s3_endpoint = Some(endpoint);
        config.s3_prefix = name(&config.data_dir);
    }
    config
}

/// The bucket of the tests' S3 endpoint.
pub const S3_BUCKET: &str = "dvor-test";

/// The S3 endpoint the tests keep photos at, if any.
pub fn s3() -> Option<String> {
    std::env::var("DVOR_TEST_S3")
        .ok()
        .filter(|url| !url.is_empty())
}

/// A name of the tests' own for what belongs to a server on `data_dir`.
fn name(data_dir: &Path) -> String {
    let mut hasher = DefaultHasher::new();
    data_dir.hash(&mut hasher);
    format!("test_{:016x}", hasher.finish())
}

/// The `DVOR_DATABASE_URL` a server process on `data_dir` is given, if any.
pub async fn database_url(data_dir: &Path) -> Option<String> {
    let admin = postgres()?;
    let name = name(data_dir);
    let server = connect_url(&admin).await;
    let exists = sqlx::query("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&server)
        .await
        .expect("databases listed")
        .is_some();
    if !exists {
        // The name is hex digits after a fixed prefix: nothing in it needs quoting.
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&server)
            .await
            .expect("test database created");
    }
    server.close().await;
    let mut url = url::Url::parse(&admin).expect("a PostgreSQL URL");
    url.set_path(&name);
    Some(url.to_string())
}

/// The database of a server on `data_dir`, opened as the server opens it.
pub async fn open(data_dir: PathBuf) -> Db {
    Db::open(&config(data_dir).await.database())
        .await
        .expect("the test database opened")
}

/// A connection pool on the database of `config`, for a test that looks at or changes the
/// stored data behind the server's back.
pub async fn connect(config: &Config) -> Pool<Any> {
    connect_url(&config.database().url()).await
}

async fn connect_url(url: &str) -> Pool<Any> {
    sqlx::any::install_default_drivers();
    sqlx::pool::PoolOptions::<Any>::new()
        .max_connections(2)
        .connect(url)
        .await
        .expect("test database opened")
}

/// `dvor-server --data-dir DATA_DIR`, given the database of a server on `data_dir`.
pub async fn server_command(data_dir: &Path) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_dvor-server"));
    command.arg("--data-dir").arg(data_dir);
    let config = config(data_dir.to_path_buf()).await;
    match config.database_url {
        Some(url) => command.env("DVOR_DATABASE_URL", url),
        None => command.env_remove("DVOR_DATABASE_URL"),
    };
    match (config.s3_bucket, config.s3_endpoint) {
        (Some(bucket), Some(endpoint)) => command
            .env("DVOR_S3_BUCKET", bucket)
            .env("DVOR_S3_ENDPOINT", endpoint)
            .env("DVOR_S3_PREFIX", config.s3_prefix),
        _ => command.env_remove("DVOR_S3_BUCKET"),
    };
    command
}
