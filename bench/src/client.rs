//! One page's session with the relay, driven by a program instead of a browser.
//!
//! A [`Client`] opens the relay's WebSocket, reads its `welcome`, then makes
//! one request at a time, as the tutorial's programs make one socket call at
//! a time: it encodes the request with the `protocol` crate (a text frame,
//! or for `send` a binary frame carrying the bytes), waits for the request's
//! final answer, skipping progress such as `resolved`, and records how long
//! that took. Because only one request is ever outstanding, every message the
//! relay sends must be about that request: anything else is a fault.
//!
//! Two variations serve the benchmarks: [`Client::call_streaming`] hands
//! each progress message to the caller as it comes (the `chunk`s of a
//! `recv_all`), and [`Client::call_together`] sends a few requests before
//! waiting for any answer, as a page may, so that a `send` and the `recv`
//! for its reply cost one round trip instead of two. Then every message
//! must be about one of those requests.
//!
//! Whatever goes wrong is a [`Failure`] of one of the two kinds a load test
//! counts:
//!
//! * **lost**: an answer that never came: the WebSocket closed or failed, or
//!   the relay answered with an `error` instead of the result.
//! * **garbled**: an answer that came but is not the one expected: a frame
//!   that does not decode, a message about another request, an answer of the
//!   wrong type, or bytes other than the ones expected.

use std::fmt;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use protocol::frame::Message as _;
use protocol::{Family, Frame, Op, RelayMessage, Request, RequestId, ServerInfo, SocketId, WireFrame};

use crate::websocket::{Message, WebSocket};

/// A message from the relay and the bytes it carried.
pub type Answer = Frame<RelayMessage>;

/// How much a client reads from its WebSocket at a time, unless it streams
/// bulk: enough for the small messages of a conversation.
pub const SMALL_READS: usize = 16 * 1024;

/// Why a session could not go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// An expected answer never came, or came as an `error`.
    Lost(String),
    /// An answer came, but not the one expected.
    Garbled(String),
}

impl Failure {
    /// The same failure, saying at which step of a program it happened.
    pub fn during(self, step: &str) -> Failure {
        match self {
            Failure::Lost(why) => Failure::Lost(format!("{step}: {why}")),
            Failure::Garbled(why) => Failure::Garbled(format!("{step}: {why}")),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Lost(why) => write!(f, "lost: {why}"),
            Failure::Garbled(why) => write!(f, "garbled: {why}"),
        }
    }
}

/// One page's WebSocket session with the relay.
pub struct Client {
    ws: WebSocket,
    next_id: RequestId,
    /// Each request made (`"send"`, `"recv"`, ...) and how long it took,
    /// from sending it to its final answer.
    pub steps: Vec<(&'static str, Duration)>,
}

impl Client {
    /// Opens a session at `url` (`ws://host:port/ws`), reading up to
    /// `read_size` bytes at a time, and reads its welcome; returns the
    /// session and the lesson servers the welcome advertises.
    pub async fn open(url: &str, read_size: usize) -> Result<(Client, Vec<ServerInfo>), Failure> {
        let ws = WebSocket::connect(url, read_size).await?;
        let mut client = Client { ws, next_id: 1, steps: Vec::new() };
        match client.next().await?.message {
            RelayMessage::Welcome { servers, .. } => Ok((client, servers)),
            // A relay at its limits refuses the session with an error.
            RelayMessage::Error { error, .. } => Err(Failure::Lost(error.to_string())),
            other => Err(unexpected("welcome", &other)),
        }
    }

    /// Makes one request and returns its final answer.
    pub async fn call(&mut self, op: Op, payload: Bytes) -> Result<Answer, Failure> {
        self.call_streaming(op, payload, |_| Ok(())).await
    }

    /// Makes one request, hands each of its progress messages to `progress`
    /// as it arrives, and returns its final answer.
    pub async fn call_streaming(
        &mut self,
        op: Op,
        payload: Bytes,
        mut progress: impl FnMut(Answer) -> Result<(), Failure>,
    ) -> Result<Answer, Failure> {
        let sent = Instant::now();
        let (id, name) = self.feed(op, payload);
        self.flush().await?;
        loop {
            let answer = self.next().await?;
            if answer.message.request_id() != Some(id) {
                return Err(not_asked(&answer));
            }
            if !answer.message.is_final() {
                progress(answer)?;
                continue;
            }
            self.steps.push((name, sent.elapsed()));
            return answered(answer);
        }
    }

    /// Makes the requests all at once and returns their final answers, in
    /// the order of the requests, whatever the order they came in.
    pub async fn call_together<const N: usize>(
        &mut self,
        requests: [(Op, Bytes); N],
    ) -> Result<[Answer; N], Failure> {
        let sent = Instant::now();
        let first = self.next_id;
        let mut names = Vec::with_capacity(N);
        for (op, payload) in requests {
            names.push(self.feed(op, payload).1);
        }
        self.flush().await?;
        let mut answers: [Option<Answer>; N] = std::array::from_fn(|_| None);
        while answers.iter().any(Option::is_none) {
            let answer = self.next().await?;
            let slot =
                answer.message.request_id().and_then(|id| answers.get_mut(id.checked_sub(first)? as usize));
            match slot {
                Some(slot @ None) if answer.message.is_final() => {
                    *slot = Some(answered(answer)?);
                }
                Some(None) => {}
                _ => return Err(not_asked(&answer)),
            }
        }
        self.steps.extend(names.into_iter().map(|name| (name, sent.elapsed())));
        Ok(answers.map(|answer| answer.expect("every request was answered")))
    }

    /// Queues one request to be sent with the next flush; returns its id and name.
    fn feed(&mut self, op: Op, payload: Bytes) -> (RequestId, &'static str) {
        let id = self.next_id;
        self.next_id += 1;
        let request = Request { id, op };
        let name = request.name();
        let message = match Frame::with_payload(request, payload).encode() {
            WireFrame::Text(text) => Message::Text(text.into()),
            WireFrame::Binary(bytes) => Message::Binary(bytes),
        };
        self.ws.feed(message);
        (id, name)
    }

    /// Sends the requests queued by `feed`.
    async fn flush(&mut self) -> Result<(), Failure> {
        self.ws.flush().await.map_err(|failure| failure.during("a request"))
    }

    /// `socket.socket(family, SOCK_STREAM)`.
    pub async fn socket(&mut self, family: Family) -> Result<SocketId, Failure> {
        match self.call(Op::Socket { family }, Bytes::new()).await?.message {
            RelayMessage::Created { socket, .. } => Ok(socket),
            other => Err(unexpected("created", &other)),
        }
    }

    /// `s.connect((host, port))`.
    pub async fn connect(&mut self, socket: SocketId, addr: SocketAddr) -> Result<(), Failure> {
        let op = Op::Connect { socket, host: addr.ip().to_string(), port: addr.port() };
        match self.call(op, Bytes::new()).await?.message {
            RelayMessage::Connected { .. } => Ok(()),
            other => Err(unexpected("connected", &other)),
        }
    }

    /// `s.sendall(data)`: `send` until the kernel has taken every byte.
    pub async fn send_all(&mut self, socket: SocketId, data: &Bytes) -> Result<(), Failure> {
        let mut rest = data.clone();
        while !rest.is_empty() {
            match self.call(Op::Send { socket }, rest.clone()).await?.message {
                RelayMessage::Sent { bytes, .. } if (1..=rest.len() as u64).contains(&bytes) => {
                    rest = rest.slice(bytes as usize..);
                }
                RelayMessage::Sent { bytes, .. } => {
                    return Err(Failure::Garbled(format!("`sent` says {bytes} of {} bytes", rest.len())));
                }
                other => return Err(unexpected("sent", &other)),
            }
        }
        Ok(())
    }

    /// `s.recv(max)`: what one read returned; empty when the peer closed.
    pub async fn recv(&mut self, socket: SocketId, max: u32) -> Result<Bytes, Failure> {
        let answer = self.call(Op::Recv { socket, max }, Bytes::new()).await?;
        match answer.message {
            RelayMessage::Received { .. } => Ok(answer.payload),
            other => Err(unexpected("received", &other)),
        }
    }

    /// `s.close()`.
    pub async fn close(&mut self, socket: SocketId) -> Result<(), Failure> {
        match self.call(Op::Close { socket }, Bytes::new()).await?.message {
            RelayMessage::Closed { .. } => Ok(()),
            other => Err(unexpected("closed", &other)),
        }
    }

    /// Ends the session as a page does when it is closed: a WebSocket close
    /// frame. Every answer has already arrived, so a failure here loses nothing.
    pub async fn finish(&mut self) {
        let _ = self.ws.close().await;
    }

    /// The next message from the relay, whatever it is.
    async fn next(&mut self) -> Result<Answer, Failure> {
        let decoded = match self.ws.next().await? {
            Some(Message::Text(text)) => match std::str::from_utf8(&text) {
                Ok(text) => Frame::decode_text(text),
                Err(_) => return Err(Failure::Garbled("a text frame that is not UTF-8".into())),
            },
            Some(Message::Binary(bytes)) => Frame::decode_binary(bytes),
            None => return Err(Failure::Lost("the relay closed the WebSocket".into())),
        };
        decoded.map_err(|error| Failure::Garbled(format!("an unreadable frame: {error}")))
    }
}

/// A final answer as the result of its request: an `error` is a lost answer.
fn answered(answer: Answer) -> Result<Answer, Failure> {
    match answer.message {
        RelayMessage::Error { error, .. } => Err(Failure::Lost(error.to_string())),
        _ => Ok(answer),
    }
}

/// A message about a request that is not being answered.
fn not_asked(answer: &Answer) -> Failure {
    Failure::Garbled(format!("a `{}` that is not about the request being answered", answer.message.name()))
}

/// An answer of the wrong type.
pub fn unexpected(expected: &str, got: &RelayMessage) -> Failure {
    Failure::Garbled(format!("expected `{expected}`, got `{}`", got.name()))
}
