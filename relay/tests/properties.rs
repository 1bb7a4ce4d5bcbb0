//! A session under random use: a property test of the relay as a state machine.
//!
//! The other tests walk through sessions a person wrote down. This one lets
//! proptest write them: random sequences of up to 25 requests — `socket`;
//! `connect` to an echo server (by address, or by other spellings of it such
//! as `localhost` or `2130706433`), to a port that refuses, to a name that
//! does not resolve, to addresses and a port the egress policy refuses, to
//! text that is no host; `send` of random bytes; `recv`; `recv_all`; `close`,
//! also right behind a `connect`, racing it; `watch` — on socket ids that are
//! valid, closed or were never handed out, mixed with garbage frames (not
//! JSON, unknown operations, fields of the wrong type, frames of the wrong
//! kind, truncated binary frames, payloads and `max`es over the relay's
//! limits).
//!
//! Each sequence runs over one real WebSocket to a real relay, whose sockets
//! connect to a real TCP echo server on loopback. Beside the relay, the test
//! keeps a model of the session (which sockets exist and in what state, what
//! was sent on each, which reads wait) and predicts every answer from it. The
//! properties checked on every sequence:
//!
//! * every request gets exactly one final answer (`resolved` and `chunk` are
//!   progress), within a time bound, and nothing answers a request twice;
//! * that answer is the one the model predicts: the success for the operation,
//!   or a structured `error` of the predicted kind (and errno) whose `re` is
//!   the request's id; a frame whose id cannot be read gets a `ProtocolError`
//!   without `re`;
//! * calls on one socket are answered in order, and `close` comes after every
//!   call that was waiting on the socket has been answered;
//! * the bytes a socket receives are exactly the bytes it sent, as the echo
//!   server returns them (checked as a prefix while running, in full at the end);
//! * afterwards the session still works: a new socket can be made and closed.
//!
//! Nothing here asserts how long anything takes, only that answers come
//! within a generous bound. 64 sequences run, in a few seconds;
//! `PROPTEST_CASES=2000` searches longer.

mod common;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::time::Duration;

use bytes::Bytes;
use common::{Answer, Page, TestRelay};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use protocol::frame::encode_binary;
use protocol::{
    ErrorKind, Family, Frame, LessonServer, Op, RelayMessage, Request, RequestId, SocketId, WireFrame,
};
use serde_json::json;
use socket2::{Domain, Socket, Type};

/// The relay's limits in this test, small so that going over them is cheap.
const MAX_PAYLOAD: u32 = 4096;
const MAX_SOCKETS: usize = 4;
/// The relay's idle limit: far longer than a case, so no `recv` times out.
const IDLE_TIMEOUT_MS: &str = "600000";
/// Longer than any answer may take (and shorter than `Page`'s own patience, so
/// that a late answer is reported with what was still waiting).
const BOUND: Duration = Duration::from_secs(12);
const CASES: u32 = 64;

type Check = Result<(), TestCaseError>;

// ---------------------------------------------------------------------------
// The servers the relay's sockets talk to.
// ---------------------------------------------------------------------------

/// Where a `connect` may go.
struct Targets {
    /// Echoes every byte back until the client closes.
    echo: SocketAddr,
    /// A port that is bound but not listening: the kernel answers SYN with RST.
    refusing: SocketAddr,
    _refusing_socket: Socket,
}

impl Targets {
    fn start() -> Targets {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let echo = listener.local_addr().unwrap();
        std::thread::Builder::new()
            .name("echo-accept".into())
            .spawn(move || {
                for stream in listener.incoming() {
                    let Ok(mut stream) = stream else { continue };
                    std::thread::spawn(move || {
                        let mut buffer = [0u8; 8192];
                        while let Ok(n @ 1..) = stream.read(&mut buffer) {
                            if stream.write_all(&buffer[..n]).is_err() {
                                break;
                            }
                        }
                    });
                }
            })
            .unwrap();
        let refusing_socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        refusing_socket.bind(&SocketAddr::from((Ipv4Addr::LOCALHOST, 0)).into()).unwrap();
        let refusing = refusing_socket.local_addr().unwrap().as_socket().unwrap();
        Targets { echo, refusing, _refusing_socket: refusing_socket }
    }
}

// ---------------------------------------------------------------------------
// What a generated session is made of.
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Target {
    /// The echo server, by address.
    Echo,
    /// The echo server by another name or spelling of 127.0.0.1.
    EchoSpelled(&'static str),
    /// A port on which nobody listens.
    Refusing,
    /// A name no resolver knows.
    UnknownName,
    /// An address the egress policy refuses, and how the host spells it.
    Forbidden(&'static str, Ipv4Addr),
    /// The echo server's address with port 0, which the policy refuses.
    PortZero,
    /// Text that is no host name at all.
    NotAHost(&'static str),
}

/// Ways to write 127.0.0.1 that the resolver reads as 127.0.0.1.
const LOOPBACK_SPELLINGS: [&str; 7] =
    ["localhost", "LocalHost.", "127.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1", "127.0.0.1."];

/// Hosts the policy refuses (private, link-local, unspecified, broadcast).
const FORBIDDEN: [(&str, Ipv4Addr); 5] = [
    ("10.0.0.1", Ipv4Addr::new(10, 0, 0, 1)),
    ("0xa.1", Ipv4Addr::new(10, 0, 0, 1)),
    ("169.254.169.254", Ipv4Addr::new(169, 254, 169, 254)),
    ("0.0.0.0", Ipv4Addr::UNSPECIFIED),
    ("255.255.255.255", Ipv4Addr::BROADCAST),
];

/// Texts the relay refuses as hosts before anything else.
const NOT_HOSTS: [&str; 10] = [
    "",
    "bad host",
    "tab\there",
    "new\nline",
    "x\u{7f}",
    "a..b",
    "256.1.1.1",
    "[::1",
    "fe80::1%eth0",
    "caf\u{e9}.fr",
];

/// A frame the relay must refuse with a `ProtocolError`.
#[derive(Debug, Clone)]
enum Garbage {
    /// Text that is not JSON.
    NotJson(String),
    /// An operation that does not exist.
    UnknownOp(&'static str),
    /// One of [`WRONG_FIELDS`].
    WrongField(usize),
    /// A `send` without its payload, as a text frame.
    SendAsText(SocketId),
    /// A `close` with a payload, as a binary frame.
    PayloadOnClose(SocketId, Vec<u8>),
    /// One of [`UNREADABLE_IDS`].
    UnreadableId(usize),
    /// A binary frame too short for its length prefix.
    Short(Vec<u8>),
    /// A binary frame whose length prefix runs past its end.
    Overrun(u8),
    /// Any bytes at all, as a binary frame.
    RandomBinary(Vec<u8>),
}

/// Requests with a readable id and a field the relay cannot take.
const WRONG_FIELDS: [&str; 6] = [
    r#"{"id":ID,"op":"recv","socket":"one","max":5}"#,
    r#"{"id":ID,"op":"connect","socket":1,"host":"127.0.0.1","port":70000}"#,
    r#"{"id":ID,"op":"recv","socket":1,"max":-1}"#,
    r#"{"id":ID,"op":"socket","family":"AF_UNIX"}"#,
    r#"{"id":ID,"op":"close"}"#,
    r#"{"id":ID,"op":"watch","server":"goodbye"}"#,
];

/// Frames whose id cannot be read.
const UNREADABLE_IDS: [&str; 6] = [
    r#"{"id":-1,"op":"socket"}"#,
    r#"{"id":"7","op":"socket"}"#,
    r#"{"id":4294967296,"op":"socket"}"#,
    r#"{"op":"socket"}"#,
    r#"[1,2,3]"#,
    r#"null"#,
];

impl Garbage {
    fn wire(&self, id: RequestId) -> WireFrame {
        match self {
            Garbage::NotJson(text) => WireFrame::Text(format!("not json {text}")),
            Garbage::UnknownOp(op) => WireFrame::Text(json!({"id": id, "op": op}).to_string()),
            Garbage::WrongField(i) => WireFrame::Text(WRONG_FIELDS[*i].replace("ID", &id.to_string())),
            Garbage::SendAsText(socket) => {
                WireFrame::Text(json!({"id": id, "op": "send", "socket": socket}).to_string())
            }
            Garbage::PayloadOnClose(socket, payload) => {
                WireFrame::Binary(encode_binary(&Request { id, op: Op::Close { socket: *socket } }, payload))
            }
            Garbage::UnreadableId(i) => WireFrame::Text(UNREADABLE_IDS[*i].to_owned()),
            Garbage::Short(bytes) => WireFrame::Binary(Bytes::copy_from_slice(bytes)),
            Garbage::Overrun(extra) => {
                WireFrame::Binary(Bytes::from([&[0, 0, 0, 10 + extra][..], b"{\"id\":"].concat()))
            }
            Garbage::RandomBinary(bytes) => WireFrame::Binary(Bytes::copy_from_slice(bytes)),
        }
    }
}

#[derive(Debug, Clone)]
enum Step {
    Socket,
    Connect {
        socket: SocketId,
        target: Target,
    },
    Send {
        socket: SocketId,
        data: Vec<u8>,
    },
    Recv {
        socket: SocketId,
        max: u32,
    },
    RecvAll {
        socket: SocketId,
        max: u32,
    },
    Close {
        socket: SocketId,
    },
    /// `connect`, and `close` right behind it, before the connect's answer.
    ConnectAndClose {
        socket: SocketId,
        target: Target,
    },
    Watch,
    Garbage(Garbage),
}

/// Socket ids: mostly ones a short session hands out, sometimes 0 (never
/// valid) or ones it never reaches.
fn socket_id() -> impl Strategy<Value = SocketId> {
    prop_oneof![6 => 1u32..=2, 2 => 3u32..=4, 1 => 0u32..=7]
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        5 => Just(Target::Echo),
        2 => proptest::sample::select(&LOOPBACK_SPELLINGS[..]).prop_map(Target::EchoSpelled),
        1 => Just(Target::Refusing),
        1 => Just(Target::UnknownName),
        1 => proptest::sample::select(&FORBIDDEN[..]).prop_map(|(host, ip)| Target::Forbidden(host, ip)),
        1 => Just(Target::PortZero),
        1 => proptest::sample::select(&NOT_HOSTS[..]).prop_map(Target::NotAHost),
    ]
}

fn data() -> impl Strategy<Value = Vec<u8>> {
    let limit = MAX_PAYLOAD as usize;
    prop_oneof![
        8 => proptest::collection::vec(any::<u8>(), 1..48),
        1 => Just(Vec::new()),
        1 => proptest::collection::vec(any::<u8>(), limit..=limit),
        1 => proptest::collection::vec(any::<u8>(), limit + 1..limit + 64),
    ]
}

fn recv_max() -> impl Strategy<Value = u32> {
    prop_oneof![
        1 => Just(0),
        4 => 1u32..16,
        2 => Just(1024),
        1 => Just(MAX_PAYLOAD),
        1 => Just(MAX_PAYLOAD + 1),
        1 => Just(u32::MAX),
    ]
}

fn recv_all_max() -> impl Strategy<Value = u32> {
    prop_oneof![1 => Just(0), 3 => 3u32..16, 3 => Just(1024), 1 => Just(MAX_PAYLOAD + 1)]
}

fn garbage() -> impl Strategy<Value = Garbage> {
    prop_oneof![
        "[ -~]{0,20}".prop_map(Garbage::NotJson),
        proptest::sample::select(vec!["fly", "SOCKET", "", "recvall", "Send"]).prop_map(Garbage::UnknownOp),
        (0..WRONG_FIELDS.len()).prop_map(Garbage::WrongField),
        socket_id().prop_map(Garbage::SendAsText),
        (socket_id(), proptest::collection::vec(any::<u8>(), 0..8))
            .prop_map(|(socket, payload)| Garbage::PayloadOnClose(socket, payload)),
        (0..UNREADABLE_IDS.len()).prop_map(Garbage::UnreadableId),
        proptest::collection::vec(any::<u8>(), 0..4).prop_map(Garbage::Short),
        any::<u8>().prop_map(|extra| Garbage::Overrun(extra % 100)),
        proptest::collection::vec(any::<u8>(), 4..40).prop_map(Garbage::RandomBinary),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => Just(Step::Socket),
        3 => (socket_id(), target()).prop_map(|(socket, target)| Step::Connect { socket, target }),
        4 => (socket_id(), data()).prop_map(|(socket, data)| Step::Send { socket, data }),
        3 => (socket_id(), recv_max()).prop_map(|(socket, max)| Step::Recv { socket, max }),
        1 => (socket_id(), recv_all_max()).prop_map(|(socket, max)| Step::RecvAll { socket, max }),
        2 => socket_id().prop_map(|socket| Step::Close { socket }),
        1 => (socket_id(), target()).prop_map(|(socket, target)| Step::ConnectAndClose { socket, target }),
        1 => Just(Step::Watch),
        2 => garbage().prop_map(Step::Garbage),
    ]
}

/// A session: the first request id (ids count up from it) and the steps,
/// half of them starting with a socket connected to the echo server.
fn session() -> impl Strategy<Value = (RequestId, Vec<Step>)> {
    // Page's own helpers (used for the final probe) number from 1.
    let first_id = prop_oneof![Just(1000u32), 1000..u32::MAX - 100_000];
    let connected = vec![Step::Socket, Step::Connect { socket: 1, target: Target::Echo }];
    let prelude = prop_oneof![Just(Vec::new()), Just(connected)];
    (first_id, prelude, proptest::collection::vec(step(), 1..=25))
        .prop_map(|(first_id, prelude, steps)| (first_id, [prelude, steps].concat()))
}

// ---------------------------------------------------------------------------
// The model of one session.
// ---------------------------------------------------------------------------

/// A connected socket, as the model sees it.
#[derive(Debug, Default)]
struct Conn {
    /// Bytes the kernel took (`sent.bytes` of each `send`), in order.
    sent: Vec<u8>,
    /// The `send` under way, before its answer says how much was taken.
    in_flight: Vec<u8>,
    /// Bytes received by `recv` and `recv_all`, in order.
    received: Vec<u8>,
    /// Reads waiting for their final answer, in the order they were made.
    reads: VecDeque<RequestId>,
}

impl Conn {
    /// Takes bytes the echo server sent back: they must continue what was sent.
    fn take(&mut self, bytes: &[u8]) -> Check {
        self.received.extend_from_slice(bytes);
        let sent_so_far = [&self.sent[..], &self.in_flight[..]].concat();
        prop_assert!(
            sent_so_far.starts_with(&self.received),
            "received {} bytes that are not the {} bytes sent",
            self.received.len(),
            sent_so_far.len()
        );
        Ok(())
    }
}

#[derive(Debug)]
enum Sock {
    Created,
    Connected(Conn),
}

/// The answer the model predicts for a request.
#[derive(Debug, Clone)]
enum Expect {
    Created(SocketId),
    /// Connected to the echo server, after `resolved` reported the host
    /// as written and (at least) this address.
    Connected {
        socket: SocketId,
        resolves: (String, IpAddr),
    },
    /// An error of this kind; `errno: None` means no errno, except for
    /// `socket.gaierror`, whose (negative) code depends on the resolver.
    /// With `resolves`, a `resolved` comes first.
    Failure {
        kind: ErrorKind,
        errno: Option<i32>,
        socket: Option<SocketId>,
        resolves: Option<(String, IpAddr)>,
        /// The connect's task gives this error, after the request was taken.
        dialed: bool,
    },
    Sent(SocketId),
    Read {
        socket: SocketId,
        max: u32,
        all: bool,
    },
    Closed(SocketId),
    Watching,
    /// A `connect` closed while under way: whichever came first, the close
    /// (`OSError` 9) or the connect's own outcome: `connected` when
    /// `failure` is `None`, else that error.
    Raced {
        socket: SocketId,
        resolves: Option<(String, IpAddr)>,
        failure: Option<(ErrorKind, Option<i32>)>,
    },
}

impl Expect {
    fn error(kind: ErrorKind, errno: Option<i32>, socket: Option<SocketId>) -> Expect {
        Expect::Failure { kind, errno, socket, resolves: None, dialed: false }
    }

    /// This answer to a `connect`, if a `close` may overtake it.
    fn racing_close(self) -> Expect {
        match self {
            Expect::Connected { socket, resolves } => {
                Expect::Raced { socket, resolves: Some(resolves), failure: None }
            }
            Expect::Failure { kind, errno, socket: Some(socket), resolves, dialed: true } => {
                Expect::Raced { socket, resolves, failure: Some((kind, errno)) }
            }
            // Refused before the connect began: the close finds the socket as it was.
            other => other,
        }
    }
}

/// What the cases did, to show that they reached the interesting states.
#[derive(Default)]
struct Stats {
    requests: Cell<u64>,
    errors: Cell<u64>,
    /// How many errors of each kind the relay gave.
    kinds: RefCell<BTreeMap<&'static str, u64>>,
    connected: Cell<u64>,
    echoed_bytes: Cell<u64>,
    waited_reads_closed: Cell<u64>,
    /// Connects that a close overtook, or not.
    raced: Cell<u64>,
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} requests, {} errors, {} connections, {} bytes echoed, {} waiting reads ended by close, \
             {} connects raced by a close",
            self.requests.get(),
            self.errors.get(),
            self.connected.get(),
            self.echoed_bytes.get(),
            self.waited_reads_closed.get(),
            self.raced.get()
        )?;
        write!(f, "\nerrors by kind: {:?}", self.kinds.borrow())
    }
}

impl Stats {
    fn error(&self, kind: ErrorKind) {
        bump(&self.errors, 1);
        *self.kinds.borrow_mut().entry(kind.python_name()).or_default() += 1;
    }
}

/// Whether `error` is of `kind` with `errno`; a `socket.gaierror`'s code
/// depends on the resolver, so any negative one will do.
fn is(error: &protocol::ErrorInfo, kind: ErrorKind, errno: Option<i32>) -> bool {
    error.kind == kind
        && match kind {
            ErrorKind::Gaierror => error.errno.is_some_and(|code| code < 0),
            _ => error.errno == errno,
        }
}

fn bump(cell: &Cell<u64>, by: u64) {
    cell.set(cell.get() + by);
}

struct Session<'a> {
    page: Page,
    /// The relay's Hello server, as `watching` must name it.
    hello: SocketAddr,
    targets: &'a Targets,
    stats: &'a Stats,
    next_id: RequestId,
    /// The id the relay will give the next socket.
    next_socket: SocketId,
    open: BTreeMap<SocketId, Sock>,
    /// Connected sockets whose `close` was asked for and not yet answered.
    closing: HashMap<SocketId, Conn>,
    /// Requests without their final answer yet.
    waiting: HashMap<RequestId, Expect>,
    /// Errors without `re` still to come, for frames whose id was unreadable.
    anonymous: usize,
    /// Every request sent, for the failure report.
    transcript: Vec<String>,
}

impl<'a> Session<'a> {
    async fn open(relay: &TestRelay, targets: &'a Targets, stats: &'a Stats, first_id: RequestId) -> Self {
        Session {
            page: Page::open(relay).await,
            hello: relay.hello,
            targets,
            stats,
            next_id: first_id,
            next_socket: 1,
            open: BTreeMap::new(),
            closing: HashMap::new(),
            waiting: HashMap::new(),
            anonymous: 0,
            transcript: Vec::new(),
        }
    }

    fn conn(&mut self, socket: SocketId) -> Option<&mut Conn> {
        match self.open.get_mut(&socket) {
            Some(Sock::Connected(conn)) => Some(conn),
            _ => self.closing.get_mut(&socket),
        }
    }

    /// The relay's answer for a socket id that is not in its table.
    fn missing(&self, socket: SocketId) -> Expect {
        if socket > 0 && socket < self.next_socket {
            Expect::error(ErrorKind::OSError, Some(9), Some(socket))
        } else {
            Expect::error(ErrorKind::ProtocolError, None, Some(socket))
        }
    }

    fn over_limit(size: u64) -> bool {
        size > u64::from(MAX_PAYLOAD)
    }

    /// Sends one step's frame and predicts its answer; waits for the answer
    /// unless the request may rightly wait (a read on a connected socket).
    async fn run(&mut self, step: &Step) -> Check {
        let ids = match step {
            Step::ConnectAndClose { socket, target } => {
                let connect = Step::Connect { socket: *socket, target: target.clone() };
                let racing = self.issue(&connect, true).await;
                vec![racing, self.issue(&Step::Close { socket: *socket }, false).await]
            }
            step => vec![self.issue(step, false).await],
        };
        for id in ids {
            match id {
                // Garbage without a readable id: an error without `re`.
                None => {
                    while self.anonymous > 0 {
                        self.next_answer().await?;
                    }
                }
                Some((id, waits)) => {
                    while !waits && self.waiting.contains_key(&id) {
                        self.next_answer().await?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Sends a step's request and registers the answer it must get: its
    /// id, and whether the answer may rightly wait; `None` for a frame
    /// whose id cannot be read. With `racing_close`, a `close` of the
    /// socket follows at once, which may overtake a connect under way.
    async fn issue(&mut self, step: &Step, racing_close: bool) -> Option<(RequestId, bool)> {
        let id = self.next_id;
        self.next_id += 1;
        let (frame, expect) = self.predict(id, step);
        let expect = match expect {
            Some(expect) if racing_close => Some(expect.racing_close()),
            expect => expect,
        };
        self.transcript.push(format!("#{id} {step:?} -> {expect:?}"));
        bump(&self.stats.requests, 1);
        let Some(expect) = expect else {
            self.anonymous += 1;
            self.page.send_wire(frame).await;
            return None;
        };
        let waits = matches!(expect, Expect::Read { .. });
        if let Expect::Read { socket, .. } = expect {
            self.conn(socket).expect("reads are predicted only on connections").reads.push_back(id);
        }
        if let (Step::Send { data, .. }, Expect::Sent(socket)) = (step, &expect) {
            self.conn(*socket).expect("sends are predicted only on connections").in_flight = data.clone();
        }
        if let (Step::Close { socket }, Expect::Closed(_)) = (step, &expect) {
            // The relay takes the socket out of its table at once; a connection
            // stays in the model until `closed` says its reads were all answered.
            if let Some(Sock::Connected(conn)) = self.open.remove(socket) {
                self.closing.insert(*socket, conn);
            }
        }
        self.waiting.insert(id, expect);
        self.page.send_wire(frame).await;
        Some((id, waits))
    }

    /// The frame for a step, and the answer the relay must give it (`None`:
    /// an error without `re`). Follows the order in which the relay checks.
    fn predict(&self, id: RequestId, step: &Step) -> (WireFrame, Option<Expect>) {
        let frame = |op: Op, payload: &[u8]| {
            Frame::with_payload(Request { id, op }, Bytes::copy_from_slice(payload)).encode()
        };
        match step {
            Step::Socket => {
                let expect = if self.open.len() >= MAX_SOCKETS {
                    Expect::error(ErrorKind::LimitError, None, None)
                } else {
                    Expect::Created(self.next_socket)
                };
                (frame(Op::Socket { family: Family::Inet }, b""), Some(expect))
            }
            Step::Connect { socket, target } => {
                let socket = *socket;
                let (echo, refusing) = (self.targets.echo, self.targets.refusing);
                let (host, port) = match target {
                    Target::Echo => (echo.ip().to_string(), echo.port()),
                    Target::EchoSpelled(text) => ((*text).to_owned(), echo.port()),
                    Target::Refusing => (refusing.ip().to_string(), refusing.port()),
                    Target::UnknownName => ("no-such-host.invalid".to_owned(), 80),
                    Target::Forbidden(text, _) => ((*text).to_owned(), 80),
                    Target::PortZero => (echo.ip().to_string(), 0),
                    Target::NotAHost(text) => ((*text).to_owned(), 80),
                };
                let refused = |kind, errno| Expect::Failure {
                    kind,
                    errno,
                    socket: Some(socket),
                    resolves: None,
                    dialed: false,
                };
                let failure = |kind, errno, resolves| Expect::Failure {
                    kind,
                    errno,
                    socket: Some(socket),
                    resolves,
                    dialed: true,
                };
                let loopback = (host.clone(), IpAddr::V4(Ipv4Addr::LOCALHOST));
                // The relay reads the host, then checks the port, then finds the socket.
                let expect = match (target, self.open.get(&socket)) {
                    (Target::NotAHost(_), _) => refused(ErrorKind::ProtocolError, None),
                    (Target::PortZero, _) => refused(ErrorKind::PolicyError, None),
                    (_, None) => self.missing(socket),
                    (_, Some(Sock::Connected(_))) => refused(ErrorKind::OSError, Some(106)),
                    (Target::Echo | Target::EchoSpelled(_), Some(Sock::Created)) => {
                        Expect::Connected { socket, resolves: loopback }
                    }
                    (Target::Refusing, Some(Sock::Created)) => {
                        failure(ErrorKind::ConnectionRefusedError, Some(111), Some(loopback))
                    }
                    (Target::UnknownName, Some(Sock::Created)) => failure(ErrorKind::Gaierror, None, None),
                    (Target::Forbidden(_, ip), Some(Sock::Created)) => {
                        failure(ErrorKind::PolicyError, None, Some((host.clone(), IpAddr::V4(*ip))))
                    }
                };
                (frame(Op::Connect { socket, host, port }, b""), Some(expect))
            }
            Step::Send { socket, data } => {
                let socket = *socket;
                let expect = if Self::over_limit(data.len() as u64) {
                    Expect::error(ErrorKind::LimitError, None, Some(socket))
                } else {
                    match self.open.get(&socket) {
                        None => self.missing(socket),
                        Some(Sock::Created) => {
                            Expect::error(ErrorKind::BrokenPipeError, Some(32), Some(socket))
                        }
                        Some(Sock::Connected(_)) => Expect::Sent(socket),
                    }
                };
                (frame(Op::Send { socket }, data), Some(expect))
            }
            Step::Recv { socket, max } | Step::RecvAll { socket, max } => {
                let (socket, max) = (*socket, *max);
                let all = matches!(step, Step::RecvAll { .. });
                let expect = if all && max == 0 {
                    Expect::error(ErrorKind::ProtocolError, None, Some(socket))
                } else if Self::over_limit(max.into()) {
                    Expect::error(ErrorKind::LimitError, None, Some(socket))
                } else {
                    match self.open.get(&socket) {
                        None => self.missing(socket),
                        Some(Sock::Created) => Expect::error(ErrorKind::OSError, Some(107), Some(socket)),
                        Some(Sock::Connected(_)) => Expect::Read { socket, max, all },
                    }
                };
                let op = if all { Op::RecvAll { socket, max } } else { Op::Recv { socket, max } };
                (frame(op, b""), Some(expect))
            }
            Step::Close { socket } => {
                let socket = *socket;
                let expect = match self.open.get(&socket) {
                    None => self.missing(socket),
                    Some(_) => Expect::Closed(socket),
                };
                (frame(Op::Close { socket }, b""), Some(expect))
            }
            Step::ConnectAndClose { .. } => unreachable!("`run` sends it as a connect and a close"),
            Step::Watch => (frame(Op::Watch { server: LessonServer::Hello }, b""), Some(Expect::Watching)),
            Step::Garbage(garbage) => {
                let wire = garbage.wire(id);
                let re = match Frame::<Request>::decode(wire.clone()) {
                    Err(error) => error.request_id(),
                    Ok(frame) => panic!("garbage {garbage:?} decoded as {frame:?}"),
                };
                let expect = re.map(|re| {
                    assert_eq!(re, id, "garbage carries the step's id");
                    Expect::error(ErrorKind::ProtocolError, None, None)
                });
                (wire, expect)
            }
        }
    }

    /// Reads the next message from the relay and checks it against the model.
    async fn next_answer(&mut self) -> Check {
        let Ok(answer) = tokio::time::timeout(BOUND, self.page.next()).await else {
            let mut waiting: Vec<_> = self.waiting.iter().collect();
            waiting.sort_by_key(|(id, _)| **id);
            return Err(TestCaseError::fail(format!(
                "no message within {BOUND:?}; still waiting for {waiting:?} and {} errors without re",
                self.anonymous
            )));
        };
        self.check(answer)
    }

    fn check(&mut self, answer: Answer) -> Check {
        let Answer { message, payload } = answer;
        let re = match &message {
            RelayMessage::Error { re: None, socket, error } => {
                prop_assert!(self.anonymous > 0, "an error nobody expected: {:?}", error);
                prop_assert_eq!(error.kind, ErrorKind::ProtocolError, "{:?}", error);
                prop_assert_eq!(*socket, None);
                self.anonymous -= 1;
                self.stats.error(error.kind);
                return Ok(());
            }
            other => protocol::frame::Message::request_id(other),
        };
        let Some(re) = re else {
            return Err(TestCaseError::fail(format!("a message without re: {message:?}")));
        };
        let Some(expect) = self.waiting.get(&re).cloned() else {
            return Err(TestCaseError::fail(format!(
                "{message:?} answers #{re}, which is not waiting: answered twice, or never asked"
            )));
        };
        let done = match (&expect, &message) {
            (Expect::Created(socket), RelayMessage::Created { socket: got, family, .. }) => {
                prop_assert_eq!(got, socket);
                prop_assert_eq!(*family, Family::Inet);
                self.open.insert(*socket, Sock::Created);
                self.next_socket += 1;
                true
            }
            (
                Expect::Connected { socket, resolves: (host, ip) }
                | Expect::Failure { socket: Some(socket), resolves: Some((host, ip)), .. }
                | Expect::Raced { socket, resolves: Some((host, ip)), .. },
                RelayMessage::Resolved { socket: got, host: got_host, addresses, .. },
            ) => {
                prop_assert_eq!(got, socket);
                prop_assert_eq!(got_host, host);
                prop_assert!(addresses.contains(ip), "{} resolved to {:?}", host, addresses);
                false
            }
            (Expect::Connected { socket, .. }, RelayMessage::Connected { socket: got, local, peer, .. }) => {
                prop_assert_eq!(got, socket);
                prop_assert_eq!(*peer, self.targets.echo);
                prop_assert_eq!(local.ip(), peer.ip());
                self.open.insert(*socket, Sock::Connected(Conn::default()));
                bump(&self.stats.connected, 1);
                true
            }
            (Expect::Failure { kind, errno, socket, .. }, RelayMessage::Error { socket: got, error, .. }) => {
                prop_assert!(is(error, *kind, *errno), "expected {:?} {:?}, got {}", kind, errno, error);
                prop_assert_eq!(got, socket);
                self.stats.error(error.kind);
                true
            }
            (Expect::Raced { socket, failure: None, .. }, RelayMessage::Connected { socket: got, .. }) => {
                prop_assert_eq!(got, socket);
                bump(&self.stats.raced, 1);
                true
            }
            (Expect::Raced { socket, failure, .. }, RelayMessage::Error { socket: got, error, .. }) => {
                let closed_first = is(error, ErrorKind::OSError, Some(9));
                let failed_first = failure.is_some_and(|(kind, errno)| is(error, kind, errno));
                prop_assert!(closed_first || failed_first, "expected EBADF or {:?}, got {}", failure, error);
                prop_assert_eq!(*got, Some(*socket));
                self.stats.error(error.kind);
                bump(&self.stats.raced, 1);
                true
            }
            (Expect::Sent(socket), RelayMessage::Sent { socket: got, bytes, .. }) => {
                prop_assert_eq!(got, socket);
                let conn = self.conn(*socket).expect("a send waits only on a connection");
                let taken = usize::try_from(*bytes).unwrap();
                prop_assert!(
                    taken <= conn.in_flight.len(),
                    "sent {} of {} bytes",
                    taken,
                    conn.in_flight.len()
                );
                let in_flight = std::mem::take(&mut conn.in_flight);
                conn.sent.extend_from_slice(&in_flight[..taken]);
                true
            }
            (Expect::Read { socket, max, all }, _) => {
                self.check_read(re, *socket, *max, *all, &message, &payload)?
            }
            (Expect::Closed(socket), RelayMessage::Closed { socket: got, .. }) => {
                prop_assert_eq!(got, socket);
                if let Some(conn) = self.closing.remove(socket) {
                    prop_assert!(
                        conn.reads.is_empty(),
                        "closed before the reads {:?} were answered",
                        conn.reads
                    );
                }
                true
            }
            (Expect::Watching, RelayMessage::Watching { server, .. }) => {
                prop_assert_eq!(server.name, LessonServer::Hello);
                prop_assert_eq!(server.addr, self.hello);
                true
            }
            (expect, message) => {
                return Err(TestCaseError::fail(format!("#{re}: expected {expect:?}, got {message:?}")));
            }
        };
        if done {
            self.waiting.remove(&re);
        }
        Ok(())
    }

    /// An answer to a `recv` or `recv_all`: returns whether it is final.
    fn check_read(
        &mut self,
        re: RequestId,
        socket: SocketId,
        max: u32,
        all: bool,
        message: &RelayMessage,
        payload: &[u8],
    ) -> Result<bool, TestCaseError> {
        let closing = self.closing.contains_key(&socket);
        let stats = self.stats;
        let conn = self.conn(socket).expect("a read waits only on a connection");
        prop_assert_eq!(conn.reads.front(), Some(&re), "reads on socket {} answered out of order", socket);
        let final_answer = match message {
            RelayMessage::Received { socket: got, .. } if !all => {
                prop_assert_eq!(*got, socket);
                prop_assert!(payload.len() <= max as usize, "{} bytes for recv({})", payload.len(), max);
                // The echo server never closes first, so only recv(0) may return b"".
                prop_assert!(
                    !payload.is_empty() || max == 0,
                    "recv({}) returned b'' from the echo server",
                    max
                );
                conn.take(payload)?;
                true
            }
            RelayMessage::Chunk { socket: got, .. } if all => {
                prop_assert_eq!(*got, socket);
                prop_assert!(
                    (1..=max as usize).contains(&payload.len()),
                    "a chunk of {} bytes",
                    payload.len()
                );
                conn.take(payload)?;
                false
            }
            RelayMessage::Error { socket: got, error, .. } => {
                prop_assert_eq!(*got, Some(socket));
                prop_assert!(closing, "a read failed on a socket nobody closed: {}", error);
                prop_assert_eq!((error.kind, error.errno), (ErrorKind::OSError, Some(9)), "{}", error);
                bump(&stats.waited_reads_closed, 1);
                true
            }
            other => return Err(TestCaseError::fail(format!("#{re}: a read answered with {other:?}"))),
        };
        if final_answer {
            conn.reads.pop_front();
        }
        Ok(final_answer)
    }

    /// Ends the session's use: reads until every socket got back all it sent,
    /// closes every socket, and checks that nothing is left unanswered.
    async fn finish(&mut self) -> Check {
        let connected: Vec<SocketId> = self
            .open
            .iter()
            .filter_map(|(id, sock)| matches!(sock, Sock::Connected(_)).then_some(*id))
            .collect();
        for socket in connected {
            loop {
                let conn = self.conn(socket).unwrap();
                if conn.received.len() >= conn.sent.len() {
                    break;
                }
                if conn.reads.is_empty() {
                    self.run(&Step::Recv { socket, max: MAX_PAYLOAD }).await?;
                } else {
                    self.next_answer().await?;
                }
            }
            let stats = self.stats;
            let conn = self.conn(socket).unwrap();
            prop_assert_eq!(
                &conn.received,
                &conn.sent,
                "socket {} got back other bytes than it sent",
                socket
            );
            bump(&stats.echoed_bytes, conn.sent.len() as u64);
        }
        let open: Vec<SocketId> = self.open.keys().copied().collect();
        for socket in open {
            self.run(&Step::Close { socket }).await?;
        }
        prop_assert!(self.waiting.is_empty(), "never answered: {:?}", self.waiting);
        prop_assert_eq!(self.anonymous, 0);
        prop_assert!(self.page.others.is_empty(), "stray messages: {:?}", self.page.others);

        // The session still works.
        let socket = self.page.socket().await;
        prop_assert_eq!(socket, self.next_socket);
        self.page.close(socket).await;
        prop_assert!(self.page.others.is_empty(), "stray messages: {:?}", self.page.others);
        Ok(())
    }
}

async fn run_session(
    relay: &TestRelay,
    targets: &Targets,
    stats: &Stats,
    first_id: RequestId,
    steps: &[Step],
) -> Check {
    let mut session = Session::open(relay, targets, stats, first_id).await;
    let mut outcome = Ok(());
    for step in steps {
        outcome = session.run(step).await;
        if outcome.is_err() {
            break;
        }
    }
    if outcome.is_ok() {
        outcome = session.finish().await;
    }
    outcome.map_err(|error| {
        TestCaseError::fail(format!("{error}\nrequests:\n  {}", session.transcript.join("\n  ")))
    })
}

#[test]
fn random_sessions_answer_every_request_and_survive() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let targets = Targets::start();
    let max_payload = MAX_PAYLOAD.to_string();
    let max_sockets = MAX_SOCKETS.to_string();
    let args =
        ["--max-payload", &max_payload, "--max-sockets", &max_sockets, "--idle-timeout", IDLE_TIMEOUT_MS];
    let relay = runtime.block_on(TestRelay::start(&args));
    let stats = Stats::default();

    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(CASES);
    let config = Config {
        failure_persistence: None,
        // A failing case is shrunk, but not for ever: each run may wait `BOUND`.
        max_shrink_time: 120_000,
        max_shrink_iters: 500,
        ..Config::with_cases(cases)
    };
    let mut runner = TestRunner::new(config);
    let outcome = runner.run(&session(), |(first_id, steps)| {
        runtime.block_on(run_session(&relay, &targets, &stats, first_id, &steps))
    });
    println!("{stats}");
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    // The sequences reached what they are meant to test (in a full run).
    if cases < CASES {
        return;
    }
    assert!(stats.connected.get() >= 10, "too few connections to the echo server: {stats}");
    assert!(stats.echoed_bytes.get() > 0, "no bytes went through the echo server: {stats}");
    assert!(stats.errors.get() >= 50, "too few errors: {stats}");
}
