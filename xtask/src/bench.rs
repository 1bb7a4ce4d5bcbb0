//! `cargo xtask bench`: the relay next to other WebSocket-to-TCP bridges,
//! and its front end, measured on this machine. Not part of `ci`: it takes
//! minutes, and its figures are for people to read, not for a test to check.
//!
//! ```text
//! cargo xtask bench                          everything, as docs/benchmarks.md reports it
//! cargo xtask bench --bulk-mib 64 --sessions 1000 --page-runs 3    a quicker look
//! ```
//!
//! 1. **Bulk**: 256 MiB from a TCP server through each bridge, in MB/s,
//!    next to reading it directly, the limit on this machine.
//! 2. **Round trip**: 10,000 small exchanges with an echo server (the
//!    relay's Hello server, answering at once) through each bridge: p50
//!    and p99, in µs, next to direct TCP; then again with every program
//!    on one CPU, where no exchange waits for a CPU to wake up.
//! 3. **Scale**: the relay's memory with 1,000 and 10,000 idle sessions,
//!    each holding one open socket.
//! 4. **Front end**: the gzipped size of the wasm and JavaScript, and the
//!    time from navigation to the first step that can be clicked, in
//!    headless Chromium.
//!
//! The bridges are websocat (crates.io) and websockify (PyPI), installed
//! if missing ([`install::websocat`], [`install::websockify`]); all of
//! them, and the relay, carry bytes to the same target process, and one
//! client measures them all: `bench/src/bin/bridges.rs` (see the `bench`
//! crate's `bridges` module for how each figure is made).
//!
//! The run prints a table of the figures with the ratios that matter
//! (relay/websocat, relay/direct), judges the targets set for them, and
//! writes both, with the date and the machine, to `docs/benchmarks.md`,
//! and the figures as a chart to `docs/benchmarks.svg`. A measurement that
//! fails does not stop the others: the report says what failed, and the
//! task then fails too. A target not met is a finding, not a failure.
//!
//! The parts: [`servers`] starts the target, relays and bridges; [`scale`]
//! opens the idle sessions;
//! [`process`] keeps every program on a leash (killed on drop, every wait
//! bounded); [`results`] holds the figures and judges the targets;
//! [`report`] and [`chart`] write them; [`machine`] and [`front`] describe
//! the machine and weigh the front end.

mod chart;
mod front;
mod machine;
mod process;
mod report;
mod results;
mod scale;
mod servers;

use std::path::Path;
use std::time::Duration;

use crate::{Result, cmd, install};
use process::{Figures, Process};
use results::{Bulk, Interactive, Measured, PerWay, Results, Rtt, Settings, Spread, Way};
use servers::{Programs, Relay, Servers};

/// How long one measuring program may run, beyond its own time limit.
const GRACE: Duration = Duration::from_secs(30);
/// Each measuring program's own time limit.
const LIMIT: Duration = Duration::from_secs(300);
/// The CPU of the round trips on one CPU.
const ONE_CORE: u32 = 0;

/// What to measure, and how much.
#[derive(Debug, Clone, clap::Args)]
pub struct Options {
    /// MiB the bulk test streams through each bridge.
    #[arg(long, value_name = "MIB", default_value_t = 256)]
    pub bulk_mib: u64,
    /// How many rounds of bulk streams, each route once a round (the median is reported).
    #[arg(long, value_name = "N", default_value_t = 15, value_parser = clap::value_parser!(u32).range(1..))]
    pub bulk_rounds: u32,
    /// How many round trips are timed through each bridge.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub exchanges: u32,
    /// How many round trips come first, untimed.
    #[arg(long, value_name = "N", default_value_t = 1_000)]
    pub warmup: u32,
    /// How many rounds of round trips, each route once a round (the median is reported).
    #[arg(long, value_name = "N", default_value_t = 9, value_parser = clap::value_parser!(u32).range(1..))]
    pub rtt_rounds: u32,
    /// The counts of idle relay sessions to measure memory with, comma-separated.
    #[arg(long, value_name = "N,...", value_delimiter = ',', default_value = "1000,10000")]
    pub sessions: Vec<usize>,
    /// How many times the page is opened in Chromium (the median is reported).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub page_runs: u32,
}

/// Installs the peers, builds, measures, reports.
pub fn run(root: &Path, options: &Options) -> Result {
    install::websocat()?;
    let websockify = install::websockify(root)?;
    install::for_browser_tests(root)?;
    cmd::run(cmd::command("cargo", &["build", "--release", "-p", "relay", "-p", "bench"], root, &[]))?;
    let target = crate::target_dir(root);
    let programs =
        Programs { bin: target.join("release"), websockify, logs: target.join("bench"), cpu: None };
    std::fs::create_dir_all(&programs.logs)
        .map_err(|error| format!("{}: {error}", programs.logs.display()))?;
    let open_files = scale::OpenFiles::raise(options.sessions.iter().copied().max().unwrap_or(0));

    let load_before = machine::load_average();
    let settings = Settings {
        bulk_bytes: options.bulk_mib << 20,
        bulk_rounds: options.bulk_rounds,
        exchanges: options.exchanges,
        warmup: options.warmup,
        rtt_rounds: options.rtt_rounds,
    };
    let (bulk, rtt, rtt_one_core) = bridges(&programs, &settings)?;
    let idle =
        options.sessions.iter().map(|&requested| scale::idle(&programs, requested, &open_files)).collect();
    let sizes = front::gzipped(&root.join("relay").join("site"));
    let interactive = page(&programs, options.page_runs);

    let results = Results {
        machine: machine::Machine::describe(root),
        load: [load_before, machine::load_average()],
        versions: versions(&programs, root),
        settings,
        bulk,
        rtt,
        rtt_one_core,
        idle,
        sizes,
        interactive,
    };
    let command = command_line(options);
    let markdown = report::markdown(&results, &command);
    println!("\n{markdown}");
    let docs = root.join("docs");
    for (name, text) in [("benchmarks.md", markdown), ("benchmarks.svg", chart::svg(&results))] {
        std::fs::write(docs.join(name), text).map_err(|error| format!("docs/{name}: {error}"))?;
    }
    println!("Wrote docs/benchmarks.md and docs/benchmarks.svg.");
    let failed = results.bulk.0.iter().filter(|(_, figure)| figure.is_err()).count()
        + results.rtt.0.iter().filter(|(_, figure)| figure.is_err()).count()
        + results.rtt_one_core.0.iter().filter(|(_, figure)| figure.is_err()).count()
        + results.idle.iter().filter(|figure| figure.is_err()).count()
        + usize::from(results.sizes.is_err())
        + usize::from(results.interactive.is_err());
    match failed {
        0 => Ok(()),
        n => Err(format!("{n} measurement(s) failed; the report says which and why")),
    }
}

/// Bulk and round trip through every route, against one target process
/// and one relay (whose Hello server is the echo server for all); then
/// round trips again with every program on one CPU.
fn bridges(programs: &Programs, settings: &Settings) -> Result<(PerWay<Bulk>, PerWay<Rtt>, PerWay<Rtt>)> {
    let servers = Servers::start(programs, settings.bulk_bytes, "")?;
    let (relay, target) = (&servers.relay, &servers.target);
    println!(
        "target: bulk {}, idle {}; relay {} (Hello server {})",
        target.bulk, target.idle, relay.http, relay.hello
    );
    let bulk = rounds(settings.bulk_rounds, |way| {
        let mut args = vec!["bulk".to_owned(), "--bytes".into(), settings.bulk_bytes.to_string()];
        args.extend(servers.route(way, false));
        let figures = measure(programs, &args)?;
        Ok([figures.number("MBps")?, figures.number("piece_KiB")?])
    });
    let bulk = bulk.map(|[rate, pieces]| Bulk { rate, piece_kib: pieces.median });
    let rtt = round_trips(programs, &servers, settings);
    drop(servers);
    println!("Round trips again, every program on CPU {ONE_CORE}:");
    let one_core = Programs { cpu: Some(ONE_CORE), ..programs.clone() };
    let servers = Servers::start(&one_core, 0, "-one-core")?;
    Ok((bulk, rtt, round_trips(&one_core, &servers, settings)))
}

/// Rounds of round trips through every route.
fn round_trips(programs: &Programs, servers: &Servers, settings: &Settings) -> PerWay<Rtt> {
    let rtt = rounds(settings.rtt_rounds, |way| {
        let mut args = vec!["rtt".to_owned(), "--exchanges".into(), settings.exchanges.to_string()];
        args.extend(["--warmup".into(), settings.warmup.to_string()]);
        args.extend(servers.route(way, true));
        let figures = measure(programs, &args)?;
        Ok([figures.number("p50_us")?, figures.number("p99_us")?])
    });
    rtt.map(|[p50, p99]| Rtt { p50, p99 })
}

/// Runs `measure` for every route, `rounds` times over, the routes taking
/// turns; returns, for each route, the spread of each of the `N` figures
/// `measure` returns. A route that fails once is measured no more.
fn rounds<const N: usize>(rounds: u32, measure: impl Fn(Way) -> Measured<[f64; N]>) -> PerWay<[Spread; N]> {
    let mut samples: Vec<(Way, Measured<Vec<[f64; N]>>)> = Way::ALL.map(|way| (way, Ok(Vec::new()))).into();
    for round in 1..=rounds {
        println!("-- round {round} of {rounds}");
        for (way, figures) in &mut samples {
            if let Ok(done) = figures {
                match measure(*way) {
                    Ok(figure) => done.push(figure),
                    Err(why) => *figures = Err(why),
                }
            }
        }
    }
    let spreads = samples.into_iter().map(|(way, figures)| {
        let spread = figures.map(|done| {
            std::array::from_fn(|i| {
                Spread::of(done.iter().map(|figure| figure[i]).collect()).expect("a round")
            })
        });
        (way, spread)
    });
    PerWay(spreads.collect())
}

/// Runs `bridges ARGS` to the end; returns the figures it printed.
fn measure(programs: &Programs, args: &[String]) -> Measured<Figures> {
    let mut command = programs.built("bridges");
    command.args(args).args(["--time-limit", &LIMIT.as_secs().to_string()]);
    println!("$ bridges {}", args.join(" "));
    Process::start(&format!("bridges {}", args[0]), command, None)?.figures(LIMIT + GRACE)
}

/// Times the front end in Chromium, served by a relay of its own.
fn page(programs: &Programs, runs: u32) -> Measured<Interactive> {
    let relay = Relay::start(programs, "relay-page", 64)?;
    let mut command = programs.built("page");
    command.args(["--url", &format!("http://{}/", relay.http), "--runs", &runs.to_string()]);
    println!("$ page --runs {runs}");
    let figures = Process::start("page", command, None)?.figures(LIMIT)?;
    Ok(Interactive {
        runs,
        median: figures.number("interactive_ms")?,
        min: figures.number("min_ms")?,
        max: figures.number("max_ms")?,
    })
}

/// The version of each program compared.
fn versions(programs: &Programs, root: &Path) -> Vec<(&'static str, String)> {
    let version = |program: &str, words: usize| {
        let output = cmd::output(program, &["--version"]).unwrap_or_default();
        output.split_whitespace().skip(words).collect::<Vec<_>>().join(" ")
    };
    let relay = programs.bin.join("relay").display().to_string();
    let python = install::websockify_venv(root).join("bin").join("python");
    vec![
        ("relay", format!("{} (release build)", version(&relay, 1))),
        ("websocat", version("websocat", 1)),
        ("websockify", install::websockify_version(&python).unwrap_or_else(|| "?".into())),
        ("Chromium", version("/usr/bin/chromium", 1)),
    ]
}

/// The command that makes this report again.
fn command_line(options: &Options) -> String {
    let defaults = <Options as clap::FromArgMatches>::from_arg_matches(
        &<Options as clap::Args>::augment_args(clap::Command::new("bench")).get_matches_from(["bench"]),
    )
    .expect("the defaults parse");
    let mut command = "cargo xtask bench".to_owned();
    let mut add = |flag: &str, value: String, default: String| {
        if value != default {
            command += &format!(" --{flag} {value}");
        }
    };
    add("bulk-mib", options.bulk_mib.to_string(), defaults.bulk_mib.to_string());
    add("bulk-rounds", options.bulk_rounds.to_string(), defaults.bulk_rounds.to_string());
    add("exchanges", options.exchanges.to_string(), defaults.exchanges.to_string());
    add("warmup", options.warmup.to_string(), defaults.warmup.to_string());
    add("rtt-rounds", options.rtt_rounds.to_string(), defaults.rtt_rounds.to_string());
    let list = |sessions: &[usize]| sessions.iter().map(usize::to_string).collect::<Vec<_>>().join(",");
    add("sessions", list(&options.sessions), list(&defaults.sessions));
    add("page-runs", options.page_runs.to_string(), defaults.page_runs.to_string());
    command
}
