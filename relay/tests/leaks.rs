//! A page that vanishes mid-transfer must leave nothing behind.
//!
//! Browsers close tabs, laptops sleep, networks drop: the relay cannot count
//! on a page to close its sockets or to say goodbye. When a page's WebSocket
//! dies, the relay must close every socket the page had opened, whatever
//! state it was in, and the Hello server must see each of its connections end
//! so that their threads end too.
//!
//! This file runs the relay inside the test process, so the test can count
//! what the process holds:
//!
//! * its open sockets: the entries of `/proc/self/fd` that link to `socket:[…]`
//!   (the relay's, and the test's own servers' and pages');
//! * the pipes it has open (a `recv_all` with a large `max` streams through one);
//! * the Hello server's connection threads, named `Thread-1`, `Thread-2`, …
//!   (read from `/proc/self/task/*/comm`);
//! * the connections of an "endless" server the test runs, which writes to each
//!   client for ever: it counts the connections it accepted and those that ended.
//!
//! Then, in rounds, pages open with sockets in every state — two streaming
//! from the endless server with `recv_all` (one through a pipe), one talking
//! to the Hello server with a `recv` waiting, one still in `connect` (to a listener whose queue is
//! full, so the handshake never completes), one just created, and a `watch`
//! on the Hello server's log — and their WebSockets are dropped abruptly: the
//! TCP connection is closed without a WebSocket close frame, while data is
//! still flowing. The test then waits (up to a deadline) for every count to
//! return to what it was before the first page, and fails, listing what is
//! left, if one does not.
//!
//! The relay's time limits are set far beyond the deadline, so that no
//! `connect` or `recv` timing out can hide a leak: whatever closes, closes
//! because the page went away.
//!
//! It is its own test binary with a single test, so that no other test's
//! sockets or threads disturb the counts.

mod common;

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::targets::black_hole;
use common::{Page, TestRelay};
use protocol::{Op, RelayMessage};

const ROUNDS: usize = 4;
const PAGES_PER_ROUND: usize = 5;
/// How long the relay may take to let go of everything after the pages vanish.
const DEADLINE: Duration = Duration::from_secs(10);
/// Far beyond the deadline: no timeout may do the relay's cleaning for it.
const RELAY_TIME_LIMIT_MS: &str = "120000";

/// What the process holds, as counted from /proc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Counts {
    sockets: usize,
    /// Pipes (each end one file): a stream with a large `max` has one.
    pipes: usize,
    hello_threads: usize,
    endless_threads: usize,
}

impl Counts {
    fn now() -> Counts {
        Counts {
            sockets: socket_inodes().len(),
            pipes: open_files("pipe:[").len(),
            hello_threads: threads_named("Thread-"),
            endless_threads: threads_named("endless-conn"),
        }
    }
}

/// The inodes of the sockets this process has open.
fn socket_inodes() -> Vec<u64> {
    open_files("socket:[")
}

/// The inodes of this process's open files of one kind (`socket:[`, `pipe:[`).
fn open_files(kind: &str) -> Vec<u64> {
    fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd is readable")
        .filter_map(|entry| fs::read_link(entry.ok()?.path()).ok())
        .filter_map(|target| {
            let target = target.to_string_lossy().into_owned();
            target.strip_prefix(kind)?.strip_suffix(']')?.parse().ok()
        })
        .collect()
}

/// How many of this process's threads have a name starting with `prefix`.
fn threads_named(prefix: &str) -> usize {
    fs::read_dir("/proc/self/task")
        .expect("/proc/self/task is readable")
        .filter_map(|task| fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .filter(|name| name.starts_with(prefix))
        .count()
}

/// The TCP sockets of this process's network namespace, by inode:
/// `local -> remote STATE`, for telling what a leaked socket was.
fn tcp_sockets() -> HashMap<u64, String> {
    const STATES: [&str; 12] = [
        "?",
        "ESTABLISHED",
        "SYN_SENT",
        "SYN_RECV",
        "FIN_WAIT1",
        "FIN_WAIT2",
        "TIME_WAIT",
        "CLOSE",
        "CLOSE_WAIT",
        "LAST_ACK",
        "LISTEN",
        "CLOSING",
    ];
    let port = |address: &str| {
        let hex = address.rsplit(':').next().unwrap_or("0");
        u16::from_str_radix(hex, 16).unwrap_or(0)
    };
    let mut sockets = HashMap::new();
    for table in ["/proc/self/net/tcp", "/proc/self/net/tcp6"] {
        let Ok(text) = fs::read_to_string(table) else { continue };
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.len() < 10 {
                continue;
            }
            let state = usize::from_str_radix(fields[3], 16).ok().and_then(|s| STATES.get(s)).unwrap_or(&"?");
            if let Ok(inode) = fields[9].parse() {
                let text = format!(":{} -> :{} {state}", port(fields[1]), port(fields[2]));
                sockets.insert(inode, text);
            }
        }
    }
    sockets
}

/// Every open socket of the process, described as well as /proc allows.
fn describe_sockets() -> Vec<String> {
    let tcp = tcp_sockets();
    let mut described: Vec<String> = socket_inodes()
        .into_iter()
        .map(|inode| tcp.get(&inode).cloned().unwrap_or_else(|| format!("socket:[{inode}] (not TCP)")))
        .collect();
    described.sort();
    described
}

/// A server that writes to every client for ever, until the client goes away.
struct Endless {
    addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
    ended: Arc<AtomicUsize>,
}

impl Endless {
    fn start() -> Endless {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let addr = listener.local_addr().unwrap();
        let (accepted, ended) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let counters = (Arc::clone(&accepted), Arc::clone(&ended));
        std::thread::Builder::new()
            .name("endless-accept".into())
            .spawn(move || {
                for stream in listener.incoming() {
                    let Ok(stream) = stream else { continue };
                    counters.0.fetch_add(1, Ordering::SeqCst);
                    let ended = Arc::clone(&counters.1);
                    std::thread::Builder::new()
                        .name("endless-conn".into())
                        .spawn(move || write_forever(stream, &ended))
                        .unwrap();
                }
            })
            .unwrap();
        Endless { addr, accepted, ended }
    }

    fn connections(&self) -> (usize, usize) {
        (self.accepted.load(Ordering::SeqCst), self.ended.load(Ordering::SeqCst))
    }
}

/// Writes until the client is gone, then closes and counts the connection as ended.
fn write_forever(mut stream: TcpStream, ended: &AtomicUsize) {
    let block: Vec<u8> = (0..16 * 1024).map(|i| (i % 251) as u8).collect();
    while stream.write_all(&block).is_ok() {}
    drop(stream);
    ended.fetch_add(1, Ordering::SeqCst);
}

/// Opens a page with sockets in every state and data flowing, and returns it
/// without reading any further.
async fn busy_page(relay: &TestRelay, endless: SocketAddr, black_hole: SocketAddr) -> Page {
    let mut page = Page::open(relay).await;
    page.watch_hello().await;

    // Two sockets streaming from the endless server, one read into memory
    // and one spliced through a pipe (a larger `max`); each has delivered a chunk.
    for max in [16 * 1024, 256 * 1024] {
        let s = page.socket().await;
        page.connect(s, endless).await;
        let re = page.request(Op::RecvAll { socket: s, max }, b"").await;
        let answer = page.about(re).await;
        assert!(matches!(answer.message, RelayMessage::Chunk { .. }), "{answer:?}");
    }

    // One talking to the Hello server, with a recv waiting for its next words.
    let hello = page.socket().await;
    page.connect(hello, relay.hello).await;
    assert_eq!(page.recv(hello, 1024).await, "Welcome!");
    page.request(Op::Recv { socket: hello, max: 1024 }, b"").await;

    // One stuck in the handshake: resolved, and waiting for a SYN-ACK that never comes.
    let stuck = page.socket().await;
    let op = Op::Connect { socket: stuck, host: black_hole.ip().to_string(), port: black_hole.port() };
    let re = page.request(op, b"").await;
    let answer = page.about(re).await;
    assert!(matches!(answer.message, RelayMessage::Resolved { .. }), "{answer:?}");

    // And one never used.
    page.socket().await;
    page
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_that_vanish_mid_transfer_leave_no_socket_and_no_thread() {
    let limits = ["--connect-timeout", RELAY_TIME_LIMIT_MS, "--idle-timeout", RELAY_TIME_LIMIT_MS];
    let relay = TestRelay::start(&limits).await;
    let endless = Endless::start();
    let (hole, _hole_listener, _hole_queue) = black_hole();
    let baseline = Counts::now();
    println!("baseline: {baseline:?}");
    let baseline_sockets = describe_sockets();

    for round in 1..=ROUNDS {
        let mut pages = Vec::new();
        for _ in 0..PAGES_PER_ROUND {
            pages.push(busy_page(&relay, endless.addr, hole).await);
        }
        let peak = Counts::now();
        let (accepted, ended) = endless.connections();
        println!(
            "round {round}, {PAGES_PER_ROUND} pages open: {peak:?}, endless connections {accepted} accepted, {ended} ended"
        );
        // Each page holds 10 sockets in this process: its WebSocket (both
        // ends), 2 connections to the endless server and 1 to the Hello server
        // (both ends of each), 1 connecting and 1 unconnected.
        assert!(peak.sockets >= baseline.sockets + 10 * PAGES_PER_ROUND, "{peak:?} against {baseline:?}");
        assert!(peak.hello_threads >= baseline.hello_threads + PAGES_PER_ROUND, "{peak:?}");
        if cfg!(target_os = "linux") {
            assert!(peak.pipes >= baseline.pipes + 2 * PAGES_PER_ROUND, "a pipe a page: {peak:?}");
        }
        assert_eq!(accepted, 2 * PAGES_PER_ROUND * round);

        // Gone, mid-transfer: the TCP connection closes under the WebSocket,
        // with no close frame, and with data the page never read.
        drop(pages);
    }

    let started = Instant::now();
    let settled = loop {
        let counts = Counts::now();
        let (accepted, ended) = endless.connections();
        let settled = counts == baseline && accepted == ended;
        if settled || started.elapsed() > DEADLINE {
            break (counts, accepted, ended);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let (counts, accepted, ended) = settled;
    println!(
        "after {:?}: {counts:?} (baseline {baseline:?}); endless connections {accepted} accepted, {ended} ended",
        started.elapsed()
    );
    let left: Vec<String> =
        describe_sockets().into_iter().filter(|socket| !baseline_sockets.contains(socket)).collect();
    let leaked = counts != baseline || accepted != ended;
    assert!(
        !leaked,
        "after {DEADLINE:?}, {counts:?} against {baseline:?} before the pages; \
         the endless server had {accepted} connections and saw {ended} end; sockets left: {left:#?}"
    );

    // And the relay still serves pages.
    let (mut page, s) = Page::connected_to_hello(&relay).await;
    assert_eq!(page.recv(s, 1024).await, "Welcome!");
}
