//! `bridges`: one client, measuring the relay and other WebSocket-to-TCP
//! bridges the same way (see [`bench::bridges`]).
//!
//! ```text
//! bridges serve --bulk-bytes 268435456             the targets; prints "bulk ADDR", "idle ADDR"
//! bridges bulk --bytes 268435456 --direct ADDR     the stream, read directly
//! bridges bulk --bytes 268435456 --tunnel ws://127.0.0.1:9001/    ... through a plain bridge
//! bridges bulk --bytes 268435456 --relay ws://127.0.0.1:8080/ws --target ADDR   ... through the relay
//! bridges rtt  --tunnel ws://127.0.0.1:9002/ --exchanges 10000
//! bridges idle --relay ws://127.0.0.1:8080/ws --target ADDR --sessions 10000
//! ```
//!
//! `cargo xtask bench` starts the targets, the relay and the other bridges,
//! runs these, and writes the report. Each measurement is one run, and
//! prints one line of `key=value` figures on stdout for it to read (and
//! people too); what goes wrong goes to stderr, with a non-zero exit status.
//!
//! `serve` and `idle` run until their standard input closes (or their time
//! limit), so that they end with the program that started them, whatever
//! happens to it.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use bench::bridges::{Route, bulk, idle, rtt, target::Targets};
use bench::fd_limit;
use bench::stats::Summary;
use clap::{Parser, Subcommand};
use tokio::sync::oneshot;

/// Measures WebSocket-to-TCP bridges against the same target, with the same client.
#[derive(Debug, Parser)]
#[command(name = "bridges", version, about, long_about = None)]
struct Args {
    #[command(subcommand)]
    task: Task,

    /// Seconds the task may take; then it fails (or, for serve and idle, ends).
    #[arg(long, value_name = "SECS", default_value_t = 600, global = true)]
    time_limit: u64,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Serve the targets: a bulk sender and an idle holder, on loopback.
    Serve {
        /// What the bulk server sends each connection, in bytes.
        #[arg(long, value_name = "BYTES")]
        bulk_bytes: u64,
    },
    /// Read the bulk server's whole stream; print the rate in MB/s.
    Bulk {
        #[command(flatten)]
        route: RouteArgs,
        /// How many bytes the server sends (its --bulk-bytes).
        #[arg(long, value_name = "BYTES")]
        bytes: u64,
    },
    /// Exchange small messages with the Hello server; print p50 and p99 in µs.
    Rtt {
        #[command(flatten)]
        route: RouteArgs,
        /// How many exchanges are timed.
        #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..))]
        exchanges: u32,
        /// How many exchanges come first, untimed.
        #[arg(long, value_name = "N", default_value_t = 1_000)]
        warmup: u32,
    },
    /// Open idle relay sessions, each with a socket connected to the idle
    /// server; print when all are open, then hold them until stdin closes.
    Idle {
        /// The relay's WebSocket.
        #[arg(long, value_name = "URL")]
        relay: String,
        /// The idle server.
        #[arg(long, value_name = "ADDR")]
        target: SocketAddr,
        /// How many sessions.
        #[arg(long, value_name = "N")]
        sessions: usize,
        /// How many sessions may be opening at the same time.
        #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
        ramp: u32,
    },
}

/// Which way to the target: exactly one of --direct, --tunnel, --relay.
#[derive(Debug, clap::Args)]
struct RouteArgs {
    /// Connect directly to the target at ADDR.
    #[arg(
        long,
        value_name = "ADDR",
        required_unless_present_any = ["tunnel", "relay"],
        conflicts_with_all = ["tunnel", "relay", "target"]
    )]
    direct: Option<SocketAddr>,
    /// Open a WebSocket to a plain bridge at URL, which connects it to its target.
    #[arg(long, value_name = "URL", conflicts_with_all = ["relay", "target"])]
    tunnel: Option<String>,
    /// Open a session with the relay at URL, and connect to --target through it.
    #[arg(long, value_name = "URL", requires = "target")]
    relay: Option<String>,
    /// The target the relay connects to.
    #[arg(long, value_name = "ADDR", requires = "relay")]
    target: Option<SocketAddr>,
}

impl RouteArgs {
    fn route(self) -> Route {
        match (self.direct, self.tunnel, self.relay, self.target) {
            (Some(target), ..) => Route::Direct(target),
            (_, Some(url), ..) => Route::Tunnel(url),
            (_, _, Some(url), Some(target)) => Route::Relay { url, target },
            _ => unreachable!("clap requires one route, and a target with --relay"),
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    if let Err(error) = fd_limit::raise() {
        eprintln!("bridges: warning: cannot raise the open-file limit: {error}");
    }
    let limit = Duration::from_secs(args.time_limit);
    let outcome = match args.task {
        Task::Serve { bulk_bytes } => serve(bulk_bytes, limit).await,
        Task::Bulk { route, bytes } => within(limit, bulk(route.route(), bytes)).await,
        Task::Rtt { route, exchanges, warmup } => within(limit, rtt(route.route(), exchanges, warmup)).await,
        Task::Idle { relay, target, sessions, ramp } => idle(&relay, target, sessions, ramp, limit).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bridges: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `task`, failing if it takes longer than `limit`.
async fn within(limit: Duration, task: impl Future<Output = Result<(), String>>) -> Result<(), String> {
    tokio::time::timeout(limit, task).await.unwrap_or_else(|_| Err(format!("still running after {limit:?}")))
}

async fn serve(bulk_bytes: u64, limit: Duration) -> Result<(), String> {
    let targets = Targets::start(bulk_bytes).await.map_err(|error| format!("cannot serve: {error}"))?;
    println!("bulk {}", targets.bulk);
    println!("idle {}", targets.idle);
    let _ = tokio::time::timeout(limit, stdin_closed()).await;
    Ok(())
}

async fn bulk(route: Route, bytes: u64) -> Result<(), String> {
    let stream = bulk::measure(&route, bytes).await.map_err(|failure| format!("bulk {route}: {failure}"))?;
    let seconds = stream.took.as_secs_f64();
    println!(
        "bulk bytes={bytes} seconds={seconds:.4} MBps={:.1} pieces={} piece_KiB={:.1}",
        bytes as f64 / 1e6 / seconds,
        stream.pieces,
        bytes as f64 / stream.pieces as f64 / 1024.0
    );
    Ok(())
}

async fn rtt(route: Route, exchanges: u32, warmup: u32) -> Result<(), String> {
    let samples = rtt::measure(&route, warmup as usize, exchanges as usize)
        .await
        .map_err(|failure| format!("rtt {route}: {failure}"))?;
    let summary = Summary::of(samples).expect("at least one exchange");
    let micros = |took: Duration| took.as_secs_f64() * 1e6;
    println!(
        "rtt exchanges={} p50_us={:.1} p99_us={:.1} max_us={:.1}",
        summary.count,
        micros(summary.p50),
        micros(summary.p99),
        micros(summary.max)
    );
    Ok(())
}

async fn idle(
    url: &str,
    target: SocketAddr,
    sessions: usize,
    ramp: u32,
    limit: Duration,
) -> Result<(), String> {
    let started = Instant::now();
    let clients = tokio::time::timeout(limit, idle::open(url, target, sessions, ramp as usize))
        .await
        .map_err(|_| format!("the sessions were not all open after {limit:?}"))??;
    println!("idle sessions={} seconds={:.1}", clients.len(), started.elapsed().as_secs_f64());
    let _ = tokio::time::timeout(limit.saturating_sub(started.elapsed()), stdin_closed()).await;
    drop(clients);
    Ok(())
}

/// Completes when standard input closes: when the program that started us
/// closes its end of the pipe, or ends.
async fn stdin_closed() {
    let (closed, done) = oneshot::channel();
    // A thread of its own, not `spawn_blocking`: the runtime would wait for
    // a blocking task at exit, and this one may never end.
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
        let _ = closed.send(());
    });
    let _ = done.await;
}
