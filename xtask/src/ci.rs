//! `cargo xtask ci`: every check and test, in one command, on any machine.
//!
//! It installs what is missing, then runs in order: the format check,
//! clippy with warnings as errors, every native test, a load of 200 Hello
//! sessions at once through a real relay (`load.rs`), the check that the
//! committed front end matches its sources, the wasm build, the front end's
//! tests in headless Chromium, and the browser end-to-end tests. A failing
//! step does not stop the others (unless they need it), so one run shows
//! everything that is wrong. It ends with a table of the steps and one line:
//! `N passed, N failed`, counting every test and every check.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::cmd::{self, Counts};
use crate::{Result, install, load, site, stamp, wasm};

struct Step {
    name: &'static str,
    counts: Counts,
    took: Duration,
}

#[derive(Default)]
struct Report {
    steps: Vec<Step>,
}

impl Report {
    /// A step that passes or fails as a whole.
    fn check<T>(&mut self, name: &'static str, work: impl FnOnce() -> Result<T>) -> Option<T> {
        let started = announce(name);
        let outcome = work();
        let counts = match &outcome {
            Ok(_) => Counts { passed: 1, failed: 0 },
            Err(error) => {
                eprintln!("xtask: {name}: {error}");
                Counts { passed: 0, failed: 1 }
            }
        };
        self.record(name, started, counts);
        outcome.ok()
    }

    /// A step that runs tests and reports how many passed and failed.
    fn tests(&mut self, name: &'static str, work: impl FnOnce() -> Counts) {
        let started = announce(name);
        let counts = work();
        self.record(name, started, counts);
    }

    fn record(&mut self, name: &'static str, started: Instant, counts: Counts) {
        self.steps.push(Step { name, counts, took: started.elapsed() });
    }

    fn print(&self, took: Duration) -> ExitCode {
        println!("\n{:<34} {:>7} {:>7} {:>9}", "step", "passed", "failed", "time");
        let mut total = Counts::default();
        for step in &self.steps {
            let Counts { passed, failed } = step.counts;
            println!("{:<34} {passed:>7} {failed:>7} {:>8.1}s", step.name, step.took.as_secs_f64());
            total.passed += passed;
            total.failed += failed;
        }
        println!("cargo xtask ci took {:.1} min", took.as_secs_f64() / 60.0);
        println!("{} passed, {} failed", total.passed, total.failed);
        if total.failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
    }
}

fn announce(name: &str) -> Instant {
    println!("\n==> {name}");
    Instant::now()
}

pub fn run(root: &Path) -> ExitCode {
    let started = Instant::now();
    let mut report = Report::default();
    let cargo = |args: &[&str]| cmd::command("cargo", args, root, &[]);

    let route = report.check("install missing tools", || install::everything(root));
    report.check("cargo fmt --check", || cmd::run(cargo(&["fmt", "--all", "--", "--check"])));
    report.check("cargo clippy -D warnings", || {
        cmd::run(cargo(&["clippy", "--workspace", "--all-targets", "--all-features", "--", "-D", "warnings"]))
    });
    report.tests("native tests", || cmd::run_tests(cargo(&["test", "--workspace"])));
    report.check("load: 200 sessions", || {
        load::run(root, &load::Options { sessions: 200, time_limit: 60, debug: true })
    });
    report.check("committed front end is current", || stamp::check(root));
    if let Some(route) = route {
        report.check("wasm build (trunk)", || site::trunk_build(root, route));
        report.tests("wasm tests in Chromium", || wasm::test_with(root, route));
        report.tests("browser end-to-end tests", || browser_test_counts(root));
    } else {
        report.check("wasm build and browser tests", || {
            Err::<(), _>("the tools could not be installed".into())
        });
    }
    report.print(started.elapsed())
}

/// `cargo xtask test-browser`.
pub fn browser_tests(root: &Path) -> Result<Counts> {
    install::for_browser_tests(root)?;
    let counts = browser_test_counts(root);
    match counts.failed {
        0 => Ok(counts),
        n => Err(format!("{n} browser test(s) failed")),
    }
}

fn browser_test_counts(root: &Path) -> Counts {
    let env = [
        ("CHROMEDRIVER".to_owned(), "/usr/bin/chromedriver".to_owned()),
        ("CHROMIUM".to_owned(), "/usr/bin/chromium".to_owned()),
        ("AXE_CORE".to_owned(), install::axe_script(root).display().to_string()),
    ];
    let args = ["test", "-p", "relay", "--features", "browser-tests", "--test", "browser"];
    cmd::run_tests(cmd::command("cargo", &args, root, &env))
}
