//! One socket call of a lesson's program, and what it returned.
//!
//! Each [`Call`] is one line of the learner's Python program; the relay
//! makes the same call on a real kernel socket and its answer becomes an
//! [`Outcome`]. The learner can edit some calls before they run ([`Field`]).

use std::net::SocketAddr;

use protocol::{ErrorInfo, ErrorKind, SocketId};

use crate::bytes_view::python_repr;

/// How many bytes each `recv` asks for, as in the tutorial.
pub const RECV_MAX: u32 = 1024;

/// One socket call.
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    Socket,
    /// The port is kept as the learner typed it, and checked when it runs.
    Connect {
        host: String,
        port: String,
    },
    /// `text` is sent as its UTF-8 bytes; `editable` is false for a fixed
    /// message (the Hello lesson's closing `exit`).
    Send {
        text: String,
        editable: bool,
    },
    Recv {
        max: u32,
    },
    /// `recv(max)` again and again until it returns `b''`: the tutorial's
    /// loop that reads a whole HTTP response.
    RecvLoop {
        max: u32,
    },
    Close,
}

/// What a finished call returned.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Created {
        socket: SocketId,
    },
    Connected {
        local: SocketAddr,
        peer: SocketAddr,
    },
    Sent {
        bytes: u64,
        of: usize,
    },
    Received {
        data: Vec<u8>,
    },
    /// A receive loop ended with `b''` after `chunks` reads that returned data.
    Drained {
        chunks: usize,
        bytes: usize,
    },
    Closed,
}

impl Call {
    /// The call as a line of the tutorial's Python.
    pub fn python(&self) -> String {
        match self {
            Call::Socket => "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)".to_owned(),
            Call::Connect { host, port } => format!("s.connect(('{host}', {port}))"),
            Call::Send { text, .. } => format!("s.send({})", python_repr(text.as_bytes())),
            Call::Recv { max } => format!("s.recv({max})"),
            Call::RecvLoop { max } => format!("while d := s.recv({max}): buffer.append(d)"),
            Call::Close => "s.close()".to_owned(),
        }
    }
}

/// A part of a step the learner can edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// A message, one line of text.
    Text,
    /// A request of several lines: each line break is sent as `\r\n`.
    Request,
    Host,
    Port,
}

impl Field {
    /// The name used in the page's `data-field` attribute.
    pub fn name(self) -> &'static str {
        match self {
            Field::Text => "text",
            Field::Request => "request",
            Field::Host => "host",
            Field::Port => "port",
        }
    }

    pub fn from_name(name: &str) -> Option<Field> {
        [Field::Text, Field::Request, Field::Host, Field::Port].into_iter().find(|field| field.name() == name)
    }
}

/// The port as a number, or the error Python raises for it.
pub fn parse_port(port: &str) -> Result<u16, ErrorInfo> {
    port.trim()
        .parse()
        .map_err(|_| ErrorInfo::new(ErrorKind::OverflowError, "connect(): port must be 0-65535."))
}
