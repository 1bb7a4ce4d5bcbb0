//! Building the front end: Trunk compiles `web/` to wasm, binds it with
//! wasm-bindgen, and assembles `www/index.html` with its styles and assets.
//! `build-web` puts the result in `relay/site/`, which the relay embeds.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::install::{self, TRUNK_VERSION};
use crate::stamp::{self, SITE};
use crate::wasm::Route;
use crate::{Result, cmd};

/// `cargo xtask build-web`: build, replace `relay/site/`, stamp it.
pub fn build(root: &Path) -> Result {
    let route = install::for_web_build(root)?;
    let dist = trunk_build(root, route)?;
    let site = root.join(SITE);
    if site.exists() {
        std::fs::remove_dir_all(&site).map_err(|error| format!("clearing {SITE}: {error}"))?;
    }
    copy_folder(&dist, &site)?;
    let bindgen = install::wasm_bindgen_version(root)?;
    stamp::write(root, format!("{}, wasm-bindgen {bindgen}, trunk {TRUNK_VERSION}", route.rustc_version()))?;
    println!("Built {SITE}/; commit it with the sources it was built from.");
    Ok(())
}

/// Runs Trunk into `target/trunk-dist`; reports the sizes a browser downloads.
///
/// Not `--offline`: Trunk would pass it to cargo, which on the Debian route
/// must still download the standard library's own dependencies on a fresh
/// machine. Trunk uses the `wasm-bindgen` and `wasm-opt` on PATH (at the
/// versions Trunk.toml pins, installed by `install`) and downloads nothing.
pub fn trunk_build(root: &Path, route: Route) -> Result<PathBuf> {
    let dist = root.join("target").join("trunk-dist");
    let dist_arg = dist.display().to_string();
    let args = ["build", "--release", "--dist", &dist_arg];
    let mut env = route.env(root);
    let path = std::env::var("PATH").unwrap_or_default();
    env.push(("PATH".into(), format!("{}:{path}", install::binaryen_bin(root).display())));
    cmd::run(cmd::command("trunk", &args, root, &env))?;
    report_sizes(&dist)?;
    Ok(dist)
}

/// Prints each built file's size, raw and gzipped (as the relay sends it).
fn report_sizes(dist: &Path) -> Result {
    let mut total = (0, 0);
    let mut entries: Vec<_> = std::fs::read_dir(dist).map_err(|error| error.to_string())?.flatten().collect();
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let bytes = std::fs::read(entry.path()).map_err(|error| error.to_string())?;
        let mut gzip = GzEncoder::new(Vec::new(), Compression::default());
        gzip.write_all(&bytes).map_err(|error| error.to_string())?;
        let gzipped = gzip.finish().map_err(|error| error.to_string())?.len();
        println!(
            "  {:<40} {:>9} bytes, {:>8} gzipped",
            entry.file_name().to_string_lossy(),
            bytes.len(),
            gzipped
        );
        total = (total.0 + bytes.len(), total.1 + gzipped);
    }
    println!("  {:<40} {:>9} bytes, {:>8} gzipped", "total", total.0, total.1);
    Ok(())
}

fn copy_folder(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|error| format!("{}: {error}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|error| format!("{}: {error}", from.display()))? {
        let entry = entry.map_err(|error| error.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_folder(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|error| format!("{}: {error}", target.display()))?;
        }
    }
    Ok(())
}
