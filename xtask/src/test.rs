//! `cargo xtask test`: every check and test, each step reported, then one summary line.

use std::fs;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::build::{NATIVE, build_server, dist_dir, ensure_pwa};
use crate::cmd::{self, command, root};
use crate::engines::Engine;
use crate::toolchain;

const WASM: &str = "wasm32-unknown-unknown";

/// Runs every step, also after a failure (all failures are worth seeing at once), and fails if
/// any step failed.
pub fn run() -> Result<(), String> {
    let started = Instant::now();
    let mut results: Vec<(String, Result<(), String>, Duration)> = Vec::new();
    let mut step = |name: &str, work: &dyn Fn() -> Result<(), String>| {
        println!("\n=== {name}");
        let begun = Instant::now();
        let result = work();
        if let Err(error) = &result {
            eprintln!("--- {name} FAILED: {error}");
        }
        results.push((name.to_owned(), result, begun.elapsed()));
    };

    step("toolchain", &toolchain::ensure_test_tools);
    step("cargo fmt --check", &|| cargo("fmt --all -- --check"));
    step(
        "tidy (module comments, the architecture map)",
        &crate::tidy::check,
    );
    step("clippy (native)", &|| {
        cargo(&format!("clippy {NATIVE} --all-targets -- -D warnings"))
    });
    step("clippy (wasm32)", &|| {
        // dvor-core's tests stay native: its dev-dependencies (proptest) do not build for wasm32.
        cargo("clippy -p dvor --target wasm32-unknown-unknown --all-targets -- -D warnings")?;
        // The release build's split points (src/chunk.rs) exist only with `split`.
        cargo(
            "clippy -p dvor --target wasm32-unknown-unknown --all-targets --features split -- -D warnings",
        )?;
        cargo("clippy -p dvor-core --target wasm32-unknown-unknown --lib -- -D warnings")
    });
    step("native tests", &|| cargo(&format!("test {NATIVE}")));
    step(
        "server tests on PostgreSQL, photos in S3",
        &server_tests_on_postgres,
    );
    for engine in Engine::ALL {
        step(&format!("wasm tests ({})", engine.name()), &|| {
            wasm_tests(engine)
        });
    }
    step("API contract (Schemathesis)", &contract);
    step(
        "the release archive, unpacked and served",
        &crate::package::check,
    );
    for engine in Engine::ALL {
        step(&format!("end-to-end tests ({})", engine.name()), &|| {
            e2e_in(engine, &[])
        });
    }

    println!("\n=== summary");
    for (name, result, took) in &results {
        let mark = if result.is_ok() { "ok    " } else { "FAILED" };
        println!("{mark} {name} ({:.0?})", took);
    }
    let failed = results.iter().filter(|(_, r, _)| r.is_err()).count();
    let line = format!(
        "xtask test: {} of {} steps passed, {failed} failed, in {:.0?}",
        results.len() - failed,
        results.len(),
        started.elapsed()
    );
    println!("{line}");
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} step(s) failed"))
    }
}

/// The wasm-bindgen tests (the store, the sync lock, photos) in `engine`, through its WebDriver
/// server.
fn wasm_tests(engine: Engine) -> Result<(), String> {
    let (driver, path) = engine.wasm_test_driver();
    // The runner stops the WebDriver server before it can remove the browser's profile (over
    // 100 MB of Chromium's cache per test binary): profiles go to a directory emptied here.
    let profiles = root()
        .join("target")
        .join("tmp")
        .join(format!("wasm-tests-{}", engine.name()));
    fs::create_dir_all(&profiles).map_err(|e| format!("{}: {e}", profiles.display()))?;
    let result = cmd::run(
        engine
            .command("cargo")
            .args(["test", "-p", "dvor", "--target", WASM])
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            )
            .env(driver, path)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
            .env("TMPDIR", &profiles),
    );
    let _ = fs::remove_dir_all(&profiles);
    result
}

/// The journeys that matter most, run in every engine: logging and reloading offline, sync and
/// a second device, edit conflicts and faults, photos, accounts on a shared device, the
/// inventory's offline lending, installing and keeping the device's work. The layout, taps, map, report and install checks run in
/// Chromium only (docs/toolchain.md says why).
const EVERY_ENGINE: [&str; 7] = [
    "subbotnik",
    "keeping",
    "new_device",
    "faults",
    "sites_photos",
    "accounts",
    "inventory",
];

/// `cargo xtask e2e [--engine NAME] [NAME…]`: builds the app and the server and runs the
/// end-to-end tests whose file names contain one of the names (all of them when none is
/// given), in Chromium unless another engine is named.
pub fn e2e(args: &[String]) -> Result<(), String> {
    let (engine, names) = match args {
        [flag, engine, names @ ..] if flag == "--engine" => (Engine::parse(engine)?, names),
        names => (Engine::Chromium, names),
    };
    e2e_in(engine, names)
}

/// The end-to-end tests whose file names contain one of `names` (all that run in `engine` when
/// none is given), in `engine`.
fn e2e_in(engine: Engine, names: &[String]) -> Result<(), String> {
    let files: Vec<String> = e2e_files()?
        .into_iter()
        .filter(|file| {
            engine == Engine::Chromium || EVERY_ENGINE.iter().any(|name| file.contains(name))
        })
        .filter(|file| names.is_empty() || names.iter().any(|name| file.contains(name.as_str())))
        .collect();
    if files.is_empty() {
        // node --test given no file runs every test it finds.
        return Err(format!(
            "no end-to-end test in {} names any of {names:?}",
            engine.name()
        ));
    }
    run_node_tests(engine, &files, &[])
}

/// Where the tests in `engine` leave their screenshots and failure reports.
pub fn test_output(engine: Engine) -> PathBuf {
    root().join("test-output").join(engine.name())
}

/// Builds the app and the server and runs the node test `files` in `engine` with `env` more,
/// emptying [`test_output`] first.
pub fn run_node_tests(
    engine: Engine,
    files: &[String],
    env: &[(&str, String)],
) -> Result<(), String> {
    ensure_pwa()?;
    let server = build_server(false)?;
    let output = test_output(engine);
    let _ = fs::remove_dir_all(&output);
    fs::create_dir_all(&output).map_err(|e| format!("{}: {e}", output.display()))?;
    cmd::run(
        engine
            .command("node")
            .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
            .args(files)
            .env("DVOR_SERVER_BIN", &server)
            .env("DVOR_ENGINE", engine.name())
            .env("DVOR_DIST", dist_dir())
            .env("DVOR_TEST_OUTPUT", &output)
            .envs(env.iter().map(|(name, value)| (*name, value))),
    )
}

/// Fuzzes the API of a running server against its OpenAPI document (`xtask/contract.mjs`).
fn contract() -> Result<(), String> {
    let st = toolchain::ensure_schemathesis()?;
    let server = build_server(false)?;
    cmd::run(
        command("node")
            .arg("xtask/contract.mjs")
            .env("DVOR_SERVER_BIN", &server)
            .env("DVOR_SCHEMATHESIS", &st),
    )
}

/// Runs cargo with space-separated arguments.
fn cargo(args: &str) -> Result<(), String> {
    cmd::run(command("cargo").args(args.split_whitespace()))
}

/// The server's tests again on a throwaway PostgreSQL cluster, with photos in moto's S3 server:
/// a region's deployment. Also `cargo xtask test-server`, with the SQLite pass before it.
pub fn server_tests_on_postgres() -> Result<(), String> {
    crate::postgres::ensure_installed()?;
    let cluster = crate::postgres::Cluster::throwaway(false)?;
    let s3 = crate::s3::S3Server::start()?;
    let mut tests = command("cargo");
    tests
        .arg("test")
        .args(NATIVE.split_whitespace())
        .args(["--test", "it"])
        .env("DVOR_TEST_POSTGRES", cluster.url("postgres"));
    s3.configure(&mut tests);
    cmd::run(&mut tests)
}

/// `cargo xtask test-server`: the server's tests over HTTP on SQLite, then on PostgreSQL with
/// photos in S3.
pub fn server() -> Result<(), String> {
    cargo(&format!("test {NATIVE} --test it"))?;
    server_tests_on_postgres()
}

/// The end-to-end test files (node 20's test runner takes no globs).
fn e2e_files() -> Result<Vec<String>, String> {
    let dir = root().join("tests").join("e2e");
    let mut files: Vec<String> = fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".test.mjs"))
        .map(|name| format!("tests/e2e/{name}"))
        .collect();
    files.sort();
    Ok(files)
}
