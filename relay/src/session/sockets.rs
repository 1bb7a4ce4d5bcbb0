//! The sockets of one session, each in one state of its life:
//!
//! ```text
//!  socket()        connect()          handshake done        close()
//! ─────────► Created ────────► Connecting ──────────► Connected ───────► (gone)
//!               ▲                   │ failed
//!               └───────────────────┘
//! ```
//!
//! Like file descriptors, socket ids are numbered from 1 and never reused
//! within a session, so an id below the next one that is no longer in the
//! table is a socket that was closed: using it is EBADF, as in Python.

use std::collections::HashMap;
use std::mem::MaybeUninit;

use protocol::{ErrorInfo, Family, SocketId};
use socket2::SockRef;
use tokio::net::TcpSocket;
use tokio_util::sync::{CancellationToken, DropGuard};

use super::connection::Connection;
use super::oserror::{self, EALREADY, EBADF, EISCONN};

/// Where one socket is in its life.
#[derive(Debug)]
pub enum State {
    /// `socket()` made it: a real, unconnected kernel socket.
    Created { family: Family, tcp: TcpSocket },
    /// `connect()` is resolving or shaking hands; the socket is with that
    /// task, which is cancelled when this state is dropped.
    Connecting { family: Family, _stop: DropGuard },
    /// Connected: two tasks serve reads and writes.
    Connected(Connection),
}

/// All the open sockets of one session.
#[derive(Debug)]
pub struct Sockets {
    open: HashMap<SocketId, State>,
    next_id: SocketId,
    max_open: usize,
}

impl Sockets {
    pub fn new(max_open: usize) -> Self {
        Sockets { open: HashMap::new(), next_id: 1, max_open }
    }

    /// `socket.socket(family, SOCK_STREAM)`: asks the kernel for a new socket.
    pub fn create(&mut self, family: Family) -> Result<SocketId, ErrorInfo> {
        if self.open.len() >= self.max_open {
            return Err(ErrorInfo::limit(format!(
                "this session already has {} open sockets, the most it may have; close one first",
                self.max_open
            )));
        }
        let tcp = new_tcp(family)?;
        let id = self.next_id;
        self.next_id += 1;
        self.open.insert(id, State::Created { family, tcp });
        Ok(id)
    }

    /// The connection behind `id`. A socket that is not connected yet
    /// answers as the kernel does when `attempt` is made on it.
    pub fn connection(&self, id: SocketId, attempt: Attempt) -> Result<&Connection, ErrorInfo> {
        match self.open.get(&id).ok_or_else(|| self.missing(id))? {
            State::Connected(connection) => Ok(connection),
            State::Created { tcp, .. } => Err(attempt.on_unconnected(tcp)),
            State::Connecting { .. } => Err(ErrorInfo::protocol(format!(
                "socket {id} is still connecting: wait for the answer to `connect`"
            ))),
        }
    }

    /// Takes an unconnected socket for `connect`, leaving it `Connecting`
    /// until [`Sockets::finish_connect`].
    pub fn begin_connect(
        &mut self,
        id: SocketId,
        cancel: CancellationToken,
    ) -> Result<(Family, TcpSocket), ErrorInfo> {
        let state = self.open.remove(&id).ok_or_else(|| self.missing(id))?;
        let (kept, outcome) = match state {
            State::Created { family, tcp } => {
                (State::Connecting { family, _stop: cancel.drop_guard() }, Ok((family, tcp)))
            }
            State::Connecting { .. } => (state, Err(oserror::errno(EALREADY))),
            State::Connected(_) => (state, Err(oserror::errno(EISCONN))),
        };
        self.open.insert(id, kept);
        outcome
    }

    /// Whether `id` is still waiting for its `connect`; it may have been
    /// closed meanwhile.
    pub fn is_connecting(&self, id: SocketId) -> bool {
        matches!(self.open.get(&id), Some(State::Connecting { .. }))
    }

    /// `connect` succeeded.
    pub fn connected(&mut self, id: SocketId, connection: Connection) {
        self.open.insert(id, State::Connected(connection));
    }

    /// `connect` failed. As Linux allows connecting again after a failed
    /// attempt, the socket gets a fresh kernel socket of its family.
    pub fn connect_failed(&mut self, id: SocketId) {
        let Some(State::Connecting { family, .. }) = self.open.remove(&id) else {
            return;
        };
        if let Ok(tcp) = new_tcp(family) {
            self.open.insert(id, State::Created { family, tcp });
        }
    }

    /// Takes the socket out of the table for `close()`.
    pub fn remove(&mut self, id: SocketId) -> Result<State, ErrorInfo> {
        self.open.remove(&id).ok_or_else(|| self.missing(id))
    }

    fn missing(&self, id: SocketId) -> ErrorInfo {
        if id > 0 && id < self.next_id {
            oserror::errno(EBADF)
        } else {
            ErrorInfo::protocol(format!(
                "there is no socket {id}: create one with the `socket` operation first"
            ))
        }
    }
}

/// A new kernel socket: `socket(AF_INET or AF_INET6, SOCK_STREAM)`.
fn new_tcp(family: Family) -> Result<TcpSocket, ErrorInfo> {
    match family {
        Family::Inet => TcpSocket::new_v4(),
        Family::Inet6 => TcpSocket::new_v6(),
    }
    .map_err(|error| oserror::python_error(&error))
}

/// A call made on a socket, for telling what the kernel says to it on a
/// socket that is not connected.
pub enum Attempt<'a> {
    Send(&'a [u8]),
    Recv,
}

impl Attempt<'_> {
    /// Makes the call for real on the unconnected socket, so the learner sees
    /// the kernel's own answer: `send` gives EPIPE, `recv` gives ENOTCONN.
    fn on_unconnected(&self, tcp: &TcpSocket) -> ErrorInfo {
        let socket = SockRef::from(tcp);
        let outcome = match self {
            Attempt::Send(data) => socket.send(data),
            Attempt::Recv => socket.recv(&mut [MaybeUninit::uninit()]),
        };
        match outcome {
            Err(error) => oserror::python_error(&error),
            Ok(_) => ErrorInfo::protocol("the socket is not connected: call `connect` first"),
        }
    }
}
