//! `load`: many pages at once, each running the tutorial's Hello client
//! through a relay.
//!
//! ```text
//! load --relay ws://127.0.0.1:8080/ws --sessions 1000 --time-limit 120
//! ```
//!
//! A run has three phases, and every session finishes one before any
//! starts the next:
//!
//! 1. **open**: each session opens its WebSocket and reads the relay's
//!    `welcome`, at most `--ramp` at a time, so that a storm of TCP
//!    handshakes and HTTP upgrades cannot fail sessions for reasons that say
//!    nothing about how the relay serves them.
//! 2. **connect**: each session makes its socket, connects it to the Hello
//!    server and reads `Welcome!`, at most `--connect-ramp` (100) at a time.
//!    The server's accept queue holds 128 finished handshakes; were many
//!    more to arrive at once, the kernel would drop some (a second's retry)
//!    or answer with SYN cookies, and a connection whose last ACK is dropped
//!    is open on the client's side only: the client would wait for a
//!    `Welcome!` until it times out. Raise `--connect-ramp` to see that.
//! 3. **talk**: every session at once sends its names, reads each
//!    `Hello,<name>!`, sends `exit` and closes ([`bench::hello`]). This is
//!    the load: all sessions open, all of them busy.
//!
//! The whole run must end within `--time-limit`; whatever is unfinished by
//! then counts as lost. The report counts the answers expected, those that
//! came right, and those lost or garbled (see [`bench::client::Failure`]);
//! it gives the latency of opening a session and of every request (p50,
//! p99, max), by operation and in all, and the wall time of each phase. The
//! exit status is non-zero unless every answer came right.

use std::collections::BTreeMap;
use std::future::Future;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use bench::client::{Client, Failure, SMALL_READS};
use bench::stats::{Millis, Summary};
use bench::{fd_limit, hello};
use bytes::Bytes;
use clap::Parser;
use protocol::{LessonServer, SocketId};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::{Instant, timeout_at};

/// Runs many Hello sessions at once through a relay and reports what came back.
#[derive(Debug, Parser)]
#[command(name = "load", version, about, long_about = None)]
struct Args {
    /// The relay's WebSocket.
    #[arg(long, value_name = "URL", default_value = "ws://127.0.0.1:8080/ws")]
    relay: String,

    /// The Hello server to connect to through the relay; by default, the one
    /// the relay's welcome advertises.
    #[arg(long, value_name = "ADDR")]
    hello: Option<SocketAddr>,

    /// How many sessions run at once.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    sessions: usize,

    /// The names each session sends, comma-separated; `exit` follows them.
    #[arg(long, value_name = "NAMES", value_delimiter = ',', default_value = "Michael,Tracy,Sarah")]
    messages: Vec<String>,

    /// Seconds the whole run may take; what is unfinished then counts as lost.
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    time_limit: u64,

    /// How many sessions may be opening their WebSocket at the same time.
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    ramp: u32,

    /// How many sessions may be connecting to the Hello server at the same
    /// time, until its `Welcome!`: at most its accept queue (128).
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    connect_ramp: u32,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(problem) = args.messages.iter().find_map(|name| refuse(name)) {
        eprintln!("load: --messages: {problem}");
        return ExitCode::FAILURE;
    }
    match fd_limit::raise() {
        Ok(limit) if limit < 2 * args.sessions as u64 => {
            eprintln!("load: warning: only {limit} open files allowed for {} sessions", args.sessions);
        }
        Ok(_) => {}
        Err(error) => eprintln!("load: warning: cannot raise the open-file limit: {error}"),
    }
    println!(
        "load: {} sessions through {}, each sending {} then exit; \
         opening {} and connecting {} at a time; time limit {} s",
        args.sessions,
        args.relay,
        args.messages.join(", "),
        args.ramp,
        args.connect_ramp,
        args.time_limit
    );

    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.time_limit);
    let names: Arc<[Bytes]> = args.messages.iter().map(|name| Bytes::from(name.clone())).collect();
    let url: Arc<str> = args.relay.as_str().into();
    let hello = args.hello;

    let opened =
        phase(0..args.sessions, args.ramp, |_| open(Arc::clone(&url), hello, Arc::clone(&names), deadline))
            .await;
    let (opened, mut outcomes) = split(opened);
    let opening = started.elapsed();
    let (connected, failed) =
        split(phase(opened, args.connect_ramp, |session| connect(session, deadline)).await);
    outcomes.extend(failed);
    let connecting = started.elapsed() - opening;
    outcomes.extend(phase(connected, u32::MAX, |(session, socket)| talk(session, socket, deadline)).await);
    let talking = started.elapsed() - opening - connecting;

    let report = Report::new(&outcomes, hello::answers_per_session(names.len()));
    report.print();
    println!(
        "wall time {:.2} s: opening {:.2} s, connecting {:.2} s, talking {:.2} s",
        started.elapsed().as_secs_f64(),
        opening.as_secs_f64(),
        connecting.as_secs_f64(),
        talking.as_secs_f64()
    );
    if report.all_right() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// Why a name cannot be one of the messages: the server would read it as
/// the end of the conversation, or answer it in pieces.
fn refuse(name: &str) -> Option<String> {
    match name.len() {
        0 => Some("an empty message reads as a closed connection".into()),
        _ if name == "exit" => Some("`exit` ends the conversation; it is sent after the names".into()),
        1025.. => Some(format!("{name:.20}... is longer than the server's recv(1024)")),
        _ => None,
    }
}

/// Runs `work` on every item as a task of its own, at most `at_once` at a
/// time, and waits for them all.
async fn phase<I, F, O>(items: impl IntoIterator<Item = I>, at_once: u32, work: impl Fn(I) -> F) -> Vec<O>
where
    F: Future<Output = O> + Send + 'static,
    O: Send + 'static,
{
    let turns = Arc::new(Semaphore::new((at_once as usize).min(Semaphore::MAX_PERMITS)));
    let mut tasks = JoinSet::new();
    for item in items {
        let (turns, job) = (Arc::clone(&turns), work(item));
        tasks.spawn(async move {
            let _turn = turns.acquire().await.expect("the semaphore is never closed");
            job.await
        });
    }
    let mut done = Vec::with_capacity(tasks.len());
    while let Some(joined) = tasks.join_next().await {
        done.push(joined.expect("a session's task does not panic"));
    }
    done
}

/// Sessions that go on to the next phase, and the outcomes of those that ended.
fn split<T>(results: Vec<Result<T, Outcome>>) -> (Vec<T>, Vec<Outcome>) {
    let (mut going, mut ended) = (Vec::new(), Vec::new());
    for result in results {
        match result {
            Ok(session) => going.push(session),
            Err(outcome) => ended.push(outcome),
        }
    }
    (going, ended)
}

/// A session that came through the phases so far.
struct Session {
    client: Client,
    /// From opening the WebSocket to the relay's welcome.
    opened_in: Duration,
    hello: SocketAddr,
    names: Arc<[Bytes]>,
    /// The answers that came right, of `hello::answers_per_session`.
    answered: u64,
}

/// What became of one session.
struct Outcome {
    answered: u64,
    failure: Option<Failure>,
    opened_in: Option<Duration>,
    steps: Vec<(&'static str, Duration)>,
}

impl Session {
    fn end(mut self, failure: Option<Failure>) -> Outcome {
        let steps = std::mem::take(&mut self.client.steps);
        Outcome { answered: self.answered, failure, opened_in: Some(self.opened_in), steps }
    }

    /// The session ends at the time limit, waiting for its next answer.
    fn late(self) -> Outcome {
        let step = hello::step(self.answered, self.names.len());
        self.end(Some(Failure::Lost(format!("{step}: the time limit came first"))))
    }
}

/// Phase one: the WebSocket and the relay's welcome.
async fn open(
    url: Arc<str>,
    hello: Option<SocketAddr>,
    names: Arc<[Bytes]>,
    deadline: Instant,
) -> Result<Session, Outcome> {
    let ended = |failure| Outcome { answered: 0, failure: Some(failure), opened_in: None, steps: Vec::new() };
    let started = Instant::now();
    let (client, servers) = match timeout_at(deadline, Client::open(&url, SMALL_READS)).await {
        Ok(Ok(opened)) => opened,
        Ok(Err(failure)) => return Err(ended(failure.during("welcome"))),
        Err(_) => return Err(ended(Failure::Lost("welcome: the time limit came first".into()))),
    };
    let advertised =
        servers.iter().find(|server| server.name == LessonServer::Hello).map(|server| server.addr);
    let session = |hello| Session { client, opened_in: started.elapsed(), hello, names, answered: 1 };
    match hello.or(advertised) {
        Some(hello) => Ok(session(hello)),
        None => Err(ended(Failure::Garbled("welcome: it advertises no Hello server".into()))),
    }
}

/// Phase two: `socket`, `connect`, and the server's `Welcome!`.
async fn connect(mut session: Session, deadline: Instant) -> Result<(Session, SocketId), Outcome> {
    let Session { client, hello, answered, .. } = &mut session;
    match timeout_at(deadline, hello::connect(client, *hello, answered)).await {
        Ok(Ok(socket)) => Ok((session, socket)),
        Ok(Err(failure)) => Err(session.end(Some(failure))),
        Err(_) => Err(session.late()),
    }
}

/// Phase three: the names and their replies, `exit`, `close`; then the
/// WebSocket closes as a page's does.
async fn talk(mut session: Session, socket: SocketId, deadline: Instant) -> Outcome {
    let Session { client, names, answered, .. } = &mut session;
    match timeout_at(deadline, hello::talk(client, socket, names, answered)).await {
        Ok(Ok(())) => {
            let _ = timeout_at(deadline, session.client.finish()).await;
            session.end(None)
        }
        Ok(Err(failure)) => session.end(Some(failure)),
        Err(_) => session.late(),
    }
}

/// The figures of a whole run.
struct Report {
    sessions: usize,
    expected: u64,
    right: u64,
    garbled: u64,
    /// How many sessions failed, by cause.
    causes: BTreeMap<String, usize>,
    opened_in: Option<Summary>,
    /// Latency by operation, in the order the program first makes them, then of all requests.
    steps: Vec<(&'static str, Option<Summary>)>,
}

impl Report {
    fn new(outcomes: &[Outcome], per_session: u64) -> Report {
        let mut causes = BTreeMap::new();
        for failure in outcomes.iter().filter_map(|outcome| outcome.failure.as_ref()) {
            *causes.entry(failure.to_string()).or_default() += 1;
        }
        let mut by_op: Vec<(&'static str, Vec<Duration>)> = Vec::new();
        for &(op, took) in outcomes.iter().flat_map(|outcome| &outcome.steps) {
            match by_op.iter_mut().find(|(name, _)| *name == op) {
                Some((_, samples)) => samples.push(took),
                None => by_op.push((op, vec![took])),
            }
        }
        let all = by_op.iter().flat_map(|(_, samples)| samples.iter().copied()).collect();
        let mut steps: Vec<_> = by_op.into_iter().map(|(op, samples)| (op, Summary::of(samples))).collect();
        steps.push(("every request", Summary::of(all)));
        Report {
            sessions: outcomes.len(),
            expected: per_session * outcomes.len() as u64,
            right: outcomes.iter().map(|outcome| outcome.answered).sum(),
            garbled: outcomes
                .iter()
                .filter(|outcome| matches!(outcome.failure, Some(Failure::Garbled(_))))
                .count() as u64,
            causes,
            opened_in: Summary::of(outcomes.iter().filter_map(|outcome| outcome.opened_in).collect()),
            steps,
        }
    }

    /// Answers that never came: those neither right nor garbled.
    fn lost(&self) -> u64 {
        self.expected - self.right - self.garbled
    }

    fn all_right(&self) -> bool {
        self.right == self.expected
    }

    fn print(&self) {
        let failed: usize = self.causes.values().sum();
        println!();
        println!("sessions {:>10}   finished {}, failed {failed}", self.sessions, self.sessions - failed);
        println!("answers  {:>10}   expected", self.expected);
        println!("  right  {:>10}", self.right);
        println!("  lost   {:>10}", self.lost());
        println!("  garbled{:>10}", self.garbled);
        if !self.causes.is_empty() {
            println!("\nfailed sessions, by cause:");
            for (cause, sessions) in &self.causes {
                println!("  {sessions:>8}  {cause}");
            }
        }
        println!("\nlatency                count         p50         p99         max");
        for (what, summary) in
            [("open + welcome", self.opened_in)].into_iter().chain(self.steps.iter().copied())
        {
            match summary {
                Some(Summary { count, p50, p99, max }) => println!(
                    "  {what:<16} {count:>9} {:>11} {:>11} {:>11}",
                    Millis(p50),
                    Millis(p99),
                    Millis(max)
                ),
                None => println!("  {what:<16} {:>9}", 0),
            }
        }
        println!();
    }
}
