//! Admin commands run from the command line instead of serving.

use std::path::{Path, PathBuf};

use chrono::Utc;
use dvor_core::access::{Grant, Role, Scope};
use dvor_core::account::UserId;
use dvor_core::error::ErrorCode;
use dvor_core::i18n::{Lang, strings};
use dvor_core::login::{Login, check_password};
use dvor_core::reference::{Reference, ReferenceError};
use dvor_core::text::BoundedText;

use crate::auth::{AuthError, password};
use crate::backup::{BackupError, Manifest};
use crate::blobs::{BlobError, DiskBlobs, copy_checked};
use crate::config::Config;
use crate::db::accounts::NewUser;
use crate::db::copy::{Copied, CopyError};
use crate::db::reference::Imported;
use crate::db::{Db, DbError, Location};
use crate::server::{ServeError, open_database};

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The input file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a valid reference file; nothing was imported.
    #[error("{path}: {source}; nothing was imported")]
    Reference {
        /// The file.
        path: String,
        /// What is wrong, and where.
        source: ReferenceError,
    },
    /// A login, name or password breaks the rules (the message is the one the app shows).
    #[error("{field}: {message}")]
    Invalid {
        /// Which input.
        field: &'static str,
        /// Why, in Russian.
        message: String,
    },
    /// The login belongs to someone already.
    #[error("the login {0} is taken")]
    LoginTaken(String),
    /// The password could not be read or hashed.
    #[error(transparent)]
    Secret(#[from] AuthError),
    /// The password could not be read from the terminal.
    #[error("cannot read the password: {0}")]
    Prompt(std::io::Error),
    /// The database could not be opened.
    #[error(transparent)]
    Open(#[from] ServeError),
    /// The database failed; nothing was imported.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The city could not be moved.
    #[error(transparent)]
    Copy(#[from] CopyError),
    /// A photo could not be read or written.
    #[error(transparent)]
    Photo(#[from] BlobError),
    /// A backup or a restore failed.
    #[error(transparent)]
    Backup(#[from] BackupError),
}

/// `dvor-server backup --to DIR`: the city of `config`'s data directory copied into `to`.
pub async fn backup(config: &Config, to: &Path) -> Result<Manifest, CommandError> {
    crate::backup::supported(config)?;
    let database = sqlite_file(config)?;
    if !database.is_file() {
        return Err(BackupError::NoCity(database.display().to_string()).into());
    }
    let db = open_database(config).await?;
    let taken = crate::backup::take(&db, &config.blobs_dir(), to).await;
    db.close().await;
    Ok(taken?)
}

/// `dvor-server restore --from DIR`: the copy in `from` put into `config`'s empty data
/// directory.
pub async fn restore(config: &Config, from: &Path) -> Result<Manifest, CommandError> {
    crate::backup::supported(config)?;
    let database = sqlite_file(config)?;
    let restored = crate::backup::restore(from, &database, &config.blobs_dir()).await?;
    // Opened once, so the copy is brought to this version's schema before anyone is served,
    // and given a new lineage: devices that synced after the copy was taken send again what
    // it lacks.
    let mut db = open_database(config).await?;
    let renewed = db.renew_lineage().await;
    db.close().await;
    renewed?;
    Ok(restored)
}

fn sqlite_file(config: &Config) -> Result<PathBuf, BackupError> {
    match config.database() {
        Location::Sqlite(path) => Ok(path),
        Location::Postgres(_) => Err(BackupError::Elsewhere),
    }
}

/// What `dvor-server migrate` moved.
#[derive(Debug)]
pub struct Moved {
    /// The database's rows.
    pub copied: Copied,
    /// Photos copied from the data directory to the bucket, each read back and checked; none
    /// without a bucket, since the photos then stay where they are.
    pub photos: u64,
}

/// `dvor-server migrate --to URL`: the city of `config`'s SQLite file copied into the empty
/// PostgreSQL database at `to`, and checked; with a bucket configured, its photos copied from
/// the data directory into the bucket too.
pub async fn migrate(config: &Config, to: &str) -> Result<Moved, CommandError> {
    let source = open_database(config).await?;
    let target = Db::open(&Location::Postgres(to.to_owned())).await;
    let copied = match target {
        Ok(target) => {
            let copied = source.copy_to(&target).await;
            target.close().await;
            copied
        }
        Err(error) => Err(error.into()),
    };
    source.close().await;
    let copied = copied?;
    let photos = match config.s3() {
        Some(_) => {
            copy_checked(&DiskBlobs::new(config.blobs_dir()), &*config.blob_store()?).await?
        }
        None => 0,
    };
    Ok(Moved { copied, photos })
}

/// `dvor-server import-reference FILE`.
pub async fn import_reference(config: &Config, file: &Path) -> Result<Imported, CommandError> {
    let path = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|source| CommandError::Read {
        path: path.clone(),
        source,
    })?;
    import(config, &text, path, false)
        .await
        .map(Option::unwrap_or_default)
}

/// The reference data a new server starts with: Kemerovo's districts and residential areas.
const BUNDLED_REFERENCE: &str = include_str!("../reference/kemerovo.json");

/// What `dvor-server setup` did.
#[derive(Debug, Default)]
pub struct Setup {
    /// The bundled reference data, if it was loaded (the city had no districts).
    pub imported: Option<Imported>,
    /// The first administrator, if one was given and made.
    pub admin: Option<UserId>,
}

/// Whether anyone has an account on the server (opening, and creating, its database).
pub async fn has_users(config: &Config) -> Result<bool, CommandError> {
    let db = open_database(config).await?;
    let has_users = db.has_users().await;
    db.close().await;
    Ok(has_users?)
}

/// `dvor-server setup` once its inputs are checked: loads the bundled reference data into a
/// city without districts, then makes `admin`, if given. Nothing is written before every
/// input has passed its checks (`NewAdmin::check`), so a refused password leaves the server
/// as it was.
pub async fn setup(config: &Config, admin: Option<NewAdmin>) -> Result<Setup, CommandError> {
    let imported = import(config, BUNDLED_REFERENCE, "kemerovo.json".to_owned(), true).await?;
    let admin = match admin {
        Some(admin) => Some(admin.create(config).await?),
        None => None,
    };
    Ok(Setup { imported, admin })
}

/// Imports the reference file `text` (named `path` in errors); with `only_into_empty`, only
/// into a city without districts (`None` otherwise).
async fn import(
    config: &Config,
    text: &str,
    path: String,
    only_into_empty: bool,
) -> Result<Option<Imported>, CommandError> {
    let reference =
        Reference::from_json(text).map_err(|source| CommandError::Reference { path, source })?;
    let db = open_database(config).await?;
    let imported = match db.has_districts().await {
        Ok(true) if only_into_empty => Ok(None),
        Ok(_) => db.import_reference(&reference).await.map(Some),
        Err(error) => Err(error),
    };
    db.close().await;
    Ok(imported?)
}

/// Where `create-admin` gets the password.
pub enum PasswordSource {
    /// Given (from DVOR_ADMIN_PASSWORD).
    Given(String),
    /// Asked for on the terminal, twice.
    Ask,
}

/// An administrator of the whole city, checked and ready to be made.
pub struct NewAdmin {
    login: Login,
    name: BoundedText<120>,
    password: String,
}

impl NewAdmin {
    /// Checks a login, a name and a password (asked for now, if so) by the app's rules —
    /// the password at least 10 characters, not the login.
    pub fn check(login: &str, name: &str, password: PasswordSource) -> Result<Self, CommandError> {
        let invalid = |field, code: ErrorCode, limit: Option<i64>| CommandError::Invalid {
            field,
            message: (strings(Lang::Ru).common.error)(code, limit),
        };
        let login = Login::parse(login).map_err(|code| invalid("login", code, None))?;
        let name =
            BoundedText::<120>::parse(name).map_err(|code| invalid("name", code, Some(120)))?;
        let password = match password {
            PasswordSource::Given(password) => password,
            PasswordSource::Ask => {
                let first = rpassword::prompt_password("Пароль (не короче 10 символов): ")
                    .map_err(CommandError::Prompt)?;
                let again =
                    rpassword::prompt_password("Пароль ещё раз: ").map_err(CommandError::Prompt)?;
                if first != again {
                    return Err(CommandError::Invalid {
                        field: "password",
                        message: "Пароли не совпадают".to_owned(),
                    });
                }
                first
            }
        };
        check_password(&password, &login)
            .map_err(|(code, limit)| invalid("password", code, limit))?;
        Ok(Self {
            login,
            name,
            password,
        })
    }

    /// The login the account will have.
    pub fn login(&self) -> &Login {
        &self.login
    }

    /// Makes the account.
    pub async fn create(self, config: &Config) -> Result<UserId, CommandError> {
        let hash = password::hash(&self.password, &mut password::default_blocks())?;
        let admin = Grant::new(Role::Admin, Scope::City).map_err(|e| CommandError::Invalid {
            field: "role",
            message: e.to_string(),
        })?;
        let db = open_database(config).await?;
        let created = db
            .create_user(
                NewUser {
                    login: &self.login,
                    name: self.name.as_str(),
                    password_hash: &hash,
                    grants: &[admin],
                },
                &Utc::now().to_rfc3339(),
            )
            .await;
        db.close().await;
        created?.ok_or_else(|| CommandError::LoginTaken(self.login.to_string()))
    }
}

/// `dvor-server create-admin`: an administrator of the whole city.
pub async fn create_admin(
    config: &Config,
    login: &str,
    name: &str,
    password: PasswordSource,
) -> Result<UserId, CommandError> {
    NewAdmin::check(login, name, password)?.create(config).await
}
