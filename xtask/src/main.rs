//! `cargo xtask`: the project's build and test automation, in Rust, so it
//! runs wherever cargo does (the `xtask` convention).
//!
//! ```text
//! cargo xtask ci          everything CI runs, ending with "N passed, N failed"
//! cargo xtask install     the tools the build and tests need, skipping those present
//! cargo xtask build-web   rebuild the front end into relay/site/ (commit the result)
//! cargo xtask check-web   fail if relay/site/ is stale for the current sources
//! cargo xtask test-wasm   the front end's tests, in headless Chromium
//! cargo xtask test-browser  the browser end-to-end tests
//! cargo xtask load        1,000 Hello sessions at once against a real relay
//! cargo xtask bench       the relay next to websocat, websockify and direct TCP; writes docs/benchmarks.md
//! ```

mod bench;
mod ci;
mod cmd;
mod install;
mod load;
mod procfs;
mod site;
mod stamp;
mod wasm;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "The socket playground's build and test automation")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Install what is missing, run every check and test, print a summary.
    Ci,
    /// Install the tools the build and tests need; skip those already present.
    Install,
    /// Build the front end with Trunk into relay/site/, with its build stamp.
    BuildWeb,
    /// Fail if relay/site/ was not built from the current sources.
    CheckWeb,
    /// Run the front end's wasm-bindgen tests in headless Chromium.
    TestWasm,
    /// Run the browser end-to-end tests against a real relay process.
    TestBrowser,
    /// Run many Hello sessions at once through a real relay: answers lost or
    /// garbled, request latency, and the relay's peak memory.
    Load(load::Options),
    /// Measure the relay next to other WebSocket-to-TCP bridges (websocat,
    /// websockify) and direct TCP, and its front end; write docs/benchmarks.md.
    Bench(bench::Options),
}

fn main() -> ExitCode {
    let root = workspace_root();
    let outcome = match Cli::parse().task {
        Task::Ci => return ci::run(&root),
        Task::Install => install::everything(&root).map(|_| ()),
        Task::BuildWeb => site::build(&root),
        Task::CheckWeb => stamp::check(&root),
        Task::TestWasm => wasm::test(&root).map(|_| ()),
        Task::TestBrowser => ci::browser_tests(&root).map(|_| ()),
        Task::Load(options) => load::run(&root, &options),
        Task::Bench(options) => bench::run(&root, &options),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The repository's root: the parent of this crate.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the workspace").to_path_buf()
}

/// Where cargo puts what it builds: `$CARGO_TARGET_DIR`, or `target/`.
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// Errors are messages for the person at the terminal.
type Result<T = ()> = std::result::Result<T, String>;
