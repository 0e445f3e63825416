//! Finishing `dist/` after Trunk: scripts minified with terser (Trunk's minifier fails on
//! wasm-bindgen's glue, «Failed to minify JS»), the page told to start the wasm, and every text
//! file and the wasm written again beside itself compressed, as `.br` (brotli at quality 11)
//! and `.gz` (gzip at level 9), for the server to send as they are.

use std::fs;
use std::io::Write as _;
use std::path::Path;

use base64::Engine as _;
use sha2::{Digest, Sha384};

use crate::cmd::{self, command};
use crate::wasm::Built;

/// The kinds of file worth compressing (images and fonts are compressed already).
const COMPRESSIBLE: [&str; 8] = [
    "html",
    "js",
    "css",
    "wasm",
    "json",
    "webmanifest",
    "svg",
    "txt",
];

/// Minifies the ES module at `path` in place with terser (from node_modules).
pub fn minify(path: &Path) -> Result<(), String> {
    let before = fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    cmd::run(
        command("node")
            .arg("node_modules/terser/bin/terser")
            .arg(path)
            .args(["--module", "--compress", "--mangle", "--output"])
            .arg(path),
    )?;
    let after = fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    println!(
        "minified {}: {} → {} bytes",
        path.file_name().unwrap_or_default().to_string_lossy(),
        before.len(),
        after.len()
    );
    Ok(())
}

/// Makes `dist/index.html` start the wasm: the glue and the main module fetched at once, as
/// the page is read, each checked against its hash (`integrity`).
pub fn start_wasm(dist: &Path, wasm: &Built) -> Result<(), String> {
    let index_path = dist.join("index.html");
    let index = read_text(&index_path)?;
    let read = |name: &str| {
        let path = dist.join(name);
        fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
    };
    let (glue, main) = (&wasm.glue, &wasm.main);
    let tags = format!(
        "<link rel=modulepreload href=/{glue} crossorigin integrity={}>\
         <link rel=preload href=/{main} as=fetch type=application/wasm crossorigin integrity={}>\
         <script type=module>import init from '/{glue}';await init({{module_or_path:'/{main}'}});</script>",
        integrity(&read(glue)?),
        integrity(&read(main)?),
    );
    let Some(head_end) = index.find("</head>") else {
        return Err("dist/index.html has no </head>".to_owned());
    };
    let mut page = index;
    page.insert_str(head_end, &tags);
    fs::write(&index_path, page).map_err(|e| format!("{}: {e}", index_path.display()))
}

/// Writes `.br` and `.gz` beside every compressible file of `dist`.
pub fn precompress(dist: &Path) -> Result<(), String> {
    let mut raw = 0;
    let mut brotli_total = 0;
    for file in crate::walk::files(dist)?
        .into_iter()
        .filter(|f| is_compressible(f))
    {
        let bytes = fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let br = brotli(&bytes)?;
        let gz = gzip(&bytes)?;
        raw += bytes.len();
        brotli_total += br.len();
        for (ext, compressed) in [("br", br), ("gz", gz)] {
            let mut name = file.clone().into_os_string();
            name.push(format!(".{ext}"));
            fs::write(&name, compressed).map_err(|e| format!("{}: {e}", file.display()))?;
        }
    }
    println!("compressed dist/: {raw} bytes of text and wasm, {brotli_total} with brotli");
    Ok(())
}

/// The brotli of `bytes` at quality 11 with a 4 MiB window.
pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).map_err(|e| e.to_string())?;
    Ok(out)
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).map_err(|e| e.to_string())?;
    encoder.finish().map_err(|e| e.to_string())
}

/// The `integrity` attribute's value of `bytes` as Trunk writes it.
fn integrity(bytes: &[u8]) -> String {
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
    )
}

fn is_compressible(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| COMPRESSIBLE.iter().any(|c| e == *c))
}

fn read_text(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_copies_read_back_as_the_file() {
        let text = "Двор: субботник во дворе. ".repeat(200);
        let br = brotli(text.as_bytes()).expect("compressed");
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut back).expect("decompressed");
        assert_eq!(back, text.as_bytes());
        assert!(br.len() < text.len() / 10);
        let gz = gzip(text.as_bytes()).expect("compressed");
        let mut back = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut back)
            .expect("decompressed");
        assert_eq!(back, text);
    }

    #[test]
    fn integrity_is_trunks_sha384_in_base64() {
        assert_eq!(
            integrity(b""),
            "sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb"
        );
    }
}
