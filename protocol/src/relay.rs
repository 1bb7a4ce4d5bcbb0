//! What the relay tells the page.
//!
//! Most messages answer a request and carry its `id` back as `re`. Two are
//! unsolicited: `welcome`, the first message of every session, and
//! `server_log`, a line of a lesson server's log for pages that watch it.

use std::net::{IpAddr, SocketAddr};

use serde::{Deserialize, Serialize};

use crate::error::ErrorInfo;
use crate::frame::Message;
use crate::request::Family;
use crate::{RequestId, SocketId};

/// A message from the relay to the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RelayMessage {
    /// The first message of a session: who the relay is and what it serves.
    Welcome { relay: String, servers: Vec<ServerInfo> },
    /// `socket` succeeded: a new, unconnected socket.
    Created { re: RequestId, socket: SocketId, family: Family },
    /// Progress of `connect`: every address the resolver returned for `host`.
    Resolved { re: RequestId, socket: SocketId, host: String, addresses: Vec<IpAddr> },
    /// `connect` succeeded. `local` and `peer` are the connection's 4-tuple.
    Connected { re: RequestId, socket: SocketId, local: SocketAddr, peer: SocketAddr },
    /// `send` handed `bytes` bytes to the kernel.
    Sent { re: RequestId, socket: SocketId, bytes: u64 },
    /// `recv` returned the payload; an empty payload means the peer closed.
    Received { re: RequestId, socket: SocketId },
    /// Progress of `recv_all`: the payload is what one read returned.
    Chunk { re: RequestId, socket: SocketId },
    /// `recv_all` ended because the peer closed: totals over all chunks.
    Drained { re: RequestId, socket: SocketId, chunks: u64, bytes: u64 },
    /// `close` finished: the socket is gone.
    Closed { re: RequestId, socket: SocketId },
    /// `watch` succeeded: `server_log` messages follow.
    Watching { re: RequestId, server: ServerInfo },
    /// A request failed. The session goes on.
    Error {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        re: Option<RequestId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        socket: Option<SocketId>,
        error: ErrorInfo,
    },
    /// Something a lesson server did; the payload is the bytes it received or sent.
    ServerLog { server: LessonServer, thread: String, peer: SocketAddr, event: ServerEvent },
}

/// The lesson servers that run inside the relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LessonServer {
    /// The tutorial's threaded server: `Welcome!`, then `Hello,<msg>!` until `exit`.
    Hello,
    /// The same server without threads: one client at a time.
    HelloSingle,
}

impl LessonServer {
    /// The name on the wire: `hello`, `hello_single`.
    pub fn as_str(self) -> &'static str {
        match self {
            LessonServer::Hello => "hello",
            LessonServer::HelloSingle => "hello_single",
        }
    }
}

/// Where a lesson server listens and how it behaves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerInfo {
    pub name: LessonServer,
    pub addr: SocketAddr,
    /// The pause before each answer (the tutorial's `time.sleep(1)`).
    pub delay_ms: u64,
}

/// One step in a lesson server's handling of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerEvent {
    /// `accept()` returned this connection; a thread now serves it.
    Accepted,
    /// `recv(1024)` returned the payload (empty: the client closed).
    Received,
    /// `send()` sent the payload.
    Sent,
    /// The thread closed the connection and ended.
    Closed,
}

impl RelayMessage {
    /// Whether this message ends its request (`resolved` and `chunk` do not).
    pub fn is_final(&self) -> bool {
        !matches!(self, RelayMessage::Resolved { .. } | RelayMessage::Chunk { .. })
    }
}

impl Message for RelayMessage {
    fn name(&self) -> &'static str {
        match self {
            RelayMessage::Welcome { .. } => "welcome",
            RelayMessage::Created { .. } => "created",
            RelayMessage::Resolved { .. } => "resolved",
            RelayMessage::Connected { .. } => "connected",
            RelayMessage::Sent { .. } => "sent",
            RelayMessage::Received { .. } => "received",
            RelayMessage::Chunk { .. } => "chunk",
            RelayMessage::Drained { .. } => "drained",
            RelayMessage::Closed { .. } => "closed",
            RelayMessage::Watching { .. } => "watching",
            RelayMessage::Error { .. } => "error",
            RelayMessage::ServerLog { .. } => "server_log",
        }
    }

    fn carries_payload(&self) -> bool {
        matches!(
            self,
            RelayMessage::Received { .. } | RelayMessage::Chunk { .. } | RelayMessage::ServerLog { .. }
        )
    }

    fn request_id(&self) -> Option<RequestId> {
        match self {
            RelayMessage::Created { re, .. }
            | RelayMessage::Resolved { re, .. }
            | RelayMessage::Connected { re, .. }
            | RelayMessage::Sent { re, .. }
            | RelayMessage::Received { re, .. }
            | RelayMessage::Chunk { re, .. }
            | RelayMessage::Drained { re, .. }
            | RelayMessage::Closed { re, .. }
            | RelayMessage::Watching { re, .. } => Some(*re),
            RelayMessage::Error { re, .. } => *re,
            RelayMessage::Welcome { .. } | RelayMessage::ServerLog { .. } => None,
        }
    }
}
