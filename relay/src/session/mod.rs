//! One page's session: its socket calls, made for real.
//!
//! Each WebSocket connection is one session. The session reads the page's
//! requests one by one and answers each: `socket` makes a real kernel socket,
//! `connect` resolves and connects it, `send` and `recv` go to the
//! connection's [reader and writer tasks](connection), `close` closes it.
//! Slow work (a `connect`, a `recv` waiting for data) runs in its own task, so
//! the session stays free to take the next request; every task answers
//! through the [`Outbox`].
//!
//! When the page goes away, the session ends and everything it opened is
//! closed: every task watches the session's cancellation token. When the
//! relay shuts down, each session tells its page why (a close frame) first.
//!
//! A session spends from its [budget]: requests per second and bytes in all.

mod arena;
mod budget;
mod connect;
mod connection;
mod oserror;
mod outbox;
mod sockets;
mod watch;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use protocol::{DecodeError, ErrorInfo, Frame, LessonServer, Op, RelayMessage, Request, RequestId, SocketId};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_util::sync::{CancellationToken, DropGuard};

use crate::admission::Ticket;
use crate::app::AppState;
use crate::policy::Host;
use crate::websocket::{self, Incoming};
use budget::{ByteBudget, Rate};
use connect::{Dial, policy_error};
use connection::{Connection, Link, ReadJob, WriteJob};
use oserror::EBADF;
use outbox::Outbox;
use sockets::{Attempt, Sockets, State};

/// How long a page may take to be told that its session ends.
const FAREWELL: Duration = Duration::from_secs(2);

/// Room above the largest payload for a frame's own header.
const FRAME_OVERHEAD: usize = 64 * 1024;

/// Serves one page, over the WebSocket connection `stream` (`early`: the
/// bytes already read from it), until it goes away or the relay shuts down.
/// `_ticket` holds the session's place (see `admission`) as long as it runs.
pub async fn run(stream: TcpStream, early: Bytes, app: AppState, _ticket: Ticket) {
    let (read, writer) = websocket::split(stream, early);
    let (out, writer) = Outbox::start(writer);
    // Frames a little over the payload limit still reach the session, which
    // answers them with a LimitError; far larger ones end the session.
    let max_message = 2 * app.limits.max_payload as usize + FRAME_OVERHEAD;
    let incoming = Incoming::open(read, out.replies(), max_message).await;
    let mut session = Session::new(app, out);
    session.serve(incoming).await;
    // Dropping the session cancels its tasks, whose outboxes go with them;
    // then the writer sends what is left (a close frame) and ends.
    drop(session);
    let _ = tokio::time::timeout(FAREWELL, writer).await;
}

/// Turns away a page the relay cannot serve now: an error saying why, then
/// a close frame ("try again later").
pub async fn refuse(stream: TcpStream, early: Bytes, why: String) {
    let (_read, writer) = websocket::split(stream, early);
    let (out, writer) = Outbox::start(writer);
    out.error(None, None, ErrorInfo::limit(why)).await;
    out.close(CLOSE_TRY_AGAIN_LATER, "the relay is full; see the error before this").await;
    drop(out);
    let _ = tokio::time::timeout(FAREWELL, writer).await;
}

/// WebSocket close codes (RFC 6455, section 7.4.1).
const CLOSE_GOING_AWAY: u16 = 1001;
const CLOSE_TRY_AGAIN_LATER: u16 = 1013;

/// A finished `connect`, reported back to the session by its task.
struct Dialed {
    re: RequestId,
    socket: SocketId,
    outcome: Result<TcpStream, ErrorInfo>,
}

struct Session {
    app: AppState,
    out: Outbox,
    sockets: Sockets,
    watching: HashSet<LessonServer>,
    rate: Rate,
    bytes: ByteBudget,
    /// The parent of every task's token; cancelled when the session is dropped.
    cancel: CancellationToken,
    _stop_all: DropGuard,
    /// Connect tasks report here when they finish.
    dialed_tx: mpsc::UnboundedSender<Dialed>,
    dialed_rx: mpsc::UnboundedReceiver<Dialed>,
}

impl Session {
    fn new(app: AppState, out: Outbox) -> Self {
        let cancel = CancellationToken::new();
        let (dialed_tx, dialed_rx) = mpsc::unbounded_channel();
        Session {
            sockets: Sockets::new(app.limits.max_sockets),
            rate: Rate::new(app.limits.max_ops_per_second),
            bytes: ByteBudget::new(app.limits.max_session_bytes),
            app,
            out,
            watching: HashSet::new(),
            _stop_all: cancel.clone().drop_guard(),
            cancel,
            dialed_tx,
            dialed_rx,
        }
    }

    async fn serve(&mut self, mut incoming: Incoming) {
        let welcome = RelayMessage::Welcome {
            relay: format!("relay {}", env!("CARGO_PKG_VERSION")),
            servers: self.app.servers.to_vec(),
        };
        self.out.send(welcome).await;
        let shutdown = self.app.shutdown.clone();
        loop {
            tokio::select! {
                () = shutdown.cancelled() => {
                    self.out.close(CLOSE_GOING_AWAY, "the relay is shutting down").await;
                    return;
                }
                message = incoming.next() => match message {
                    Some(Ok(Message::Text(text))) => self.on_frame(|| Frame::decode_text(&text)).await,
                    Some(Ok(Message::Binary(bytes))) => self.on_frame(|| Frame::decode_binary(bytes)).await,
                    // tungstenite answers pings itself; a raw frame is never read.
                    Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => {}
                    Some(Ok(Message::Close(_))) | None => return,
                    Some(Err(error)) => {
                        tracing::debug!("session ends: {error}");
                        return;
                    }
                },
                Some(dialed) = self.dialed_rx.recv() => self.on_dialed(dialed).await,
            }
        }
    }

    /// Answers one frame from the page, if the page is within its rate.
    async fn on_frame(&mut self, decode: impl FnOnce() -> Result<Frame<Request>, DecodeError>) {
        if let Err(error) = self.rate.take() {
            let re = match decode() {
                Ok(frame) => Some(frame.message.id),
                Err(error) => error.request_id(),
            };
            self.out.error(re, None, error).await;
            return;
        }
        match decode() {
            Ok(Frame { message: Request { id, op }, payload }) => {
                let socket = op.socket();
                if let Err(error) = self.handle(id, op, payload).await {
                    self.out.error(Some(id), socket, error).await;
                }
            }
            Err(error) => {
                let re = error.request_id();
                self.out.error(re, None, ErrorInfo::protocol(error.to_string())).await;
            }
        }
    }

    /// Carries out one request. Quick ones are answered here; slow ones are
    /// handed to a task that answers when done.
    async fn handle(&mut self, re: RequestId, op: Op, payload: Bytes) -> Result<(), ErrorInfo> {
        match op {
            Op::Socket { family } => {
                let socket = self.sockets.create(family)?;
                self.out.send(RelayMessage::Created { re, socket, family }).await;
            }
            Op::Connect { socket, host, port } => self.connect(re, socket, host, port)?,
            Op::Send { socket } => {
                self.check_size("send", payload.len())?;
                let connection = self.sockets.connection(socket, Attempt::Send(&payload))?;
                self.bytes.spend(payload.len())?;
                match connection.send_now(&payload)? {
                    Some(n) => self.out.send(RelayMessage::Sent { re, socket, bytes: n as u64 }).await,
                    None => connection.write(WriteJob { re, data: payload })?,
                }
            }
            Op::Recv { socket, max } => {
                self.read(ReadJob { re, max: max as usize, until_closed: false }, socket)?
            }
            Op::RecvAll { socket, max } => {
                if max == 0 {
                    return Err(ErrorInfo::protocol("recv_all needs a `max` of at least 1 byte per read"));
                }
                self.read(ReadJob { re, max: max as usize, until_closed: true }, socket)?;
            }
            Op::Close { socket } => match self.sockets.remove(socket)? {
                State::Connected(connection) => connection.close(re, self.out.clone()),
                // A socket that never connected just goes; a connect under way is
                // cancelled and answered with EBADF when its task notices.
                State::Created { .. } | State::Connecting { .. } => {
                    self.out.send(RelayMessage::Closed { re, socket }).await;
                }
            },
            Op::Watch { server } => self.watch(re, server).await,
        }
        Ok(())
    }

    fn read(&self, job: ReadJob, socket: SocketId) -> Result<(), ErrorInfo> {
        self.check_size("recv", job.max)?;
        self.sockets.connection(socket, Attempt::Recv)?.read(job)
    }

    fn check_size(&self, what: &str, bytes: usize) -> Result<(), ErrorInfo> {
        let limit = self.app.limits.max_payload as usize;
        if bytes > limit {
            return Err(ErrorInfo::limit(format!(
                "{what} of {bytes} bytes is over this relay's limit of {limit} bytes per call"
            )));
        }
        Ok(())
    }

    /// Starts a `connect`: the host and port are checked here, before any
    /// name resolution; each resolved address is checked by the task.
    fn connect(&mut self, re: RequestId, socket: SocketId, host: String, port: u16) -> Result<(), ErrorInfo> {
        let parsed = Host::parse(&host).map_err(|error| ErrorInfo::protocol(error.to_string()))?;
        self.app.policy.check_port(port).map_err(policy_error)?;
        let cancel = self.cancel.child_token();
        let (family, tcp) = self.sockets.begin_connect(socket, cancel.clone())?;
        let dial = Dial { re, socket, family, asked: host, host: parsed, port };
        let (out, done, limit) =
            (self.out.clone(), self.dialed_tx.clone(), self.app.limits.connect_timeout());
        let policy = Arc::clone(&self.app.policy);
        tokio::spawn(async move {
            let outcome = tokio::select! {
                () = cancel.cancelled() => Err(oserror::errno(EBADF)),
                outcome = dial.run(tcp, &out, &policy, limit) => outcome,
            };
            let _ = done.send(Dialed { re, socket, outcome });
        });
        Ok(())
    }

    async fn on_dialed(&mut self, Dialed { re, socket, outcome }: Dialed) {
        if !self.sockets.is_connecting(socket) {
            // Closed while connecting; a stream that got through is dropped, which closes it.
            self.out.error(Some(re), Some(socket), oserror::errno(EBADF)).await;
            return;
        }
        let link = Link {
            socket,
            out: self.out.clone(),
            idle: self.app.limits.idle_timeout(),
            bytes: self.bytes.clone(),
        };
        let cancel = self.cancel.child_token();
        let connection = outcome.and_then(|stream| {
            Connection::start(stream, link, cancel).map_err(|error| oserror::python_error(&error))
        });
        match connection {
            Ok(connection) => {
                let (local, peer) = (connection.local, connection.peer);
                self.sockets.connected(socket, connection);
                self.out.send(RelayMessage::Connected { re, socket, local, peer }).await;
            }
            Err(error) => {
                self.sockets.connect_failed(socket);
                self.out.error(Some(re), Some(socket), error).await;
            }
        }
    }

    async fn watch(&mut self, re: RequestId, server: LessonServer) {
        let info = self.app.server(server);
        let entries = self.watching.insert(server).then(|| self.app.log.subscribe());
        self.out.send(RelayMessage::Watching { re, server: info }).await;
        if let Some(entries) = entries {
            tokio::spawn(watch::forward(server, entries, self.out.clone(), self.cancel.clone()));
        }
    }
}
