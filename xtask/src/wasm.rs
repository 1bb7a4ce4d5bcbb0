//! Which Rust compiles the front end to wasm, and how.
//!
//! Two routes lead to a `wasm32-unknown-unknown` build:
//!
//! * **rustup**: `rustup target add wasm32-unknown-unknown`, as on any laptop.
//! * **Debian**: where rustup cannot download the target (a closed network
//!   with only package registries), Debian's `rustc-web` and `rust-web-src`
//!   packages give a compiler and the standard library's sources, and cargo
//!   builds the standard library itself (`-Z build-std`, allowed on a stable
//!   toolchain by `RUSTC_BOOTSTRAP=1`). `wasm-ld-22` from `lld-22` links.
//!   These settings apply to the wasm build only; everything native keeps
//!   rustup's compiler. See `../shared/TOOLCHAIN.md` for how this was found.
//!
//! `PLAYGROUND_WASM_ROUTE=debian` (or `rustup`) forces a route.

use std::path::Path;

use crate::Result;
use crate::cmd::{self, Counts};

pub const TARGET: &str = "wasm32-unknown-unknown";

/// The Debian packages the Debian route needs.
const DEBIAN_PACKAGES: [&str; 4] = ["rustc-web", "cargo-web", "rust-web-src", "lld-22"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Rustup,
    Debian,
}

impl Route {
    /// Picks the route: forced by the environment, else rustup's target if
    /// it is installed or can be added, else Debian's packages.
    pub fn choose() -> Result<Route> {
        match std::env::var("PLAYGROUND_WASM_ROUTE").as_deref() {
            Ok("debian") => return Ok(Route::Debian),
            Ok("rustup") => return Ok(Route::Rustup),
            Ok(other) => return Err(format!("PLAYGROUND_WASM_ROUTE={other:?}: use `rustup` or `debian`")),
            Err(_) => {}
        }
        let installed = cmd::output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
        if installed.lines().any(|line| line.trim() == TARGET) {
            return Ok(Route::Rustup);
        }
        println!("Adding the {TARGET} target with rustup…");
        // rustup retries for a long time on a closed network: give it two minutes.
        if cmd::output("timeout", &["120", "rustup", "target", "add", TARGET]).is_some() {
            return Ok(Route::Rustup);
        }
        println!("rustup cannot add {TARGET} here: using Debian's rustc-web with build-std.");
        Ok(Route::Debian)
    }

    /// The Debian packages this route needs.
    pub fn packages(self) -> &'static [&'static str] {
        match self {
            Route::Rustup => &[],
            Route::Debian => &DEBIAN_PACKAGES,
        }
    }

    /// Environment for cargo (and Trunk) when building for wasm. Each route
    /// has its own target folder, so native builds are never redone.
    pub fn env(self, root: &Path) -> Vec<(String, String)> {
        let pairs: &[(&str, &str)] = match self {
            Route::Rustup => &[],
            Route::Debian => &[
                ("RUSTC", "/usr/bin/rustc"),
                ("RUSTDOC", "/usr/bin/rustdoc"),
                ("RUSTC_BOOTSTRAP", "1"),
                ("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort"),
                ("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", "wasm-ld-22"),
            ],
        };
        let folder = match self {
            Route::Rustup => "wasm",
            Route::Debian => "wasm-debian",
        };
        let mut env: Vec<(String, String)> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        env.push(("CARGO_TARGET_DIR".into(), root.join("target").join(folder).display().to_string()));
        env
    }

    /// The compiler this route uses, for the build stamp.
    pub fn rustc_version(self) -> String {
        let rustc = match self {
            Route::Rustup => "rustc",
            Route::Debian => "/usr/bin/rustc",
        };
        cmd::output(rustc, &["--version"]).unwrap_or_default().trim().to_owned()
    }
}

/// Runs the front end's wasm-bindgen tests in headless Chromium.
pub fn test(root: &Path) -> Result<Counts> {
    let route = crate::install::for_wasm_tests(root)?;
    let counts = test_with(root, route);
    match counts.failed {
        0 => Ok(counts),
        n => Err(format!("{n} wasm test(s) failed")),
    }
}

/// The same, once the tools are known to be installed.
pub fn test_with(root: &Path, route: Route) -> Counts {
    let mut env = route.env(root);
    for (key, value) in [
        ("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner"),
        ("CHROMEDRIVER", "/usr/bin/chromedriver"),
        ("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    ] {
        env.push((key.into(), value.into()));
    }
    // The runner reads web/webdriver.json (Chromium's flags) from its folder.
    let command = cmd::command("cargo", &["test", "--target", TARGET, "-p", "web"], &root.join("web"), &env);
    cmd::run_tests(command)
}
