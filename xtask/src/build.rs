//! Building the PWA and the server, and `cargo xtask run`.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::cmd::{self, command, root};
use crate::{inputs, toolchain};

/// The built PWA.
pub fn dist_dir() -> PathBuf {
    root().join("dist")
}

/// Builds the PWA in release mode into `dist/`: Trunk the page, its styles and copied files,
/// then the wasm split by screen; stamps the service worker, and writes each text file and
/// the wasm compressed beside itself.
pub fn build_pwa() -> Result<(), String> {
    toolchain::ensure_build_tools()?;
    // Read before building: a source changed meanwhile makes the next start build again.
    let digest = inputs::digest()?;
    let stamp = inputs_stamp();
    let _ = fs::remove_file(&stamp);
    cmd::run(command("trunk").args(["build", "--release", "--offline"]))?;
    let dist = dist_dir();
    let wasm = crate::wasm::build(&dist)?;
    crate::dist::start_wasm(&dist, &wasm)?;
    stamp_service_worker(&dist)?;
    crate::dist::precompress(&dist)?;
    fs::write(&stamp, digest).map_err(|e| format!("{}: {e}", stamp.display()))
}

/// Builds the PWA unless `dist/` was built from the sources as they are now: the test runs in
/// three engines and `cargo xtask run` share one build.
pub fn ensure_pwa() -> Result<(), String> {
    if inputs::unchanged(&dist_dir(), &inputs_stamp(), &inputs::digest()?) {
        println!("dist/ is up to date with the sources: not rebuilt");
        Ok(())
    } else {
        build_pwa()
    }
}

/// Where the digest of the inputs `dist/` was last built from is kept.
fn inputs_stamp() -> PathBuf {
    root().join("target").join("pwa-inputs.sha256")
}

/// The packages of every native build and test of `cargo xtask test`. Cargo resolves a
/// dependency's features from the packages (and kinds of target) selected, so a second selection
/// would build most of the dependency tree a second time: minutes, and gigabytes of a CI
/// machine's disk.
pub const NATIVE: &str = "-p dvor-core -p dvor-server -p xtask";

/// Builds the server; returns its binary. The debug server, for tests, is built the way the
/// tests build it (cargo builds a package's binaries for its integration tests), so that one
/// build of the dependencies serves both.
pub fn build_server(release: bool) -> Result<PathBuf, String> {
    let mut build = command("cargo");
    if release {
        build.args(["build", "-p", "dvor-server", "--release"]);
    } else {
        build
            .args(["test", "--no-run", "--test", "it"])
            .args(NATIVE.split_whitespace());
    }
    cmd::run(&mut build)?;
    let profile = if release { "release" } else { "debug" };
    Ok(root().join("target").join(profile).join("dvor-server"))
}

/// `cargo xtask run`: build what changed, prepare a new server (reference data, the first
/// administrator: `dvor-server setup`), then become the server.
pub fn run(mut server_args: Vec<String>) -> Result<(), String> {
    let postgres = server_args.iter().any(|a| a == "--postgres");
    server_args.retain(|a| a != "--postgres");
    ensure_pwa()?;
    let server = build_server(true)?;
    let cluster = if postgres {
        crate::postgres::ensure_installed()?;
        let cluster = crate::postgres::Cluster::kept(&root().join("data").join("postgres"))?;
        cluster.ensure_database("dvor")?;
        server_args.extend(["--database-url".to_owned(), cluster.url("dvor")]);
        Some(cluster)
    } else {
        None
    };
    cmd::run(
        command(&server.to_string_lossy())
            .args(&server_args)
            .arg("setup"),
    )?;
    let mut serve = command(&server.to_string_lossy());
    serve.arg("--static-dir").arg(dist_dir()).args(server_args);
    match cluster {
        None => exec(serve),
        Some(cluster) => {
            // Ctrl-C reaches the server too, which shuts down gracefully; this process outlives
            // it to stop the cluster after.
            ctrlc::set_handler(|| {}).map_err(|e| format!("cannot wait for the server: {e}"))?;
            let served = cmd::run(&mut serve);
            drop(cluster);
            served
        }
    }
}

/// `cargo xtask dev-tiles`: writes the development map (`xtask/dev_tiles.mjs`) to `file`, by
/// default `target/dev-tiles.mbtiles`.
pub fn dev_tiles(file: Option<&str>) -> Result<(), String> {
    toolchain::ensure_node_packages()?;
    let path = file.map_or_else(
        || root().join("target").join("dev-tiles.mbtiles"),
        PathBuf::from,
    );
    cmd::run(
        command("node")
            .arg(root().join("xtask").join("dev_tiles.mjs"))
            .arg(&path),
    )
}

#[cfg(unix)]
fn exec(mut command: std::process::Command) -> Result<(), String> {
    use std::os::unix::process::CommandExt;
    // Replacing this process hands Ctrl-C straight to the server, which shuts down gracefully.
    Err(format!("cannot start the server: {}", command.exec()))
}

#[cfg(not(unix))]
fn exec(mut command: std::process::Command) -> Result<(), String> {
    cmd::run(&mut command)
}

/// Prepends `self.DVOR_BUILD = { version, files }` to `dist/sw.js`: the files to precache, and
/// a version that changes whenever any of them does, so browsers install the new worker.
pub fn stamp_service_worker(dist: &Path) -> Result<(), String> {
    let sw_path = dist.join("sw.js");
    let worker = fs::read_to_string(&sw_path).map_err(|e| format!("{}: {e}", sw_path.display()))?;
    let worker = match worker.split_once("\n//# dvor-build-end\n") {
        Some((_, rest)) => rest.to_owned(),
        None => worker,
    };
    let mut files: Vec<String> = crate::walk::files(dist)?
        .iter()
        .filter_map(|path| path.strip_prefix(dist).ok())
        .map(|relative| format!("/{}", relative.to_string_lossy().replace('\\', "/")))
        .collect();
    files.retain(|f| f != "/sw.js" && !f.ends_with(".br") && !f.ends_with(".gz"));
    files.sort();
    let mut hash = Sha256::new();
    for file in &files {
        hash.update(file.as_bytes());
        let bytes = fs::read(dist.join(file.trim_start_matches('/')))
            .map_err(|e| format!("{file}: {e}"))?;
        hash.update(Sha256::digest(&bytes));
    }
    hash.update(worker.as_bytes());
    let version = crate::wasm::hex(&hash.finalize());
    let list = files
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(",");
    let stamped = format!(
        "self.DVOR_BUILD = {{ version: \"{version}\", files: [{list}] }};\n//# dvor-build-end\n{worker}"
    );
    fs::write(&sw_path, stamped).map_err(|e| format!("{}: {e}", sw_path.display()))?;
    println!(
        "service worker stamped: version {version}, {} files precached",
        files.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist_with(files: &[(&str, &str)]) -> tempdir::Dir {
        let dir = tempdir::Dir::new();
        for (name, body) in files {
            let path = dir.0.join(name);
            fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs::write(path, body).expect("write");
        }
        dir
    }

    fn stamped(dir: &Path) -> String {
        stamp_service_worker(dir).expect("stamped");
        fs::read_to_string(dir.join("sw.js")).expect("read")
    }

    #[test]
    fn lists_every_file_but_the_worker_and_restamps_cleanly() {
        let dir = dist_with(&[
            ("sw.js", "worker();\n"),
            ("index.html", "a"),
            ("icons/i.png", "b"),
        ]);
        let first = stamped(&dir.0);
        assert!(
            first.contains("files: [\"/icons/i.png\",\"/index.html\"]"),
            "{first}"
        );
        assert!(
            first.ends_with("//# dvor-build-end\nworker();\n"),
            "{first}"
        );
        assert_eq!(stamped(&dir.0), first, "stamping twice changes nothing");
    }

    #[test]
    fn the_version_changes_when_any_file_changes() {
        let dir = dist_with(&[("sw.js", "worker();\n"), ("index.html", "a")]);
        let before = stamped(&dir.0);
        fs::write(dir.0.join("index.html"), "b").expect("write");
        assert_ne!(stamped(&dir.0), before);
    }

    /// A temporary directory removed on drop (std only: xtask keeps its dependencies few).
    mod tempdir {
        pub struct Dir(pub std::path::PathBuf);

        impl Dir {
            pub fn new() -> Self {
                let unique = format!(
                    "xtask-test-{}-{:?}",
                    std::process::id(),
                    std::thread::current().id()
                );
                let path = std::env::temp_dir().join(unique.replace(['(', ')'], ""));
                let _ = std::fs::remove_dir_all(&path);
                std::fs::create_dir_all(&path).expect("temp dir");
                Self(path)
            }
        }

        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }
}
