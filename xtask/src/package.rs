//! `cargo xtask dist`: the release archive a city installs from, `target/dvor-VERSION-linux-ARCH.tar.gz`.
//! Unpacked into `/opt` it is `/opt/dvor`: the server (`bin/dvor-server`), the built app
//! (`dist/`), the systemd unit and an example of the settings (`server/deploy/`), and the
//! README whose deployment section walks an admin through the rest. A step of `cargo xtask
//! test` unpacks it and serves the app from it.

use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::build::{build_server, dist_dir, ensure_pwa};
use crate::cmd::{self, command, root};

/// The folder the archive unpacks to.
const TOP: &str = "dvor";

/// Builds what is missing and packs the archive; its path.
pub fn archive() -> Result<PathBuf, String> {
    ensure_pwa()?;
    let server = build_server(true)?;
    let stage = root().join("target").join("dist-archive");
    let top = stage.join(TOP);
    if stage.exists() {
        fs::remove_dir_all(&stage).map_err(|e| format!("{}: {e}", stage.display()))?;
    }
    let deploy = root().join("server").join("deploy");
    let files = [
        (server, top.join("bin").join("dvor-server")),
        (deploy.join("dvor.service"), top.join("dvor.service")),
        (deploy.join("dvor.toml"), top.join("dvor.toml")),
        (root().join("README.md"), top.join("README.md")),
    ];
    for (from, to) in &files {
        copy(from, to)?;
    }
    copy_tree(&dist_dir(), &top.join("dist"))?;
    let version = env!("CARGO_PKG_VERSION");
    let name = format!("dvor-{version}-linux-{}.tar.gz", std::env::consts::ARCH);
    let archive = root().join("target").join(name);
    cmd::run(
        command("tar")
            .arg("-czf")
            .arg(&archive)
            .arg("--owner=0")
            .arg("--group=0")
            .arg("-C")
            .arg(&stage)
            .arg(TOP),
    )?;
    let size = fs::metadata(&archive).map_or(0, |m| m.len());
    println!(
        "release archive: {} ({:.1} MB)",
        archive.display(),
        size as f64 / 1e6
    );
    Ok(archive)
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::copy(from, to).map_err(|e| format!("{} → {}: {e}", from.display(), to.display()))?;
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    for entry in fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| format!("{}: {e}", from.display()))?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            copy(&entry.path(), &target)?;
        }
    }
    Ok(())
}

/// The test step: the archive unpacked as an admin would, its unit checked by systemd, and its
/// server started with the example settings (paths moved into a temporary directory, HTTPS
/// left out for want of a certificate) serving the app and the API.
pub fn check() -> Result<(), String> {
    let archive = archive()?;
    let temp = root().join("target").join("dist-check");
    if temp.exists() {
        fs::remove_dir_all(&temp).map_err(|e| format!("{}: {e}", temp.display()))?;
    }
    fs::create_dir_all(&temp).map_err(|e| format!("{}: {e}", temp.display()))?;
    cmd::run(
        command("tar")
            .arg("-xzf")
            .arg(&archive)
            .arg("-C")
            .arg(&temp),
    )?;
    let top = temp.join(TOP);
    let opt = top.display().to_string();
    let data = temp.join("data").display().to_string();

    let unit = read(&top.join("dvor.service"))?.replace("/opt/dvor", &opt);
    let unit_path = temp.join("dvor.service");
    write(&unit_path, &unit)?;
    verify_unit(&unit_path)?;

    let settings: String = read(&top.join("dvor.toml"))?
        .lines()
        .filter(|line| !line.starts_with("tls-") && !line.starts_with("redirect-http-from"))
        .map(|line| {
            line.replace("/opt/dvor", &opt)
                .replace("/var/lib/dvor", &data)
                + "\n"
        })
        .collect();
    let settings_path = temp.join("dvor.toml");
    write(&settings_path, &settings)?;
    let mut server = Server(
        command(&top.join("bin").join("dvor-server").display().to_string())
            .arg("--config")
            .arg(&settings_path)
            // A variable overrides the file's address, as the README promises.
            .env("DVOR_ADDR", "127.0.0.1:0")
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start the unpacked server: {e}"))?,
    );
    let addr = listening_address(&mut server.0)?;
    let page = get(addr, "/")?;
    if !page.starts_with("HTTP/1.1 200") || !page.contains("<html") {
        return Err(format!(
            "the unpacked server did not serve the app: {page:.200}"
        ));
    }
    let health = get(addr, "/api/v1/health")?;
    if !health.starts_with("HTTP/1.1 200") {
        return Err(format!("the unpacked server is not healthy: {health:.200}"));
    }
    println!("the unpacked release serves the app and the API on {addr}");
    Ok(())
}

/// systemd's check of the unit at `path`, which only warns of a key it does not know or a value
/// it cannot read (and ignores the line: a sandbox option mistyped is a sandbox option gone), so
/// any warning about the file fails.
fn verify_unit(path: &Path) -> Result<(), String> {
    let output = command("systemd-analyze")
        .arg("verify")
        .arg(path)
        .output()
        .map_err(|e| format!("cannot run systemd-analyze: {e}"))?;
    let said = String::from_utf8_lossy(&output.stderr);
    let name = path.display().to_string();
    let warnings: Vec<&str> = said.lines().filter(|line| line.contains(&name)).collect();
    if !output.status.success() || !warnings.is_empty() {
        return Err(format!("systemd finds fault with the unit:\n{said}"));
    }
    println!("systemd-analyze verify: the unit is sound");
    Ok(())
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// A server process, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Where the server says it listens (its log on stdout).
fn listening_address(child: &mut Child) -> Result<SocketAddr, String> {
    let mut stdout = child.stdout.take().ok_or("no output of the server")?;
    let mut seen = String::new();
    let started = Instant::now();
    let mut buffer = [0_u8; 4096];
    while started.elapsed() < Duration::from_secs(60) {
        let n = stdout
            .read(&mut buffer)
            .map_err(|e| format!("reading the server's output: {e}"))?;
        if n == 0 {
            return Err(format!("the server stopped: {seen}"));
        }
        seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
        // Only whole lines: a read may end in the middle of the port.
        let whole = seen.rsplit_once('\n').map_or("", |(lines, _)| lines);
        if let Some(addr) = whole
            .split_once("listening on http://")
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .and_then(|addr| addr.parse().ok())
        {
            // Keep reading, so a full pipe never stops the server.
            std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
            return Ok(addr);
        }
    }
    Err(format!("the server did not say where it listens: {seen}"))
}

/// A GET of `path` on `addr` over HTTP/1.1: the whole answer as text.
fn get(addr: SocketAddr, path: &str) -> Result<String, String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("{addr}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("{addr}: {e}"))?;
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .map_err(|e| format!("{addr}: {e}"))?;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}
