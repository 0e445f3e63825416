//! Project automation, as ordinary Rust: `cargo xtask run | test | bench`.
//! Every command first installs what this machine lacks, so a fresh machine needs only Rust,
//! Node.js and (for tests) apt.

mod bench;
mod build;
mod cmd;
mod dist;
mod engines;
mod inputs;
mod package;
mod postgres;
mod s3;
mod soak;
mod test;
mod tidy;
mod toolchain;
mod walk;
mod wasm;

use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <command>

Commands:
  run [--postgres] [SERVER FLAGS]
                      install what is missing, build the PWA (release) and the server, and serve
                      both on http://127.0.0.1:8080 (see `cargo xtask run -- --help` for flags:
                      --addr/DVOR_ADDR, --data-dir/DVOR_DATA_DIR); the data in an SQLite file
                      under data/, or with --postgres in a PostgreSQL cluster of Debian's
                      package kept in data/postgres, started here and stopped with the server
  test                install what is missing (Chromium too) and run every check and test:
                      fmt, tidy (module comments, the architecture map's paths), clippy
                      (native and wasm32), native tests, the server's tests again on a
                      throwaway PostgreSQL cluster with photos in S3, the release archive
                      unpacked and served, wasm tests in Chromium,
                      Firefox and WebKit, the API's contract (Schemathesis), end-to-end tests
                      (Chromium all, Firefox and WebKit the journeys that matter most)
  test-server         the server's tests over HTTP (server/tests/it) on SQLite, then again on a
                      throwaway PostgreSQL cluster with photos in a local S3 server (moto), as
                      `test` runs them
  dist [--check]      build the PWA and the server (release) and pack them with the systemd
                      unit and an example of the settings (server/deploy/) into
                      target/dvor-VERSION-linux-ARCH.tar.gz, which unpacks to dvor/ (README:
                      Deployment); --check then unpacks it, verifies the unit with systemd
                      and serves the app from it with the example settings (a step of test)
  tidy                check that every Rust module has its `//!` comment and that every path
                      docs/architecture.md names exists (a step of `test`)
  e2e [--engine E] [NAME...]
                      build the app and the server and run only the end-to-end tests whose
                      file names contain a NAME (all of them without one) in engine E
                      (chromium, the default, firefox or webkit); the tools must be installed
                      (a first `cargo xtask test` does it)
  soak N [--engine E] [--seed S]
                      run N randomized fault schedules of two devices in engine E, outside
                      CI, and record the seed, the count and the result in docs/sync.md; a
                      failure names its seed, which `soak 1 --seed S` replays
  dev-tiles [FILE]    write a small MBTiles file of central Kemerovo drawn by the project (a
                      grid, not a street map) for trying the map offline, by default
                      target/dev-tiles.mbtiles; serve it with
                      `cargo xtask run -- --mbtiles target/dev-tiles.mbtiles`
  bench [PART...]     build the PWA and report its sizes, raw and brotli (bundle), time sync
                      of 10 000 and 100 000 records against PouchDB and Dexie (sync), saving and
                      opening the list over 100 000 records (entry), the map
                      (map), the report (report), a sign-in flood's memory
                      (signin), each role's first load (first-load), Lighthouse's
                      accessibility and best-practice scores (lighthouse) and how many
                      simulated devices one server holds (load); rewrites
                      docs/benchmarks.md; only the PARTs named, if any
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((command, rest)) => (command.as_str(), rest),
        None => ("help", &[][..]),
    };
    let result = match command {
        "run" => build::run(rest.iter().filter(|a| *a != "--").cloned().collect()),
        "test" => test::run(),
        "dist" if rest.iter().any(|a| a == "--check") => package::check(),
        "dist" => package::archive().map(drop),
        "test-server" => test::server(),
        "e2e" => test::e2e(rest),
        "tidy" => tidy::check(),
        "bench" => bench::run(rest),
        "soak" => soak::run(rest),
        "dev-tiles" => build::dev_tiles(rest.first().map(String::as_str)),
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        other => Err(format!("unknown command `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}
