//! `cargo xtask test`'s tidy check: every Rust module says what it is for in a `//!` comment,
//! and every file the architecture map (`docs/architecture.md`) names exists, so the map
//! cannot drift from the tree unnoticed.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fs;
use std::path::{Path, PathBuf};

use crate::cmd::root;

/// The crates' sources, whose every module needs its comment.
const SOURCES: [&str; 4] = ["core/src", "server/src", "src", "xtask/src"];
/// What the build and the tests write: the map may name them, and they need not exist.
const GENERATED: [&str; 4] = ["dist/", "target/", "node_modules/", "test-output/"];
/// Folders never looked into: build output and packages.
const SKIPPED: [&str; 4] = ["target", "node_modules", "dist", ".git"];
/// What a name must end with for the map's check to take it for a file or folder.
const FILE_ENDINGS: [&str; 10] = [
    ".rs", ".mjs", ".js", ".toml", ".md", ".json", ".html", ".css", ".sql", "/",
];

/// Runs both checks; the error lists every fault.
pub fn check() -> Result<(), String> {
    let root = root();
    let mut faults = Vec::new();
    for dir in SOURCES {
        for file in rust_files(&root.join(dir))? {
            let text = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            if !has_module_comment(&text) {
                faults.push(format!(
                    "{} has no `//!` comment saying what it is for",
                    relative(&root, &file)
                ));
            }
        }
    }
    let map_path = root.join("docs").join("architecture.md");
    let map = fs::read_to_string(&map_path).map_err(|e| format!("{}: {e}", map_path.display()))?;
    // Each section's folder is walked once, however many names it holds.
    let mut trees = HashMap::new();
    for (section, name) in named_paths(&map) {
        if !exists(&root, section.as_deref(), &name, &mut trees)? {
            faults.push(format!(
                "docs/architecture.md names `{name}`{}, which does not exist",
                section.map(|s| format!(" under `{s}`")).unwrap_or_default()
            ));
        }
    }
    if faults.is_empty() {
        println!(
            "tidy: every module has its comment; every path the architecture map names exists"
        );
        Ok(())
    } else {
        Err(faults.join("\n"))
    }
}

/// Whether the file's first lines that are not blank or attributes are a `//!` comment.
fn has_module_comment(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .find(|line| !line.is_empty() && !line.starts_with("#!["))
        .is_some_and(|line| line.starts_with("//!"))
}

/// Each backticked name in `map` that looks like a file or folder, with the folder of the
/// `### \`folder/\`` section it is named in (names there are relative to it), if any.
fn named_paths(map: &str) -> Vec<(Option<String>, String)> {
    let mut section = None;
    let mut names = Vec::new();
    for line in map.lines() {
        if let Some(heading) = line.strip_prefix("### ") {
            section = heading
                .split('`')
                .nth(1)
                .filter(|first| first.ends_with('/'))
                .map(str::to_owned);
        } else if line.starts_with("## ") {
            section = None;
        }
        for (i, quoted) in line.split('`').enumerate() {
            let is_path = i % 2 == 1
                && !quoted.contains(' ')
                && !quoted.starts_with('/')
                && !quoted.contains("::")
                && FILE_ENDINGS.iter().any(|end| quoted.ends_with(end))
                && !GENERATED.iter().any(|dir| quoted.starts_with(dir));
            if is_path {
                names.push((section.clone(), quoted.to_owned()));
            }
        }
    }
    names
}

/// Whether `name` is a path from the root, or the end of a path under `section`; `trees`
/// keeps each section's paths once read.
fn exists(
    root: &Path,
    section: Option<&str>,
    name: &str,
    trees: &mut HashMap<String, Vec<String>>,
) -> Result<bool, String> {
    let name = name.trim_end_matches('/');
    if root.join(name).exists() {
        return Ok(true);
    }
    let Some(section) = section else {
        return Ok(false);
    };
    let base = root.join(section);
    if base.join(name).exists() {
        return Ok(true);
    }
    let suffix = format!("/{name}");
    let tree = match trees.entry(section.to_owned()) {
        Entry::Occupied(read) => read.into_mut(),
        Entry::Vacant(unread) => unread.insert(
            crate::walk::paths(&base, &SKIPPED)?
                .iter()
                .map(|path| path.to_string_lossy().replace('\\', "/"))
                .collect(),
        ),
    };
    Ok(tree.iter().any(|path| path.ends_with(&suffix)))
}

fn rust_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    Ok(crate::walk::paths(dir, &SKIPPED)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect())
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_module_comment_may_follow_attributes_but_nothing_else() {
        assert!(has_module_comment("//! What it is.\n\nuse x;"));
        assert!(has_module_comment("#![allow(x)]\n\n//! What it is.\n"));
        assert!(!has_module_comment("// A plain comment.\nuse x;"));
        assert!(!has_module_comment("use x;\n//! Too late.\n"));
        assert!(!has_module_comment(""));
    }

    #[test]
    fn names_are_read_with_the_folder_of_their_section() {
        let map = "Intro `README.md` and `a thing`.\n### `src/` — client\n- `app.rs` \
                   and `store/` and `Option::None`, built into `dist/map/`\n## Decisions\n\
                   `docs/x.md`\n";
        assert_eq!(
            named_paths(map),
            vec![
                (None, "README.md".to_owned()),
                (Some("src/".to_owned()), "src/".to_owned()),
                (Some("src/".to_owned()), "app.rs".to_owned()),
                (Some("src/".to_owned()), "store/".to_owned()),
                (None, "docs/x.md".to_owned()),
            ]
        );
    }
}
