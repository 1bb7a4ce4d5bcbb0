//! The build stamp: proof that `relay/site/` was built from the current sources.
//!
//! The built front end is committed, so that `cargo run -p relay` needs no
//! wasm toolchain. The risk is a committed build that no longer matches its
//! sources. So `cargo xtask build-web` writes `relay/site/BUILD-STAMP` with
//! a digest of everything the build reads (the `web` and `protocol` crates,
//! `www/`, `Trunk.toml`, the versions of every crate `web` depends on, and
//! the release profile) and a digest of every file it wrote. CI recomputes
//! both: a source changed without a rebuild, or a built file edited by hand,
//! fails the check.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Result;
use crate::cmd;

/// The stamp's place, inside the built folder (the relay does not serve it).
pub const STAMP: &str = "BUILD-STAMP";
/// Where the built front end lives, relative to the repository's root.
pub const SITE: &str = "relay/site";

/// Sources of the front end, relative to the root: folders and single files.
const SOURCES: [&str; 4] = ["web", "protocol", "www", "Trunk.toml"];
/// Parts of those folders the build does not read (tests and test settings).
const NOT_SOURCES: [&str; 3] = ["web/tests", "web/webdriver.json", "protocol/tests"];

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Stamp {
    /// Digest of the sources the build read.
    sources: String,
    /// The tools that built it (information for people; not checked).
    built_with: String,
    /// Each built file and the digest of its bytes.
    files: BTreeMap<String, String>,
}

/// Writes the stamp for the freshly built `relay/site/`.
pub fn write(root: &Path, built_with: String) -> Result {
    let stamp = Stamp { sources: sources_digest(root)?, built_with, files: site_files(root)? };
    let text = format!(
        "# Written by `cargo xtask build-web`; checked by `cargo xtask check-web`.\n\
         # Do not edit: rebuild instead.\n{}",
        toml::to_string(&stamp).map_err(|error| error.to_string())?
    );
    std::fs::write(root.join(SITE).join(STAMP), text).map_err(|error| format!("writing the stamp: {error}"))
}

/// Fails unless `relay/site/` is what the current sources build to.
pub fn check(root: &Path) -> Result {
    let path = root.join(SITE).join(STAMP);
    let text = std::fs::read_to_string(&path)
        .map_err(|_| format!("{SITE}/{STAMP} is missing: run `cargo xtask build-web` and commit {SITE}/"))?;
    let stamp: Stamp = toml::from_str(&text).map_err(|error| format!("{SITE}/{STAMP}: {error}"))?;
    if stamp.sources != sources_digest(root)? {
        return Err(format!(
            "{SITE}/ is stale: the front end's sources changed since it was built. \
             Run `cargo xtask build-web` and commit {SITE}/."
        ));
    }
    let files = site_files(root)?;
    if stamp.files != files {
        let changed: Vec<&String> = stamp
            .files
            .keys()
            .chain(files.keys())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .filter(|name| stamp.files.get(*name) != files.get(*name))
            .collect();
        return Err(format!("{SITE}/ differs from what was built (changed by hand?): {changed:?}"));
    }
    println!("{SITE}/ is up to date with its sources ({} files).", files.len());
    Ok(())
}

/// One digest over every source file's path and bytes, the dependency
/// versions and the release profile.
fn sources_digest(root: &Path) -> Result<String> {
    let mut files = Vec::new();
    for source in SOURCES {
        collect_files(root, &root.join(source), &mut files)?;
    }
    files.sort();
    let mut digest = Sha256::new();
    for file in &files {
        let relative = relative(root, file);
        let bytes = std::fs::read(file).map_err(|error| format!("{relative}: {error}"))?;
        digest.update(format!("{relative}\0{}\n", hex(&Sha256::digest(&bytes))));
    }
    digest.update(dependencies(root)?);
    digest.update(release_profile(root)?);
    Ok(hex(&digest.finalize()))
}

fn collect_files(root: &Path, path: &Path, files: &mut Vec<PathBuf>) -> Result {
    if NOT_SOURCES.contains(&relative(root, path).as_str()) {
        return Ok(());
    }
    if path.is_file() {
        files.push(path.to_path_buf());
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(|error| format!("{}: {error}", path.display()))?;
    for entry in entries {
        let entry = entry.map_err(|error| error.to_string())?;
        collect_files(root, &entry.path(), files)?;
    }
    Ok(())
}

/// Every crate (name and version) the `web` crate builds with for wasm.
fn dependencies(root: &Path) -> Result<String> {
    let args =
        ["tree", "-p", "web", "--target", crate::wasm::TARGET, "-e", "normal,build", "--prefix", "none"];
    let command = cmd::command("cargo", &args, root, &[]).output();
    let output = command.map_err(|error| format!("cargo tree: {error}"))?;
    if !output.status.success() {
        return Err(format!("cargo tree failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    // "protocol v0.1.0 (/path/to/protocol)" and "serde v1.0.228 (*)": keep the name and version.
    let crates: BTreeSet<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split(" (").next())
        .map(|line| line.trim().to_owned())
        .filter(|line| !line.is_empty())
        .collect();
    Ok(crates.into_iter().collect::<Vec<_>>().join("\n"))
}

/// The root manifest's `[profile.*]` tables, which shape the release build.
fn release_profile(root: &Path) -> Result<String> {
    let text = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|error| error.to_string())?;
    let manifest: toml::Table = toml::from_str(&text).map_err(|error| format!("Cargo.toml: {error}"))?;
    Ok(manifest.get("profile").map(ToString::to_string).unwrap_or_default())
}

/// Each file of the built site (but the stamp) and its digest.
fn site_files(root: &Path) -> Result<BTreeMap<String, String>> {
    let site = root.join(SITE);
    let mut files = Vec::new();
    collect_files(&site, &site, &mut files)?;
    let mut digests = BTreeMap::new();
    for file in files {
        let name = relative(&site, &file);
        if name != STAMP {
            let bytes = std::fs::read(&file).map_err(|error| format!("{name}: {error}"))?;
            digests.insert(name, hex(&Sha256::digest(&bytes)));
        }
    }
    Ok(digests)
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
