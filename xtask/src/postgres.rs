//! PostgreSQL clusters of Debian's `postgresql` package, started by xtask itself so a fresh
//! machine needs nothing by hand: a throwaway one in a temporary directory for the tests (and
//! the load benchmark), removed when dropped, and one kept under the data directory for
//! `cargo xtask run --postgres`. Each listens on a Unix socket in its own directory only, never
//! on a TCP port another process could hold.

use std::fs;
use std::path::{Path, PathBuf};

use crate::cmd::{self, command, output};
use crate::toolchain::apt;

/// The socket's port number: part of the socket file's name only, as no TCP port is opened.
const PORT: u16 = 5432;
/// The role the clusters are made with; it may create databases.
const USER: &str = "dvor";

/// A running cluster, stopped when dropped (and its directory removed if it is throwaway).
pub struct Cluster {
    dir: PathBuf,
    throwaway: bool,
}

impl Cluster {
    /// A new cluster in a directory of its own under the system's temporary directory. For
    /// tests (`durable` false) nothing is flushed to disk, since nothing in it outlives the run;
    /// a benchmark keeps PostgreSQL's defaults, each commit on disk, as a city's server does.
    pub fn throwaway(durable: bool) -> Result<Self, String> {
        let dir = std::env::temp_dir().join(format!("dvor-postgres-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let cluster = Self {
            dir,
            throwaway: true,
        };
        cluster.init()?;
        let fast: &[&str] = &[
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
        ];
        cluster.start(if durable { &[] } else { fast })?;
        Ok(cluster)
    }

    /// The cluster kept in `dir` (made there the first time), started.
    pub fn kept(dir: &Path) -> Result<Self, String> {
        let cluster = Self {
            dir: dir.to_path_buf(),
            throwaway: false,
        };
        if !cluster.data().join("PG_VERSION").exists() {
            cluster.init()?;
        }
        cluster.start(&[])?;
        Ok(cluster)
    }

    /// The URL of `database` in the cluster, as `--database-url` takes it.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://{USER}@localhost/{database}?host={}&port={PORT}",
            self.dir.display()
        )
    }

    /// Creates `database` unless the cluster has it.
    pub fn ensure_database(&self, database: &str) -> Result<(), String> {
        let listed = output(
            command(&bin("psql")?.to_string_lossy())
                .arg(self.url("postgres"))
                .args(["-tAc", "SELECT datname FROM pg_database"]),
        )
        .ok_or("cannot list the cluster's databases")?;
        if listed.lines().any(|name| name.trim() == database) {
            return Ok(());
        }
        cmd::run(
            command(&bin("psql")?.to_string_lossy())
                .arg(self.url("postgres"))
                .args(["-qc", &format!("CREATE DATABASE \"{database}\"")]),
        )
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn init(&self) -> Result<(), String> {
        fs::create_dir_all(&self.dir).map_err(|e| format!("{}: {e}", self.dir.display()))?;
        as_owner(&self.dir)?;
        cmd::run(
            self.as_cluster_owner(&bin("initdb")?)
                .arg("-D")
                .arg(self.data())
                .args([
                    "-A",
                    "trust",
                    "-U",
                    USER,
                    "-E",
                    "UTF8",
                    // Text compares byte by byte, as in SQLite, whatever this machine's locale.
                    "--no-locale",
                    "--no-instructions",
                ]),
        )
    }

    fn start(&self, settings: &[&str]) -> Result<(), String> {
        let running = self
            .as_cluster_owner(&bin("pg_ctl")?)
            .arg("status")
            .arg("-D")
            .arg(self.data())
            .output()
            .is_ok_and(|o| o.status.success());
        if running {
            return Ok(());
        }
        let options = format!(
            "-p {PORT} -k {} -c listen_addresses= -c max_connections=300 {}",
            self.dir.display(),
            settings.join(" ")
        );
        cmd::run(
            self.as_cluster_owner(&bin("pg_ctl")?)
                .arg("start")
                .arg("-w")
                .arg("-D")
                .arg(self.data())
                .arg("-l")
                .arg(self.dir.join("log"))
                .arg("-o")
                .arg(options),
        )
    }

    /// `program` run as the cluster's owner: PostgreSQL refuses to run as root, so as root
    /// it runs as Debian's `postgres` user.
    fn as_cluster_owner(&self, program: &Path) -> std::process::Command {
        if is_root() {
            let mut c = command("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            command(&program.to_string_lossy())
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Ok(pg_ctl) = bin("pg_ctl") {
            let mode = if self.throwaway { "immediate" } else { "fast" };
            let _ = cmd::run(
                self.as_cluster_owner(&pg_ctl)
                    .arg("stop")
                    .arg("-D")
                    .arg(self.data())
                    .args(["-m", mode]),
            );
        }
        if self.throwaway {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Debian's PostgreSQL, installed if missing.
pub fn ensure_installed() -> Result<(), String> {
    if bin("initdb").is_err() {
        apt(&["update"])?;
        apt(&["install", "-y", "--no-install-recommends", "postgresql"])?;
    }
    bin("initdb").map(drop)
}

/// A program of the newest PostgreSQL under Debian's `/usr/lib/postgresql/VERSION/bin`.
fn bin(program: &str) -> Result<PathBuf, String> {
    let versions = fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| "PostgreSQL is not installed (Debian's `postgresql` package)".to_owned())?;
    let mut found: Vec<(u32, PathBuf)> = versions
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_string_lossy().parse().ok()?;
            let path = entry.path().join("bin").join(program);
            path.exists().then_some((version, path))
        })
        .collect();
    found.sort();
    found
        .pop()
        .map(|(_, path)| path)
        .ok_or_else(|| format!("no PostgreSQL `{program}` under /usr/lib/postgresql"))
}

fn is_root() -> bool {
    output(command("id").arg("-u")).is_some_and(|id| id.trim() == "0")
}

/// Hands `dir` to the `postgres` user when running as root, so the cluster's owner may write
/// there.
fn as_owner(dir: &Path) -> Result<(), String> {
    if is_root() {
        cmd::run(command("chown").args(["postgres:postgres"]).arg(dir))
    } else {
        Ok(())
    }
}
