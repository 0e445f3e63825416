//! Command-line flags and environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Serve the Двор API and the built web app, or run an admin command.
#[derive(Debug, Clone, Parser)]
#[command(name = "dvor-server", version, about)]
pub struct Cli {
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
    /// DVOR_ADMIN_PASSWORD, or asked for on the terminal. `cargo xtask run` runs it first.
    Setup,
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

    /// Directory of the built web app (Trunk's `dist`). Without it only the API is served.
    #[arg(long, env = "DVOR_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,
}

impl Config {
    /// The SQLite database file inside the data directory.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("dvor.sqlite3")
    }

    /// Where photos are kept.
    pub fn blobs_dir(&self) -> PathBuf {
        self.data_dir.join("blobs")
    }
}
