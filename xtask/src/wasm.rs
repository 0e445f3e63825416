//! The PWA's wasm, split by screen (Trunk cannot: trunk-rs/trunk#1022). Cargo builds the
//! client with the `split` feature and its relocations kept; `wasm_split_cli_support` cuts the
//! module at the split points of `src/chunk.rs` into the main module, one chunk per group of
//! screens (and chunks of what several share), and a JS module that fetches a chunk when its
//! screen first opens; wasm-bindgen makes the main module's glue, wasm-opt shrinks every
//! module, terser the scripts. Each file is then named by its content, so an update that
//! changes one screen changes that chunk's name and the shell's, and no other chunk's.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::cmd::{self, command, root};

const TARGET: &str = "wasm32-unknown-unknown";
const PROFILE: &str = "wasm-release";
/// The names the splitter and wasm-bindgen are given, before the files are named by content.
const GLUE: &str = "dvor.js";
const LINK: &str = "__wasm_split.js";
/// What rustc enables for wasm32 and wasm-opt must accept (the splitter's chunks carry no
/// `target_features` section for wasm-opt to read them from).
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// The wasm files and their loader, as written into `dist/`.
pub struct Built {
    /// The glue's file name, which the page imports.
    pub glue: String,
    /// The main module's file name, which the glue instantiates.
    pub main: String,
}

/// Builds, splits and optimises the client, writes it into `dist`, and returns what the page
/// must load.
pub fn build(dist: &Path) -> Result<Built, String> {
    cmd::run(command("cargo").args([
        "build",
        "-p",
        "dvor",
        "--bin",
        "dvor",
        "--target",
        TARGET,
        "--profile",
        PROFILE,
        "--features",
        "split",
        // Appended to the target's flags in .cargo/config.toml: the splitter reads relocations.
        "--config",
        "target.wasm32-unknown-unknown.rustflags=[\"-Clink-arg=--emit-relocs\"]",
    ]))?;
    let linked = root()
        .join("target")
        .join(TARGET)
        .join(PROFILE)
        .join("dvor.wasm");
    let work = root().join("target").join("pwa-wasm");
    let _ = fs::remove_dir_all(&work);
    let split_dir = work.join("split");
    let out = work.join("out");
    fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;

    let input = fs::read(&linked).map_err(|e| format!("{}: {e}", linked.display()))?;
    let unbound = split_dir.join("main.wasm");
    let chunks = split(&input, &split_dir, &unbound)?;

    cmd::run(
        command("wasm-bindgen")
            .args([
                "--target",
                "web",
                "--keep-lld-exports",
                "--no-demangle",
                "--out-name",
                "dvor",
                "--out-dir",
            ])
            .arg(&out)
            .arg(&unbound),
    )?;
    let main = out.join("dvor_bg.wasm");
    optimise(&main)?;
    let mut named_chunks = BTreeMap::new();
    for chunk in &chunks {
        optimise(chunk)?;
        let bytes = fs::read(chunk).map_err(|e| format!("{}: {e}", chunk.display()))?;
        let stem = file_stem(chunk)?;
        named_chunks.insert(stem.clone(), (content_name(&stem, "wasm", &bytes), bytes));
    }
    let link = fs::read_to_string(split_dir.join(LINK)).map_err(|e| format!("{LINK}: {e}"))?;
    let glue = out.join(GLUE);
    let glue_text = fs::read_to_string(&glue).map_err(|e| format!("{}: {e}", glue.display()))?;
    let main_bytes = fs::read(&main).map_err(|e| format!("{}: {e}", main.display()))?;

    let names = Names::new(&glue_text, &link, &named_chunks, &main_bytes)?;
    let write = |name: &str, bytes: &[u8]| {
        let path = dist.join(name);
        fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))
    };
    for (name, bytes) in named_chunks.values() {
        write(name, bytes)?;
    }
    write(&names.main, &main_bytes)?;
    write(&names.glue, names.glue_text.as_bytes())?;
    write(&names.link, names.link_text.as_bytes())?;
    for script in [&names.glue, &names.link] {
        crate::dist::minify(&dist.join(script))?;
    }
    println!(
        "wasm: main {} ({} bytes), {} chunks",
        names.main,
        main_bytes.len(),
        named_chunks.len()
    );
    Ok(Built {
        glue: names.glue,
        main: names.main,
    })
}

/// Splits `input`, writing the main module to `main` and the chunks and the link module into
/// `dir`; returns the chunks.
fn split(input: &[u8], dir: &Path, main: &Path) -> Result<Vec<PathBuf>, String> {
    let mut options = wasm_split_cli_support::Options::new(input);
    options.output_dir = dir;
    options.main_out_path = main;
    let main_module = format!("./{GLUE}");
    options.main_module = &main_module;
    let link_name = format!("./{LINK}");
    options.link_name = &link_name;
    let split = wasm_split_cli_support::transform(options)
        .map_err(|e| format!("splitting the wasm: {e:#}"))?;
    Ok(split.split_modules)
}

fn optimise(wasm: &Path) -> Result<(), String> {
    cmd::run(
        command("wasm-opt")
            .arg("-Oz")
            .args(WASM_FEATURES)
            .arg(wasm)
            .arg("-o")
            .arg(wasm),
    )
}

/// The files' names by content, and the scripts rewritten to name each other so.
struct Names {
    glue: String,
    glue_text: String,
    link: String,
    link_text: String,
    main: String,
}

impl Names {
    /// The glue and the link module import each other, so neither can be named by its own
    /// content alone: both take one name from both, and from every chunk's name (which the
    /// link module holds) and the main module's.
    fn new(
        glue: &str,
        link: &str,
        chunks: &BTreeMap<String, (String, Vec<u8>)>,
        main: &[u8],
    ) -> Result<Self, String> {
        let main_name = content_name("dvor", "wasm", main);
        let mut link_text = link.to_owned();
        for (stem, (name, _)) in chunks {
            let old = format!("\"./{stem}.wasm\"");
            if !link_text.contains(&old) {
                return Err(format!("the split loader never names {stem}.wasm"));
            }
            link_text = link_text.replace(&old, &format!("\"./{name}\""));
        }
        for (text, file) in [(glue, LINK), (link, GLUE)] {
            if import_from(text, file).is_none() {
                return Err(format!("expected an import of ./{file} in the loader"));
            }
        }
        let shared = hex(&Sha256::new()
            .chain_update(glue)
            .chain_update(&link_text)
            .chain_update(&main_name)
            .finalize());
        let glue_name = format!("dvor-{shared}.js");
        let link_name = format!("split-{shared}.js");
        Ok(Self {
            glue_text: rename_import(glue, LINK, &link_name),
            link_text: rename_import(&link_text, GLUE, &glue_name),
            glue: glue_name,
            link: link_name,
            main: main_name,
        })
    }
}

/// The `from './file'` clause (either quote) by which `script` imports `file`.
fn import_from(script: &str, file: &str) -> Option<String> {
    ['\'', '"']
        .map(|quote| format!("from {quote}./{file}{quote}"))
        .into_iter()
        .find(|clause| script.contains(clause.as_str()))
}

/// `script` importing `to` where it imported `from` — only in its import statements: the
/// wasm's own import module names (keys of the imports object) stay as the wasm has them.
fn rename_import(script: &str, from: &str, to: &str) -> String {
    match import_from(script, from) {
        Some(clause) => script.replace(&clause, &clause.replace(from, to)),
        None => script.to_owned(),
    }
}

/// `stem-<16 hex digits of the SHA-256 of bytes>.ext`.
fn content_name(stem: &str, ext: &str, bytes: &[u8]) -> String {
    format!("{stem}-{}.{ext}", hex(&Sha256::digest(bytes)))
}

/// The first 8 bytes of `digest` in hex: a file's name, a build's version.
pub fn hex(digest: &[u8]) -> String {
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

fn file_stem(path: &Path) -> Result<String, String> {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{} has no name", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE_TEXT: &str = "import * as s0 from './__wasm_split.js';\n\
        const imports = { './__wasm_split.js': s0 };\nexport function initSync() {}\n";

    fn link_text() -> String {
        "import { initSync } from \"./dvor.js\";\n\
         const a = fetch(new URL(\"./split_desk.wasm\", import.meta.url));\n\
         const b = fetch(new URL(\"./chunk_1.wasm\", import.meta.url));\n"
            .to_owned()
    }

    fn chunks(desk: &[u8]) -> BTreeMap<String, (String, Vec<u8>)> {
        [("split_desk", desk), ("chunk_1", b"shared".as_slice())]
            .into_iter()
            .map(|(stem, bytes)| {
                (
                    stem.to_owned(),
                    (content_name(stem, "wasm", bytes), bytes.to_vec()),
                )
            })
            .collect()
    }

    #[test]
    fn the_loader_names_every_file_by_content_and_imports_by_the_new_names() {
        let chunks = chunks(b"desk");
        let names = Names::new(GLUE_TEXT, &link_text(), &chunks, b"main").expect("named");
        assert!(is_content_named(&names.glue) && is_content_named(&names.link));
        assert!(is_content_named(&names.main));
        assert!(
            names
                .glue_text
                .contains(&format!("from './{}'", names.link))
        );
        assert!(
            names.glue_text.contains("'./__wasm_split.js': s0"),
            "the wasm's own import module keeps its name: {}",
            names.glue_text
        );
        assert!(
            names
                .link_text
                .contains(&format!("from \"./{}\"", names.glue))
        );
        for (name, _) in chunks.values() {
            assert!(is_content_named(name));
            assert!(names.link_text.contains(&format!("\"./{name}\"")));
        }
    }

    #[test]
    fn a_screen_that_changes_renames_its_chunk_and_the_shell_and_nothing_else() {
        let before_chunks = chunks(b"desk");
        let after_chunks = chunks(b"desk, changed");
        let before = Names::new(GLUE_TEXT, &link_text(), &before_chunks, b"main").expect("named");
        let after = Names::new(GLUE_TEXT, &link_text(), &after_chunks, b"main").expect("named");
        assert_ne!(before_chunks["split_desk"].0, after_chunks["split_desk"].0);
        assert_eq!(before_chunks["chunk_1"].0, after_chunks["chunk_1"].0);
        assert_ne!(before.link, after.link, "the loader names the new chunk");
        assert_ne!(before.glue, after.glue, "the glue imports the new loader");
        assert_eq!(before.main, after.main);
        let again = Names::new(GLUE_TEXT, &link_text(), &before_chunks, b"main").expect("named");
        assert_eq!(
            (before.glue, before.link),
            (again.glue, again.link),
            "the same build, the same names"
        );
    }

    #[test]
    fn a_loader_that_does_not_name_a_chunk_is_refused() {
        let mut chunks = chunks(b"desk");
        chunks.insert(
            "split_map".to_owned(),
            ("split_map-0.wasm".to_owned(), vec![]),
        );
        assert!(Names::new(GLUE_TEXT, &link_text(), &chunks, b"main").is_err());
    }

    fn is_content_named(name: &str) -> bool {
        let stem = name.split('.').next().unwrap_or_default();
        stem.rsplit_once('-').is_some_and(|(_, hash)| {
            hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
        })
    }
}
