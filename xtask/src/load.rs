//! `cargo xtask load`: a real relay under many sessions at once.
//!
//! ```text
//! cargo xtask load                    1,000 sessions, release build
//! cargo xtask load --sessions 200 --debug --time-limit 60
//! ```
//!
//! It builds the relay and the `load` program (`bench/`), starts the relay
//! on ephemeral ports with the Hello server answering at once and session
//! limits above the load, and runs `load` against it: every session plays
//! the tutorial's Hello client through the relay, all at once (see
//! `bench/src/bin/load.rs`), and `load` prints what came back and how fast.
//!
//! Meanwhile this task watches the relay's memory in `/proc/<pid>/status`:
//! `VmRSS`, the memory resident now, every 100 ms, and at the end `VmHWM`,
//! the "high water mark" the kernel keeps of the largest `VmRSS` there ever
//! was, which no sampling can miss. Both are close rather than exact (the
//! kernel counts each thread's pages in batches, and the relay's Hello
//! server runs a thread per connection), so the peak reported is the larger
//! of the two. Then it stops the relay and prints the figures. It fails if `load` does: an answer lost or garbled, or the time
//! limit reached.

use std::io::{self, BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::procfs::status_kib;
use crate::{Result, cmd, target_dir};

/// How often the relay's resident memory is sampled.
const SAMPLE_EVERY: Duration = Duration::from_millis(100);
/// How long `load` may overrun its own time limit before it is killed.
const GRACE: Duration = Duration::from_secs(30);
/// Sessions the relay admits beyond the load, so its limits never bind.
const HEADROOM: usize = 64;

/// What to run.
#[derive(Debug, Clone, clap::Args)]
pub struct Options {
    /// How many sessions run at once.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub sessions: usize,
    /// Seconds the sessions may take in all; what is unfinished then counts as lost.
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    pub time_limit: u64,
    /// Use debug builds: quick to build, slower to run.
    #[arg(long)]
    pub debug: bool,
}

/// Builds, starts the relay, runs `load` against it and reports.
pub fn run(root: &Path, options: &Options) -> Result {
    let (profile, mut build) =
        if options.debug { ("debug", vec!["build"]) } else { ("release", vec!["build", "--release"]) };
    build.extend(["-p", "relay", "-p", "bench"]);
    cmd::run(cmd::command("cargo", &build, root, &[]))?;
    let bin = target_dir(root).join(profile);

    let mut relay = Relay::start(&bin.join("relay"), options.sessions + HEADROOM)?;
    println!("relay {} (pid {}), Hello server {}", relay.http, relay.pid(), relay.hello);
    let before = status_kib(relay.pid(), "VmRSS");
    let url = format!("ws://{}/ws", relay.http);
    let sessions = options.sessions.to_string();
    let time_limit = options.time_limit.to_string();
    let args = ["--relay", &url, "--sessions", &sessions, "--time-limit", &time_limit];
    let load = Command::new(bin.join("load"))
        .args(args)
        .spawn()
        .map_err(|error| format!("cannot run {}: {error}", bin.join("load").display()))?;
    let (status, samples) = watch(load, relay.pid(), Duration::from_secs(options.time_limit) + GRACE)?;
    let hwm = status_kib(relay.pid(), "VmHWM");
    let relay_ended = relay.child.try_wait().ok().flatten();
    drop(relay);

    println!("relay memory              MiB");
    println!("  before the load    {:>9}", mib(before));
    println!(
        "  highest sample     {:>9}   (VmRSS every {} ms, {} samples)",
        mib(samples.max),
        SAMPLE_EVERY.as_millis(),
        samples.count
    );
    println!("  high water mark    {:>9}   (VmHWM)", mib(hwm));
    println!("  peak               {:>9}", mib(hwm.max(samples.max)));
    match relay_ended {
        Some(ended) => Err(format!("the relay ended during the load ({ended})")),
        None if status.success() => Ok(()),
        None => Err(format!("load failed ({status}): answers lost or garbled, or the time limit reached")),
    }
}

/// The highest of the `VmRSS` samples, in KiB, and how many were taken.
#[derive(Default)]
struct Samples {
    max: Option<u64>,
    count: usize,
}

/// Waits for `load` to end, sampling the relay's resident memory; kills
/// `load` if it runs past `limit`.
fn watch(mut load: Child, relay: u32, limit: Duration) -> Result<(ExitStatus, Samples)> {
    let started = Instant::now();
    let mut samples = Samples::default();
    loop {
        if let Some(status) = load.try_wait().map_err(|error| format!("cannot wait for load: {error}"))? {
            return Ok((status, samples));
        }
        if let Some(kib) = status_kib(relay, "VmRSS") {
            samples.max = samples.max.max(Some(kib));
            samples.count += 1;
        }
        if started.elapsed() > limit {
            let _ = load.kill();
            let _ = load.wait();
            return Err(format!("load was still running after {} s; killed it", limit.as_secs()));
        }
        thread::sleep(SAMPLE_EVERY);
    }
}

/// A relay process on ephemeral ports, stopped when dropped.
struct Relay {
    child: Child,
    http: String,
    hello: String,
}

impl Relay {
    fn start(program: &Path, max_sessions: usize) -> Result<Relay> {
        let max_sessions = max_sessions.to_string();
        #[rustfmt::skip]
        let args = [
            "--listen", "127.0.0.1:0", "--hello", "127.0.0.1:0", "--hello-delay", "0",
            "--hello-single", "127.0.0.1:0",
            "--max-sessions", &max_sessions, "--max-sessions-per-client", &max_sessions,
            "--log-level", "warn",
        ];
        let child = Command::new(program)
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|error| format!("cannot run {}: {error}", program.display()))?;
        // From here on, dropping `relay` stops the process, whatever fails.
        let mut relay = Relay { child, http: String::new(), hello: String::new() };
        let mut stdout = BufReader::new(relay.child.stdout.take().expect("stdout is piped"));
        relay.http = first_line(&mut stdout, "Socket Playground: http://")?.trim_end_matches('/').to_owned();
        relay.hello = first_line(&mut stdout, "Hello server: ")?;
        // Whatever else the relay prints goes on to the terminal, so that
        // its writes never fill the pipe or find it closed.
        thread::spawn(move || io::copy(&mut stdout, &mut io::stdout()));
        Ok(relay)
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads a line of the relay's output and returns what follows `prefix`.
fn first_line(stdout: &mut impl BufRead, prefix: &str) -> Result<String> {
    let mut line = String::new();
    stdout.read_line(&mut line).map_err(|error| format!("cannot read the relay's output: {error}"))?;
    match line.trim_end().strip_prefix(prefix) {
        Some(rest) => Ok(rest.to_owned()),
        None if line.is_empty() => Err("the relay exited before it printed its addresses".into()),
        None => Err(format!("the relay printed {line:?}, expected a line starting {prefix:?}")),
    }
}

/// KiB as MiB with one decimal, or `?` when the figure could not be read.
fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(|| "?".into(), |kib| format!("{:.1}", kib as f64 / 1024.0))
}
