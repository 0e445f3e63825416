//! `cargo xtask bench`: the size of what a phone downloads on the first visit.

use std::fs;
use std::io::Write as _;
use std::path::Path;

use crate::build::{build_pwa, dist_dir};
use crate::cmd::root;

/// The goal for the first load, brotli-compressed, in bytes (docs/benchmarks.md).
const FIRST_LOAD_GOAL: usize = 200_000;
const BEGIN: &str = "<!-- bench:bundle:begin -->";
const END: &str = "<!-- bench:bundle:end -->";

struct Row {
    what: &'static str,
    file: String,
    raw: usize,
    brotli: usize,
}

pub fn run() -> Result<(), String> {
    build_pwa()?;
    let dist = dist_dir();
    let mut rows = Vec::new();
    for (what, suffix) in [
        ("wasm", "_bg.wasm"),
        ("js", ".js"),
        ("css", ".css"),
        ("html", "index.html"),
    ] {
        for file in files_ending(&dist, suffix)? {
            if what == "js" && file.ends_with("sw.js") {
                continue;
            }
            let bytes = fs::read(dist.join(&file)).map_err(|e| format!("{file}: {e}"))?;
            rows.push(Row {
                what,
                file,
                raw: bytes.len(),
                brotli: brotli_size(&bytes)?,
            });
        }
    }
    let raw: usize = rows.iter().map(|r| r.raw).sum();
    let brotli: usize = rows.iter().map(|r| r.brotli).sum();
    let mut table = String::from("| part | file | raw | brotli |\n|---|---|---:|---:|\n");
    for row in &rows {
        table += &format!(
            "| {} | `{}` | {} | {} |\n",
            row.what,
            row.file,
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
        "| **first load** | | **{}** | **{}** ({verdict} the {} goal) |\n",
        kb(raw),
        kb(brotli),
        kb(FIRST_LOAD_GOAL)
    );
    println!("{table}");
    write_into_docs(&table)
}

fn files_ending(dir: &Path, suffix: &str) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(suffix) && !(suffix == ".js" && name.ends_with("_bg.wasm")))
        .collect();
    names.sort();
    Ok(names)
}

fn brotli_size(bytes: &[u8]) -> Result<usize, String> {
    let mut compressed = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut compressed, 4096, 11, 22);
        writer.write_all(bytes).map_err(|e| e.to_string())?;
    }
    Ok(compressed.len())
}

fn kb(bytes: usize) -> String {
    format!("{:.1} kB", bytes as f64 / 1000.0)
}

/// Replaces the table between the markers in docs/benchmarks.md.
fn write_into_docs(table: &str) -> Result<(), String> {
    let path = root().join("docs").join("benchmarks.md");
    let doc = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (Some(start), Some(end)) = (doc.find(BEGIN), doc.find(END)) else {
        return Err(format!(
            "{} lacks the {BEGIN} … {END} markers",
            path.display()
        ));
    };
    let updated = format!("{}{BEGIN}\n{table}{}", &doc[..start], &doc[end..]);
    fs::write(&path, updated).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("written into {}", path.display());
    Ok(())
}
