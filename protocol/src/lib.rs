//! The wire protocol between the playground page and the relay.
//!
//! A browser cannot open a TCP socket, so the page asks the relay to do it:
//! every socket call the learner makes (`socket`, `connect`, `send`, `recv`,
//! `close`) travels to the relay as a [`Request`] over one WebSocket, and the
//! relay answers with [`RelayMessage`]s carrying the real result.
//!
//! Three rules shape everything here:
//!
//! * **Bytes stay bytes.** TCP carries bytes, not text, so payloads never go
//!   through JSON. A message that carries bytes travels in a binary WebSocket
//!   frame: a short JSON header followed by the raw payload (see [`frame`]).
//! * **Every answer names its question.** Each request carries an `id`; every
//!   message about it carries the same number as `re`. One request may get
//!   progress messages (`resolved`, `chunk`) before its final answer.
//! * **Errors are data.** A refused connection is a lesson, not a crash: it
//!   comes back as a [`RelayMessage::Error`] named the way Python names it
//!   (`ConnectionRefusedError`, `socket.gaierror`, ...), and the session goes on.
//!
//! `docs/protocol.md` walks through a whole session.

pub mod error;
pub mod frame;
pub mod relay;
pub mod request;

pub use error::{ErrorInfo, ErrorKind};
pub use frame::{DecodeError, Frame, WireFrame};
pub use relay::{LessonServer, RelayMessage, ServerEvent, ServerInfo};
pub use request::{Family, Op, Request};

/// Numbers a request; the relay's answers carry it back as `re`.
pub type RequestId = u32;

/// Names one socket inside one session, like a file descriptor does in a process.
pub type SocketId = u32;
