//! What the relay's integration tests share: a relay on ephemeral ports, and
//! a `Page` that speaks the protocol over a real WebSocket, as the browser does.

#![allow(dead_code)] // each test file uses its own part of this module

pub mod nginx;
pub mod targets;

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use protocol::{
    ErrorKind, Family, Frame, LessonServer, Op, RelayMessage, Request, RequestId, ServerInfo, SocketId,
    WireFrame,
};
use relay::{Config, Relay};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// Longer than any answer should take; a test that waits this long has failed.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// Lets a relay reach servers on loopback ports, as the tests run theirs
/// there; the egress policy denies loopback otherwise.
pub const LOOPBACK_TARGETS: &[&str] = &["--allow", "127.0.0.0/8", "--allow", "::1", "--ports", "any"];

/// A relay serving in this test's runtime.
pub struct TestRelay {
    pub http: SocketAddr,
    pub hello: SocketAddr,
    pub router: axum::Router,
}

impl TestRelay {
    /// Starts a relay on ephemeral ports with a Hello server that answers at
    /// once, allowed to reach the test's own servers on loopback; `args` are
    /// further command-line options.
    pub async fn start(args: &[&str]) -> TestRelay {
        TestRelay::start_with_policy(&[LOOPBACK_TARGETS, args].concat()).await
    }

    /// Starts a relay with the egress policy as `args` leave it: the default
    /// one unless they change it.
    pub async fn start_with_policy(args: &[&str]) -> TestRelay {
        let mut argv =
            vec!["relay", "--listen", "127.0.0.1:0", "--hello", "127.0.0.1:0", "--hello-delay", "0"];
        argv.extend_from_slice(&["--hello-single", "127.0.0.1:0"]);
        argv.extend_from_slice(args);
        let relay = Relay::bind(&Config::parse_from(argv)).await.expect("relay starts");
        let http = relay.http_addr();
        let hello = relay.servers()[0].addr;
        let router = relay.router();
        tokio::spawn(relay.serve(std::future::pending()));
        TestRelay { http, hello, router }
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.http)
    }
}

/// A message from the relay and the bytes it carried.
pub type Answer = Frame<RelayMessage>;

/// One page's WebSocket session, driven by a test.
pub struct Page {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: RequestId,
    /// Messages that arrived while the test waited for another one.
    pub others: Vec<Answer>,
    pub servers: Vec<ServerInfo>,
}

impl Page {
    /// Opens a session and reads its welcome.
    pub async fn open(relay: &TestRelay) -> Page {
        Page::open_url(&relay.ws_url()).await
    }

    /// Opens a session with the relay at `url` (`ws://host:port/ws`).
    pub async fn open_url(url: &str) -> Page {
        let (ws, _) = tokio_tungstenite::connect_async(url).await.expect("WebSocket opens");
        let mut page = Page { ws, next_id: 1, others: Vec::new(), servers: Vec::new() };
        match page.next().await.message {
            RelayMessage::Welcome { servers, .. } => page.servers = servers,
            other => panic!("expected welcome, got {other:?}"),
        }
        page
    }

    /// Opens a session with a socket connected to the relay's Hello server.
    pub async fn connected_to_hello(relay: &TestRelay) -> (Page, SocketId) {
        let mut page = Page::open(relay).await;
        let socket = page.socket().await;
        page.connect(socket, relay.hello).await;
        (page, socket)
    }

    /// Sends a request; returns its id.
    pub async fn request(&mut self, op: Op, payload: &[u8]) -> RequestId {
        let id = self.next_id;
        self.next_id += 1;
        let frame = Frame::with_payload(Request { id, op }, Bytes::copy_from_slice(payload));
        self.send_wire(frame.encode()).await;
        id
    }

    /// Sends a frame exactly as given, well-formed or not.
    pub async fn send_wire(&mut self, frame: WireFrame) {
        let message = match frame {
            WireFrame::Text(text) => Message::Text(text.into()),
            WireFrame::Binary(bytes) => Message::Binary(bytes),
        };
        self.ws.send(message).await.expect("WebSocket sends");
    }

    /// The next message from the relay, whatever it is.
    pub async fn next(&mut self) -> Answer {
        loop {
            let message = tokio::time::timeout(PATIENCE, self.ws.next())
                .await
                .expect("the relay answers in time")
                .expect("the WebSocket is open")
                .expect("the WebSocket works");
            let frame = match message {
                Message::Text(text) => Frame::decode_text(&text),
                Message::Binary(bytes) => Frame::decode_binary(bytes),
                _ => continue,
            };
            return frame.expect("the relay sends well-formed frames");
        }
    }

    /// The next message about request `re`, whether it already arrived or
    /// not; other messages are kept in `others`.
    pub async fn about(&mut self, re: RequestId) -> Answer {
        let is_about = |answer: &Answer| protocol::frame::Message::request_id(&answer.message) == Some(re);
        if let Some(at) = self.others.iter().position(is_about) {
            return self.others.remove(at);
        }
        loop {
            let answer = self.next().await;
            if is_about(&answer) {
                return answer;
            }
            self.others.push(answer);
        }
    }

    /// The final answer to request `re`, skipping its progress messages.
    pub async fn final_answer(&mut self, re: RequestId) -> Answer {
        loop {
            let answer = self.about(re).await;
            if answer.message.is_final() {
                return answer;
            }
        }
    }

    /// Sends a request and waits for its final answer.
    pub async fn call(&mut self, op: Op, payload: &[u8]) -> Answer {
        let re = self.request(op, payload).await;
        self.final_answer(re).await
    }

    /// `socket.socket(AF_INET, SOCK_STREAM)`.
    pub async fn socket(&mut self) -> SocketId {
        match self.call(Op::Socket { family: Family::Inet }, b"").await.message {
            RelayMessage::Created { socket, .. } => socket,
            other => panic!("expected created, got {other:?}"),
        }
    }

    /// `s.connect((host, port))`; returns (local, peer).
    pub async fn connect(&mut self, socket: SocketId, addr: SocketAddr) -> (SocketAddr, SocketAddr) {
        let op = Op::Connect { socket, host: addr.ip().to_string(), port: addr.port() };
        match self.call(op, b"").await.message {
            RelayMessage::Connected { local, peer, .. } => (local, peer),
            other => panic!("expected connected, got {other:?}"),
        }
    }

    /// `s.send(data)`; returns how many bytes the kernel took.
    pub async fn send(&mut self, socket: SocketId, data: &[u8]) -> u64 {
        match self.call(Op::Send { socket }, data).await.message {
            RelayMessage::Sent { bytes, .. } => bytes,
            other => panic!("expected sent, got {other:?}"),
        }
    }

    /// `s.recv(max)`.
    pub async fn recv(&mut self, socket: SocketId, max: u32) -> Bytes {
        let answer = self.call(Op::Recv { socket, max }, b"").await;
        match answer.message {
            RelayMessage::Received { .. } => answer.payload,
            other => panic!("expected received, got {other:?}"),
        }
    }

    /// `s.recv(max)` until `n` bytes have arrived.
    pub async fn recv_exactly(&mut self, socket: SocketId, n: usize) -> Vec<u8> {
        let mut data = Vec::new();
        while data.len() < n {
            let chunk = self.recv(socket, 1024).await;
            assert!(!chunk.is_empty(), "the peer closed after {} of {n} bytes", data.len());
            data.extend_from_slice(&chunk);
        }
        data
    }

    /// `recv_all(max)`: every chunk the relay streams, each checked to hold
    /// 1 to `max` bytes, and the counts of the `drained` that ends them.
    pub async fn recv_all(&mut self, socket: SocketId, max: u32) -> Streamed {
        let re = self.request(Op::RecvAll { socket, max }, b"").await;
        let mut chunks = Vec::new();
        loop {
            let answer = self.about(re).await;
            match answer.message {
                RelayMessage::Chunk { .. } => {
                    let size = answer.payload.len();
                    assert!((1..=max as usize).contains(&size), "a chunk of {size} bytes");
                    chunks.push(answer.payload);
                }
                RelayMessage::Drained { chunks: reads, bytes, .. } => {
                    return Streamed { chunks, drained: (reads, bytes) };
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    /// `s.close()`.
    pub async fn close(&mut self, socket: SocketId) {
        match self.call(Op::Close { socket }, b"").await.message {
            RelayMessage::Closed { .. } => {}
            other => panic!("expected closed, got {other:?}"),
        }
    }

    /// Follows the Hello server's log.
    pub async fn watch_hello(&mut self) {
        match self.call(Op::Watch { server: LessonServer::Hello }, b"").await.message {
            RelayMessage::Watching { .. } => {}
            other => panic!("expected watching, got {other:?}"),
        }
    }

    /// Sends a request that must fail; returns the error's kind, errno and message.
    pub async fn fails(&mut self, op: Op, payload: &[u8]) -> (ErrorKind, Option<i32>, String) {
        let answer = self.call(op, payload).await;
        expect_error(answer)
    }

    /// Waits for the relay to end the session; returns the close frame's
    /// code and reason. Messages before it are kept in `others`.
    pub async fn closed_by_relay(&mut self) -> (u16, String) {
        loop {
            let message = tokio::time::timeout(PATIENCE, self.ws.next())
                .await
                .expect("the relay closes in time")
                .expect("a close frame comes before the end")
                .expect("the WebSocket works until it closes");
            match message {
                Message::Close(Some(frame)) => return (frame.code.into(), frame.reason.to_string()),
                Message::Close(None) => panic!("the relay closed without saying why"),
                Message::Text(text) => self.others.push(Frame::decode_text(&text).unwrap()),
                Message::Binary(bytes) => self.others.push(Frame::decode_binary(bytes).unwrap()),
                _ => {}
            }
        }
    }
}

/// What `recv_all` streamed.
pub struct Streamed {
    pub chunks: Vec<Bytes>,
    /// The relay's own count of its reads and their bytes.
    pub drained: (u64, u64),
}

impl Streamed {
    /// Every byte, in order.
    pub fn concat(&self) -> Vec<u8> {
        self.chunks.concat()
    }
}

/// The error an answer carries; panics if it is not an error.
pub fn expect_error(answer: Answer) -> (ErrorKind, Option<i32>, String) {
    match answer.message {
        RelayMessage::Error { error, .. } => (error.kind, error.errno, error.message),
        other => panic!("expected an error, got {other:?}"),
    }
}
