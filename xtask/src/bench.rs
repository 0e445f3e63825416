//! `cargo xtask bench`: the size of what a phone downloads on the first visit and when it first
//! shows a map, how fast sync moves 10 000 and 100 000 records compared with PouchDB and Dexie
//! (`xtask/bench/sync.mjs`), how fast saving and opening the list are on a slowed CPU
//! (`xtask/bench/entry.mjs`), how fast the map places 5 000 sites (`xtask/bench/map.mjs`), and
//! how fast the server answers the report over 100 000 activities (`xtask/bench/report.mjs`),
//! how much memory a flood of sign-ins costs the server (`xtask/bench/signin.mjs`), and what
//! each role's phone downloads from the server before its first screen
//! (`xtask/bench/first_load.mjs`), and how many simulated devices one server holds
//! (`xtask/bench/load.mjs`).

use std::fs;
use std::path::Path;

use std::process::Stdio;

use crate::build::{build_pwa, build_server, dist_dir};
use crate::cmd::{command, root};
use crate::toolchain;

/// The goal for the first load, brotli-compressed, in bytes (docs/benchmarks.md).
const FIRST_LOAD_GOAL: usize = 150_000;
const BUNDLE: (&str, &str) = ("<!-- bench:bundle:begin -->", "<!-- bench:bundle:end -->");
const SYNC: (&str, &str) = ("<!-- bench:sync:begin -->", "<!-- bench:sync:end -->");
const ENTRY: (&str, &str) = ("<!-- bench:entry:begin -->", "<!-- bench:entry:end -->");
const MAP: (&str, &str) = ("<!-- bench:map:begin -->", "<!-- bench:map:end -->");
const REPORT: (&str, &str) = ("<!-- bench:report:begin -->", "<!-- bench:report:end -->");
const SIGNIN: (&str, &str) = ("<!-- bench:signin:begin -->", "<!-- bench:signin:end -->");
const LOAD: (&str, &str) = ("<!-- bench:load:begin -->", "<!-- bench:load:end -->");
const LIGHTHOUSE: (&str, &str) = (
    "<!-- bench:lighthouse:begin -->",
    "<!-- bench:lighthouse:end -->",
);
const FIRST_LOAD: (&str, &str) = (
    "<!-- bench:first-load:begin -->",
    "<!-- bench:first-load:end -->",
);

/// The map's code: fetched when a screen first shows a map, never on the first load.
const MAP_DIR: &str = "map";
const MAP_FILES: [&str; 1] = ["tile-cache.js"];

struct Row {
    what: &'static str,
    file: String,
    raw: usize,
    brotli: usize,
}

/// Runs the benchmarks named in `only` (`bundle`, `sync`, `entry`, `map`, `report`,
/// `signin`, `first-load`, `lighthouse`, `load`), or all of them.
pub fn run(only: &[String]) -> Result<(), String> {
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
    toolchain::ensure_test_tools()?;
    if wanted("bundle") {
        let bundle = bundle_table()?;
        println!("{bundle}");
        write_into_docs(BUNDLE, &bundle)?;
    } else {
        build_pwa()?;
    }
    let server = build_server(true)?;
    for (name, script, markers) in [
        ("sync", "xtask/bench/sync.mjs", SYNC),
        ("entry", "xtask/bench/entry.mjs", ENTRY),
        ("map", "xtask/bench/map.mjs", MAP),
        ("report", "xtask/bench/report.mjs", REPORT),
        ("signin", "xtask/bench/signin.mjs", SIGNIN),
        ("first-load", "xtask/bench/first_load.mjs", FIRST_LOAD),
        ("lighthouse", "xtask/bench/lighthouse.mjs", LIGHTHOUSE),
        ("load", "xtask/bench/load.mjs", LOAD),
    ] {
        if !wanted(name) {
            continue;
        }
        // The load benchmark's deployments (b) and (c) keep their data in PostgreSQL.
        let cluster = if name == "load" {
            let cluster = crate::postgres::Cluster::throwaway(true)?;
            cluster.ensure_database("load_b")?;
            cluster.ensure_database("load_c")?;
            Some(cluster)
        } else {
            None
        };
        let databases: Vec<(&str, String)> = cluster
            .iter()
            .flat_map(|c| {
                [
                    ("DVOR_LOAD_POSTGRES_B", c.url("load_b")),
                    ("DVOR_LOAD_POSTGRES_C", c.url("load_c")),
                ]
            })
            .collect();
        let table = node_table(script, &server, &databases)?;
        println!("{table}");
        write_into_docs(markers, &table)?;
    }
    Ok(())
}

/// Runs a benchmark script against a release server and the built PWA, with the variables
/// `env`; its table.
fn node_table(script: &str, server: &Path, env: &[(&str, String)]) -> Result<String, String> {
    println!("$ node {script} (a few minutes)");
    let output = command("node")
        .arg(script)
        .envs(env.iter().map(|(name, value)| (name, value)))
        .env("DVOR_SERVER_BIN", server)
        .env("DVOR_DIST", dist_dir())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start node: {e}"))?;
    if !output.status.success() {
        return Err(format!("{script} failed ({})", output.status));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .trim_end()
        .to_owned()
        + "\n")
}

/// Builds the PWA and tabulates its files' sizes: what the first visit loads before anything
/// shows, what screens fetch on first use (the wasm chunks), and what a screen with a map
/// loads on top.
fn bundle_table() -> Result<String, String> {
    build_pwa()?;
    let dist = dist_dir();
    let is_chunk = |file: &str| file.starts_with("split_") || file.starts_with("chunk_");
    let mut first = Vec::new();
    let mut chunks = Vec::new();
    for (what, suffix) in [
        ("wasm", ".wasm"),
        ("js", ".js"),
        ("css", ".css"),
        ("html", "index.html"),
    ] {
        for file in files_ending(&dist, suffix)? {
            if what == "js" && (file.ends_with("sw.js") || MAP_FILES.contains(&file.as_str())) {
                continue;
            }
            let row = row(&dist, what, file)?;
            if is_chunk(&row.file) {
                chunks.push(Row {
                    what: "chunk",
                    ..row
                });
            } else {
                first.push(row);
            }
        }
    }
    let mut map = Vec::new();
    for file in MAP_FILES {
        map.push(row(&dist, "map", file.to_owned())?);
    }
    for file in files_ending(&dist.join(MAP_DIR), "")? {
        map.push(row(&dist, "map", format!("{MAP_DIR}/{file}"))?);
    }
    let total = |rows: &[Row]| {
        (
            rows.iter().map(|r| r.raw).sum::<usize>(),
            rows.iter().map(|r| r.brotli).sum::<usize>(),
        )
    };
    let (raw, brotli) = total(&first);
    let (chunks_raw, chunks_brotli) = total(&chunks);
    let (map_raw, map_brotli) = total(&map);
    let mut table = String::from("| part | file | raw | brotli |\n|---|---|---:|---:|\n");
    // A chunk per screen group, named; the many small chunks they share, summed.
    let (named, shared): (Vec<&Row>, Vec<&Row>) =
        chunks.iter().partition(|r| r.file.starts_with("split_"));
    let shared_row = Row {
        what: "chunk",
        file: format!("chunk_* ({} files shared by screens)", shared.len()),
        raw: shared.iter().map(|r| r.raw).sum(),
        brotli: shared.iter().map(|r| r.brotli).sum(),
    };
    for row in first
        .iter()
        .chain(named.iter().copied())
        .chain(std::iter::once(&shared_row))
        .chain(&map)
    {
        let file = if row.file.contains(' ') {
            row.file.clone()
        } else {
            format!("`{}`", row.file)
        };
        table += &format!(
            "| {} | {file} | {} | {} |\n",
            row.what,
            kb(row.raw),
            kb(row.brotli)
        );
    }
    let verdict = if brotli <= FIRST_LOAD_GOAL {
        "within"
    } else {
        "OVER"
    };
    table += &format!(
        "| **first load: the shell and a volunteer's screens** | | **{}** | **{}** ({verdict} the {} goal) |\n",
        kb(raw),
        kb(brotli),
        kb(FIRST_LOAD_GOAL)
    );
    table += &format!(
        "| **the other screens, each chunk on first use** | | **{}** | **{}** |\n",
        kb(chunks_raw),
        kb(chunks_brotli)
    );
    table += &format!(
        "| **the map code, on the first map shown** | | **{}** | **{}** |\n",
        kb(map_raw),
        kb(map_brotli)
    );
    table += &format!(
        "| **everything** | | **{}** | **{}** |\n",
        kb(raw + chunks_raw + map_raw),
        kb(brotli + chunks_brotli + map_brotli)
    );
    Ok(table)
}

fn row(dist: &Path, what: &'static str, file: String) -> Result<Row, String> {
    let bytes = fs::read(dist.join(&file)).map_err(|e| format!("{file}: {e}"))?;
    Ok(Row {
        what,
        brotli: brotli_size(&bytes)?,
        raw: bytes.len(),
        file,
    })
}

fn files_ending(dir: &Path, suffix: &str) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(suffix))
        .filter(|name| !name.ends_with(".br") && !name.ends_with(".gz"))
        .collect();
    names.sort();
    Ok(names)
}

fn brotli_size(bytes: &[u8]) -> Result<usize, String> {
    Ok(crate::dist::brotli(bytes)?.len())
}

fn kb(bytes: usize) -> String {
    format!("{:.1} kB", bytes as f64 / 1000.0)
}

/// Replaces the table between the `(begin, end)` markers in docs/benchmarks.md.
fn write_into_docs((begin, end): (&str, &str), table: &str) -> Result<(), String> {
    let path = root().join("docs").join("benchmarks.md");
    let doc = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (Some(start), Some(stop)) = (doc.find(begin), doc.find(end)) else {
        return Err(format!(
            "{} lacks the {begin} … {end} markers",
            path.display()
        ));
    };
    let updated = format!("{}{begin}\n{table}{}", &doc[..start], &doc[stop..]);
    fs::write(&path, updated).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("written into {}", path.display());
    Ok(())
}
