//! The front end's weight: what a learner's browser downloads before the
//! page can start, as the relay serves it, gzipped.
//!
//! The relay compresses what it serves with gzip (`tower-http`, at its
//! default level), so the bytes on the wire are the gzipped sizes of the
//! built files in `relay/site/`: here, the wasm module and its JavaScript
//! glue, compressed with flate2 at its default level (6), as gzip does.

use std::io::Write;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::Result;

/// Gzipped sizes, in bytes.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub wasm: u64,
    pub js: u64,
}

impl Sizes {
    pub fn total(&self) -> u64 {
        self.wasm + self.js
    }
}

/// The gzipped sizes of the `.wasm` and `.js` files in `site`.
pub fn gzipped(site: &Path) -> Result<Sizes> {
    let mut sizes = Sizes { wasm: 0, js: 0 };
    let entries = std::fs::read_dir(site).map_err(|error| format!("{}: {error}", site.display()))?;
    for entry in entries.filter_map(std::io::Result::ok) {
        let path = entry.path();
        let kind = match path.extension().and_then(|extension| extension.to_str()) {
            Some("wasm") => &mut sizes.wasm,
            Some("js") => &mut sizes.js,
            _ => continue,
        };
        let bytes = std::fs::read(&path).map_err(|error| format!("{}: {error}", path.display()))?;
        *kind += gzip(&bytes).len() as u64;
    }
    if sizes.wasm == 0 {
        return Err(format!("no .wasm in {}: run `cargo xtask build-web`", site.display()));
    }
    Ok(sizes)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).expect("writing to memory does not fail");
    encoder.finish().expect("writing to memory does not fail")
}
