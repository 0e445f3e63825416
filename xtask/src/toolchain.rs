//! Installs what the build and the tests need, skipping whatever is already at the right
//! version, so a second run is fast. Nothing is downloaded from outside the package registries
//! (crates.io, npm, Debian): see docs/toolchain.md.

use std::fs;
use std::path::Path;

use crate::cmd::{self, command, output, root};

/// The Trunk release line that builds with this machine's rustc (0.22 needs a newer one).
const TRUNK_VERSION: &str = "~0.21";
const TRUNK_PREFIX: &str = "trunk 0.21.";
/// The wasm-opt of the npm package `binaryen` that package-lock.json pins.
const WASM_OPT_VERSION: &str = "version_132";

/// What the release build of the PWA needs.
pub fn ensure_build_tools() -> Result<(), String> {
    ensure_wasm_target()?;
    ensure_node_packages()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()
}

/// What the tests need beyond the build: the three browser engines with their WebDriver
/// servers, and Schemathesis.
pub fn ensure_test_tools() -> Result<(), String> {
    ensure_build_tools()?;
    ensure_test_packages()?;
    crate::postgres::ensure_installed()?;
    ensure_schemathesis()?;
    ensure_moto().map(drop)
}

/// The Schemathesis release the contract test runs, from PyPI.
const SCHEMATHESIS_VERSION: &str = "4.32.5";

/// Schemathesis in its own virtual environment under `target/` (never the system's Python
/// packages); the path of its `st`.
pub fn ensure_schemathesis() -> Result<std::path::PathBuf, String> {
    python_tool("schemathesis", "schemathesis", SCHEMATHESIS_VERSION, "st")
}

/// The moto release whose S3 server the server's tests keep photos in, from PyPI.
const MOTO_VERSION: &str = "5.2.6";

/// moto's server, an S3-protocol server that runs on this machine, in its own virtual
/// environment under `target/`; the directory of its programs (`moto_server`, and the Python
/// that has boto3).
pub fn ensure_moto() -> Result<std::path::PathBuf, String> {
    let server = python_tool("moto", "moto[server]", MOTO_VERSION, "moto_server")?;
    Ok(server.parent().map(Path::to_path_buf).unwrap_or_default())
}

/// `package` at `version` in the virtual environment `target/<name>`, installed unless its
/// `program` says it is that version already; the path of `program`.
fn python_tool(
    name: &str,
    package: &str,
    version: &str,
    program: &str,
) -> Result<std::path::PathBuf, String> {
    let venv = root().join("target").join(name);
    let bin = venv.join("bin");
    let installed = output(command(&bin.join("pip").to_string_lossy()).args(["show", name]))
        .unwrap_or_default();
    if installed
        .lines()
        .any(|line| line.trim() == format!("Version: {version}"))
    {
        return Ok(bin.join(program));
    }
    let make_venv = || cmd::run(command("python3").args(["-m", "venv"]).arg(&venv));
    if make_venv().is_err() {
        apt(&[
            "install",
            "-y",
            "--no-install-recommends",
            "python3",
            "python3-venv",
        ])?;
        make_venv()?;
    }
    cmd::run(
        command(&bin.join("pip").to_string_lossy())
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(format!("{package}=={version}")),
    )?;
    Ok(bin.join(program))
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed =
        output(command("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    cmd::run(command("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn ensure_trunk() -> Result<(), String> {
    let version = output(command("trunk").arg("--version")).unwrap_or_default();
    if version.trim().starts_with(TRUNK_PREFIX) {
        return Ok(());
    }
    cmd::run(command("cargo").args(["install", "trunk", "--locked", "--version", TRUNK_VERSION]))
}

/// wasm-bindgen-cli must equal the `wasm-bindgen` crate in Cargo.lock.
fn ensure_wasm_bindgen() -> Result<(), String> {
    let wanted = locked_wasm_bindgen()?;
    let version = output(command("wasm-bindgen").arg("--version")).unwrap_or_default();
    if version.split_whitespace().nth(1) == Some(wanted.as_str()) {
        return Ok(());
    }
    let exact = format!("={wanted}");
    // Its own lock file names crates the registry may not serve; without --locked, Cargo picks
    // compatible versions that it does.
    cmd::run(command("cargo").args([
        "install",
        "wasm-bindgen-cli",
        "--locked",
        "--version",
        &exact,
    ]))
    .or_else(|_| {
        cmd::run(command("cargo").args(["install", "wasm-bindgen-cli", "--version", &exact]))
    })
}

/// The version of the `wasm-bindgen` crate in Cargo.lock.
pub fn locked_wasm_bindgen() -> Result<String, String> {
    let lock =
        fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(version.trim_end_matches('"').to_owned());
        }
    }
    Err("Cargo.lock has no wasm-bindgen".to_owned())
}

/// `npm ci` when node_modules is missing or older than package-lock.json; then checks that
/// wasm-opt is the pinned version.
pub fn ensure_node_packages() -> Result<(), String> {
    let root = root();
    let stamp = root.join("node_modules").join(".package-lock.json");
    if is_older(&stamp, &root.join("package-lock.json")) {
        cmd::run(command("npm").args(["ci", "--no-audit", "--no-fund"]))?;
    }
    let version = output(command("wasm-opt").arg("--version")).unwrap_or_default();
    if version.contains(WASM_OPT_VERSION) {
        Ok(())
    } else {
        Err(format!(
            "wasm-opt from node_modules is `{}`, expected {WASM_OPT_VERSION}",
            version.trim()
        ))
    }
}

/// Runs apt-get with `args`, through `sudo -n` unless this is root.
pub fn apt(args: &[&str]) -> Result<(), String> {
    let is_root = output(command("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
    let mut c = if is_root {
        command("apt-get")
    } else {
        command("sudo")
    };
    if !is_root {
        c.args(["-n", "apt-get"]);
    }
    c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
    cmd::run(&mut c)
}

fn is_older(file: &Path, than: &Path) -> bool {
    let modified = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
    match (modified(file), modified(than)) {
        (Some(a), Some(b)) => a < b,
        _ => true,
    }
}

/// Debian's packages of the browsers and their WebDriver servers (never a browser downloaded
/// by a test tool), and systemd's analyzer, which checks the release's unit; by a file each
/// installs.
const TEST_PACKAGES: [(&str, &str); 8] = [
    ("/usr/bin/chromium", "chromium"),
    ("/usr/bin/chromedriver", "chromium-driver"),
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "fonts-dejavu-core",
    ),
    ("/usr/bin/firefox-esr", "firefox-esr"),
    ("/usr/bin/WebKitWebDriver", "webkit2gtk-driver"),
    // WebKitGTK has no headless mode: it runs on a virtual X display.
    ("/usr/bin/xvfb-run", "xvfb"),
    ("/usr/bin/xauth", "xauth"),
    ("/usr/bin/systemd-analyze", "systemd"),
];

/// geckodriver, Firefox's WebDriver server, which Debian does not package.
const GECKODRIVER_VERSION: &str = "0.37.1";

/// Chromium, Firefox ESR and WebKitGTK with their WebDriver servers, and the other packages of
/// `TEST_PACKAGES`.
fn ensure_test_packages() -> Result<(), String> {
    let missing: Vec<&str> = TEST_PACKAGES
        .iter()
        .filter(|(file, _)| !Path::new(file).exists())
        .map(|(_, package)| *package)
        .collect();
    if !missing.is_empty() {
        apt(&["update"])?;
        let mut args = vec!["install", "-y", "--no-install-recommends"];
        args.extend(missing);
        apt(&args)?;
    }
    let version = output(command("geckodriver").arg("--version")).unwrap_or_default();
    if version.starts_with(&format!("geckodriver {GECKODRIVER_VERSION}")) {
        return Ok(());
    }
    let exact = format!("={GECKODRIVER_VERSION}");
    cmd::run(command("cargo").args(["install", "geckodriver", "--locked", "--version", &exact]))
}
