//! Installs what the build and the tests need, and only what is missing:
//! each tool is checked first (its version, where that matters), so a
//! machine that has everything spends seconds here, not minutes.
//!
//! * Debian packages: Chromium and ChromeDriver for the browser tests (and a
//!   Chinese font for their screenshots), `nc` for a test of the Hello
//!   server, nginx for the HTTP lesson's tests (they run their own nginx,
//!   so the system's nginx service plays no part), `binaryen` (wasm-opt)
//!   for the front end's build, and the Debian wasm route's compiler when
//!   rustup cannot add the wasm target (see `wasm`).
//! * Cargo tools: `wasm-bindgen-cli` at exactly the version of the
//!   `wasm-bindgen` crate in Cargo.lock, and Trunk.
//! * From npm (Node comes with the machine), into `target/tools/`:
//!   binaryen, whose `wasm-opt` Trunk runs to shrink the wasm, and
//!   axe-core, the accessibility checker the browser tests run in the page.
//!
//! `cargo xtask bench` (not CI) also needs the bridges it compares the
//! relay with: [`websocat`] from crates.io and [`websockify`] from PyPI.

use std::path::{Path, PathBuf};

use crate::Result;
use crate::cmd;
use crate::wasm::Route;

/// Trunk's version: 0.22 needs a newer rustc than this project's stable.
pub const TRUNK_VERSION: &str = "0.21.14";

/// binaryen's major version, as Trunk.toml pins it for `wasm-opt`.
const BINARYEN_VERSION: &str = "132";
/// axe-core's version, for the browser tests' accessibility scan.
const AXE_VERSION: &str = "4.10.3";

/// The versions of the bridges `cargo xtask bench` compares the relay with.
pub const WEBSOCAT_VERSION: &str = "1.14.0";
pub const WEBSOCKIFY_VERSION: &str = "0.13.0";

/// Debian packages every run of the tests needs.
const TEST_PACKAGES: [&str; 5] =
    ["chromium", "chromium-driver", "fonts-wqy-zenhei", "netcat-openbsd", "nginx"];

/// Everything `cargo xtask ci` needs; returns the wasm route to build with.
pub fn everything(root: &Path) -> Result<Route> {
    let route = Route::choose()?;
    let mut packages = TEST_PACKAGES.to_vec();
    packages.extend_from_slice(route.packages());
    debian_packages(&packages)?;
    cargo_tools(root)?;
    axe_core(root)?;
    Ok(route)
}

/// What `cargo xtask build-web` needs.
pub fn for_web_build(root: &Path) -> Result<Route> {
    let route = Route::choose()?;
    debian_packages(route.packages())?;
    cargo_tools(root)?;
    Ok(route)
}

/// What `cargo xtask test-wasm` needs.
pub fn for_wasm_tests(root: &Path) -> Result<Route> {
    let route = Route::choose()?;
    let mut packages = vec!["chromium", "chromium-driver"];
    packages.extend_from_slice(route.packages());
    debian_packages(&packages)?;
    cargo_tools(root)?;
    Ok(route)
}

/// What `cargo xtask test-browser` needs.
pub fn for_browser_tests(root: &Path) -> Result {
    debian_packages(&TEST_PACKAGES)?;
    axe_core(root)
}

/// Where the browser tests find axe-core's script (`AXE_CORE`).
pub fn axe_script(root: &Path) -> PathBuf {
    npm_prefix(root, "axe-core").join("node_modules").join("axe-core").join("axe.min.js")
}

/// Installs axe-core from npm unless its package already has `AXE_VERSION`.
fn axe_core(root: &Path) -> Result {
    let package = npm_prefix(root, "axe-core").join("node_modules").join("axe-core").join("package.json");
    let present = std::fs::read_to_string(package).unwrap_or_default();
    if present.contains(&format!("\"version\": \"{AXE_VERSION}\"")) {
        return Ok(());
    }
    println!("Installing axe-core {AXE_VERSION} from npm…");
    npm_install(root, "axe-core", &format!("axe-core@{AXE_VERSION}"))
}

/// `target/tools/<name>`: where one npm package is installed.
fn npm_prefix(root: &Path, name: &str) -> PathBuf {
    root.join("target").join("tools").join(name)
}

/// `npm install` of `package` into its own prefix under `target/tools/`.
fn npm_install(root: &Path, name: &str, package: &str) -> Result {
    let prefix = npm_prefix(root, name).display().to_string();
    let args = ["install", "--prefix", &prefix, "--no-audit", "--no-fund", package];
    cmd::run(cmd::command("npm", &args, root, &[]))
}

fn cargo_tools(root: &Path) -> Result {
    let bindgen = wasm_bindgen_version(root)?;
    cargo_tool("wasm-bindgen", "wasm-bindgen-cli", &bindgen)?;
    cargo_tool("trunk", "trunk", TRUNK_VERSION)?;
    binaryen(root)
}

/// Where npm puts binaryen's programs; Trunk finds `wasm-opt` here.
pub fn binaryen_bin(root: &Path) -> PathBuf {
    npm_prefix(root, "binaryen").join("node_modules").join(".bin")
}

/// Installs binaryen from npm unless its `wasm-opt` already reports
/// `BINARYEN_VERSION`. (Debian's binaryen, version 108, turns
/// wasm-bindgen's externref table into a function table, and the page
/// fails to start.)
fn binaryen(root: &Path) -> Result {
    let wasm_opt = binaryen_bin(root).join("wasm-opt").display().to_string();
    let reported = cmd::output(&wasm_opt, &["--version"]).unwrap_or_default();
    if reported.split_whitespace().nth(2) == Some(BINARYEN_VERSION) {
        return Ok(());
    }
    println!("Installing binaryen {BINARYEN_VERSION} (wasm-opt) from npm…");
    npm_install(root, "binaryen", &format!("binaryen@{BINARYEN_VERSION}.0.0"))
}

/// Installs the Debian packages that are not installed yet.
fn debian_packages(packages: &[&str]) -> Result {
    let missing: Vec<&str> = packages.iter().copied().filter(|package| !installed(package)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    println!("Installing Debian packages: {}", missing.join(" "));
    let root = cmd::output("id", &["-u"]).is_some_and(|uid| uid.trim() == "0");
    let (program, prefix): (&str, &[&str]) =
        if root { ("apt-get", &[]) } else { ("sudo", &["-n", "apt-get"]) };
    let env = [("DEBIAN_FRONTEND".to_owned(), "noninteractive".to_owned())];
    let apt = |args: &[&str]| {
        let args: Vec<&str> = prefix.iter().chain(args).copied().collect();
        cmd::run(cmd::command(program, &args, Path::new("/"), &env))
    };
    apt(&["update", "-q"])?;
    let mut install = vec!["install", "-y", "-q"];
    install.extend(&missing);
    apt(&install).map_err(|error| format!("{error}: install {} as root, then run again", missing.join(" ")))
}

fn installed(package: &str) -> bool {
    cmd::output("dpkg-query", &["-W", "-f=${Status}", package])
        .is_some_and(|status| status.ends_with(" ok installed"))
}

/// Installs websocat from crates.io unless `websocat --version` reports
/// `WEBSOCAT_VERSION`. (Its lock file pins a `traitobject` that today's
/// rustc rejects; the retry without `--locked` takes the fixed release.)
pub fn websocat() -> Result {
    cargo_tool("websocat", "websocat", WEBSOCAT_VERSION)
}

/// Where websockify's virtual environment lives.
pub fn websockify_venv(root: &Path) -> PathBuf {
    root.join("target").join("tools").join("websockify")
}

/// Installs websockify from PyPI into a virtual environment under
/// `target/tools/` (Debian's Python is "externally managed": pip may not
/// install into it), unless it is there at `WEBSOCKIFY_VERSION`; returns
/// the `websockify` program.
pub fn websockify(root: &Path) -> Result<PathBuf> {
    let venv = websockify_venv(root);
    let (python, program) = (venv.join("bin").join("python"), venv.join("bin").join("websockify"));
    if websockify_version(&python).as_deref() == Some(WEBSOCKIFY_VERSION) && program.exists() {
        return Ok(program);
    }
    println!("Installing websockify {WEBSOCKIFY_VERSION} from PyPI into {}…", venv.display());
    let make_venv =
        || cmd::run(cmd::command("python3", &["-m", "venv", &venv.display().to_string()], root, &[]));
    // Debian's python3 makes virtual environments only with python3-venv.
    make_venv().or_else(|_| debian_packages(&["python3-venv"]).and_then(|()| make_venv()))?;
    let package = format!("websockify=={WEBSOCKIFY_VERSION}");
    let pip = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", &package];
    cmd::run(cmd::command(&python.display().to_string(), &pip, root, &[]))?;
    Ok(program)
}

/// The websockify version installed for `python`, if any.
pub fn websockify_version(python: &Path) -> Option<String> {
    let script = "import importlib.metadata as m; print(m.version('websockify'))";
    cmd::output(&python.display().to_string(), &["-c", script]).map(|version| version.trim().to_owned())
}

/// Installs `krate` with cargo unless `binary --version` already reports `version`.
fn cargo_tool(binary: &str, krate: &str, version: &str) -> Result {
    let reported = cmd::output(binary, &["--version"]).unwrap_or_default();
    if reported.split_whitespace().nth(1) == Some(version) {
        return Ok(());
    }
    println!("Installing {krate} {version} (this takes minutes on two cores)…");
    let locked = ["install", krate, "--version", version, "--locked"];
    let run = |args: &[&str]| cmd::run(cmd::command("cargo", args, Path::new("/"), &[]));
    // A crate's own lock file may name a version the registry mirror lacks;
    // then the newest compatible versions will do.
    run(&locked).or_else(|_| run(&locked[..4]))
}

/// The version of the `wasm-bindgen` crate in Cargo.lock, which the CLI must equal.
pub fn wasm_bindgen_version(root: &Path) -> Result<String> {
    #[derive(serde::Deserialize)]
    struct Lock {
        package: Vec<Package>,
    }
    #[derive(serde::Deserialize)]
    struct Package {
        name: String,
        version: String,
    }
    let text =
        std::fs::read_to_string(root.join("Cargo.lock")).map_err(|error| format!("Cargo.lock: {error}"))?;
    let lock: Lock = toml::from_str(&text).map_err(|error| format!("Cargo.lock: {error}"))?;
    lock.package
        .into_iter()
        .find(|package| package.name == "wasm-bindgen")
        .map(|package| package.version)
        .ok_or_else(|| "Cargo.lock has no wasm-bindgen".to_owned())
}
