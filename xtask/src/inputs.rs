//! What the built PWA is made from, as one digest: `cargo xtask run` rebuilds `dist/` only when
//! a source changed since the last build, not on every start under a running server.

use std::fs;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::cmd::root;

/// Folders whose files go into `dist/`: the client, the domain it shares, the styles, the
/// copied files, and the build's own code (which names, splits and stamps what it writes).
const FOLDERS: [&str; 5] = ["src", "core/src", "style", "public", "xtask/src"];
/// Single files that decide the build.
const FILES: [&str; 7] = [
    "index.html",
    "Trunk.toml",
    "Cargo.toml",
    "Cargo.lock",
    "core/Cargo.toml",
    "xtask/Cargo.toml",
    "package-lock.json",
];

/// The digest of every input's path and contents, in a fixed order.
pub fn digest() -> Result<String, String> {
    let root = root();
    let mut paths = Vec::new();
    for folder in FOLDERS {
        paths.extend(crate::walk::files(&root.join(folder))?);
    }
    paths.extend(FILES.iter().map(|f| root.join(f)));
    paths.sort();
    let mut hash = Sha256::new();
    for path in paths {
        let contents = fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let relative = path.strip_prefix(&root).unwrap_or(&path);
        hash.update(relative.to_string_lossy().as_bytes());
        hash.update((contents.len() as u64).to_le_bytes());
        hash.update(&contents);
    }
    Ok(crate::wasm::hex(&hash.finalize()))
}

/// Whether `dist` was built from exactly these inputs (`digest`), as `stamp` last recorded.
pub fn unchanged(dist: &Path, stamp: &Path, digest: &str) -> bool {
    dist.join("index.html").is_file()
        && dist.join("sw.js").is_file()
        && fs::read_to_string(stamp).is_ok_and(|kept| kept.trim() == digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_is_reused_only_when_its_stamp_matches_and_its_files_are_there() {
        let dir = std::env::temp_dir().join(format!("dvor-inputs-{}", std::process::id()));
        let dist = dir.join("dist");
        fs::create_dir_all(&dist).expect("dist");
        let stamp = dir.join("stamp");
        fs::write(&stamp, "abc\n").expect("stamp");
        assert!(!unchanged(&dist, &stamp, "abc"), "no page built yet");
        fs::write(dist.join("index.html"), "").expect("page");
        fs::write(dist.join("sw.js"), "").expect("worker");
        assert!(unchanged(&dist, &stamp, "abc"));
        assert!(!unchanged(&dist, &stamp, "abd"), "a source changed");
        fs::remove_file(&stamp).expect("removed");
        assert!(
            !unchanged(&dist, &stamp, "abc"),
            "a build cut short left no stamp"
        );
        fs::remove_dir_all(&dir).expect("cleaned");
    }

    #[test]
    fn the_digest_follows_the_sources() {
        let first = digest().expect("digest");
        assert_eq!(
            first,
            digest().expect("again"),
            "the same sources, the same digest"
        );
        assert_eq!(first.len(), 16);
    }
}
