//! What the page asks the relay to do: one request per socket call.
//!
//! Each operation mirrors a call of Python's `socket` module:
//!
//! | request                                   | Python                              |
//! |-------------------------------------------|-------------------------------------|
//! | `{"op":"socket","family":"AF_INET"}`      | `s = socket.socket(AF_INET, SOCK_STREAM)` |
//! | `{"op":"connect","socket":1,"host":..,"port":..}` | `s.connect((host, port))`   |
//! | `{"op":"send","socket":1}` + bytes        | `s.send(data)`                      |
//! | `{"op":"recv","socket":1,"max":1024}`     | `s.recv(1024)`                      |
//! | `{"op":"recv_all","socket":1,"max":1024}` | `while d := s.recv(1024): ...`      |
//! | `{"op":"close","socket":1}`               | `s.close()`                         |
//! | `{"op":"watch","server":"hello"}`         | reading a lesson server's console   |

use serde::{Deserialize, Serialize};

use crate::frame::Message;
use crate::relay::LessonServer;
use crate::{RequestId, SocketId};

/// One request from the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Tagged")]
pub struct Request {
    /// Chosen by the page; every answer repeats it as `re`.
    pub id: RequestId,
    #[serde(flatten)]
    pub op: Op,
}

/// A request as it arrives, before its `op` is trusted. Flattening an
/// internally tagged enum lets serde take a variant's *index* as its tag
/// (`"op":5` would be `close`), which the protocol does not allow: `op` must
/// be the operation's name.
#[derive(Deserialize)]
struct Tagged {
    id: RequestId,
    op: serde_json::Value,
    #[serde(flatten)]
    fields: serde_json::Map<String, serde_json::Value>,
}

impl TryFrom<Tagged> for Request {
    type Error = String;

    fn try_from(Tagged { id, op, mut fields }: Tagged) -> Result<Request, String> {
        if !op.is_string() {
            return Err(format!("`op` must be an operation's name, such as \"connect\", not {op}"));
        }
        fields.insert("op".to_owned(), op);
        let op =
            serde_json::from_value(serde_json::Value::Object(fields)).map_err(|error| error.to_string())?;
        Ok(Request { id, op })
    }
}

/// The socket call to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Create a TCP socket (not yet connected). Answered by `created`.
    Socket {
        #[serde(default)]
        family: Family,
    },
    /// Resolve `host` and connect to it. Answered by `resolved`, then `connected`.
    Connect { socket: SocketId, host: String, port: u16 },
    /// Send the frame's payload. Answered by `sent` with the byte count.
    Send { socket: SocketId },
    /// One `recv(max)`: whatever one read returned, at most `max` bytes.
    /// An empty `received` means the peer closed its side.
    Recv { socket: SocketId, max: u32 },
    /// Receive until the peer closes, `max` bytes per read: the relay streams
    /// each read as a `chunk`, then ends with `drained`.
    RecvAll { socket: SocketId, max: u32 },
    /// Close the socket. Answered by `closed`.
    Close { socket: SocketId },
    /// Follow a lesson server's log. Answered by `watching`, then `server_log` events.
    Watch { server: LessonServer },
}

/// The address family of a socket, named as in Python's `socket` module.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Family {
    /// IPv4: 32-bit addresses such as `127.0.0.1`.
    #[default]
    #[serde(rename = "AF_INET")]
    Inet,
    /// IPv6: 128-bit addresses such as `::1`.
    #[serde(rename = "AF_INET6")]
    Inet6,
}

impl Family {
    /// Whether an address belongs to this family.
    pub fn admits(self, ip: std::net::IpAddr) -> bool {
        matches!(
            (self, ip),
            (Family::Inet, std::net::IpAddr::V4(_)) | (Family::Inet6, std::net::IpAddr::V6(_))
        )
    }
}

impl Op {
    /// The socket the operation acts on, if any.
    pub fn socket(&self) -> Option<SocketId> {
        match self {
            Op::Connect { socket, .. }
            | Op::Send { socket }
            | Op::Recv { socket, .. }
            | Op::RecvAll { socket, .. }
            | Op::Close { socket } => Some(*socket),
            Op::Socket { .. } | Op::Watch { .. } => None,
        }
    }
}

impl Message for Request {
    fn name(&self) -> &'static str {
        match self.op {
            Op::Socket { .. } => "socket",
            Op::Connect { .. } => "connect",
            Op::Send { .. } => "send",
            Op::Recv { .. } => "recv",
            Op::RecvAll { .. } => "recv_all",
            Op::Close { .. } => "close",
            Op::Watch { .. } => "watch",
        }
    }

    fn carries_payload(&self) -> bool {
        matches!(self.op, Op::Send { .. })
    }

    fn request_id(&self) -> Option<RequestId> {
        Some(self.id)
    }
}
