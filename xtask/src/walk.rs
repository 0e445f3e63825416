//! Walking a folder: every file and folder below it, for the build's finishing steps and the
//! tidy check.

use std::fs;
use std::path::{Path, PathBuf};

/// Every file and folder below `dir`, skipping the folders named in `skip` (and all below
/// them).
pub fn paths(dir: &Path, skip: &[&str]) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in fs::read_dir(&next).map_err(|e| format!("{}: {e}", next.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path
                .file_name()
                .is_some_and(|n| skip.iter().any(|s| n == *s))
            {
                continue;
            }
            if path.is_dir() {
                pending.push(path.clone());
            }
            found.push(path);
        }
    }
    Ok(found)
}

/// Every file below `dir`.
pub fn files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    Ok(paths(dir, &[])?
        .into_iter()
        .filter(|path| path.is_file())
        .collect())
}
